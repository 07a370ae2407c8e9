// "Plan IPs" for the cluster of a file: inputs prefilled from the model, a plan, and the edits that apply it
// to the values where they are written (param defaults, literals), across files.
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { type Cidr, containsCidr, formatCidr, formatCount, parseCidr, sameCidr } from '../cidr/cidr';
import { clusterNodes, effectiveMaxPods, totals } from '../capacity/ipDemand';
import { networkModeOf } from '../capacity/networkMode';
import { AKS_DUAL_STACK, KUBENET_ROUTE_LIMIT, MAX_PODS_DEFAULTS, MAX_PODS_RANGE, NETWORK_RETIREMENTS, POD_CIDR_PER_NODE_PREFIX } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import { type Known, knownValues } from '../model/source';
import { nodeSubnetsOf, poolsOf, subnetPrefixes, vnetsOf } from '../model/topology';
import { usedRanges } from '../planner/freeSpace';
import { type Plan, type PlanInput, type PlanMode, planAddresses } from '../planner/planner';
import { literal } from '../rules/fixes';
import type { MapPlan, MapPlanRow } from './networkMapData';
import { withPlanRecorded } from './planFile';
import { planPreview } from './planPreview';
import { rangeOf } from './diagnostics';
import type { Workspace } from './workspace';

/** What the palette command asks, with defaults taken from the cluster when there is one. */
export interface PlanPrefill {
  readonly clusterName?: string;
  readonly mode?: PlanMode;
  readonly nodes?: number;
  readonly maxPods?: number;
  readonly surge?: number;
  /** The cluster's VNet address space, planned within. */
  readonly within?: string;
  /** The cluster has IPv6 pod or service ranges. */
  readonly dualStack?: boolean;
  /** AKS's numbers the palette offers and checks against (facts.ts), so the client writes none of its own. */
  readonly defaults: PlanDefaults;
}

/**
 * maxPods per network mode where the docs agree on one (none for a pod subnet: 110 vs 250), and its range; and the
 * numbers the palette's mode and family choices mention.
 */
export interface PlanDefaults {
  readonly maxPods: Partial<Record<PlanMode, number>>;
  readonly maxPodsRange: { readonly min: number; readonly max: number };
  readonly kubenet: { readonly retires: string; readonly routeLimit: number };
  /** The pod CIDR block each node takes (kubenet, overlay): a /24. */
  readonly podCidrPerNodePrefix: number;
  /** The prefix of every IPv6 subnet in a dual-stack plan: a /64. */
  readonly ipv6SubnetPrefix: number;
}

/** The planning defaults from facts.ts. */
export function planDefaults(): PlanDefaults {
  const { min, max } = MAX_PODS_RANGE.value;
  return {
    maxPods: { ...MAX_PODS_DEFAULTS.value },
    maxPodsRange: { min, max },
    kubenet: { retires: NETWORK_RETIREMENTS.value.kubenet, routeLimit: KUBENET_ROUTE_LIMIT.value },
    podCidrPerNodePrefix: POD_CIDR_PER_NODE_PREFIX.value,
    ipv6SubnetPrefix: AKS_DUAL_STACK.value.subnetPrefix,
  };
}

/** The parameters of a plan request, as the client sends them. */
export interface PlanRequest {
  readonly uri?: string;
  readonly mode: PlanMode;
  readonly nodes: number;
  readonly maxPods: number;
  readonly surge?: number;
  /** Room to grow as a factor on nodes; the planner's PLAN_GROWTH_DEFAULT when absent. */
  readonly growth?: number;
  readonly within?: string;
  readonly dualStack?: boolean;
  /** The workspace folder's .aksnetlens.yaml: where the plan is recorded when no value in the workspace can take it. */
  readonly settingsUri?: string;
}

export interface PlanResponse {
  readonly ok: boolean;
  readonly error?: string;
  /** The plan, readable: one line per range with needed/usable addresses and the reasoning. */
  readonly markdown?: string;
  /** The plan drawn to scale, for the network map. */
  readonly preview?: MapPlan;
  /** Edits that write the plan into the files; empty when the workspace holds no values to change. */
  readonly edit?: WorkspaceEdit;
  readonly changes?: number;
  /** When there is nothing to change: the whole new text of .aksnetlens.yaml with the plan recorded in it. */
  readonly settingsEdit?: { readonly uri: string; readonly create: boolean; readonly text: string };
  /** Why the plan could not be recorded there (e.g. the file does not parse). */
  readonly settingsError?: string;
}

/** The cluster a file is about: one declared in it, else the workspace's only cluster. */
function clusterFor(model: NetworkModel, uri: string | undefined): Cluster | undefined {
  // A parameters file plans its environment's deployment of the template: its values are the ones edited.
  const environment = model.clusters.filter((cluster) => cluster.environment !== undefined && cluster.environment === uri);
  if (environment.length > 0) return environment[0];
  const here = model.clusters.filter((cluster) => cluster.source.uri === uri);
  if (here.length > 0) return here[0];
  return model.clusters.length === 1 ? model.clusters[0] : undefined;
}

