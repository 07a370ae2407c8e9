// Cluster API Provider Azure (infrastructure.cluster.x-k8s.io) managed-cluster resources, lowered into the model.
import { AGENT_POOL_MODE, canonical, isValue, LOAD_BALANCER_SKU, NETWORK_DATAPLANE, NETWORK_PLUGIN, NETWORK_PLUGIN_MODE, NETWORK_POLICY, OS_TYPE, OUTBOUND_TYPE } from '../../model/enums';
import type { Node } from 'yaml';
import type { Cidr } from '../../cidr/cidr';
import { loadBalancerIpCount, type OutboundIps, type SubnetReference } from '../../model/network';
import type { Value } from '../../model/source';
import { readAzureServiceOperator } from './azureServiceOperator';
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
  isPlaceholder,
  scalarText,
} from './yamlTree';
import { isNotSet, known, notSet, type Source, unknown } from '../../model/source';
import { parseCidr } from '../../cidr/cidr';
import { CAPZ_CONTROL_PLANE_DEFAULTS } from '../../facts';

/**
 * What CAPI objects tell the CAPZ objects they point at, by the pointed-at object's namespace and name as written
 * (within one file, so that a templated name like `\${CLUSTER_NAME}-pool0` still links): a Cluster gives its control
 * plane its pod and service ranges; a MachinePool gives its AzureManagedMachinePool its cluster and replica count.
 */
export type ClusterNetworks = Map<string, CapiLink>;

export type CapiLink =
  | { readonly kind: 'cluster'; readonly clusterName: string | undefined; readonly podCidrs: Value<Cidr>[]; readonly serviceCidrs: Value<Cidr>[] }
  | { readonly kind: 'machinePool'; readonly clusterName: string | undefined; readonly replicas: Value<number> };

/** A name as written, placeholders included (`\${CLUSTER_NAME}`). */
const writtenName = (ctx: ReadContext, root: unknown, ...path: string[]) => scalarText(nodeAt(ctx, root, ...path));

const namespaceOf = (ctx: ReadContext, resource: Node) => nameAt(ctx, resource, 'metadata', 'namespace') ?? 'default';

/** Reads `cluster.x-k8s.io` Clusters and MachinePools for the CAPZ objects they point at. */
export function readCapiClusterNetwork(ctx: ReadContext, resource: Node, networks: ClusterNetworks): void {
  const kind = nameAt(ctx, resource, 'kind');
  if (kind === 'MachinePool') {
    const pool = writtenName(ctx, resource, 'spec', 'template', 'spec', 'infrastructureRef', 'name');
    if (pool === undefined) return;
    networks.set(`machinePool:${namespaceOf(ctx, resource)}/${pool}`, {
      kind: 'machinePool',
      clusterName: writtenName(ctx, resource, 'spec', 'clusterName'),
      replicas: numberValue(ctx, nodeAt(ctx, resource, 'spec', 'replicas')),
    });
    return;
  }
  const controlPlane = writtenName(ctx, resource, 'spec', 'controlPlaneRef', 'name');
  if (controlPlane === undefined) return;
  const network = nodeAt(ctx, resource, 'spec', 'clusterNetwork');
  networks.set(`controlPlane:${namespaceOf(ctx, resource)}/${controlPlane}`, {
    kind: 'cluster',
    clusterName: writtenName(ctx, resource, 'metadata', 'name'),
    podCidrs: cidrListValue(ctx, nodeAt(ctx, network, 'pods', 'cidrBlocks'), 'pod-cidr'),
    serviceCidrs: cidrListValue(ctx, nodeAt(ctx, network, 'services', 'cidrBlocks'), 'service-cidr'),
  });
}

/**
 * A CAPZ cluster's key: namespace and the CAPI cluster's name as written, which machine pools carry too. A templated
 * name is the same cluster only within its file.
 */
function capzKey(ctx: ReadContext, resource: Node, clusterName: string): string {
  return `capz:${isPlaceholder(clusterName) ? `${ctx.uri}|` : ''}${namespaceOf(ctx, resource)}/${clusterName}`;
}

/** A value the CAPZ webhook fills in, placed at the object that leaves it out. */
const defaulted = <T>(value: T, at: Source): Value<T> => known(value, at);

