// The decisions on the traffic paths' hops, from the judgements the rules make (no second evaluator): a public
// LoadBalancer Service's clients through the node subnet's NSG (nsg-denies-lb-service-port), Azure Load Balancer's
// health probes (nsg-denies-lb-probes), the nodes' AKS egress through the node subnet's NSG outbound, and the default
// route a node subnet's egress takes (udr-next-hop-not-firewall). Each verdict names the rule that decides and where it
// is written; a hover on a security rule lists the flows it decides (`nsgDecisions`).
import { formatIp } from '../cidr/cidr';
import { AKS_EGRESS_REQUIREMENTS, NODE_PORT_RANGE } from '../facts';
import { isValue } from '../model/enums';
import type { Cluster, Firewall, KubernetesService, NetworkModel, NetworkSecurityGroup, Route, Subnet } from '../model/network';
import { namespaceOf } from '../model/queries';
import { knownValues, type Source } from '../model/source';
import { nodeSubnetsOf, securityGroupsOf } from '../model/topology';
import { compileGroup, type DecidingRule, evaluateBlocks, EVERY_IPV4, isPublicAddress } from '../network/nsg';
import { tagContextOf } from '../rules/networkAround';
import { portText, probeJudgements } from '../rules/nsg-denies-lb-probes';
import { ruleName, type ServiceReach, serviceReachJudgements } from '../rules/nsg-denies-lb-service-port';
import { routesToNoFirewall } from '../rules/udr-next-hop-not-firewall';
import type { MapVerdict } from './networkMapData';

/** A hop's decision while the diagram is built (its source becomes the map's MapSource when laid out). */
export interface HopVerdict {
  readonly decision: MapVerdict['decision'];
  readonly reason: string;
  readonly at?: Source;
}

/** One flow of the workspace's paths and the security rule that decides it: what a hover on that rule lists. */
export interface NsgDecision {
  readonly flow: string;
  readonly decision: 'allowed' | 'denied';
  readonly group: string;
  readonly rule: DecidingRule;
}

/** Where a deciding rule is written; a default rule's stand-in is the subnet's association with the NSG. */
function sourceOf(rule: DecidingRule, subnet: Subnet, groups: readonly NetworkSecurityGroup[]): Source | undefined {
  if (rule.source) return rule.source;
  const association = subnet.networkSecurityGroup;
  return association?.known ? association.source : groups[0]?.source;
}

const byNsg = (groups: readonly NetworkSecurityGroup[], rules: readonly DecidingRule[]) => `NSG ${groups[0]!.name} ${rules.map(ruleName).join(', ')}`;

/** A hop's verdict from its parts: denied if one is, else unknown if one is, else allowed. */
function combine(parts: readonly { decision: MapVerdict['decision']; text: string; at?: Source }[]): HopVerdict | undefined {
  if (parts.length === 0) return undefined;
  const decision = parts.some((p) => p.decision === 'denied') ? 'denied' : parts.some((p) => p.decision === 'unknown') ? 'unknown' : 'allowed';
  const deciding = parts.find((p) => p.decision === decision && p.at) ?? parts.find((p) => p.at);
  const ordered = [...parts.filter((p) => p.decision === decision), ...parts.filter((p) => p.decision !== decision)];
  return { decision, reason: ordered.map((p) => p.text).join('; '), ...(deciding?.at ? { at: deciding.at } : {}) };
}

const portLabel = (port: { protocol: string; port: number }) => `${port.protocol.toUpperCase()} ${port.port}`;

