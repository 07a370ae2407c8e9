// Exposure: which workloads pods that do not exist yet could reach, or be reached by, in the manner of np-guard
// netpol-analyzer's exposure analysis (`list --exposure`). Per workload and direction:
// - `entire-cluster`: what any pod of any namespace gets, with whatever labels it will have: everything when no
//   policy isolates the direction, else what rules without peers or with peers that select every pod allow (the
//   engine's side `pods`, after admin policies and Cilium deny rules);
// - `0.0.0.0-255.255.255.255[External]`: what every address outside the cluster gets;
// - one item per rule peer that stands for pods the manifests do not have: every pod of the namespaces it selects
//   (`backend/[all pods]`, `[namespace with {team=a}]/[all pods]`), or a pod selector that matches no pod of the
//   manifests (`ns/[pod with {app=new}]`, `[all namespaces]/[pod with {role=monitoring}]`), with the ports the rule
//   opens, unless entire-cluster already has them all. A peer whose pod selector matches pods of the manifests is
//   reported by the flow list, as netpol-analyzer does. Items come from NetworkPolicies and Cilium allow rules
//   (fromEndpoints / toEndpoints); a workload that admin policies or Cilium deny rules select in that direction gets
//   entire-cluster and External only, with a note, since those could take away what a rule's item shows. Named
//   ports of egress rules resolve on the destination, unknown for a pod that does not exist: left out, with a note.
// Then the workloads no policy isolates, per direction (netpol-analyzer's "not protected" list).
import { CILIUM_NAMESPACES } from '../facts';
import type { LabelSelector } from '../model/network';
import type { Value } from '../model/source';
import type { CiliumOrigin } from './cilium';
import { compileFlows, type CompiledFlows, externalPorts } from './engine';
import { isEmptySelector, selectorMatches } from './labels';
import { type CompiledRule, type Direction, rulePortsFor } from './policies';
import { PortSet } from './ports';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL } from './topology';

/** The exposure target that stands for every pod of every namespace. */
export const ENTIRE_CLUSTER = 'entire-cluster';

/** The exposure target that stands for every address outside the cluster. */
export const EXTERNAL_SPACE = '0.0.0.0-255.255.255.255[External]';

export interface ExposureItem {
  /** The workload (as the flow list names it). */
  readonly peer: string;
  readonly direction: Direction;
  /** `entire-cluster`, or the pods a rule's selectors describe. */
  readonly target: string;
  readonly ports: PortSet;
}

export interface ExposureAnalysis {
  /** Egress items, then ingress items, each sorted by workload and target. */
  readonly items: readonly ExposureItem[];
  /** Workloads no policy isolates, with the direction (egress first, then ingress; by name). */
  readonly unprotected: readonly { readonly peer: string; readonly direction: Direction }[];
  /** What exposure did not evaluate, per workload and direction. */
  readonly notes: readonly string[];
}

const { namespaceKey, namespaceLabelsPrefix } = CILIUM_NAMESPACES.value;

/** A selector as netpol-analyzer writes it: `{app DoesNotExist,env Exists,foo=managed,role NotIn (a,b)}`, sorted. */
export function exposureSelector(selector: LabelSelector): string {
  const parts = [...selector.matchLabels].map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values } of selector.matchExpressions) {
    parts.push(operator === 'Exists' || operator === 'DoesNotExist' ? `${key} ${operator}` : `${key} ${operator} (${[...values].sort().join(',')})`);
  }
  return `{${parts.sort().join(',')}}`;
}

const podPart = (selector: LabelSelector | undefined) => (selector === undefined || isEmptySelector(selector) ? '[all pods]' : `[pod with ${exposureSelector(selector)}]`);

/** A rule peer in the terms of exposure: the namespace (by name) or namespace selector, and the pod selector. */
interface PeerSelectors {
  /** The one namespace, when the peer has none (the policy's) or selects namespaces by name alone. */
  readonly namespace: string | undefined;
  /** Otherwise the namespace selector (empty: every namespace). */
  readonly namespaces: LabelSelector | undefined;
  readonly pods: LabelSelector | undefined;
}

/** `backend/[all pods]`, `[namespace with {team=a}]/[pod with {app=web}]`, `[all namespaces]/[all pods]`. */
function targetOf(peer: PeerSelectors): string {
  const namespaces =
    peer.namespace !== undefined ? peer.namespace : isEmptySelector(peer.namespaces!) ? '[all namespaces]' : `[namespace with ${exposureSelector(peer.namespaces!)}]`;
  return `${namespaces}/${podPart(peer.pods)}`;
}

/** A namespace selector that selects one namespace by its name label alone. */
function byName(selector: LabelSelector): string | undefined {
  return selector.matchExpressions.length === 0 && selector.matchLabels.size === 1 ? selector.matchLabels.get(NAMESPACE_NAME_LABEL) : undefined;
}

