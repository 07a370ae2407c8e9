// How many addresses a cluster needs, per subnet and per pod CIDR: the one place for the AKS sizing formulas.
// Rules, hovers and the planner all call these functions.
import { azureUsableAddresses, type Cidr, containsIp } from '../cidr/cidr';
import {
  CNI_NODE_SUBNET_ADDRESSES,
  MAX_PODS_DEFAULTS,
  NODE_ONLY_SUBNET_ADDRESSES,
  POD_CIDR_PER_NODE_PREFIX,
  POD_SUBNET_DYNAMIC_BATCH,
  POD_SUBNET_STATIC_BLOCK,
  UPGRADE_SURGE_DEFAULT,
} from '../facts';
import type { Cluster, NetworkModel, NodePool, Subnet } from '../model/network';
import { isNotSet, type Known, knownValues } from '../model/source';
import { poolsOf, resolveSubnet } from '../model/topology';
import { type NetworkMode, type SizingMode, sizingModeOf } from './networkMode';
import { isValue } from '../model/enums';

/** A pool's node count at its largest, and the surge nodes an upgrade adds. */
export interface PoolNodes {
  readonly pool: NodePool;
  readonly nodes: number;
  readonly surge: number;
}

/** The most nodes a pool runs: the autoscaler maximum where set, else its count; undefined when unknown. */
export function maxNodes(pool: NodePool): number | undefined {
  const autoscaling = pool.enableAutoScaling.known ? pool.enableAutoScaling.value : undefined;
  if (autoscaling !== false && pool.maxCount.known) return pool.maxCount.value;
  if (pool.count.known) return pool.count.value;
  return undefined;
}

/** The fewest nodes a pool runs: the autoscaler minimum where autoscaling is on, else its count. */
export function minNodes(pool: NodePool): number | undefined {
  const autoscaling = pool.enableAutoScaling.known ? pool.enableAutoScaling.value : undefined;
  if (autoscaling === true && pool.minCount.known) return pool.minCount.value;
  if (pool.count.known) return pool.count.value;
  if (autoscaling !== false && pool.minCount.known) return pool.minCount.value;
  return undefined;
}

/**
 * Surge nodes during an upgrade: maxSurge as a count or a percentage of the nodes (rounded up); 1 when unset.
 * Never more than the nodes upgraded: AKS uses the node count where maxSurge is higher (UPGRADE_SURGE_DEFAULT).
 */
export function surgeNodes(pool: NodePool, nodes: number): number | undefined {
  const written = writtenSurge(pool, nodes);
  return written === undefined ? undefined : Math.min(written, nodes);
}

