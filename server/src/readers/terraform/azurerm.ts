// Terraform resources as Azure resources: one entry per resource type turns an evaluated `azurerm_*` block into the
// ARM resource it creates (type, name, parent, properties under ARM's names), so that it lowers through arm/lowering.ts
// like Bicep, ARM JSON and ASO. `azapi_resource` bodies are ARM already. Field names of azurerm v3 and v4 both, and the
// provider's own defaults where they differ from the API's (landscape.md §4: no network_profile means kubenet).
import type { Source } from '../../model/source';
import { type ArmValue, arrayItems, asString, type ResourceIdSegment, type ResourceInstance, unknownValue } from '../arm/values';
import type { EvaluatedResource } from './evaluator';
import { TERRAFORM_FUNCTIONS } from './functions';

type Resource = Pick<EvaluatedResource, 'type' | 'value'> & Partial<Pick<EvaluatedResource, 'source' | 'mode'>>;

const attribute = (resource: Resource, name: string): ArmValue | undefined => resource.value.properties.get(name);
/** The first of a nested block (`default_node_pool { … }` is a list of one). */
const firstBlock = (value: ArmValue | undefined): ArmValue | undefined => (value?.kind === 'array' ? value.items[0] : value?.kind === 'object' ? value : undefined);
const field = (value: ArmValue | undefined, name: string): ArmValue | undefined => (value?.kind === 'object' ? value.properties.get(name) : undefined);
/** The first of several spellings that is written (azurerm v4's name first, then v3's). */
const either = (value: ArmValue | undefined, ...names: string[]): ArmValue | undefined => {
  for (const name of names) {
    const found = field(value, name);
    if (found !== undefined && found.kind !== 'null') return found;
  }
  return undefined;
};

/** An ARM object from named parts; parts that are absent are left out. */
function object(source: Source, entries: Record<string, ArmValue | undefined>): ArmValue & { kind: 'object' } {
  const properties = new Map<string, ArmValue>();
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) properties.set(key, value);
  return { kind: 'object', properties, source };
}

/** `{ id: <value> }`, as ARM writes a reference, when the value is written. */
const idObject = (value: ArmValue | undefined, source: Source) => (value === undefined || value.kind === 'null' ? undefined : object(value.source ?? source, { id: value }));
const list = (value: ArmValue | undefined, map: (item: ArmValue) => ArmValue): ArmValue | undefined =>
  value?.kind === 'array' ? { kind: 'array', items: value.items.map(map), source: value.source } : value;

/** A reference to a resource of the workspace named by another's attribute (a subnet's VNet), deployed or not. */
function existing(type: string, name: ArmValue | undefined, source: Source, serial: number, parent?: ResourceInstance): ResourceInstance {
  return { serial, type, name: name ?? unknownValue('not named', source), parent, existing: true, body: undefined, source };
}

/** The names along a resource id value: an id reference (`azurerm_subnet.x.id`) or an ARM id string. */
export function idPath(value: ArmValue | undefined): readonly ResourceIdSegment[] | undefined {
  if (value?.kind === 'resourceId') return value.path;
  if (value?.kind !== 'string') return undefined;
  const match = /\/providers\/[^/]+\/(.+)$/i.exec(value.value);
  const parts = match?.[1]!.split('/').filter((part) => part !== '') ?? [];
  if (parts.length < 2 || parts.length % 2 !== 0) return undefined;
  const path: ResourceIdSegment[] = [];
  for (let i = 0; i < parts.length; i += 2) path.push({ type: parts[i]!, name: parts[i + 1] });
  return path;
}

/** The parent named by an id (`kubernetes_cluster_id`, azapi's `parent_id`), as an `existing` reference of the workspace. */
function parentFromId(id: ArmValue | undefined, armType: string, source: Source, serial: number): ResourceInstance | undefined {
  const path = idPath(id);
  const types = armType.split('/');
  if (!path || path.length === 0) return id && id.kind !== 'null' ? existing(armType, unknownValue(id.kind === 'unknown' ? id.reason : 'not a resource id', id.source), source, serial) : undefined;
  let parent: ResourceInstance | undefined;
  const namespace = types[0]!;
  path.forEach((segment, i) => {
    const type = [namespace, ...path.slice(0, i + 1).map((s) => s.type)].join('/');
    const name: ArmValue = segment.name === undefined ? unknownValue('not named', id!.source) : { kind: 'string', value: segment.name, source: id!.source ?? source };
    parent = existing(type, name, source, serial, parent);
  });
  return parent;
}

interface Conversion {
  /** The ARM type of the resource a block creates. */
  readonly armType: string;
  /** The segments of its id (a reference's `id`), from the attributes that name it and its parents. */
  readonly id: (resource: Resource) => readonly ResourceIdSegment[] | undefined;
  /** The resource; undefined for blocks that only change another (associations, done in `associations`). */
  readonly instance?: (resource: EvaluatedResource, serial: number) => ResourceInstance | undefined;
}

const named = (resource: Resource, key = 'name') => asString(attribute(resource, key));
const segment = (type: string, name: string | undefined): ResourceIdSegment => ({ type, name });