/** A NetworkPolicy peer; undefined for ipBlock peers and selectors that cannot be evaluated. */
function networkPolicyPeer(namespace: string, pod: Value<LabelSelector> | undefined, ns: Value<LabelSelector> | undefined): PeerSelectors | undefined {
  if ((pod && !pod.known) || (ns && !ns.known) || (!pod && !ns)) return undefined;
  if (!ns) return { namespace, namespaces: undefined, pods: pod!.value };
  const named = byName(ns.value);
  return named !== undefined ? { namespace: named, namespaces: undefined, pods: pod?.value } : { namespace: undefined, namespaces: ns.value, pods: pod?.value };
}

/** A Cilium key without its source prefix (`k8s:`, `any:`). */
const plainKey = (key: string) => (key.startsWith('k8s:') || key.startsWith('any:') ? key.slice(4) : key);

/** A Cilium endpoint selector: its namespace keys become the namespace part. */
function ciliumPeer(namespace: string | undefined, endpoint: Value<LabelSelector>): PeerSelectors | undefined {
  if (!endpoint.known) return undefined;
  const pod: LabelSelector = { matchLabels: new Map(), matchExpressions: [] };
  const ns: LabelSelector = { matchLabels: new Map(), matchExpressions: [] };
  let namesNamespace = false;
  for (const [key, value] of endpoint.value.matchLabels) {
    const plain = plainKey(key);
    if (plain === namespaceKey) (ns.matchLabels as Map<string, string>).set(NAMESPACE_NAME_LABEL, value);
    else if (plain.startsWith(namespaceLabelsPrefix)) (ns.matchLabels as Map<string, string>).set(plain.slice(namespaceLabelsPrefix.length), value);
    else (pod.matchLabels as Map<string, string>).set(plain, value);
    namesNamespace ||= plain === namespaceKey || plain.startsWith(namespaceLabelsPrefix);
  }
  for (const requirement of endpoint.value.matchExpressions) {
    const plain = plainKey(requirement.key);
    const namespaced = plain === namespaceKey ? NAMESPACE_NAME_LABEL : plain.startsWith(namespaceLabelsPrefix) ? plain.slice(namespaceLabelsPrefix.length) : undefined;
    if (namespaced !== undefined) (ns.matchExpressions as LabelSelector['matchExpressions'][number][]).push({ ...requirement, key: namespaced });
    else (pod.matchExpressions as LabelSelector['matchExpressions'][number][]).push({ ...requirement, key: plain });
    namesNamespace ||= namespaced !== undefined;
  }
  if (namespace !== undefined && !namesNamespace) return { namespace, namespaces: undefined, pods: pod };
  const named = byName(ns);
  return named !== undefined ? { namespace: named, namespaces: undefined, pods: pod } : { namespace: undefined, namespaces: ns, pods: pod };
}

