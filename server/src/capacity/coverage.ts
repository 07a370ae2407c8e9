// What the engine could judge of a cluster's capacity, and what it could not and why: behind `netlens explain`
// and the code lens above each cluster, so that silence is never a mystery.
import type { Cluster, NetworkModel, NodePool, Subnet, SubnetReference } from '../model/network';
import { isNotSet, type Source, type Value } from '../model/source';
import { poolsOf, resolveSubnet } from '../model/topology';
import { effectiveMaxPods, maxNodes, subnetDemands, surgeNodes } from './ipDemand';
import { type SizingMode, sizingModeOf } from './networkMode';

/** A value the capacity check needs and the engine does not have, with what a user can do about it. */
export interface CoverageGap {
  /** The field, as the file names it (`maxPods`, `networkPlugin`, `vnetSubnetID`). */
  readonly field: string;
  readonly reason: string;
  /** Where to act: the value, or the declaration that lacks it. */
  readonly source: Source;
}

export interface ClusterCoverage {
  readonly cluster: Cluster;
  readonly mode: SizingMode | undefined;
  /** The node subnets the cluster's pools name and the workspace declares. */
  readonly nodeSubnets: readonly Subnet[];
  /** True when every subnet the cluster's pools use was sized with all of its consumers counted. */
  readonly capacityChecked: boolean;
  readonly gaps: readonly CoverageGap[];
}

/** A reason for a value the engine could not evaluate, with the advice that goes with its kind. */
function unknownReason(value: Value<unknown>): string {
  if (value.known) return '';
  if (isNotSet(value)) return 'not set';
  const reason = value.reason;
  if (/has no default value/.test(reason)) return `${reason}: give it a value in a parameters file or a default`;
  return reason;
}

/** Where a pool's size, surge and maxPods stand: a gap for each that blocks the count. */
function poolGaps(pool: NodePool, mode: SizingMode | undefined): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const nodes = maxNodes(pool);
  if (nodes === undefined) {
    const value = !pool.count.known && !isNotSet(pool.count) ? pool.count : !pool.maxCount.known && !isNotSet(pool.maxCount) ? pool.maxCount : pool.count;
    gaps.push({ field: value === pool.maxCount ? 'maxCount' : 'count', reason: `pool ${pool.name}: node count ${unknownReason(value)}`, source: value.source ?? pool.source });
  } else if (surgeNodes(pool, nodes) === undefined) {
    gaps.push({ field: 'maxSurge', reason: `pool ${pool.name}: maxSurge ${unknownReason(pool.maxSurge)}`, source: pool.maxSurge.source ?? pool.source });
  }
  if (mode === 'aks-default' && pool.podSubnet) {
    gaps.push({ field: 'networkPlugin', reason: `pool ${pool.name}: a pod subnet needs Azure CNI, and networkPlugin is not set`, source: pool.podSubnet.source });
  } else if (mode && mode !== 'aks-default' && !effectiveMaxPods(pool, mode)) {
    gaps.push({ field: 'maxPods', reason: `pool ${pool.name}: maxPods ${unknownReason(pool.maxPods)}`, source: pool.maxPods.source ?? pool.source });
  }
  return gaps;
}

const referenceText = (reference: SubnetReference) => `subnet '${reference.subnetName}'${reference.vnetKey ? ` of virtual network '${reference.vnetKey}'` : ''}`;