/**
 * A boolean network-policy attribute as ARM's `Enabled`/`Disabled`. azurerm's names changed meaning over time:
 * `*_network_policies_enabled` (v3, v4) is true for Enabled; v2's `enforce_private_link_*_network_policies` is true for
 * Disabled ("Setting this to `true` will **Disable** the policy"). A value that cannot be evaluated stays unknown.
 */
function policyFlag(value: ArmValue | undefined, trueMeans: 'Enabled' | 'Disabled'): ArmValue | undefined {
  if (value === undefined || value.kind === 'null') return undefined;
  const flag = value.kind === 'bool' ? value.value : value.kind === 'string' && /^(true|false)$/i.test(value.value) ? value.value.toLowerCase() === 'true' : undefined;
  if (flag === undefined || value.kind === 'unknown') return value.kind === 'unknown' ? value : unknownValue('not a boolean', value.source);
  const falseMeans = trueMeans === 'Enabled' ? 'Disabled' : 'Enabled';
  return { kind: 'string', value: flag ? trueMeans : falseMeans, source: value.source };
}

function subnetBody(subnet: ArmValue, source: Source, extra: Record<string, ArmValue | undefined> = {}): ArmValue {
  const prefixes = either(subnet, 'address_prefixes');
  return object(subnet.source ?? source, {
    name: field(subnet, 'name'),
    properties: object(subnet.source ?? source, {
      addressPrefixes: prefixes,
      addressPrefix: prefixes ? undefined : either(subnet, 'address_prefix'),
      networkSecurityGroup: idObject(either(subnet, 'security_group'), source),
      // v4's inline subnet of azurerm_virtual_network (and v1's azurerm_subnet) name their route table directly.
      routeTable: idObject(either(subnet, 'route_table_id'), source),
      // A string in azurerm v4 (and late v3: Disabled, Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled), a
      // boolean before. What the provider sends when none is written differs by version (v2's and v3's defaults enable
      // the policies, v4's disable them), and the configuration does not say which provider runs: left out, unknown.
      privateEndpointNetworkPolicies:
        either(subnet, 'private_endpoint_network_policies') ??
        policyFlag(either(subnet, 'private_endpoint_network_policies_enabled'), 'Enabled') ??
        policyFlag(either(subnet, 'enforce_private_link_endpoint_network_policies'), 'Disabled') ??
        unknownValue("left out: azurerm's default differs by provider version (Enabled before v4, Disabled from v4)", subnet.source ?? source),
      privateLinkServiceNetworkPolicies:
        policyFlag(either(subnet, 'private_link_service_network_policies_enabled'), 'Enabled') ??
        policyFlag(either(subnet, 'enforce_private_link_service_network_policies'), 'Disabled'),
      delegations: list(field(subnet, 'delegation'), (delegation) =>
        object(delegation.source ?? source, {
          name: field(delegation, 'name'),
          properties: object(delegation.source ?? source, { serviceName: field(firstBlock(field(delegation, 'service_delegation')), 'name') }),
        }),
      ),
      ...extra,
    }),
  });
}

function agentPoolProperties(pool: ArmValue, source: Source, defaults: { mode?: string } = {}): Record<string, ArmValue | undefined> {
  const at = pool.source ?? source;
  const upgrade = firstBlock(field(pool, 'upgrade_settings'));
  return {
    count: either(pool, 'node_count'),
    minCount: either(pool, 'min_count'),
    maxCount: either(pool, 'max_count'),
    maxPods: either(pool, 'max_pods'),
    osType: either(pool, 'os_type'),
    osSKU: either(pool, 'os_sku'),
    mode: either(pool, 'mode') ?? (defaults.mode ? { kind: 'string', value: defaults.mode, source: at } : undefined),
    availabilityZones: either(pool, 'zones'),
    enableAutoScaling: either(pool, 'auto_scaling_enabled', 'enable_auto_scaling'),
    enableNodePublicIP: either(pool, 'node_public_ip_enabled', 'enable_node_public_ip'),
    vnetSubnetID: either(pool, 'vnet_subnet_id'),
    podSubnetID: either(pool, 'pod_subnet_id'),
    upgradeSettings: upgrade && object(upgrade.source ?? at, { maxSurge: field(upgrade, 'max_surge') }),
  };
}

/**
 * networkProfile from `network_profile`; without the block the provider deploys kubenet (landscape.md §4.1). Inside it,
 * `network_data_plane` defaults to `azure` in the provider's schema ("Defaults to `azure`"), which it sends to the API:
 * left out in Terraform, the dataplane is azure, not the API's own default.
 */
