// An Ingress backend must name a Service its file declares in its namespace, and a port that Service offers.
import { KUBERNETES_SERVICE_ROUTING } from '../facts';
import { namespaceOf } from '../model/queries';
import { defineRule, type Reported } from './rule';

export const ingressBackendMissing = defineRule({
  id: 'ingress-backend-missing',
  title: 'Ingress backend names a Service or port that does not exist',
  defaultSeverity: 'warning',
  facts: [KUBERNETES_SERVICE_ROUTING],
  check: (model) => {
    if (model.services.some((s) => s.namespaceUnknown)) return [];
    return model.ingressBackends.flatMap((backend): Reported[] => {
      const name = backend.serviceName;
      if (backend.kind !== 'Ingress' || !name.known || backend.namespaceUnknown) return [];
      const namespace = namespaceOf(backend);
      const services = model.services.filter((s) => namespaceOf(s) === namespace && s.source.uri === backend.source.uri);
      // Judged only where the Ingress's file declares Services of its namespace (others may be deployed elsewhere).
      if (services.length === 0) return [];
      const service = services.find((s) => s.name === name.value);
      if (!service) {
        return [
          {
            message: `Ingress ${backend.name} sends traffic to Service ${name.value}, which this file does not declare in namespace ${namespace} (it declares ${services.map((s) => s.name).join(', ')}).`,
            source: name.source,
          },
        ];
      }
      const port = backend.servicePort;
      if (!port.known || service.ports.some((p) => !p.port.known)) return [];
      const found = service.ports.some((p) => (typeof port.value === 'number' ? p.port.known && p.port.value === port.value : p.name === port.value));
      if (found) return [];
      const offered = service.ports.map((p) => (p.name ? `${p.name} (${p.port.known ? p.port.value : '?'})` : String(p.port.known ? p.port.value : '?')));
      return [{ message: `Ingress ${backend.name} uses port ${port.value} of Service ${name.value}, which offers ${offered.join(', ') || 'no ports'}.`, source: port.source }];
    });
  },
});
