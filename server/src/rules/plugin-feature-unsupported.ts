// Network plugin, mode, policy engine, dataplane and node OS combinations that AKS does not support.
import { FEATURE_COMPATIBILITY } from '../facts';
import { NETWORK_MODE_NAMES, type NetworkMode, networkModeOf } from '../capacity/networkMode';
import type { Cluster, NetworkModel } from '../model/network';
import { isNotSet, type Known, knownValues } from '../model/source';
import { poolsOf } from '../model/topology';
import { defineRule, type Reported, type Severity } from './rule';
import { isValue } from '../model/enums';

function clusterFindings(model: NetworkModel, cluster: Cluster): Reported[] {
  const findings: Reported[] = [];
  const report = (severity: Severity, message: string, at: Known<unknown>) => findings.push({ severity, message, source: at.source });
  const mode: NetworkMode | undefined = networkModeOf(model, cluster);
  const policy = cluster.networkPolicy.known ? cluster.networkPolicy.value : undefined;
  const dataplane = cluster.networkDataplane.known ? cluster.networkDataplane.value : undefined;
  const cilium = dataplane === 'cilium';
  const pools = poolsOf(model, cluster);
  const windowsPools = pools.filter((pool) => isValue(pool.osType, 'Windows'));
  const dualStack = [...knownValues(cluster.podCidrs), ...knownValues(cluster.serviceCidrs)].some((range) => range.value.family === 6);
  const { networkPlugin, networkPolicy, networkDataplane } = cluster;

  if (mode === 'kubenet') {
    for (const pool of windowsPools) {
      if (pool.osType.known) report('error', `Windows node pool ${pool.name} cannot run on kubenet: Windows pools need Azure CNI.`, pool.osType);
    }
    if (policy === 'azure' && networkPolicy.known) {
      report('error', 'Azure Network Policy Manager (networkPolicy: azure) does not run on kubenet; use Calico, or move to Azure CNI.', networkPolicy);
    }
    if (policy === 'cilium' && networkPolicy.known) report('error', 'Cilium network policy does not run on kubenet.', networkPolicy);
    if (cilium && networkDataplane.known) {
      report('error', 'The Cilium dataplane does not run on kubenet: use Azure CNI Overlay, a pod subnet or a node subnet.', networkDataplane);
    }
  }
  if (cilium && networkDataplane.known) {
    for (const pool of windowsPools) {
      if (pool.osType.known) report('error', `Windows node pool ${pool.name} cannot join a cluster on the Cilium dataplane, which is Linux only.`, pool.osType);
    }
    if (policy === 'azure' && networkPolicy.known) {
      report('error', 'With the Cilium dataplane Cilium enforces network policy: networkPolicy must be cilium, not azure.', networkPolicy);
    }
    if (policy === 'calico' && networkPolicy.known) {
      report('error', 'With the Cilium dataplane Cilium enforces network policy: networkPolicy must be cilium, not calico.', networkPolicy);
    }
  }
  if (policy === 'cilium' && networkPolicy.known && cluster.networkDataplane.known && !cilium) {
    report('error', `networkPolicy: cilium needs networkDataplane: cilium (here: ${cluster.networkDataplane.value}).`, networkPolicy);
  }
  // Left out, the dataplane is the API's default, which aks-facts does not record as cilium: warn, do not error.
  if (policy === 'cilium' && networkPolicy.known && isNotSet(cluster.networkDataplane) && mode !== 'kubenet') {
    report('warning', 'networkPolicy: cilium needs networkDataplane: cilium, which this cluster leaves out. Set networkDataplane: cilium.', networkPolicy);
  }
  if (dualStack && mode && mode !== 'overlay' && networkPlugin.known) {
    // Kubenet dual-stack was documented until 2025-03 and CNI dual-stack is not documented: warn, do not error.
    report('warning', `Dual-stack (IPv4 and IPv6) is documented only for Azure CNI Overlay; this cluster uses ${NETWORK_MODE_NAMES[mode]}.`, networkPlugin);
  }
  if (dualStack && (policy === 'azure' || policy === 'calico') && networkPolicy.known) {
    report('error', `${policy === 'azure' ? 'Azure Network Policy Manager' : 'Calico'} does not support dual-stack clusters; use Cilium.`, networkPolicy);
  }
  return findings;
}

export const pluginFeatureUnsupported = defineRule({
  id: 'plugin-feature-unsupported',
  title: 'Network plugin, policy, dataplane or OS combination AKS does not support',
  defaultSeverity: 'error',
  facts: [FEATURE_COMPATIBILITY],
  check: (model) => model.clusters.flatMap((cluster) => clusterFindings(model, cluster)),
});