function networkProfile(cluster: EvaluatedResource): ArmValue {
  const profile = firstBlock(attribute(cluster, 'network_profile'));
  if (!profile) return object(cluster.source, { networkPlugin: { kind: 'string', value: 'kubenet', source: cluster.source } });
  const at = profile.source ?? cluster.source;
  const balancer = firstBlock(field(profile, 'load_balancer_profile'));
  const nat = firstBlock(field(profile, 'nat_gateway_profile'));
  // azurerm v3's ebpf_data_plane (cilium) was the same setting.
  const dataplane = either(profile, 'network_data_plane', 'ebpf_data_plane') ?? { kind: 'string', value: 'azure', source: at };
  const managedIps = either(balancer, 'managed_outbound_ip_count');
  const managedIpv6 = either(balancer, 'managed_outbound_ipv6_count');
  return object(at, {
    networkPlugin: either(profile, 'network_plugin'),
    networkPluginMode: either(profile, 'network_plugin_mode'),
    networkPolicy: either(profile, 'network_policy'),
    networkDataplane: dataplane,
    ipFamilies: either(profile, 'ip_versions'),
    podCidr: either(profile, 'pod_cidr'),
    podCidrs: either(profile, 'pod_cidrs'),
    serviceCidr: either(profile, 'service_cidr'),
    serviceCidrs: either(profile, 'service_cidrs'),
    dnsServiceIP: either(profile, 'dns_service_ip'),
    dockerBridgeCidr: either(profile, 'docker_bridge_cidr'),
    outboundType: either(profile, 'outbound_type'),
    loadBalancerSku: either(profile, 'load_balancer_sku'),
    loadBalancerProfile:
      balancer &&
      object(balancer.source ?? at, {
        managedOutboundIPs: (managedIps || managedIpv6) && object(at, { count: managedIps, countIPv6: managedIpv6 }),
        outboundIPs: either(balancer, 'outbound_ip_address_ids') && object(at, { publicIPs: list(either(balancer, 'outbound_ip_address_ids'), (id) => object(id.source ?? at, { id })) }),
        outboundIPPrefixes:
          either(balancer, 'outbound_ip_prefix_ids') && object(at, { publicIPPrefixes: list(either(balancer, 'outbound_ip_prefix_ids'), (id) => object(id.source ?? at, { id })) }),
        allocatedOutboundPorts: either(balancer, 'outbound_ports_allocated'),
        idleTimeoutInMinutes: either(balancer, 'idle_timeout_in_minutes'),
        backendPoolType: either(balancer, 'backend_pool_type'),
      }),
    natGatewayProfile:
      nat &&
      object(nat.source ?? at, {
        managedOutboundIPProfile: either(nat, 'managed_outbound_ip_count') && object(at, { count: either(nat, 'managed_outbound_ip_count') }),
        idleTimeoutInMinutes: either(nat, 'idle_timeout_in_minutes'),
      }),
  });
}

/**
 * apiServerAccessProfile from `api_server_access_profile` (v4: `virtual_network_integration_enabled`; v3:
 * `vnet_integration_enabled`), v3's top-level `api_server_authorized_ip_ranges`, and `private_cluster_enabled`.
 */
function apiServerAccessProfile(cluster: EvaluatedResource): ArmValue | undefined {
  const profile = firstBlock(attribute(cluster, 'api_server_access_profile'));
  const ranges = either(profile, 'authorized_ip_ranges') ?? either(cluster.value, 'api_server_authorized_ip_ranges');
  const privateCluster = either(cluster.value, 'private_cluster_enabled');
  if (!profile && !ranges && !privateCluster) return undefined;
  return object(profile?.source ?? cluster.source, {
    authorizedIPRanges: ranges,
    subnetId: either(profile, 'subnet_id'),
    enableVnetIntegration: either(profile, 'virtual_network_integration_enabled', 'vnet_integration_enabled'),
    enablePrivateCluster: privateCluster,
  });
}

/** httpProxyConfig from `http_proxy_config` (http_proxy, https_proxy, no_proxy, trusted_ca). */
function httpProxyConfig(cluster: EvaluatedResource): ArmValue | undefined {
  const config = firstBlock(attribute(cluster, 'http_proxy_config'));
  if (!config) return undefined;
  return object(config.source ?? cluster.source, {
    httpProxy: either(config, 'http_proxy'),
    httpsProxy: either(config, 'https_proxy'),
    noProxy: either(config, 'no_proxy'),
    trustedCa: either(config, 'trusted_ca'),
  });
}

/** addonProfiles from the add-on blocks that matter to the network: `ingress_application_gateway` (AGIC; the block enables it). */
function addonProfiles(cluster: EvaluatedResource): ArmValue | undefined {
  const agic = firstBlock(attribute(cluster, 'ingress_application_gateway'));
  if (!agic) return undefined;
  const at = agic.source ?? cluster.source;
  return object(at, {
    ingressApplicationGateway: object(at, {
      enabled: { kind: 'bool', value: true, source: at },
      config: object(at, { applicationGatewayId: either(agic, 'gateway_id'), subnetId: either(agic, 'subnet_id'), subnetCIDR: either(agic, 'subnet_cidr') }),
    }),
  });
}

function securityRule(rule: ArmValue, source: Source): ArmValue {
  const at = rule.source ?? source;
  return object(at, {
    name: field(rule, 'name'),
    properties: object(at, {
      priority: field(rule, 'priority'),
      direction: field(rule, 'direction'),
      access: field(rule, 'access'),
      protocol: field(rule, 'protocol'),
      sourcePortRange: either(rule, 'source_port_range'),
      sourcePortRanges: either(rule, 'source_port_ranges'),
      destinationPortRange: either(rule, 'destination_port_range'),
      destinationPortRanges: either(rule, 'destination_port_ranges'),
      sourceAddressPrefix: either(rule, 'source_address_prefix'),
      sourceAddressPrefixes: either(rule, 'source_address_prefixes'),
      destinationAddressPrefix: either(rule, 'destination_address_prefix'),
      destinationAddressPrefixes: either(rule, 'destination_address_prefixes'),
    }),
  });
}

