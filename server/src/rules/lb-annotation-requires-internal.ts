// The internal-subnet annotation means nothing on a Service that does not ask for an internal load balancer.
import { AKS_LOAD_BALANCER_SERVICES } from '../facts';
import { ANNOTATIONS, annotation, isInternal } from '../model/queries';
import { defineRule, type Reported } from './rule';

export const lbAnnotationRequiresInternal = defineRule({
  id: 'lb-annotation-requires-internal',
  title: 'Internal-subnet annotation on a Service that is not internal',
  defaultSeverity: 'warning',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) =>
    model.services.flatMap((service): Reported[] => {
      const subnet = annotation(service, ANNOTATIONS.internalSubnet);
      const internal = service.annotations.get(ANNOTATIONS.internal);
      if (!subnet || (internal && !internal.known) || isInternal(service)) return [];
      return [
        {
          message: `${ANNOTATIONS.internalSubnet} applies only to internal load balancers: add ${ANNOTATIONS.internal}: "true", or the Service gets a public IP.`,
          source: subnet.source,
        },
      ];
    }),
});
