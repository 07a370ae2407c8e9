// Short, exact sentences about capacity, shared by rule messages and hovers.
import { formatCount } from '../cidr/cidr';
import { type ClusterDemand, type SubnetDemand, totals } from './ipDemand';
import { NETWORK_MODE_NAMES } from './networkMode';

const plural = (count: number, word: string) => `${formatCount(BigInt(count))} ${word}${count === 1 ? '' : 's'}`;

/** "Azure CNI: 2 pools, 12 nodes max + 2 surge, 31 addresses each = 434" */
export function explainClusterDemand(demand: ClusterDemand): string {
  const { nodes, surge } = totals(demand.pools.map((p) => p.nodes));
  const perNode = [...new Set(demand.pools.map((p) => p.perNode))].sort((a, b) => a - b);
  // maxPods matters only where pods take subnet addresses.
  const podsCount = demand.use === 'pods' || demand.mode === 'azure-cni';
  const defaulted = demand.pools.find((p) => p.maxPodsIsDefault);
  const defaults = podsCount && defaulted ? ` (default maxPods ${defaulted.maxPods})` : '';
  const what = `${demand.use === 'pods' ? 'pod ' : ''}address${perNode.length === 1 && perNode[0] === 1 ? '' : 'es'}`;
  return (
    `${NETWORK_MODE_NAMES[demand.mode]}: ${plural(demand.pools.length, 'pool')}, ${plural(nodes, 'node')} max + ${formatCount(BigInt(surge))} surge, ` +
    `${perNode.map((n) => formatCount(BigInt(n))).join(' or ')} ${what} each${defaults} = ${formatCount(BigInt(demand.addresses))}`
  );
}

/** "434 addresses needed of 1,019 usable (43%)" */
export function explainUsage(demand: SubnetDemand): string {
  const ratio = demand.usable > 0n ? (demand.required * 100) / Number(demand.usable) : undefined;
  const percent = ratio === undefined ? '' : ratio > 0 && ratio < 1 ? ' (<1%)' : ` (${Math.round(ratio)}%)`;
  return `${formatCount(BigInt(demand.required))} addresses needed of ${formatCount(demand.usable)} usable${percent}`;
}

/** Every consumer of a subnet, one per line. */
export function explainSubnetDemand(demand: SubnetDemand): string[] {
  const lines = demand.clusters.map((cluster) => `cluster ${cluster.cluster.name}, ${explainClusterDemand(cluster)}`);
  if (demand.loadBalancerIps > 0) lines.push(`${plural(demand.loadBalancerIps, 'static internal load balancer IP')}`);
  return lines;
}