function route(item: ArmValue, source: Source): ArmValue {
  const at = item.source ?? source;
  return object(at, {
    name: field(item, 'name'),
    properties: object(at, { addressPrefix: field(item, 'address_prefix'), nextHopType: field(item, 'next_hop_type'), nextHopIpAddress: field(item, 'next_hop_in_ip_address') }),
  });
}

/** A rule of a firewall policy's rule collection: application, network and NAT rules under ARM's names. */
function firewallRule(rule: ArmValue, ruleType: string, source: Source): ArmValue {
  const at = rule.source ?? source;
  const translatedAddress = either(rule, 'translated_address');
  return object(at, {
    ruleType: { kind: 'string', value: ruleType, source: at },
    name: field(rule, 'name'),
    sourceAddresses: either(rule, 'source_addresses'),
    sourceIpGroups: either(rule, 'source_ip_groups'),
    // A NAT rule names one destination address; network rules a list.
    destinationAddresses: either(rule, 'destination_addresses') ?? (either(rule, 'destination_address') && { kind: 'array', items: [either(rule, 'destination_address')!], source: at }),
    destinationIpGroups: either(rule, 'destination_ip_groups'),
    destinationFqdns: ruleType === 'ApplicationRule' ? undefined : either(rule, 'destination_fqdns'),
    destinationPorts: either(rule, 'destination_ports'),
    ipProtocols: ruleType === 'ApplicationRule' ? undefined : either(rule, 'protocols'),
    fqdnTags: either(rule, 'destination_fqdn_tags'),
    targetFqdns: ruleType === 'ApplicationRule' ? either(rule, 'destination_fqdns') : undefined,
    protocols:
      ruleType === 'ApplicationRule'
        ? list(field(rule, 'protocols'), (protocol) => object(protocol.source ?? at, { protocolType: field(protocol, 'type'), port: field(protocol, 'port') }))
        : undefined,
    translatedAddress: translatedAddress ?? either(rule, 'translated_fqdn'),
    translatedPort: either(rule, 'translated_port'),
  });
}

/** The rule collections of an `azurerm_firewall_policy_rule_collection_group`, one block type per kind of collection. */
function ruleCollections(group: EvaluatedResource): ArmValue {
  const kinds = [
    { block: 'application_rule_collection', collectionType: 'FirewallPolicyFilterRuleCollection', ruleType: 'ApplicationRule' },
    { block: 'network_rule_collection', collectionType: 'FirewallPolicyFilterRuleCollection', ruleType: 'NetworkRule' },
    { block: 'nat_rule_collection', collectionType: 'FirewallPolicyNatRuleCollection', ruleType: 'NatRule' },
  ];
  const items: ArmValue[] = [];
  for (const kind of kinds) {
    const written = attribute(group, kind.block);
    if (written === undefined) continue;
    // A dynamic block that cannot be expanded: the group's collections are not all known.
    if (written.kind !== 'array') return written;
    for (const collection of written.items) {
      const at = collection.source ?? group.source;
      const action = field(collection, 'action');
      items.push(
        object(at, {
          ruleCollectionType: { kind: 'string', value: kind.collectionType, source: at },
          name: field(collection, 'name'),
          priority: field(collection, 'priority'),
          action: action && object(action.source ?? at, { type: action }),
          rules: list(field(collection, 'rule'), (rule) => firewallRule(rule, kind.ruleType, at)) ?? { kind: 'array', items: [], source: at },
        }),
      );
    }
  }
  return { kind: 'array', items, source: group.source };
}

const VNET = 'Microsoft.Network/virtualNetworks';
const SUBNET = 'Microsoft.Network/virtualNetworks/subnets';
const CLUSTER = 'Microsoft.ContainerService/managedClusters';
const ROUTE_TABLE = 'Microsoft.Network/routeTables';

/** A top-level resource: its properties, and fields ARM writes beside them (`sku`) where `top` gives them. */
function simple(
  armType: string,
  body: (resource: EvaluatedResource) => Record<string, ArmValue | undefined>,
  top: (resource: EvaluatedResource) => Record<string, ArmValue | undefined> = () => ({}),
): Conversion {
  const last = armType.split('/').pop()!;
  return {
    armType,
    id: (resource) => [segment(last, named(resource))],
    instance: (resource, serial) => ({
      serial,
      type: armType,
      name: attribute(resource, 'name') ?? unknownValue('not named', resource.source),
      parent: undefined,
      existing: false,
      body: object(resource.source, { ...top(resource), name: attribute(resource, 'name'), properties: object(resource.source, body(resource)) }),
      source: resource.source,
    }),
  };
}

