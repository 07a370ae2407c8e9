// The NetworkPolicy graph of the network map: the flow engine's allowed flows as nodes (workloads grouped by
// namespace, External IPv4 pieces, the ingress controller) and edges labelled with ports, which nodes the
// policies isolate (default deny), and where each is written. Laid out here with ELK's layered algorithm
// (elkjs), so the webview only draws. Compared with another version (Compare Policies with HEAD), each flow carries
// how it changed (flowChanges.ts) and the flows only that version allowed are drawn too, as removed.
import type { FlowsVersion } from '../flows/diff';
import { analyzeFlows, INGRESS_CONTROLLER } from '../flows/engine';
import { createExplainer, type FlowExplainer } from '../flows/explain';
import { describeReason, reasonSource } from '../flows/explainFormat';
import { PolicyCompiler } from '../flows/policies';
import { buildTopology, peerName } from '../flows/topology';
import type { KubernetesNetworkPolicy, NetworkModel, Workload } from '../model/network';
import { namespaceOf } from '../model/queries';
import type { Source } from '../model/source';
import { edgeGeometry, type ElkNode, labelWidth, layoutLeftToRight } from './elkLayout';
import { compareFlows, type DrawnFlow } from './flowChanges';
import type { MapAllowingRule, MapGraphEdge, MapGraphGroup, MapGraphNode, MapPolicyGraph, MapSource } from './networkMapData';

/** More edges than this are not drawn: the graph would not be legible. */
export const MAX_DRAWN_EDGES = 200;
const CHAR_WIDTH = 7;
const NODE_HEIGHT = 46;

interface PeerFacts {
  readonly workload: Workload | undefined;
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly ingressPolicies: KubernetesNetworkPolicy[];
  readonly egressPolicies: KubernetesNetworkPolicy[];
}

/** What the policies say about each peer: which select it for ingress and egress, and its first workload. */
function peerFacts(model: NetworkModel): Map<string, PeerFacts> {
  const quiet = () => {};
  const topology = buildTopology(model, quiet);
  const compiled = new PolicyCompiler(topology, quiet).compile(model.policies);
  const facts = new Map<string, PeerFacts>();
  const workloads = new Map<string, Workload>();
  for (const workload of model.workloads) {
    if (workload.namespaceUnknown) continue;
    const name = peerName(workload, namespaceOf(workload));
    if (!workloads.has(name)) workloads.set(name, workload);
  }
  topology.peers.forEach((peer) => {
    const selecting = compiled.filter((policy) => peer.instances.some((instance) => policy.selects.includes(instance)));
    const ingressPolicies = selecting.filter((policy) => policy.ingress !== undefined).map((policy) => policy.policy);
    const egressPolicies = selecting.filter((policy) => policy.egress !== undefined).map((policy) => policy.policy);
    facts.set(peer.name, {
      workload: workloads.get(peer.name),
      ingressIsolated: ingressPolicies.length > 0,
      egressIsolated: egressPolicies.length > 0,
      ingressPolicies,
      egressPolicies,
    });
  });
  return facts;
}

/** The peer a collapsed namespace is drawn as. */
const NAMESPACE_PEER = (namespace: string) => `{namespace ${namespace}}`;
const COLLAPSED = /^\{namespace (.*)\}$/;

/** "shop/web[Deployment]" -> namespace shop, label "web [Deployment]"; External and the ingress controller as such. */
function describePeer(peer: string): { kind: MapGraphNode['kind']; label: string; namespace?: string } {
  if (peer === INGRESS_CONTROLLER) return { kind: 'ingress-controller', label: 'ingress controller' };
  const collapsed = COLLAPSED.exec(peer);
  if (collapsed) return { kind: 'namespace', label: `namespace ${collapsed[1]}` };
  const external = /^(.*)\[External\]$/.exec(peer);
  if (external) return { kind: 'external', label: `outside: ${external[1]}` };
  const workload = /^([^/]+)\/(.*)\[([^\]]*)\]$/.exec(peer);
  if (workload) return { kind: 'workload', namespace: workload[1]!, label: `${workload[2]} [${workload[3]}]` };
  return { kind: 'workload', label: peer };
}

