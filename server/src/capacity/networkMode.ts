// Which IP address management a cluster uses, derived in one place from plugin, plugin mode and pools.
import type { Cluster, NetworkModel } from '../model/network';
import { isNotSet } from '../model/source';
import { poolsOf } from '../model/topology';

export type NetworkMode = 'kubenet' | 'azure-cni' | 'azure-cni-pod-subnet' | 'overlay' | 'byo-cni';

export const NETWORK_MODE_NAMES: Record<NetworkMode, string> = {
  kubenet: 'kubenet',
  'azure-cni': 'Azure CNI',
  'azure-cni-pod-subnet': 'Azure CNI with a pod subnet',
  overlay: 'Azure CNI Overlay',
  'byo-cni': 'bring-your-own CNI',
};

/** The cluster's network mode, or undefined when it cannot be told (e.g. the plugin is templated or left to the API default). */
export function networkModeOf(model: NetworkModel, cluster: Cluster): NetworkMode | undefined {
  const plugin = cluster.networkPlugin;
  if (!plugin.known) return undefined; // the API-level default plugin is UNCONFIRMED (aks-facts 13.14)
  switch (plugin.value.toLowerCase()) {
    case 'kubenet':
      return 'kubenet';
    case 'none':
      return 'byo-cni';
    case 'azure': {
      const mode = cluster.networkPluginMode;
      if (mode.known) return mode.value.toLowerCase() === 'overlay' ? 'overlay' : undefined;
      if (!isNotSet(mode)) return undefined;
      return poolsOf(model, cluster).some((pool) => pool.podSubnet) ? 'azure-cni-pod-subnet' : 'azure-cni';
    }
    default:
      return undefined;
  }
}