/** A child resource whose parent is named by an id attribute (`kubernetes_cluster_id`, `application_load_balancer_id`). */
function childOfId(armType: string, parentIdAttribute: string, properties: (resource: EvaluatedResource) => Record<string, ArmValue | undefined>): Conversion {
  const types = armType.split('/');
  return {
    armType,
    id: (resource) => {
      const parent = idPath(attribute(resource, parentIdAttribute));
      return parent ? [...parent, segment(types[types.length - 1]!, named(resource))] : undefined;
    },
    instance: (resource, serial) => ({
      serial,
      type: armType,
      name: attribute(resource, 'name') ?? unknownValue('not named', resource.source),
      parent: parentFromId(attribute(resource, parentIdAttribute), types.slice(0, -1).join('/'), resource.source, serial),
      existing: false,
      source: resource.source,
      body: object(resource.source, { name: attribute(resource, 'name'), properties: object(resource.source, properties(resource)) }),
    }),
  };
}

const stringAt = (value: string, source: Source): ArmValue => ({ kind: 'string', value, source });

/**
 * A private endpoint's one `private_service_connection`: under `manualPrivateLinkServiceConnections` when
 * `is_manual_connection` is true, else `privateLinkServiceConnections`; `subresource_names` are its group ids.
 */
function privateEndpointConnections(endpoint: EvaluatedResource): Record<string, ArmValue | undefined> {
  const written = attribute(endpoint, 'private_service_connection');
  const connection = firstBlock(written);
  if (!connection) return written?.kind === 'unknown' ? { privateLinkServiceConnections: written } : {};
  const at = connection.source ?? endpoint.source;
  const item = object(at, {
    name: field(connection, 'name'),
    properties: object(at, {
      privateLinkServiceId: either(connection, 'private_connection_resource_id', 'private_connection_resource_alias'),
      groupIds: either(connection, 'subresource_names'),
    }),
  });
  const manual = field(connection, 'is_manual_connection');
  if (manual !== undefined && manual.kind !== 'bool') return { privateLinkServiceConnections: unknownValue('is_manual_connection cannot be evaluated', manual.source) };
  const list: ArmValue = { kind: 'array', items: [item], source: at };
  return manual?.value === true ? { manualPrivateLinkServiceConnections: list } : { privateLinkServiceConnections: list };
}

/** A child resource whose parent is named by an attribute (`virtual_network_name`, `route_table_name`). */
function child(armType: string, parentNameAttribute: string, body: (resource: EvaluatedResource) => ArmValue): Conversion {
  const types = armType.split('/');
  const parentType = types.slice(0, -1).join('/');
  return {
    armType,
    id: (resource) => [segment(types[types.length - 2]!, named(resource, parentNameAttribute)), segment(types[types.length - 1]!, named(resource))],
    instance: (resource, serial) => ({
      serial,
      type: armType,
      name: attribute(resource, 'name') ?? unknownValue('not named', resource.source),
      parent: existing(parentType, attribute(resource, parentNameAttribute), resource.source, serial),
      existing: false,
      body: body(resource),
      source: resource.source,
    }),
  };
}

