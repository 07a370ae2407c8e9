// Which IP address management a cluster uses, derived in one place from plugin, plugin mode and pools.
import type { Cluster, NetworkModel } from '../model/network';
import { isNotSet } from '../model/source';
import { poolsOf } from '../model/topology';

export type NetworkMode = 'kubenet' | 'azure-cni' | 'azure-cni-pod-subnet' | 'overlay' | 'byo-cni';

/**
 * What sizes a node subnet: a network mode, or `aks-default` for a cluster that leaves networkPlugin out: AKS then
 * chooses kubenet or Azure CNI Overlay (which one is UNCONFIRMED, facts.ts AKS_DEFAULT_NETWORK_PLUGIN), and either
 * gives each node one node-subnet address, so the subnet can be sized though the mode cannot be told.
 */
export type SizingMode = NetworkMode | 'aks-default';

export const NETWORK_MODE_NAMES: Record<SizingMode, string> = {
  kubenet: 'kubenet',
  'azure-cni': 'Azure CNI',
  'azure-cni-pod-subnet': 'Azure CNI with a pod subnet',
  overlay: 'Azure CNI Overlay',
  'byo-cni': 'bring-your-own CNI',
  'aks-default': "AKS's default plugin (kubenet or Azure CNI Overlay)",
};

/** The cluster's network mode, or undefined when it cannot be told (e.g. the plugin is templated or left to the API default). */
export function networkModeOf(model: NetworkModel, cluster: Cluster): NetworkMode | undefined {
  const plugin = cluster.networkPlugin;
  if (!plugin.known) return undefined; // the API-level default plugin is UNCONFIRMED (aks-facts 13.14)
  switch (plugin.value) {
    case 'kubenet':
      return 'kubenet';
    case 'none':
      return 'byo-cni';
    case 'azure': {
      const mode = cluster.networkPluginMode;
      if (mode.known) return mode.value === 'overlay' ? 'overlay' : undefined;
      if (!isNotSet(mode)) return undefined;
      return poolsOf(model, cluster).some((pool) => pool.podSubnet) ? 'azure-cni-pod-subnet' : 'azure-cni';
    }
    default:
      return undefined;
  }
}

/** The mode a node subnet is sized by: the network mode, else AKS's default when networkPlugin is left out. */
export function sizingModeOf(model: NetworkModel, cluster: Cluster): SizingMode | undefined {
  return networkModeOf(model, cluster) ?? (isNotSet(cluster.networkPlugin) ? 'aks-default' : undefined);
}
