// The walkthrough "Get Started with AKS Network Lens" (package.json contributes.walkthroughs):
// - its "Open an example" step: a new, never-saved YAML document with a small network and one mistake. The server
//   checks untitled YAML documents like files, so the squiggle, Plan IPs and the map work on it at once;
// - opened once, on the extension's first activation, unless aksNetworkLens.walkthrough.openOnFirstActivation is off
//   (or VS Code's workbench.welcomePage.walkthroughs.openOnInstall, where the extension host sees it: in code-server
//   4.139 it did not);
// - its "See a squiggle" step completes on the context key FINDING_SHOWN_CONTEXT: true while an editor on screen
//   shows one of the extension's findings.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './statusBar';
import { EXAMPLE_YAML } from './walkthroughExample';

/** The walkthrough's id in package.json. */
export const WALKTHROUGH_ID = 'gettingStarted';
/** Set (true) once the walkthrough was opened on a first activation, so it opens once per user, not per window. */
const OPENED_KEY = 'aksNetworkLens.walkthroughOpened';
/** The extension's setting (default true). */
const OPEN_SETTING = 'aksNetworkLens.walkthrough.openOnFirstActivation';
/** VS Code's own setting for opening an extension's walkthrough when it is installed (default true). */
const OPEN_ON_INSTALL = 'workbench.welcomePage.walkthroughs.openOnInstall';
/** Context key: an editor on screen shows a finding of ours (the "See a squiggle" step's completion event). */
export const FINDING_SHOWN_CONTEXT = 'aksNetworkLens.findingShown';

export async function openExampleCommand(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: EXAMPLE_YAML });
  await vscode.window.showTextDocument(document, { preview: false });
}

/** Opens the walkthrough on the first activation for this user (VS Code opens it itself only for installs from its UI). */
export async function openWalkthroughOnFirstRun(context: vscode.ExtensionContext): Promise<boolean> {
  if (context.globalState.get<boolean>(OPENED_KEY)) return false;
  await context.globalState.update(OPENED_KEY, true);
  const settings = vscode.workspace.getConfiguration();
  if (settings.get<boolean>(OPEN_SETTING) === false || settings.get<boolean>(OPEN_ON_INSTALL) === false) return false;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  return true;
}

/** A diagnostic drawn as a squiggle (hints are drawn as dots) that the language server published. */
function isOurSquiggle(diagnostic: vscode.Diagnostic): boolean {
  return diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.severity !== vscode.DiagnosticSeverity.Hint;
}

/** Keeps FINDING_SHOWN_CONTEXT true while a visible text editor's document has one of our squiggles. */
export function trackFindingShown(): vscode.Disposable {
  let shown: boolean | undefined;
  const update = (): void => {
    const now = vscode.window.visibleTextEditors.some((editor) => vscode.languages.getDiagnostics(editor.document.uri).some(isOurSquiggle));
    if (now === shown) return;
    shown = now;
    void vscode.commands.executeCommand('setContext', FINDING_SHOWN_CONTEXT, now);
  };
  update();
  return vscode.Disposable.from(vscode.languages.onDidChangeDiagnostics(update), vscode.window.onDidChangeVisibleTextEditors(update));
}