/** What the engine knows of one cluster's subnet capacity. */
export function clusterCoverage(model: NetworkModel, cluster: Cluster): ClusterCoverage {
  const mode = sizingModeOf(model, cluster);
  const pools = poolsOf(model, cluster);
  const gaps: CoverageGap[] = [];
  if (!mode) {
    const plugin = cluster.networkPlugin;
    const reason = plugin.known
      ? `networkPlugin '${plugin.value}'${cluster.networkPluginMode.known ? ` with mode '${cluster.networkPluginMode.value}'` : ''}: ${unknownReason(cluster.networkPluginMode) || 'not a mode the engine sizes'}`
      : `networkPlugin ${unknownReason(plugin)}`;
    gaps.push({ field: plugin.known ? 'networkPluginMode' : 'networkPlugin', reason, source: (plugin.known ? cluster.networkPluginMode.source : plugin.source) ?? cluster.source });
  }
  if (pools.length === 0) gaps.push({ field: 'agentPoolProfiles', reason: 'no node pool of this cluster is in the files read', source: cluster.source });
  const used = new Set<Subnet>();
  const nodeSubnets = new Set<Subnet>();
  let managedNetwork = pools.length > 0;
  for (const pool of pools) {
    const nodeReference = pool.nodeSubnet ?? cluster.defaultNodeSubnet;
    for (const [reference, unknownReference, role] of [
      [nodeReference, pool.nodeSubnet ? undefined : pool.nodeSubnetUnknown, 'vnetSubnetID'],
      [pool.podSubnet, pool.podSubnetUnknown, 'podSubnetID'],
    ] as const) {
      if (unknownReference) {
        managedNetwork = false;
        gaps.push({ field: role, reason: `pool ${pool.name}: ${role} ${unknownReason(unknownReference)}`, source: unknownReference.source ?? pool.source });
      }
      if (!reference) continue;
      managedNetwork = false;
      const subnet = resolveSubnet(model, reference);
      if (subnet) {
        used.add(subnet);
        if (role === 'vnetSubnetID') nodeSubnets.add(subnet);
      } else {
        gaps.push({ field: role, reason: `pool ${pool.name}: ${referenceText(reference)} is not declared in the files read (an existing network)`, source: reference.source });
      }
    }
    // A pool in an AKS-managed network takes no addresses of ours: its size does not matter here.
    if (nodeReference || pool.podSubnet || pool.nodeSubnetUnknown || pool.podSubnetUnknown) gaps.push(...poolGaps(pool, mode));
  }
  if (managedNetwork) {
    gaps.push({ field: 'vnetSubnetID', reason: 'AKS-managed virtual network: no pool names a subnet, so AKS creates and sizes it', source: cluster.source });
  }
  for (const demand of subnetDemands(model)) {
    if (!used.has(demand.subnet) || demand.complete) continue;
    const prefix = demand.subnet.prefixes.find((p) => !p.known);
    if (prefix && !prefix.known) {
      gaps.push({ field: 'addressPrefix', reason: `subnet ${demand.subnet.name}: address prefix ${unknownReason(prefix)}`, source: prefix.source ?? demand.subnet.source });
    }
    gaps.push(...sharingPoolGaps(model, cluster, demand.subnet));
  }
  return { cluster, mode, nodeSubnets: [...nodeSubnets], capacityChecked: gaps.length === 0 && used.size > 0, gaps };
}

/** Why other clusters' pools that share a subnet with this cluster could not be counted. */
function sharingPoolGaps(model: NetworkModel, cluster: Cluster, subnet: Subnet): CoverageGap[] {
  const clusters = new Map(model.clusters.map((c) => [c.key, c]));
  return model.nodePools.flatMap((pool): CoverageGap[] => {
    const owner = pool.clusterKey === undefined ? undefined : clusters.get(pool.clusterKey);
    if (owner === cluster) return [];
    const references = [pool.nodeSubnet ?? owner?.defaultNodeSubnet, pool.podSubnet];
    if (!references.some((reference) => reference && resolveSubnet(model, reference) === subnet)) return [];
    if (!owner) {
      const reason = `subnet ${subnet.name} is shared with pool ${pool.name}, whose cluster${pool.clusterName ? ` '${pool.clusterName}'` : ''} is not in the files read`;
      return [{ field: 'parent', reason, source: pool.source }];
    }
    const mode = sizingModeOf(model, owner);
    const gaps = poolGaps(pool, mode);
    if (!mode) gaps.push({ field: 'networkPlugin', reason: `network mode of cluster ${owner.name} ${unknownReason(owner.networkPlugin) || 'cannot be told'}`, source: owner.networkPlugin.source ?? owner.source });
    return gaps.map((gap) => ({ ...gap, reason: `subnet ${subnet.name} is shared with cluster ${owner.name}: ${gap.reason}` }));
  });
}
