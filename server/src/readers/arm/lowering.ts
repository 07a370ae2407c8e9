// The Azure resource layer's mapping into the network model: resource instances (from Bicep's evaluator, from ASO
// and CAPZ YAML) lowered by one function per resource type. Adding a resource type is one LOWERINGS entry.
import { type Cidr, type IpAddress, parseCidr, parseIp } from '../../cidr/cidr';
import { type AddressRole, type FileFacts, loadBalancerIpCount, type OutboundIps, type Route, type RouteTable, type SubnetReference } from '../../model/network';
import { known, notSet, type Source, type Unknown, unknown, type Value } from '../../model/source';
import { type ArmValue, arrayItems, asString, type Deployment, property, propertyPath, type ResourceInstance } from './values';

const VNET = 'microsoft.network/virtualnetworks';
const SUBNET = 'microsoft.network/virtualnetworks/subnets';
const CLUSTER = 'microsoft.containerservice/managedclusters';
const AGENT_POOL = 'microsoft.containerservice/managedclusters/agentpools';
const ROUTE_TABLE = 'microsoft.network/routetables';
const ROUTE = 'microsoft.network/routetables/routes';
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
      return { vnetKey: vnet.name, subnetName: subnet.name, source: value.source };
    }
    // ASO's `{name}` reference: a subnet object of the namespace, whose VNet the model finds through its owner.
    if (path.length === 1 && subnet?.type.toLowerCase() === 'subnets' && subnet.name) return { vnetKey: undefined, subnetName: subnet.name, source: value.source };
    return undefined;
  }
  if (value?.kind === 'string') {
    const match = ARM_SUBNET_ID.exec(value.value);
    return match ? { vnetKey: match[1], subnetName: match[2]!, source: value.source } : undefined;
  }
  return undefined;
}

