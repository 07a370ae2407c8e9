// A load balancer IP on a Service that is not of type LoadBalancer does nothing.
import { formatIp } from '../cidr/cidr';
import { AKS_LOAD_BALANCER_SERVICES } from '../facts';
import { isLoadBalancer } from '../model/queries';
import { isNotSet } from '../model/source';
import { defineRule, type Reported } from './rule';

export const loadBalancerIpIgnored = defineRule({
  id: 'load-balancer-ip-ignored',
  title: 'Load balancer IP on a Service that is not of type LoadBalancer',
  defaultSeverity: 'warning',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) =>
    model.services.flatMap((service): Reported[] => {
      const ip = service.loadBalancerIp;
      if (!ip.known || isLoadBalancer(service) || (!service.type.known && !isNotSet(service.type))) return [];
      const type = service.type.known ? service.type.value : 'ClusterIP (the default)';
      return [
        {
          message: `Service ${service.name} is of type ${type}: its load balancer IP ${formatIp(ip.value)} is ignored. Set type: LoadBalancer, or remove the IP.`,
          source: ip.source,
        },
      ];
    }),
});
