// The subnet an internal load balancer Service names must be a subnet of the cluster's virtual network.
import { AKS_LOAD_BALANCER_SERVICES } from '../facts';
import { ANNOTATIONS, annotation, onlyCluster } from '../model/queries';
import { subnetsOfVnet, vnetsOf } from '../model/topology';
import { defineRule, type Reported } from './rule';

export const lbSubnetNotFound = defineRule({
  id: 'lb-subnet-not-found',
  title: 'Internal load balancer subnet not in the cluster virtual network',
  defaultSeverity: 'warning',
  facts: [AKS_LOAD_BALANCER_SERVICES],
  check: (model) => {
    const cluster = onlyCluster(model);
    const vnets = cluster ? vnetsOf(model, cluster) : [];
    if (!cluster || vnets.length === 0) return [];
    return model.services.flatMap((service): Reported[] => {
      const named = annotation(service, ANNOTATIONS.internalSubnet);
      if (!named || named.value === '') return [];
      const names = vnets.flatMap((vnet) => subnetsOfVnet(model, vnet)).map((s) => s.name);
      if (names.includes(named.value)) return [];
      return [
        {
          message: `Subnet ${named.value} is not a subnet of ${vnets.map((v) => v.name).join(', ')}, the virtual network of cluster ${cluster.name} (subnets: ${names.join(', ') || 'none'}).`,
          source: named.source,
        },
      ];
    });
  },
});
