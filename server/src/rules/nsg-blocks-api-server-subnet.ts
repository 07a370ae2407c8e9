// API server VNet integration on a subnet of one's own, and an NSG of the workspace that denies what AKS asks allowed
// between the subnets: the cluster (node) subnet to the API server subnet on TCP 443 and 4443 (outbound on the node
// subnet's NSG, inbound on the API server subnet's), and Azure Load Balancer to the API server subnet on TCP 9988 (inbound
// on the API server subnet's NSG). Judged with the NSG evaluator for every node address the rules tell apart; only a
// rule of the workspace that certainly denies is reported (a default rule, or an answer a rule the model could not read
// could change, is not), on that rule.
import { type Cidr, formatCidr, type IpAddress, parseIp } from '../cidr/cidr';
import { AKS_API_SERVER_SUBNET_NSG, AZURE_LOAD_BALANCER_PROBE_SOURCE } from '../facts';
import type { Cluster, NetworkModel, Subnet } from '../model/network';
import { knownValues } from '../model/source';
import { nodeSubnetsOf, resolveSubnet, securityGroupsOf } from '../model/topology';
import { compileGroup, type DecidingRule, type Direction, evaluateRegion } from '../network/nsg';
import { sourceEdges, sourcePieces, tagContextOf } from './networkAround';
import { defineRule, type Reported } from './rule';

const NEEDS = AKS_API_SERVER_SUBNET_NSG.value;
const probe = parseIp(AZURE_LOAD_BALANCER_PROBE_SOURCE.value.address);
const LOAD_BALANCER: IpAddress | undefined = probe.ok ? probe.ip : undefined;

const ipv4 = (subnet: Subnet): Cidr[] => knownValues(subnet.prefixes).map((p) => p.value).filter((c) => c.family === 4);
const text = (blocks: readonly Cidr[]) => blocks.map(formatCidr).join(', ');

/** One requirement as the NSG of one subnet sees it. */
interface Requirement {
  readonly direction: Direction;
  /** The subnet whose NSG judges it. */
  readonly at: Subnet;
  /** The source blocks, or the load balancer's address. */
  readonly from: readonly Cidr[] | IpAddress;
  readonly fromText: string;
  readonly to: readonly Cidr[];
  readonly ports: readonly number[];
}

/** The deciding rules of the workspace that certainly deny the requirement, with the ports each denies, and whether it denies them from every source. */
function denials(model: NetworkModel, requirement: Requirement): { rule: DecidingRule; group: string; ports: number[]; everySource: boolean }[] {
  const groups = securityGroupsOf(model, requirement.at);
  if (groups.length === 0 || requirement.to.length === 0) return [];
  const compiled = compileGroup(groups);
  const context = tagContextOf(model, requirement.at);
  const sources = Array.isArray(requirement.from) ? sourcePieces(requirement.from as readonly Cidr[], sourceEdges(groups, context)) : [requirement.from as IpAddress];
  const found = new Map<string, { rule: DecidingRule; group: string; ports: number[]; sources: Set<bigint> }>();
  for (const source of sources) {
    for (const port of requirement.ports) {
      const region = { direction: requirement.direction, protocol: NEEDS.protocol, source, destinations: requirement.to, ports: { lo: port, hi: port } };
      for (const { verdict } of evaluateRegion(compiled, region, context)) {
        if (!verdict.known || verdict.access !== 'Deny' || verdict.rule.isDefault || !verdict.rule.source) continue;
        const key = `${verdict.rule.source.uri}:${verdict.rule.source.start}`;
        const entry = found.get(key) ?? { rule: verdict.rule, group: groups[0]!.name, ports: [], sources: new Set<bigint>() };
        if (!entry.ports.includes(port)) entry.ports.push(port);
        entry.sources.add(source.value);
        found.set(key, entry);
      }
    }
  }
  return [...found.values()].map(({ sources: denied, ...entry }) => ({ ...entry, everySource: denied.size === sources.length }));
}

function requirementsOf(model: NetworkModel, cluster: Cluster, api: Subnet): Requirement[] {
  const to = ipv4(api);
  const requirements: Requirement[] = [];
  for (const nodes of nodeSubnetsOf(model, cluster)) {
    const from = ipv4(nodes);
    if (from.length === 0 || nodes === api) continue;
    const fromText = `node subnet ${nodes.name} (${text(from)})`;
    requirements.push({ direction: 'Outbound', at: nodes, from, fromText, to, ports: NEEDS.fromNodes });
    requirements.push({ direction: 'Inbound', at: api, from, fromText, to, ports: NEEDS.fromNodes });
  }
  if (LOAD_BALANCER) {
    const { serviceTag, address } = AZURE_LOAD_BALANCER_PROBE_SOURCE.value;
    requirements.push({ direction: 'Inbound', at: api, from: LOAD_BALANCER, fromText: `Azure Load Balancer (${serviceTag}, ${address})`, to, ports: NEEDS.fromLoadBalancer });
  }
  return requirements;
}

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const cluster of model.clusters) {
    const access = cluster.apiServerAccess;
    if (!access?.enableVnetIntegration.known || !access.enableVnetIntegration.value || !access.subnet) continue;
    const api = resolveSubnet(model, access.subnet);
    if (!api || ipv4(api).length === 0) continue;
    for (const requirement of requirementsOf(model, cluster, api)) {
      for (const { rule, group, ports, everySource } of denials(model, requirement)) {
        const key = `${rule.source!.uri}:${rule.source!.start}|${requirement.direction}|${requirement.fromText}|${api.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const side = requirement.at === api ? `API server subnet ${api.name}` : `node subnet ${requirement.at.name}`;
        findings.push({
          message:
            `Security rule ${rule.name} (priority ${rule.priority ?? 'not known'}) of NSG ${group} on ${side} denies ${requirement.direction.toLowerCase()} ` +
            `${NEEDS.protocol.toUpperCase()} ${ports.sort((a, b) => a - b).join(', ')} from ${everySource ? '' : 'part of '}${requirement.fromText} to API server subnet ${api.name} (${text(requirement.to)}) ` +
            `of cluster ${cluster.name}. With API server VNet integration, AKS needs the cluster subnet allowed to the API server subnet on TCP ` +
            `${NEEDS.fromNodes.join(' and ')} and Azure Load Balancer on TCP ${NEEDS.fromLoadBalancer.join(', ')}: allow it at a higher priority.`,
          source: rule.source!,
          related: [
            { message: `API server subnet ${api.name}`, source: access.subnet.source },
            { message: `cluster ${cluster.name}`, source: cluster.source },
          ],
        });
      }
    }
  }
  return findings;
}

export const nsgBlocksApiServerSubnet = defineRule({
  id: 'nsg-blocks-api-server-subnet',
  title: 'NSG denies traffic the API server VNet integration subnet needs',
  defaultSeverity: 'error',
  facts: [AKS_API_SERVER_SUBNET_NSG, AZURE_LOAD_BALANCER_PROBE_SOURCE],
  check,
});
