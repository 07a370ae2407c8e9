// The cluster DNS service IP against its service ranges (dns-service-ip-outside-service-cidr, dns-service-ip-first-address).
import { type Cidr, formatIp, type IpAddress } from '../cidr/cidr';
import { AKS_DNS_SERVICE_IP_OFFSET } from '../facts';
import type { Cluster } from '../model/network';
import { type Known, knownValues } from '../model/source';

/** The .10 address of a service range, where AKS puts CoreDNS by convention. */
export function conventionalDnsIp(range: Cidr): string {
  return formatIp({ family: range.family, value: range.network + AKS_DNS_SERVICE_IP_OFFSET.value });
}

/** The cluster's DNS IP and its service ranges of the same family, only when all of them are known. */
export function dnsAndServiceRanges(cluster: Cluster): { dns: Known<IpAddress>; ranges: Known<Cidr>[] } | undefined {
  const dns = cluster.dnsServiceIp;
  if (!dns.known || cluster.serviceCidrs.length === 0 || cluster.serviceCidrs.some((v) => !v.known)) return undefined;
  const ranges = knownValues(cluster.serviceCidrs).filter((range) => range.value.family === dns.value.family);
  return { dns, ranges };
}