/** The exposure of every workload of a model, from the engine's state. */
export function analyzeExposure(compiled: CompiledFlows): ExposureAnalysis {
  const { topology, admin, cilium, notes: extras } = compiled;
  const items = new Map<string, { item: Omit<ExposureItem, 'ports'>; ports: PortSet }>();
  const notes = new Set<string>();
  const unprotected: { peer: string; direction: Direction }[] = [];
  const add = (peer: string, direction: Direction, target: string, ports: PortSet) => {
    if (ports.isEmpty()) return;
    const key = `${direction}\u0000${peer}\u0000${target}`;
    const entry = items.get(key);
    if (entry) entry.ports = entry.ports.union(ports);
    else items.set(key, { item: { peer, direction, target }, ports });
  };
  /** Whether some pod of the manifests is one the peer selects (an unknown label counts as no). */
  const matchesSomePod = (peer: PeerSelectors): boolean => {
    const namespaces = peer.namespace !== undefined ? [peer.namespace] : topology.namespaces.filter((name) => selectorMatches(peer.namespaces!, topology.namespaceLabels(name)) === true);
    return namespaces.some((name) => topology.instancesIn(name).some((instance) => peer.pods === undefined || selectorMatches(peer.pods, instance.labels) === true));
  };
  /** A peer stands for pods the manifests do not have: all pods of its namespaces, or a selector nothing matches. */
  const standsForNewPods = (peer: PeerSelectors) => peer.pods === undefined || isEmptySelector(peer.pods) || !matchesSomePod(peer);

  for (const direction of ['egress', 'ingress'] as const) {
    const sides = direction === 'ingress' ? compiled.ingress : compiled.egress;
    const pieces = direction === 'ingress' ? compiled.ingressPieces : compiled.egressPieces;
    // Instances whose side admin policies or Cilium deny rules change in this direction.
    const layered = new Set<number>();
    for (const policy of [...admin.admin, ...(admin.baseline ? [admin.baseline] : [])]) if (policy[direction].length > 0) for (const instance of policy.selects) layered.add(instance);
    for (const policy of cilium?.deny ?? []) if ((policy[direction]?.length ?? 0) > 0) for (const instance of policy.selects) layered.add(instance);
    // The peers of each instance's rules that stand for new pods, with the ports the rule opens there.
    const ruleItems: [string, PortSet][][] = topology.instances.map(() => []);
    const namedEgress = new Set<number>();
    const collect = (selects: readonly number[], rule: CompiledRule, peers: readonly (PeerSelectors | undefined)[]) => {
      const targets = peers.filter((peer): peer is PeerSelectors => peer !== undefined && standsForNewPods(peer)).map(targetOf);
      if (targets.length === 0) return;
      for (const instance of selects) {
        const ports = direction === 'ingress' ? rulePortsFor(rule, topology.instances[instance]) : rule.fixedPorts;
        if (direction === 'egress' && rule.namedPorts.length > 0) namedEgress.add(instance);
        for (const target of targets) ruleItems[instance]!.push([target, ports]);
      }
    };
    for (const policy of compiled.policies) {
      policy[direction]?.forEach((rule, index) => {
        if (rule.allPeers || rule.anyPod) return;
        collect(
          policy.selects,
          rule,
          policy.policy[direction][index]!.peers.filter((peer) => !peer.ipBlock).map((peer) => networkPolicyPeer(policy.namespace, peer.podSelector, peer.namespaceSelector)),
        );
      });
    }
    for (const policy of cilium?.allow ?? []) {
      const origin: CiliumOrigin | undefined = policy.origin;
      if (!origin) continue;
      const written = origin.policy.rules[origin.spec - 1]?.[direction] ?? [];
      const namespace = origin.policy.kind === 'CiliumNetworkPolicy' ? (origin.policy.namespace ?? DEFAULT_NAMESPACE) : undefined;
      policy[direction]?.forEach((rule, index) => {
        if (rule.allPeers || rule.anyPod) return;
        collect(policy.selects, rule, (written[index]?.endpoints ?? []).map((endpoint) => ciliumPeer(namespace, endpoint)));
      });
    }
    for (const peer of topology.peers) {
      let open = false;
      for (const instance of peer.instances) {
        const side = sides[instance]!;
        const unknown = extras?.[direction][instance]?.unknown?.pods;
        if (unknown !== undefined) {
          notes.add(`${peer.name}: ${direction} exposure is unknown (${unknown}).`);
          continue;
        }
        open ||= !side.selected;
        const cluster = side.selected ? side.pods : PortSet.ALL;
        add(peer.name, direction, ENTIRE_CLUSTER, cluster);
        if (extras?.[direction][instance]?.unknown?.external === undefined) {
          let outside = PortSet.ALL;
          for (let index = 0; index < pieces.length && !outside.isEmpty(); index++) outside = outside.intersect(externalPorts(side, index));
          add(peer.name, direction, EXTERNAL_SPACE, outside);
        }
        if (!side.selected) continue;
        if (layered.has(instance)) {
          if (ruleItems[instance]!.length > 0) notes.add(`${peer.name}: ${direction} exposure to pods that rules select is not listed: admin policies or Cilium deny rules apply to it.`);
          continue;
        }
        if (namedEgress.has(instance)) notes.add(`${peer.name}: egress rules with named ports: those ports depend on the destination and are not in its egress exposure.`);
        for (const [target, ports] of ruleItems[instance]!) if (!cluster.contains(ports)) add(peer.name, direction, target, ports);
      }
      if (open) unprotected.push({ peer: peer.name, direction });
    }
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...items.values()]
    .map(({ item, ports }) => ({ ...item, ports }))
    .sort((a, b) => compare(a.direction, b.direction) || compare(a.peer, b.peer) || compare(a.target, b.target));
  unprotected.sort((a, b) => compare(a.peer, b.peer) || compare(a.direction, b.direction));
  return { items: sorted, unprotected, notes: [...notes] };
}

/** The exposure of a model's workloads. */
export function exposureOf(model: Parameters<typeof compileFlows>[0]): ExposureAnalysis {
  return analyzeExposure(compileFlows(model));
}

/** netpol-analyzer's txt exposure section: `Exposure Analysis Result:`, then egress and ingress items. */
export function formatExposureText(analysis: ExposureAnalysis): string {
  const lines = ['Exposure Analysis Result:'];
  // Workload names are padded to one width, so the arrows line up (as netpol-analyzer writes them).
  const width = Math.max(0, ...analysis.items.map((item) => item.peer.length));
  const section = (direction: Direction, title: string, arrow: string) => {
    const own = analysis.items.filter((item) => item.direction === direction);
    if (own.length === 0) return;
    lines.push(title);
    for (const item of own) lines.push(`${item.peer.padEnd(width)} \t${arrow} \t${item.target} : ${item.ports.toString()}`);
    lines.push('');
  };
  section('egress', 'Egress Exposure:', '=>');
  section('ingress', 'Ingress Exposure:', '<=');
  if (analysis.unprotected.length > 0) {
    lines.push('Workloads not protected by network policies:');
    for (const { peer, direction } of analysis.unprotected) lines.push(`${peer} is not protected on ${direction === 'ingress' ? 'Ingress' : 'Egress'}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
