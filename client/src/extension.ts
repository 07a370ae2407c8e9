// The VS Code extension: starts the AKS Network Lens language server over IPC and keeps it running.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerNetworkMap } from './networkMap';
import { planIpsCommand, trackLastDocument } from './planIps';
import { StatusBar } from './statusBar';
import { openExampleCommand, openWalkthroughOnFirstRun, trackFindingShown } from './walkthrough';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Restarts the server when it dies, a few times per window, and tells the user once when it gives up. */
function restartingErrorHandler(output: vscode.LogOutputChannel): ErrorHandler {
  const MAX_RESTARTS = 5;
  const WINDOW_MS = 3 * 60 * 1000;
  const restarts: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: (): CloseHandlerResult => {
      const now = Date.now();
      while (restarts.length > 0 && now - restarts[0]! > WINDOW_MS) restarts.shift();
      restarts.push(now);
      if (restarts.length <= MAX_RESTARTS) {
        output.info(`The language server stopped; restarting it (${restarts.length}/${MAX_RESTARTS}).`);
        return { action: CloseAction.Restart };
      }
      return {
        action: CloseAction.DoNotRestart,
        message: `AKS Network Lens: the language server stopped ${MAX_RESTARTS} times in 3 minutes and will not be restarted. See the "AKS Network Lens" output for details, then run "AKS Network Lens: Restart Language Server".`,
      };
    },
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('AKS Network Lens', { log: true });
  context.subscriptions.push(
    vscode.commands.registerCommand('aksNetworkLens.showLog', () => output.show(true)),
    vscode.commands.registerCommand('aksNetworkLens.openExample', openExampleCommand),
  );
  const statusBar = new StatusBar();
  context.subscriptions.push(statusBar, trackFindingShown(), trackLastDocument());
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  if (!existsSync(serverModule)) {
    // A broken installation: say so once, plainly, instead of letting the client retry a missing file.
    output.error(`Language server not found at ${serverModule}.`);
    statusBar.stopped();
    void vscode.window.showErrorMessage(
      'AKS Network Lens cannot start: its language server is missing from the installation (dist/server.js). Reinstall the extension.',
    );
    return;
  }
  // "Restart Language Server" shows in the palette only where there is a server to restart.
  void vscode.commands.executeCommand('setContext', 'aksNetworkLens.serverAvailable', true);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,bicep,bicepparam,json,tf,tfvars}');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // By pattern, so Bicep files are served whether or not the official Bicep extension is installed.
      { scheme: 'file', pattern: '**/*.bicep' },
      { scheme: 'file', language: 'bicep' },
      { scheme: 'untitled', language: 'bicep' },
      // Environments: .bicepparam files and ARM parameters files; ARM JSON templates.
      { scheme: 'file', pattern: '**/*.bicepparam' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      // Terraform by pattern, with or without HashiCorp's extension (its language ids: terraform, terraform-vars).
      { scheme: 'file', pattern: '**/*.{tf,tfvars}' },
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', language: 'terraform-vars' },
    ],
    synchronize: { fileEvents: watcher, configurationSection: 'aksNetworkLens' },
    outputChannel: output,
    // The server then reports its initial scan to the status bar item (aksNetworkLens/indexing).
    initializationOptions: { indexingStatus: true },
    errorHandler: restartingErrorHandler(output),
    initializationFailedHandler: (error) => {
      output.error(`The language server failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  };
  client = new LanguageClient('aksNetworkLens', 'AKS Network Lens', serverOptions, clientOptions);
  statusBar.attach(client);
  context.subscriptions.push(
    vscode.commands.registerCommand('aksNetworkLens.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('aksNetworkLens.planIps', async () => {
      if (client) await planIpsCommand(client);
    }),
  );
  registerNetworkMap(context, () => client, output);
  // Once the server runs (the walkthrough's steps need it), and the workbench has had the time to restore its
  // editors: opened at activation itself, the walkthrough was sometimes not shown in code-server.
  const openWalkthrough = () =>
    openWalkthroughOnFirstRun(context).then(
      (opened) => opened && output.info('Opened the walkthrough (first activation).'),
      (error: unknown) => output.warn(`The walkthrough did not open: ${error instanceof Error ? error.message : String(error)}`),
    );
  try {
    await client.start();
    void openWalkthrough();
  } catch (error) {
    // Activation still succeeds, so the commands (Show Server Log, Restart) stay available.
    output.error(`The language server did not start: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage('AKS Network Lens: the language server did not start. See the "AKS Network Lens" output for details.');
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
