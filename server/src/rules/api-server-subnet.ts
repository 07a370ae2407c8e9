// API server VNet integration on a subnet of one's own (apiServerAccessProfile.subnetId) that is not delegated to
// Microsoft.ContainerService/managedClusters, or smaller than /28: AKS rejects the cluster. Judged only when VNet
// integration is enabled and the subnet, its delegations and its prefix are known.
import { formatCidr } from '../cidr/cidr';
import { AKS_API_SERVER_SUBNET } from '../facts';
import type { NetworkModel } from '../model/network';
import { resolveSubnet } from '../model/topology';
import { isDelegatedTo, onlyPrefix } from './networkAround';
import { defineRule, type Reported } from './rule';

const API = AKS_API_SERVER_SUBNET.value;

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  for (const cluster of model.clusters) {
    const access = cluster.apiServerAccess;
    if (!access?.enableVnetIntegration.known || !access.enableVnetIntegration.value || !access.subnet) continue;
    const subnet = resolveSubnet(model, access.subnet);
    if (!subnet) continue;
    const related = [{ message: `cluster ${cluster.name}'s API server subnet`, source: access.subnet.source }];
    if (isDelegatedTo(subnet, API.delegation) === false) {
      findings.push({
        message: `Subnet ${subnet.name}, the API server subnet of cluster ${cluster.name} (VNet integration), is not delegated to ${API.delegation}.`,
        source: access.subnet.source,
        related: [{ message: `subnet ${subnet.name}`, source: subnet.source }],
      });
    }
    const prefix = onlyPrefix(subnet);
    if (prefix && prefix.value.prefix > API.minimumPrefix) {
      findings.push({
        message: `Subnet ${subnet.name} (${formatCidr(prefix.value)}), the API server subnet of cluster ${cluster.name}, is smaller than the /${API.minimumPrefix} API server VNet integration needs (it reserves at least ${API.reservedIps} IPs).`,
        source: prefix.source,
        related,
      });
    }
  }
  return findings;
}

export const apiServerSubnet = defineRule({
  id: 'api-server-subnet',
  title: `API server VNet integration subnet not delegated or smaller than /${API.minimumPrefix}`,
  defaultSeverity: 'error',
  facts: [AKS_API_SERVER_SUBNET],
  check,
});