function readManagedControlPlane(ctx: ReadContext, resource: Node, networks: ClusterNetworks): void {
  const controlPlaneName = nameAt(ctx, resource, 'metadata', 'name');
  const writtenControlPlane = writtenName(ctx, resource, 'metadata', 'name');
  const link = writtenControlPlane === undefined ? undefined : networks.get(`controlPlane:${namespaceOf(ctx, resource)}/${writtenControlPlane}`);
  const clusterNetwork = link?.kind === 'cluster' ? link : undefined;
  // People know the cluster by the CAPI Cluster's name; the control plane's name is the fallback.
  const knownClusterName = clusterNetwork?.clusterName !== undefined && !isPlaceholder(clusterNetwork.clusterName) ? clusterNetwork.clusterName : undefined;
  const name = knownClusterName ?? controlPlaneName ?? 'managed control plane';
  const spec = nodeAt(ctx, resource, 'spec');
  const declared = sourceOf(ctx, resource);
  const defaults = CAPZ_CONTROL_PLANE_DEFAULTS.value;
  const pluginMode = canonical(NETWORK_PLUGIN_MODE, stringValue(ctx, nodeAt(ctx, spec, 'networkPluginMode')));
  const overlay = isValue(pluginMode, 'overlay');
  // Without spec.virtualNetwork (or parts of it) CAPZ's webhook creates a VNet and subnet named after the control plane.
  const vnet = nodeAt(ctx, spec, 'virtualNetwork');
  const subnet = nodeAt(ctx, vnet, 'subnet');
  const vnetName = writtenName(ctx, vnet, 'name') ?? writtenControlPlane;
  const vnetKey = vnetName !== undefined && !isPlaceholder(vnetName) ? vnetName : (vnet ? anonymousKey(ctx, vnet) : `${ctx.uri}#${declared.start}#vnet`);
  const cidrOf = (node: Node | undefined, role: 'vnet-address-space' | 'subnet-prefix') => (node ? cidrValue(ctx, nodeAt(ctx, node, 'cidrBlock'), role) : notSet());
  let vnetCidr = cidrOf(vnet, 'vnet-address-space');
  if (isNotSet(vnetCidr)) vnetCidr = defaultCidr(overlay ? defaults.overlayVnetCidr : defaults.vnetCidr, pluginMode, declared);
  let subnetCidr = cidrOf(subnet, 'subnet-prefix');
  if (isNotSet(subnetCidr)) subnetCidr = defaultCidr(overlay ? defaults.overlaySubnetCidr : defaults.subnetCidr, pluginMode, declared);
  ctx.facts.vnets.push({
    key: vnetKey,
    name: vnetName !== undefined && !isPlaceholder(vnetName) ? vnetName : `virtual network of ${name}`,
    source: vnet ? sourceOf(ctx, vnet) : declared,
    addressSpace: [vnetCidr],
    addressSpaceComplete: vnetCidr.known,
    ...(vnetName !== undefined && !isPlaceholder(vnetName) ? { azureName: vnetName } : {}),
  });
  const subnetName = writtenName(ctx, subnet, 'name') ?? writtenControlPlane ?? `${name} subnet`;
  ctx.facts.subnets.push({
    name: subnetName,
    vnetKey,
    source: subnet ? sourceOf(ctx, subnet) : declared,
    prefixes: [subnetCidr],
    // CAPZ manages these associations itself.
    routeTable: unknown('managed by CAPZ'),
    natGateway: unknown('managed by CAPZ'),
  });
  const defaultNodeSubnet: SubnetReference = { by: 'vnetKey', vnetKey, subnetName, source: subnet ? sourceOf(ctx, subnet) : declared };
  const plugin = canonical(NETWORK_PLUGIN, stringValue(ctx, nodeAt(ctx, spec, 'networkPlugin')));
  ctx.facts.clusters.push({
    key: capzKey(ctx, resource, clusterNetwork?.clusterName ?? writtenControlPlane ?? name),
    name,
    source: declared,
    networkPlugin: isNotSet(plugin) ? defaulted(defaults.networkPlugin, declared) : plugin,
    networkPluginMode: pluginMode,
    networkPolicy: canonical(NETWORK_POLICY, stringValue(ctx, nodeAt(ctx, spec, 'networkPolicy'))),
    networkDataplane: canonical(NETWORK_DATAPLANE, stringValue(ctx, nodeAt(ctx, spec, 'networkDataplane'))),
    outboundType: canonical(OUTBOUND_TYPE, stringValue(ctx, nodeAt(ctx, spec, 'outboundType'))),
    podCidrs: clusterNetwork?.podCidrs ?? [],
    serviceCidrs: clusterNetwork?.serviceCidrs ?? [],
    dnsServiceIp: ipValue(ctx, nodeAt(ctx, spec, 'dnsServiceIP'), 'dns-service-ip'),
    apiVersion: undefined, // CAPZ picks the Azure API version itself
    dockerBridgeCidr: notSet(),
    loadBalancerSku: canonical(LOAD_BALANCER_SKU, stringValue(ctx, nodeAt(ctx, spec, 'loadBalancerSKU'))),
    ebpfDataplane: notSet(),
    defaultNodeSubnet,
    // CAPZ's loadBalancerProfile flattens ARM's: managedOutboundIPs is a count, outboundIPs a list of IDs.
    outboundIps: capzOutboundIps(ctx, nodeAt(ctx, spec, 'loadBalancerProfile')),
  });
}