/** maxSurge as written, in nodes, before AKS caps it at the node count. */
function writtenSurge(pool: NodePool, nodes: number): number | undefined {
  if (isNotSet(pool.maxSurge)) return UPGRADE_SURGE_DEFAULT.value;
  if (!pool.maxSurge.known) return undefined;
  const text = pool.maxSurge.value.trim();
  const percent = /^(\d+)%$/.exec(text);
  if (percent) return Math.ceil((nodes * Number(percent[1])) / 100);
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function poolNodes(pool: NodePool): PoolNodes | undefined {
  const nodes = maxNodes(pool);
  if (nodes === undefined) return undefined;
  const surge = surgeNodes(pool, nodes);
  return surge === undefined ? undefined : { pool, nodes, surge };
}

/** maxPods of a pool: as written, or the mode's documented default when unset; undefined when unknown. */
export function effectiveMaxPods(pool: NodePool, mode: NetworkMode): { value: number; isDefault: boolean } | undefined {
  if (pool.maxPods.known) return { value: pool.maxPods.value, isDefault: false };
  if (!isNotSet(pool.maxPods)) return undefined;
  const fallback = MAX_PODS_DEFAULTS.value[mode as keyof typeof MAX_PODS_DEFAULTS.value];
  return fallback === undefined ? undefined : { value: fallback, isDefault: true };
}

/** maxPods where it does not change a node subnet's demand (AKS's default plugin): never shown. */
const ANY_MAX_PODS = { value: 0, isDefault: false } as const;

/** Addresses each node of a pool takes in its node subnet. */
export function nodeSubnetAddressesPerNode(mode: SizingMode, maxPods: number): number {
  return mode === 'azure-cni' ? CNI_NODE_SUBNET_ADDRESSES.value.perNode(maxPods) : NODE_ONLY_SUBNET_ADDRESSES.value;
}

/** Addresses each node of a pool takes in its pod subnet: 16 at least (dynamic), whole /28 blocks (static). */
export function podSubnetAddressesPerNode(staticBlock: boolean, maxPods: number): number {
  if (!staticBlock) return POD_SUBNET_DYNAMIC_BATCH.value;
  const block = POD_SUBNET_STATIC_BLOCK.value;
  return Math.ceil((maxPods + 1) / block) * block;
}

/** What one cluster's pools take from one subnet. */
export interface ClusterDemand {
  readonly cluster: Cluster;
  readonly mode: SizingMode;
  readonly use: 'nodes' | 'pods';
  readonly pools: { nodes: PoolNodes; perNode: number; maxPods: number; maxPodsIsDefault: boolean }[];
  readonly addresses: number;
}

/** Everything a subnet must hold, and whether all of it could be counted. */
export interface SubnetDemand {
  readonly subnet: Subnet;
  readonly usable: bigint;
  readonly clusters: ClusterDemand[];
  /** Static internal load balancer IPs found in the workspace that fall in the subnet. */
  readonly loadBalancerIps: number;
  readonly required: number;
  /** False when some consumer's size is unknown: no capacity finding can then be made. */
  readonly complete: boolean;
  /**
   * The environment (parameters file) whose deployments this demand counts: a subnet a template declares alike in
   * several environments is sized once per environment, since their clusters never run side by side.
   */
  readonly environment?: string;
}

/** The demand on every subnet that some cluster uses for nodes or pods. */
export function subnetDemands(model: NetworkModel): readonly SubnetDemand[] {
  const cached = demandsByModel.get(model);
  if (cached) return cached;
  type Entry = { clusters: Map<string, ClusterDemand>; complete: boolean };
  const bySubnet = new Map<Subnet, Map<string | undefined, Entry>>();
  const clusters = new Map(model.clusters.map((cluster) => [cluster.key, cluster]));
  for (const pool of model.nodePools) {
    const cluster = pool.clusterKey === undefined ? undefined : clusters.get(pool.clusterKey);
    const environment = cluster?.environment;
    const entry = (subnet: Subnet) => {
      let worlds = bySubnet.get(subnet);
      if (!worlds) bySubnet.set(subnet, (worlds = new Map()));
      let found = worlds.get(environment);
      if (!found) worlds.set(environment, (found = { clusters: new Map(), complete: true }));
      return found;
    };
    const nodeReference = pool.nodeSubnet ?? cluster?.defaultNodeSubnet;
    const nodeSubnet = nodeReference && resolveSubnet(model, nodeReference);
    const podSubnet = pool.podSubnet && resolveSubnet(model, pool.podSubnet);
    if (!nodeSubnet && !podSubnet) continue; // an AKS-managed network: not ours to size
    const mode = cluster && sizingModeOf(model, cluster);
    const nodes = poolNodes(pool);
    // With AKS's default plugin nodes take one address each whatever maxPods is; a pod subnet needs Azure CNI.
    const maxPods = mode === 'aks-default' ? (podSubnet ? undefined : ANY_MAX_PODS) : mode && effectiveMaxPods(pool, mode);
    if (!cluster || !mode || !nodes || !maxPods) {
      for (const subnet of [nodeSubnet, podSubnet]) if (subnet) entry(subnet).complete = false;
      continue;
    }
    const add = (subnet: Subnet, use: ClusterDemand['use'], perNode: number) => {
      const demands = entry(subnet).clusters;
      const key = `${cluster.key}/${use}`;
      const existing = demands.get(key) ?? { cluster, mode, use, pools: [], addresses: 0 };
      demands.set(key, {
        ...existing,
        pools: [...existing.pools, { nodes, perNode, maxPods: maxPods.value, maxPodsIsDefault: maxPods.isDefault }],
        addresses: existing.addresses + (nodes.nodes + nodes.surge) * perNode,
      });
    };
    if (nodeSubnet) add(nodeSubnet, 'nodes', nodeSubnetAddressesPerNode(mode, maxPods.value));
    if (podSubnet) {
      const staticBlock = isValue(pool.podIpAllocationMode, 'StaticBlock');
      if (!staticBlock && !isNotSet(pool.podIpAllocationMode) && !pool.podIpAllocationMode.known) entry(podSubnet).complete = false;
      else add(podSubnet, 'pods', podSubnetAddressesPerNode(staticBlock, maxPods.value));
    }
  }
  const loadBalancerIps = sortedLoadBalancerIps(model);
  const result = [...bySubnet].flatMap(([subnet, worlds]) => [...worlds].map(([environment, { clusters: demands, complete }]): SubnetDemand => {
    const prefixes = knownValues(subnet.prefixes).filter((prefix) => prefix.value.family === 4);
    const usable = prefixes.reduce((sum, prefix) => sum + azureUsableAddresses(prefix.value), 0n);
    const ips = new Set(prefixes.flatMap((prefix) => addressesIn(loadBalancerIps, prefix.value)));
    const clusterList = [...demands.values()];
    const required = clusterList.reduce((sum, demand) => sum + demand.addresses, 0) + ips.size;
    const allPrefixesKnown = subnet.prefixes.length > 0 && subnet.prefixes.every((prefix) => prefix.known);
    const counted = complete && allPrefixesKnown && prefixes.length > 0;
    return { subnet, usable, clusters: clusterList, loadBalancerIps: ips.size, required, complete: counted, ...(environment !== undefined ? { environment } : {}) };
  }));
  demandsByModel.set(model, result);
  return result;
}

/** Subnet demands per model: rules, hovers, lenses and the map ask for them many times; a model never changes. */
const demandsByModel = new WeakMap<NetworkModel, readonly SubnetDemand[]>();

/** The distinct static IPv4 load balancer IPs of the model's Services, in ascending order. */
function sortedLoadBalancerIps(model: NetworkModel): bigint[] {
  const ips = new Set(
    knownValues(model.services.map((service) => service.loadBalancerIp))
      .filter((ip) => ip.value.family === 4)
      .map((ip) => ip.value.value),
  );
  return [...ips].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The addresses of a sorted list that an IPv4 block contains (binary search for the block's first address). */
function addressesIn(sorted: readonly bigint[], block: Cidr): bigint[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < block.network) low = middle + 1;
    else high = middle;
  }
  const found: bigint[] = [];
  for (let i = low; i < sorted.length && containsIp(block, { family: 4, value: sorted[i]! }); i++) found.push(sorted[i]!);
  return found;
}

/** All pools of a cluster with their node counts; undefined when any pool's size is unknown. */
export function clusterNodes(model: NetworkModel, cluster: Cluster): PoolNodes[] | undefined {
  const pools = poolsOf(model, cluster);
  if (pools.length === 0) return undefined;
  const counted = pools.map(poolNodes);
  return counted.every((c): c is PoolNodes => c !== undefined) ? counted : undefined;
}

/** How many per-node /24 ranges a kubenet or overlay cluster's IPv4 pod CIDRs hold; undefined when one cannot be evaluated. */
export function podCidrNodeRanges(cluster: Cluster): { ranges: Known<Cidr>[]; capacity: number } | undefined {
  const ranges = knownValues(cluster.podCidrs).filter((range) => range.value.family === 4);
  if (ranges.length === 0 || ranges.length !== cluster.podCidrs.filter((v) => !v.known || v.value.family === 4).length) return undefined;
  const perNode = POD_CIDR_PER_NODE_PREFIX.value;
  const capacity = ranges.reduce((sum, range) => sum + (range.value.prefix <= perNode ? 2 ** (perNode - range.value.prefix) : 0), 0);
  return { ranges, capacity };
}

/** Total nodes and surge nodes of a list of pools. */
export function totals(pools: readonly PoolNodes[]): { nodes: number; surge: number } {
  return pools.reduce((sum, p) => ({ nodes: sum.nodes + p.nodes, surge: sum.surge + p.surge }), { nodes: 0, surge: 0 });
}
