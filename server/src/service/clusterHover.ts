// Hover on a cluster's or pool's sizing fields (networkPlugin, maxPods, node counts, outbound ports): the
// cluster's capacity in numbers — subnet addresses, pod CIDR ranges, kubenet routes and SNAT ports.
import { formatCidr, formatCount, formatIp } from '../cidr/cidr';
import { aksDefaultRanges } from '../capacity/defaultRanges';
import { explainClusterDemand, explainUsage } from '../capacity/explain';
import { clusterNodes, effectiveMaxPods, podCidrNodeRanges, poolNodes, subnetDemands, totals } from '../capacity/ipDemand';
import { explainRoutes, kubenetRoutes } from '../capacity/kubenetRoutes';
import { NETWORK_MODE_NAMES, networkModeOf } from '../capacity/networkMode';
import { automaticPortsPerNode, egressThroughLoadBalancer, explainSnat, loadBalancerSnat } from '../capacity/snatPorts';
import { KUBENET_ROUTE_LIMIT, POD_CIDR_PER_NODE_PREFIX } from '../facts';
import type { Cluster, NetworkModel, NodePool } from '../model/network';
import type { Value } from '../model/source';
import { poolsOf } from '../model/topology';

const percent = (part: number, whole: number) => (whole > 0 ? ` (${Math.round((part * 100) / whole)}%)` : '');

/** Where a value is written, when it is written at this offset of this file. */
const writtenAt = (value: Value<unknown>, uri: string, offset: number) =>
  value.source !== undefined && value.source.uri === uri && value.source.start <= offset && offset <= value.source.end;

/** The cluster and, for a pool field, the pool whose sizing field is written at the offset. */
export function sizingFieldAt(model: NetworkModel, uri: string, offset: number): { cluster: Cluster; pool?: NodePool; range: { start: number; end: number } } | undefined {
  for (const cluster of model.clusters) {
    const fields = [cluster.networkPlugin, cluster.networkPluginMode, cluster.networkDataplane, cluster.outboundType, ...Object.values(cluster.outboundIps)];
    const field = fields.find((value) => writtenAt(value, uri, offset));
    if (field) return { cluster, range: field.source! };
  }
  for (const pool of model.nodePools) {
    const field = [pool.count, pool.minCount, pool.maxCount, pool.maxPods, pool.maxSurge].find((value) => writtenAt(value, uri, offset));
    const cluster = field && model.clusters.find((c) => c.key === pool.clusterKey);
    if (field && cluster) return { cluster, pool, range: field.source! };
  }
  return undefined;
}

/** One line per pool: its largest size, its surge, and its pods per node. */
function poolLine(model: NetworkModel, cluster: Cluster, pool: NodePool): string {
  const counted = poolNodes(pool);
  const mode = networkModeOf(model, cluster);
  const maxPods = mode && effectiveMaxPods(pool, mode);
  const size = counted ? `${formatCount(counted.nodes)} nodes max + ${formatCount(counted.surge)} surge` : 'size unknown';
  const pods = maxPods ? `, maxPods ${maxPods.value}${maxPods.isDefault ? ' (default)' : ''}` : '';
  return `pool ${pool.name}: ${size}${pods}`;
}

/** The capacity of a cluster, as markdown lines. */
export function describeClusterCapacity(model: NetworkModel, cluster: Cluster, pool?: NodePool): string[] {
  const mode = networkModeOf(model, cluster);
  const lines = [`**Cluster ${cluster.name}**${mode ? ` · ${NETWORK_MODE_NAMES[mode]}` : ''}`, ''];
  const pools = poolsOf(model, cluster);
  const shown = pool ? [pool, ...pools.filter((p) => p !== pool)] : pools;
  lines.push(...shown.map((p) => `- ${poolLine(model, cluster, p)}`));
  for (const range of aksDefaultRanges(model, cluster)) {
    const field = range.kind === 'service' ? 'serviceCidr' : 'podCidr';
    const dns = range.dnsServiceIp ? `, DNS service IP ${formatIp(range.dnsServiceIp)}` : '';
    lines.push(`- ${range.kind} CIDR ${formatCidr(range.range)}${dns}: AKS's default, since ${field} is not set`);
  }
  for (const demand of subnetDemands(model)) {
    for (const mine of demand.clusters.filter((d) => d.cluster === cluster)) {
      const range = demand.subnet.prefixes.map((p) => (p.known ? formatCidr(p.value) : '?')).join(', ');
      const usage = demand.complete ? explainUsage(demand) : 'not all of its users could be counted';
      lines.push(`- ${mine.use === 'pods' ? 'pod' : 'node'} subnet ${demand.subnet.name} (${range}): ${explainClusterDemand(mine)}; ${usage}`);
    }
  }
  const counted = clusterNodes(model, cluster);
  const all = counted && totals(counted);
  const size = all && all.nodes + all.surge;
  const podRanges = podCidrNodeRanges(cluster);
  if ((mode === 'kubenet' || mode === 'overlay') && podRanges && size !== undefined) {
    lines.push(
      `- pod CIDR ${podRanges.ranges.map((r) => formatCidr(r.value)).join(', ')}: ${formatCount(size)} of ${formatCount(podRanges.capacity)} node ranges (/${POD_CIDR_PER_NODE_PREFIX.value})${percent(size, podRanges.capacity)}`,
    );
  }
  const routes = mode === 'kubenet' ? kubenetRoutes(model, cluster) : undefined;
  if (routes) lines.push(`- kubenet routes: ${explainRoutes(routes)}${percent(routes.total, KUBENET_ROUTE_LIMIT.value)}`);
  const snat = loadBalancerSnat(model, cluster);
  if (snat) lines.push(`- outbound SNAT: ${explainSnat(snat)}`);
  else if (egressThroughLoadBalancer(cluster) && size !== undefined && !cluster.outboundIps.allocatedOutboundPorts.known) {
    const ports = automaticPortsPerNode(size);
    if (ports) lines.push(`- outbound SNAT: automatic allocation, ${formatCount(ports)} ports per node at ${formatCount(size)} nodes`);
  }
  return lines;
}
