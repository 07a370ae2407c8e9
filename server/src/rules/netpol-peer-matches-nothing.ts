// A NetworkPolicy from/to peer whose selectors match none of the workloads the policy's file declares allows nothing.
import { NETWORK_POLICY_SELECTION } from '../facts';
import { describeSelector, labelSet, selectorMatches } from '../flows/labels';
import { NAMESPACE_NAME_LABEL } from '../flows/topology';
import type { KubernetesNetworkPolicy, LabelSelector, NetworkModel, NetworkPolicyPeer } from '../model/network';
import { namespaceOf } from '../model/queries';
import { type FileWorkloads, listed, selectsNone, workloadsByFile } from './fileWorkloads';
import { defineRule, type Reported } from './rule';

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

function peerFinding(model: NetworkModel, workloads: FileWorkloads, policy: KubernetesNetworkPolicy, peer: NetworkPolicyPeer, direction: string): Reported[] {
  if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return [];
  if (peer.podSelector && !peer.podSelector.known) return [];
  if (peer.namespaceSelector && !peer.namespaceSelector.known) return [];
  const pod = peer.podSelector?.known ? peer.podSelector.value : undefined;
  const ns = peer.namespaceSelector?.known ? peer.namespaceSelector.value : undefined;
  const report = (message: string, at = (peer.podSelector ?? peer.namespaceSelector)!.source!): Reported[] => [{ message, source: at }];
  if (!ns) {
    const namespace = namespaceOf(policy);
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

export const netpolPeerMatchesNothing = defineRule({
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
});
