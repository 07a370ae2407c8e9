// Questions the rules and the service both ask of the model, answered in one place: a Kubernetes object's namespace,
// what a Service's load balancer annotations say and which subnet an internal one takes its frontend from, and the
// ranges a cluster's service, pod and node addresses come from.
import { type Cidr, formatCidr } from '../cidr/cidr';
import { AKS_LOAD_BALANCER_SERVICES, PRIVATE_LINK_SERVICE_SUBNET } from '../facts';
import type { Cluster, KubernetesService, NetworkModel, Subnet } from './network';
import { type Known, knownValues } from './source';
import { nodeSubnetsOf, resolveSubnet, subnetPrefixes, subnetsOfVnet, vnetsOf } from './topology';

/** The namespace Kubernetes puts an object in when its manifest names none. */
export const DEFAULT_NAMESPACE = 'default';

/** The namespace of a Kubernetes object: the one it names, else `default`. */
export const namespaceOf = (object: { readonly namespace: string | undefined }): string => object.namespace ?? DEFAULT_NAMESPACE;

/** The annotation keys AKS reads on a Service of type LoadBalancer. */
export const ANNOTATIONS = AKS_LOAD_BALANCER_SERVICES.value;

/** A Service's annotation when its value is known. */
export function annotation(service: KubernetesService, key: string): Known<string> | undefined {
  const value = service.annotations.get(key);
  return value?.known ? value : undefined;
}

/** True when the Service asks for an internal load balancer (annotation `...azure-load-balancer-internal: "true"`). */
export const isInternal = (service: KubernetesService): boolean => annotation(service, ANNOTATIONS.internal)?.value.toLowerCase() === 'true';

export const isLoadBalancer = (service: KubernetesService): boolean => service.type.known && service.type.value === 'LoadBalancer';

/**
 * The clusters a workspace-wide object (a Service, a NetworkPolicy) can run on: the workspace's one cluster, once per
 * environment it is deployed with (all from one declaration); none when the workspace declares several clusters.
 */
export function theCluster(model: NetworkModel): readonly Cluster[] {
  const [first] = model.clusters;
  if (!first) return [];
  const sameDeclaration = model.clusters.every((c) => c.source.uri === first.source.uri && c.source.start === first.source.start);
  return sameDeclaration ? model.clusters : [];
}

/** The one cluster a Service can belong to: the workspace's only cluster (its first environment where it has several). */
export function onlyCluster(model: NetworkModel): Cluster | undefined {
  return theCluster(model)[0];
}

/** The subnet an internal LB takes its frontend from: the named subnet in the cluster's VNets, else the node subnet. */
export function loadBalancerSubnet(model: NetworkModel, cluster: Cluster, service: KubernetesService): Subnet | undefined {
  const named = annotation(service, ANNOTATIONS.internalSubnet);
  const vnets = vnetsOf(model, cluster);
  if (named) {
    const matches = vnets.flatMap((vnet) => subnetsOfVnet(model, vnet)).filter((s) => s.name === named.value);
    return matches.length === 1 ? matches[0] : undefined;
  }
  const nodeSubnets = nodeSubnetsOf(model, cluster);
  return nodeSubnets.length === 1 ? nodeSubnets[0] : undefined;
}

/**
 * The subnet a Service's Private Link Service takes its NAT IPs from: the one `azure-pls-ip-configuration-subnet` names
 * in the cluster's VNets, else the load balancer's subnet; undefined when it cannot be told.
 */
export function privateLinkServiceSubnet(model: NetworkModel, cluster: Cluster, service: KubernetesService): Subnet | undefined {
  const written = service.annotations.get(PRIVATE_LINK_SERVICE_SUBNET.value.subnet);
  if (written && !written.known) return undefined;
  if (written?.known && written.value !== '') {
    const matches = vnetsOf(model, cluster).flatMap((vnet) => subnetsOfVnet(model, vnet)).filter((s) => s.name === written.value);
    return matches.length === 1 ? matches[0] : undefined;
  }
  return loadBalancerSubnet(model, cluster, service);
}

/** One of a cluster's own ranges, with what messages call it. */
export interface ClusterRange {
  readonly kind: 'service' | 'pod';
  /** "Service CIDR", "Pod CIDR". */
  readonly label: 'Service CIDR' | 'Pod CIDR';
  readonly range: Known<Cidr>;
}

/** A cluster's known service CIDRs, then its known pod CIDRs. */
export function clusterRanges(cluster: Cluster): ClusterRange[] {
  return [
    ...knownValues(cluster.serviceCidrs).map((range) => ({ kind: 'service' as const, label: 'Service CIDR' as const, range })),
    ...knownValues(cluster.podCidrs).map((range) => ({ kind: 'pod' as const, label: 'Pod CIDR' as const, range })),
  ];
}

/** The ranges a cluster's pod and node IPs come from: its pod CIDRs, its pools' pod subnets and its node subnets. */
export function podAndNodeRanges(model: NetworkModel, cluster: Cluster): { label: string; range: Known<Cidr> }[] {
  const podSubnets = model.nodePools
    .filter((pool) => pool.clusterKey === cluster.key && pool.podSubnet)
    .map((pool) => resolveSubnet(model, pool.podSubnet!))
    .filter((subnet): subnet is NonNullable<typeof subnet> => subnet !== undefined);
  return [
    ...knownValues(cluster.podCidrs).map((range) => ({ label: `the pod CIDR ${formatCidr(range.value)}`, range })),
    ...subnetPrefixes([...new Set(podSubnets)]).map(({ subnet, prefix }) => ({ label: `pod subnet ${subnet.name} (${formatCidr(prefix.value)})`, range: prefix })),
    ...subnetPrefixes(nodeSubnetsOf(model, cluster)).map(({ subnet, prefix }) => ({ label: `node subnet ${subnet.name} (${formatCidr(prefix.value)})`, range: prefix })),
  ];
}

/** How messages name an environment: its parameters file's name (`main.parameters.prod.json`). */
export function environmentName(parameters: string): string {
  return decodeURIComponent(parameters.slice(parameters.lastIndexOf('/') + 1));
}
