// The workspace's cluster as Cilium rules see it (cilium-ipblock-cluster-range, cilium-cidr-cluster-range,
// cilium-policy-not-cilium-dataplane): its dataplane, and which of its pod and node ranges a set of addresses reaches.
import type { Cidr } from '../cidr/cidr';
import { cidrInterval, intervalsOverlap, ipBlockIntervals } from '../flows/ipBlocks';
import type { Cluster, NetworkModel } from '../model/network';
import { podAndNodeRanges, theCluster } from '../model/queries';
import type { Known, Value } from '../model/source';
import { isValue } from '../model/enums';

const dataplaneIs = (cluster: Cluster, cilium: boolean): boolean =>
  cluster.networkDataplane.known && isValue(cluster.networkDataplane, 'cilium') === cilium;

/** The workspace's cluster (once per environment) where its networkDataplane is written as cilium. */
export function ciliumClusters(model: NetworkModel): readonly Cluster[] {
  return theCluster(model).filter((cluster) => dataplaneIs(cluster, true));
}

/** The workspace's cluster (once per environment) where its networkDataplane is written and is not cilium. */
export function otherDataplaneClusters(model: NetworkModel): readonly Cluster[] {
  return theCluster(model).filter((cluster) => dataplaneIs(cluster, false));
}

export interface ClusterRangeHit {
  readonly cluster: Cluster;
  readonly label: string;
  readonly range: Known<Cidr>;
}

/**
 * The pod and node ranges of the clusters that a CIDR minus its except blocks reaches; [] when the CIDR or an except
 * block is not known.
 */
export function clusterRangesReached(model: NetworkModel, clusters: readonly Cluster[], cidr: Value<Cidr>, except: readonly Value<Cidr>[]): ClusterRangeHit[] {
  if (!cidr.known || except.some((block) => !block.known)) return [];
  const selected = ipBlockIntervals(cidr.value, except.flatMap((block) => (block.known ? [block.value] : [])));
  return clusters.flatMap((cluster) =>
    podAndNodeRanges(model, cluster)
      .filter(({ range }) => intervalsOverlap(selected, [cidrInterval(range.value)]))
      .map((range) => ({ cluster, ...range })),
  );
}
