// The ranges AKS gives a cluster that leaves its service or pod CIDR out: the one place rules, hovers and free-space
// searches learn them from (values in facts.ts, AKS_DEFAULT_RANGES).
import { type Cidr, cidr, type IpAddress, parseIp } from '../cidr/cidr';
import { AKS_DEFAULT_RANGES } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import { networkModeOf } from './networkMode';

/** A range AKS picks for a cluster because the cluster does not set it. */
export interface DefaultRange {
  readonly kind: 'service' | 'pod';
  /** "Service CIDR", "Pod CIDR": what messages call it. */
  readonly label: string;
  readonly range: Cidr;
  /** The DNS service IP AKS picks with the default service range. */
  readonly dnsServiceIp?: IpAddress;
}

const SERVICE = cidr(AKS_DEFAULT_RANGES.value.serviceCidr);
const POD = cidr(AKS_DEFAULT_RANGES.value.podCidr);
const DNS = parseIp(AKS_DEFAULT_RANGES.value.dnsServiceIp);

/**
 * The default ranges of a cluster: the service range when no service CIDR is written, the pod range when no pod CIDR
 * is written and the network mode takes one (kubenet, overlay). A written range that cannot be evaluated is not "not
 * written": it gets no default. Cluster API clusters get none here: their ranges live in the CAPI Cluster, which the
 * workspace may not hold, so an empty list there is unknown rather than unset.
 */
export function aksDefaultRanges(model: NetworkModel, cluster: Cluster): DefaultRange[] {
  if (cluster.key.startsWith('capz:')) return [];
  const ranges: DefaultRange[] = [];
  if (cluster.serviceCidrs.length === 0) {
    ranges.push({ kind: 'service', label: 'Service CIDR', range: SERVICE, ...(DNS.ok ? { dnsServiceIp: DNS.ip } : {}) });
  }
  const mode = networkModeOf(model, cluster);
  if (cluster.podCidrs.length === 0 && (mode === 'kubenet' || mode === 'overlay')) ranges.push({ kind: 'pod', label: 'Pod CIDR', range: POD });
  return ranges;
}
