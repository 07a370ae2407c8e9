// The Azure resource layer's mapping into the network model: resource instances (from Bicep's evaluator, from ASO
// and CAPZ YAML) lowered by one function per resource type. Adding a resource type is one LOWERINGS entry.
import {
  AGENT_POOL_MODE,
  canonical,
  LOAD_BALANCER_SKU,
  NETWORK_DATAPLANE,
  NETWORK_PLUGIN,
  NETWORK_PLUGIN_MODE,
  NETWORK_POLICY,
  NEXT_HOP_TYPE,
  OS_TYPE,
  OUTBOUND_TYPE,
  POD_IP_ALLOCATION_MODE,
  PRIVATE_ENDPOINT_NETWORK_POLICIES,
  PRIVATE_LINK_SERVICE_NETWORK_POLICIES,
  PUBLIC_IP_SKU,
} from '../../model/enums';
import { type Cidr, type IpAddress, parseCidr, parseIp } from '../../cidr/cidr';
import {
  type AddressRole,
  type ApiServerAccess,
  type Association,
  type HttpProxyConfig,
  type IngressApplicationGatewayAddon,
  type FileFacts,
  type FirewallRule,
  type FirewallRuleCollection,
  loadBalancerIpCount,
  type NetworkSecurityGroup,
  type OutboundIps,
  type Route,
  type RouteTable,
  type SecurityRule,
  type Subnet,
  type SubnetReference,
} from '../../model/network';
import { isNotSet, known, notSet, type Source, type Unknown, unknown, type Value } from '../../model/source';
import { type ArmValue, arrayItems, asString, type Deployment, property, propertyPath, type ResourceInstance } from './values';

const VNET = 'microsoft.network/virtualnetworks';
const SUBNET = 'microsoft.network/virtualnetworks/subnets';
const CLUSTER = 'microsoft.containerservice/managedclusters';
const AGENT_POOL = 'microsoft.containerservice/managedclusters/agentpools';
const ROUTE_TABLE = 'microsoft.network/routetables';
const ROUTE = 'microsoft.network/routetables/routes';
const NSG = 'microsoft.network/networksecuritygroups';
const SECURITY_RULE = 'microsoft.network/networksecuritygroups/securityrules';
const FIREWALL = 'microsoft.network/azurefirewalls';
const FIREWALL_POLICY = 'microsoft.network/firewallpolicies';
const RULE_COLLECTION_GROUP = 'microsoft.network/firewallpolicies/rulecollectiongroups';
const PEERING = 'microsoft.network/virtualnetworks/virtualnetworkpeerings';
const PUBLIC_IP = 'microsoft.network/publicipaddresses';
const NAT_GATEWAY = 'microsoft.network/natgateways';
const APPLICATION_GATEWAY = 'microsoft.network/applicationgateways';
const TRAFFIC_CONTROLLER = 'microsoft.servicenetworking/trafficcontrollers';
const TRAFFIC_CONTROLLER_ASSOCIATION = 'microsoft.servicenetworking/trafficcontrollers/associations';
const PRIVATE_ENDPOINT = 'microsoft.network/privateendpoints';
const PRIVATE_LINK_SERVICE = 'microsoft.network/privatelinkservices';
const ARM_SUBNET_ID = /\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i;

/** Records every CIDR/IP literal reached, once per source, for the address rules. */
class LiteralLog {
  private readonly seen = new Set<string>();
  constructor(private readonly facts: FileFacts) {}

  cidr(value: ArmValue | undefined, role: AddressRole): Value<Cidr> {
    if (isUnset(value)) return notSet(value?.source);
    if (value.kind !== 'string') return unknown(value.kind === 'unknown' ? value.reason : `not a string`, value.source);
    const parse = parseCidr(value.value);
    this.record(value.source, role, parse, value.value);
    return parse.ok ? known(parse.cidr, value.source) : unknown(parse.error, value.source);
  }

  ip(value: ArmValue | undefined, role: AddressRole): Value<IpAddress> {
    if (isUnset(value)) return notSet(value?.source);
    if (value.kind !== 'string') return unknown(value.kind === 'unknown' ? value.reason : 'not a string', value.source);
    const parse = parseIp(value.value);
    this.record(value.source, role, parse, value.value);
    return parse.ok ? known(parse.ip, value.source) : unknown(parse.error, value.source);
  }

  cidrList(value: ArmValue | undefined, role: AddressRole): Value<Cidr>[] {
    if (value === undefined || value.kind === 'null') return [];
    const items = arrayItems(value);
    if (items) return items.map((item) => this.cidr(item, role));
    if (value.kind === 'string') return [this.cidr(value, role)];
    return [unknown(value.kind === 'unknown' ? value.reason : 'not a list of CIDRs', value.source)];
  }

