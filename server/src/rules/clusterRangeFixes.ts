// Fixes that move a cluster's pod or service CIDR to a block nothing in the workspace uses, taking a DNS service IP
// inside a moved service range along (address-range-overlap, reserved-range, service-cidr-too-large).
import { type Cidr, containsIp, formatCidr, formatIp, totalAddresses } from '../cidr/cidr';
import { AKS_DNS_SERVICE_IP_OFFSET } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import type { ClusterRange } from '../model/queries';
import type { Known } from '../model/source';
import { freeBlock, PRIVATE_SPACES, usedRanges } from '../planner/freeSpace';
import { replaceWith } from './fixes';
import type { Fix } from './rule';

/** Replaces a cluster range; a DNS service IP inside a moved service range moves along, at the same offset. */
export function rangeFix(cluster: Cluster, range: Known<Cidr>, block: Cidr, title: string): Fix {
  const fix = replaceWith(title, range.source, formatCidr(block));
  const dns = cluster.dnsServiceIp;
  if (!dns.known || !containsIp(range.value, dns.value)) return fix;
  const offset = dns.value.value - range.value.network;
  // Same offset when it fits the new block (a smaller one may not hold it); else the conventional .10.
  const moved = formatIp({ family: 4, value: block.network + (offset < totalAddresses(block) ? offset : AKS_DNS_SERVICE_IP_OFFSET.value) });
  return { title: `${title}, and the DNS service IP to ${moved}`, edits: [...fix.edits, ...replaceWith('', dns.source, moved).edits] };
}

/** What a move fix needs: the cluster (for its DNS service IP) and the range to move. */
export interface RangeToMove {
  readonly cluster: Cluster;
  readonly range: ClusterRange;
}

/** A fix that moves a cluster range (pod or service CIDR) to a free block of the same size. */
export function moveRangeFix(model: NetworkModel, { cluster, range: { kind, range } }: RangeToMove): Fix[] {
  if (range.value.family !== 4) return [];
  const block = freeBlock(range.value.prefix, PRIVATE_SPACES, usedRanges(model, range.value));
  return block ? [rangeFix(cluster, range, block, `Move the ${kind} CIDR to ${formatCidr(block)}, which nothing in the workspace uses`)] : [];
}