/** The Service's clients through each node subnet's NSG: denied when a port is denied on every node subnet judged. */
export function serviceVerdict(reaches: readonly ServiceReach[]): HopVerdict | undefined {
  const parts: { decision: MapVerdict['decision']; text: string; at?: Source }[] = [];
  for (const reach of reaches) {
    if (reach.unknown) {
      parts.push({ decision: 'unknown', text: `NSG ${reach.groups[0]!.name} on subnet ${reach.subnet.name}: ${reach.unknown}` });
      continue;
    }
    for (const port of reach.ports) {
      const where = `on subnet ${reach.subnet.name}`;
      if (port.decision === 'denied') {
        const deniedEverywhere = reaches.every((r) => r.ports.some((p) => p.port === port.port && p.protocol === port.protocol && p.decision === 'denied'));
        parts.push({
          decision: deniedEverywhere ? 'denied' : 'allowed',
          text: `${portLabel(port)} from ${reach.clients} denied by ${byNsg(reach.groups, port.deniedBy)} ${where}`,
          at: sourceOf(port.deniedBy[0]!, reach.subnet, reach.groups),
        });
      } else if (port.decision === 'allowed') {
        const partly = port.partly ? ` (only some of them: ${port.deniedBy.length > 0 ? `the rest denied by ${port.deniedBy.map(ruleName).join(', ')}` : 'the rest not known'})` : '';
        parts.push({ decision: 'allowed', text: `${portLabel(port)} from ${reach.clients} allowed by ${byNsg(reach.groups, port.allowedBy)} ${where}${partly}`, at: sourceOf(port.allowedBy[0]!, reach.subnet, reach.groups) });
      } else {
        parts.push({ decision: 'unknown', text: `${portLabel(port)} from ${reach.clients} through NSG ${reach.groups[0]!.name} ${where}: ${port.reason}` });
      }
    }
  }
  return combine(parts);
}

/** Each public LoadBalancer Service's judgements, by Service. */
export function serviceReaches(model: NetworkModel): Map<KubernetesService, ServiceReach[]> {
  const found = new Map<KubernetesService, ServiceReach[]>();
  for (const reach of serviceReachJudgements(model)) found.set(reach.service, [...(found.get(reach.service) ?? []), reach]);
  return found;
}

/** What each node subnet's NSG decides for the probes: a rule of one's own that denies some node ports, else who allows. */
interface ProbeOutcome {
  readonly cluster: Cluster;
  readonly subnet: Subnet;
  readonly groups: readonly NetworkSecurityGroup[];
  readonly decision: MapVerdict['decision'];
  readonly ports: string;
  readonly rules: readonly DecidingRule[];
  readonly reason?: string;
}

function probeOutcomes(model: NetworkModel): ProbeOutcome[] {
  const { min, max } = NODE_PORT_RANGE.value;
  return probeJudgements(model).map(({ cluster, subnet, groups, results }) => {
    const cuts = [...new Set(results.map((r) => r.flow.destinationPort))].sort((a, b) => a - b);
    const denied = results.filter((r) => r.verdict.known && r.verdict.access === 'Deny');
    const unknown = results.find((r) => !r.verdict.known);
    const base = { cluster, subnet, groups };
    if (denied.length > 0) {
      const ports = [...new Set(denied.map((r) => r.flow.destinationPort))].sort((a, b) => a - b);
      return { ...base, decision: 'denied', ports: portText(ports, cuts, max), rules: [...new Set(denied.map((r) => (r.verdict.known ? r.verdict.rule : undefined)!))] };
    }
    if (unknown && !unknown.verdict.known) return { ...base, decision: 'unknown', ports: `${min}-${max}`, rules: unknown.verdict.rule ? [unknown.verdict.rule] : [], reason: unknown.verdict.reason };
    return { ...base, decision: 'allowed', ports: `${min}-${max}`, rules: [...new Set(results.map((r) => (r.verdict.known ? r.verdict.rule : undefined)!))] };
  });
}

/** Azure Load Balancer's health probes to a cluster's node subnets (nsg-denies-lb-probes' judgement). */
export function probeVerdict(model: NetworkModel, cluster: Cluster): HopVerdict | undefined {
  const parts = probeOutcomes(model)
    .filter((o) => o.cluster === cluster)
    .map((o) => {
      const where = `TCP ${o.ports} on subnet ${o.subnet.name}`;
      if (o.decision === 'unknown') return { decision: o.decision, text: `${where} through NSG ${o.groups[0]!.name}: ${o.reason}` };
      return { decision: o.decision, text: `${where} ${o.decision} by ${byNsg(o.groups, o.rules)}`, at: sourceOf(o.rules[0]!, o.subnet, o.groups) };
    });
  return combine(parts);
}

