// A subnet that holds private endpoints and relies on an NSG or a route table, while its privateEndpointNetworkPolicies
// leaves them out of the private endpoints' traffic: Disabled (written, or left out in Bicep and ARM JSON, whose default it
// is), NetworkSecurityGroupEnabled beside a route that would steer them, RouteTableEnabled beside an NSG that would deny
// them. The NSG half is judged where a security rule of the workspace certainly denies some traffic into the subnet from
// the VNet's own addresses (the NSG evaluator, as the other NSG rules use it). The route half only for a route of the
// subnet's table that would override the private endpoints' /32 routes were the policies enabled: a CIDR prefix holding the
// whole subnet, as long as or longer than the VNet address space's prefix (a 0.0.0.0/0 route never overrides them), with a
// next hop other than VnetLocal. A value not known (ASO and Terraform leave the default to a version) is never judged.
import { containsCidr, type Cidr, formatCidr, parseCidr } from '../cidr/cidr';
import { PRIVATE_ENDPOINT_SUBNET_POLICIES } from '../facts';
import { isValue, PRIVATE_ENDPOINT_NETWORK_POLICIES } from '../model/enums';
import type { NetworkModel, PrivateEndpoint, Route, Subnet } from '../model/network';
import { isNotSet, knownValues } from '../model/source';
import { resolveSubnet, securityGroupsOf, vnetOf } from '../model/topology';
import { compileGroup, type DecidingRule, evaluateRegion } from '../network/nsg';
import { routesOf, sourceEdges, sourcePieces, tagContextOf } from './networkAround';
import { defineRule, type Reported } from './rule';

const POLICIES = PRIVATE_ENDPOINT_SUBNET_POLICIES.value;
const ALL_PORTS = { lo: 0, hi: 65535 };

const ipv4 = (subnet: Subnet): Cidr[] | undefined => {
  if (subnet.prefixes.length === 0 || subnet.prefixes.some((p) => !p.known)) return undefined;
  const blocks = knownValues(subnet.prefixes).map((p) => p.value);
  return blocks.every((b) => b.family === 4) ? blocks : undefined;
};

/** A security rule of the workspace that certainly denies some traffic from the subnet's VNet into the subnet. */
function denyingRule(model: NetworkModel, subnet: Subnet, blocks: readonly Cidr[]): { rule: DecidingRule; group: string } | undefined {
  const groups = securityGroupsOf(model, subnet);
  const vnet = vnetOf(model, subnet);
  if (groups.length === 0 || !vnet) return undefined;
  const sources = knownValues(vnet.addressSpace).map((v) => v.value).filter((c) => c.family === 4);
  const compiled = compileGroup(groups);
  const context = tagContextOf(model, subnet);
  const edges = sourceEdges(groups, context);
  for (const protocol of ['Tcp', 'Udp']) {
    for (const source of sourcePieces(sources, edges)) {
      const results = evaluateRegion(compiled, { direction: 'Inbound', protocol, source, destinations: blocks, ports: ALL_PORTS }, context);
      const denial = results.find(({ verdict }) => verdict.known && verdict.access === 'Deny' && !verdict.rule.isDefault && verdict.rule.source);
      if (denial?.verdict.known) return { rule: denial.verdict.rule, group: groups[0]!.name };
    }
  }
  return undefined;
}

/** A route of the subnet's table that would override its private endpoints' /32 routes, were route policies enabled. */
function overridingRoute(model: NetworkModel, subnet: Subnet, blocks: readonly Cidr[]): { route: Route; prefix: Cidr; space: Cidr } | undefined {
  const table = routesOf(model, subnet);
  const vnet = vnetOf(model, subnet);
  if (!table || !vnet) return undefined;
  const spaces = knownValues(vnet.addressSpace).map((v) => v.value);
  for (const route of table.routes) {
    if (!route.addressPrefix.known || !route.nextHopType.known || isValue(route.nextHopType, 'VnetLocal')) continue;
    const parsed = parseCidr(route.addressPrefix.value.trim());
    if (!parsed.ok || parsed.cidr.family !== 4) continue;
    const prefix = parsed.cidr;
    if (!blocks.every((block) => containsCidr(prefix, block))) continue;
    // The VNet address space the subnet is provisioned in: the route must be at least as long as its prefix.
    const space = spaces.find((s) => blocks.every((block) => containsCidr(s, block)));
    if (space && prefix.prefix >= space.prefix) return { route, prefix, space };
  }
  return undefined;
}

