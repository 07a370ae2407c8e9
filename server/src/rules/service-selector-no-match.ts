// A Service whose selector matches no workload of its namespace in its own file has no endpoints.
import { KUBERNETES_SERVICE_ROUTING } from '../facts';
import type { NetworkModel } from '../model/network';
import { namespaceOf } from '../model/queries';
import { defineRule, type Reported } from './rule';

/**
 * The workloads of a namespace in the same file as the object, or undefined when some workload's namespace
 * cannot be evaluated (it might be there). Workloads in other files are treated as unknown: the objects of one
 * namespace are often deployed from several places (folders, repositories, Helm charts), and a Service whose
 * pods live elsewhere is not wrong.
 */
function workloadsIn(model: NetworkModel, namespace: string, uri: string) {
  if (model.workloads.some((w) => w.namespaceUnknown)) return undefined;
  return model.workloads.filter((w) => namespaceOf(w) === namespace && w.source.uri === uri);
}

export const serviceSelectorNoMatch = defineRule({
  id: 'service-selector-no-match',
  title: 'Service selector matches no workload',
  defaultSeverity: 'warning',
  facts: [KUBERNETES_SERVICE_ROUTING],
  check: (model) =>
    model.services.flatMap((service): Reported[] => {
      const selector = service.selector;
      if (!selector.known || selector.value.size === 0 || service.namespaceUnknown) return [];
      const namespace = namespaceOf(service);
      const workloads = workloadsIn(model, namespace, service.source.uri);
      // Judged only where the Service's file declares workloads of its namespace.
      if (!workloads || workloads.length === 0) return [];
      const wanted = [...selector.value];
      const mayMatch = workloads.some((w) =>
        wanted.every(([key, value]) => {
          const label = w.labels.get(key);
          return label !== undefined && (!label.known || label.value === value);
        }),
      );
      if (mayMatch) return [];
      return [
        {
          message: `Service ${service.name} selects ${wanted.map(([k, v]) => `${k}=${v}`).join(', ')}, which no workload of namespace ${namespace} in this file carries (${workloads.length} workload(s) there): it has no endpoints.`,
          source: selector.source,
        },
      ];
    }),
});
