// Azure Service Operator v2 resources (containerservice.azure.com, network.azure.com) as Azure resource instances:
// ASO's spec is ARM's properties flattened, so each object becomes the ARM resource it manages and lowers through the
// resource layer's one mapping (readers/arm/lowering.ts), as Bicep's resources do.
import type { Node } from 'yaml';
import type { Source } from '../../model/source';
import { emptyFileFacts, type FileFacts } from '../../model/network';
import { lowerDeployment } from '../arm/lowering';
import { type ArmValue, property, type ResourceInstance, unknownValue } from '../arm/values';
import { armValueOf } from './armValues';
import { isPlaceholder, nameAt, nodeAt, type ReadContext, scalarText, sourceOf } from './yamlTree';

/** The ARM resource type each ASO kind manages, and the kind of its owner. */
const RESOURCE_TYPES: ReadonlyMap<string, string> = new Map([
  ['containerservice.azure.com/ManagedCluster', 'Microsoft.ContainerService/managedClusters'],
  ['containerservice.azure.com/ManagedClustersAgentPool', 'Microsoft.ContainerService/managedClusters/agentPools'],
  ['network.azure.com/VirtualNetwork', 'Microsoft.Network/virtualNetworks'],
  ['network.azure.com/VirtualNetworksSubnet', 'Microsoft.Network/virtualNetworks/subnets'],
  ['network.azure.com/RouteTable', 'Microsoft.Network/routeTables'],
  ['network.azure.com/RouteTablesRoute', 'Microsoft.Network/routeTables/routes'],
  ['network.azure.com/NetworkSecurityGroup', 'Microsoft.Network/networkSecurityGroups'],
  ['network.azure.com/NetworkSecurityGroupsSecurityRule', 'Microsoft.Network/networkSecurityGroups/securityRules'],
  ['network.azure.com/VirtualNetworksVirtualNetworkPeering', 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings'],
  ['network.azure.com/AzureFirewall', 'Microsoft.Network/azureFirewalls'],
  ['network.azure.com/FirewallPolicy', 'Microsoft.Network/firewallPolicies'],
  ['network.azure.com/FirewallPoliciesRuleCollectionGroup', 'Microsoft.Network/firewallPolicies/ruleCollectionGroups'],
  ['network.azure.com/PublicIPAddress', 'Microsoft.Network/publicIPAddresses'],
  ['network.azure.com/NatGateway', 'Microsoft.Network/natGateways'],
  ['network.azure.com/ApplicationGateway', 'Microsoft.Network/applicationGateways'],
  ['network.azure.com/PrivateEndpoint', 'Microsoft.Network/privateEndpoints'],
  ['network.azure.com/PrivateLinkService', 'Microsoft.Network/privateLinkServices'],
  ['servicenetworking.azure.com/TrafficController', 'Microsoft.ServiceNetworking/trafficControllers'],
  ['servicenetworking.azure.com/TrafficControllersAssociation', 'Microsoft.ServiceNetworking/trafficControllers/associations'],
]);

/**
 * ASO writes ARM's polymorphic items as an object with one field named for the variant
 * (`- networkRule: {…}`); ARM writes the variant's fields with a discriminator (`- ruleType: 'NetworkRule'`).
 */
const UNION_VARIANTS: ReadonlyMap<string, { readonly discriminator: string; readonly value: string }> = new Map([
  ['firewallPolicyFilterRuleCollection', { discriminator: 'ruleCollectionType', value: 'FirewallPolicyFilterRuleCollection' }],
  ['firewallPolicyNatRuleCollection', { discriminator: 'ruleCollectionType', value: 'FirewallPolicyNatRuleCollection' }],
  ['applicationRule', { discriminator: 'ruleType', value: 'ApplicationRule' }],
  ['networkRule', { discriminator: 'ruleType', value: 'NetworkRule' }],
  ['natRule', { discriminator: 'ruleType', value: 'NatRule' }],
]);

/** An ASO variant item in ARM's shape: its fields, with the discriminator ARM reads (kept when ASO writes it too). */
function unionVariant(value: ArmValue): ArmValue | undefined {
  if (value.kind !== 'object' || value.properties.size !== 1) return undefined;
  const [[key, inner]] = [...value.properties];
  const variant = UNION_VARIANTS.get(key!);
  if (!variant || inner!.kind !== 'object') return undefined;
  if (inner!.properties.has(variant.discriminator)) return inner;
  const properties = new Map(inner!.properties);
  properties.set(variant.discriminator, { kind: 'string', value: variant.value, source: inner!.source });
  return { ...inner!, properties };
}

/** The plural ARM uses for a resource type named by an ASO reference field (`firewallPolicy` -> `firewallPolicies`). */
const plural = (key: string) => (/[^aeiou]y$/.test(key) ? `${key.slice(0, -1)}ies` : `${key}s`);

/** Fields of an ASO spec that are the operator's, not the resource's. */
const OPERATOR_FIELDS = new Set(['owner', 'azureName', 'operatorSpec']);

/** The Azure API version an ASO version names: `containerservice.azure.com/v1api20240402preview` -> `2024-04-02-preview`. */
function asoApiVersion(apiVersion: string | undefined): string | undefined {
  const match = /v(?:1api)?(\d{4})(\d{2})(\d{2})(preview)?$/.exec(apiVersion ?? '');
  return match ? `${match[1]}-${match[2]}-${match[3]}${match[4] ? '-preview' : ''}` : undefined;
}

/**
 * The name other ASO objects reference one by: its Kubernetes name. A templated one (`${CLUSTER_NAME}`) stands for the
 * same object only within its file, so it is qualified by the file.
 */
function referenceKey(ctx: ReadContext, written: string | undefined): string | undefined {
  if (written === undefined) return undefined;
  return isPlaceholder(written) ? `${ctx.uri}|${written}` : written;
}

/** A name as a resource value: unknown when it is a template placeholder. */
function nameValue(ctx: ReadContext, node: Node | undefined, fallback: Node): ArmValue {
  const value = node && armValueOf(ctx, node);
  return value ?? unknownValue('no name', sourceOf(ctx, fallback));
}

/**
 * An ASO resource reference as ARM writes it: `{armId}` is the id string; `{name}` names an ASO object of the same
 * namespace, a resource id of one segment (its VNet is the owner's business, resolved in the model).
 */
function referenceId(reference: ArmValue, type: string): ArmValue {
  const armId = property(reference, 'armId');
  if (armId !== undefined) return armId;
  const name = property(reference, 'name');
  if (name?.kind === 'string') return { kind: 'resourceId', path: [{ type, name: name.value }], source: name.source, kubernetes: true };
  return name?.kind === 'unknown' ? name : unknownValue(`the ${type} reference cannot be evaluated`, reference.source);
}

/** An ASO `{reference}` object: a resource named by the operator's reference, alone in its object. */
const isReference = (value: ArmValue): value is ArmValue & { kind: 'object' } => value.kind === 'object' && value.properties.has('reference') && value.properties.size === 1;

/** A `{reference}` as ARM's `{id}`, of the resource type the field names. */
const idOf = (field: ArmValue & { kind: 'object' }, type: string): ArmValue => ({
  kind: 'object',
  properties: new Map([['id', referenceId(field.properties.get('reference')!, type)]]),
  source: field.source,
});

/** ASO's spec in ARM's shape: `vnetSubnetReference` -> `vnetSubnetID`, `routeTable: {reference}` -> `routeTable: {id}`. */
function armProperties(value: ArmValue, topLevel: boolean): ArmValue {
  if (value.kind === 'array') return { ...value, items: value.items.map((item) => armProperties(unionVariant(item) ?? item, false)) };
  if (value.kind !== 'object') return value;
  const properties = new Map<string, ArmValue>();
  for (const [key, field] of value.properties) {
    if (topLevel && OPERATOR_FIELDS.has(key)) continue;
    if (key.endsWith('SubnetReference')) properties.set(`${key.slice(0, -'Reference'.length)}ID`, referenceId(field, 'subnets'));
    else if (isReference(field)) properties.set(key, idOf(field, plural(key)));
    // A list of references (a NAT gateway's `publicIpAddresses: [{reference}]`): each item an `{id}` of the list's type.
    else if (field.kind === 'array' && field.items.some(isReference)) {
      properties.set(key, { ...field, items: field.items.map((item) => (isReference(item) ? idOf(item, key) : armProperties(item, false))) });
    } else properties.set(key, armProperties(field, false));
  }
  return { ...value, properties };
}

/**
 * Fields an ASO object may leave out whose value Azure then gives is not known here, by ARM type: a subnet's
 * privateEndpointNetworkPolicies (the Private Link docs' "disabled by default" is not documented for the older API
 * versions ASO's VirtualNetworksSubnet versions pin, and azurerm's v2 and v3 defaulted to Enabled). Left out, unknown.
 */
const UNKNOWN_WHEN_LEFT_OUT: ReadonlyMap<string, readonly string[]> = new Map([['Microsoft.Network/virtualNetworks/subnets', ['privateEndpointNetworkPolicies']]]);

/** The spec in ARM's shape, with the fields ASO leaves to Azure's default unknown where the object leaves them out. */
function withUnknownDefaults(properties: ArmValue, type: string, source: Source): ArmValue {
  const fields = UNKNOWN_WHEN_LEFT_OUT.get(type);
  if (!fields || properties.kind !== 'object' || fields.every((field) => properties.properties.has(field))) return properties;
  const filled = new Map(properties.properties);
  for (const field of fields) if (!filled.has(field)) filled.set(field, unknownValue(`${field} left out of an ASO object: the default Azure applies for its API version is not documented`, source));
  return { ...properties, properties: filled };
}

/** The ARM resource an ASO object manages, with its owner as an `existing` parent named by its Kubernetes name. */
function resourceInstance(ctx: ReadContext, resource: Node, type: string): ResourceInstance {
  const source = sourceOf(ctx, resource);
  const specNode = nodeAt(ctx, resource, 'spec');
  const spec = armValueOf(ctx, specNode) ?? { kind: 'object', properties: new Map(), source };
  const name = nameValue(ctx, nodeAt(ctx, resource, 'spec', 'azureName') ?? nodeAt(ctx, resource, 'metadata', 'name'), resource);
  const kubernetesName = referenceKey(ctx, scalarText(nodeAt(ctx, resource, 'metadata', 'name')));
  const owner = referenceKey(ctx, scalarText(nodeAt(ctx, resource, 'spec', 'owner', 'name')));
  const segments = type.split('/');
  const parent: ResourceInstance | undefined =
    segments.length > 2 && owner !== undefined
      ? {
          serial: 1,
          type: segments.slice(0, -1).join('/'),
          name: isPlaceholder(owner) ? unknownValue(`template placeholder ${owner}`, source) : { kind: 'string', value: owner, source },
          kubernetesName: owner,
          parent: undefined,
          existing: true,
          body: undefined,
          source,
        }
      : undefined;
  const apiVersion = asoApiVersion(nameAt(ctx, resource, 'apiVersion'));
  // One object is one instance: its place in the file tells it apart (serial 1 is its owner's stand-in).
  return {
    serial: 0,
    type,
    ...(apiVersion ? { apiVersion } : {}),
    name,
    ...(kubernetesName !== undefined ? { kubernetesName } : {}),
    parent,
    existing: false,
    body: { kind: 'object', properties: new Map([['name', name], ['properties', withUnknownDefaults(armProperties(spec, true), type, source)]]), source },
    source,
  };
}

/** Lowers one ASO resource; returns false when the kind is not one the model reads. */
export function readAzureServiceOperator(ctx: ReadContext, resource: Node, group: string, kind: string): boolean {
  const type = RESOURCE_TYPES.get(`${group}/${kind}`);
  if (type === undefined) return false;
  // Owners are referenced by name within a namespace: the namespace is the deployment.
  const namespace = nameAt(ctx, resource, 'metadata', 'namespace') ?? 'default';
  // Lowered on its own: each object of a file stands alone (an open file's documents are read one by one), and a
  // route whose table is elsewhere joins it by name in the model, as Bicep's do across deployments.
  const lowered = emptyFileFacts(ctx.uri);
  lowerDeployment(`aso:${namespace}`, { instances: [resourceInstance(ctx, resource, type)] }, lowered);
  for (const kind of Object.keys(lowered) as (keyof FileFacts)[]) {
    const added = lowered[kind];
    if (Array.isArray(added) && added.length > 0) (ctx.facts[kind] as unknown[]).push(...added);
  }
  return true;
}
