// Windows Server nodes are recommended at most MAX_PODS_WINDOWS pods each.
import { MAX_PODS_WINDOWS } from '../facts';
import { replaceWith } from './fixes';
import { defineRule, type Reported } from './rule';
import { isValue } from '../model/enums';

/** Subject: the maxPods to set, the recommended maximum. */
export const maxPodsWindows = defineRule<number>({
  id: 'max-pods-windows',
  title: `More than ${MAX_PODS_WINDOWS.value} pods per node on a Windows pool`,
  defaultSeverity: 'warning',
  facts: [MAX_PODS_WINDOWS],
  check: (model) =>
    model.nodePools.flatMap((pool): Reported<number>[] => {
      if (!pool.maxPods.known || !isValue(pool.osType, 'Windows')) return [];
      if (pool.maxPods.value <= MAX_PODS_WINDOWS.value) return [];
      return [
        {
          message: `Windows node pool ${pool.name} has maxPods ${pool.maxPods.value}; ${MAX_PODS_WINDOWS.value} is the recommended maximum for Windows Server nodes.`,
          source: pool.maxPods.source,
          subject: MAX_PODS_WINDOWS.value,
        },
      ];
    }),
  fixes: (_model, maxPods, at) => [replaceWith(`Set maxPods to ${maxPods}`, at, maxPods)],
});
