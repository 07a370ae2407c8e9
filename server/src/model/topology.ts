// Relations derived from the model: which subnets a VNet has, which subnets and VNets a cluster uses.
import type { Cidr } from '../cidr/cidr';
import type { Association, Cluster, NetworkModel, NetworkSecurityGroup, NodePool, RouteTable, Subnet, SubnetReference, VirtualNetwork, VirtualNetworkPeering } from './network';
import { type Known, knownValues } from './source';

/** Lookups built once per model, so that relations cost a map access, not a scan of the workspace. */
interface ModelIndex {
  /** The VNets of each key: usually one; VNets of one name declared by several deployments are told apart by deployment. */
  readonly vnetsByKey: Map<string, VirtualNetwork[]>;
  /** VNets by key and deployment, and by key and template (the deployment without its environment): first of each. */
  readonly vnetByDeployment: Map<string, VirtualNetwork>;
  readonly vnetByTemplate: Map<string, VirtualNetwork>;
  /** Subnets by the VNet key they name, in model order. */
  readonly subnetsByVnetKey: Map<string, Subnet[]>;
  readonly subnetsByName: Map<string, Subnet[]>;
  /** ASO subnets by the name of their Kubernetes object. */
  readonly subnetsByKubernetesName: Map<string, Subnet[]>;
  readonly clustersByKey: Map<string, Cluster>;
  readonly poolsByCluster: Map<string, NodePool[]>;
  readonly routeTablesByName: Map<string, RouteTable[]>;
  /** Subnet references resolved so far (null: none, or not one). */
  readonly resolved: WeakMap<SubnetReference, Subnet | null>;
  /** Where VNets of one key are several: each one's subnets (built on first use). */
  subnetsOfVnet?: Map<VirtualNetwork, Subnet[]>;
  /** The subnets of each VNet, keyed apart where VNets of one key are several (built on first use). */
  subnetGroups?: Map<string, Subnet[]>;
}

const indexes = new WeakMap<NetworkModel, ModelIndex>();

/** Adds a value to the list kept under a key (grouping without copying a list per value). */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The deployment a root key names without its environment: the environments of one template share its VNets. */
const templateOf = (deployment: string) => deployment.split('|environment=')[0]!;

/** The model's index; a model is not changed after it is joined, so the index stays valid. */
function indexOf(model: NetworkModel): ModelIndex {
  let index = indexes.get(model);
  if (!index) {
    index = {
      vnetsByKey: new Map(),
      vnetByDeployment: new Map(),
      vnetByTemplate: new Map(),
      subnetsByVnetKey: new Map(),
      subnetsByName: new Map(),
      subnetsByKubernetesName: new Map(),
      clustersByKey: new Map(),
      poolsByCluster: new Map(),
      routeTablesByName: new Map(),
      resolved: new WeakMap(),
    };
    for (const vnet of model.vnets) {
      push(index.vnetsByKey, vnet.key, vnet);
      if (vnet.deployment === undefined) continue;
      const byDeployment = `${vnet.key}\n${vnet.deployment}`;
      const byTemplate = `${vnet.key}\n${templateOf(vnet.deployment)}`;
      if (!index.vnetByDeployment.has(byDeployment)) index.vnetByDeployment.set(byDeployment, vnet);
      if (!index.vnetByTemplate.has(byTemplate)) index.vnetByTemplate.set(byTemplate, vnet);
    }
    for (const subnet of model.subnets) {
      if (subnet.vnetKey !== undefined) push(index.subnetsByVnetKey, subnet.vnetKey, subnet);
      push(index.subnetsByName, subnet.name, subnet);
      if (subnet.kubernetesName !== undefined) push(index.subnetsByKubernetesName, subnet.kubernetesName, subnet);
    }
    for (const cluster of model.clusters) if (!index.clustersByKey.has(cluster.key)) index.clustersByKey.set(cluster.key, cluster);
    for (const pool of model.nodePools) if (pool.clusterKey !== undefined) push(index.poolsByCluster, pool.clusterKey, pool);
    // By Azure name: not a stand-in known only by its ASO owner's Kubernetes name.
    for (const table of model.routeTables) if (!table.ownerStandIn) push(index.routeTablesByName, table.name, table);
    indexes.set(model, index);
  }
  return index;
}