  private record(source: Source, role: AddressRole, parse: FileFacts['addressLiterals'][number]['parse'], text: string): void {
    const key = `${source.uri}:${source.start}:${source.end}:${text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.facts.addressLiterals.push({ role, parse, source });
  }
}

/** Absent, null and the empty string: Azure reads `networkPluginMode: ''` or `maxSurge: ''` as not set. */
function isUnset(value: ArmValue | undefined): value is undefined | (ArmValue & { kind: 'null' | 'string' }) {
  return value === undefined || value.kind === 'null' || (value.kind === 'string' && value.value === '');
}

/** Converts a resource value to a model value of one kind; absent, null and empty are "not set". */
function modelValue<T>(value: ArmValue | undefined, convert: (value: ArmValue) => T | undefined): Value<T> {
  if (isUnset(value)) return notSet(value?.source);
  const converted = convert(value);
  if (converted !== undefined && value.source) return known(converted, value.source);
  return unknown(value.kind === 'unknown' ? value.reason : `unexpected ${value.kind}`, value.source);
}

const stringValue = (value: ArmValue | undefined) => modelValue(value, (v) => (v.kind === 'string' ? v.value : undefined));
// A quoted number or boolean ("3", "true"), as YAML files write them, reads as its value.
const intValue = (value: ArmValue | undefined) =>
  modelValue(value, (v) => (v.kind === 'int' ? v.value : v.kind === 'string' && /^-?\d+$/.test(v.value) ? Number(v.value) : undefined));
const boolValue = (value: ArmValue | undefined) =>
  modelValue(value, (v) => (v.kind === 'bool' ? v.value : v.kind === 'string' && (v.value === 'true' || v.value === 'false') ? v.value === 'true' : undefined));
/** An IP or CIDR read for what it is, not recorded as an address literal (the address rules judge the ranges they know). */
const ipValue = (value: ArmValue | undefined) =>
  modelValue(value, (v) => {
    const parse = v.kind === 'string' ? parseIp(v.value) : undefined;
    return parse?.ok ? parse.ip : undefined;
  });
const cidrValue = (value: ArmValue | undefined) =>
  modelValue(value, (v) => {
    const parse = v.kind === 'string' ? parseCidr(v.value) : undefined;
    return parse?.ok ? parse.cidr : undefined;
  });
/** A port or port range (`443`, `80-90`, `*`), written as text or, loosely, a number. */
const portText = (value: ArmValue | undefined) => modelValue(value, (v) => (v.kind === 'string' ? v.value : v.kind === 'int' ? String(v.value) : undefined));

/**
 * The entries of a list field and its single-value twin (`sourceAddressPrefix` and `sourceAddressPrefixes`): each item
 * as a value; a list that cannot be evaluated is one unknown entry.
 */
function entries<T>(read: (value: ArmValue | undefined) => Value<T>, ...fields: (ArmValue | undefined)[]): Value<T>[] {
  const values: Value<T>[] = [];
  for (const field of fields) {
    if (isUnset(field)) continue;
    const items = arrayItems(field);
    if (items) values.push(...items.map(read));
    else if (field.kind === 'array') continue;
    else if (field.kind === 'unknown') values.push(unknown(field.reason, field.source));
    else values.push(read(field));
  }
  return values;
}

/** The number of items of a list field (IP groups, application security groups): unknown when it cannot be evaluated. */
function itemCount(value: ArmValue | undefined): number | undefined {
  if (isUnset(value)) return 0;
  return arrayItems(value)?.length;
}

/** maxSurge is written as a string ("33%", "1") or, loosely, a number. */
const surgeValue = (value: ArmValue | undefined) =>
  modelValue(value, (v) => (v.kind === 'string' ? v.value : v.kind === 'int' ? String(v.value) : undefined));

/** The resource an `existing` reference names by another resource's `name` that cannot be evaluated (`name: aks.name`). */
function referencedResource(instance: ResourceInstance | undefined): ResourceInstance | undefined {
  let current = instance;
  for (let depth = 0; current?.existing && current.name.kind === 'unknown' && current.name.nameOf && depth < 16; depth++) {
    const target: ResourceInstance = current.name.nameOf;
    if (target.type.toLowerCase() !== current.type.toLowerCase()) break;
    current = target;
  }
  return current;
}

/**
 * A resource's identity within a deployment, as ARM joins resources: its type and name path (an agent pool declared on an
 * `existing` cluster is a pool of the cluster of that name). A resource whose name cannot be evaluated is identified by
 * its declaration instance alone, so it joins nothing. The deployment root is part of it: two roots are two deployments.
 */
function resourceIdentity(root: string, instance: ResourceInstance): string {
  const target = referencedResource(instance)!;
  const path: string[] = [];
  for (let current: ResourceInstance | undefined = target; current; current = referencedResource(current.parent)) {
    const name = referenceName(current);
    if (name === undefined) return `${root}|${target.source.uri}#${target.source.start}#${target.serial}`;
    path.unshift(`${current.type.split('/').pop()}/${name}`);
  }
  return `${root}|${target.type.split('/')[0]}/${path.join('/')}`.toLowerCase();
}

/** The name references use for a resource: ASO's Kubernetes name where it has one, else its (Azure) name. */
const referenceName = (instance: ResourceInstance) => instance.kubernetesName ?? asString(instance.name);

/** A key for a VNet: the name references use, or its declaration's place and instance when the name cannot be evaluated. */
function vnetKey(instance: ResourceInstance): string {
  return referenceName(instance) ?? `${instance.source.uri}#${instance.source.start}#${instance.serial}`;
}

/** A subnet reference from a `vnetSubnetID`-like value: a resource id or an ARM id string. */
function subnetReference(value: ArmValue | undefined): SubnetReference | undefined {
  if (value?.kind === 'resourceId') {
    const path = value.path;
    const subnet = path[path.length - 1];
    const vnet = path[path.length - 2];
    if (subnet?.type.toLowerCase() === 'subnets' && subnet.name && vnet?.type.toLowerCase() === 'virtualnetworks') {
      return vnet.name ? { by: 'resourceId', vnetKey: vnet.name, subnetName: subnet.name, source: value.source } : { by: 'inDeployment', subnetName: subnet.name, source: value.source };
    }
    // ASO's `{name}` reference: a subnet object of the namespace, whose VNet the model finds through its owner.
    if (value.kubernetes && subnet?.name) return { by: 'kubernetesName', subnetName: subnet.name, source: value.source };
    return undefined;
  }
  if (value?.kind === 'string') {
    const match = ARM_SUBNET_ID.exec(value.value);
    return match ? { by: 'resourceId', vnetKey: match[1]!, subnetName: match[2]!, source: value.source } : undefined;
  }
  return undefined;
}

/** Why a subnet's resource id names no subnet: a name in it that cannot be evaluated. */
function unnamedInId(value: ArmValue): string | undefined {
  if (value.kind !== 'resourceId') return undefined;
  const unnamed = value.path.find((segment) => segment.name === undefined);
  return unnamed && `the name of the ${unnamed.type} in the subnet id cannot be evaluated`;
}