/** Why a written subnet reference names no subnet (cannot be evaluated, or not a subnet id); nothing when it does or is absent. */
function unresolvedReference<K extends string>(key: K, value: ArmValue | undefined): { [key in K]?: Unknown } {
  if (value === undefined || value.kind === 'null' || (value.kind === 'string' && value.value === '') || subnetReference(value)) return {};
  const reason = value.kind === 'unknown' ? value.reason : 'not a subnet resource id';
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

/** A route table's routes: inline `properties.routes` items or child route resources' bodies. */
function lowerRoute(body: ArmValue, declared: Source): Route {
  const fields = property(body, 'properties');
  return {
    name: asString(property(body, 'name')) ?? 'route',
    source: body.source ?? declared,
    addressPrefix: stringValue(property(fields, 'addressPrefix')),
    nextHopType: stringValue(property(fields, 'nextHopType')),
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
  /** True the first time a resource of this identity is lowered: one deployed twice is one resource. */
  first(instance: ResourceInstance): boolean;
}

/** How each resource type enters the model (types lower-cased); route tables go first, so that routes find them. */
const LOWERINGS: ReadonlyMap<string, (instance: ResourceInstance & { body: ArmValue }, lowering: Lowering) => void> = new Map([
  [ROUTE_TABLE, lowerRouteTable],
  [ROUTE, lowerChildRoute],
  [VNET, lowerVirtualNetwork],
  [SUBNET, lowerChildSubnet],
  [CLUSTER, lowerCluster],
  [AGENT_POOL, lowerChildAgentPool],
]);

/** The resource types the model reads. */
export const LOWERED_TYPES: readonly string[] = [...LOWERINGS.keys()];

/** Adds the model entities of every instance of a deployment to the facts. */
export function lowerDeployment(root: string, deployment: Deployment, facts: FileFacts, environment?: string): void {
  const subnetsBefore = facts.subnets.length;
  const clustersBefore = facts.clusters.length;
  const poolsBefore = facts.nodePools.length;
  const identities = new Set<string>();
  const lowering: Lowering = {
    root,
    facts,
    literals: new LiteralLog(facts),
    tables: new Map(),
    first: (instance) => {
      const identity = resourceIdentity(root, instance);
      if (identities.has(identity)) return false;
      identities.add(identity);
      return true;
    },
  };
  const deployed = deployment.instances.filter((instance): instance is ResourceInstance & { body: ArmValue } => !instance.existing && instance.body !== undefined);
  const isTable = (instance: ResourceInstance) => instance.type.toLowerCase() === ROUTE_TABLE;
  for (const instance of [...deployed.filter(isTable), ...deployed.filter((instance) => !isTable(instance))]) {
    LOWERINGS.get(instance.type.toLowerCase())?.(instance, lowering);
  }
  if (environment !== undefined) for (let i = clustersBefore; i < facts.clusters.length; i++) facts.clusters[i] = { ...facts.clusters[i]!, environment };
  // Subnets and references remember their deployment, so that a reference finds its own deployment's subnet first.
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

/** A route table with its inline routes; child route resources join it later. */
function lowerRouteTable(instance: ResourceInstance & { body: ArmValue }, lowering: Lowering): void {
  const inline = property(property(instance.body, 'properties'), 'routes');
  const items = arrayItems(inline);
  const table: RouteTable = {
    name: asString(instance.name) ?? 'route table',
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
  const table = lowering.tables.get(parent) ?? lowering.facts.routeTables.find((t) => t.name === owner);
  if (table) table.routes.push(route);
  else if (owner) lowering.facts.routeTables.push({ name: owner, source: route.source, routes: [route], routesComplete: false });
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
    // ARM ids carry the Azure name; ASO references name the Kubernetes object (the key).
    ...(name !== undefined && name !== key ? { azureName: name } : {}),
  });
  const inline = property(properties, 'subnets');
  for (const subnet of arrayItems(inline) ?? []) lowerSubnet(subnet, key, instance, facts, literals);
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
    ...(kubernetesName !== undefined && kubernetesName !== name ? { kubernetesName } : {}),
    name,
    vnetKey: vnet,
    source: body.source ?? declaredBy.source,
    prefixes,
    routeTable: referencedName(property(properties, 'routeTable'), 'routeTables'),
    natGateway: referencedName(property(properties, 'natGateway'), 'natGateways'),
  });
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
    networkPlugin: stringValue(property(profile, 'networkPlugin')),
    networkPluginMode: stringValue(property(profile, 'networkPluginMode')),
    networkPolicy: stringValue(property(profile, 'networkPolicy')),
    networkDataplane: stringValue(property(profile, 'networkDataplane')),
    outboundType: stringValue(property(profile, 'outboundType')),
    podCidrs: listOr('podCidrs', 'podCidr', 'pod-cidr'),
    serviceCidrs: listOr('serviceCidrs', 'serviceCidr', 'service-cidr'),
    dnsServiceIp: literals.ip(property(profile, 'dnsServiceIP'), 'dns-service-ip'),
    apiVersion: instance.apiVersion,
    dockerBridgeCidr: stringValue(property(profile, 'dockerBridgeCidr')),
    loadBalancerSku: stringValue(property(profile, 'loadBalancerSku')),
    ebpfDataplane: stringValue(property(profile, 'ebpfDataplane')),
    defaultNodeSubnet: undefined,
    outboundIps: lowerOutboundIps(profile),
  });
  for (const pool of arrayItems(property(properties, 'agentPoolProfiles')) ?? []) lowerAgentPool(pool, name, key, instance.source, facts);
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
    osType: stringValue(property(fields, 'osType')),
    mode: stringValue(property(fields, 'mode')),
    enableAutoScaling: boolValue(property(fields, 'enableAutoScaling')),
    maxSurge: surgeValue(propertyPath(fields, 'upgradeSettings', 'maxSurge')),
    podIpAllocationMode: stringValue(property(fields, 'podIPAllocationMode')),
    nodeSubnet: subnetReference(property(fields, 'vnetSubnetID')),
    podSubnet: subnetReference(property(fields, 'podSubnetID')),
    ...unresolvedReference('nodeSubnetUnknown', property(fields, 'vnetSubnetID')),
    ...unresolvedReference('podSubnetUnknown', property(fields, 'podSubnetID')),
  });
}