/**
 * The VNet a subnet is in: of the VNets with its key, the one its own deployment declares, else one of the same
 * template (another environment's identical copy, joined once), else the first. Two deployments that declare a
 * VNet of the same name (two examples' `vnet`) keep their own.
 */
export function vnetOf(model: NetworkModel, subnet: Subnet): VirtualNetwork | undefined {
  if (subnet.vnetKey === undefined) return undefined;
  const index = indexOf(model);
  const candidates = index.vnetsByKey.get(subnet.vnetKey);
  if (!candidates || candidates.length < 2 || subnet.deployment === undefined) return candidates?.[0];
  return (
    index.vnetByDeployment.get(`${subnet.vnetKey}\n${subnet.deployment}`) ??
    index.vnetByTemplate.get(`${subnet.vnetKey}\n${templateOf(subnet.deployment)}`) ??
    candidates[0]
  );
}

/** Each VNet's subnets, and the groups keyed apart, where VNets of one key are several: computed once per model. */
function splitSubnets(model: NetworkModel, index: ModelIndex): { subnetsOfVnet: Map<VirtualNetwork, Subnet[]>; groups: Map<string, Subnet[]> } {
  if (index.subnetsOfVnet && index.subnetGroups) return { subnetsOfVnet: index.subnetsOfVnet, groups: index.subnetGroups };
  const subnetsOfVnet = new Map<VirtualNetwork, Subnet[]>();
  const groups = new Map<string, Subnet[]>();
  for (const [key, subnets] of index.subnetsByVnetKey) {
    const vnets = index.vnetsByKey.get(key) ?? [];
    if (vnets.length < 2) {
      groups.set(key, subnets);
      continue;
    }
    const position = new Map(vnets.map((vnet, i) => [vnet, i]));
    for (const subnet of subnets) {
      const vnet = vnetOf(model, subnet)!;
      push(subnetsOfVnet, vnet, subnet);
      const at = position.get(vnet) ?? 0;
      push(groups, at > 0 ? `${key}#${at}` : key, subnet);
    }
  }
  index.subnetsOfVnet = subnetsOfVnet;
  index.subnetGroups = groups;
  return { subnetsOfVnet, groups };
}

/**
 * The subnets of each VNet, in model order: by VNet key, and apart where VNets of one key are several (see vnetOf);
 * subnets of VNets the model lacks are grouped by the key they name.
 */
export function subnetsByVnetKey(model: NetworkModel): ReadonlyMap<string, readonly Subnet[]> {
  return splitSubnets(model, indexOf(model)).groups;
}

/** The subnets declared in a VNet. */
export function subnetsOfVnet(model: NetworkModel, vnet: VirtualNetwork): Subnet[] {
  const index = indexOf(model);
  if ((index.vnetsByKey.get(vnet.key)?.length ?? 0) < 2) return index.subnetsByVnetKey.get(vnet.key) ?? [];
  return splitSubnets(model, index).subnetsOfVnet.get(vnet) ?? [];
}

/**
 * The resources a subnet's association names: by Azure name, or by Kubernetes name for an ASO `{name}` reference.
 * Several where several declarations make one resource (deployments that declare it alike; ASO's child objects read
 * before their parent, whose stand-in has the parent's Kubernetes name); none when the name is not known.
 */
function associated<T extends { readonly name: string; readonly kubernetesName?: string; readonly ownerStandIn?: true }>(
  subnet: Subnet,
  key: Association,
  all: readonly T[],
  byName: (name: string) => readonly T[] = (name) => all.filter((item) => item.name === name && !item.ownerStandIn),
): readonly T[] {
  const name = subnet[key];
  if (!name?.known) return [];
  const found = subnet.kubernetesNamed?.includes(key) ? all.filter((item) => item.kubernetesName === name.value) : byName(name.value);
  const objects = new Set(found.flatMap((item) => (item.kubernetesName === undefined ? [] : [item.kubernetesName])));
  return objects.size === 0 ? found : all.filter((item) => found.includes(item) || (item.kubernetesName !== undefined && objects.has(item.kubernetesName)));
}

