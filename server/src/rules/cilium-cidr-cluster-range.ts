// toCIDR/fromCIDR (and the CIDR sets) of a Cilium policy that cover pod or node IPs: Cilium's CIDR rules select peers
// outside the cluster only, so the pods and nodes meant by those addresses are not allowed (or denied) by them.
import { formatCidr } from '../cidr/cidr';
import { CILIUM_CIDR } from '../facts';
import { ciliumClusters, clusterRangesReached } from './ciliumClusters';
import { ciliumCidrsOf } from './policyIpBlocks';
import { defineRule, type Reported } from './rule';

export const ciliumCidrClusterRange = defineRule({
  id: 'cilium-cidr-cluster-range',
  title: 'toCIDR or fromCIDR covers pod or node IPs',
  defaultSeverity: 'warning',
  facts: [CILIUM_CIDR],
  check(model) {
    const cilium = ciliumClusters(model);
    if (cilium.length === 0) return [];
    return ciliumCidrsOf(model).flatMap(({ policy, field, block }): Reported[] => {
      const hits = clusterRangesReached(model, cilium, block.cidr, block.except);
      if (hits.length === 0 || !block.cidr.known) return [];
      const first = hits[0]!;
      const more = hits.length > 1 ? ` (and ${hits.length - 1} more range(s))` : '';
      return [
        {
          message:
            `${field} ${formatCidr(block.cidr.value)} of ${policy.kind} ${policy.name ?? ''} includes ${first.label} of cluster ${first.cluster.name}${more}: ` +
            `Cilium's CIDR rules select only peers outside the cluster, so pods and nodes in that range are not matched by it. ` +
            `Select pods with ${field.startsWith('to') ? 'toEndpoints' : 'fromEndpoints'} and nodes with the host or remote-node entities instead.`,
          source: block.cidr.source,
          related: hits.map((hit) => ({ message: `${hit.label} of cluster ${hit.cluster.name}`, source: hit.range.source })),
        },
      ];
    });
  },
});