export function planPrefill(workspace: Workspace, uri: string | undefined): PlanPrefill {
  const model = workspace.analyze().model;
  const cluster = clusterFor(model, uri);
  const defaults = planDefaults();
  if (!cluster) return { defaults };
  const mode = networkModeOf(model, cluster);
  const planMode = mode && mode !== 'byo-cni' ? mode : undefined;
  const pools = clusterNodes(model, cluster);
  const maxPods = planMode
    ? poolsOf(model, cluster)
        .map((pool) => effectiveMaxPods(pool, planMode)?.value)
        .filter((value): value is number => value !== undefined)
    : [];
  // Plan inside the existing address space: the prefix that holds the node subnet, else the VNet's only one.
  const space = vnetsOf(model, cluster).flatMap((vnet) => knownValues(vnet.addressSpace));
  const nodePrefixes = subnetPrefixes(nodeSubnetsOf(model, cluster)).map((p) => p.prefix.value);
  const home = space.find((range) => nodePrefixes.some((prefix) => containsCidr(range.value, prefix))) ?? (space.length === 1 ? space[0] : undefined);
  const sums = pools ? totals(pools) : undefined;
  return {
    defaults,
    clusterName: cluster.name,
    ...(planMode ? { mode: planMode } : {}),
    ...(sums ? { nodes: sums.nodes, surge: sums.surge } : {}),
    ...(maxPods.length > 0 ? { maxPods: Math.max(...maxPods) } : {}),
    ...(home ? { within: formatCidr(home.value) } : {}),
    ...([...cluster.podCidrs, ...cluster.serviceCidrs].some((v) => v.known && v.value.family === 6) ? { dualStack: true } : {}),
  };
}

/** The ranges of a cluster that a plan replaces (so they are not avoided). */
function ownRanges(model: NetworkModel, cluster: Cluster | undefined): Cidr[] {
  if (!cluster) return [];
  return [
    ...knownValues(cluster.podCidrs).map((v) => v.value),
    ...knownValues(cluster.serviceCidrs).map((v) => v.value),
    ...subnetPrefixes(nodeSubnetsOf(model, cluster)).map((p) => p.prefix.value),
    ...vnetsOf(model, cluster).flatMap((vnet) => knownValues(vnet.addressSpace).map((v) => v.value)),
  ];
}

export function planIps(workspace: Workspace, request: PlanRequest, today = new Date().toISOString().slice(0, 10)): PlanResponse {
  const model = workspace.analyze().model;
  const cluster = clusterFor(model, request.uri);
  const own = ownRanges(model, cluster);
  const avoid = usedRanges(model).filter((range) => !own.some((mine) => sameCidr(mine, range)));
  let within: Cidr | undefined;
  if (request.within) {
    const parsed = parseCidr(request.within);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    within = parsed.cidr;
  }
  const input: PlanInput = {
    mode: request.mode,
    nodes: request.nodes,
    maxPods: request.maxPods,
    ...(request.surge !== undefined ? { surge: request.surge } : {}),
    ...(request.growth !== undefined ? { growth: request.growth } : {}),
    ...(within ? { within } : {}),
    ...(request.dualStack ? { dualStack: true } : {}),
    avoid,
  };
  const result = planAddresses(input);
  if (!result.ok) return { ok: false, error: result.error };
  const edits = cluster ? planEdits(workspace, model, cluster, result.plan) : [];
  const changes: Record<string, TextEdit[]> = {};
  for (const { source, newText } of edits) {
    const document = workspace.document(source.uri);
    if (document) (changes[source.uri] ??= []).push({ range: rangeOf(document, source), newText });
  }
  const markdown = planMarkdown(result.plan, cluster);
  // Planned inside an existing VNet: its other subnets stay, and are drawn with the plan.
  const staying = subnetPrefixes(model.subnets)
    .filter(({ prefix }) => containsCidr(result.plan.vnet.cidr, prefix.value) && !own.some((mine) => sameCidr(mine, prefix.value)))
    .map(({ subnet, prefix }) => ({ name: subnet.name, cidr: prefix.value }));
  const preview = planPreview(result.plan, input, cluster?.name ?? 'a new cluster', planRows(result.plan), staying);
  if (edits.length > 0 || !request.settingsUri) return { ok: true, markdown, preview, edit: { changes }, changes: edits.length };
  // Nothing in the workspace holds these values: offer to record the plan in .aksnetlens.yaml instead.
  const existing = workspace.document(request.settingsUri)?.getText();
  const recorded = withPlanRecorded(existing, result.plan, input, cluster?.name ?? 'new cluster', today);
  if ('error' in recorded) return { ok: true, markdown, preview, edit: { changes }, changes: 0, settingsError: recorded.error };
  return { ok: true, markdown, preview, edit: { changes }, changes: 0, settingsEdit: { uri: request.settingsUri, create: existing === undefined, text: recorded.text } };
}