/** What the graph draws: the flows between drawn peers, the facts of each, and what was left out or merged. */
interface Drawing {
  readonly flows: DrawnFlow[];
  /** Namespaces merged into one node each: an edge stands for several flows. */
  readonly collapsed?: boolean;
  readonly facts: Map<string, PeerFacts>;
  readonly note?: string;
}

/** Only the flows to or from workloads whose name contains the text, and those workloads. */
function focusOn(flows: readonly DrawnFlow[], facts: ReadonlyMap<string, PeerFacts>, focus: string): Drawing {
  const wanted = focus.toLowerCase();
  const matches = (peer: string) => !/\[External\]$/.test(peer) && peer !== INGRESS_CONTROLLER && peer.toLowerCase().includes(wanted);
  const kept = flows.filter((flow) => matches(flow.src) || matches(flow.dst));
  const shown = new Map([...facts].filter(([peer]) => matches(peer) || kept.some((flow) => flow.src === peer || flow.dst === peer)));
  const count = [...shown.keys()].filter(matches).length;
  return { flows: kept, facts: shown, note: `Filtered to ${count} workload(s) matching "${focus}": ${kept.length} of ${flows.length} allowed flows.` };
}

/** Each namespace as one node: flows between namespaces merged, labelled with their ports when they agree. */
function collapseNamespaces(flows: readonly DrawnFlow[], facts: ReadonlyMap<string, PeerFacts>): Drawing {
  const peerNamespace = (peer: string) => /^([^/]+)\/.*\[[^\]]*\]$/.exec(peer)?.[1];
  const collapse = (peer: string) => {
    const namespace = /\[External\]$/.test(peer) || peer === INGRESS_CONTROLLER ? undefined : peerNamespace(peer);
    return namespace === undefined ? peer : NAMESPACE_PEER(namespace);
  };
  const merged = new Map<string, { src: string; dst: string; conns: Set<string>; count: number; changes: Set<DrawnFlow['change']> }>();
  for (const flow of flows) {
    const src = collapse(flow.src);
    const dst = collapse(flow.dst);
    if (src === dst) continue;
    const key = `${src}\u0000${dst}`;
    const entry = merged.get(key) ?? { src, dst, conns: new Set<string>(), count: 0, changes: new Set<DrawnFlow['change']>() };
    entry.conns.add(flow.conn);
    entry.changes.add(flow.change);
    entry.count += 1;
    merged.set(key, entry);
  }
  const grouped = new Map<string, PeerFacts[]>();
  for (const [peer, peerFacts] of facts) grouped.set(collapse(peer), [...(grouped.get(collapse(peer)) ?? []), peerFacts]);
  const collapsedFacts = new Map<string, PeerFacts>();
  for (const [peer, members] of grouped) {
    collapsedFacts.set(peer, {
      workload: members.length === 1 ? members[0]!.workload : undefined,
      ingressIsolated: members.every((m) => m.ingressIsolated),
      egressIsolated: members.every((m) => m.egressIsolated),
      ingressPolicies: [...new Set(members.flatMap((m) => m.ingressPolicies))],
      egressPolicies: [...new Set(members.flatMap((m) => m.egressPolicies))],
    });
  }
  // A merged edge keeps its members' change when they agree; members that changed differently make it changed.
  const drawn = [...merged.values()].map(({ src, dst, conns, count, changes }): DrawnFlow => {
    const change = changes.size === 1 ? [...changes][0] : 'changed';
    return { src, dst, conn: conns.size === 1 ? [...conns][0]! : `${count} flows`, ...(change ? { change } : {}) };
  });
  return {
    flows: drawn,
    collapsed: true,
    facts: collapsedFacts,
    note: `${flows.length} allowed flows between ${facts.size} workloads: namespaces collapsed into one node each (a bar: every workload of the namespace is isolated). Filter by a workload to see its own flows.`,
  };
}

