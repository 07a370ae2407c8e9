// What the rules on the network around a cluster share: a subnet's routes (its route table as topology.ts joins it),
// the service tags' members seen from a subnet, a cluster's default routes and the firewalls they lead to.
import { type Cidr, type IpAddress, parseCidr } from '../cidr/cidr';
import type { Cluster, Firewall, NetworkModel, NetworkSecurityGroup, Route, Subnet, VirtualNetwork, VirtualNetworkPeering } from '../model/network';
import { type Known, knownValues } from '../model/source';
import { nodeSubnetsOf, remoteVnetsOf, routeTablesOf, vnetOf } from '../model/topology';
import type { TagContext } from '../network/nsg';
import { isValue } from '../model/enums';
import { PRIVATE_ADDRESS_SPACES } from '../facts';

/** The routes of the subnet's route table, and whether they are all known; undefined without a known table. */
export function routesOf(model: NetworkModel, subnet: Subnet): { routes: Route[]; complete: boolean } | undefined {
  const tables = routeTablesOf(model, subnet);
  if (tables.length === 0) return undefined;
  return { routes: tables.flatMap((table) => table.routes), complete: tables.some((table) => table.routesComplete) };
}

const isDefaultRoute = (route: Route) => route.addressPrefix.known && route.addressPrefix.value.trim() === '0.0.0.0/0';
export const isApplianceHop = (route: Route) => isValue(route.nextHopType, 'VirtualAppliance');

/**
 * VirtualNetwork's members seen from a subnet: its VNet's address space, the address spaces of the VNets it peers with
 * (written on the peering, else the remote VNet's own), and the prefixes of its route table's routes, all of which
 * the tag includes. Incomplete when any of them is not known.
 */
export function tagContextOf(model: NetworkModel, subnet: Subnet): TagContext {
  const vnet = vnetOf(model, subnet);
  if (!vnet) return { virtualNetwork: knownValues(subnet.prefixes).map((p) => p.value), virtualNetworkComplete: false };
  const ranges: Cidr[] = knownValues(vnet.addressSpace).map((v) => v.value);
  let complete = vnet.addressSpaceComplete;
  for (const peering of model.peerings.filter((p) => p.vnetKey === vnet.key)) {
    if (peering.remoteAddressSpace.length > 0) {
      ranges.push(...knownValues(peering.remoteAddressSpace).map((v) => v.value));
      complete &&= peering.remoteAddressSpace.every((v) => v.known);
      continue;
    }
    const remote = remoteVnetsOf(model, peering, vnet);
    if (remote.length !== 1) complete = false;
    for (const other of remote) {
      ranges.push(...knownValues(other.addressSpace).map((v) => v.value));
      complete &&= other.addressSpaceComplete;
    }
  }
  const routes = routesOf(model, subnet);
  if (subnet.routeTable.known && !routes) complete = false;
  if (routes) {
    complete &&= routes.complete;
    for (const route of routes.routes) {
      const prefix = route.addressPrefix;
      if (!prefix.known) complete = false;
      else {
        // A prefix that is not a CIDR (a service tag as the route's prefix) adds members not known here.
        const parse = parseCidr(prefix.value);
        if (parse.ok) ranges.push(parse.cidr);
        else complete = false;
      }
    }
  }
  return { virtualNetwork: ranges, virtualNetworkComplete: complete };
}

/** A cluster's node subnets with their default (0.0.0.0/0) routes. */
export function defaultRoutesOf(model: NetworkModel, cluster: Cluster): { subnet: Subnet; route: Route }[] {
  return nodeSubnetsOf(model, cluster).flatMap((subnet) => (routesOf(model, subnet)?.routes ?? []).filter(isDefaultRoute).map((route) => ({ subnet, route })));
}

/** The firewalls' private IPs, when every declared firewall's are written; undefined when any is not known. */
export function firewallIps(model: NetworkModel): { firewall: Firewall; ip: IpAddress }[] | undefined {
  const ips: { firewall: Firewall; ip: IpAddress }[] = [];
  for (const firewall of model.firewalls) {
    if (firewall.privateIps.length === 0 || firewall.privateIps.some((ip) => !ip.known)) return undefined;
    for (const ip of knownValues(firewall.privateIps)) ips.push({ firewall, ip: ip.value });
  }
  return ips;
}

/** How a cluster was joined to its egress firewall: the two joins that are certain. */
export type EgressJoin = 'route' | 'only-firewall';

const sameIp = (a: IpAddress, b: IpAddress) => a.family === b.family && a.value === b.value;

/**
 * The firewalls a cluster certainly sends its egress through, and how that is known: a node subnet's default route goes
 * to next hop VirtualAppliance at the firewall's written private IP ('route'); or the cluster's outboundType is
 * userDefinedRouting and the workspace declares exactly one firewall ('only-firewall'), unless a node subnet's default
 * route certainly leads elsewhere (another next hop type, or a written IP that is not the firewall's written one).
 * Nothing else joins: a wrong join is worse than an unknown.
 */
