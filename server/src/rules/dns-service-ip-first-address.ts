// The cluster DNS service IP must not be the service CIDR's network address or its first address (the API server's).
import { containsIp, formatIp } from '../cidr/cidr';
import { AKS_DNS_SERVICE_IP } from '../facts';
import { replaceWith } from './fixes';
import { defineRule, type Reported } from './rule';
import { conventionalDnsIp, dnsAndServiceRanges } from './serviceDns';

/** Subject: the address to use instead (the .10 of the service range). */
export const dnsServiceIpFirstAddress = defineRule<string>({
  id: 'dns-service-ip-first-address',
  title: 'DNS service IP is a reserved address of the service CIDR',
  defaultSeverity: 'error',
  facts: [AKS_DNS_SERVICE_IP],
  check: (model) =>
    model.clusters.flatMap((cluster): Reported<string>[] => {
      const found = dnsAndServiceRanges(cluster);
      const range = found?.ranges.find((r) => containsIp(r.value, found.dns.value));
      if (!found || !range) return [];
      const offset = found.dns.value.value - range.value.network;
      if (offset > 1n) return [];
      const suggestion = conventionalDnsIp(range.value);
      const what =
        offset === 0n
          ? 'the network address of the service CIDR, which no service can use'
          : 'the first address of the service CIDR, which Kubernetes gives to the API server service (kubernetes.default)';
      return [
        {
          message: `DNS service IP ${formatIp(found.dns.value)} is ${what}. Use another address, by convention ${suggestion}.`,
          source: found.dns.source,
          related: [{ message: 'service CIDR', source: range.source }],
          subject: suggestion,
        },
      ];
    }),
  fixes: (_model, suggestion, at) => [replaceWith(`Use ${suggestion}`, at, suggestion)],
});
