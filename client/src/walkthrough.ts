// The walkthrough's "Open an example" step: a new, never-saved YAML document with a small network and one mistake.
// The server checks untitled YAML documents like files, so the squiggle, Plan IPs and the map work on it at once.
import * as vscode from 'vscode';
import { EXAMPLE_YAML } from './walkthroughExample';

export async function openExampleCommand(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: EXAMPLE_YAML });
  await vscode.window.showTextDocument(document, { preview: false });
}
