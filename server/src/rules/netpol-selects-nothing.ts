// A NetworkPolicy whose podSelector selects none of the workloads its file declares in its namespace has no effect.
import { NETWORK_POLICY_SELECTION } from '../facts';
import { describeSelector } from '../flows/labels';
import { namespaceOf } from '../model/queries';
import { listed, selectsNone, workloadsByFile } from './fileWorkloads';
import { defineRule, type Reported } from './rule';

export const netpolSelectsNothing = defineRule({
  id: 'netpol-selects-nothing',
  title: 'NetworkPolicy selects no workload of its namespace',
  defaultSeverity: 'warning',
  facts: [NETWORK_POLICY_SELECTION],
  check(model) {
    const workloadsIn = workloadsByFile(model);
    return model.policies.flatMap((policy): Reported[] => {
      if (policy.namespaceUnknown || !policy.podSelector.known) return [];
      const workloads = workloadsIn(policy.source.uri);
      const namespace = namespaceOf(policy);
      const selector = policy.podSelector.value;
      if (!selectsNone(workloads, [namespace], selector)) return [];
      const count = workloads.byNamespace.get(namespace)!.length;
      return [
        {
          message:
            `NetworkPolicy ${policy.name} selects no pod: none of the ${count} workload(s) in ${listed([namespace])} in this file has labels ` +
            `matching ${describeSelector(selector)}, so the policy has no effect. Check the labels against the pod templates.`,
          source: policy.podSelector.source,
        },
      ];
    });
  },
});
