// What the engine knows of each virtual network and the network around it (subnets with their route tables and
// NSGs, peerings, firewalls), and what stays unknown and why: behind `netlens explain`'s networks, so that a rule on
// the network around a cluster that stays silent says what it lacks.
import { formatCidr, formatIp } from '../cidr/cidr';
import type { NetworkModel, Subnet, VirtualNetwork } from '../model/network';
import { isNotSet, type Source, type Value } from '../model/source';
import { remoteVnetsOf, resolveSubnet, routeTablesOf, subnetsOfVnet, vnetOf } from '../model/topology';

/** A value the network rules need and the engine does not have, with where it is written. */
export interface NetworkGap {
  readonly field: string;
  readonly reason: string;
  readonly source: Source;
}

export interface SubnetCoverage {
  readonly name: string;
  /** Its prefixes, or undefined when one cannot be evaluated. */
  readonly cidr: string | undefined;
  /** The route table's name, `none`, or undefined when it cannot be evaluated. */
  readonly routeTable: string | undefined;
  /** The NSG's name, `none`, or undefined when it cannot be evaluated or the reader does not read it. */
  readonly networkSecurityGroup: string | undefined;
}

export interface VnetCoverage {
  readonly vnet: VirtualNetwork;
  readonly addressSpace: string | undefined;
  readonly subnets: readonly SubnetCoverage[];
  /** Peerings out of this VNet: the remote's name and its address space where the workspace knows it. */
  readonly peerings: readonly { name: string; remote: string | undefined; remoteAddressSpace: string | undefined }[];
  /** Firewalls with an IP configuration in one of its subnets, with their private IP and policy where known. */
  readonly firewalls: readonly { name: string; privateIp: string | undefined; policy: string | undefined }[];
  readonly gaps: readonly NetworkGap[];
  /** The parameters files whose deployments declare it alike (none: the template's own values). */
  readonly environments: readonly string[];
}

const text = (value: Value<string>): string | undefined => (value.known ? value.value : isNotSet(value) ? 'none' : undefined);

/**
 * Every VNet of the model, once per template: the environments (parameters files) that deploy it with the same
 * address space share one entry, as they share its subnets in the model.
 */
export function networkCoverage(model: NetworkModel): VnetCoverage[] {
  const entries = new Map<string, VnetCoverage>();
  for (const vnet of model.vnets) {
    const [template, environment] = (vnet.deployment ?? '').split('|environment=');
    const space = vnet.addressSpace.map((entry) => (entry.known ? formatCidr(entry.value) : '?')).join(',');
    const id = `${vnet.key}\n${template}\n${space}`;
    const entry = entries.get(id);
    if (entry) {
      if (environment !== undefined) (entry.environments as string[]).push(environment);
      continue;
    }
    entries.set(id, { ...vnetCoverage(model, vnet), environments: environment === undefined ? [] : [environment] });
  }
  return [...entries.values()];
}

/** Each item once, by a key: a firewall or a gap that two environments' identical copies both give. */
function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && !!seen.add(key(item)));
}

