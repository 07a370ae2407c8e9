// NetworkPolicy mistakes: a policy or a peer that selects no workload of its file, an ipBlock except outside
// its cidr, and ipBlocks that try to select pod or node IPs on the Cilium dataplane (which ignores them).
import { type Cidr, containsCidr, formatCidr } from '../cidr/cidr';
import { CILIUM_IPBLOCK, NETWORK_POLICY_IPBLOCK_EXCEPT, NETWORK_POLICY_SELECTION } from '../facts';
import { cidrInterval, ipBlockIntervals, intervalsOverlap } from '../flows/ipBlocks';
import { describeSelector, isEmptySelector, type LabelSet, labelSet, selectorMatches } from '../flows/labels';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL } from '../flows/topology';
import type { IpBlock, KubernetesNetworkPolicy, LabelSelector, NetworkModel, NetworkPolicyPeer, Workload } from '../model/network';
import { knownValues, type Known } from '../model/source';
import { nodeSubnetsOf, resolveSubnet, subnetPrefixes } from '../model/topology';
import type { Finding, Rule } from './rule';

/**
 * The workloads of one file by known namespace, and those whose namespace is a placeholder. Selection is judged
 * only against the workloads of the policy's own file: the objects of one namespace are often deployed from
 * several places (folders, repositories, Helm charts), and unrelated files may share a namespace such as
 * `default`, so a pod elsewhere in the workspace is not evidence either way.
 */
interface Workloads {
  readonly byNamespace: ReadonlyMap<string, readonly Workload[]>;
  readonly unplaced: readonly Workload[];
  readonly labels: (workload: Workload) => LabelSet;
}

/** The workloads of each file, built once per check. */
function workloadsByFile(model: NetworkModel): (uri: string) => Workloads {
  const files = new Map<string, Workload[]>();
  for (const workload of model.workloads) {
    const list = files.get(workload.source.uri);
    if (list) list.push(workload);
    else files.set(workload.source.uri, [workload]);
  }
  const built = new Map<string, Workloads>();
  return (uri) => {
    let workloads = built.get(uri);
    if (!workloads) built.set(uri, (workloads = workloadsOf(files.get(uri) ?? [])));
    return workloads;
  };
}

function workloadsOf(all: readonly Workload[]): Workloads {
  const byNamespace = new Map<string, Workload[]>();
  const unplaced: Workload[] = [];
  for (const workload of all) {
    if (workload.namespaceUnknown) {
      unplaced.push(workload);
      continue;
    }
    const namespace = workload.namespace ?? DEFAULT_NAMESPACE;
    const list = byNamespace.get(namespace);
    if (list) list.push(workload);
    else byNamespace.set(namespace, [workload]);
  }
  const cache = new Map<Workload, LabelSet>();
  const labels = (workload: Workload): LabelSet => {
    let set = cache.get(workload);
    if (!set) cache.set(workload, (set = labelSet(workload.labels)));
    return set;
  };
  return { byNamespace, unplaced, labels };
}

/**
 * True when the selector certainly selects none of the workloads of these namespaces, and each namespace holds
 * some: a workload whose labels or namespace are unknown and that might match keeps the answer open.
 */
function selectsNone(workloads: Workloads, namespaces: readonly string[], selector: LabelSelector): boolean {
  if (namespaces.length === 0 || isEmptySelector(selector)) return false;
  for (const namespace of namespaces) {
    const here = workloads.byNamespace.get(namespace) ?? [];
    if (here.length === 0) return false;
    if (here.some((workload) => selectorMatches(selector, workloads.labels(workload)) !== false)) return false;
  }
  return !workloads.unplaced.some((workload) => selectorMatches(selector, workloads.labels(workload)) !== false);
}

