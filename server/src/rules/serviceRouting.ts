// Traffic that goes nowhere: a Service whose selector matches no workload, an Ingress backend naming no Service,
// an Ingress written in an API version clusters no longer serve.
import { INGRESS_V1BETA1_REMOVED, KUBERNETES_SERVICE_ROUTING } from '../facts';
import type { NetworkModel } from '../model/network';
import { literal } from './fixes';
import type { Finding, Rule } from './rule';

const namespaceOf = (object: { namespace: string | undefined }) => object.namespace ?? 'default';


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

export const serviceSelectorNoMatch: Rule = {
  id: 'service-selector-no-match',
  title: 'Service selector matches no workload',
  defaultSeverity: 'warning',
  facts: [KUBERNETES_SERVICE_ROUTING],
  check: (model) =>
    model.services.flatMap((service): Finding[] => {
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
          rule: 'service-selector-no-match',
          severity: 'warning',
          message: `Service ${service.name} selects ${wanted.map(([k, v]) => `${k}=${v}`).join(', ')}, which no workload of namespace ${namespace} in this file carries (${workloads.length} workload(s) there): it has no endpoints.`,
          source: selector.source,
        },
      ];
    }),
};

export const ingressBackendMissing: Rule = {
  id: 'ingress-backend-missing',
  title: 'Ingress backend names a Service or port that does not exist',
  defaultSeverity: 'warning',
  facts: [KUBERNETES_SERVICE_ROUTING],
  check: (model) => {
    if (model.services.some((s) => s.namespaceUnknown)) return [];
    return model.ingressBackends.flatMap((backend): Finding[] => {
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
            rule: 'ingress-backend-missing',
            severity: 'warning',
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
      return [
        {
          rule: 'ingress-backend-missing',
          severity: 'warning',
          message: `Ingress ${backend.name} uses port ${port.value} of Service ${name.value}, which offers ${offered.join(', ') || 'no ports'}.`,
          source: port.source,
        },
      ];
    });
  },
};

export const ingressApiDeprecated: Rule = {
  id: 'ingress-api-deprecated',
  title: 'Ingress in an API version Kubernetes no longer serves',
  defaultSeverity: 'warning',
  facts: [INGRESS_V1BETA1_REMOVED],
  check: (model) => {
    const { apiVersions, removedIn, replacement } = INGRESS_V1BETA1_REMOVED.value;
    return model.ingresses.flatMap((ingress): Finding[] => {
      const version = ingress.apiVersion;
      if (!version.known || !apiVersions.includes(version.value)) return [];
      const edits = ingress.v1SpecEdits;
      return [
        {
          rule: 'ingress-api-deprecated',
          severity: 'warning',
          message:
            `Ingress ${ingress.name} uses ${version.value}, which Kubernetes no longer serves since ${removedIn}: ` +
            `the API server rejects it. Use ${replacement}: spec.backend becomes spec.defaultBackend, serviceName/servicePort become service.name and service.port, and every path needs a pathType.`,
          source: version.source,
          ...(edits ? { fixes: [{ title: `Rewrite as ${replacement}`, edits: [{ source: version.source, newText: literal(version.source.uri, replacement) }, ...edits] }] } : {}),
        },
      ];
    });
  },
};
