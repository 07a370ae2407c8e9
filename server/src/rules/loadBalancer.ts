// Services of type LoadBalancer on AKS: annotations, static internal IPs and their subnet, node ports.
import { containsIp, formatCidr, formatIp, lastAddress } from '../cidr/cidr';
import { AKS_LOAD_BALANCER_SERVICES, LOAD_BALANCER_IP_DEPRECATED, NODE_PORT_RANGE } from '../facts';
import type { Cluster, KubernetesService, NetworkModel, Subnet } from '../model/network';
import { isNotSet, type Known, knownValues } from '../model/source';
import { nodeSubnetsOf, subnetPrefixes, subnetsOfVnet, vnetsOf } from '../model/topology';
import type { Finding, Rule } from './rule';

export const ANNOTATIONS = AKS_LOAD_BALANCER_SERVICES.value;

export function annotation(service: KubernetesService, key: string): Known<string> | undefined {
  const value = service.annotations.get(key);
  return value?.known ? value : undefined;
}

export const isInternal = (service: KubernetesService) => annotation(service, ANNOTATIONS.internal)?.value.toLowerCase() === 'true';
export const isLoadBalancer = (service: KubernetesService) => service.type.known && service.type.value === 'LoadBalancer';

/** The one cluster a Service can belong to: only when the workspace has exactly one. */
export function onlyCluster(model: NetworkModel): Cluster | undefined {
  return model.clusters.length === 1 ? model.clusters[0] : undefined;
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

export const lbIpOutsideSubnet: Rule = {
  id: 'lb-ip-outside-subnet',
  title: 'Static internal load balancer IP that Azure cannot assign',
  defaultSeverity: 'error',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) => {
    const cluster = onlyCluster(model);
    if (!cluster) return [];
    const findings: Finding[] = [];
    const taken = new Map<bigint, KubernetesService>();
    for (const service of model.services) {
      const ip = service.loadBalancerIp;
      if (!ip.known || !isInternal(service) || !isLoadBalancer(service)) continue;
      const report = (message: string, related: Finding['related'] = []) =>
        findings.push({ rule: 'lb-ip-outside-subnet', severity: 'error', message, source: ip.source, related });
      const address = formatIp(ip.value);
      const earlier = taken.get(ip.value.value);
      if (earlier) report(`${address} is already the load balancer IP of Service ${earlier.name}; each internal frontend needs its own address.`);
      else taken.set(ip.value.value, service);
      const serviceRange = knownValues(cluster.serviceCidrs).find((r) => containsIp(r.value, ip.value));
      if (serviceRange) {
        report(`${address} is inside the service CIDR ${formatCidr(serviceRange.value)} of cluster ${cluster.name}; a load balancer IP must come from a VNet subnet.`, [
          { message: 'service CIDR', source: serviceRange.source },
        ]);
        continue;
      }
      const subnet = loadBalancerSubnet(model, cluster, service);
      if (!subnet || !subnet.prefixes.every((p) => p.known)) continue;
      const prefixes = subnetPrefixes([subnet]).filter((p) => p.prefix.value.family === ip.value.family);
      const home = prefixes.find((p) => containsIp(p.prefix.value, ip.value));
      const related = prefixes.map((p) => ({ message: `subnet ${subnet.name}`, source: p.prefix.source }));
      if (!home) {
        report(`${address} is outside subnet ${subnet.name} (${prefixes.map((p) => formatCidr(p.prefix.value)).join(', ')}), where this internal load balancer takes its frontend IP.`, related);
        continue;
      }
      const offset = ip.value.value - home.prefix.value.network;
      if (ip.value.family === 4 && (offset <= 3n || ip.value.value === lastAddress(home.prefix.value).value)) {
        report(`${address} is one of the 5 addresses Azure reserves in subnet ${subnet.name} (${formatCidr(home.prefix.value)}: the first four and the last); pick another.`, related);
      }
    }
    return findings;
  },
};

