// An Ingress written in an API version clusters no longer serve: the fix rewrites it as networking.k8s.io/v1.
import { INGRESS_V1BETA1_REMOVED } from '../facts';
import type { KubernetesIngress } from '../model/network';
import { literal } from './fixes';
import { defineRule, type Reported } from './rule';

const { apiVersions, removedIn, replacement } = INGRESS_V1BETA1_REMOVED.value;

/** Subject: the Ingress, whose reader prepared the edits of its spec. */
export const ingressApiDeprecated = defineRule<KubernetesIngress>({
  id: 'ingress-api-deprecated',
  title: 'Ingress in an API version Kubernetes no longer serves',
  defaultSeverity: 'warning',
  facts: [INGRESS_V1BETA1_REMOVED],
  check: (model) =>
    model.ingresses.flatMap((ingress): Reported<KubernetesIngress>[] => {
      const version = ingress.apiVersion;
      if (!version.known || !apiVersions.includes(version.value)) return [];
      return [
        {
          message:
            `Ingress ${ingress.name} uses ${version.value}, which Kubernetes no longer serves since ${removedIn}: ` +
            `the API server rejects it. Use ${replacement}: spec.backend becomes spec.defaultBackend, serviceName/servicePort become service.name and service.port, and every path needs a pathType.`,
          source: version.source,
          subject: ingress,
        },
      ];
    }),
  fixes: (_model, ingress, at) =>
    ingress.v1SpecEdits ? [{ title: `Rewrite as ${replacement}`, edits: [{ source: at, newText: literal(at.uri, replacement) }, ...ingress.v1SpecEdits] }] : [],
});
