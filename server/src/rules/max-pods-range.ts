// maxPods within AKS's limits: 10 to 250, and at least 30 pods per pool (graded: a warning for an autoscaled pool,
// where AKS's count is not documented); in static block mode, info for a maxPods that leaves part of its last /28
// block unused.
import { MAX_PODS_RANGE, POD_SUBNET_STATIC_BLOCK } from '../facts';
import type { NodePool } from '../model/network';
import { minNodes } from '../capacity/ipDemand';
import { replaceWith } from './fixes';
import { defineRule, type Reported, type Severity } from './rule';
import { isValue } from '../model/enums';

const isStaticBlock = (pool: NodePool) => isValue(pool.podIpAllocationMode, 'StaticBlock');

/** In static block mode each node takes ceil((maxPods + 1) / 16) whole blocks: 16n - 1 pods use them fully. */
function wholeBlockMaxPods(maxPods: number, direction: 'down' | 'up'): number {
  const block = POD_SUBNET_STATIC_BLOCK.value;
  const blocks = direction === 'up' ? Math.ceil((maxPods + 1) / block) : Math.floor((maxPods + 1) / block);
  return blocks * block - 1;
}

/** The static-block value in AKS's range nearest to a wanted maxPods, never below what the pool needs. */
function nearestWholeBlock(wanted: number, floor: number): number {
  const { max } = MAX_PODS_RANGE.value;
  const up = wholeBlockMaxPods(Math.max(wanted, floor), 'up');
  return up <= max ? up : wholeBlockMaxPods(max, 'down');
}

/** The maxPods values a fix offers; `wholeBlocks` when they are offered for using static blocks fully. */
interface MaxPodsChoice {
  readonly values: readonly number[];
  readonly wholeBlocks: boolean;
}

export const maxPodsRange = defineRule<MaxPodsChoice>({
  id: 'max-pods-range',
  title: 'maxPods outside the range AKS accepts',
  defaultSeverity: 'error',
  facts: [MAX_PODS_RANGE, POD_SUBNET_STATIC_BLOCK],
  check: (model) =>
    model.nodePools.flatMap((pool): Reported<MaxPodsChoice>[] => {
      const written = pool.maxPods;
      if (!written.known) return [];
      const { min, max, minPodsPerPool } = MAX_PODS_RANGE.value;
      const maxPods = written.value;
      const nodes = minNodes(pool);
      const report = (message: string, severity: Severity = 'error'): Reported<MaxPodsChoice>[] => {
        // The nearest value AKS accepts: inside 10-250 and enough for 30 pods on the pool's fewest nodes.
        const floor = Math.max(min, nodes ? Math.ceil(minPodsPerPool / Math.max(nodes, 1)) : min);
        const inRange = Math.min(max, Math.max(floor, maxPods));
        const nearest = isStaticBlock(pool) ? nearestWholeBlock(inRange, floor) : inRange;
        return [{ severity, message, source: written.source, subject: { values: [nearest], wholeBlocks: false } }];
      };
      if (maxPods < min || maxPods > max) {
        return report(`maxPods ${maxPods} on node pool ${pool.name} is outside the ${min}-${max} range AKS accepts for every network plugin.`);
      }
      // The 30-pod rule is what lets maxPods go below 30 (aks-facts MAXPODS_MIN_10_RULE): a pool at 30 or more, or one
      // scaled to zero nodes (a user pool may be), is not held to it.
      if (maxPods < minPodsPerPool && nodes !== undefined && nodes > 0 && nodes * maxPods < minPodsPerPool) {
        // Whether AKS counts an autoscaled pool at its minimum is not documented: warn there, error on a fixed count.
        const autoscaled = pool.enableAutoScaling.known && pool.enableAutoScaling.value;
        return report(
          `Node pool ${pool.name} can hold only ${nodes * maxPods} pods (${nodes} node(s)${autoscaled ? ' at the autoscaler minimum' : ''} x maxPods ${maxPods}); ` +
            `AKS requires every pool to hold at least ${minPodsPerPool}. Raise maxPods to ${Math.ceil(minPodsPerPool / Math.max(nodes, 1))} or run more nodes.`,
          autoscaled ? 'warning' : 'error',
        );
      }
      const fuller = wholeBlockMaxPods(maxPods, 'up');
      if (isStaticBlock(pool) && fuller !== maxPods) {
        const block = POD_SUBNET_STATIC_BLOCK.value;
        const blocks = Math.ceil((maxPods + 1) / block);
        const options = [...new Set([fuller, wholeBlockMaxPods(maxPods, 'down')])].filter((value) => value >= min && value <= max);
        return [
          {
            severity: 'info',
            message:
              `Static block allocation gives each node of pool ${pool.name} ${blocks} /${32 - Math.log2(block)} block(s) (${blocks * block} addresses) for maxPods ${maxPods} + 1, ` +
              `so ${fuller - maxPods} address(es) per node stay unused. maxPods ${fuller} uses the same blocks fully (${block}n - 1).`,
            source: written.source,
            subject: { values: options, wholeBlocks: true },
          },
        ];
      }
      return [];
    }),
  fixes: (_model, { values, wholeBlocks }, at) =>
    values.map((value) =>
      replaceWith(
        wholeBlocks ? `Set maxPods to ${value} (${Math.ceil((value + 1) / POD_SUBNET_STATIC_BLOCK.value)} whole blocks)` : `Set maxPods to ${value}`,
        at,
        value,
      ),
    ),
});
