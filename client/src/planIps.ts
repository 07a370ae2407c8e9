// The "Plan IPs" command: asks the few inputs (prefilled from the cluster in the active file), draws the
// plan in the network map, and applies it as one undoable edit (or records it in .aksnetlens.yaml).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PlanMode } from '../../server/src/planner/planner';
import type { PlanDefaults, PlanPrefill, PlanResponse } from '../../server/src/service/planIps';
import { PLAN_PREFILL_REQUEST, PLAN_REQUEST } from '../../server/src/service/planRequests';
import { showPlanInMap } from './networkMap';

/** The network modes offered; their numbers (the /24 per node, kubenet's retirement and route limit) come from the server. */
function modes(defaults: PlanDefaults): { mode: PlanMode; label: string; detail: string }[] {
  return [
    { mode: 'overlay', label: 'Azure CNI Overlay', detail: `Nodes in the VNet, pods from a private /${defaults.podCidrPerNodePrefix} per node (recommended)` },
    { mode: 'azure-cni', label: 'Azure CNI (node subnet)', detail: 'Every pod takes a VNet address in the node subnet' },
    { mode: 'azure-cni-pod-subnet', label: 'Azure CNI with a pod subnet', detail: 'Nodes and pods in separate VNet subnets' },
    { mode: 'kubenet', label: 'kubenet', detail: `Retires ${defaults.kubenet.retires}; up to ${defaults.kubenet.routeLimit} nodes` },
  ];
}

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

/** The file or untitled document of the last text editor the user was in (see trackLastDocument). */
let lastDocument: vscode.Uri | undefined;

/**
 * Follows the text editor the user was last in, so that Plan IPs run while another editor is active (the
 * walkthrough's button, the network map) plans the cluster of the file the user came from.
 */
export function trackLastDocument(): vscode.Disposable {
  const remember = (editor: vscode.TextEditor | undefined): void => {
    const uri = editor?.document.uri;
    if (uri && (uri.scheme === 'file' || uri.scheme === 'untitled')) lastDocument = uri;
  };
  remember(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(remember),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.toString() === lastDocument?.toString()) lastDocument = undefined;
    }),
  );
}

export async function planIpsCommand(client: LanguageClient): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri ?? lastDocument;
  const uri = active?.toString();
  // Where the plan is recorded when the workspace has no values to change: the active file's workspace folder.
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  const settingsUri = folder ? vscode.Uri.joinPath(folder.uri, '.aksnetlens.yaml') : undefined;
  const prefill = await client.sendRequest<PlanPrefill>(PLAN_PREFILL_REQUEST, { uri });
  const picked = await vscode.window.showQuickPick(
    modes(prefill.defaults).map((m) => ({ ...m, description: m.mode === prefill.mode ? '(this cluster)' : '' })).sort((a, b) =>
      a.mode === prefill.mode ? -1 : b.mode === prefill.mode ? 1 : 0,
    ),
    { title: `Plan IPs${prefill.clusterName ? ` for ${prefill.clusterName}` : ''}: network mode`, ignoreFocusOut: true },
  );
  if (!picked) return;
  let dualStack = false;
  if (picked.mode === 'overlay') {
    const families = [
      { label: 'IPv4', detail: 'Single-stack', dualStack: false },
      { label: 'Dual-stack (IPv4 + IPv6)', detail: `A /${prefill.defaults.ipv6SubnetPrefix} per subnet, IPv6 pod and service CIDRs`, dualStack: true },
    ].sort((a, b) => Number(b.dualStack === !!prefill.dualStack) - Number(a.dualStack === !!prefill.dualStack));
    const family = await vscode.window.showQuickPick(families, { title: 'Plan IPs: IP families', ignoreFocusOut: true });
    if (!family) return;
    dualStack = family.dualStack;
  }
  const nodes = await askNumber('Plan IPs: nodes at full scale (sum of autoscaler maxima)', prefill.nodes ?? 3, 1, 5000);
  if (nodes === undefined) return;
  // AKS's default for the mode and the range it accepts come from the server (facts.ts); none where the docs disagree.
  const { maxPods: defaultMaxPods, maxPodsRange } = prefill.defaults;
  const maxPods = await askNumber('Plan IPs: maximum pods per node', prefill.maxPods ?? defaultMaxPods[picked.mode], maxPodsRange.min, maxPodsRange.max);
  if (maxPods === undefined) return;
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'AKS Network Lens: planning IPs' },
    () =>
      client.sendRequest<PlanResponse>(PLAN_REQUEST, {
        uri,
        mode: picked.mode,
        nodes,
        maxPods,
        ...(prefill.surge !== undefined ? { surge: prefill.surge } : {}),
        ...(prefill.within ? { within: prefill.within } : {}),
        ...(dualStack ? { dualStack } : {}),
        ...(settingsUri ? { settingsUri: settingsUri.toString() } : {}),
      }),
  );
  if (!plan.ok) {
    void vscode.window.showErrorMessage(`AKS Network Lens: no plan fits: ${plan.error}.`);
    return;
  }
  // The plan is drawn to scale above the workspace in the network map, until it is applied or closed.
  showPlanInMap(plan.preview);
  const changes = plan.changes ?? 0;
  if (changes === 0) {
    if (plan.settingsEdit) await recordPlan(plan.settingsEdit);
    else if (plan.settingsError) void vscode.window.showWarningMessage(`AKS Network Lens: the plan is drawn in the network map but was not recorded: ${plan.settingsError}.`);
    else void vscode.window.showInformationMessage('AKS Network Lens: the plan is drawn in the network map; this workspace has no values for it to change.');
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `Apply this IP plan (drawn in the network map) to ${changes} value${changes === 1 ? '' : 's'}? (one edit, undoable)`,
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
  else showPlanInMap(undefined);
}

/** Offers to record the plan in .aksnetlens.yaml (created or updated in one undoable edit), then shows the file. */
async function recordPlan(settings: { uri: string; create: boolean; text: string }): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    'This workspace has no values for the plan to change. Record it in .aksnetlens.yaml? Its ranges are then reserved for later plans and quick fixes.',
    'Record',
    'Cancel',
  );
  if (choice !== 'Record') return;
  const target = vscode.Uri.parse(settings.uri);
  const edit = new vscode.WorkspaceEdit();
  if (settings.create) {
    edit.createFile(target, { ignoreIfExists: false, contents: new TextEncoder().encode(settings.text) });
  } else {
    const document = await vscode.workspace.openTextDocument(target);
    edit.replace(target, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), settings.text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('AKS Network Lens: .aksnetlens.yaml could not be written (it changed meanwhile?).');
    return;
  }
  showPlanInMap(undefined);
  await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.One });
}