/** Replaces each known value of the cluster with its planned one, where it is written. */
function planEdits(workspace: Workspace, model: NetworkModel, cluster: Cluster, plan: Plan) {
  const edits: { source: Known<unknown>['source']; newText: string }[] = [];
  const set = (value: Known<unknown> | undefined, text: string, current: string) => {
    if (!value || text === current || !workspace.document(value.source.uri)) return;
    if (edits.some((e) => e.source.uri === value.source.uri && e.source.start === value.source.start)) return;
    edits.push({ source: value.source, newText: literal(value.source.uri, text) });
  };
  const [pod] = knownValues(cluster.podCidrs).filter((v) => v.value.family === 4);
  if (plan.podCidr && pod) set(pod, formatCidr(plan.podCidr.cidr), formatCidr(pod.value));
  const [service] = knownValues(cluster.serviceCidrs).filter((v) => v.value.family === 4);
  if (service) set(service, formatCidr(plan.serviceCidr.cidr), formatCidr(service.value));
  const [pod6] = knownValues(cluster.podCidrs).filter((v) => v.value.family === 6);
  if (plan.ipv6 && pod6) set(pod6, formatCidr(plan.ipv6.podCidr.cidr), formatCidr(pod6.value));
  const [service6] = knownValues(cluster.serviceCidrs).filter((v) => v.value.family === 6);
  if (plan.ipv6 && service6) set(service6, formatCidr(plan.ipv6.serviceCidr.cidr), formatCidr(service6.value));
  if (cluster.dnsServiceIp.known) set(cluster.dnsServiceIp, plan.dnsServiceIp, '');
  const nodes = plan.subnets.find((s) => s.name === 'aks-nodes');
  const [nodeSubnet] = nodeSubnetsOf(model, cluster);
  const [nodePrefix] = nodeSubnet ? knownValues(nodeSubnet.prefixes) : [];
  // A node subnet moves only inside its VNet: the plan was made within it. The VNet's address space is never
  // rewritten, since other subnets (and teams) live in it too.
  const vnetSpace = vnetsOf(model, cluster).flatMap((vnet) => knownValues(vnet.addressSpace).map((v) => v.value));
  if (nodes && nodePrefix && vnetSpace.some((range) => containsCidr(range, nodes.cidr))) {
    set(nodePrefix, formatCidr(nodes.cidr), formatCidr(nodePrefix.value));
  }
  return edits;
}

/** The plan's lines: what each range is, its CIDR, how big, and why (for the map and the Markdown). */
export function planRows(plan: Plan): MapPlanRow[] {
  const row = (what: string, cidr: Cidr, numbers: string, why: string): MapPlanRow => ({ what, cidr: formatCidr(cidr), numbers, why });
  return [
    row('VNet', plan.vnet.cidr, formatCount(plan.vnet.usable), plan.vnet.reason),
    ...plan.subnets.map((s) => row(`subnet ${s.name}`, s.cidr, `${formatCount(BigInt(s.required))} needed of ${formatCount(s.usable)} usable`, s.reason)),
    ...(plan.podCidr ? [row('pod CIDR', plan.podCidr.cidr, `${formatCount(plan.podCidr.usable)} node /${POD_CIDR_PER_NODE_PREFIX.value}s`, plan.podCidr.reason)] : []),
    row('service CIDR', plan.serviceCidr.cidr, formatCount(plan.serviceCidr.usable), plan.serviceCidr.reason),
    { what: 'DNS service IP', cidr: plan.dnsServiceIp, numbers: '', why: 'the .10 of the service CIDR, by convention' },
    ...(plan.ipv6
      ? [
          row('VNet (IPv6)', plan.ipv6.vnet.cidr, '', plan.ipv6.vnet.reason),
          ...plan.ipv6.subnets.map((s) => row(`subnet ${s.name} (IPv6)`, s.cidr, '', s.reason)),
          row('pod CIDR (IPv6)', plan.ipv6.podCidr.cidr, '', plan.ipv6.podCidr.reason),
          row('service CIDR (IPv6)', plan.ipv6.serviceCidr.cidr, '', plan.ipv6.serviceCidr.reason),
        ]
      : []),
  ];
}

/** The plan as Markdown: what each range is, how big, and why. */
export function planMarkdown(plan: Plan, cluster: Cluster | undefined): string {
  return [
    `# IP plan${cluster ? ` for cluster ${cluster.name}` : ''}`,
    '',
    '| Range | CIDR | Addresses | Why |',
    '| --- | --- | --- | --- |',
    ...planRows(plan).map((r) => `| ${r.what} | \`${r.cidr}\` | ${r.numbers} | ${r.why} |`),
    '',
  ].join('\n');
}
