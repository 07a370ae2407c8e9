// An NSG on a cluster's node subnet that certainly denies a public LoadBalancer Service's port from the clients the
// Service lets in (its loadBalancerSourceRanges or azure-allowed-ip-ranges, every Internet address when it names
// none): AKS opens the port in the NSG it manages, not in one's own subnet NSG, so the Service cannot be reached.
// The flow the NSG sees keeps the client's address and, with Floating IP (AKS's default), the frontend IP and the
// Service's port as destination; a frontend IP Azure assigns is any public address. Judged only where every piece of
// that region is decided: an unknown rule, tag or priority leaves the port unknown, and unknown is never reported.
import { type Cidr, formatCidr } from '../cidr/cidr';
import { LOAD_BALANCER_FLOATING_IP, LOAD_BALANCER_SOURCE_FILTERING, NSG_DEFAULT_RULES } from '../facts';
import type { Cluster, KubernetesService, NetworkModel, NetworkSecurityGroup, Subnet } from '../model/network';
import { allowedSourcesOf } from '../model/loadBalancerSources';
import { isInternal, isLoadBalancer, namespaceOf, onlyCluster } from '../model/queries';
import { knownValues, type Source } from '../model/source';
import { nodeSubnetsOf, securityGroupsOf } from '../model/topology';
import { compileGroup, type DecidingRule, evaluateBlocks, EVERY_IPV4, isPublicAddress } from '../network/nsg';
import { tagContextOf } from './networkAround';
import { defineRule, type Reported } from './rule';


/** What a node subnet's NSG decides for one port of the Service, from all its clients to its frontend. */
export interface PortReach {
  readonly protocol: 'Tcp' | 'Udp';
  readonly port: number;
  /** denied: every client is certainly denied; allowed: some (or every) client is certainly let in. */
  readonly decision: 'allowed' | 'denied' | 'unknown';
  /** True when the NSG lets in only some of the clients (the others are denied or not known). */
  readonly partly: boolean;
  readonly allowedBy: readonly DecidingRule[];
  readonly deniedBy: readonly DecidingRule[];
  /** Why it is unknown. */
  readonly reason?: string;
}

/** A public LoadBalancer Service judged against one node subnet's NSG. */
export interface ServiceReach {
  readonly service: KubernetesService;
  readonly cluster: Cluster;
  readonly subnet: Subnet;
  readonly groups: readonly NetworkSecurityGroup[];
  /** "Internet" or the allowed source ranges. */
  readonly clients: string;
  readonly ports: readonly PortReach[];
  /** Set when the Service as a whole cannot be judged against this NSG. */
  readonly unknown?: string;
}

const distinct = (rules: DecidingRule[]) => [...new Set(rules)];

/** The clients and the destination the NSG sees, or why they cannot be told. */
function flowEnds(service: KubernetesService): { clients: string; sources: Cidr[]; anySource: boolean; destinations: Cidr[]; anyDestination: boolean } | string {
  const disable = service.annotations.get(LOAD_BALANCER_FLOATING_IP.value.disableAnnotation);
  if (disable && !disable.known) return `annotation ${LOAD_BALANCER_FLOATING_IP.value.disableAnnotation} cannot be evaluated`;
  if (disable?.known && disable.value.trim().toLowerCase() === 'true') return 'Floating IP is disabled: the NSG sees the node addresses and the backend port, which are not judged here';
  const allowed = allowedSourcesOf(service);
  if (allowed.kind === 'unknown') return allowed.reason;
  const ip = service.loadBalancerIp;
  if (ip.known && ip.value.family !== 4) return 'only IPv4 frontends are judged';
  const destinations = ip.known ? [{ family: 4 as const, network: ip.value.value, prefix: 32 }] : [EVERY_IPV4];
  const sources = allowed.kind === 'any' ? [EVERY_IPV4] : allowed.ranges.map((r) => r.value);
  if (sources.some((s) => s.family !== 4)) return 'only IPv4 source ranges are judged';
  return {
    clients: allowed.kind === 'any' ? 'Internet' : allowed.ranges.map((r) => formatCidr(r.value)).join(', '),
    sources,
    anySource: allowed.kind === 'any',
    destinations,
    anyDestination: !ip.known,
  };
}

/**
 * Every public LoadBalancer Service of the workspace's one cluster against each of its node subnets' NSGs, port by
 * port. The network map's ingress paths and the hover on a security rule show the same judgement.
 */
