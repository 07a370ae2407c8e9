// Kubenet's routes: one per node (two with dual-stack), surge included, written by AKS into the route table of the
// cluster's subnet, next to the routes already there. The one place for the count; the rule and the hover call it.
import { formatCount } from '../cidr/cidr';
import { KUBENET_ROUTE_LIMIT } from '../facts';
import type { Cluster, NetworkModel, RouteTable } from '../model/network';
import { knownValues } from '../model/source';
import { nodeSubnetsOf, routeTablesOf } from '../model/topology';
import { clusterNodes, totals } from './ipDemand';

/** A route table of the cluster's own (bring-your-own) and the routes it already holds. */
export interface OwnRouteTable {
  readonly name: string;
  readonly tables: readonly RouteTable[];
  readonly routes: number;
}

/** What a kubenet cluster's route table must hold at the cluster's largest. */
export interface KubenetRoutes {
  readonly nodes: number;
  readonly surge: number;
  readonly routesPerNode: 1 | 2;
  readonly nodeRoutes: number;
  /** The fullest route table of the node subnets whose routes are all known; none when AKS creates the table or none is known. */
  readonly ownTable: OwnRouteTable | undefined;
  /** Node routes plus the routes already in that table. */
  readonly total: number;
}

/**
 * The routes of a kubenet cluster; undefined when a pool's size is unknown. A route table attached to a node subnet
 * adds the routes it already holds, counted only when every one of them is known (a table declared outside the
 * workspace, or routes from a loop over an unknown list, add nothing: unknown is not wrong).
 */
export function kubenetRoutes(model: NetworkModel, cluster: Cluster): KubenetRoutes | undefined {
  const pools = clusterNodes(model, cluster);
  if (!pools) return undefined;
  const routesPerNode = knownValues(cluster.podCidrs).some((range) => range.value.family === 6) ? 2 : 1;
  const { nodes, surge } = totals(pools);
  const nodeRoutes = (nodes + surge) * routesPerNode;
  let ownTable: OwnRouteTable | undefined;
  for (const subnet of nodeSubnetsOf(model, cluster)) {
    if (!subnet.routeTable.known) continue;
    const name = subnet.routeTable.value;
    const tables = routeTablesOf(model, subnet);
    // A table is complete when one declaration of it is; stubs (routes whose table is declared elsewhere) are not.
    if (!tables.some((table) => table.routesComplete)) continue;
    const routes = tables.reduce((sum, table) => sum + table.routes.length, 0);
    if (!ownTable || routes > ownTable.routes) ownTable = { name, tables, routes };
  }
  return { nodes, surge, routesPerNode, nodeRoutes, ownTable, total: nodeRoutes + (ownTable?.routes ?? 0) };
}

/** "396 of 400" or "396 node routes + 5 in route table rt-x = 401 of 400" */
export function explainRoutes(routes: KubenetRoutes): string {
  const limit = KUBENET_ROUTE_LIMIT.value;
  const own = routes.ownTable;
  if (!own || own.routes === 0) return `${formatCount(BigInt(routes.total))} of ${limit}`;
  return `${formatCount(BigInt(routes.nodeRoutes))} node routes + ${formatCount(BigInt(own.routes))} in route table ${own.name} = ${formatCount(BigInt(routes.total))} of ${limit}`;
}