/** A default range of the webhook: unknown when it depends on a plugin mode that cannot be evaluated. */
function defaultCidr(text: string, pluginMode: Value<string>, at: Source): Value<Cidr> {
  if (!pluginMode.known && !isNotSet(pluginMode)) return unknown('CAPZ default range: depends on networkPluginMode, which cannot be evaluated', at);
  const parse = parseCidr(text);
  return parse.ok ? defaulted(parse.cidr, at) : unknown(parse.error, at);
}

/** CAPZ's loadBalancerProfile flattens ARM's: managedOutboundIPs is a count, outboundIPs a list of IDs. */
function capzOutboundIps(ctx: ReadContext, profile: Node | undefined): OutboundIps {
  const loadBalancerManagedIps = numberValue(ctx, nodeAt(ctx, profile, 'managedOutboundIPs'));
  return {
    allocatedOutboundPorts: numberValue(ctx, nodeAt(ctx, profile, 'allocatedOutboundPorts')),
    loadBalancerManagedIps,
    loadBalancerIps: loadBalancerIpCount(loadBalancerManagedIps, lengthValue(ctx, nodeAt(ctx, profile, 'outboundIPs')), nodeAt(ctx, profile, 'outboundIPPrefixes') !== undefined),
    natGatewayManagedIps: notSet(),
  };
}

function readManagedMachinePool(ctx: ReadContext, resource: Node, networks: ClusterNetworks): void {
  const spec = nodeAt(ctx, resource, 'spec');
  const written = writtenName(ctx, resource, 'metadata', 'name');
  const link = written === undefined ? undefined : networks.get(`machinePool:${namespaceOf(ctx, resource)}/${written}`);
  const machinePool = link?.kind === 'machinePool' ? link : undefined;
  // The MachinePool that points at this pool names its cluster; the cluster-name label is the older way.
  const writtenCluster = machinePool?.clusterName ?? writtenName(ctx, resource, 'metadata', 'labels', 'cluster.x-k8s.io/cluster-name');
  const clusterName = writtenCluster !== undefined && !isPlaceholder(writtenCluster) ? writtenCluster : undefined;
  const subnetName = stringValue(ctx, nodeAt(ctx, spec, 'subnetName'));
  ctx.facts.nodePools.push({
    name: nameAt(ctx, spec, 'name') ?? nameAt(ctx, resource, 'metadata', 'name') ?? 'machine pool',
    clusterName,
    clusterKey: writtenCluster === undefined ? undefined : capzKey(ctx, resource, writtenCluster),
    source: sourceOf(ctx, resource),
    count: machinePool?.replicas ?? unknown('replicas are set on the MachinePool, which is not in this file'),
    minCount: numberValue(ctx, nodeAt(ctx, spec, 'scaling', 'minSize')),
    maxCount: numberValue(ctx, nodeAt(ctx, spec, 'scaling', 'maxSize')),
    maxPods: numberValue(ctx, nodeAt(ctx, spec, 'maxPods')),
    osType: canonical(OS_TYPE, stringValue(ctx, nodeAt(ctx, spec, 'osType'))),
    mode: canonical(AGENT_POOL_MODE, stringValue(ctx, nodeAt(ctx, spec, 'mode'))),
    enableAutoScaling: nodeAt(ctx, spec, 'scaling') ? known(true, sourceOf(ctx, nodeAt(ctx, spec, 'scaling')!)) : notSet(),
    maxSurge: notSet(),
    podIpAllocationMode: notSet(),
    // A subnet of the cluster's VNet (spec.virtualNetwork.subnets of its control plane), by name.
    nodeSubnet: subnetName.known ? { by: 'clusterVnet', clusterKey: writtenCluster === undefined ? undefined : capzKey(ctx, resource, writtenCluster), subnetName: subnetName.value, source: subnetName.source } : undefined,
    podSubnet: undefined,
    ...(!subnetName.known && !isNotSet(subnetName) ? { nodeSubnetUnknown: subnetName } : {}),
  });
}

/** Lowers one CAPZ resource; returns false when the kind is not one the model reads. */
export function readClusterApiAzure(ctx: ReadContext, resource: Node, kind: string, networks: ClusterNetworks): boolean {
  switch (kind) {
    case 'AzureManagedControlPlane':
      readManagedControlPlane(ctx, resource, networks);
      return true;
    case 'AzureManagedMachinePool':
      readManagedMachinePool(ctx, resource, networks);
      return true;
    case 'AzureASOManagedControlPlane':
    case 'AzureASOManagedCluster':
    case 'AzureASOManagedMachinePool':
      // These embed ASO resources under spec.resources.
      for (const embedded of itemsAt(ctx, resource, 'spec', 'resources')) {
        const [group] = (nameAt(ctx, embedded, 'apiVersion') ?? '').split('/');
        readAzureServiceOperator(ctx, embedded, group ?? '', nameAt(ctx, embedded, 'kind') ?? '');
      }
      return true;
    default:
      return false;
  }
}
