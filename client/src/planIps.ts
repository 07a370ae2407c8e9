// The "Plan IPs" command: asks the few inputs (prefilled from the cluster in the active file), shows the
// plan, and applies it as one undoable edit.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

type PlanMode = 'kubenet' | 'azure-cni' | 'azure-cni-pod-subnet' | 'overlay';

interface PlanPrefill {
  clusterName?: string;
  mode?: PlanMode;
  nodes?: number;
  maxPods?: number;
  surge?: number;
  within?: string;
}

interface PlanResponse {
  ok: boolean;
  error?: string;
  markdown?: string;
  edit?: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };
  changes?: number;
}

const MODES: { mode: PlanMode; label: string; detail: string }[] = [
  { mode: 'overlay', label: 'Azure CNI Overlay', detail: 'Nodes in the VNet, pods from a private /24 per node (recommended)' },
  { mode: 'azure-cni', label: 'Azure CNI (node subnet)', detail: 'Every pod takes a VNet address in the node subnet' },
  { mode: 'azure-cni-pod-subnet', label: 'Azure CNI with a pod subnet', detail: 'Nodes and pods in separate VNet subnets' },
  { mode: 'kubenet', label: 'kubenet', detail: 'Retires 2028-03-31; up to 400 nodes' },
];

async function askNumber(title: string, value: number | undefined, min: number, max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    value: value === undefined ? '' : String(value),
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!/^\d+$/.test(text.trim())) return 'Enter a whole number.';
      const n = Number(text);
      return n < min || n > max ? `Enter a number from ${min} to ${max}.` : undefined;
    },
  });
  return answer === undefined ? undefined : Number(answer);
}

/** The latest plan, served read-only (no "save?" prompt when closed) to the Markdown preview. */
const PLAN_SCHEME = 'aks-network-lens-plan';
const PLAN_URI = vscode.Uri.parse(`${PLAN_SCHEME}:/IP plan.md`);
const planChanged = new vscode.EventEmitter<vscode.Uri>();
let planText = '';
let providerRegistered = false;

async function showPlan(markdown: string): Promise<void> {
  planText = markdown;
  if (!providerRegistered) {
    providerRegistered = true;
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, { onDidChange: planChanged.event, provideTextDocumentContent: () => planText });
  }
  planChanged.fire(PLAN_URI);
  // A read-only document: Markdown tables read well as text, and closing it asks nothing.
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(PLAN_URI), { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

export async function planIpsCommand(client: LanguageClient): Promise<void> {
  const uri = vscode.window.activeTextEditor?.document.uri.toString();
  const prefill = await client.sendRequest<PlanPrefill>('aksNetworkLens/planPrefill', { uri });
  const picked = await vscode.window.showQuickPick(
    MODES.map((m) => ({ ...m, description: m.mode === prefill.mode ? '(this cluster)' : '' })).sort((a, b) =>
      a.mode === prefill.mode ? -1 : b.mode === prefill.mode ? 1 : 0,
    ),
    { title: `Plan IPs${prefill.clusterName ? ` for ${prefill.clusterName}` : ''}: network mode`, ignoreFocusOut: true },
  );
  if (!picked) return;
  const nodes = await askNumber('Plan IPs: nodes at full scale (sum of autoscaler maxima)', prefill.nodes ?? 3, 1, 5000);
  if (nodes === undefined) return;
  const maxPods = await askNumber('Plan IPs: maximum pods per node', prefill.maxPods ?? (picked.mode === 'azure-cni' ? 30 : 110), 10, 250);
  if (maxPods === undefined) return;
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'AKS Network Lens: planning IPs' },
    () =>
      client.sendRequest<PlanResponse>('aksNetworkLens/plan', {
        uri,
        mode: picked.mode,
        nodes,
        maxPods,
        ...(prefill.surge !== undefined ? { surge: prefill.surge } : {}),
        ...(prefill.within ? { within: prefill.within } : {}),
      }),
  );
  if (!plan.ok) {
    void vscode.window.showErrorMessage(`AKS Network Lens: no plan fits: ${plan.error}.`);
    return;
  }
  await showPlan(plan.markdown ?? '');
  const changes = plan.changes ?? 0;
  if (changes === 0) {
    void vscode.window.showInformationMessage('AKS Network Lens: the plan is shown beside; this workspace has no values for it to change.');
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `Apply this IP plan to ${changes} value${changes === 1 ? '' : 's'}? (one edit, undoable)`,
    'Apply',
    'Cancel',
  );
  if (choice !== 'Apply') return;
  const edit = new vscode.WorkspaceEdit();
  for (const [target, edits] of Object.entries(plan.edit?.changes ?? {})) {
    for (const e of edits) {
      edit.replace(
        vscode.Uri.parse(target),
        new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
        e.newText,
      );
    }
  }
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) void vscode.window.showErrorMessage('AKS Network Lens: the plan could not be applied (a file changed meanwhile?).');
}