/** One port of the AKS egress through a node subnet's NSG outbound. */
interface EgressPort {
  readonly protocol: 'TCP' | 'UDP';
  readonly port: number;
  /** Empty when AKS needs it always (the required FQDNs over HTTPS); else when it is not needed. */
  readonly unless: string;
  readonly decision: MapVerdict['decision'];
  readonly allowedBy: readonly DecidingRule[];
  readonly deniedBy: readonly DecidingRule[];
  readonly reason?: string;
}

interface EgressOutcome {
  readonly subnet: Subnet;
  readonly groups: readonly NetworkSecurityGroup[];
  readonly ports: readonly EgressPort[];
  readonly unknown?: string;
}

/** The ports the nodes need to the Internet: HTTPS for the required FQDNs, then the network rules each with its condition. */
const EGRESS_PORTS: readonly { protocol: 'TCP' | 'UDP'; port: number; unless: string }[] = [
  { protocol: 'TCP', port: 443, unless: '' },
  ...AKS_EGRESS_REQUIREMENTS.value.networkRules.filter((rule) => !(rule.protocol === 'TCP' && rule.port === 443)).map(({ protocol, port, unless }) => ({ protocol, port, unless })),
];

/**
 * The node subnets' NSGs outbound, from the subnet's addresses to every Internet address, on the ports AKS needs: a
 * port is denied when every such flow is certainly denied, allowed when every one is certainly allowed, else unknown
 * (the FQDNs' addresses are not known, so a partial allow decides nothing).
 */
function egressOutcomes(model: NetworkModel, subnets: readonly Subnet[]): EgressOutcome[] {
  const outcomes: EgressOutcome[] = [];
  for (const subnet of subnets) {
    const groups = securityGroupsOf(model, subnet);
    if (groups.length === 0) continue;
    const sources = knownValues(subnet.prefixes).map((p) => p.value);
    if (sources.length === 0 || sources.length !== subnet.prefixes.length || sources.some((s) => s.family !== 4)) {
      outcomes.push({ subnet, groups, ports: [], unknown: `the IPv4 prefixes of subnet ${subnet.name} are not all known` });
      continue;
    }
    const group = compileGroup(groups);
    const context = tagContextOf(model, subnet);
    const ports = EGRESS_PORTS.map((need): EgressPort => {
      const results = evaluateBlocks(group, { direction: 'Outbound', protocol: need.protocol === 'TCP' ? 'Tcp' : 'Udp', sources, destinations: [EVERY_IPV4], ports: { lo: need.port, hi: need.port } }, context).filter(
        ({ flow }) => isPublicAddress(flow.destination),
      );
      const allowedBy = new Set<DecidingRule>();
      const deniedBy = new Set<DecidingRule>();
      let reason: string | undefined;
      for (const { verdict } of results) {
        if (!verdict.known) reason ??= verdict.reason;
        else (verdict.access === 'Allow' ? allowedBy : deniedBy).add(verdict.rule);
      }
      const decision = reason !== undefined || results.length === 0 ? 'unknown' : allowedBy.size === 0 ? 'denied' : deniedBy.size === 0 ? 'allowed' : 'unknown';
      const why = reason ?? (results.length === 0 ? 'no flow was evaluated' : decision === 'unknown' ? 'allowed to some Internet addresses only, and the addresses AKS needs are not known' : undefined);
      return { ...need, decision, allowedBy: [...allowedBy], deniedBy: [...deniedBy], ...(why ? { reason: why } : {}) };
    });
    outcomes.push({ subnet, groups, ports });
  }
  return outcomes;
}

/** The nodes' AKS egress through their subnets' NSGs: denied when HTTPS to the Internet is; the conditional ports are noted. */
export function nodeEgressVerdict(model: NetworkModel, subnets: readonly Subnet[]): HopVerdict | undefined {
  const parts: { decision: MapVerdict['decision']; text: string; at?: Source }[] = [];
  for (const { subnet, groups, ports, unknown } of egressOutcomes(model, subnets)) {
    if (unknown) {
      parts.push({ decision: 'unknown', text: `NSG ${groups[0]!.name} on subnet ${subnet.name}: ${unknown}` });
      continue;
    }
    for (const port of ports) {
      const label = `${port.protocol} ${port.port} to Internet from subnet ${subnet.name}`;
      const rules = port.decision === 'denied' ? port.deniedBy : port.allowedBy;
      const text =
        port.decision === 'unknown'
          ? `${label} through NSG ${groups[0]!.name}: ${port.reason}`
          : `${label} ${port.decision} by ${byNsg(groups, rules)}${port.unless && port.decision === 'denied' ? ` (needed except for ${port.unless})` : ''}`;
      // Only HTTPS decides the hop: AKS needs the other ports only under the conditions its documents give.
      const decision = port.unless ? (port.decision === 'denied' ? 'allowed' : port.decision === 'unknown' ? 'allowed' : port.decision) : port.decision;
      parts.push({ decision, text, ...(rules[0] ? { at: sourceOf(rules[0], subnet, groups) } : {}) });
    }
  }
  return combine(parts);
}

