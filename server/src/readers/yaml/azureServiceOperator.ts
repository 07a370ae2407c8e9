// Azure Service Operator v2 resources (containerservice.azure.com, network.azure.com) lowered into the model.
import type { Node } from 'yaml';
import { loadBalancerIpCount, type OutboundIps, type SubnetReference } from '../../model/network';
import {
  cidrListValue,
  cidrValue,
  ipValue,
  itemsAt,
  lengthValue,
  nameAt,
  nodeAt,
  numberValue,
  type ReadContext,
  sourceOf,
  stringValue,
  anonymousKey,
  booleanValue,
  isPlaceholder,
  scalarText,
} from './yamlTree';
import { known, notSet, unknown, type Value } from '../../model/source';

const ARM_SUBNET_ID = /\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i;

/** The Azure name of a resource: spec.azureName, else metadata.name. */
function azureName(ctx: ReadContext, resource: Node): string | undefined {
  return nameAt(ctx, resource, 'spec', 'azureName') ?? nameAt(ctx, resource, 'metadata', 'name');
}

/**
 * An ASO resource's key: its namespace and Kubernetes name as written (owners are referenced by name in the same
 * namespace). A templated name (`${CLUSTER_NAME}`) names the same resource only within its file.
 */
function asoKey(ctx: ReadContext, resource: Node, name: string): string {
  return `aso:${isPlaceholder(name) ? `${ctx.uri}|` : ''}${nameAt(ctx, resource, 'metadata', 'namespace') ?? 'default'}/${name}`;
}

/** A subnet reference in ASO form: `{armId: .../virtualNetworks/v/subnets/s}` or `{name: s}` (a VirtualNetworksSubnet). */
export function asoSubnetReference(ctx: ReadContext, reference: Node | undefined): SubnetReference | undefined {
  if (reference === undefined) return undefined;
  const armId = stringValue(ctx, nodeAt(ctx, reference, 'armId'));
  if (armId.known) {
    const match = ARM_SUBNET_ID.exec(armId.value);
    return match ? { vnetKey: match[1], subnetName: match[2]!, source: armId.source } : undefined;
  }
  const name = stringValue(ctx, nodeAt(ctx, reference, 'name'));
  return name.known ? { vnetKey: undefined, subnetName: name.value, source: name.source } : undefined;
}

/** The Azure API version an ASO version names: `containerservice.azure.com/v1api20240402preview` -> `2024-04-02-preview`. */
function asoApiVersion(apiVersion: string | undefined): string | undefined {
  const match = /v(?:1api)?(\d{4})(\d{2})(\d{2})(preview)?$/.exec(apiVersion ?? '');
  return match ? `${match[1]}-${match[2]}-${match[3]}${match[4] ? '-preview' : ''}` : undefined;
}

/** The name an ASO resource reference points at (`{armId}` or `{name}`): not set when the field is absent. */
function referenceName(ctx: ReadContext, reference: Node | undefined, field: Node | undefined, type: string): Value<string> {
  if (field === undefined) return notSet();
  const armId = stringValue(ctx, nodeAt(ctx, reference, 'armId'));
  if (armId.known) {
    const match = new RegExp(`/${type}/([^/]+)/?$`, 'i').exec(armId.value);
    return match ? known(match[1]!, armId.source) : unknown(`not a ${type} id`, armId.source);
  }
  const name = stringValue(ctx, nodeAt(ctx, reference, 'name'));
  return name.known ? name : unknown(`the ${type} reference cannot be evaluated`, sourceOf(ctx, field));
}

function readRouteTable(ctx: ReadContext, resource: Node): void {
  ctx.facts.routeTables.push({
    name: azureName(ctx, resource) ?? 'route table',
    source: sourceOf(ctx, resource),
    routes: [],
    routesComplete: true,
  });
}

/** A RouteTablesRoute joins its owner's table; tables are matched by name once the whole workspace is read. */
function readRoute(ctx: ReadContext, resource: Node): void {
  const owner = nameAt(ctx, resource, 'spec', 'owner', 'name');
  const route = {
    name: azureName(ctx, resource) ?? 'route',
    source: sourceOf(ctx, resource),
    addressPrefix: stringValue(ctx, nodeAt(ctx, resource, 'spec', 'addressPrefix')),
    nextHopType: stringValue(ctx, nodeAt(ctx, resource, 'spec', 'nextHopType')),
  };
  // Tables in the same file get the route directly; a table elsewhere picks it up through a stub entry.
  const table = ctx.facts.routeTables.find((t) => t.name === owner);
  if (table) table.routes.push(route);
  else if (owner) ctx.facts.routeTables.push({ name: owner, source: route.source, routes: [route], routesComplete: false });
}

