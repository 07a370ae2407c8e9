// Ranges the team declared outside the workspace (.aksnetlens.yaml) must not collide with the workspace's.
import { formatCidr, overlaps } from '../cidr/cidr';
import { CONNECTED_NETWORKS_NO_OVERLAP } from '../facts';
import { clusterRanges } from '../model/queries';
import { knownValues } from '../model/source';
import { defineRule, type Reported } from './rule';

export const externalRangeOverlap = defineRule({
  id: 'external-range-overlap',
  title: 'Range overlaps a network declared in .aksnetlens.yaml',
  defaultSeverity: 'error',
  facts: [CONNECTED_NETWORKS_NO_OVERLAP],
  check: (model) => {
    const externals = model.externalRanges.flatMap((e) => (e.range.known ? [{ name: e.name, range: e.range }] : []));
    if (externals.length === 0) return [];
    const ours = [
      ...model.vnets.flatMap((vnet) => knownValues(vnet.addressSpace).map((range) => ({ label: `Address space of ${vnet.name}`, range }))),
      ...model.clusters.flatMap((cluster) => clusterRanges(cluster).map(({ label, range }) => ({ label: `${label} of cluster ${cluster.name}`, range }))),
    ];
    return ours.flatMap(({ label, range }): Reported[] =>
      externals
        .filter((external) => overlaps(external.range.value, range.value))
        .map((external) => ({
          message: `${label} ${formatCidr(range.value)} overlaps ${external.name} (${formatCidr(external.range.value)}), declared in .aksnetlens.yaml as a network this one connects to.`,
          source: range.source,
          related: [{ message: external.name, source: external.range.source }],
        })),
    );
  },
});