/**
 * The route a node subnet's egress takes: its name and next hop; denied when AKS rejects it (a default route to
 * Internet under userDefinedRouting, as outbound-type-requirements reports) or when it leads to an appliance IP that is
 * no firewall of the workspace (udr-next-hop-not-firewall's judgement); unknown when its next hop is not known.
 */
export function routeVerdict(model: NetworkModel, route: Route, firewall: Firewall | undefined): HopVerdict {
  const type = route.nextHopType;
  if (!type.known) return { decision: 'unknown', reason: `route ${route.name}: its next hop type is not known (${type.reason})`, at: route.source };
  const ip = route.nextHopIpAddress;
  const hop = `${type.value}${ip?.known ? ` ${formatIp(ip.value)}` : ip ? ' (its IP is not known)' : ''}`;
  const written = type.source;
  if (isValue(type, 'Internet')) {
    return { decision: 'denied', reason: `route ${route.name} sends 0.0.0.0/0 to Internet: with userDefinedRouting AKS requires a virtual appliance or gateway as its next hop`, at: written };
  }
  const unanswered = routesToNoFirewall(model).get(route);
  if (unanswered) {
    return { decision: 'denied', reason: `route ${route.name} sends 0.0.0.0/0 to ${formatIp(unanswered.hop.value)}, which is not the private IP of any firewall in the workspace`, at: unanswered.hop.source };
  }
  if (firewall) return { decision: 'allowed', reason: `route ${route.name} takes 0.0.0.0/0 to ${hop}: firewall ${firewall.name}`, at: ip?.known ? ip.source : written };
  return { decision: 'unknown', reason: `route ${route.name} takes 0.0.0.0/0 to ${hop}; no firewall of the workspace is known to answer there`, at: route.source };
}

/** Every flow of the paths a security rule decides, with its decision: the hover on a rule lists those it decides. */
export function nsgDecisions(model: NetworkModel): NsgDecision[] {
  const decisions: NsgDecision[] = [];
  for (const reach of serviceReachJudgements(model)) {
    for (const port of reach.ports) {
      const flow = `${reach.clients} → Service ${namespaceOf(reach.service)}/${reach.service.name} (${portLabel(port)}) on subnet ${reach.subnet.name}`;
      for (const rule of port.deniedBy) decisions.push({ flow, decision: 'denied', group: reach.groups[0]!.name, rule });
      for (const rule of port.allowedBy) decisions.push({ flow, decision: 'allowed', group: reach.groups[0]!.name, rule });
    }
  }
  for (const outcome of probeOutcomes(model)) {
    if (outcome.decision === 'unknown') continue;
    const flow = `AzureLoadBalancer health probes → subnet ${outcome.subnet.name} (TCP ${outcome.ports})`;
    for (const rule of outcome.rules) decisions.push({ flow, decision: outcome.decision, group: outcome.groups[0]!.name, rule });
  }
  for (const cluster of model.clusters) {
    for (const { subnet, groups, ports } of egressOutcomes(model, nodeSubnetsOf(model, cluster))) {
      for (const port of ports) {
        const flow = `nodes of ${cluster.name} in subnet ${subnet.name} → Internet (${port.protocol} ${port.port}, AKS egress)`;
        if (port.decision === 'denied') for (const rule of port.deniedBy) decisions.push({ flow, decision: 'denied', group: groups[0]!.name, rule });
        if (port.decision === 'allowed') for (const rule of port.allowedBy) decisions.push({ flow, decision: 'allowed', group: groups[0]!.name, rule });
      }
    }
  }
  return decisions;
}
