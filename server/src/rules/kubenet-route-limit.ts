// Kubenet keeps one route per node (two dual-stack) in the subnet's route table, which holds at most 400.
import { formatCount } from '../cidr/cidr';
import { KUBENET_ROUTE_LIMIT, UPGRADE_SURGE_DEFAULT } from '../facts';
import { kubenetRoutes } from '../capacity/kubenetRoutes';
import { networkModeOf } from '../capacity/networkMode';
import { defineRule, type Reported } from './rule';

export const kubenetRouteLimit = defineRule({
  id: 'kubenet-route-limit',
  title: 'Kubenet cluster past the 400-route limit of its route table',
  defaultSeverity: 'error',
  facts: [KUBENET_ROUTE_LIMIT, UPGRADE_SURGE_DEFAULT],
  check: (model) =>
    model.clusters.flatMap((cluster): Reported[] => {
      if (networkModeOf(model, cluster) !== 'kubenet' || !cluster.networkPlugin.known) return [];
      const routes = kubenetRoutes(model, cluster);
      if (!routes || routes.total <= KUBENET_ROUTE_LIMIT.value) return [];
      const { nodes, surge, routesPerNode, nodeRoutes, ownTable } = routes;
      const own = ownTable && ownTable.routes > 0 ? `, and route table ${ownTable.name} already holds ${formatCount(BigInt(ownTable.routes))} routes of its own: ${formatCount(BigInt(routes.total))}` : '';
      return [
        {
          message:
            `Kubenet needs ${routesPerNode === 2 ? 'two routes (dual-stack)' : 'one route'} per node: cluster ${cluster.name} can run ` +
            `${formatCount(BigInt(nodes))} nodes + ${surge} surge = ${formatCount(BigInt(nodeRoutes))} routes${own}, over the ${KUBENET_ROUTE_LIMIT.value} routes a route table holds. ` +
            `Use Azure CNI Overlay for clusters this large.`,
          source: cluster.networkPlugin.source,
          ...(ownTable && ownTable.routes > 0 ? { related: ownTable.tables.map((table) => ({ message: `route table ${table.name}`, source: table.source })) } : {}),
        },
      ];
    }),
});
