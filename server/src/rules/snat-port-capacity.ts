// Outbound SNAT capacity: allocated ports per node times nodes (with surge) against 64,000 ports per load
// balancer IP, and outbound IP counts within what AKS accepts.
import { automaticPortsPerNode, egressThroughLoadBalancer, explainSnat, loadBalancerSnat, type SnatDemand, snatRemedies } from '../capacity/snatPorts';
import { formatCount } from '../cidr/cidr';
import { LOAD_BALANCER_DEFAULT_PORTS, LOAD_BALANCER_SNAT, NAT_GATEWAY_SNAT } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import type { Known, Value } from '../model/source';
import { replaceWith } from './fixes';
import { defineRule, type Fix, type Reported } from './rule';
import { isValue } from '../model/enums';

/** What a fix changes: allocatedOutboundPorts to a valid value, or the outbound IPs and ports of a cluster short of ports. */
type SnatFixable =
  | { readonly kind: 'ports'; readonly ports: Known<number>; readonly valid: number }
  | { readonly kind: 'shortfall'; readonly cluster: Cluster; readonly demand: SnatDemand };

function countOutOfRange(value: Value<number>, range: { min: number; max: number }, what: string): Reported<SnatFixable>[] {
  if (!value.known || (value.value >= range.min && value.value <= range.max)) return [];
  return [{ message: `${what} is ${value.value}; AKS accepts ${range.min} to ${range.max}.`, source: value.source }];
}

function clusterFindings(model: NetworkModel, cluster: Cluster): Reported<SnatFixable>[] {
  const { allocatedOutboundPorts: ports, loadBalancerManagedIps, natGatewayManagedIps } = cluster.outboundIps;
  const findings: Reported<SnatFixable>[] = [];
  if (egressThroughLoadBalancer(cluster)) {
    findings.push(...countOutOfRange(loadBalancerManagedIps, LOAD_BALANCER_SNAT.value.managedIps, 'The load balancer\'s managed outbound IP count'));
    const { maxPortsPerNode, portsMultiple } = LOAD_BALANCER_SNAT.value;
    if (ports.known && (ports.value < 0 || ports.value > maxPortsPerNode || ports.value % portsMultiple !== 0)) {
      const valid = Math.min(maxPortsPerNode, Math.max(0, Math.floor(ports.value / portsMultiple) * portsMultiple));
      findings.push({
        message: `allocatedOutboundPorts is ${formatCount(ports.value)}; it must be a multiple of ${portsMultiple} from 0 (automatic) to ${formatCount(maxPortsPerNode)}.`,
        source: ports.source,
        subject: { kind: 'ports', ports, valid },
      });
      return findings;
    }
    const demand = loadBalancerSnat(model, cluster);
    if (demand && demand.needed > demand.available) {
      const { ipsNeeded, maxPortsPerNode: fits } = snatRemedies(demand);
      const served = Math.floor(demand.available / demand.portsPerNode.value);
      const lower = fits > 0 ? ` or lower allocatedOutboundPorts to ${formatCount(fits)}` : '';
      const automatic = automaticPortsPerNode(demand.nodes + demand.surge);
      const auto = automatic ? `, or set it to 0 for automatic allocation (${formatCount(automatic)} ports per node at this size)` : '';
      findings.push({
        message:
          `Outbound SNAT ports run out: ${explainSnat(demand)}. Past ${formatCount(served)} nodes, new nodes (scale-out or upgrade surge) get no outbound ports. ` +
          `Use ${ipsNeeded} outbound IPs${lower}${auto}.`,
        source: demand.portsPerNode.source,
        subject: { kind: 'shortfall', cluster, demand },
      });
    }
  }
  if (isValue(cluster.outboundType, 'managedNATGateway')) findings.push(...countOutOfRange(natGatewayManagedIps, NAT_GATEWAY_SNAT.value.managedIps, 'The managed NAT gateway\'s outbound IP count'));
  return findings;
}

function snatFixes(subject: SnatFixable): Fix[] {
  if (subject.kind === 'ports') return [replaceWith(`Use ${formatCount(subject.valid)} ports per node`, subject.ports.source, subject.valid)];
  const { cluster, demand } = subject;
  const { ipsNeeded, maxPortsPerNode: fits } = snatRemedies(demand);
  const fixes: Fix[] = [];
  const managed = cluster.outboundIps.loadBalancerManagedIps;
  // Only a written managed count can be raised in place; an outboundIPs list needs new public IP resources.
  if (managed.known && cluster.outboundIps.loadBalancerIps === managed && ipsNeeded <= LOAD_BALANCER_SNAT.value.managedIps.max) {
    fixes.push(replaceWith(`Use ${ipsNeeded} managed outbound IPs`, managed.source, ipsNeeded));
  }
  if (fits > 0) fixes.push(replaceWith(`Lower allocatedOutboundPorts to ${formatCount(fits)}`, demand.portsPerNode.source, fits));
  return fixes;
}

export const snatPortCapacity = defineRule<SnatFixable>({
  id: 'snat-port-capacity',
  title: 'Outbound SNAT ports or IPs out of range',
  defaultSeverity: 'warning',
  facts: [LOAD_BALANCER_SNAT, LOAD_BALANCER_DEFAULT_PORTS, NAT_GATEWAY_SNAT],
  check: (model) => model.clusters.flatMap((cluster) => clusterFindings(model, cluster)),
  fixes: (_model, subject) => snatFixes(subject),
});
