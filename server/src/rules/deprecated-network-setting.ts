// Network settings that are removed, retired or on their way out: an error once removed or retired, a warning
// while it still deploys, info for a retirement ahead.
import { NETWORK_RETIREMENTS } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import { poolsOf } from '../model/topology';
import { defineRule, type Reported, type Severity } from './rule';
import { isValue } from '../model/enums';

const TODAY = () => new Date().toISOString().slice(0, 10);

function clusterFindings(model: NetworkModel, cluster: Cluster): Reported[] {
  const dates = NETWORK_RETIREMENTS.value;
  const findings: Reported[] = [];
  const add = (severity: Severity, message: string, source: Reported['source']) => findings.push({ severity, message, source });
  // An empty string is how templates leave a field out.
  const written = (value: Cluster['dockerBridgeCidr']) => value.known && value.value.trim() !== '';
  const bridge = cluster.dockerBridgeCidr;
  if (bridge.known && written(bridge)) {
    const removed = cluster.apiVersion !== undefined && cluster.apiVersion >= dates.dockerBridgeRemovedInApi;
    add(
      removed ? 'error' : 'warning',
      `dockerBridgeCidr has had no effect since AKS moved to containerd (Kubernetes 1.19) and was removed in API version ${dates.dockerBridgeRemovedInApi}` +
        `${removed ? `; this resource uses ${cluster.apiVersion}` : ''}. Delete it.`,
      bridge.source,
    );
  }
  const sku = cluster.loadBalancerSku;
  if (isValue(sku, 'basic')) {
    add('error', `The Basic load balancer was retired for AKS on ${dates.basicLoadBalancer}. Use loadBalancerSku: standard.`, sku.source);
  }
  const ebpf = cluster.ebpfDataplane;
  if (ebpf.known && written(ebpf)) {
    add('warning', `ebpfDataplane was a preview field (2022-09-02-preview to 2023-01-02-preview); current API versions use networkDataplane: ${ebpf.value}.`, ebpf.source);
  }
  const plugin = cluster.networkPlugin;
  if (isValue(plugin, 'kubenet')) {
    add('info', `Kubenet is retired on ${dates.kubenet}; plan the move to Azure CNI Overlay.`, plugin.source);
  }
  const policy = cluster.networkPolicy;
  if (isValue(policy, 'azure')) {
    const windows = poolsOf(model, cluster).some((pool) => isValue(pool.osType, 'Windows'));
    const windowsRetired = TODAY() >= dates.azureNpmWindows;
    add(
      windows && windowsRetired ? 'warning' : 'info',
      `Azure Network Policy Manager (networkPolicy: azure) retires on ${dates.azureNpmLinux} on Linux` +
        `${windows ? ` and ${windowsRetired ? 'was retired' : 'retires'} on ${dates.azureNpmWindows} on Windows nodes, which this cluster has` : ''}. Plan the move to Cilium.`,
      policy.source,
    );
  }
  return findings;
}

export const deprecatedNetworkSetting = defineRule({
  id: 'deprecated-network-setting',
  title: 'Removed, retired or retiring network setting',
  defaultSeverity: 'warning',
  facts: [NETWORK_RETIREMENTS],
  check: (model) => model.clusters.flatMap((cluster) => clusterFindings(model, cluster)),
});
