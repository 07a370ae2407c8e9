// A static internal load balancer IP must be free, outside the service CIDR, inside the subnet the load balancer
// takes its frontend from, and not one of the five addresses Azure reserves there.
import { containsIp, formatCidr, formatIp, isAzureReservedAddress } from '../cidr/cidr';
import { AKS_LOAD_BALANCER_SERVICES, AZURE_RESERVED_ADDRESSES, AZURE_RESERVED_PER_SUBNET } from '../facts';
import type { KubernetesService } from '../model/network';
import { isInternal, isLoadBalancer, loadBalancerSubnet, onlyCluster } from '../model/queries';
import { knownValues } from '../model/source';
import { subnetPrefixes } from '../model/topology';
import { defineRule, type Reported } from './rule';


const NUMBER_WORDS: Readonly<Record<number, string>> = { 3: 'three', 4: 'four' };
export const lbIpOutsideSubnet = defineRule({
  id: 'lb-ip-outside-subnet',
  title: 'Static internal load balancer IP that Azure cannot assign',
  defaultSeverity: 'error',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) => {
    const cluster = onlyCluster(model);
    if (!cluster) return [];
    const findings: Reported[] = [];
    const taken = new Map<bigint, KubernetesService>();
    for (const service of model.services) {
      const ip = service.loadBalancerIp;
      if (!ip.known || !isInternal(service) || !isLoadBalancer(service)) continue;
      const report = (message: string, related: Reported['related'] = []) => findings.push({ message, source: ip.source, related });
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
      if (isAzureReservedAddress(home.prefix.value, ip.value)) {
        const { first, last } = AZURE_RESERVED_ADDRESSES.value;
        const which = `the first ${NUMBER_WORDS[Number(first)] ?? first} and the last${last === 1n ? '' : ` ${last}`}`;
        report(`${address} is one of the ${AZURE_RESERVED_PER_SUBNET.value} addresses Azure reserves in subnet ${subnet.name} (${formatCidr(home.prefix.value)}: ${which}); pick another.`, related);
      }
    }
    return findings;
  },
});
