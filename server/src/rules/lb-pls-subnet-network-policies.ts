// A LoadBalancer Service that creates a Private Link Service (`azure-pls-create: "true"`) on a subnet whose
// privateLinkServiceNetworkPolicies is Enabled: the Private Link Service cannot take its NAT IPs there. The subnet is
// the one `azure-pls-ip-configuration-subnet` names in the cluster's VNets, else the load balancer's subnet. Judged only
// for the workspace's one cluster and a flag written Enabled (Terraform's private_link_service_network_policies_enabled
// = true, or v2's inverted enforce_private_link_service_network_policies = false). A subnet that leaves it out gets
// Azure's default, Enabled, but is not judged: a subnet declared in another team's files may set it there.
import { PRIVATE_LINK_SERVICE_SUBNET } from '../facts';
import type { NetworkModel } from '../model/network';
import { annotation, isLoadBalancer, privateLinkServiceSubnet, theCluster } from '../model/queries';
import { defineRule, type Reported } from './rule';

const PLS = PRIVATE_LINK_SERVICE_SUBNET.value;

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const cluster of theCluster(model)) {
    for (const service of model.services) {
      if (!isLoadBalancer(service) || annotation(service, PLS.create)?.value.toLowerCase() !== 'true') continue;
      const subnet = privateLinkServiceSubnet(model, cluster, service);
      const flag = subnet?.privateLinkServiceNetworkPolicies;
      if (!subnet || !flag?.known || flag.value === PLS.disabled) continue;
      const key = `${flag.source.uri}#${flag.source.start}|${service.source.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        message: `Subnet ${subnet.name} has privateLinkServiceNetworkPolicies ${flag.value}, but Service ${service.name} creates a Private Link Service with its NAT IPs there: set it to ${PLS.disabled}.`,
        source: flag.source,
        related: [{ message: `Service ${service.name}`, source: annotation(service, PLS.create)!.source }],
      });
    }
  }
  return findings;
}

export const lbPlsSubnetNetworkPolicies = defineRule({
  id: 'lb-pls-subnet-network-policies',
  title: 'Private Link Service subnet with network policies enabled',
  defaultSeverity: 'error',
  facts: [PRIVATE_LINK_SERVICE_SUBNET],
  check,
});