/** Why a written subnet reference names no subnet (cannot be evaluated, or not a subnet id); nothing when it does or is absent. */
function unresolvedReference<K extends string>(key: K, value: ArmValue | undefined): { [key in K]?: Unknown } {
  if (value === undefined || value.kind === 'null' || (value.kind === 'string' && value.value === '') || subnetReference(value)) return {};
  const reason = value.kind === 'unknown' ? value.reason : unnamedInId(value) ?? 'not a subnet resource id';
  return { [key]: unknown(reason, value.source) } as { [key in K]?: Unknown };
}

/**
 * The name of a resource a subnet associates with (`routeTable: { id: rt.id }`): not set when absent,
 * unknown when the id cannot be evaluated.
 */
function referencedName(reference: ArmValue | undefined, type: string): Value<string> {
  if (reference === undefined || reference.kind === 'null') return notSet(reference?.source);
  const id = property(reference, 'id');
  if (id?.kind === 'resourceId') {
    const last = id.path[id.path.length - 1];
    if (last?.type.toLowerCase() === type.toLowerCase() && last.name) return known(last.name, id.source);
  }
  if (id?.kind === 'string') {
    const match = new RegExp(`/${type}/([^/]+)/?$`, 'i').exec(id.value);
    if (match) return known(match[1]!, id.source);
  }
  return unknown(`the ${type} id cannot be evaluated`, id?.source ?? reference.source);
}

const ASSOCIATIONS: readonly Association[] = ['routeTable', 'natGateway', 'networkSecurityGroup'];

/** A subnet's associations by name, and those an ASO `{name}` reference names by the object's Kubernetes name. */
function associations(properties: ArmValue | undefined): Pick<Subnet, Association | 'kubernetesNamed'> {
  const byKubernetesName = (key: Association) => {
    const id = property(property(properties, key), 'id');
    return id?.kind === 'resourceId' && id.kubernetes === true;
  };
  const kubernetesNamed = ASSOCIATIONS.filter(byKubernetesName);
  return {
    routeTable: referencedName(property(properties, 'routeTable'), 'routeTables'),
    natGateway: referencedName(property(properties, 'natGateway'), 'natGateways'),
    networkSecurityGroup: referencedName(property(properties, 'networkSecurityGroup'), 'networkSecurityGroups'),
    ...(kubernetesNamed.length > 0 ? { kubernetesNamed } : {}),
  };
}

/** A route table's routes: inline `properties.routes` items or child route resources' bodies. */
function lowerRoute(body: ArmValue, declared: Source): Route {
  const fields = property(body, 'properties');
  return {
    name: asString(property(body, 'name')) ?? 'route',
    source: body.source ?? declared,
    addressPrefix: stringValue(property(fields, 'addressPrefix')),
    nextHopType: canonical(NEXT_HOP_TYPE, stringValue(property(fields, 'nextHopType'))),
    nextHopIpAddress: ipValue(property(fields, 'nextHopIpAddress')),
  };
}

/** What lowering one deployment shares across its resources. */
interface Lowering {
  /** The deployment: a Bicep root's URI, an ASO namespace. Part of every identity. */
  readonly root: string;
  readonly facts: FileFacts;
  readonly literals: LiteralLog;
  /** The route tables lowered so far, for their child routes. */
  readonly tables: Map<ResourceInstance, RouteTable>;
  /** The network security groups lowered so far, for their child rules. */
  readonly securityGroups: Map<ResourceInstance, NetworkSecurityGroup>;
  /** True the first time a resource of this identity is lowered: one deployed twice is one resource. */
  first(instance: ResourceInstance): boolean;
}

/** How each resource type enters the model (types lower-cased); route tables go first, so that routes find them. */
const LOWERINGS: ReadonlyMap<string, (instance: ResourceInstance & { body: ArmValue }, lowering: Lowering) => void> = new Map([
  [ROUTE_TABLE, lowerRouteTable],
  [ROUTE, lowerChildRoute],
  [NSG, lowerSecurityGroup],
  [SECURITY_RULE, lowerChildSecurityRule],
  [VNET, lowerVirtualNetwork],
  [SUBNET, lowerChildSubnet],
  [PEERING, lowerChildPeering],
  [CLUSTER, lowerCluster],
  [AGENT_POOL, lowerChildAgentPool],
  [FIREWALL, lowerFirewall],
  [FIREWALL_POLICY, lowerFirewallPolicy],
  [RULE_COLLECTION_GROUP, lowerRuleCollectionGroup],
  [PUBLIC_IP, lowerPublicIp],
  [NAT_GATEWAY, lowerNatGateway],
  [APPLICATION_GATEWAY, lowerApplicationGateway],
  [TRAFFIC_CONTROLLER, lowerTrafficController],
  [TRAFFIC_CONTROLLER_ASSOCIATION, lowerTrafficControllerAssociation],
  [PRIVATE_ENDPOINT, lowerPrivateEndpoint],
  [PRIVATE_LINK_SERVICE, lowerPrivateLinkService],
]);

/** Types whose children are lowered into them: they go first. */
const PARENTS = new Set([ROUTE_TABLE, NSG]);

/** The resource types the model reads. */
export const LOWERED_TYPES: readonly string[] = [...LOWERINGS.keys()];

