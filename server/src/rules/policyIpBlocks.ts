// Every ipBlock peer of every NetworkPolicy (netpol-except-outside-cidr, cilium-ipblock-cluster-range).
import type { IpBlock, KubernetesNetworkPolicy, NetworkModel } from '../model/network';

/** Every ipBlock of every policy, with the policy. */
export function ipBlocksOf(model: NetworkModel): { policy: KubernetesNetworkPolicy; block: IpBlock }[] {
  return model.policies.flatMap((policy) =>
    [...policy.ingress, ...policy.egress].flatMap((rule) => rule.peers.flatMap((peer) => (peer.ipBlock ? [{ policy, block: peer.ipBlock }] : []))),
  );
}