const policyNamespace = (policy: KubernetesNetworkPolicy): string => policy.namespace ?? DEFAULT_NAMESPACE;
const listed = (namespaces: readonly string[]): string =>
  namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(', ')}`;

export const netpolSelectsNothing: Rule = {
  id: 'netpol-selects-nothing',
  title: 'NetworkPolicy selects no workload of its namespace',
  defaultSeverity: 'warning',
  facts: [NETWORK_POLICY_SELECTION],
  check(model) {
    const workloadsIn = workloadsByFile(model);
    return model.policies.flatMap((policy): Finding[] => {
      if (policy.namespaceUnknown || !policy.podSelector.known) return [];
      const workloads = workloadsIn(policy.source.uri);
      const namespace = policyNamespace(policy);
      const selector = policy.podSelector.value;
      if (!selectsNone(workloads, [namespace], selector)) return [];
      const count = workloads.byNamespace.get(namespace)!.length;
      return [
        {
          rule: 'netpol-selects-nothing',
          severity: 'warning',
          message:
            `NetworkPolicy ${policy.name} selects no pod: none of the ${count} workload(s) in ${listed([namespace])} in this file has labels ` +
            `matching ${describeSelector(selector)}, so the policy has no effect. Check the labels against the pod templates.`,
          source: policy.podSelector.source,
        },
      ];
    });
  },
};

/**
 * The namespaces a peer's namespaceSelector can select, when the workspace can tell: the selector must pin
 * `kubernetes.io/metadata.name` to named namespaces (other namespaces may exist outside the workspace), and any
 * other requirement must be decidable from a Namespace object of the policy's file. undefined when it cannot tell.
 */
function pinnedNamespaces(model: NetworkModel, selector: LabelSelector, uri: string): { pinned: string[]; selected: string[] } | undefined {
  const names = new Set<string>();
  const pinned = selector.matchLabels.get(NAMESPACE_NAME_LABEL);
  const inList = selector.matchExpressions.filter((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'In');
  if (pinned !== undefined) names.add(pinned);
  else if (inList.length > 0) for (const name of inList[0]!.values) names.add(name);
  else return undefined;
  const others =
    [...selector.matchLabels.keys()].some((key) => key !== NAMESPACE_NAME_LABEL) ||
    selector.matchExpressions.some((e) => e.key !== NAMESPACE_NAME_LABEL);
  const selected: string[] = [];
  for (const name of names) {
    const objects = model.namespaces.filter((namespace) => namespace.name === name && namespace.source.uri === uri);
    if (others && objects.length === 0) return undefined;
    const labels = new Map<string, string | undefined>();
    for (const object of objects) for (const [key, value] of labelSet(object.labels)) labels.set(key, value);
    labels.set(NAMESPACE_NAME_LABEL, name);
    const match = selectorMatches(selector, labels);
    if (match === undefined) return undefined;
    if (match) selected.push(name);
  }
  return { pinned: [...names], selected };
}

function peerFinding(model: NetworkModel, workloads: Workloads, policy: KubernetesNetworkPolicy, peer: NetworkPolicyPeer, direction: string): Finding[] {
  if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return [];
  if (peer.podSelector && !peer.podSelector.known) return [];
  if (peer.namespaceSelector && !peer.namespaceSelector.known) return [];
  const pod = peer.podSelector?.known ? peer.podSelector.value : undefined;
  const ns = peer.namespaceSelector?.known ? peer.namespaceSelector.value : undefined;
  const report = (message: string, at = (peer.podSelector ?? peer.namespaceSelector)!.source!): Finding[] => [
    { rule: 'netpol-peer-matches-nothing', severity: 'warning', message, source: at },
  ];
  if (!ns) {
    const namespace = policyNamespace(policy);
    if (!pod || !selectsNone(workloads, [namespace], pod)) return [];
    return report(
      `This ${direction} peer of NetworkPolicy ${policy.name} matches no pod: no workload in ${listed([namespace])} in this file has labels ` +
        `matching ${describeSelector(pod)}, so the rule allows nothing ${direction} it. Check the labels, or add a namespaceSelector for pods of other namespaces.`,
    );
  }
  const namespaces = pinnedNamespaces(model, ns, policy.source.uri);
  if (namespaces === undefined) return [];
  const { pinned, selected: named } = namespaces;
  // Only namespaces the policy's file holds workloads in can be judged.
  if (pinned.some((name) => (workloads.byNamespace.get(name) ?? []).length === 0)) return [];
  if (named.length === 0) {
    return report(
      `This ${direction} peer of NetworkPolicy ${policy.name} matches no pod: its namespaceSelector (${describeSelector(ns)}) selects none of ${listed(pinned)}, ` +
        `whose Namespace labels do not match.`,
      peer.namespaceSelector!.source,
    );
  }
  if (!pod || !selectsNone(workloads, named, pod)) return [];
  return report(
    `This ${direction} peer of NetworkPolicy ${policy.name} matches no pod: no workload in ${listed(named)} in this file has labels matching ` +
      `${describeSelector(pod)}, so the rule allows nothing ${direction} it. Check the labels against the pod templates.`,
  );
}

export const netpolPeerMatchesNothing: Rule = {
  id: 'netpol-peer-matches-nothing',
  title: 'NetworkPolicy from/to peer matches no workload',
  defaultSeverity: 'warning',
  facts: [NETWORK_POLICY_SELECTION],
  check(model) {
    const workloadsIn = workloadsByFile(model);
    return model.policies.flatMap((policy) => {
      if (policy.namespaceUnknown) return [];
      const workloads = workloadsIn(policy.source.uri);
      return [
        ...policy.ingress.flatMap((rule) => rule.peers.flatMap((peer) => peerFinding(model, workloads, policy, peer, 'from'))),
        ...policy.egress.flatMap((rule) => rule.peers.flatMap((peer) => peerFinding(model, workloads, policy, peer, 'to'))),
      ];
    });
  },
};

/** Every ipBlock of every policy, with the policy. */
function ipBlocksOf(model: NetworkModel): { policy: KubernetesNetworkPolicy; block: IpBlock }[] {
  return model.policies.flatMap((policy) =>
    [...policy.ingress, ...policy.egress].flatMap((rule) =>
      rule.peers.flatMap((peer) => (peer.ipBlock ? [{ policy, block: peer.ipBlock }] : [])),
    ),
  );
}

export const netpolExceptOutsideCidr: Rule = {
  id: 'netpol-except-outside-cidr',
  title: 'ipBlock except not inside its cidr',
  defaultSeverity: 'error',
  facts: [NETWORK_POLICY_IPBLOCK_EXCEPT],
  check: (model) =>
    ipBlocksOf(model).flatMap(({ policy, block }): Finding[] => {
      if (!block.cidr.known) return [];
      const cidr = block.cidr.value;
      return knownValues(block.except).flatMap((except): Finding[] => {
        const inside = containsCidr(cidr, except.value);
        if (inside && except.value.prefix > cidr.prefix) return [];
        const why = inside
          ? `is the whole of the ipBlock's cidr ${formatCidr(cidr)}; an except must be strictly smaller`
          : `is not inside the ipBlock's cidr ${formatCidr(cidr)}`;
        return [
          {
            rule: 'netpol-except-outside-cidr',
            severity: 'error',
            message: `except ${formatCidr(except.value)} of NetworkPolicy ${policy.name} ${why}: the API server rejects the policy.`,
            source: except.source,
          },
        ];
      });
    }),
};