const CONVERSIONS: ReadonlyMap<string, Conversion> = new Map<string, Conversion>([
  [
    'azurerm_virtual_network',
    simple(VNET, (vnet) => ({
      addressSpace: object(vnet.source, { addressPrefixes: attribute(vnet, 'address_space') }),
      subnets: list(attribute(vnet, 'subnet'), (subnet) => subnetBody(subnet, vnet.source)),
    })),
  ],
  ['azurerm_subnet', child(SUBNET, 'virtual_network_name', (subnet) => subnetBody(subnet.value, subnet.source))],
  [
    'azurerm_kubernetes_cluster',
    {
      armType: CLUSTER,
      id: (cluster) => [segment('managedClusters', named(cluster))],
      instance: (cluster, serial) => {
        const pool = firstBlock(attribute(cluster, 'default_node_pool'));
        return {
          serial,
          type: CLUSTER,
          name: attribute(cluster, 'name') ?? unknownValue('not named', cluster.source),
          parent: undefined,
          existing: false,
          source: cluster.source,
          body: object(cluster.source, {
            name: attribute(cluster, 'name'),
            properties: object(cluster.source, {
              networkProfile: networkProfile(cluster),
              apiServerAccessProfile: apiServerAccessProfile(cluster),
              httpProxyConfig: httpProxyConfig(cluster),
              addonProfiles: addonProfiles(cluster),
              agentPoolProfiles: pool && {
                kind: 'array',
                items: [object(pool.source ?? cluster.source, { name: field(pool, 'name'), ...agentPoolProperties(pool, cluster.source, { mode: 'System' }) })],
                source: pool.source ?? cluster.source,
              },
            }),
          }),
        };
      },
    },
  ],
  [
    'azurerm_kubernetes_cluster_node_pool',
    {
      armType: `${CLUSTER}/agentPools`,
      id: (pool) => {
        const cluster = idPath(attribute(pool, 'kubernetes_cluster_id'));
        return cluster ? [...cluster, segment('agentPools', named(pool))] : undefined;
      },
      instance: (pool, serial) => ({
        serial,
        type: `${CLUSTER}/agentPools`,
        name: attribute(pool, 'name') ?? unknownValue('not named', pool.source),
        parent: parentFromId(attribute(pool, 'kubernetes_cluster_id'), CLUSTER, pool.source, serial),
        existing: false,
        source: pool.source,
        body: object(pool.source, { name: attribute(pool, 'name'), properties: object(pool.source, agentPoolProperties(pool.value, pool.source)) }),
      }),
    },
  ],
  ['azurerm_route_table', simple(ROUTE_TABLE, (table) => ({ routes: list(attribute(table, 'route'), (item) => route(item, table.source)) }))],
  ['azurerm_route', child(`${ROUTE_TABLE}/routes`, 'route_table_name', (item) => route(item.value, item.source))],
  [
    // azurerm v2 named the public IPs and prefixes on the gateway; later versions by association resources (NAT_LISTS).
    'azurerm_nat_gateway',
    simple('Microsoft.Network/natGateways', (nat) => ({
      publicIpAddresses: list(attribute(nat, 'public_ip_address_ids'), (id) => object(id.source ?? nat.source, { id })),
      publicIpPrefixes: list(attribute(nat, 'public_ip_prefix_ids'), (id) => object(id.source ?? nat.source, { id })),
    })),
  ],
  [
    // The SKU as written: the provider's default changed (Basic in v3, Standard in v4).
    'azurerm_public_ip',
    simple(
      'Microsoft.Network/publicIPAddresses',
      (ip) => ({ ipAddress: attribute(ip, 'ip_address') }),
      (ip) => ({ sku: attribute(ip, 'sku') && object(ip.source, { name: attribute(ip, 'sku'), tier: attribute(ip, 'sku_tier') }) }),
    ),
  ],
  // Named so that a NAT gateway's association names it; the model keeps no prefixes of its own.
  ['azurerm_public_ip_prefix', simple('Microsoft.Network/publicIPPrefixes', (prefix) => ({ prefixLength: attribute(prefix, 'prefix_length') }))],
  [
    'azurerm_application_gateway',
    simple('Microsoft.Network/applicationGateways', (gateway) => {
      const sku = firstBlock(attribute(gateway, 'sku'));
      return {
        sku: sku && object(sku.source ?? gateway.source, { name: field(sku, 'name'), tier: field(sku, 'tier'), capacity: field(sku, 'capacity') }),
        gatewayIPConfigurations: list(attribute(gateway, 'gateway_ip_configuration'), (configuration) =>
          object(configuration.source ?? gateway.source, {
            name: field(configuration, 'name'),
            properties: object(configuration.source ?? gateway.source, { subnet: idObject(field(configuration, 'subnet_id'), gateway.source) }),
          }),
        ),
      };
    }),
  ],
  // Application Gateway for Containers: the controller, and its association with a subnet (always `subnets`: the
  // provider sends AssociationTypeSubnets).
  ['azurerm_application_load_balancer', simple('Microsoft.ServiceNetworking/trafficControllers', () => ({}))],
  [
    'azurerm_application_load_balancer_subnet_association',
    childOfId('Microsoft.ServiceNetworking/trafficControllers/associations', 'application_load_balancer_id', (association) => ({
      associationType: stringAt('subnets', association.source),
      subnet: idObject(attribute(association, 'subnet_id'), association.source),
    })),
  ],
  [
    'azurerm_private_endpoint',
    simple('Microsoft.Network/privateEndpoints', (endpoint) => ({
      subnet: idObject(attribute(endpoint, 'subnet_id'), endpoint.source),
      ...privateEndpointConnections(endpoint),
    })),
  ],
  // A Private Link service: each nat_ip_configuration takes its NAT IPs from its subnet.
  [
    'azurerm_private_link_service',
    simple('Microsoft.Network/privateLinkServices', (service) => ({
      ipConfigurations: list(attribute(service, 'nat_ip_configuration'), (configuration) =>
        object(configuration.source ?? service.source, {
          name: field(configuration, 'name'),
          properties: object(configuration.source ?? service.source, {
            subnet: idObject(field(configuration, 'subnet_id'), service.source),
            privateIPAddress: field(configuration, 'private_ip_address'),
          }),
        }),
      ),
    })),
  ],
  [
    'azurerm_network_security_group',
    simple('Microsoft.Network/networkSecurityGroups', (nsg) => ({ securityRules: list(attribute(nsg, 'security_rule'), (rule) => securityRule(rule, nsg.source)) })),
  ],
  [
    'azurerm_network_security_rule',
    child('Microsoft.Network/networkSecurityGroups/securityRules', 'network_security_group_name', (rule) => securityRule(rule.value, rule.source)),
  ],
  [
    'azurerm_firewall',
    simple('Microsoft.Network/azureFirewalls', (firewall) => ({
      firewallPolicy: idObject(attribute(firewall, 'firewall_policy_id'), firewall.source),
      // A firewall in a Virtual WAN hub: `virtual_hub { public_ip_count }` (the provider's default, 1, when left out).
      hubIPAddresses: (() => {
        const hub = firstBlock(attribute(firewall, 'virtual_hub'));
        if (!hub) return undefined;
        const at = hub.source ?? firewall.source;
        return object(at, { publicIPs: object(at, { count: either(hub, 'public_ip_count') ?? { kind: 'int', value: 1, source: at } }) });
      })(),
      // A dynamic block that cannot be expanded stays an unknown item: the firewall's IPs are then not all known.
      ipConfigurations: list(attribute(firewall, 'ip_configuration'), (configuration) =>
        configuration.kind === 'unknown' ? configuration : object(configuration.source ?? firewall.source, {
          name: field(configuration, 'name'),
          properties: object(configuration.source ?? firewall.source, {
            subnet: idObject(field(configuration, 'subnet_id'), firewall.source),
            publicIPAddress: idObject(field(configuration, 'public_ip_address_id'), firewall.source),
          }),
        }),
      ),
    })),
  ],
  [
    'azurerm_virtual_network_peering',
    child('Microsoft.Network/virtualNetworks/virtualNetworkPeerings', 'virtual_network_name', (peering) =>
      object(peering.source, {
        name: attribute(peering, 'name'),
        properties: object(peering.source, { remoteVirtualNetwork: idObject(attribute(peering, 'remote_virtual_network_id'), peering.source) }),
      }),
    ),
  ],
  [
    'azurerm_firewall_policy',
    simple('Microsoft.Network/firewallPolicies', (policy) => ({ basePolicy: idObject(attribute(policy, 'base_policy_id'), policy.source) })),
  ],
  [
    'azurerm_firewall_policy_rule_collection_group',
    {
      armType: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
      id: (group) => {
        const policy = idPath(attribute(group, 'firewall_policy_id'));
        return policy ? [...policy, segment('ruleCollectionGroups', named(group))] : undefined;
      },
      instance: (group, serial) => ({
        serial,
        type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
        name: attribute(group, 'name') ?? unknownValue('not named', group.source),
        parent: parentFromId(attribute(group, 'firewall_policy_id'), 'Microsoft.Network/firewallPolicies', group.source, serial),
        existing: false,
        source: group.source,
        body: object(group.source, {
          name: attribute(group, 'name'),
          properties: object(group.source, { priority: attribute(group, 'priority'), ruleCollections: ruleCollections(group) }),
        }),
      }),
    },
  ],
  ['azapi_resource', { armType: '', id: azapiId, instance: azapiInstance }],
]);

