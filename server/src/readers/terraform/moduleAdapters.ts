// The two registry modules most teams create AKS with, understood from their inputs when their source is not in the
// workspace (not downloaded by `terraform init`): each adapter renders the resources the module would create, as the
// module's own main.tf does, with the module's defaults (cited below from the versions in ../shared/corpus). A value
// the caller writes keeps its source; a default points at the module call. Anything else about the module stays unknown.
//   Azure/aks/azurerm (retiring): flat inputs rendered into azurerm_kubernetes_cluster.main and
//     azurerm_kubernetes_cluster_node_pool (Azure__terraform-azurerm-aks: main.tf, extra_node_pool.tf, variables.tf).
//   Azure/avm-res-containerservice-managedcluster/azurerm: object inputs rendered into an azapi managedClusters body
//     and agentPools children (its locals.network_profile.tf, locals.agent_pool_profiles.tf, variables.tf).
import type { Source } from '../../model/source';
import type { ArmValue } from '../arm/values';
import type { EvaluatedResource } from './evaluator';

export interface ModuleAdapter {
  /** The resources the module creates from these inputs (their addresses under `path`), and the outputs it can tell. */
  render(inputs: ReadonlyMap<string, ArmValue>, call: Source, path: string): { resources: EvaluatedResource[]; outputs: ReadonlyMap<string, ArmValue> };
}

type Fields = Record<string, ArmValue | undefined>;

function object(fields: Fields, source: Source): ArmValue & { kind: 'object' } {
  const properties = new Map<string, ArmValue>();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) properties.set(key, value);
  return { kind: 'object', properties, source };
}

const list = (items: ArmValue[], source: Source): ArmValue => ({ kind: 'array', items, source });
const str = (value: string, source: Source): ArmValue => ({ kind: 'string', value, source });
const field = (value: ArmValue | undefined, name: string) => (value?.kind === 'object' ? value.properties.get(name) : undefined);
/** A field written and not null. */
const given = (value: ArmValue | undefined): ArmValue | undefined => (value === undefined || value.kind === 'null' ? undefined : value);

/** An input as the module reads it: the caller's value (null included), else the module's default. */
function input(inputs: ReadonlyMap<string, ArmValue>, name: string, fallback?: ArmValue): ArmValue | undefined {
  return inputs.has(name) ? inputs.get(name) : fallback;
}

function resource(type: string, name: string, fields: Fields, call: Source, path: string, key?: string): EvaluatedResource {
  return { mode: 'managed', type, name, key, value: object(fields, call), source: call, module: path };
}

/** The cluster's name when the caller gives it, else its address (a name the module derives at apply time). */
function nameOr(value: ArmValue | undefined, address: string, call: Source): ArmValue {
  return value?.kind === 'string' ? value : str(address, call);
}