/** The route table a subnet associates with. */
export function routeTablesOf(model: NetworkModel, subnet: Subnet): readonly RouteTable[] {
  return associated(subnet, 'routeTable', model.routeTables, (name) => indexOf(model).routeTablesByName.get(name) ?? []);
}

/** The network security group a subnet associates with. */
export function securityGroupsOf(model: NetworkModel, subnet: Subnet): readonly NetworkSecurityGroup[] {
  return associated(subnet, 'networkSecurityGroup', model.networkSecurityGroups);
}

/** The node pools of a cluster. */
export function poolsOf(model: NetworkModel, cluster: Cluster): NodePool[] {
  return indexOf(model).poolsByCluster.get(cluster.key) ?? [];
}

/** The subnet a reference names, when exactly one in the model matches. */
export function resolveSubnet(model: NetworkModel, reference: SubnetReference): Subnet | undefined {
  const index = indexOf(model);
  // Rules, capacity and the map ask for the same references again and again: each is resolved once per model.
  const cached = index.resolved.get(reference);
  if (cached !== undefined) return cached ?? undefined;
  const subnet = resolveOnce(model, index, reference);
  index.resolved.set(reference, subnet ?? null);
  return subnet;
}

function resolveOnce(model: NetworkModel, index: ModelIndex, reference: SubnetReference): Subnet | undefined {
  const matches = referencedSubnets(model, index, reference);
  const sameDeployment = reference.deployment === undefined ? [] : matches.filter((subnet) => subnet.deployment === reference.deployment);
  const candidates = sameDeployment.length > 0 ? sameDeployment : matches;
  const distinctVnets = new Set(candidates.map((subnet) => subnet.vnetKey));
  return distinctVnets.size === 1 ? candidates[0] : undefined;
}

/** The subnets a reference can name, by the kind of name it carries. */
function referencedSubnets(model: NetworkModel, index: ModelIndex, reference: SubnetReference): Subnet[] {
  switch (reference.by) {
    case 'kubernetesName':
      return index.subnetsByKubernetesName.get(reference.subnetName) ?? [];
    case 'vnetKey':
      return (index.subnetsByVnetKey.get(reference.vnetKey) ?? []).filter((subnet) => subnet.name === reference.subnetName);
    case 'clusterVnet': {
      const cluster = reference.clusterKey === undefined ? undefined : index.clustersByKey.get(reference.clusterKey);
      const own = cluster?.defaultNodeSubnet && cluster.defaultNodeSubnet.by !== 'clusterVnet' ? resolveSubnet(model, cluster.defaultNodeSubnet) : undefined;
      if (own?.vnetKey === undefined) return [];
      return (index.subnetsByVnetKey.get(own.vnetKey) ?? []).filter((subnet) => subnet.name === reference.subnetName);
    }
    case 'inDeployment': {
      const template = reference.deployment === undefined ? undefined : templateOf(reference.deployment);
      return (index.subnetsByName.get(reference.subnetName) ?? []).filter((subnet) => subnet.deployment !== undefined && templateOf(subnet.deployment) === template);
    }
    case 'resourceId':
      // A resource id names the VNet by its Azure name: the VNet's, when the model has it, else the key of a subnet
      // declared on a VNet the workspace does not declare: an `existing` parent's name, or an ASO owner's Kubernetes
      // name, which is its Azure name unless the owner sets spec.azureName (ASO's default).
      return (index.subnetsByName.get(reference.subnetName) ?? []).filter((subnet) => {
        const vnet = vnetOf(model, subnet);
        return vnet ? vnet.azureName === reference.vnetKey : subnet.vnetKey === reference.vnetKey;
      });
  }
}

/**
 * The VNets a peering's remote names: by Azure name for a resource id, by Kubernetes name for an ASO reference. Seen
 * from the peering's VNet (`from`), VNets of its own deployment come first, then of its template, as for subnets.
 */