/** Data sources name existing resources: their ids, never their contents. */
const DATA_IDS: ReadonlyMap<string, Conversion['id']> = new Map([
  ['azurerm_virtual_network', CONVERSIONS.get('azurerm_virtual_network')!.id],
  ['azurerm_subnet', CONVERSIONS.get('azurerm_subnet')!.id],
  ['azurerm_kubernetes_cluster', CONVERSIONS.get('azurerm_kubernetes_cluster')!.id],
  ['azurerm_route_table', CONVERSIONS.get('azurerm_route_table')!.id],
]);

/** azapi's `type = "Microsoft.ContainerService/managedClusters@2024-09-01"`: the ARM type and API version. */
function azapiType(resource: Resource): { type: string; apiVersion: string | undefined } | undefined {
  const written = asString(attribute(resource, 'type'));
  if (!written) return undefined;
  const [type, apiVersion] = written.split('@');
  return { type: type!, apiVersion };
}

function azapiId(resource: Resource): readonly ResourceIdSegment[] | undefined {
  const typed = azapiType(resource);
  if (!typed) return undefined;
  const types = typed.type.split('/').slice(1);
  const own = segment(types[types.length - 1]!, named(resource));
  if (types.length === 1) return [own];
  const parent = idPath(attribute(resource, 'parent_id'));
  return parent && parent.length >= types.length - 1 ? [...parent.slice(-(types.length - 1)), own] : undefined;
}

function azapiInstance(resource: EvaluatedResource, serial: number): ResourceInstance | undefined {
  const typed = azapiType(resource);
  if (!typed) return undefined;
  let body = attribute(resource, 'body');
  // azapi v1 wrote the body as jsonencode({...}): a string of JSON.
  if (body?.kind === 'string') body = TERRAFORM_FUNCTIONS.get('jsondecode')!([body], body.source);
  const name = attribute(resource, 'name') ?? unknownValue('not named', resource.source);
  const depth = typed.type.split('/').length - 2;
  return {
    serial,
    type: typed.type,
    ...(typed.apiVersion ? { apiVersion: typed.apiVersion } : {}),
    name,
    parent: depth > 0 ? parentFromId(attribute(resource, 'parent_id'), typed.type.split('/').slice(0, -1).join('/'), resource.source, serial) : undefined,
    existing: false,
    body: body?.kind === 'object' ? object(body.source, { ...Object.fromEntries(body.properties), name }) : body,
    source: resource.source,
  };
}

/** The id segments of a resource or data source of a type the table knows, else undefined (assigned by Azure). */
export function terraformResourceId(resource: Resource): readonly ResourceIdSegment[] | undefined {
  const id = resource.mode === 'data' ? DATA_IDS.get(resource.type) : CONVERSIONS.get(resource.type)?.id;
  const path = id?.(resource);
  return path && path.every((s) => s.name !== undefined) ? path : undefined;
}

/** Associations that set a subnet's route table, NAT gateway or NSG: the property they add, by the subnet's id path. */
const ASSOCIATIONS: ReadonlyMap<string, { property: string; reference: string }> = new Map([
  ['azurerm_subnet_route_table_association', { property: 'routeTable', reference: 'route_table_id' }],
  ['azurerm_subnet_nat_gateway_association', { property: 'natGateway', reference: 'nat_gateway_id' }],
  ['azurerm_subnet_network_security_group_association', { property: 'networkSecurityGroup', reference: 'network_security_group_id' }],
]);