const azureAks: ModuleAdapter = {
  render(inputs, call, path) {
    const at = (name: string, fallback?: ArmValue) => input(inputs, name, fallback);
    const autoScaling = given(at('auto_scaling_enabled')) ?? given(at('enable_auto_scaling')) ?? { kind: 'bool', value: false, source: call };
    const scaled = autoScaling.kind === 'bool' && autoScaling.value;
    // locals.tf: cluster_name = try(coalesce(var.cluster_name, trim("${var.prefix}-aks", "-")), "aks").
    const prefix = given(at('prefix'));
    const derived = prefix?.kind === 'string' ? str(prefix.value === '' ? 'aks' : `${prefix.value}-aks`, prefix.source) : prefix === undefined ? str('aks', call) : undefined;
    const clusterName = nameOr(given(at('cluster_name')) ?? derived, `${path}azurerm_kubernetes_cluster.main`, call);
    const subnetId = (object: string, flat: string) => given(field(at(object), 'id')) ?? given(at(flat));
    const cluster = resource(
      'azurerm_kubernetes_cluster',
      'main',
      {
        name: clusterName,
        default_node_pool: list(
          [
            object(
              {
                // variables.tf defaults: agents_pool_name "nodepool", agents_count 2, agents_pool_max_surge "10%".
                name: at('agents_pool_name', str('nodepool', call)),
                vnet_subnet_id: subnetId('vnet_subnet', 'vnet_subnet_id'),
                pod_subnet_id: subnetId('pod_subnet', 'pod_subnet_id'),
                max_pods: at('agents_max_pods'),
                auto_scaling_enabled: autoScaling,
                // main.tf: node_count only without autoscaling; min/max only with it.
                node_count: scaled ? undefined : at('agents_count', { kind: 'int', value: 2, source: call }),
                min_count: scaled ? at('agents_min_count') : undefined,
                max_count: scaled ? at('agents_max_count') : undefined,
                upgrade_settings: list([object({ max_surge: at('agents_pool_max_surge', str('10%', call)) }, call)], call),
              },
              call,
            ),
          ],
          call,
        ),
        network_profile: list(
          [
            object(
              {
                // variables.tf defaults: network_plugin "kubenet", net_profile_outbound_type "loadBalancer".
                network_plugin: at('network_plugin', str('kubenet', call)),
                network_plugin_mode: at('network_plugin_mode'),
                network_policy: at('network_policy'),
                network_data_plane: at('ebpf_data_plane'),
                dns_service_ip: at('net_profile_dns_service_ip'),
                pod_cidr: at('net_profile_pod_cidr'),
                service_cidr: at('net_profile_service_cidr'),
                outbound_type: at('net_profile_outbound_type', str('loadBalancer', call)),
              },
              call,
            ),
          ],
          call,
        ),
      },
      call,
      path,
    );
    const clusterId: ArmValue = { kind: 'resourceId', path: [{ type: 'managedClusters', name: clusterName.kind === 'string' ? clusterName.value : undefined }], source: call };
    // extra_node_pool.tf: one azurerm_kubernetes_cluster_node_pool per node_pools entry.
    const pools = at('node_pools');
    const resources = [cluster];
    for (const [key, pool] of pools?.kind === 'object' ? pools.properties : []) {
      resources.push(
        resource(
          'azurerm_kubernetes_cluster_node_pool',
          'node_pool',
          {
            name: nameOr(field(pool, 'name'), `${path}azurerm_kubernetes_cluster_node_pool.node_pool["${key}"]`, call),
            kubernetes_cluster_id: clusterId,
            vnet_subnet_id: given(field(field(pool, 'vnet_subnet'), 'id')) ?? field(pool, 'vnet_subnet_id'),
            pod_subnet_id: given(field(field(pool, 'pod_subnet'), 'id')) ?? field(pool, 'pod_subnet_id'),
            max_pods: field(pool, 'max_pods'),
            node_count: field(pool, 'node_count'),
            auto_scaling_enabled: given(field(pool, 'auto_scaling_enabled')) ?? field(pool, 'enable_auto_scaling'),
            min_count: field(pool, 'min_count'),
            max_count: field(pool, 'max_count'),
            os_type: field(pool, 'os_type'),
            mode: field(pool, 'mode'),
          },
          pool.source ?? call,
          path,
          key,
        ),
      );
    }
    return { resources, outputs: new Map([['aks_id', clusterId], ['aks_name', clusterName]]) };
  },
};

/** An AVM agent pool object as the ARM agent pool profile its agentpool module renders (modules/agentpool). */
function avmPool(pool: ArmValue | undefined, call: Source, defaults: { name: string; mode?: string }): Fields {
  const at = pool?.source ?? call;
  return {
    name: given(field(pool, 'name')) ?? str(defaults.name, at),
    vnetSubnetID: field(pool, 'vnet_subnet_id'),
    podSubnetID: field(pool, 'pod_subnet_id'),
    maxPods: field(pool, 'max_pods'),
    // modules/agentpool/locals.tf: count = min and max both set ? null : count_of (optional(number, 3) for the default pool).
    count:
      given(field(pool, 'min_count')) && given(field(pool, 'max_count'))
        ? undefined
        : (given(field(pool, 'count_of')) ?? (defaults.mode ? { kind: 'int', value: 3, source: at } : undefined)),
    upgradeSettings: object({ maxSurge: field(field(pool, 'upgrade_settings'), 'max_surge') }, at),
    enableAutoScaling: field(pool, 'enable_auto_scaling'),
    minCount: field(pool, 'min_count'),
    maxCount: field(pool, 'max_count'),
    osType: field(pool, 'os_type'),
    mode: given(field(pool, 'mode')) ?? (defaults.mode ? str(defaults.mode, at) : undefined),
  };
}

