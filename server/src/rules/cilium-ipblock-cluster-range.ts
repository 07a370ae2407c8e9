// On the Cilium dataplane an ipBlock cannot select pod or node IPs: an ipBlock covering them allows nothing there.
import { formatCidr } from '../cidr/cidr';
import { CILIUM_IPBLOCK } from '../facts';
import { ciliumClusters, clusterRangesReached } from './ciliumClusters';
import { ipBlocksOf } from './policyIpBlocks';
import { defineRule, type Reported } from './rule';

export const ciliumIpBlockClusterRange = defineRule({
  id: 'cilium-ipblock-cluster-range',
  title: 'ipBlock covers pod or node IPs on the Cilium dataplane',
  defaultSeverity: 'warning',
  facts: [CILIUM_IPBLOCK],
  check(model) {
    // Which cluster a policy runs on is known only when the workspace has one (in any number of environments).
    const cilium = ciliumClusters(model);
    if (cilium.length === 0) return [];
    return ipBlocksOf(model).flatMap(({ policy, block }): Reported[] => {
      const hits = clusterRangesReached(model, cilium, block.cidr, block.except);
      if (hits.length === 0 || !block.cidr.known) return [];
      const first = hits[0]!;
      const more = hits.length > 1 ? ` (and ${hits.length - 1} more range(s))` : '';
      return [
        {
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
});
