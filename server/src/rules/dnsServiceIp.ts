// The cluster DNS service IP must be an assignable address inside the service CIDR.
import { containsIp, formatCidr, formatIp } from '../cidr/cidr';
import { AKS_DNS_SERVICE_IP } from '../facts';
import type { Cluster } from '../model/network';
import { knownValues } from '../model/source';
import type { Finding, Rule } from './rule';

/** The cluster's DNS IP and its service ranges of the same family, only when all of them are known. */
function dnsAndServiceRanges(cluster: Cluster) {
  const dns = cluster.dnsServiceIp;
  if (!dns.known || cluster.serviceCidrs.length === 0 || cluster.serviceCidrs.some((v) => !v.known)) return undefined;
  const ranges = knownValues(cluster.serviceCidrs).filter((range) => range.value.family === dns.value.family);
  return { dns, ranges };
}

export const dnsServiceIpOutsideServiceCidr: Rule = {
  id: 'dns-service-ip-outside-service-cidr',
  title: 'DNS service IP outside the service CIDR',
  defaultSeverity: 'error',
  facts: [AKS_DNS_SERVICE_IP],
  check: (model) =>
    model.clusters.flatMap((cluster): Finding[] => {
      const found = dnsAndServiceRanges(cluster);
      if (!found || found.ranges.some((range) => containsIp(range.value, found.dns.value))) return [];
      const ranges = found.ranges.map((range) => formatCidr(range.value)).join(', ') || 'none of its address family';
      return [
        {
          rule: 'dns-service-ip-outside-service-cidr',
          severity: 'error',
          message: `DNS service IP ${formatIp(found.dns.value)} is not inside the service CIDR (${ranges}) of cluster ${cluster.name}.`,
          source: found.dns.source,
          related: found.ranges.map((range) => ({ message: 'service CIDR', source: range.source })),
        },
      ];
    }),
};

export const dnsServiceIpFirstAddress: Rule = {
  id: 'dns-service-ip-first-address',
  title: 'DNS service IP is a reserved address of the service CIDR',
  defaultSeverity: 'error',
  facts: [AKS_DNS_SERVICE_IP],
  check: (model) =>
    model.clusters.flatMap((cluster): Finding[] => {
      const found = dnsAndServiceRanges(cluster);
      const range = found?.ranges.find((r) => containsIp(r.value, found.dns.value));
      if (!found || !range) return [];
      const offset = found.dns.value.value - range.value.network;
      if (offset > 1n) return [];
      const suggestion = formatIp({ family: range.value.family, value: range.value.network + 10n });
      const what =
        offset === 0n
          ? 'the network address of the service CIDR, which no service can use'
          : 'the first address of the service CIDR, which Kubernetes gives to the API server service (kubernetes.default)';
      return [
        {
          rule: 'dns-service-ip-first-address',
          severity: 'error',
          message: `DNS service IP ${formatIp(found.dns.value)} is ${what}. Use another address, by convention ${suggestion}.`,
          source: found.dns.source,
          related: [{ message: 'service CIDR', source: range.source }],
        },
      ];
    }),
};