export function egressFirewallsOf(model: NetworkModel, cluster: Cluster): { firewall: Firewall; join: EgressJoin }[] {
  const routes = defaultRoutesOf(model, cluster);
  const found = new Map<Firewall, EgressJoin>();
  for (const { route } of routes) {
    const hop = route.nextHopIpAddress;
    if (!isApplianceHop(route) || !hop?.known) continue;
    for (const firewall of model.firewalls) if (knownValues(firewall.privateIps).some((ip) => sameIp(ip.value, hop.value))) found.set(firewall, 'route');
  }
  if (found.size > 0) return [...found].map(([firewall, join]) => ({ firewall, join }));
  const only = model.firewalls.length === 1 ? model.firewalls[0]! : undefined;
  const udr = isValue(cluster.outboundType, 'userDefinedRouting');
  if (!only || !udr) return [];
  const elsewhere = routes.some(({ route }) => {
    if (route.nextHopType.known && !isApplianceHop(route)) return true;
    const hop = route.nextHopIpAddress;
    const ips = only.privateIps;
    return !!hop?.known && ips.length > 0 && ips.every((ip) => ip.known) && !knownValues(ips).some((ip) => sameIp(ip.value, hop.value));
  });
  return elsewhere ? [] : [{ firewall: only, join: 'only-firewall' }];
}

/** Whether a subnet is delegated to a service: undefined when its delegations are not read or not all known. */
export function isDelegatedTo(subnet: Subnet, service: string): boolean | undefined {
  const delegations = subnet.delegations;
  if (!delegations) return undefined;
  if (delegations.some((d) => d.known && d.value.toLowerCase() === service.toLowerCase())) return true;
  return delegations.every((d) => d.known) ? false : undefined;
}

/** The subnet's one known IPv4 prefix; undefined when it has several or any is not known (a size cannot then be judged). */
export function onlyPrefix(subnet: Subnet): Known<Cidr> | undefined {
  const [prefix, ...more] = subnet.prefixes;
  return prefix?.known && more.length === 0 && prefix.value.family === 4 ? prefix : undefined;
}

/**
 * The address spaces a VNet is peered with: each peering's written remoteAddressSpace, else the remote VNet's own when
 * the workspace declares exactly one VNet of that name. Entries not known are left out (a range not known overlaps nothing here).
 */
export function peeredRangesOf(model: NetworkModel, vnet: VirtualNetwork): { peering: VirtualNetworkPeering; remote: string; range: Known<Cidr> }[] {
  const found: { peering: VirtualNetworkPeering; remote: string; range: Known<Cidr> }[] = [];
  for (const peering of model.peerings.filter((p) => p.vnetKey === vnet.key)) {
    const remoteName = peering.remoteVnet.known ? peering.remoteVnet.value : undefined;
    const remote = remoteName ?? peering.name;
    if (peering.remoteAddressSpace.length > 0) {
      for (const range of knownValues(peering.remoteAddressSpace)) found.push({ peering, remote, range });
      continue;
    }
    const remotes = remoteVnetsOf(model, peering, vnet);
    if (remotes.length !== 1 || remotes[0] === vnet) continue;
    for (const range of knownValues(remotes[0]!.addressSpace)) found.push({ peering, remote, range });
  }
  return found;
}

const IPV4_TOP = (1n << 32n) - 1n;

const range = (block: Cidr) => {
  const size = 1n << BigInt(32 - block.prefix);
  return { lo: block.network, hi: block.network + size - 1n };
};

/** The IPv4 blocks an NSG's rules and the tags seen from the subnet name as sources: where a source block is cut. */
export function sourceEdges(groups: readonly NetworkSecurityGroup[], context: TagContext): { lo: bigint; hi: bigint }[] {
  const edges: { lo: bigint; hi: bigint }[] = [];
  const add = (text: string) => {
    const written = text.trim();
    const parsed = parseCidr(written.includes('/') ? written : `${written}/32`);
    if (parsed.ok && parsed.cidr.family === 4) edges.push(range(parsed.cidr));
  };
  for (const group of groups) for (const rule of group.rules) for (const entry of knownValues(rule.sourceAddresses)) add(entry.value);
  for (const block of [...context.virtualNetwork, ...PRIVATE_ADDRESS_SPACES.value.flatMap((text) => {
    const parsed = parseCidr(text);
    return parsed.ok ? [parsed.cidr] : [];
  })]) {
    if (block.family === 4) edges.push(range(block));
  }
  return edges;
}

/** One address per piece of the source blocks between the edges: every source the rules tell apart. */
export function sourcePieces(blocks: readonly Cidr[], edges: readonly { lo: bigint; hi: bigint }[]): IpAddress[] {
  const addresses: IpAddress[] = [];
  for (const block of blocks) {
    const { lo, hi } = range(block);
    const cuts = new Set<bigint>([lo]);
    for (const edge of edges) for (const cut of [edge.lo, edge.hi + 1n]) if (cut > lo && cut <= hi && cut <= IPV4_TOP) cuts.add(cut);
    for (const cut of cuts) addresses.push({ family: 4, value: cut });
  }
  return addresses;
}
