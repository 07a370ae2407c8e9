// Kubenet and overlay give each node a /24 of the pod CIDR: the pod CIDR must hold one for every node and surge node.
import { type Cidr, formatCidr, formatCount, overlaps } from '../cidr/cidr';
import { POD_CIDR_PER_NODE_PREFIX, UPGRADE_SURGE_DEFAULT } from '../facts';
import { aksDefaultRanges } from '../capacity/defaultRanges';
import { clusterNodes, podCidrNodeRanges, type PoolNodes, totals } from '../capacity/ipDemand';
import { NETWORK_MODE_NAMES, type NetworkMode, networkModeOf } from '../capacity/networkMode';
import type { Cluster, NetworkModel } from '../model/network';
import type { Known } from '../model/source';
import { freeBlock, PRIVATE_SPACES, usedRanges } from '../planner/freeSpace';
import { replaceWith } from './fixes';
import { defineRule, type Reported } from './rule';

/** The cluster's IPv4 pod CIDRs and the prefix that would hold a /24 for every node. */
interface PodCidrShortfall {
  readonly ranges: readonly Known<Cidr>[];
  readonly prefix: number;
}

/**
 * A cluster that leaves its pod CIDR out gets AKS's default (10.244.0.0/16: 256 node ranges). Reported as a warning on
 * the network plugin, with the size to set: the default is documented, but a field the file does not write has no
 * place to fix.
 */
function defaultPodCidrFindings(model: NetworkModel, cluster: Cluster, mode: NetworkMode, pools: readonly PoolNodes[]): Reported<PodCidrShortfall>[] {
  const fallback = aksDefaultRanges(model, cluster).find((range) => range.kind === 'pod');
  if (!fallback || fallback.range.family !== 4) return [];
  const perNode = POD_CIDR_PER_NODE_PREFIX.value;
  const capacity = fallback.range.prefix <= perNode ? 2 ** (perNode - fallback.range.prefix) : 0;
  const { nodes, surge } = totals(pools);
  if (nodes + surge <= capacity) return [];
  const prefix = perNode - Math.ceil(Math.log2(nodes + surge));
  return [
    {
      severity: 'warning',
      message:
        `Cluster ${cluster.name} leaves podCidr out, so AKS uses its default ${formatCidr(fallback.range)}: ${formatCount(BigInt(capacity))} node range(s) of /${perNode}, ` +
        `but ${NETWORK_MODE_NAMES[mode]} gives each node a /${perNode} and the cluster can run ${formatCount(BigInt(nodes))} nodes + ${surge} surge = ${formatCount(BigInt(nodes + surge))}. ` +
        `Set podCidr to a /${prefix} or larger.`,
      source: cluster.networkPlugin.source ?? cluster.source,
    },
  ];
}

export const podCidrCapacity = defineRule<PodCidrShortfall>({
  id: 'pod-cidr-capacity',
  title: 'Pod CIDR too small for a /24 per node',
  defaultSeverity: 'error',
  facts: [POD_CIDR_PER_NODE_PREFIX, UPGRADE_SURGE_DEFAULT],
  check: (model) =>
    model.clusters.flatMap((cluster): Reported<PodCidrShortfall>[] => {
      const mode = networkModeOf(model, cluster);
      if (mode !== 'kubenet' && mode !== 'overlay') return [];
      const pools = clusterNodes(model, cluster);
      if (!pools) return [];
      const podRanges = podCidrNodeRanges(cluster);
      if (!podRanges) return defaultPodCidrFindings(model, cluster, mode, pools);
      const { ranges: v4, capacity } = podRanges;
      const perNode = POD_CIDR_PER_NODE_PREFIX.value;
      const { nodes, surge } = totals(pools);
      if (nodes + surge <= capacity) return [];
      return [
        {
          message:
            `Pod CIDR ${v4.map((r) => formatCidr(r.value)).join(', ')} holds ${formatCount(BigInt(capacity))} node range(s) of /${perNode}, ` +
            `but ${NETWORK_MODE_NAMES[mode]} gives each node a /${perNode} and cluster ${cluster.name} can run ${formatCount(BigInt(nodes))} nodes + ${surge} surge = ${formatCount(BigInt(nodes + surge))}.`,
          source: v4[0]!.source,
          subject: { ranges: v4, prefix: perNode - Math.ceil(Math.log2(nodes + surge)) },
        },
      ];
    }),
  // The pod CIDR grown to hold every node's /24, if that is still free; else a free block of that size.
  fixes: (model, { ranges, prefix }) => {
    const first = ranges[0]!;
    const grown: Cidr = { family: 4, network: first.value.network & ~((1n << BigInt(32 - prefix)) - 1n), prefix };
    const used = usedRanges(model, first.value);
    const block = ranges.length === 1 && prefix >= 8 ? (used.some((u) => overlaps(u, grown)) ? freeBlock(prefix, PRIVATE_SPACES, used) : grown) : undefined;
    const nodeRanges = formatCount(BigInt(2 ** (POD_CIDR_PER_NODE_PREFIX.value - prefix)));
    return block ? [replaceWith(`Use ${formatCidr(block)} (${nodeRanges} node ranges)`, first.source, formatCidr(block))] : [];
  },
});
