// Every ipBlock peer of every NetworkPolicy (netpol-except-outside-cidr, cilium-ipblock-cluster-range), and every CIDR
// of every Cilium policy (cilium-cidr-cluster-range).
import type { CiliumCidr, CiliumPolicy } from '../model/ciliumNetworkPolicy';
import type { IpBlock, KubernetesNetworkPolicy, NetworkModel } from '../model/network';

/** Every ipBlock of every policy, with the policy. */
export function ipBlocksOf(model: NetworkModel): { policy: KubernetesNetworkPolicy; block: IpBlock }[] {
  return model.policies.flatMap((policy) =>
    [...policy.ingress, ...policy.egress].flatMap((rule) => rule.peers.flatMap((peer) => (peer.ipBlock ? [{ policy, block: peer.ipBlock }] : []))),
  );
}

/** Every CIDR of every Cilium policy rule (allow and deny, toCIDR/toCIDRSet/fromCIDR/fromCIDRSet), with its field. */
export function ciliumCidrsOf(model: NetworkModel): { policy: CiliumPolicy; field: string; block: CiliumCidr }[] {
  return model.ciliumPolicies.flatMap((policy) =>
    policy.rules.flatMap((rule) =>
      (['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const).flatMap((section) =>
        (rule[section] ?? []).flatMap((peers) =>
          (peers.cidrs ?? []).map((block) => ({ policy, field: `${section.startsWith('ingress') ? 'fromCIDR' : 'toCIDR'}${block.except.length > 0 ? 'Set' : ''}`, block })),
        ),
      ),
    ),
  );
}