/** The ranges pod and node IPs of a cluster come from: pod CIDRs, pod subnets and node subnets. */
function clusterRanges(model: NetworkModel, cluster: NetworkModel['clusters'][number]): { label: string; range: Known<Cidr> }[] {
  const podSubnets = model.nodePools
    .filter((pool) => pool.clusterKey === cluster.key && pool.podSubnet)
    .map((pool) => resolveSubnet(model, pool.podSubnet!))
    .filter((subnet): subnet is NonNullable<typeof subnet> => subnet !== undefined);
  return [
    ...knownValues(cluster.podCidrs).map((range) => ({ label: `the pod CIDR ${formatCidr(range.value)}`, range })),
    ...subnetPrefixes([...new Set(podSubnets)]).map(({ subnet, prefix }) => ({ label: `pod subnet ${subnet.name} (${formatCidr(prefix.value)})`, range: prefix })),
    ...subnetPrefixes(nodeSubnetsOf(model, cluster)).map(({ subnet, prefix }) => ({ label: `node subnet ${subnet.name} (${formatCidr(prefix.value)})`, range: prefix })),
  ];
}

export const ciliumIpBlockClusterRange: Rule = {
  id: 'cilium-ipblock-cluster-range',
  title: 'ipBlock covers pod or node IPs on the Cilium dataplane',
  defaultSeverity: 'warning',
  facts: [CILIUM_IPBLOCK],
  check(model) {
    const cilium = model.clusters.filter((cluster) => cluster.networkDataplane.known && cluster.networkDataplane.value.toLowerCase() === 'cilium');
    if (cilium.length === 0) return [];
    const ranges = cilium.flatMap((cluster) => clusterRanges(model, cluster).map((range) => ({ cluster, ...range })));
    return ipBlocksOf(model).flatMap(({ policy, block }): Finding[] => {
      if (!block.cidr.known || block.except.some((except) => !except.known)) return [];
      const selected = ipBlockIntervals(block.cidr.value, knownValues(block.except).map((except) => except.value));
      const hits = ranges.filter(({ range }) => intervalsOverlap(selected, [cidrInterval(range.value)]));
      if (hits.length === 0) return [];
      const first = hits[0]!;
      const more = hits.length > 1 ? ` (and ${hits.length - 1} more range(s))` : '';
      return [
        {
          rule: 'cilium-ipblock-cluster-range',
          severity: 'warning',
          message:
            `ipBlock ${formatCidr(block.cidr.value)} of NetworkPolicy ${policy.name} includes ${first.label} of cluster ${first.cluster.name}${more}, ` +
            `which uses the Cilium dataplane: there an ipBlock cannot select pod or node IPs, so this traffic is not allowed by it. ` +
            `Select those pods with podSelector and namespaceSelector instead.`,
          source: block.cidr.source,
          related: hits.map((hit) => ({ message: `${hit.label} of cluster ${hit.cluster.name}`, source: hit.range.source })),
        },
      ];
    });
  },
};
