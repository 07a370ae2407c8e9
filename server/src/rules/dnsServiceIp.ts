// The cluster DNS service IP must be an assignable address inside the service CIDR.
import { type Cidr, containsIp, formatCidr, formatIp } from '../cidr/cidr';
import { AKS_DNS_SERVICE_IP } from '../facts';
import type { Cluster } from '../model/network';
import { knownValues } from '../model/source';
import { replaceWith } from './fixes';
import type { Finding, Rule } from './rule';

/** The .10 address of a service range, where AKS puts CoreDNS by convention. */
function conventionalDnsIp(range: Cidr): string {
  return formatIp({ family: range.family, value: range.network + 10n });
}

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
      const first = found.ranges[0];
      const suggestion = first && conventionalDnsIp(first.value);
      return [
        {
          rule: 'dns-service-ip-outside-service-cidr',
          severity: 'error',
          message: `DNS service IP ${formatIp(found.dns.value)} is not inside the service CIDR (${ranges}) of cluster ${cluster.name}.`,
          source: found.dns.source,
          related: found.ranges.map((range) => ({ message: 'service CIDR', source: range.source })),
          ...(suggestion ? { fixes: [replaceWith(`Use ${suggestion}, the .10 of the service CIDR`, found.dns.source, suggestion)] } : {}),
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
      const suggestion = conventionalDnsIp(range.value);
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
          fixes: [replaceWith(`Use ${suggestion}`, found.dns.source, suggestion)],
        },
      ];
    }),
};