/**
 * The rules that allow a flow, as explain (flows/explain.ts) names them: per direction, the rules whose effect is
 * allow for some allowed port ("[NP] shop/db-from-api // Ingress rule #1"). A direction nothing restricts (no policy
 * selects the pod, or the peer is outside the cluster) names none.
 */
function allowingRules(explainer: FlowExplainer, src: string, dst: string, sourceOf: (source: Source | undefined) => MapSource | undefined): MapAllowingRule[] {
  const explanation = explainer.explain(src, dst);
  if (!explanation) return [];
  const rules = new Map<string, MapAllowingRule>();
  for (const group of explanation.groups) {
    if (!group.allowed) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      for (const reason of group[direction].reasons) {
        if (reason.kind !== 'rule' || reason.effect !== 'allow') continue;
        const text = describeReason(reason, direction);
        if (rules.has(text)) continue;
        const source = sourceOf(reasonSource(reason));
        rules.set(text, { direction, text, ...(source ? { source } : {}) });
      }
    }
  }
  // Ingress rules first: the destination's policies are what a reader of the arrow looks for.
  return [...rules.values()].sort((a, b) => Number(a.direction === 'egress') - Number(b.direction === 'egress'));
}

/**
 * The policy graph of the model, or undefined when it has no workloads (nor has `base`). `focus` keeps the workloads
 * whose name contains it; `base`, another version's flows, colours the graph by change against it.
 */
