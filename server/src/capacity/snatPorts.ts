// Outbound SNAT ports: what a cluster's load balancer hands out per node against what its outbound IPs hold.
// The one place for the SNAT formulas; the snat-port-capacity rule and hovers call it.
import { formatCount } from '../cidr/cidr';
import { LOAD_BALANCER_DEFAULT_PORTS, LOAD_BALANCER_SNAT } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import { isNotSet, type Known } from '../model/source';
import { clusterNodes, totals } from './ipDemand';
import { isValue } from '../model/enums';

/** The SNAT ports a load-balancer-egress cluster needs at its largest (max nodes + surge) and what its IPs hold. */
export interface SnatDemand {
  readonly nodes: number;
  readonly surge: number;
  /** allocatedOutboundPorts as written (> 0). */
  readonly portsPerNode: Known<number>;
  readonly ips: number;
  /** True when the IP count is AKS's default (no managedOutboundIPs, outboundIPs or prefixes written). */
  readonly ipsIsDefault: boolean;
  readonly needed: number;
  readonly available: number;
}

/** True when the cluster's egress goes through its load balancer (outboundType loadBalancer, the default). */
export function egressThroughLoadBalancer(cluster: Cluster): boolean {
  if (isNotSet(cluster.outboundType)) return true;
  return isValue(cluster.outboundType, 'loadBalancer');
}

/**
 * SNAT demand for a cluster whose allocatedOutboundPorts is fixed; undefined when egress does not use the load
 * balancer, ports are automatic (0 or not set), or the node count or IP count cannot be evaluated.
 */
export function loadBalancerSnat(model: NetworkModel, cluster: Cluster): SnatDemand | undefined {
  const { allocatedOutboundPorts: ports, loadBalancerIps } = cluster.outboundIps;
  if (!egressThroughLoadBalancer(cluster) || !ports.known || ports.value <= 0) return undefined;
  const ipsIsDefault = isNotSet(loadBalancerIps);
  const ips = loadBalancerIps.known ? loadBalancerIps.value : ipsIsDefault ? LOAD_BALANCER_SNAT.value.managedIps.default : undefined;
  const pools = clusterNodes(model, cluster);
  if (ips === undefined || pools === undefined) return undefined;
  const { nodes, surge } = totals(pools);
  return { nodes, surge, portsPerNode: ports, ips, ipsIsDefault, needed: (nodes + surge) * ports.value, available: ips * LOAD_BALANCER_SNAT.value.portsPerIp };
}

/** The ports per node automatic allocation gives a backend pool of this size; undefined past the table. */
export function automaticPortsPerNode(nodes: number): number | undefined {
  return LOAD_BALANCER_DEFAULT_PORTS.value.find((tier) => nodes <= tier.upToNodes)?.ports;
}

/** The fewest IPs that hold the demand, and the most ports per node (a multiple of 8) the current IPs allow. */
export function snatRemedies(demand: SnatDemand): { ipsNeeded: number; maxPortsPerNode: number } {
  const { portsPerIp, portsMultiple } = LOAD_BALANCER_SNAT.value;
  const nodes = demand.nodes + demand.surge;
  return {
    ipsNeeded: Math.ceil(demand.needed / portsPerIp),
    maxPortsPerNode: Math.floor(demand.available / nodes / portsMultiple) * portsMultiple,
  };
}

/** "23 nodes (20 max + 3 surge) x 1,024 ports = 23,552 of 64,000 SNAT ports (1 outbound IP, 37%)" */
export function explainSnat(demand: SnatDemand): string {
  const all = demand.nodes + demand.surge;
  const percent = Math.round((demand.needed * 100) / demand.available);
  const ips = `${demand.ips} outbound IP${demand.ips === 1 ? '' : 's'}${demand.ipsIsDefault ? ', the default' : ''}`;
  return (
    `${formatCount(all)} nodes (${formatCount(demand.nodes)} max + ${formatCount(demand.surge)} surge) x ${formatCount(demand.portsPerNode.value)} ports = ` +
    `${formatCount(demand.needed)} of ${formatCount(demand.available)} SNAT ports (${ips}, ${percent}%)`
  );
}
