// Capacity: subnets, pod CIDRs and route tables large enough for every node, surge node and pod.
import { formatCidr, formatCount } from '../cidr/cidr';
import {
  CNI_NODE_SUBNET_ADDRESSES,
  KUBENET_ROUTE_LIMIT,
  NODE_ONLY_SUBNET_ADDRESSES,
  POD_CIDR_PER_NODE_PREFIX,
  POD_SUBNET_DYNAMIC_BATCH,
  POD_SUBNET_STATIC_BLOCK,
  UPGRADE_SURGE_DEFAULT,
} from '../facts';
import { explainSubnetDemand, explainUsage } from '../capacity/explain';
import { clusterNodes, subnetDemands, totals } from '../capacity/ipDemand';
import { NETWORK_MODE_NAMES, networkModeOf } from '../capacity/networkMode';
import { knownValues } from '../model/source';
import type { Finding, Rule } from './rule';

export const subnetCapacity: Rule = {
  id: 'subnet-capacity',
  title: 'Subnet too small for the nodes and pods it must hold',
  defaultSeverity: 'error',
  facts: [CNI_NODE_SUBNET_ADDRESSES, NODE_ONLY_SUBNET_ADDRESSES, POD_SUBNET_DYNAMIC_BATCH, POD_SUBNET_STATIC_BLOCK, UPGRADE_SURGE_DEFAULT],
  check: (model) =>
    subnetDemands(model).flatMap((demand): Finding[] => {
      if (!demand.complete || BigInt(demand.required) <= demand.usable) return [];
      const [first] = knownValues(demand.subnet.prefixes);
      const prefixes = knownValues(demand.subnet.prefixes).map((p) => formatCidr(p.value)).join(', ');
      return [
        {
          rule: 'subnet-capacity',
          severity: 'error',
          message:
            `Subnet ${demand.subnet.name} (${prefixes}) is too small: ${explainUsage(demand)}. ` +
            `Needed by ${explainSubnetDemand(demand).join('; ')}.`,
          source: first!.source,
          related: demand.clusters.flatMap((c) => c.pools.map((p) => ({ message: `node pool ${p.nodes.pool.name}`, source: p.nodes.pool.source }))),
        },
      ];
    }),
};

export const podCidrCapacity: Rule = {
  id: 'pod-cidr-capacity',
  title: 'Pod CIDR too small for a /24 per node',
  defaultSeverity: 'error',
  facts: [POD_CIDR_PER_NODE_PREFIX, UPGRADE_SURGE_DEFAULT],
  check: (model) =>
    model.clusters.flatMap((cluster): Finding[] => {
      const mode = networkModeOf(model, cluster);
      if (mode !== 'kubenet' && mode !== 'overlay') return [];
      const pools = clusterNodes(model, cluster);
      const v4 = knownValues(cluster.podCidrs).filter((range) => range.value.family === 4);
      if (!pools || v4.length === 0 || v4.length !== cluster.podCidrs.filter((v) => !v.known || v.value.family === 4).length) return [];
      const perNode = POD_CIDR_PER_NODE_PREFIX.value;
      const capacity = v4.reduce((sum, range) => sum + (range.value.prefix <= perNode ? 2 ** (perNode - range.value.prefix) : 0), 0);
      const { nodes, surge } = totals(pools);
      if (nodes + surge <= capacity) return [];
      return [
        {
          rule: 'pod-cidr-capacity',
          severity: 'error',
          message:
            `Pod CIDR ${v4.map((r) => formatCidr(r.value)).join(', ')} holds ${formatCount(BigInt(capacity))} node range(s) of /${perNode}, ` +
            `but ${NETWORK_MODE_NAMES[mode]} gives each node a /${perNode} and cluster ${cluster.name} can run ${formatCount(BigInt(nodes))} nodes + ${surge} surge = ${formatCount(BigInt(nodes + surge))}.`,
          source: v4[0]!.source,
        },
      ];
    }),
};

export const kubenetRouteLimit: Rule = {
  id: 'kubenet-route-limit',
  title: 'Kubenet cluster past the 400-route limit of its route table',
  defaultSeverity: 'error',
  facts: [KUBENET_ROUTE_LIMIT, UPGRADE_SURGE_DEFAULT],
  check: (model) =>
    model.clusters.flatMap((cluster): Finding[] => {
      if (networkModeOf(model, cluster) !== 'kubenet' || !cluster.networkPlugin.known) return [];
      const pools = clusterNodes(model, cluster);
      if (!pools) return [];
      const dualStack = knownValues(cluster.podCidrs).some((range) => range.value.family === 6);
      const routesPerNode = dualStack ? 2 : 1;
      const { nodes, surge } = totals(pools);
      const routes = (nodes + surge) * routesPerNode;
      if (routes <= KUBENET_ROUTE_LIMIT.value) return [];
      return [
        {
          rule: 'kubenet-route-limit',
          severity: 'error',
          message:
            `Kubenet needs ${routesPerNode === 2 ? 'two routes (dual-stack)' : 'one route'} per node: cluster ${cluster.name} can run ` +
            `${formatCount(BigInt(nodes))} nodes + ${surge} surge = ${formatCount(BigInt(routes))} routes, over the ${KUBENET_ROUTE_LIMIT.value} routes a route table holds. ` +
            `Use Azure CNI Overlay for clusters this large.`,
          source: cluster.networkPlugin.source,
        },
      ];
    }),
};