function check(model: NetworkModel): Reported[] {
  const bySubnet = new Map<Subnet, PrivateEndpoint[]>();
  for (const endpoint of model.privateEndpoints) {
    const subnet = endpoint.subnet && resolveSubnet(model, endpoint.subnet);
    if (subnet) bySubnet.set(subnet, [...(bySubnet.get(subnet) ?? []), endpoint]);
  }
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const [subnet, endpoints] of bySubnet) {
    const flag = subnet.privateEndpointNetworkPolicies;
    // Not read, or not known (a deploy-time value, a default that depends on a version): not judged.
    if (!flag || (!flag.known && !isNotSet(flag))) continue;
    const written = flag.known ? flag.value : undefined;
    const policies = written ?? POLICIES.leftOut;
    // A value that is none of the API's (a typo, a newer one): not judged.
    if (!(PRIVATE_ENDPOINT_NETWORK_POLICIES as readonly string[]).includes(policies)) continue;
    const blocks = ipv4(subnet);
    if (!blocks) continue;
    const nsg = POLICIES.nsgApplies.includes(policies) ? undefined : denyingRule(model, subnet, blocks);
    const route = POLICIES.routesApply.includes(policies) ? undefined : overridingRoute(model, subnet, blocks);
    if (!nsg && !route) continue;
    const source = flag.known ? flag.source : subnet.source;
    const key = `${source.uri}:${source.start}|${subnet.name}|${subnet.vnetKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const needsNsg = !!nsg || POLICIES.nsgApplies.includes(policies);
    const needsRoutes = !!route || POLICIES.routesApply.includes(policies);
    const wanted = needsNsg && needsRoutes ? POLICIES.both : needsNsg ? POLICIES.nsgOnly : POLICIES.routesOnly;
    const names = endpoints.map((e) => e.name).join(', ');
    const stated = written !== undefined ? `privateEndpointNetworkPolicies ${written}` : `privateEndpointNetworkPolicies left out (Azure's default: ${POLICIES.leftOut})`;
    const parts: string[] = [];
    if (nsg) {
      parts.push(
        `NSG ${nsg.group}'s rule ${nsg.rule.name} (priority ${nsg.rule.priority ?? 'not known'}) denies traffic into the subnet, but NSG rules do not apply to the private endpoints' traffic`,
      );
    }
    if (route) {
      parts.push(
        `route ${route.route.name} (${formatCidr(route.prefix)} to ${route.route.nextHopType.known ? route.route.nextHopType.value : '?'}) covers the subnet, but the /32 route each private endpoint adds wins over it (longest prefix match), so their traffic does not take it`,
      );
    }
    findings.push({
      message:
        `Subnet ${subnet.name} holds private endpoint${endpoints.length > 1 ? 's' : ''} ${names} and has ${stated}: ${parts.join('; and ')}. ` +
        `If the subnet relies on ${nsg && route ? 'them' : 'it'} for the private endpoints, set privateEndpointNetworkPolicies to ${wanted}.`,
      source,
      related: [
        ...endpoints.map((e) => ({ message: `private endpoint ${e.name}`, source: e.source })),
        ...(nsg?.rule.source ? [{ message: `security rule ${nsg.rule.name}`, source: nsg.rule.source }] : []),
        ...(route ? [{ message: `route ${route.route.name}`, source: route.route.source }] : []),
      ],
    });
  }
  return findings;
}

export const privateEndpointPoliciesBypassed = defineRule({
  id: 'private-endpoint-policies-bypassed',
  title: "Private endpoint subnet's network policies leave its NSG or route table unapplied",
  defaultSeverity: 'warning',
  facts: [PRIVATE_ENDPOINT_SUBNET_POLICIES],
  check,
});