export const lbSubnetNotFound: Rule = {
  id: 'lb-subnet-not-found',
  title: 'Internal load balancer subnet not in the cluster virtual network',
  defaultSeverity: 'warning',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) => {
    const cluster = onlyCluster(model);
    const vnets = cluster ? vnetsOf(model, cluster) : [];
    if (!cluster || vnets.length === 0) return [];
    return model.services.flatMap((service): Finding[] => {
      const named = annotation(service, ANNOTATIONS.internalSubnet);
      if (!named || named.value === '') return [];
      const names = vnets.flatMap((vnet) => subnetsOfVnet(model, vnet)).map((s) => s.name);
      if (names.includes(named.value)) return [];
      return [
        {
          rule: 'lb-subnet-not-found',
          severity: 'warning',
          message: `Subnet ${named.value} is not a subnet of ${vnets.map((v) => v.name).join(', ')}, the virtual network of cluster ${cluster.name} (subnets: ${names.join(', ') || 'none'}).`,
          source: named.source,
        },
      ];
    });
  },
};

export const lbAnnotationRequiresInternal: Rule = {
  id: 'lb-annotation-requires-internal',
  title: 'Internal-subnet annotation on a Service that is not internal',
  defaultSeverity: 'warning',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) =>
    model.services.flatMap((service): Finding[] => {
      const subnet = annotation(service, ANNOTATIONS.internalSubnet);
      const internal = service.annotations.get(ANNOTATIONS.internal);
      if (!subnet || (internal && !internal.known) || isInternal(service)) return [];
      return [
        {
          rule: 'lb-annotation-requires-internal',
          severity: 'warning',
          message: `${ANNOTATIONS.internalSubnet} applies only to internal load balancers: add ${ANNOTATIONS.internal}: "true", or the Service gets a public IP.`,
          source: subnet.source,
        },
      ];
    }),
};

export const loadBalancerIpDeprecated: Rule = {
  id: 'load-balancer-ip-deprecated',
  title: 'spec.loadBalancerIP is deprecated',
  defaultSeverity: 'warning',
  facts: [LOAD_BALANCER_IP_DEPRECATED],
  check: (model) =>
    model.services.flatMap((service): Finding[] => {
      const written = service.specLoadBalancerIp;
      if (!written || !written.value.known) return [];
      return [
        {
          rule: 'load-balancer-ip-deprecated',
          severity: 'warning',
          message: `spec.loadBalancerIP is deprecated in Kubernetes and cannot express dual-stack; use the annotation ${ANNOTATIONS.ipv4}: "${written.value.value}".`,
          source: written.entry,
          ...(written.toAnnotation ? { fixes: [{ title: `Move to the ${ANNOTATIONS.ipv4} annotation`, edits: written.toAnnotation }] } : {}),
        },
      ];
    }),
};

export const loadBalancerIpIgnored: Rule = {
  id: 'load-balancer-ip-ignored',
  title: 'Load balancer IP on a Service that is not of type LoadBalancer',
  defaultSeverity: 'warning',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) =>
    model.services.flatMap((service): Finding[] => {
      const ip = service.loadBalancerIp;
      if (!ip.known || isLoadBalancer(service) || (!service.type.known && !isNotSet(service.type))) return [];
      const type = service.type.known ? service.type.value : 'ClusterIP (the default)';
      return [
        {
          rule: 'load-balancer-ip-ignored',
          severity: 'warning',
          message: `Service ${service.name} is of type ${type}: its load balancer IP ${formatIp(ip.value)} is ignored. Set type: LoadBalancer, or remove the IP.`,
          source: ip.source,
        },
      ];
    }),
};

export const nodePortRange: Rule = {
  id: 'node-port-range',
  title: 'nodePort outside 30000-32767',
  defaultSeverity: 'warning',
  facts: [NODE_PORT_RANGE],
  check: (model) =>
    model.services.flatMap((service) =>
      knownValues(service.nodePorts)
        .filter((port) => port.value < NODE_PORT_RANGE.value.min || port.value > NODE_PORT_RANGE.value.max)
        .map((port) => ({
          rule: 'node-port-range',
          severity: 'warning' as const,
          message: `nodePort ${port.value} on Service ${service.name} is outside ${NODE_PORT_RANGE.value.min}-${NODE_PORT_RANGE.value.max}, the Kubernetes API server's node port range.`,
          source: port.source,
        })),
    ),
};