export async function policyGraph(
  model: NetworkModel,
  sourceOf: (source: Source | undefined) => MapSource | undefined,
  focus?: string,
  base?: FlowsVersion,
): Promise<MapPolicyGraph | undefined> {
  if (model.workloads.length === 0 && !base?.workloads.length) return undefined;
  const analysis = analyzeFlows(model);
  const { warnings } = analysis;
  const compared = base ? compareFlows(base, analysis) : undefined;
  let drawing: Drawing = { flows: compared?.flows ?? analysis.flows, facts: peerFacts(model) };
  if (focus) drawing = focusOn(drawing.flows, drawing.facts, focus);
  if (drawing.flows.length > MAX_DRAWN_EDGES) {
    const collapsed = collapseNamespaces(drawing.flows, drawing.facts);
    drawing = { ...collapsed, note: [drawing.note, collapsed.note].filter(Boolean).join(' ') };
  }
  const { flows, facts } = drawing;
  // The rules behind each drawn flow, when flows are drawn one by one (not merged into namespaces) and few enough.
  const explainer = flows.length <= MAX_DRAWN_EDGES && !drawing.collapsed ? createExplainer(model) : undefined;
  // Node keys: the peer, and for the outside space its side, so traffic reads left to right: the outside
  // as a source on the left, as a destination on the right.
  const ids = new Map<string, string>();
  const keyOf = (peer: string, side: 'from' | 'to') => (/\[External\]$/.test(peer) ? `${side}:${peer}` : peer);
  const idOf = (key: string) => {
    let id = ids.get(key);
    if (!id) ids.set(key, (id = `n${ids.size}`));
    return id;
  };
  // Every workload is a node, even one that nothing may reach (default deny shows that way).
  for (const peer of facts.keys()) idOf(peer);
  for (const flow of flows) {
    idOf(keyOf(flow.src, 'from'));
    idOf(keyOf(flow.dst, 'to'));
  }
  const changes = compared ? { changes: { added: compared.added, removed: compared.removed, changed: compared.changed } } : {};
  const empty = { width: 0, height: 0, groups: [], nodes: [], edges: [], policies: model.policies.length, warnings, ...(drawing.note ? { note: drawing.note } : {}), ...(focus ? { focus } : {}), ...changes };
  if (flows.length > MAX_DRAWN_EDGES) {
    return { ...empty, omitted: `${flows.length} flows between ${ids.size} peers even with namespaces collapsed: too many to draw legibly (at most ${MAX_DRAWN_EDGES}). Filter by a workload, or run \`netlens flows\` for the list.` };
  }

  const nodes = [...ids].map(([key, id]) => {
    const peer = key.replace(/^(from|to):/, '');
    const described = describePeer(peer);
    const width = Math.max(150, Math.max(described.label.length, 16) * CHAR_WIDTH + 28);
    return { peer, id, ...described, width, height: NODE_HEIGHT };
  });
  const namespaces = [...new Set(nodes.flatMap((node) => (node.namespace ? [node.namespace] : [])))].sort();
  const elkNode = (node: (typeof nodes)[number]): ElkNode => ({ id: node.id, width: node.width, height: node.height });
  const laid = await layoutLeftToRight(
    [
      ...namespaces.map((namespace) => ({
        id: `ns:${namespace}`,
        layoutOptions: { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' },
        children: nodes.filter((node) => node.namespace === namespace).map(elkNode),
      })),
      ...nodes.filter((node) => !node.namespace).map(elkNode),
    ],
    flows.map((flow, i) => ({
      id: `e${i}`,
      sources: [idOf(keyOf(flow.src, 'from'))],
      targets: [idOf(keyOf(flow.dst, 'to'))],
      labels: [{ text: flow.conn, width: labelWidth(flow.conn), height: 16 }],
    })),
  );

  const placed = new Map<string, ElkNode>();
  const groups: MapGraphGroup[] = [];
  for (const child of laid.children ?? []) {
    if (child.id.startsWith('ns:')) {
      groups.push({ namespace: child.id.slice(3), x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      for (const grandchild of child.children ?? []) placed.set(grandchild.id, grandchild);
    } else {
      placed.set(child.id, child);
    }
  }
  /** The policy to show for an edge: one with rules of that direction before a default deny. */
  const firstSource = (policies: readonly KubernetesNetworkPolicy[], direction: 'ingress' | 'egress') =>
    sourceOf(([...policies].sort((a, b) => Number(b[direction].length > 0) - Number(a[direction].length > 0))[0])?.source);
  const mapNodes: MapGraphNode[] = nodes.map((node) => {
    const at = placed.get(node.id);
    const peer = facts.get(node.peer);
    const policies = [...new Set([...(peer?.ingressPolicies ?? []), ...(peer?.egressPolicies ?? [])].map((p) => `${namespaceOf(p)}/${p.name}`))];
    const source = sourceOf(peer?.workload?.source);
    const change = compared?.addedWorkloads.has(node.peer) ? 'added' : compared?.removedWorkloads.has(node.peer) ? 'removed' : undefined;
    return {
      id: node.id,
      kind: node.kind,
      peer: node.peer,
      label: node.label,
      ...(node.namespace ? { namespace: node.namespace } : {}),
      x: at?.x ?? 0,
      y: at?.y ?? 0,
      width: node.width,
      height: node.height,
      ingressIsolated: peer?.ingressIsolated ?? false,
      egressIsolated: peer?.egressIsolated ?? false,
      policies,
      ...(source ? { source } : {}),
      ...(change ? { change } : {}),
    };
  });
  const edges: MapGraphEdge[] = (laid.edges ?? []).map((edge, i) => {
    const flow = flows[i]!;
    const { points, label } = edgeGeometry(edge);
    const allowedBy = explainer && flow.change !== 'removed' ? allowingRules(explainer, flow.src, flow.dst, sourceOf) : [];
    // A removed flow has no policy that allows it now.
    const source =
      flow.change === 'removed'
        ? undefined
        : (firstSource(facts.get(flow.dst)?.ingressPolicies ?? [], 'ingress') ?? firstSource(facts.get(flow.src)?.egressPolicies ?? [], 'egress'));
    return {
      id: edge.id,
      from: idOf(keyOf(flow.src, 'from')),
      to: idOf(keyOf(flow.dst, 'to')),
      ports: flow.conn,
      points,
      ...(label ? { label } : {}),
      ...(source ? { source } : {}),
      ...(flow.change ? { change: flow.change } : {}),
      ...(flow.before !== undefined ? { before: flow.before } : {}),
      ...(allowedBy.length > 0 ? { allowedBy } : {}),
    };
  });
  return { ...empty, width: laid.width ?? 0, height: laid.height ?? 0, groups, nodes: mapNodes, edges };
}