/** locals.network_profile.tf: the snake_case input as ARM's camelCase networkProfile. */
const AVM_NETWORK_PROFILE: Record<string, string> = {
  network_plugin: 'networkPlugin',
  network_plugin_mode: 'networkPluginMode',
  network_policy: 'networkPolicy',
  network_dataplane: 'networkDataplane',
  pod_cidr: 'podCidr',
  pod_cidrs: 'podCidrs',
  service_cidr: 'serviceCidr',
  service_cidrs: 'serviceCidrs',
  dns_service_ip: 'dnsServiceIP',
  outbound_type: 'outboundType',
  load_balancer_sku: 'loadBalancerSku',
};

const avmManagedCluster: ModuleAdapter = {
  render(inputs, call, path) {
    const name = nameOr(given(inputs.get('name')), `${path}azapi_resource.this`, call);
    const profile = inputs.get('network_profile');
    const networkProfile = object(Object.fromEntries(Object.entries(AVM_NETWORK_PROFILE).map(([from, to]) => [to, given(field(profile, from))])), profile?.source ?? call);
    const defaultPool = inputs.get('default_agent_pool') ?? inputs.get('default_node_pool');
    const type = (armType: string) => str(armType, call);
    const cluster = resource(
      'azapi_resource',
      'this',
      {
        type: type('Microsoft.ContainerService/managedClusters'),
        name,
        body: object({ properties: object({ networkProfile, agentPoolProfiles: list([object(avmPool(defaultPool, call, { name: 'systempool', mode: 'System' }), call)], call) }, call) }, call),
      },
      call,
      path,
    );
    const clusterId: ArmValue = { kind: 'resourceId', path: [{ type: 'managedClusters', name: name.kind === 'string' ? name.value : undefined }], source: call };
    // main.agent_pool.tf: one agentpool module (an azapi agentPools child) per agent_pools entry.
    const pools = inputs.get('agent_pools');
    const resources = [cluster];
    for (const [key, pool] of pools?.kind === 'object' ? pools.properties : []) {
      const { name: poolName, ...properties } = avmPool(pool, call, { name: key });
      resources.push(
        resource(
          'azapi_resource',
          'this',
          { type: type('Microsoft.ContainerService/managedClusters/agentPools'), name: poolName, parent_id: clusterId, body: object({ properties: object(properties, pool.source ?? call) }, call) },
          pool.source ?? call,
          `${path}module.nodepools["${key}"].`,
        ),
      );
    }
    return { resources, outputs: new Map([['resource_id', clusterId], ['name', name]]) };
  },
};

/** Registry sources (`Azure/aks/azurerm`, `registry.terraform.io/Azure/aks/azurerm`, with `//sub` or `?ref`) by module. */
const ADAPTERS: readonly [RegExp, ModuleAdapter][] = [
  [/^(registry\.terraform\.io\/)?azure\/aks\/azurerm(\/\/.*)?$/i, azureAks],
  [/^(registry\.terraform\.io\/)?azure\/avm-res-containerservice-managedcluster\/azurerm(\/\/.*)?$/i, avmManagedCluster],
];

/** The adapter of a registry module's source, or undefined. */
export function moduleAdapter(source: string): ModuleAdapter | undefined {
  return ADAPTERS.find(([pattern]) => pattern.test(source))?.[1];
}
