// AKS accepts an IPv4 service CIDR smaller than a /12 (exactly /12 is not confirmed: a warning), IPv6 at most a /108.
import { type Cidr, formatCidr, overlaps } from '../cidr/cidr';
import { AKS_SERVICE_CIDR_MIN_PREFIX_V4, AKS_SERVICE_CIDR_MIN_PREFIX_V6 } from '../facts';
import type { Cluster } from '../model/network';
import { type Known, knownValues } from '../model/source';
import { freeBlock, PRIVATE_SPACES, usedRanges } from '../planner/freeSpace';
import { rangeFix } from './clusterRangeFixes';
import { defineRule, type Reported } from './rule';

/** The service range a fix shrinks, with its cluster (for the DNS service IP inside it). */
interface LargeServiceRange {
  readonly cluster: Cluster;
  readonly range: Known<Cidr>;
}

export const serviceCidrTooLarge = defineRule<LargeServiceRange>({
  id: 'service-cidr-too-large',
  title: 'Service CIDR larger than AKS accepts',
  defaultSeverity: 'error',
  facts: [AKS_SERVICE_CIDR_MIN_PREFIX_V4, AKS_SERVICE_CIDR_MIN_PREFIX_V6],
  check: (model) =>
    model.clusters.flatMap((cluster) =>
      knownValues(cluster.serviceCidrs).flatMap((range): Reported<LargeServiceRange>[] => {
        const { family, prefix } = range.value;
        const text = formatCidr(range.value);
        const minimum = family === 4 ? AKS_SERVICE_CIDR_MIN_PREFIX_V4.value : AKS_SERVICE_CIDR_MIN_PREFIX_V6.value;
        if (family === 4 && prefix === minimum) {
          return [
            {
              severity: 'warning',
              message: `Service CIDR ${text} is a /12: AKS documents that the service range must be smaller than a /12, and whether exactly /12 is accepted is not confirmed. Use /13 or smaller (for example /16).`,
              source: range.source,
              subject: { cluster, range },
            },
          ];
        }
        if (prefix >= minimum) return [];
        return [
          {
            severity: 'error',
            message:
              family === 4
                ? `Service CIDR ${text} is too large: AKS requires the IPv4 service range to be smaller than a /12. Use /13 or smaller (for example /16).`
                : `IPv6 service CIDR ${text} is too large: AKS accepts at most a /${minimum}.`,
            source: range.source,
            subject: { cluster, range },
          },
        ];
      }),
    ),
  // A /16 (IPv4): the range's own first /16 when that is free, else any free /16.
  fixes: (model, { cluster, range }) => {
    if (range.value.family !== 4) return [];
    const used = usedRanges(model, range.value);
    const own: Cidr = { family: 4, network: range.value.network, prefix: 16 };
    const block = used.some((u) => overlaps(u, own)) ? freeBlock(16, PRIVATE_SPACES, used) : own;
    return block ? [rangeFix(cluster, range, block, `Use ${formatCidr(block)} (65,536 service addresses)`)] : [];
  },
});
