// Networks the cluster's are connected to must not collide with the workspace's ranges: those the team declared outside
// the workspace (.aksnetlens.yaml), and the VNets a cluster's VNet is peered with (a pod or service CIDR overlapping a
// peered address space: traffic to those addresses would stay in the cluster).
import { formatCidr, overlaps } from '../cidr/cidr';
import { CONNECTED_NETWORKS_NO_OVERLAP } from '../facts';
import type { NetworkModel } from '../model/network';
import { clusterRanges } from '../model/queries';
import { knownValues } from '../model/source';
import { vnetsOf } from '../model/topology';
import { peeredRangesOf } from './networkAround';
import { defineRule, type Reported } from './rule';

/** A cluster's pod and service CIDRs that overlap the address space of a VNet its own VNet is peered with. */
function peeredOverlaps(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  for (const cluster of model.clusters) {
    const ranges = clusterRanges(cluster);
    if (ranges.length === 0) continue;
    for (const vnet of vnetsOf(model, cluster)) {
      for (const { peering, remote, range: peered } of peeredRangesOf(model, vnet)) {
        for (const { label, range } of ranges.filter((r) => overlaps(r.range.value, peered.value))) {
          findings.push({
            message: `${label} ${formatCidr(range.value)} of cluster ${cluster.name} overlaps ${formatCidr(peered.value)}, the address space of ${remote}, which ${vnet.name} is peered with (${peering.name}): traffic to those addresses would not leave the cluster.`,
            source: range.source,
            related: [{ message: `peering ${peering.name}`, source: peering.source }],
          });
        }
      }
    }
  }
  return findings;
}

export const externalRangeOverlap = defineRule({
  id: 'external-range-overlap',
  title: 'Range overlaps a connected network (peered, or declared in .aksnetlens.yaml)',
  defaultSeverity: 'error',
  facts: [CONNECTED_NETWORKS_NO_OVERLAP],
  check: (model) => {
    const externals = model.externalRanges.flatMap((e) => (e.range.known ? [{ name: e.name, range: e.range }] : []));
    if (externals.length === 0) return peeredOverlaps(model);
    const ours = [
      ...model.vnets.flatMap((vnet) => knownValues(vnet.addressSpace).map((range) => ({ label: `Address space of ${vnet.name}`, range }))),
      ...model.clusters.flatMap((cluster) => clusterRanges(cluster).map(({ label, range }) => ({ label: `${label} of cluster ${cluster.name}`, range }))),
    ];
    return [...peeredOverlaps(model), ...ours.flatMap(({ label, range }): Reported[] =>
      externals
        .filter((external) => overlaps(external.range.value, range.value))
        .map((external) => ({
          message: `${label} ${formatCidr(range.value)} overlaps ${external.name} (${formatCidr(external.range.value)}), declared in .aksnetlens.yaml as a network this one connects to.`,
          source: range.source,
          related: [{ message: external.name, source: external.range.source }],
        })),
    )];
  },
});
