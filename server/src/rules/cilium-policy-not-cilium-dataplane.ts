// A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy in a workspace whose cluster runs another dataplane: nothing
// enforces it there (Cilium policies need Azure CNI Powered by Cilium, networkDataplane: cilium).
import { CILIUM_DATAPLANE_POLICIES } from '../facts';
import { otherDataplaneClusters } from './ciliumClusters';
import { defineRule, type Reported } from './rule';

export const ciliumPolicyNotCiliumDataplane = defineRule({
  id: 'cilium-policy-not-cilium-dataplane',
  title: 'Cilium policy on a cluster whose dataplane is not Cilium',
  defaultSeverity: 'warning',
  facts: [CILIUM_DATAPLANE_POLICIES],
  check(model) {
    // Only a workspace with one cluster whose dataplane is written says where the policies run.
    const clusters = otherDataplaneClusters(model);
    if (clusters.length === 0) return [];
    const first = clusters[0]!;
    const dataplane = first.networkDataplane.known ? first.networkDataplane.value : '';
    return model.ciliumPolicies.map(
      (policy): Reported => ({
        message:
          `${policy.kind} ${policy.name ?? ''} is not enforced: cluster ${first.name} uses networkDataplane ${dataplane}, and only the Cilium dataplane ` +
          `(Azure CNI Powered by Cilium) enforces Cilium policies. Use a Kubernetes NetworkPolicy, or move the cluster to networkDataplane: cilium.`,
        source: policy.kindSource,
        related: clusters.flatMap((cluster) => (cluster.networkDataplane.known ? [{ message: `networkDataplane of cluster ${cluster.name}`, source: cluster.networkDataplane.source }] : [])),
      }),
    );
  },
});