export function serviceReachJudgements(model: NetworkModel): ServiceReach[] {
  const cluster = onlyCluster(model);
  if (!cluster) return [];
  const services = model.services.filter((s) => isLoadBalancer(s) && !isInternal(s));
  if (services.length === 0) return [];
  const judged: ServiceReach[] = [];
  for (const subnet of nodeSubnetsOf(model, cluster)) {
    const groups = securityGroupsOf(model, subnet);
    if (groups.length === 0) continue;
    const group = compileGroup(groups);
    const context = tagContextOf(model, subnet);
    // Services on the same port from the same clients to the same frontends share one evaluation.
    const evaluated = new Map<string, PortReach>();
    for (const service of services) {
      const ends = flowEnds(service);
      const base = { service, cluster, subnet, groups };
      if (typeof ends === 'string') {
        judged.push({ ...base, clients: 'its clients', ports: [], unknown: ends });
        continue;
      }
      const ports: PortReach[] = [];
      for (const written of service.ports) {
        const protocol = written.protocol.known ? written.protocol.value.trim().toUpperCase() : 'TCP';
        if (!written.port.known || (protocol !== 'TCP' && protocol !== 'UDP')) continue;
        const port = written.port.value;
        const nsgProtocol = protocol === 'TCP' ? 'Tcp' : 'Udp';
        const key = `${nsgProtocol}|${port}|${ends.sources.map(formatCidr).join(',')}|${ends.destinations.map(formatCidr).join(',')}|${ends.anySource}|${ends.anyDestination}`;
        const known = evaluated.get(key);
        if (known) {
          ports.push(known);
          continue;
        }
        const results = evaluateBlocks(group, { direction: 'Inbound', protocol: nsgProtocol, sources: ends.sources, destinations: ends.destinations, ports: { lo: port, hi: port } }, context).filter(
          ({ flow }) => (!ends.anySource || isPublicAddress(flow.source)) && (!ends.anyDestination || isPublicAddress(flow.destination)),
        );
        const allowedBy: DecidingRule[] = [];
        const deniedBy: DecidingRule[] = [];
        let reason: string | undefined;
        for (const { verdict } of results) {
          if (!verdict.known) reason ??= verdict.reason;
          else (verdict.access === 'Allow' ? allowedBy : deniedBy).push(verdict.rule);
        }
        const decision = allowedBy.length > 0 ? 'allowed' : reason === undefined && deniedBy.length > 0 ? 'denied' : 'unknown';
        const reach: PortReach = {
          protocol: nsgProtocol,
          port,
          decision,
          partly: decision === 'allowed' && (deniedBy.length > 0 || reason !== undefined),
          allowedBy: distinct(allowedBy),
          deniedBy: distinct(deniedBy),
          ...(decision === 'unknown' ? { reason: reason ?? 'no flow of the region was evaluated' } : {}),
        };
        evaluated.set(key, reach);
        ports.push(reach);
      }
      judged.push({ ...base, clients: ends.clients, ports });
    }
  }
  return judged;
}

/** "rule DenyInternet (priority 100)" or "default rule DenyAllInBound (priority 65500)". */
export const ruleName = (rule: DecidingRule) => `${rule.isDefault ? 'default rule' : 'rule'} ${rule.name}${rule.priority !== undefined ? ` (priority ${rule.priority})` : ''}`;

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const reported = new Set<string>();
  for (const { service, cluster, subnet, groups, clients, ports } of serviceReachJudgements(model)) {
    const denied = ports.filter((p) => p.decision === 'denied');
    if (denied.length === 0) continue;
    const deciding = denied[0]!.deniedBy;
    const own = deciding.find((rule) => rule.source);
    // A default rule has no source: the subnet's association with the NSG stands for it.
    const association = subnet.networkSecurityGroup;
    const source: Source = own?.source ?? (association?.known ? association.source : groups[0]!.source);
    const key = `${source.uri}:${source.start}|${service.source.uri}:${service.source.start}|${subnet.name}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const portList = denied.map((p) => `${p.protocol.toUpperCase()} ${p.port}`).join(', ');
    const rules = [...new Set(denied.flatMap((p) => p.deniedBy.map(ruleName)))].join(', ');
    const name = `${namespaceOf(service)}/${service.name}`;
    const prefixes = knownValues(subnet.prefixes).map((p) => formatCidr(p.value)).join(', ');
    findings.push({
      message:
        `NSG ${groups[0]!.name} on node subnet ${subnet.name}${prefixes ? ` (${prefixes})` : ''} of cluster ${cluster.name} denies ${portList} from ${clients === 'Internet' ? 'the Internet' : clients} ` +
        `(${own ? rules : `no rule allows it, so ${rules} denies it`}): public LoadBalancer Service ${name} cannot be reached on ${denied.length === 1 ? 'that port' : 'those ports'}. ` +
        `AKS does not add rules to an NSG of your own on the subnet: allow ${portList} from ${clients === 'Internet' ? 'Internet' : clients} inbound at a higher priority.`,
      source,
      ...(own ? {} : { severity: 'warning' as const }),
      related: [
        { message: `Service ${name}`, source: service.source },
        { message: `node subnet ${subnet.name}`, source: subnet.source },
      ],
    });
  }
  return findings;
}

export const nsgDeniesLbServicePort = defineRule({
  id: 'nsg-denies-lb-service-port',
  title: "NSG on a node subnet denies a public LoadBalancer Service's port",
  defaultSeverity: 'error',
  facts: [LOAD_BALANCER_SOURCE_FILTERING, LOAD_BALANCER_FLOATING_IP, NSG_DEFAULT_RULES],
  check,
});