function vnetCoverage(model: NetworkModel, vnet: VirtualNetwork): Omit<VnetCoverage, 'environments'> {
  const gaps: NetworkGap[] = [];
  const gap = (field: string, reason: string, source: Source | undefined, fallback: Source) => gaps.push({ field, reason, source: source ?? fallback });
  for (const entry of vnet.addressSpace) if (!entry.known) gap('addressPrefixes', `address space: ${entry.reason}`, entry.source, vnet.source);
  const subnets = subnetsOfVnet(model, vnet);
  const coverage = subnets.map((subnet) => subnetCoverage(model, subnet, gap));
  const peerings = model.peerings
    .filter((peering) => peering.vnetKey === vnet.key)
    .map((peering) => {
      const remote = remoteVnetsOf(model, peering, vnet);
      const written = peering.remoteAddressSpace;
      const spaces = written.length > 0 ? written : remote.length === 1 ? remote[0]!.addressSpace : [];
      const known = spaces.length > 0 && spaces.every((space) => space.known);
      if (!peering.remoteVnet.known) gap('remoteVirtualNetwork', `peering ${peering.name}: remote VNet ${peering.remoteVnet.reason}`, peering.remoteVnet.source, peering.source);
      else if (!known) {
        const why = remote.length === 0 ? 'is not declared in the files read' : remote.length > 1 ? 'names several VNets of the workspace' : 'has an address space that cannot be evaluated';
        gap('remoteAddressSpace', `peering ${peering.name}: remote VNet ${peering.remoteVnet.value} ${why}; its ranges count as unknown`, peering.source, peering.source);
      }
      return {
        name: peering.name,
        remote: peering.remoteVnet.known ? peering.remoteVnet.value : undefined,
        remoteAddressSpace: known ? spaces.map((space) => (space.known ? formatCidr(space.value) : '')).join(', ') : undefined,
      };
    });
  const own = new Set<Subnet>(subnets);
  const firewalls = unique(model.firewalls, (firewall) => `${firewall.name}\n${firewall.source.uri}#${firewall.source.start}`)
    .filter((firewall) => firewall.subnets.some((reference) => {
      const subnet = resolveSubnet(model, reference);
      return subnet !== undefined && (own.has(subnet) || vnetOf(model, subnet) === vnet);
    }))
    .map((firewall) => {
      const ips = firewall.privateIps.filter((ip) => ip.known).map((ip) => (ip.known ? formatIp(ip.value) : ''));
      if (ips.length === 0) {
        const written = firewall.privateIps.find((ip) => !ip.known);
        const reason = written && !written.known ? written.reason : 'Azure assigns it when the firewall is deployed';
        gap('privateIPAddress', `firewall ${firewall.name}: private IP ${reason}, so routes to it cannot be matched`, written?.source, firewall.source);
      }
      const policy = text(firewall.firewallPolicy);
      if (policy === undefined && !firewall.firewallPolicy.known) {
        gap('firewallPolicy', `firewall ${firewall.name}: policy ${firewall.firewallPolicy.reason}`, firewall.firewallPolicy.source, firewall.source);
      } else if (policy !== undefined && policy !== 'none' && !model.firewallPolicies.some((p) => p.name === policy)) {
        gap('firewallPolicy', `firewall ${firewall.name}: policy ${policy} is not declared in the files read, so its rules are unknown`, firewall.firewallPolicy.source, firewall.source);
      }
      return { name: firewall.name, privateIp: ips.length > 0 ? ips.join(', ') : undefined, policy };
    });
  const addressSpace = vnet.addressSpace.length > 0 && vnet.addressSpace.every((entry) => entry.known) ? vnet.addressSpace.map((entry) => (entry.known ? formatCidr(entry.value) : '')).join(', ') : undefined;
  return { vnet, addressSpace, subnets: coverage, peerings, firewalls, gaps: unique(gaps, (g) => `${g.reason}\n${g.source.uri}#${g.source.start}`) };
}

function subnetCoverage(model: NetworkModel, subnet: Subnet, gap: (field: string, reason: string, source: Source | undefined, fallback: Source) => void): SubnetCoverage {
  for (const prefix of subnet.prefixes) if (!prefix.known) gap('addressPrefix', `subnet ${subnet.name}: prefix ${prefix.reason}`, prefix.source, subnet.source);
  const routeTable = text(subnet.routeTable);
  if (!subnet.routeTable.known && !isNotSet(subnet.routeTable)) gap('routeTable', `subnet ${subnet.name}: route table ${subnet.routeTable.reason}`, subnet.routeTable.source, subnet.source);
  if (subnet.routeTable.known) {
    const tables = routeTablesOf(model, subnet);
    if (tables.length === 0) gap('routeTable', `subnet ${subnet.name}: route table ${subnet.routeTable.value} is not declared in the files read, so its routes are unknown`, subnet.routeTable.source, subnet.source);
    for (const table of tables) {
      if (!table.routesComplete) gap('routes', `route table ${table.name}: some routes cannot be evaluated`, table.source, subnet.source);
      for (const route of table.routes) {
        const hop = route.nextHopIpAddress;
        if (route.nextHopType.known && route.nextHopType.value === 'VirtualAppliance' && hop && !hop.known) {
          gap('nextHopIpAddress', `route ${route.name} of ${table.name}: next hop ${hop.reason}, so the appliance it goes to cannot be told`, hop.source, route.source);
        }
      }
    }
  }
  const nsg = subnet.networkSecurityGroup;
  if (nsg && !nsg.known && !isNotSet(nsg)) gap('networkSecurityGroup', `subnet ${subnet.name}: network security group ${nsg.reason}`, nsg.source, subnet.source);
  if (nsg?.known) {
    const groups = model.networkSecurityGroups.filter((group) => group.name === nsg.value);
    if (groups.length === 0) gap('networkSecurityGroup', `subnet ${subnet.name}: network security group ${nsg.value} is not declared in the files read, so its rules are unknown`, nsg.source, subnet.source);
    for (const group of groups) if (!group.rulesComplete) gap('securityRules', `network security group ${group.name}: some rules cannot be evaluated`, group.source, subnet.source);
  }
  const prefixes = subnet.prefixes.length > 0 && subnet.prefixes.every((prefix) => prefix.known) ? subnet.prefixes.map((prefix) => (prefix.known ? formatCidr(prefix.value) : '')).join(', ') : undefined;
  return { name: subnet.name, cidr: prefixes, routeTable, networkSecurityGroup: nsg ? text(nsg) : undefined };
}
