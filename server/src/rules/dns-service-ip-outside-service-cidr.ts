// The cluster DNS service IP must lie inside the service CIDR.
import { containsIp, formatCidr, formatIp } from '../cidr/cidr';
import { AKS_DNS_SERVICE_IP } from '../facts';
import { replaceWith } from './fixes';
import { defineRule, type Reported } from './rule';
import { conventionalDnsIp, dnsAndServiceRanges } from './serviceDns';

/** Subject: the address to use instead (the .10 of the first service range). */
export const dnsServiceIpOutsideServiceCidr = defineRule<string>({
  id: 'dns-service-ip-outside-service-cidr',
  title: 'DNS service IP outside the service CIDR',
  defaultSeverity: 'error',
  facts: [AKS_DNS_SERVICE_IP],
  check: (model) =>
    model.clusters.flatMap((cluster): Reported<string>[] => {
      const found = dnsAndServiceRanges(cluster);
      if (!found || found.ranges.some((range) => containsIp(range.value, found.dns.value))) return [];
      const ranges = found.ranges.map((range) => formatCidr(range.value)).join(', ') || 'none of its address family';
      const first = found.ranges[0];
      return [
        {
          message: `DNS service IP ${formatIp(found.dns.value)} is not inside the service CIDR (${ranges}) of cluster ${cluster.name}.`,
          source: found.dns.source,
          related: found.ranges.map((range) => ({ message: 'service CIDR', source: range.source })),
          ...(first ? { subject: conventionalDnsIp(first.value) } : {}),
        },
      ];
    }),
  fixes: (_model, suggestion, at) => [replaceWith(`Use ${suggestion}, the .10 of the service CIDR`, at, suggestion)],
});
