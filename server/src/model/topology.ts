// Relations derived from the model: which subnets a VNet has, which subnets and VNets a cluster uses.
import type { Cidr } from '../cidr/cidr';
import type { Cluster, NetworkModel, Subnet, SubnetReference, VirtualNetwork } from './network';
import { type Known, knownValues } from './source';

export function vnetOf(model: NetworkModel, subnet: Subnet): VirtualNetwork | undefined {
  return subnet.vnetKey === undefined ? undefined : model.vnets.find((vnet) => vnet.key === subnet.vnetKey);
}

/** The subnet a reference names, when exactly one in the model matches. */
export function resolveSubnet(model: NetworkModel, reference: SubnetReference): Subnet | undefined {
  const matches = model.subnets.filter(
    (subnet) =>
      subnet.name === reference.subnetName && (reference.vnetKey === undefined || subnet.vnetKey === reference.vnetKey),
  );
  const distinctVnets = new Set(matches.map((subnet) => subnet.vnetKey));
  return distinctVnets.size === 1 ? matches[0] : undefined;
}

/** The subnets the cluster's nodes live in: its pools' subnets and its default node subnet. */
export function nodeSubnetsOf(model: NetworkModel, cluster: Cluster): Subnet[] {
  const references = model.nodePools
    .filter((pool) => pool.clusterName === cluster.name && pool.nodeSubnet)
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

/** Every known range in the model: VNet address spaces, subnets, and each cluster's pod and service CIDRs. */
export function namedRanges(model: NetworkModel): NamedRange[] {
  return [
    ...model.vnets.flatMap((vnet) => knownValues(vnet.addressSpace).map((range) => ({ label: `virtual network ${vnet.name}`, range }))),
    ...subnetPrefixes(model.subnets).map(({ subnet, prefix }) => ({ label: `subnet ${subnet.name}`, range: prefix })),
    ...model.clusters.flatMap((cluster) => [
      ...knownValues(cluster.podCidrs).map((range) => ({ label: `pod CIDR of cluster ${cluster.name}`, range })),
      ...knownValues(cluster.serviceCidrs).map((range) => ({ label: `service CIDR of cluster ${cluster.name}`, range })),
    ]),
  ];
}
