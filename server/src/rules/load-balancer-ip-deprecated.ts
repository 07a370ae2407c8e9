// spec.loadBalancerIP is deprecated in Kubernetes: the fix moves it to AKS's IPv4 annotation.
import { LOAD_BALANCER_IP_DEPRECATED } from '../facts';
import type { TextEdit } from '../model/network';
import { ANNOTATIONS } from '../model/queries';
import { defineRule, type Reported } from './rule';

/** Subject: the edits that move the value to the annotation, as the reader prepared them. */
export const loadBalancerIpDeprecated = defineRule<readonly TextEdit[]>({
  id: 'load-balancer-ip-deprecated',
  title: 'spec.loadBalancerIP is deprecated',
  defaultSeverity: 'warning',
  facts: [LOAD_BALANCER_IP_DEPRECATED],
  check: (model) =>
    model.services.flatMap((service): Reported<readonly TextEdit[]>[] => {
      const written = service.specLoadBalancerIp;
      if (!written || !written.value.known) return [];
      return [
        {
          message: `spec.loadBalancerIP is deprecated in Kubernetes and cannot express dual-stack; use the annotation ${ANNOTATIONS.ipv4}: "${written.value.value}".`,
          source: written.entry,
          ...(written.toAnnotation ? { subject: written.toAnnotation } : {}),
        },
      ];
    }),
  fixes: (_model, edits) => [{ title: `Move to the ${ANNOTATIONS.ipv4} annotation`, edits }],
});
