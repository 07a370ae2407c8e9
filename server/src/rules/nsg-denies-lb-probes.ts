// An NSG on a cluster's node subnet that denies Azure Load Balancer's health probes (source AzureLoadBalancer,
// 168.63.129.16) to the node ports: the load balancer marks every node down, and every LoadBalancer Service and the
// ingress behind it stop answering.
import { type Cidr, formatCidr, type IpAddress, parseIp } from '../cidr/cidr';
import { AZURE_LOAD_BALANCER_PROBE_SOURCE, NODE_PORT_RANGE, NSG_DEFAULT_RULES } from '../facts';
import type { Cluster, NetworkModel, NetworkSecurityGroup, Subnet } from '../model/network';
import { isLoadBalancer } from '../model/queries';
import { knownValues } from '../model/source';
import { nodeSubnetsOf, securityGroupsOf } from '../model/topology';
import { compileGroup, type DecidingRule, evaluateRegion, type Flow, type Verdict } from '../network/nsg';
import { tagContextOf } from './networkAround';
import { defineRule, type Reported } from './rule';

const probe = parseIp(AZURE_LOAD_BALANCER_PROBE_SOURCE.value.address);
const PROBE: IpAddress | undefined = probe.ok ? probe.ip : undefined;

/** Port pieces as text: `30000-30999, 31005`. */
export function portText(ports: number[], cuts: number[], last: number): string {
  const pieces = ports.map((port) => {
    const next = cuts.find((cut) => cut > port);
    const end = (next ?? last + 1) - 1;
    return end === port ? `${port}` : `${port}-${end}`;
  });
  return pieces.join(', ');
}

/** A node subnet's NSG judged against Azure Load Balancer's health probes on the node ports, flow piece by piece. */
export interface ProbeJudgement {
  readonly cluster: Cluster;
  readonly subnet: Subnet;
  readonly groups: readonly NetworkSecurityGroup[];
  readonly destinations: readonly Cidr[];
  readonly results: readonly { flow: Flow; verdict: Verdict }[];
}

/**
 * Each cluster's node subnets that have an NSG, with the verdicts for the probes (TCP from the probe address to the
 * subnet's addresses on the node ports). The network map's ingress paths show the same judgement on the probes' hop.
 */
export function probeJudgements(model: NetworkModel): ProbeJudgement[] {
  if (!PROBE) return [];
  const { min, max } = NODE_PORT_RANGE.value;
  const judged: ProbeJudgement[] = [];
  for (const cluster of model.clusters) {
    for (const subnet of nodeSubnetsOf(model, cluster)) {
      const groups = securityGroupsOf(model, subnet);
      const destinations = knownValues(subnet.prefixes).map((p) => p.value).filter((p) => p.family === 4);
      if (groups.length === 0 || destinations.length === 0) continue;
      const results = evaluateRegion(
        compileGroup(groups),
        { direction: 'Inbound', protocol: 'Tcp', source: PROBE, destinations, ports: { lo: min, hi: max } },
        tagContextOf(model, subnet),
      );
      judged.push({ cluster, subnet, groups, destinations, results });
    }
  }
  return judged;
}

function check(model: NetworkModel): Reported[] {
  const services = model.services.some(isLoadBalancer);
  const findings: Reported[] = [];
  const reported = new Set<string>();
  const { min, max } = NODE_PORT_RANGE.value;
  for (const { cluster, subnet, groups, destinations, results } of probeJudgements(model)) {
    const cuts = [...new Set(results.map((r) => r.flow.destinationPort))].sort((a, b) => a - b);
    const byRule = new Map<DecidingRule, number[]>();
    for (const { flow, verdict } of results) {
      if (!verdict.known || verdict.access !== 'Deny') continue;
      const ports = byRule.get(verdict.rule) ?? [];
      if (!ports.includes(flow.destinationPort)) ports.push(flow.destinationPort);
      byRule.set(verdict.rule, ports);
    }
    for (const [rule, ports] of byRule) {
      // A default rule cannot deny the probe (AllowAzureLoadBalancerInBound comes before DenyAllInBound): only one's own.
      if (rule.isDefault || !rule.source) continue;
      const key = `${rule.source.uri}:${rule.source.start}|${subnet.name}|${subnet.vnetKey}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const portList = portText(ports.sort((a, b) => a - b), cuts, max);
      findings.push({
        message:
          `Security rule ${rule.name} (priority ${rule.priority}) of NSG ${groups[0]!.name} denies Azure Load Balancer's health probes ` +
          `(${AZURE_LOAD_BALANCER_PROBE_SOURCE.value.serviceTag}, ${AZURE_LOAD_BALANCER_PROBE_SOURCE.value.address}) to node subnet ${subnet.name} ` +
          `(${destinations.map(formatCidr).join(', ')}) on TCP ${portList === `${min}-${max}` ? `node ports ${portList}` : `ports ${portList} of the node port range`}, ` +
          `above the default ${NSG_DEFAULT_RULES.value[1]!.name}: the load balancer marks cluster ${cluster.name}'s nodes down and ` +
          `${services ? "the workspace's LoadBalancer Services stop answering" : 'every LoadBalancer Service and ingress of the cluster will stop answering'}. ` +
          `Allow ${AZURE_LOAD_BALANCER_PROBE_SOURCE.value.serviceTag} inbound at a higher priority.`,
        source: rule.source,
        severity: services ? 'error' : 'warning',
        related: [
          { message: `node subnet ${subnet.name}`, source: subnet.source },
          { message: `cluster ${cluster.name}`, source: cluster.source },
        ],
      });
    }
  }
  return findings;
}

export const nsgDeniesLbProbes = defineRule({
  id: 'nsg-denies-lb-probes',
  title: 'NSG on a node subnet denies Azure Load Balancer health probes',
  defaultSeverity: 'error',
  facts: [AZURE_LOAD_BALANCER_PROBE_SOURCE, NSG_DEFAULT_RULES, NODE_PORT_RANGE],
  check,
});