/** Adds the model entities of every instance of a deployment to the facts. */
export function lowerDeployment(root: string, deployment: Deployment, facts: FileFacts, environment?: string): void {
  const vnetsBefore = facts.vnets.length;
  const subnetsBefore = facts.subnets.length;
  const clustersBefore = facts.clusters.length;
  const poolsBefore = facts.nodePools.length;
  const identities = new Set<string>();
  const lowering: Lowering = {
    root,
    facts,
    literals: new LiteralLog(facts),
    tables: new Map(),
    securityGroups: new Map(),
    first: (instance) => {
      const identity = resourceIdentity(root, instance);
      if (identities.has(identity)) return false;
      identities.add(identity);
      return true;
    },
  };
  const deployed = deployment.instances.filter((instance): instance is ResourceInstance & { body: ArmValue } => !instance.existing && instance.body !== undefined);
  const isParent = (instance: ResourceInstance) => PARENTS.has(instance.type.toLowerCase());
  for (const instance of [...deployed.filter(isParent), ...deployed.filter((instance) => !isParent(instance))]) {
    LOWERINGS.get(instance.type.toLowerCase())?.(instance, lowering);
  }
  if (environment !== undefined) for (let i = clustersBefore; i < facts.clusters.length; i++) facts.clusters[i] = { ...facts.clusters[i]!, environment };
  // Subnets and references remember their deployment, so that a reference finds its own deployment's subnet first.
  for (let i = vnetsBefore; i < facts.vnets.length; i++) facts.vnets[i] = { ...facts.vnets[i]!, deployment: root };
  for (let i = subnetsBefore; i < facts.subnets.length; i++) facts.subnets[i] = { ...facts.subnets[i]!, deployment: root };
  for (let i = poolsBefore; i < facts.nodePools.length; i++) {
    const pool = facts.nodePools[i]!;
    facts.nodePools[i] = {
      ...pool,
      nodeSubnet: pool.nodeSubnet && { ...pool.nodeSubnet, deployment: root },
      podSubnet: pool.podSubnet && { ...pool.podSubnet, deployment: root },
    };
  }
}

/**
 * Whether a route table or NSG read so far is a child's parent: an ASO owner names it by Kubernetes name, anything else
 * by its name. A parent not read yet gets a stub under the owner's name (and Kubernetes name), which joins stand for it.
 */
const ownedBy = (parent: ResourceInstance, owner: string | undefined) => (item: { readonly name: string; readonly kubernetesName?: string }) =>
  parent.kubernetesName !== undefined ? item.kubernetesName === parent.kubernetesName : item.name === owner;
const kubernetesNameOf = (instance: ResourceInstance) => (instance.kubernetesName !== undefined ? { kubernetesName: instance.kubernetesName } : {});
/** A stub's names: an ASO owner's Kubernetes name is no Azure name. */
const standInOf = (parent: ResourceInstance) => (parent.kubernetesName !== undefined ? { kubernetesName: parent.kubernetesName, ownerStandIn: true as const } : {});

/** A route table with its inline routes; child route resources join it later. */
function lowerRouteTable(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  const inline = property(property(instance.body, 'properties'), 'routes');
  const items = arrayItems(inline);
  const table: RouteTable = {
    name: asString(instance.name) ?? 'route table',
    ...kubernetesNameOf(instance),
    source: instance.source,
    routes: (items ?? []).map((item) => lowerRoute(item, instance.source)),
    routesComplete: inline === undefined || inline.kind === 'null' || items !== undefined,
  };
  lowering.tables.set(instance, table);
  lowering.facts.routeTables.push(table);
}

/** A route resource joins its table: in this deployment, else one of that name read so far, else a stub other files complete. */
function lowerChildRoute(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  const parent = instance.parent;
  if (!parent) return;
  const route = lowerRoute(instance.body, instance.source);
  const owner = asString(parent.name);
  const table = lowering.tables.get(parent) ?? lowering.facts.routeTables.find(ownedBy(parent, owner));
  if (table) table.routes.push(route);
  else if (owner) lowering.facts.routeTables.push({ name: owner, ...standInOf(parent), source: route.source, routes: [route], routesComplete: false });
}

/** A subnet resource; one whose VNet is not named (an ASO subnet without owner) still has its prefixes checked. */
function lowerChildSubnet(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  lowerSubnet(instance.body, instance.parent && vnetKey(instance.parent), instance, lowering.facts, lowering.literals);
}

function lowerChildAgentPool(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const parent = instance.parent;
  lowerAgentPool(instance.body, asString(parent?.name), parent && resourceIdentity(lowering.root, parent), instance.source, lowering.facts);
}

function lowerVirtualNetwork(instance: ResourceInstance & { body: ArmValue }, { facts, literals }: Lowering): void {
  const properties = property(instance.body, 'properties');
  const addressSpace = literals.cidrList(propertyPath(properties, 'addressSpace', 'addressPrefixes'), 'vnet-address-space');
  const key = vnetKey(instance);
  const name = asString(instance.name);
  facts.vnets.push({
    key,
    name: name ?? 'virtual network',
    source: instance.source,
    addressSpace,
    addressSpaceComplete: addressSpace.length > 0 && addressSpace.every((v) => v.known),
    // Resource ids carry the Azure name; ASO references name the Kubernetes object (also the key).
    ...(name !== undefined ? { azureName: name } : {}),
    ...(instance.kubernetesName !== undefined ? { kubernetesName: instance.kubernetesName } : {}),
  });
  const inline = property(properties, 'subnets');
  for (const subnet of arrayItems(inline) ?? []) lowerSubnet(subnet, key, instance, facts, literals);
  for (const peering of arrayItems(property(properties, 'virtualNetworkPeerings')) ?? []) lowerPeering(peering, key, instance.source, facts);
}

/** The subnets lowered into each facts so far, by VNet key and name (looked up once per subnet: a set, not a scan). */
const loweredSubnets = new WeakMap<FileFacts, Set<string>>();

