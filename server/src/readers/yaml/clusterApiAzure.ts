// Cluster API Provider Azure (infrastructure.cluster.x-k8s.io) managed-cluster resources, lowered into the model.
import type { Node } from 'yaml';
import type { Cidr } from '../../cidr/cidr';
import { loadBalancerIpCount, type OutboundIps } from '../../model/network';
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
} from './yamlTree';
import { known, notSet, unknown } from '../../model/source';

/** Pod and service ranges of a CAPI Cluster, keyed by the name of its control plane. */
export type ClusterNetworks = Map<string, { clusterName: string | undefined; podCidrs: Value<Cidr>[]; serviceCidrs: Value<Cidr>[] }>;

/** Reads `cluster.x-k8s.io` Cluster objects' clusterNetwork, for the control planes they point at. */
export function readCapiClusterNetwork(ctx: ReadContext, resource: Node, networks: ClusterNetworks): void {
  const controlPlane = nameAt(ctx, resource, 'spec', 'controlPlaneRef', 'name');
  if (controlPlane === undefined) return;
  const network = nodeAt(ctx, resource, 'spec', 'clusterNetwork');
  networks.set(controlPlane, {
    clusterName: nameAt(ctx, resource, 'metadata', 'name'),
    podCidrs: cidrListValue(ctx, nodeAt(ctx, network, 'pods', 'cidrBlocks'), 'pod-cidr'),
    serviceCidrs: cidrListValue(ctx, nodeAt(ctx, network, 'services', 'cidrBlocks'), 'service-cidr'),
  });
}

/** A CAPZ cluster's key: namespace and the CAPI cluster's name, which machine pools carry as a label. */
function capzKey(ctx: ReadContext, resource: Node, clusterName: string): string {
  return `capz:${nameAt(ctx, resource, 'metadata', 'namespace') ?? 'default'}/${clusterName}`;
}

function readManagedControlPlane(ctx: ReadContext, resource: Node, networks: ClusterNetworks): void {
  const controlPlaneName = nameAt(ctx, resource, 'metadata', 'name');
  const clusterNetwork = controlPlaneName === undefined ? undefined : networks.get(controlPlaneName);
  // People know the cluster by the CAPI Cluster's name; the control plane's name is the fallback.
  const name = clusterNetwork?.clusterName ?? controlPlaneName ?? 'managed control plane';
  const spec = nodeAt(ctx, resource, 'spec');
  const vnet = nodeAt(ctx, spec, 'virtualNetwork');
  let defaultNodeSubnet;
  if (vnet) {
    const vnetName = nameAt(ctx, vnet, 'name');
    const vnetKey = vnetName ?? anonymousKey(ctx, vnet);
    const addressSpace = [cidrValue(ctx, nodeAt(ctx, vnet, 'cidrBlock'), 'vnet-address-space')];
    ctx.facts.vnets.push({
      key: vnetKey,
      name: vnetName ?? `virtual network of ${name}`,
      source: sourceOf(ctx, vnet),
      addressSpace,
      addressSpaceComplete: addressSpace.every((v) => v.known),
    });
    const subnet = nodeAt(ctx, vnet, 'subnet');
    const subnetName = nameAt(ctx, subnet, 'name');
    if (subnet) {
      ctx.facts.subnets.push({
        name: subnetName ?? `${name} subnet`,
        vnetKey,
        source: sourceOf(ctx, subnet),
        prefixes: [cidrValue(ctx, nodeAt(ctx, subnet, 'cidrBlock'), 'subnet-prefix')],
        // CAPZ manages these associations itself.
        routeTable: unknown('managed by CAPZ'),
        natGateway: unknown('managed by CAPZ'),
      });
      if (subnetName) defaultNodeSubnet = { vnetKey, subnetName, source: sourceOf(ctx, subnet) };
    }
  }
  ctx.facts.clusters.push({
    key: capzKey(ctx, resource, name),
    name,
    source: sourceOf(ctx, resource),
    networkPlugin: stringValue(ctx, nodeAt(ctx, spec, 'networkPlugin')),
    networkPluginMode: stringValue(ctx, nodeAt(ctx, spec, 'networkPluginMode')),
    networkPolicy: stringValue(ctx, nodeAt(ctx, spec, 'networkPolicy')),
    networkDataplane: stringValue(ctx, nodeAt(ctx, spec, 'networkDataplane')),
    outboundType: stringValue(ctx, nodeAt(ctx, spec, 'outboundType')),
    podCidrs: clusterNetwork?.podCidrs ?? [],
    serviceCidrs: clusterNetwork?.serviceCidrs ?? [],
    dnsServiceIp: ipValue(ctx, nodeAt(ctx, spec, 'dnsServiceIP'), 'dns-service-ip'),
    apiVersion: undefined, // CAPZ picks the Azure API version itself
    dockerBridgeCidr: notSet(),
    loadBalancerSku: stringValue(ctx, nodeAt(ctx, spec, 'loadBalancerSKU')),
    ebpfDataplane: notSet(),
    defaultNodeSubnet,
    // CAPZ's loadBalancerProfile flattens ARM's: managedOutboundIPs is a count, outboundIPs a list of IDs.
    outboundIps: capzOutboundIps(ctx, nodeAt(ctx, spec, 'loadBalancerProfile')),
  });
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

function readManagedMachinePool(ctx: ReadContext, resource: Node): void {
  const spec = nodeAt(ctx, resource, 'spec');
  const clusterName = nameAt(ctx, resource, 'metadata', 'labels', 'cluster.x-k8s.io/cluster-name');
  const subnetName = stringValue(ctx, nodeAt(ctx, spec, 'subnetName'));
  ctx.facts.nodePools.push({
    name: nameAt(ctx, spec, 'name') ?? nameAt(ctx, resource, 'metadata', 'name') ?? 'machine pool',
    clusterName,
    clusterKey: clusterName === undefined ? undefined : capzKey(ctx, resource, clusterName),
    source: sourceOf(ctx, resource),
    count: unknown('replicas are set on the MachinePool'),
    minCount: numberValue(ctx, nodeAt(ctx, spec, 'scaling', 'minSize')),
    maxCount: numberValue(ctx, nodeAt(ctx, spec, 'scaling', 'maxSize')),
    maxPods: numberValue(ctx, nodeAt(ctx, spec, 'maxPods')),
    osType: stringValue(ctx, nodeAt(ctx, spec, 'osType')),
    mode: stringValue(ctx, nodeAt(ctx, spec, 'mode')),
    enableAutoScaling: nodeAt(ctx, spec, 'scaling') ? known(true, sourceOf(ctx, nodeAt(ctx, spec, 'scaling')!)) : notSet(),
    maxSurge: notSet(),
    podIpAllocationMode: notSet(),
    nodeSubnet: subnetName.known ? { vnetKey: undefined, subnetName: subnetName.value, source: subnetName.source } : undefined,
    podSubnet: undefined,
  });
}

/** Lowers one CAPZ resource; returns false when the kind is not one the model reads. */
export function readClusterApiAzure(ctx: ReadContext, resource: Node, kind: string, networks: ClusterNetworks): boolean {
  switch (kind) {
    case 'AzureManagedControlPlane':
      readManagedControlPlane(ctx, resource, networks);
      return true;
    case 'AzureManagedMachinePool':
      readManagedMachinePool(ctx, resource);
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
