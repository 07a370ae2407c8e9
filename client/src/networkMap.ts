// "AKS Network Lens: Show Network Map": a webview beside the editor that draws the server's network map
// data (aksNetworkLens/networkMap), refreshed when diagnostics, the active editor or a network file change
// (in an editor or on disk).
// The webview keeps its own state (getState/setState); it is not kept alive while hidden, and a serializer
// brings it back after a window reload.
// "Compare Policies with HEAD" (or the map's Compare button) asks the server for the policy graph coloured by change
// against the workspace's git HEAD: the server reads HEAD with git, so the map asks only in a trusted workspace.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DEFAULT_MAP_VIEW,
  type MapPlan,
  type MapToWebview,
  type MapViewId,
  NETWORK_MAP_REQUEST,
  type NetworkMapData,
  type NetworkMapParams,
} from '../../server/src/service/networkMapData';
import { isInsideFolders, type LspPosition, networkMapHtml, newNonce, parseWebviewMessage } from './networkMapView';

const VIEW_TYPE = 'aksNetworkLens.networkMap';
const REFRESH_DELAY_MS = 300;
const FILE_REFRESH_DELAY_MS = 800;
const NETWORK_LANGUAGES = new Set(['yaml', 'bicep', 'json']);

class NetworkMapPanel {
  static current: NetworkMapPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastPosted: string | undefined;
  /** The file whose VNets and clusters come first: the last text editor the user was in. */
  private activeUri: vscode.Uri | undefined;
  private editorColumn: vscode.ViewColumn | undefined;
  /** The view shown: only its data is asked for. */
  private view: MapViewId = DEFAULT_MAP_VIEW;
  /** A view the extension showed that the webview has not yet confirmed with a 'view' message. */
  private shownByExtension: MapViewId | undefined;
  /** The webview's name filter ('' for none). */
  private focus = '';
  /** The environment picked in the webview: a parameters file's URI ('' for every environment). */
  private environment = '';
  /** A plan Plan IPs proposes, drawn above the workspace until it is applied or dismissed. */
  private plan: MapPlan | undefined;
  /** The revision the policy graph is compared with ('' for none). */
  private compare: 'HEAD' | '' = '';
  /** The command asked to compare: say why in a message when the comparison fails. */
  private tellComparisonError = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly getClient: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.trackEditor(vscode.window.activeTextEditor);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      vscode.languages.onDidChangeDiagnostics(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && this.trackEditor(editor)) this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (NETWORK_LANGUAGES.has(event.document.languageId) || /\.bicep(param)?$/.test(event.document.uri.path)) this.schedule();
      }),
    );
    // Files created, changed or deleted on disk change the model without necessarily changing any diagnostic.
    // The server reads them first, hence the longer delay.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,bicep,bicepparam,json,tf,tfvars}');
    const onDisk = () => this.schedule(FILE_REFRESH_DELAY_MS);
    this.disposables.push(watcher, watcher.onDidCreate(onDisk), watcher.onDidChange(onDisk), watcher.onDidDelete(onDisk));
    // A commit or a checkout moves HEAD: the comparison is drawn again against the new HEAD.
    const gitWatcher = vscode.workspace.createFileSystemWatcher('**/.git/{HEAD,packed-refs,refs/heads/**}');
    const onGit = () => {
      if (this.compare) this.schedule(FILE_REFRESH_DELAY_MS);
    };
    this.disposables.push(gitWatcher, gitWatcher.onDidCreate(onGit), gitWatcher.onDidChange(onGit), gitWatcher.onDidDelete(onGit));
  }

  /** Shows the map (opened beside when it is not) with its policy graph compared with HEAD. */
  static compareWithHead(extensionUri: vscode.Uri, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('AKS Network Lens: Compare Policies with HEAD runs git, which a restricted workspace may not. Trust the workspace to compare.');
      return;
    }
    if (!NetworkMapPanel.current) NetworkMapPanel.show(extensionUri, getClient, output);
    const panel = NetworkMapPanel.current!;
    panel.compare = 'HEAD';
    panel.showView('policies');
    panel.tellComparisonError = true;
    if (panel.panel.visible) panel.schedule(0);
    else NetworkMapPanel.show(extensionUri, getClient, output);
  }

  static show(extensionUri: vscode.Uri, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
    const current = NetworkMapPanel.current;
    if (current) {
      // Beside the active editor: where it is when that is another group, else into the next group.
      const editorColumn = vscode.window.activeTextEditor?.viewColumn;
      const elsewhere = current.panel.visible && current.panel.viewColumn !== editorColumn;
      current.panel.reveal(elsewhere ? undefined : vscode.ViewColumn.Beside, true);
      current.schedule(0);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      'AKS Network Map',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      NetworkMapPanel.options(extensionUri),
    );
    NetworkMapPanel.current = new NetworkMapPanel(panel, extensionUri, getClient, output);
  }

  /** Takes over a panel VS Code restores after a window reload; the webview brings back its own state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
    NetworkMapPanel.current?.panel.dispose();
    panel.webview.options = NetworkMapPanel.options(extensionUri);
    NetworkMapPanel.current = new NetworkMapPanel(panel, extensionUri, getClient, output);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
  }

  /** Draws a proposed plan above the workspace's address space, and shows that view (undefined: no plan). */
  showPlan(plan: MapPlan | undefined): void {
    this.plan = plan;
    if (plan) this.showView('addresses');
    this.schedule(0);
  }

  /**
   * Shows a view of the extension's own accord: the webview switches its tab and answers with a 'view' message, so that
   * a 'ready' crossing this message (a panel just opened) does not leave the map asking for the view it had before.
   */
  private showView(view: MapViewId): void {
    if (view === this.view) return;
    this.view = view;
    this.shownByExtension = view;
    void this.post({ type: 'showView', view }, true);
  }

  /** Remembers a text editor on a file as the map's active file; false when nothing changed. */
  private trackEditor(editor: vscode.TextEditor | undefined): boolean {
    if (!editor || (editor.document.uri.scheme !== 'file' && editor.document.uri.scheme !== 'untitled')) return false;
    this.editorColumn = editor.viewColumn ?? this.editorColumn;
    if (this.activeUri?.toString() === editor.document.uri.toString()) return false;
    this.activeUri = editor.document.uri;
    return true;
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    return networkMapHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      nonce: newNonce(),
    });
  }

  private schedule(delay = REFRESH_DELAY_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }

  private async refresh(force = false): Promise<void> {
    const client = this.getClient();
    if (!client?.isRunning()) {
      await this.post({ type: 'status', text: 'The AKS Network Lens language server is not running.' }, force);
      return;
    }
    try {
      const params: NetworkMapParams = {
        view: this.view,
        ...(this.activeUri ? { uri: this.activeUri.toString() } : {}),
        ...(this.focus ? { focus: this.focus } : {}),
        ...(this.environment ? { environment: this.environment } : {}),
        ...(this.compare && vscode.workspace.isTrusted ? { compareWith: this.compare } : {}),
      };
      const data = await client.sendRequest<NetworkMapData>(NETWORK_MAP_REQUEST, params);
      if (this.tellComparisonError && params.compareWith) {
        this.tellComparisonError = false;
        if (data.comparison?.error) void vscode.window.showWarningMessage(`AKS Network Lens: cannot compare policies with HEAD. ${data.comparison.error}`);
      }
      await this.post({ type: 'update', data: this.plan && data.view === 'addresses' ? { ...data, plan: this.plan } : data }, force);
    } catch (error) {
      this.output.warn(`Network map: ${error instanceof Error ? error.message : String(error)}`);
      await this.post({ type: 'status', text: 'The network map could not be computed; see the AKS Network Lens output.' }, force);
    }
  }

  /** Posts unless the webview already shows exactly this (no redraw, no flicker). */
  private async post(message: MapToWebview, force: boolean): Promise<void> {
    const text = JSON.stringify(message);
    if (!force && text === this.lastPosted) return;
    if (await this.panel.webview.postMessage(message)) this.lastPosted = text;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.output.warn(`Network map: ignored a malformed message from the webview (${typeof raw === 'object' && raw ? String((raw as { type?: unknown }).type) : typeof raw}).`);
      return;
    }
    switch (message.type) {
      case 'ready':
        // A new webview document (first show, or shown again after being hidden): it has only its saved state.
        this.lastPosted = undefined;
        // Its saved view, unless the extension has just shown another one (its answer to that is on the way).
        this.view = this.shownByExtension ?? message.view;
        await this.refresh(true);
        return;
      case 'reveal':
        await this.reveal(message.uri, message.range);
        return;
      case 'exportSvg':
        await this.save(Buffer.from(message.svg, 'utf8'), 'svg', 'SVG image');
        return;
      case 'exportPng':
        await this.save(Buffer.from(message.base64, 'base64'), 'png', 'PNG image');
        return;
      case 'filter':
        this.focus = message.text;
        await this.refresh(true);
        return;
      case 'view':
        this.shownByExtension = undefined;
        if (message.view === this.view) return;
        this.view = message.view;
        await this.refresh(true);
        return;
      case 'environment':
        this.environment = message.environment;
        await this.refresh(true);
        return;
      case 'compare':
        if (message.revision && !vscode.workspace.isTrusted) {
          await this.post({ type: 'status', text: 'Comparing with HEAD runs git: trust the workspace first.' }, true);
          return;
        }
        this.compare = message.revision;
        await this.refresh(true);
        return;
      case 'dismissPlan':
        this.showPlan(undefined);
        return;
    }
  }

  /** Opens the file and selects the range, only for files inside the workspace folders. */
  private async reveal(uriText: string, range: { start: LspPosition; end: LspPosition }): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(uriText, true);
    } catch {
      this.output.warn(`Network map: not a URI: ${uriText}`);
      return;
    }
    if (!isInsideFolders(uri.toString(), folders)) {
      this.output.warn(`Network map: not revealing ${uri.toString()}: it is outside the workspace folders.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const wanted = document.validateRange(
      new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
    );
    // A one-line range (a CIDR) is selected; a whole resource only gets the cursor at its start.
    const selection = wanted.isSingleLine ? new vscode.Selection(wanted.start, wanted.end) : new vscode.Selection(wanted.start, wanted.start);
    const column = this.editorColumn && this.editorColumn !== this.panel.viewColumn ? this.editorColumn : vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection, preserveFocus: false });
    editor.revealRange(wanted, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(content: Uint8Array, extension: string, label: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export the network map as ${label === 'SVG image' ? 'SVG' : 'PNG'}`,
      filters: { [label]: [extension] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `network-map.${extension}`) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, content);
    void vscode.window.showInformationMessage(`AKS Network Lens: network map saved to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private dispose(): void {
    NetworkMapPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

let registered: { extensionUri: vscode.Uri; getClient: () => LanguageClient | undefined; output: vscode.LogOutputChannel } | undefined;

/** Shows a proposed plan in the network map (opened beside when it is not), or takes it away (undefined). */
export function showPlanInMap(plan: MapPlan | undefined): void {
  if (plan && registered && !NetworkMapPanel.current) NetworkMapPanel.show(registered.extensionUri, registered.getClient, registered.output);
  NetworkMapPanel.current?.showPlan(plan);
}

/** Registers the Show Network Map and Compare Policies with HEAD commands, and brings the map back after a window reload. */
export function registerNetworkMap(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
  registered = { extensionUri: context.extensionUri, getClient, output };
  context.subscriptions.push(
    vscode.commands.registerCommand('aksNetworkLens.showNetworkMap', () => NetworkMapPanel.show(context.extensionUri, getClient, output)),
    vscode.commands.registerCommand('aksNetworkLens.comparePoliciesWithHead', () => NetworkMapPanel.compareWithHead(context.extensionUri, getClient, output)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => NetworkMapPanel.revive(panel, context.extensionUri, getClient, output),
    }),
  );
}