function readManagedCluster(ctx: ReadContext, resource: Node): void {
  const name = azureName(ctx, resource) ?? 'managed cluster';
  const key = asoKey(ctx, resource, scalarText(nodeAt(ctx, resource, 'metadata', 'name')) ?? name);
  const profile = nodeAt(ctx, resource, 'spec', 'networkProfile');
  const podCidrs = nodeAt(ctx, profile, 'podCidrs')
    ? cidrListValue(ctx, nodeAt(ctx, profile, 'podCidrs'), 'pod-cidr')
    : cidrListValue(ctx, nodeAt(ctx, profile, 'podCidr'), 'pod-cidr');
  const serviceCidrs = nodeAt(ctx, profile, 'serviceCidrs')
    ? cidrListValue(ctx, nodeAt(ctx, profile, 'serviceCidrs'), 'service-cidr')
    : cidrListValue(ctx, nodeAt(ctx, profile, 'serviceCidr'), 'service-cidr');
  ctx.facts.clusters.push({
    key,
    name,
    source: sourceOf(ctx, resource),
    networkPlugin: stringValue(ctx, nodeAt(ctx, profile, 'networkPlugin')),
    networkPluginMode: stringValue(ctx, nodeAt(ctx, profile, 'networkPluginMode')),
    networkPolicy: stringValue(ctx, nodeAt(ctx, profile, 'networkPolicy')),
    networkDataplane: stringValue(ctx, nodeAt(ctx, profile, 'networkDataplane')),
    outboundType: stringValue(ctx, nodeAt(ctx, profile, 'outboundType')),
    podCidrs,
    serviceCidrs,
    dnsServiceIp: ipValue(ctx, nodeAt(ctx, profile, 'dnsServiceIP'), 'dns-service-ip'),
    apiVersion: asoApiVersion(nameAt(ctx, resource, 'apiVersion')),
    dockerBridgeCidr: stringValue(ctx, nodeAt(ctx, profile, 'dockerBridgeCidr')),
    loadBalancerSku: stringValue(ctx, nodeAt(ctx, profile, 'loadBalancerSku')),
    ebpfDataplane: stringValue(ctx, nodeAt(ctx, profile, 'ebpfDataplane')),
    defaultNodeSubnet: undefined,
    outboundIps: readOutboundIps(ctx, profile),
  });
  for (const pool of itemsAt(ctx, resource, 'spec', 'agentPoolProfiles')) readAgentPool(ctx, pool, pool, name, key);
}

/** The outbound IPs and ports of networkProfile.loadBalancerProfile and natGatewayProfile (ARM's shape). */
function readOutboundIps(ctx: ReadContext, profile: Node | undefined): OutboundIps {
  const balancer = nodeAt(ctx, profile, 'loadBalancerProfile');
  const loadBalancerManagedIps = numberValue(ctx, nodeAt(ctx, balancer, 'managedOutboundIPs', 'count'));
  return {
    allocatedOutboundPorts: numberValue(ctx, nodeAt(ctx, balancer, 'allocatedOutboundPorts')),
    loadBalancerManagedIps,
    loadBalancerIps: loadBalancerIpCount(
      loadBalancerManagedIps,
      lengthValue(ctx, nodeAt(ctx, balancer, 'outboundIPs', 'publicIPs')),
      nodeAt(ctx, balancer, 'outboundIPPrefixes') !== undefined,
    ),
    natGatewayManagedIps: numberValue(ctx, nodeAt(ctx, profile, 'natGatewayProfile', 'managedOutboundIPProfile', 'count')),
  };
}

