// A node subnet's default route (0.0.0.0/0) to a virtual appliance whose IP is not the private IP of any firewall the
// workspace declares: egress goes to an address nothing in the workspace answers on, and nodes cannot reach the
// control plane. Judged only when the workspace declares firewalls and every one's private IP is written; a next hop
// that cannot be evaluated is never judged. A default route to Internet under userDefinedRouting is
// outbound-type-requirements' finding.
import { formatIp, type IpAddress } from '../cidr/cidr';
import { UDR_FIREWALL_NEXT_HOP } from '../facts';
import type { NetworkModel, Route, Subnet } from '../model/network';
import type { Known } from '../model/source';
import { defaultRoutesOf, firewallIps, isApplianceHop } from './networkAround';
import { defineRule, type Reported } from './rule';

/**
 * The node subnets' default routes to a virtual appliance IP that is no firewall's private IP, with the subnets that
 * use each; judged only when the workspace declares firewalls and all their private IPs are written. The network
 * map's egress paths show the same judgement on the route's hop.
 */
export function routesToNoFirewall(model: NetworkModel): Map<Route, { hop: Known<IpAddress>; subnets: Subnet[] }> {
  const byRoute = new Map<Route, { hop: Known<IpAddress>; subnets: Subnet[] }>();
  if (model.firewalls.length === 0) return byRoute;
  const firewalls = firewallIps(model);
  if (!firewalls) return byRoute;
  for (const cluster of model.clusters) {
    for (const { subnet, route } of defaultRoutesOf(model, cluster)) {
      const hop = route.nextHopIpAddress;
      if (!isApplianceHop(route) || !hop?.known) continue;
      if (firewalls.some(({ ip }) => ip.family === hop.value.family && ip.value === hop.value.value)) continue;
      const entry = byRoute.get(route) ?? { hop, subnets: [] };
      if (!entry.subnets.includes(subnet)) entry.subnets.push(subnet);
      byRoute.set(route, entry);
    }
  }
  return byRoute;
}

function check(model: NetworkModel): Reported[] {
  const byRoute = routesToNoFirewall(model);
  if (byRoute.size === 0) return [];
  const firewalls = firewallIps(model)!;
  return [...byRoute].map(([route, { hop, subnets }]) => {
    const names = firewalls.map(({ firewall, ip }) => `${firewall.name} (${formatIp(ip)})`).join(', ');
    return {
      message:
        `Default route ${route.name} sends node subnet ${subnets.map((s) => s.name).join(', ')}'s egress to ${formatIp(hop.value)}, ` +
        `which is not the private IP of any firewall in the workspace (${names}): nodes would send their traffic to an address no firewall answers on.`,
      source: hop.source,
      related: [...firewalls.map(({ firewall }) => ({ message: `firewall ${firewall.name}`, source: firewall.source })), ...subnets.map((s) => ({ message: `subnet ${s.name}`, source: s.source }))],
    };
  });
}

export const udrNextHopNotFirewall = defineRule({
  id: 'udr-next-hop-not-firewall',
  title: 'Default route to an appliance IP that is no firewall of the workspace',
  defaultSeverity: 'warning',
  facts: [UDR_FIREWALL_NEXT_HOP],
  check,
});
