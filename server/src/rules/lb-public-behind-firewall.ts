// A public LoadBalancer Service (type LoadBalancer without `azure-load-balancer-internal: "true"`) on a cluster whose
// egress goes through a firewall or another virtual appliance: requests arrive on the load balancer's public IP,
// replies follow the node subnet's default route to the appliance, and the stateful firewall drops them (asymmetric
// routing). The egress path is known from a node subnet's 0.0.0.0/0 route with next hop VirtualAppliance, or from
// outboundType userDefinedRouting when no node subnet's default route certainly goes elsewhere. Judged only for the
// workspace's one cluster (the one a Service can belong to). A Service that a firewall DNAT rule may translate to (a
// rule to its written IP; for a Service without a written IP, a rule to a public or not-known address) is taken to be
// published through the firewall, and is not reported; nor when a firewall's classic rule collections could hold one.
import { containsIp, type IpAddress, parseCidr, parseIp } from '../cidr/cidr';
import { FIREWALL_ASYMMETRIC_ROUTING, PRIVATE_ADDRESS_SPACES } from '../facts';
import { isValue } from '../model/enums';
import type { Cluster, FirewallRule, KubernetesService, NetworkModel } from '../model/network';
import { ANNOTATIONS, isInternal, isLoadBalancer, theCluster } from '../model/queries';
import { isNotSet } from '../model/source';
import { defaultRoutesOf, egressFirewallsOf, isApplianceHop } from './networkAround';
import { defineRule, type RelatedLocation, type Reported } from './rule';

/** How a cluster's egress is known to go through an appliance, with where that is written; undefined when not known. */
function applianceEgress(model: NetworkModel, cluster: Cluster): { what: string; related: RelatedLocation[] } | undefined {
  const routes = defaultRoutesOf(model, cluster);
  const toAppliance = routes.filter(({ route }) => isApplianceHop(route));
  const firewalls = egressFirewallsOf(model, cluster).map(({ firewall }) => firewall);
  const through = firewalls.length > 0 ? `firewall ${firewalls.map((f) => f.name).join(', ')}` : 'a virtual appliance';
  const firewallPlaces = firewalls.map((f) => ({ message: `firewall ${f.name}`, source: f.source }));
  if (toAppliance.length > 0) {
    return {
      what: `${through} (default route ${[...new Set(toAppliance.map(({ route }) => route.name))].join(', ')} of node subnet ${[...new Set(toAppliance.map(({ subnet }) => subnet.name))].join(', ')})`,
      related: [
        ...toAppliance.map(({ route, subnet }) => ({ message: `default route ${route.name} of subnet ${subnet.name}: next hop VirtualAppliance`, source: route.nextHopType.source! })),
        ...firewallPlaces,
      ],
    };
  }
  const outbound = cluster.outboundType;
  if (!isValue(outbound, 'userDefinedRouting')) return undefined;
  if (routes.some(({ route }) => route.nextHopType.known && !isApplianceHop(route))) return undefined;
  return {
    what: `${firewalls.length > 0 ? through : 'the gateway or appliance its default route leads to'} (outboundType userDefinedRouting)`,
    related: [{ message: `cluster ${cluster.name}: outboundType userDefinedRouting`, source: outbound.source }, ...firewallPlaces],
  };
}

const PRIVATE = PRIVATE_ADDRESS_SPACES.value.map((text) => parseCidr(text)).flatMap((parse) => (parse.ok ? [parse.cidr] : []));
const isPrivate = (ip: IpAddress) => PRIVATE.some((block) => containsIp(block, ip));

/** A DNAT rule: of type NatRule, or with a translated address (a rule whose type is not known may be one). */
const isNatRule = (rule: FirewallRule) => isValue(rule.ruleType, 'NatRule') || !isNotSet(rule.translatedAddress);

/**
 * Whether a firewall may publish the Service through a DNAT rule: a NAT rule that translates to its written IP, or to an
 * address not known; for a Service without a written IP, any NAT rule to a public address too (it may be the one Azure
 * gave the Service). Classic rule collections on a firewall are not read: any there may be a NAT rule.
 */
function mayBePublishedByDnat(model: NetworkModel, service: KubernetesService): boolean {
  if (model.firewalls.some((firewall) => !isNotSet(firewall.classicRuleCollections) && !(firewall.classicRuleCollections.known && firewall.classicRuleCollections.value === 0))) return true;
  const rules = model.ruleCollectionGroups.flatMap((group) => group.collections.flatMap((collection) => collection.rules)).filter(isNatRule);
  const own = service.loadBalancerIp.known ? service.loadBalancerIp.value : undefined;
  return rules.some((rule) => {
    if (!rule.translatedAddress.known) return true;
    const parse = parseIp(rule.translatedAddress.value);
    if (!parse.ok) return true;
    return own ? parse.ip.family === own.family && parse.ip.value === own.value : !isPrivate(parse.ip);
  });
}

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const cluster of theCluster(model)) {
    const egress = applianceEgress(model, cluster);
    if (!egress) continue;
    for (const service of model.services) {
      if (!isLoadBalancer(service) || isInternal(service) || !service.type.known) continue;
      const internal = service.annotations.get(ANNOTATIONS.internal);
      if (internal && !internal.known) continue;
      const key = `${service.source.uri}#${service.source.start}`;
      if (seen.has(key) || mayBePublishedByDnat(model, service)) continue;
      seen.add(key);
      findings.push({
        message:
          `Service ${service.name} gets a public load balancer, but cluster ${cluster.name} sends its egress through ${egress.what}: ` +
          `replies to the clients leave through the appliance instead of the load balancer, and a stateful firewall drops them (asymmetric routing). ` +
          `Make the Service internal (${ANNOTATIONS.internal}: "true") and publish it with a DNAT rule on the firewall whose translated address is the internal load balancer's IP.`,
        source: service.type.source,
        related: egress.related,
      });
    }
  }
  return findings;
}

export const lbPublicBehindFirewall = defineRule({
  id: 'lb-public-behind-firewall',
  title: 'Public load balancer Service behind an egress firewall',
  defaultSeverity: 'warning',
  facts: [FIREWALL_ASYMMETRIC_ROUTING, PRIVATE_ADDRESS_SPACES],
  check,
});
