// Ranges Azure forbids in a virtual network, and ranges AKS reserves for itself, must not be used.
import { type Cidr, cidr, containsCidr, formatCidr, overlaps, sameCidr } from '../cidr/cidr';
import { AKS_RESERVED_RANGES, AZURE_VNET_FORBIDDEN_RANGES } from '../facts';
import { clusterRanges } from '../model/queries';
import { type Known, knownValues } from '../model/source';
import { subnetPrefixes, vnetOf, vnetsOf } from '../model/topology';
import { moveRangeFix, type RangeToMove } from './clusterRangeFixes';
import { defineRule, type Reported } from './rule';

interface ForbiddenList {
  ranges: { range: Cidr; why: string }[];
  owner: string;
}

const azureForbidden: ForbiddenList = {
  ranges: AZURE_VNET_FORBIDDEN_RANGES.value.map((r) => ({ range: cidr(r.cidr), why: r.why })),
  owner: 'Azure does not allow it in a virtual network',
};
const aksReserved: ForbiddenList = {
  ranges: AKS_RESERVED_RANGES.value.map((r) => ({ range: cidr(r.cidr), why: r.why })),
  owner: 'AKS does not allow it for pod, service or cluster VNet ranges',
};

/** Subject: a cluster's pod or service CIDR, which a fix moves to free space (VNet ranges get no fix). */
export const reservedRange = defineRule<RangeToMove>({
  id: 'reserved-range',
  title: 'Range overlaps addresses that Azure or AKS reserve',
  defaultSeverity: 'error',
  facts: [AZURE_VNET_FORBIDDEN_RANGES, AKS_RESERVED_RANGES],
  check: (model) => {
    const findings = new Map<string, Reported<RangeToMove>>();
    const check = (label: string, range: Known<Cidr>, list: ForbiddenList, move?: RangeToMove) => {
      const hits = list.ranges.filter((f) => overlaps(f.range, range.value));
      // One finding per written range, even when it breaks both lists.
      const key = `${range.source.uri}:${range.source.start}`;
      if (hits.length === 0 || findings.has(key)) return;
      const relation =
        hits.length > 1 ? 'overlaps' : sameCidr(hits[0]!.range, range.value) ? 'is' : containsCidr(hits[0]!.range, range.value) ? 'lies inside' : 'overlaps';
      const named = hits.map((f) => `${formatCidr(f.range)} (${f.why})`).join(' and ');
      findings.set(key, { message: `${label} ${formatCidr(range.value)} ${relation} ${named}; ${list.owner}.`, source: range.source, ...(move ? { subject: move } : {}) });
    };
    for (const vnet of model.vnets) {
      for (const space of knownValues(vnet.addressSpace)) check(`Address space of ${vnet.name}`, space, azureForbidden);
    }
    for (const { subnet, prefix } of subnetPrefixes(model.subnets.filter((s) => !vnetOf(model, s)))) {
      check(`Subnet ${subnet.name}`, prefix, azureForbidden);
    }
    for (const cluster of model.clusters) {
      for (const range of clusterRanges(cluster)) {
        if (aksReserved.ranges.some((f) => overlaps(f.range, range.range.value))) check(range.label, range.range, aksReserved, { cluster, range });
      }
      for (const vnet of vnetsOf(model, cluster)) {
        for (const space of knownValues(vnet.addressSpace)) check(`Address space of ${vnet.name}`, space, aksReserved);
      }
    }
    return [...findings.values()];
  },
  fixes: moveRangeFix,
});