/** An agent pool, either inline in agentPoolProfiles or a ManagedClustersAgentPool's spec. */
function readAgentPool(ctx: ReadContext, declaration: Node, spec: Node, clusterName: string | undefined, clusterKey: string | undefined): void {
  ctx.facts.nodePools.push({
    name: nameAt(ctx, spec, 'name') ?? nameAt(ctx, spec, 'azureName') ?? nameAt(ctx, declaration, 'metadata', 'name') ?? 'agent pool',
    clusterName,
    clusterKey,
    source: sourceOf(ctx, declaration),
    count: numberValue(ctx, nodeAt(ctx, spec, 'count')),
    minCount: numberValue(ctx, nodeAt(ctx, spec, 'minCount')),
    maxCount: numberValue(ctx, nodeAt(ctx, spec, 'maxCount')),
    maxPods: numberValue(ctx, nodeAt(ctx, spec, 'maxPods')),
    osType: stringValue(ctx, nodeAt(ctx, spec, 'osType')),
    mode: stringValue(ctx, nodeAt(ctx, spec, 'mode')),
    enableAutoScaling: booleanValue(ctx, nodeAt(ctx, spec, 'enableAutoScaling')),
    maxSurge: stringValue(ctx, nodeAt(ctx, spec, 'upgradeSettings', 'maxSurge')),
    podIpAllocationMode: stringValue(ctx, nodeAt(ctx, spec, 'podIPAllocationMode')),
    nodeSubnet: asoSubnetReference(ctx, nodeAt(ctx, spec, 'vnetSubnetReference')),
    podSubnet: asoSubnetReference(ctx, nodeAt(ctx, spec, 'podSubnetReference')),
  });
}

function readVirtualNetwork(ctx: ReadContext, resource: Node): void {
  const list = nodeAt(ctx, resource, 'spec', 'addressSpace', 'addressPrefixes');
  const addressSpace = list ? cidrListValue(ctx, list, 'vnet-address-space') : [];
  const name = nameAt(ctx, resource, 'metadata', 'name') ?? azureName(ctx, resource);
  // Subnets name their owner by Kubernetes name (the key); ARM ids carry the Azure name.
  const inAzure = azureName(ctx, resource);
  ctx.facts.vnets.push({
    key: name ?? anonymousKey(ctx, resource),
    name: name ?? 'virtual network',
    source: sourceOf(ctx, resource),
    addressSpace,
    addressSpaceComplete: addressSpace.length > 0 && addressSpace.every((v) => v.known),
    ...(inAzure !== undefined && inAzure !== name ? { azureName: inAzure } : {}),
  });
}

function readSubnet(ctx: ReadContext, resource: Node): void {
  const spec = nodeAt(ctx, resource, 'spec');
  const prefixes = nodeAt(ctx, spec, 'addressPrefixes')
    ? cidrListValue(ctx, nodeAt(ctx, spec, 'addressPrefixes'), 'subnet-prefix')
    : [cidrValue(ctx, nodeAt(ctx, spec, 'addressPrefix'), 'subnet-prefix')];
  const name = azureName(ctx, resource) ?? 'subnet';
  // ASO references ({group, kind, name}) name the subnet by its Kubernetes name, which spec.azureName may override in Azure.
  const kubernetesName = nameAt(ctx, resource, 'metadata', 'name');
  ctx.facts.subnets.push({
    ...(kubernetesName !== undefined && kubernetesName !== name ? { kubernetesName } : {}),
    name,
    vnetKey: nameAt(ctx, spec, 'owner', 'name'),
    source: sourceOf(ctx, resource),
    prefixes: prefixes.length > 0 ? prefixes : [unknown('no address prefix')],
    routeTable: referenceName(ctx, nodeAt(ctx, spec, 'routeTable', 'reference'), nodeAt(ctx, spec, 'routeTable'), 'routeTables'),
    natGateway: referenceName(ctx, nodeAt(ctx, spec, 'natGateway', 'reference'), nodeAt(ctx, spec, 'natGateway'), 'natGateways'),
  });
}

/** Lowers one ASO resource; returns false when the kind is not one the model reads. */
export function readAzureServiceOperator(ctx: ReadContext, resource: Node, group: string, kind: string): boolean {
  if (group === 'containerservice.azure.com') {
    if (kind === 'ManagedCluster') readManagedCluster(ctx, resource);
    else if (kind === 'ManagedClustersAgentPool') {
      const owner = scalarText(nodeAt(ctx, resource, 'spec', 'owner', 'name'));
      const ownerName = owner !== undefined && !isPlaceholder(owner) ? owner : undefined;
      readAgentPool(ctx, resource, nodeAt(ctx, resource, 'spec') ?? resource, ownerName, owner === undefined ? undefined : asoKey(ctx, resource, owner));
    } else return false;
    return true;
  }
  if (group === 'network.azure.com') {
    if (kind === 'VirtualNetwork') readVirtualNetwork(ctx, resource);
    else if (kind === 'VirtualNetworksSubnet') readSubnet(ctx, resource);
    else if (kind === 'RouteTable') readRouteTable(ctx, resource);
    else if (kind === 'RouteTablesRoute') readRoute(ctx, resource);
    else return false;
    return true;
  }
  return false;
}
