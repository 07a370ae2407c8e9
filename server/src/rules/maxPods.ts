// maxPods within AKS's limits: 10 to 250, 10 only when each pool holds 30 pods, 110 on Windows.
import { MAX_PODS_RANGE, MAX_PODS_WINDOWS } from '../facts';
import { minNodes } from '../capacity/ipDemand';
import { replaceWith } from './fixes';
import type { Finding, Rule } from './rule';

export const maxPodsRange: Rule = {
  id: 'max-pods-range',
  title: 'maxPods outside the range AKS accepts',
  defaultSeverity: 'error',
  facts: [MAX_PODS_RANGE],
  check: (model) =>
    model.nodePools.flatMap((pool): Finding[] => {
      const written = pool.maxPods;
      if (!written.known) return [];
      const { min, max, minPodsPerPool } = MAX_PODS_RANGE.value;
      const maxPods = written.value;
      const nodes = minNodes(pool);
      const report = (message: string, severity: Finding['severity'] = 'error'): Finding[] => {
        // The nearest value AKS accepts: inside 10-250 and enough for 30 pods on the pool's fewest nodes.
        const floor = Math.max(min, nodes ? Math.ceil(minPodsPerPool / Math.max(nodes, 1)) : min);
        const nearest = Math.min(max, Math.max(floor, maxPods));
        return [{ rule: 'max-pods-range', severity, message, source: written.source, fixes: [replaceWith(`Set maxPods to ${nearest}`, written.source, nearest)] }];
      };
      if (maxPods < min || maxPods > max) {
        return report(`maxPods ${maxPods} on node pool ${pool.name} is outside the ${min}-${max} range AKS accepts for every network plugin.`);
      }
      if (nodes !== undefined && nodes * maxPods < minPodsPerPool) {
        // Whether AKS counts an autoscaled pool at its minimum is not documented: warn there, error on a fixed count.
        const autoscaled = pool.enableAutoScaling.known && pool.enableAutoScaling.value;
        return report(
          `Node pool ${pool.name} can hold only ${nodes * maxPods} pods (${nodes} node(s)${autoscaled ? ' at the autoscaler minimum' : ''} x maxPods ${maxPods}); ` +
            `AKS requires every pool to hold at least ${minPodsPerPool}. Raise maxPods to ${Math.ceil(minPodsPerPool / Math.max(nodes, 1))} or run more nodes.`,
          autoscaled ? 'warning' : 'error',
        );
      }
      return [];
    }),
};

export const maxPodsWindows: Rule = {
  id: 'max-pods-windows',
  title: 'More than 110 pods per node on a Windows pool',
  defaultSeverity: 'warning',
  facts: [MAX_PODS_WINDOWS],
  check: (model) =>
    model.nodePools.flatMap((pool): Finding[] => {
      if (!pool.maxPods.known || !pool.osType.known || pool.osType.value.toLowerCase() !== 'windows') return [];
      if (pool.maxPods.value <= MAX_PODS_WINDOWS.value) return [];
      return [
        {
          rule: 'max-pods-windows',
          severity: 'warning',
          message: `Windows node pool ${pool.name} has maxPods ${pool.maxPods.value}; ${MAX_PODS_WINDOWS.value} is the recommended maximum for Windows Server nodes.`,
          source: pool.maxPods.source,
          fixes: [replaceWith(`Set maxPods to ${MAX_PODS_WINDOWS.value}`, pool.maxPods.source, MAX_PODS_WINDOWS.value)],
        },
      ];
    }),
};