const pathKey = (path: readonly ResourceIdSegment[]) => path.map((s) => `${s.type}/${s.name}`.toLowerCase()).join('/');

/** Associations that add a public IP or prefix to a NAT gateway: the list they add to and the attribute that names the item. */
const NAT_LISTS: ReadonlyMap<string, { property: string; reference: string }> = new Map([
  ['azurerm_nat_gateway_public_ip_association', { property: 'publicIpAddresses', reference: 'public_ip_address_id' }],
  ['azurerm_nat_gateway_public_ip_prefix_association', { property: 'publicIpPrefixes', reference: 'public_ip_prefix_id' }],
]);

/** The items NAT_LISTS associations add, by the NAT gateway's id path and list. */
function natGatewayItems(resources: readonly EvaluatedResource[]): Map<string, Map<string, ArmValue[]>> {
  const byGateway = new Map<string, Map<string, ArmValue[]>>();
  for (const resource of resources) {
    const association = NAT_LISTS.get(resource.type);
    if (!association || resource.mode !== 'managed') continue;
    const gateway = idPath(attribute(resource, 'nat_gateway_id'));
    const item = attribute(resource, association.reference);
    if (!gateway || gateway.length === 0 || !item) continue;
    const key = pathKey(gateway.slice(-1));
    const lists = byGateway.get(key) ?? new Map<string, ArmValue[]>();
    byGateway.set(key, lists);
    lists.set(association.property, [...(lists.get(association.property) ?? []), object(item.source ?? resource.source, { id: item })]);
  }
  return byGateway;
}

/** A NAT gateway with the public IPs and prefixes its associations add, after those it names itself. */
function withNatItems(instance: ResourceInstance, lists: Map<string, ArmValue[]> | undefined): ResourceInstance {
  const properties = field(instance.body, 'properties');
  if (!lists || instance.body?.kind !== 'object' || properties?.kind !== 'object') return instance;
  const merged = new Map(properties.properties);
  for (const [name, items] of lists) {
    const own = merged.get(name);
    // A list of the gateway's own that cannot be evaluated stays unknown: the whole list is not known.
    if (own !== undefined && own.kind !== 'array') continue;
    merged.set(name, { kind: 'array', items: [...(own?.items ?? []), ...items], source: own?.source ?? items[0]!.source ?? instance.source });
  }
  return { ...instance, body: object(instance.body.source, { ...Object.fromEntries(instance.body.properties), properties: { kind: 'object', properties: merged, source: properties.source } }) };
}

/** The ARM resources the evaluated Terraform resources create, associations applied to their subnets. */
export function azureResources(resources: readonly EvaluatedResource[]): ResourceInstance[] {
  const associated = new Map<string, Record<string, ArmValue>>();
  for (const resource of resources) {
    const association = ASSOCIATIONS.get(resource.type);
    if (!association || resource.mode !== 'managed') continue;
    const subnet = idPath(attribute(resource, 'subnet_id'));
    const target = attribute(resource, association.reference);
    if (!subnet || subnet.length < 2 || !target) continue;
    const key = pathKey(subnet.slice(-2));
    associated.set(key, { ...associated.get(key), [association.property]: object(target.source ?? resource.source, { id: target }) });
  }
  const natItems = natGatewayItems(resources);
  const instances: ResourceInstance[] = [];
  for (const resource of resources) {
    if (resource.mode !== 'managed') continue;
    const instance = CONVERSIONS.get(resource.type)?.instance?.(resource, instances.length);
    if (!instance) continue;
    if (resource.type === 'azurerm_nat_gateway') {
      instances.push(withNatItems(instance, natItems.get(pathKey(terraformResourceId(resource) ?? []))));
      continue;
    }
    const extra = resource.type === 'azurerm_subnet' ? associated.get(pathKey(terraformResourceId(resource) ?? [])) : undefined;
    instances.push(extra ? { ...instance, body: subnetBody(resource.value, resource.source, extra) } : instance);
  }
  // Inline subnets of a VNet take their associations too.
  return instances.map((instance) => {
    if (instance.type !== VNET || associated.size === 0) return instance;
    const vnetName = asString(instance.name);
    const properties = field(instance.body, 'properties');
    const subnets = arrayItems(field(properties, 'subnets'));
    if (!subnets || !vnetName || properties?.kind !== 'object') return instance;
    const items = subnets.map((subnet) => {
      const extra = associated.get(pathKey([segment('virtualNetworks', vnetName), segment('subnets', asString(field(subnet, 'name')))]));
      const inner = field(subnet, 'properties');
      if (!extra || inner?.kind !== 'object' || subnet.kind !== 'object') return subnet;
      return object(subnet.source, { ...Object.fromEntries(subnet.properties), properties: object(inner.source, { ...Object.fromEntries(inner.properties), ...extra }) });
    });
    const newProperties = object(properties.source, { ...Object.fromEntries(properties.properties), subnets: { kind: 'array', items, source: properties.source } });
    const body = instance.body;
    if (body?.kind !== 'object') return instance;
    return { ...instance, body: object(body.source, { ...Object.fromEntries(body.properties), properties: newProperties }) };
  });
}