/** True the first time a subnet of this VNet and name is lowered into the facts. */
function firstLowering(facts: FileFacts, vnet: string | undefined, name: string): boolean {
  let seen = loweredSubnets.get(facts);
  if (!seen) loweredSubnets.set(facts, (seen = new Set(facts.subnets.map((s) => `${s.vnetKey}\n${s.name}`))));
  const key = `${vnet}\n${name}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** A subnet: inline in a VNet's `subnets` (name + properties) or a child resource's body. */
function lowerSubnet(body: ArmValue, vnet: string | undefined, declaredBy: ResourceInstance, facts: FileFacts, literals: LiteralLog): void {
  const properties = property(body, 'properties');
  const name = asString(property(body, 'name'));
  // A subnet without a known name cannot be told apart from others; one declared twice (inline and as a child) counts once.
  if (name === undefined || !firstLowering(facts, vnet, name)) return;
  const prefixList = property(properties, 'addressPrefixes');
  // An empty addressPrefixes (a common `contains(x, 'addressPrefixes') ? … : []`) means addressPrefix is used.
  const useList = prefixList !== undefined && prefixList.kind !== 'null' && !(prefixList.kind === 'array' && prefixList.items.length === 0);
  const prefixes = useList ? literals.cidrList(prefixList, 'subnet-prefix') : [literals.cidr(property(properties, 'addressPrefix'), 'subnet-prefix')];
  const kubernetesName = declaredBy.type.toLowerCase() === SUBNET ? declaredBy.kubernetesName : undefined;
  facts.subnets.push({
    ...(kubernetesName !== undefined ? { kubernetesName } : {}),
    name,
    vnetKey: vnet,
    source: body.source ?? declaredBy.source,
    prefixes,
    ...associations(properties),
    delegations: entries(stringValue, ...delegationServices(property(properties, 'delegations'))),
    privateEndpointNetworkPolicies: canonical(PRIVATE_ENDPOINT_NETWORK_POLICIES, stringValue(property(properties, 'privateEndpointNetworkPolicies'))),
    privateLinkServiceNetworkPolicies: canonical(PRIVATE_LINK_SERVICE_NETWORK_POLICIES, stringValue(property(properties, 'privateLinkServiceNetworkPolicies'))),
  });
}

/** The service names of a subnet's delegations (ARM nests them under `properties`, ASO writes them on the item); a list that cannot be evaluated is one unknown. */
function delegationServices(delegations: ArmValue | undefined): (ArmValue | undefined)[] {
  if (isUnset(delegations)) return [];
  const items = arrayItems(delegations);
  if (!items) return [delegations.kind === 'unknown' ? delegations : { kind: 'unknown', reason: 'the delegations cannot be evaluated', source: delegations.source }];
  return items.map((item) => property(property(item, 'properties') ?? item, 'serviceName') ?? { kind: 'unknown', reason: 'a delegation without a service name', source: item.source });
}

function lowerCluster(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const { facts, literals } = lowering;
  const key = resourceIdentity(lowering.root, instance);
  const properties = property(instance.body, 'properties');
  const profile = property(properties, 'networkProfile');
  const listOr = (plural: string, singular: string, role: AddressRole) => {
    const list = property(profile, plural);
    return list && list.kind !== 'null' ? literals.cidrList(list, role) : literals.cidrList(property(profile, singular), role);
  };
  const name = asString(instance.name) ?? 'managed cluster';
  facts.clusters.push({
    key,
    name,
    source: instance.source,
    networkPlugin: canonical(NETWORK_PLUGIN, stringValue(property(profile, 'networkPlugin'))),
    networkPluginMode: canonical(NETWORK_PLUGIN_MODE, stringValue(property(profile, 'networkPluginMode'))),
    networkPolicy: canonical(NETWORK_POLICY, stringValue(property(profile, 'networkPolicy'))),
    networkDataplane: canonical(NETWORK_DATAPLANE, stringValue(property(profile, 'networkDataplane'))),
    outboundType: canonical(OUTBOUND_TYPE, stringValue(property(profile, 'outboundType'))),
    podCidrs: listOr('podCidrs', 'podCidr', 'pod-cidr'),
    serviceCidrs: listOr('serviceCidrs', 'serviceCidr', 'service-cidr'),
    dnsServiceIp: literals.ip(property(profile, 'dnsServiceIP'), 'dns-service-ip'),
    apiVersion: instance.apiVersion,
    dockerBridgeCidr: stringValue(property(profile, 'dockerBridgeCidr')),
    loadBalancerSku: canonical(LOAD_BALANCER_SKU, stringValue(property(profile, 'loadBalancerSku'))),
    ebpfDataplane: stringValue(property(profile, 'ebpfDataplane')),
    defaultNodeSubnet: undefined,
    outboundIps: lowerOutboundIps(profile),
    apiServerAccess: lowerApiServerAccess(property(properties, 'apiServerAccessProfile'), lowering.root),
    ...httpProxyOf(property(properties, 'httpProxyConfig'), instance.source),
    ...ingressApplicationGatewayOf(property(properties, 'addonProfiles'), instance.source),
  });
  for (const pool of arrayItems(property(properties, 'agentPoolProfiles')) ?? []) lowerAgentPool(pool, name, key, instance.source, facts);
}

/** A subnet reference made in a deployment: it finds its own deployment's subnet first. */
const inDeployment = (reference: SubnetReference | undefined, root: string): SubnetReference | undefined => reference && { ...reference, deployment: root };

/** apiServerAccessProfile: private cluster, VNet integration with its subnet, authorized IP ranges. */
function lowerApiServerAccess(profile: ArmValue | undefined, root: string): ApiServerAccess {
  const subnetId = property(profile, 'subnetId') ?? property(profile, 'subnetID');
  return {
    enablePrivateCluster: boolValue(property(profile, 'enablePrivateCluster')),
    enableVnetIntegration: boolValue(property(profile, 'enableVnetIntegration')),
    subnet: inDeployment(subnetReference(subnetId), root),
    ...unresolvedReference('subnetUnknown', subnetId),
    authorizedIpRanges: entries(cidrValue, property(profile, 'authorizedIPRanges')),
  };
}

/** httpProxyConfig, when the cluster writes one. */
function httpProxyOf(config: ArmValue | undefined, declared: Source): { httpProxy?: HttpProxyConfig } {
  if (isUnset(config)) return {};
  const noProxy = property(config, 'noProxy');
  return {
    httpProxy: {
      source: config.source ?? declared,
      httpProxy: stringValue(property(config, 'httpProxy')),
      httpsProxy: stringValue(property(config, 'httpsProxy')),
      noProxy: entries(stringValue, noProxy),
      noProxyField: isUnset(noProxy) ? notSet(noProxy?.source) : known(true, noProxy.source ?? config.source ?? declared),
    },
  };
}

/** The AGIC add-on, when addonProfiles writes it (the key as ARM writes it, or capitalised as the CLI shows it). */
function ingressApplicationGatewayOf(addons: ArmValue | undefined, declared: Source): { ingressApplicationGateway?: IngressApplicationGatewayAddon } {
  const addon = property(addons, 'ingressApplicationGateway') ?? property(addons, 'IngressApplicationGateway');
  if (isUnset(addon)) return {};
  const id = propertyPath(addon, 'config', 'applicationGatewayId');
  return {
    ingressApplicationGateway: {
      source: addon.source ?? declared,
      enabled: boolValue(property(addon, 'enabled')),
      gateway: isUnset(id) ? notSet(id?.source) : referencedName({ kind: 'object', properties: new Map([['id', id]]), source: id.source ?? declared }, 'applicationGateways'),
    },
  };
}

/** The number of items of an array value: not set when absent, unknown when the array cannot be evaluated. */
const lengthValue = (value: ArmValue | undefined) => modelValue(value, (v) => arrayItems(v)?.length);

/** The outbound IPs and ports of networkProfile.loadBalancerProfile and natGatewayProfile. */
function lowerOutboundIps(profile: ArmValue | undefined): OutboundIps {
  const balancer = property(profile, 'loadBalancerProfile');
  const prefixes = property(balancer, 'outboundIPPrefixes');
  const loadBalancerManagedIps = intValue(propertyPath(balancer, 'managedOutboundIPs', 'count'));
  return {
    allocatedOutboundPorts: intValue(property(balancer, 'allocatedOutboundPorts')),
    loadBalancerManagedIps,
    loadBalancerIps: loadBalancerIpCount(
      loadBalancerManagedIps,
      lengthValue(propertyPath(balancer, 'outboundIPs', 'publicIPs')),
      prefixes !== undefined && prefixes.kind !== 'null',
    ),
    natGatewayManagedIps: intValue(propertyPath(profile, 'natGatewayProfile', 'managedOutboundIPProfile', 'count')),
  };
}

/** An agent pool: an item of agentPoolProfiles (name + fields) or an agentPools child's body (fields under properties). */
function lowerAgentPool(body: ArmValue, clusterName: string | undefined, clusterKey: string | undefined, declared: Source, facts: FileFacts): void {
  const fields = property(body, 'properties') ?? body;
  facts.nodePools.push({
    name: asString(property(body, 'name')) ?? 'agent pool',
    clusterName,
    clusterKey,
    source: body.source ?? declared,
    count: intValue(property(fields, 'count')),
    minCount: intValue(property(fields, 'minCount')),
    maxCount: intValue(property(fields, 'maxCount')),
    maxPods: intValue(property(fields, 'maxPods')),
    osType: canonical(OS_TYPE, stringValue(property(fields, 'osType'))),
    mode: canonical(AGENT_POOL_MODE, stringValue(property(fields, 'mode'))),
    enableAutoScaling: boolValue(property(fields, 'enableAutoScaling')),
    maxSurge: surgeValue(propertyPath(fields, 'upgradeSettings', 'maxSurge')),
    podIpAllocationMode: canonical(POD_IP_ALLOCATION_MODE, stringValue(property(fields, 'podIPAllocationMode'))),
    nodeSubnet: subnetReference(property(fields, 'vnetSubnetID')),
    podSubnet: subnetReference(property(fields, 'podSubnetID')),
    ...unresolvedReference('nodeSubnetUnknown', property(fields, 'vnetSubnetID')),
    ...unresolvedReference('podSubnetUnknown', property(fields, 'podSubnetID')),
  });
}

/** A security rule: an item of an NSG's `securityRules` (name + properties) or a child resource's body. */
function lowerSecurityRule(body: ArmValue, declared: Source): SecurityRule {
  const fields = property(body, 'properties');
  const addresses = (side: 'source' | 'destination'): Value<string>[] => {
    const values = entries(stringValue, property(fields, `${side}AddressPrefix`), property(fields, `${side}AddressPrefixes`));
    const groups = property(fields, `${side}ApplicationSecurityGroups`);
    if (itemCount(groups) !== 0) values.push(unknown('an application security group: its members are declared with the network interfaces', groups?.source));
    return values;
  };
  return {
    name: asString(property(body, 'name')) ?? 'security rule',
    source: body.source ?? declared,
    priority: intValue(property(fields, 'priority')),
    direction: stringValue(property(fields, 'direction')),
    access: stringValue(property(fields, 'access')),
    protocol: stringValue(property(fields, 'protocol')),
    sourceAddresses: addresses('source'),
    destinationAddresses: addresses('destination'),
    sourcePorts: entries(portText, property(fields, 'sourcePortRange'), property(fields, 'sourcePortRanges')),
    destinationPorts: entries(portText, property(fields, 'destinationPortRange'), property(fields, 'destinationPortRanges')),
  };
}

/** A network security group with its inline rules; child rule resources join it later. */
function lowerSecurityGroup(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const inline = property(property(instance.body, 'properties'), 'securityRules');
  const items = arrayItems(inline);
  const group: NetworkSecurityGroup = {
    name: asString(instance.name) ?? 'network security group',
    ...kubernetesNameOf(instance),
    source: instance.source,
    rules: (items ?? []).map((item) => lowerSecurityRule(item, instance.source)),
    rulesComplete: isUnset(inline) || items !== undefined,
  };
  lowering.securityGroups.set(instance, group);
  lowering.facts.networkSecurityGroups.push(group);
}

/** A security rule resource joins its group: in this deployment, else one of that name read so far, else a stub. */
function lowerChildSecurityRule(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  const parent = referencedResource(instance.parent);
  if (!parent || !lowering.first(instance)) return;
  const rule = lowerSecurityRule(instance.body, instance.source);
  const owner = asString(parent.name);
  const group = lowering.securityGroups.get(parent) ?? lowering.facts.networkSecurityGroups.find(ownedBy(parent, owner));
  if (group) group.rules.push(rule);
  else if (owner) lowering.facts.networkSecurityGroups.push({ name: owner, ...standInOf(parent), source: rule.source, rules: [rule], rulesComplete: false });
}

/** The remote VNet of a `{ id }` reference: the Azure name of an ARM id string or resource id, or the Kubernetes name of an ASO `{name}` reference. */
function remoteVnet(reference: ArmValue | undefined): { remoteVnet: Value<string>; remoteBy: 'resourceId' | 'kubernetesName' } {
  const id = property(reference, 'id');
  if (id?.kind === 'resourceId') {
    const last = id.path[id.path.length - 1];
    if (last?.name && id.kubernetes) return { remoteVnet: known(last.name, id.source), remoteBy: 'kubernetesName' };
    if (last?.name && last.type.toLowerCase() === 'virtualnetworks') return { remoteVnet: known(last.name, id.source), remoteBy: 'resourceId' };
  }
  return { remoteVnet: referencedName(reference, 'virtualNetworks'), remoteBy: 'resourceId' };
}

/** A peering: an item of a VNet's `virtualNetworkPeerings` or a child resource's body. */
function lowerPeering(body: ArmValue, vnet: string | undefined, declared: Source, facts: FileFacts): void {
  const fields = property(body, 'properties');
  facts.peerings.push({
    name: asString(property(body, 'name')) ?? 'peering',
    source: body.source ?? declared,
    vnetKey: vnet,
    ...remoteVnet(property(fields, 'remoteVirtualNetwork')),
    remoteAddressSpace: entries(cidrValue, propertyPath(fields, 'remoteAddressSpace', 'addressPrefixes')),
  });
}

function lowerChildPeering(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const parent = referencedResource(instance.parent);
  lowerPeering(instance.body, parent && vnetKey(parent), instance.source, lowering.facts);
}

/** An Azure Firewall: its IP configurations' subnets and written private IPs, its policy, its classic rules. */
function lowerFirewall(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const properties = property(instance.body, 'properties');
  const configurations = property(properties, 'ipConfigurations');
  // ARM nests an IP configuration's fields under `properties`; ASO writes them on the item.
  const items = (arrayItems(configurations) ?? []).map((item) => property(item, 'properties') ?? item);
  const privateIps = items.map((item) => ipValue(property(item, 'privateIPAddress'))).filter((ip) => !isNotSet(ip));
  if (!isUnset(configurations) && arrayItems(configurations) === undefined) privateIps.push(unknown('the IP configurations cannot be evaluated', configurations?.source));
  const subnets = items.flatMap((item) => subnetReference(propertyPath(item, 'subnet', 'id')) ?? []);
  const counts = ['applicationRuleCollections', 'networkRuleCollections', 'natRuleCollections'].map((field) => itemCount(property(properties, field)));
  lowering.facts.firewalls.push({
    frontendPublicIps: frontendPublicIps(configurations, items, propertyPath(properties, 'hubIPAddresses', 'publicIPs', 'count')),
    name: asString(instance.name) ?? 'firewall',
    source: instance.source,
    privateIps,
    subnets,
    firewallPolicy: referencedName(property(properties, 'firewallPolicy'), 'firewallPolicies'),
    classicRuleCollections: counts.every((count) => count !== undefined)
      ? known(counts.reduce((a, b) => a! + b!, 0)!, instance.source)
      : unknown('classic rule collections that cannot be evaluated', instance.source),
  });
}

/** A firewall's frontend public IPs: its IP configurations that name one, or a hub firewall's public IP count. */
function frontendPublicIps(configurations: ArmValue | undefined, items: readonly (ArmValue | undefined)[], hubCount: ArmValue | undefined): Value<number> {
  if (!isUnset(hubCount)) return intValue(hubCount);
  if (isUnset(configurations)) return notSet(configurations?.source);
  const written = arrayItems(configurations);
  if (written === undefined || written.some((item) => item.kind === 'unknown')) return unknown('the IP configurations cannot be evaluated', configurations.source);
  const references = items.map((item) => property(item, 'publicIPAddress')).filter((reference) => !isUnset(reference));
  const first = references[0] && (property(references[0], 'id') ?? references[0]);
  return first ? known(references.length, first.source ?? configurations.source!) : notSet(configurations.source);
}

function lowerFirewallPolicy(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  lowering.facts.firewallPolicies.push({
    name: asString(instance.name) ?? 'firewall policy',
    source: instance.source,
    basePolicy: referencedName(property(property(instance.body, 'properties'), 'basePolicy'), 'firewallPolicies'),
  });
}

/** A firewall policy rule; application, network and NAT rules share one shape, each filling its own fields. */
function lowerFirewallRule(body: ArmValue, declared: Source): FirewallRule {
  const list = (name: string) => entries(stringValue, property(body, name));
  const groups = (name: string) => itemCount(property(body, name)) ?? 1;
  return {
    name: asString(property(body, 'name')) ?? 'rule',
    source: body.source ?? declared,
    ruleType: stringValue(property(body, 'ruleType')),
    sourceAddresses: list('sourceAddresses'),
    sourceIpGroups: groups('sourceIpGroups'),
    destinationAddresses: list('destinationAddresses'),
    destinationIpGroups: groups('destinationIpGroups'),
    destinationFqdns: list('destinationFqdns'),
    destinationPorts: entries(portText, property(body, 'destinationPorts')),
    ipProtocols: list('ipProtocols'),
    fqdnTags: list('fqdnTags'),
    targetFqdns: list('targetFqdns'),
    protocols: (arrayItems(property(body, 'protocols')) ?? []).map((protocol) => ({
      protocolType: stringValue(property(protocol, 'protocolType')),
      port: intValue(property(protocol, 'port')),
    })),
    translatedAddress: stringValue(property(body, 'translatedAddress')),
    translatedPort: portText(property(body, 'translatedPort')),
  };
}

function lowerRuleCollection(body: ArmValue, declared: Source): FirewallRuleCollection {
  const rules = property(body, 'rules');
  const items = arrayItems(rules);
  return {
    name: asString(property(body, 'name')) ?? 'rule collection',
    source: body.source ?? declared,
    collectionType: stringValue(property(body, 'ruleCollectionType')),
    action: stringValue(propertyPath(body, 'action', 'type')),
    priority: intValue(property(body, 'priority')),
    rules: (items ?? []).map((rule) => lowerFirewallRule(rule, body.source ?? declared)),
    rulesComplete: isUnset(rules) || items !== undefined,
  };
}

/** A rule collection group joins its policy by the policy's name. */
function lowerRuleCollectionGroup(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  const parent = referencedResource(instance.parent);
  const policy = parent && asString(parent.name);
  if (policy === undefined || !lowering.first(instance)) return;
  const properties = property(instance.body, 'properties');
  const collections = property(properties, 'ruleCollections');
  const items = arrayItems(collections);
  lowering.facts.ruleCollectionGroups.push({
    name: asString(instance.name) ?? 'rule collection group',
    policy,
    source: instance.source,
    priority: intValue(property(properties, 'priority')),
    collections: (items ?? []).map((item) => lowerRuleCollection(item, instance.source)),
    collectionsComplete: isUnset(collections) || items !== undefined,
  });
}

/** The name of each `{ id }` of a list field (a NAT gateway's public IPs): unknown where an id cannot be evaluated. */
function referencedNames(list: ArmValue | undefined, type: string): Value<string>[] {
  if (isUnset(list)) return [];
  const items = arrayItems(list);
  if (!items) return [unknown(`the ${type} cannot be evaluated`, list.source)];
  return items.map((item) => referencedName(item, type));
}

function lowerPublicIp(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  lowering.facts.publicIps.push({
    name: asString(instance.name) ?? 'public IP address',
    source: instance.source,
    sku: canonical(PUBLIC_IP_SKU, stringValue(propertyPath(instance.body, 'sku', 'name') ?? propertyPath(instance.body, 'properties', 'sku', 'name'))),
    ipAddress: ipValue(propertyPath(instance.body, 'properties', 'ipAddress')),
  });
}

function lowerNatGateway(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const properties = property(instance.body, 'properties');
  lowering.facts.natGateways.push({
    name: asString(instance.name) ?? 'NAT gateway',
    source: instance.source,
    publicIps: referencedNames(property(properties, 'publicIpAddresses'), 'publicIPAddresses'),
    publicIpPrefixes: referencedNames(property(properties, 'publicIpPrefixes'), 'publicIPPrefixes'),
  });
}

/** The subnets of a list of IP configurations (ARM nests each one's fields under `properties`, ASO writes them on the item). */
function configurationSubnets(configurations: ArmValue | undefined, root: string): { subnets: SubnetReference[]; subnetUnknown?: Unknown } {
  if (isUnset(configurations)) return { subnets: [] };
  const items = arrayItems(configurations);
  if (!items) return { subnets: [], subnetUnknown: unknown('the IP configurations cannot be evaluated', configurations.source) };
  const subnets: SubnetReference[] = [];
  let subnetUnknown: Unknown | undefined;
  for (const item of items) {
    const id = propertyPath(property(item, 'properties') ?? item, 'subnet', 'id');
    const reference = subnetReference(id);
    if (reference) subnets.push(inDeployment(reference, root)!);
    else subnetUnknown ??= unresolvedReference('subnetUnknown', id).subnetUnknown;
  }
  return subnetUnknown ? { subnets, subnetUnknown } : { subnets };
}

/** An Application Gateway: its SKU and the subnets of its gateway IP configurations. */
function lowerApplicationGateway(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const properties = property(instance.body, 'properties');
  lowering.facts.applicationGateways.push({
    name: asString(instance.name) ?? 'application gateway',
    source: instance.source,
    skuName: stringValue(propertyPath(properties, 'sku', 'name')),
    skuTier: stringValue(propertyPath(properties, 'sku', 'tier')),
    ...configurationSubnets(property(properties, 'gatewayIPConfigurations'), lowering.root),
  });
}

function lowerTrafficController(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  lowering.facts.trafficControllers.push({ name: asString(instance.name) ?? 'traffic controller', source: instance.source });
}

/** An Application Gateway for Containers association joins its traffic controller by name. */
function lowerTrafficControllerAssociation(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  const parent = referencedResource(instance.parent);
  const controller = parent && asString(parent.name);
  if (controller === undefined || !lowering.first(instance)) return;
  const properties = property(instance.body, 'properties');
  const id = propertyPath(properties, 'subnet', 'id');
  lowering.facts.trafficControllerAssociations.push({
    name: asString(instance.name) ?? 'association',
    controller,
    source: instance.source,
    associationType: stringValue(property(properties, 'associationType')),
    subnet: inDeployment(subnetReference(id), lowering.root),
    ...unresolvedReference('subnetUnknown', id),
  });
}

/** A Private Link service: the subnets of its NAT IP configurations. */
function lowerPrivateLinkService(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  lowering.facts.privateLinkServices.push({
    name: asString(instance.name) ?? 'private link service',
    source: instance.source,
    ...configurationSubnets(property(property(instance.body, 'properties'), 'ipConfigurations'), lowering.root),
  });
}

/** A private endpoint: its subnet and the group ids of its connections. */
function lowerPrivateEndpoint(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  if (!lowering.first(instance)) return;
  const properties = property(instance.body, 'properties');
  const id = propertyPath(properties, 'subnet', 'id');
  const connections = ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'].flatMap((field) => arrayItems(property(properties, field)) ?? []);
  lowering.facts.privateEndpoints.push({
    name: asString(instance.name) ?? 'private endpoint',
    source: instance.source,
    subnet: inDeployment(subnetReference(id), lowering.root),
    ...unresolvedReference('subnetUnknown', id),
    groupIds: connections.flatMap((connection) => entries(stringValue, property(property(connection, 'properties') ?? connection, 'groupIds'))),
  });
}