export function remoteVnetsOf(model: NetworkModel, peering: VirtualNetworkPeering, from?: VirtualNetwork): VirtualNetwork[] {
  if (!peering.remoteVnet.known) return [];
  const name = peering.remoteVnet.value;
  const named = model.vnets.filter((vnet) => (peering.remoteBy === 'kubernetesName' ? vnet.kubernetesName : vnet.azureName) === name);
  const deployment = from?.deployment;
  if (named.length < 2 || deployment === undefined) return named;
  const own = named.filter((vnet) => vnet.deployment === deployment);
  if (own.length > 0) return own;
  const template = named.filter((vnet) => vnet.deployment !== undefined && templateOf(vnet.deployment) === templateOf(deployment));
  return template.length > 0 ? template : named;
}

/** The subnets the cluster's nodes live in: its pools' subnets and its default node subnet. */
export function nodeSubnetsOf(model: NetworkModel, cluster: Cluster): Subnet[] {
  const references = poolsOf(model, cluster)
    .filter((pool) => pool.nodeSubnet)
    .map((pool) => pool.nodeSubnet!);
  if (cluster.defaultNodeSubnet) references.push(cluster.defaultNodeSubnet);
  const subnets = references.map((reference) => resolveSubnet(model, reference)).filter((s): s is Subnet => !!s);
  return [...new Set(subnets)];
}

/** The VNets that hold the cluster's node subnets. */
export function vnetsOf(model: NetworkModel, cluster: Cluster): VirtualNetwork[] {
  const vnets = nodeSubnetsOf(model, cluster)
    .map((subnet) => vnetOf(model, subnet))
    .filter((v): v is VirtualNetwork => !!v);
  return [...new Set(vnets)];
}

/** Known prefixes of a list of subnets, each paired with its subnet. */
export function subnetPrefixes(subnets: readonly Subnet[]): { subnet: Subnet; prefix: Known<Cidr> }[] {
  return subnets.flatMap((subnet) => knownValues(subnet.prefixes).map((prefix) => ({ subnet, prefix })));
}

/** A range the model knows, with a phrase that names it for people ("subnet aks-nodes"). */
export interface NamedRange {
  readonly label: string;
  readonly range: Known<Cidr>;
}

/** Every known range in the model: VNet address spaces, subnets, external and planned ranges, and each cluster's pod and service CIDRs. */
export function namedRanges(model: NetworkModel): NamedRange[] {
  return [
    ...model.vnets.flatMap((vnet) => knownValues(vnet.addressSpace).map((range) => ({ label: `virtual network ${vnet.name}`, range }))),
    ...subnetPrefixes(model.subnets).map(({ subnet, prefix }) => ({ label: `subnet ${subnet.name}`, range: prefix })),
    ...model.externalRanges.flatMap((external) => (external.range.known ? [{ label: `external range ${external.name}`, range: external.range }] : [])),
    ...model.plannedRanges.flatMap((planned) => (planned.range.known ? [{ label: `${planned.name} planned for ${planned.plan}`, range: planned.range }] : [])),
    ...model.clusters.flatMap((cluster) => [
      ...knownValues(cluster.podCidrs).map((range) => ({ label: `pod CIDR of cluster ${cluster.name}`, range })),
      ...knownValues(cluster.serviceCidrs).map((range) => ({ label: `service CIDR of cluster ${cluster.name}`, range })),
    ]),
  ];
}

/**
 * True only when the cluster is known to run in the virtual network AKS creates: it has pools, none names a node or
 * pod subnet or writes a reference that cannot be evaluated, and it has no default node subnet. Never for a Cluster
 * API (CAPZ) cluster: CAPZ creates a virtual network of its own when the control plane names none. Only Bicep's
 * lowering records a written reference it could not evaluate (NodePool.nodeSubnetUnknown); the YAML readers drop
 * one (an ASO armId placeholder), so for their clusters an absent reference may be an unknown one: not known.
 */
export function onAksManagedVnet(model: NetworkModel, cluster: Cluster): boolean {
  // CAPZ creates a VNet of its own (defaultNodeSubnet); an unevaluated reference may name a subnet (unknown is not wrong).
  if (cluster.defaultNodeSubnet) return false;
  const pools = poolsOf(model, cluster);
  return pools.length > 0 && pools.every((pool) => !pool.nodeSubnet && !pool.podSubnet && !pool.nodeSubnetUnknown && !pool.podSubnetUnknown);
}
