// The status bar item: "Indexing 12/40" while the server's initial scan reads the workspace
// (aksNetworkLens/indexing), then the workspace's AKS Network Lens findings by severity, counted from the
// diagnostics the server published. A click opens the Problems panel.
import * as vscode from 'vscode';
import { type LanguageClient, State } from 'vscode-languageclient/node';
import { INDEXING_NOTIFICATION, type IndexingStatus } from '../../server/src/service/indexingStatus';
import { statusText } from './statusText';

/** What the server writes as every diagnostic's source (service/diagnostics.ts). */
export const DIAGNOSTIC_SOURCE = 'aks-network-lens';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private scan: IndexingStatus | 'starting' | 'stopped' = 'starting';

  constructor() {
    this.item = vscode.window.createStatusBarItem('aksNetworkLens.status', vscode.StatusBarAlignment.Left, -100);
    this.item.name = 'AKS Network Lens';
    this.item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems' };
    this.disposables.push(this.item, vscode.languages.onDidChangeDiagnostics(() => this.update()));
    this.update();
    this.item.show();
  }

  /** No server will run (a broken installation). */
  stopped(): void {
    this.scan = 'stopped';
    this.update();
  }

  /** Follows a (re)started client's scan notifications. */
  attach(client: LanguageClient): void {
    this.disposables.push(
      client.onNotification(INDEXING_NOTIFICATION, (status: IndexingStatus) => {
        this.scan = status;
        this.update();
      }),
      client.onDidChangeState((event) => {
        // A restart scans again.
        if (event.newState === State.Stopped) this.scan = 'stopped';
        else if (event.newState === State.Starting) this.scan = 'starting';
        this.update();
      }),
    );
  }

  private update(): void {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
        if (diagnostic.severity === vscode.DiagnosticSeverity.Error) counts.error++;
        else if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
        else counts.info++;
      }
    }
    const shown = statusText(this.scan, counts);
    this.item.text = shown.text;
    this.item.tooltip = shown.tooltip;
    this.item.accessibilityInformation = { label: shown.label, role: 'button' };
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
