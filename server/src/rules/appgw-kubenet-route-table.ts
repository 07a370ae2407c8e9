// A kubenet cluster with the Application Gateway Ingress Controller add-on driving a gateway of the workspace, whose
// subnet is not associated with the route table the cluster's node subnets use: the gateway reaches pods only through
// the routes AKS writes into that table. Judged only where the node subnets' route table is written (one the files
// declare by name; a table AKS creates itself is not in the files) and the gateway's subnets and their route tables are
// known. A warning: AGIC tries to associate the table itself, which works when it has the permission.
import { AGIC_KUBENET_ROUTE_TABLE } from '../facts';
import type { NetworkModel, Subnet } from '../model/network';
import { isNotSet } from '../model/source';
import { nodeSubnetsOf, resolveSubnet } from '../model/topology';
import { defineRule, type Reported } from './rule';

const KUBENET = AGIC_KUBENET_ROUTE_TABLE.value.plugin;

function check(model: NetworkModel): Reported[] {
  const findings: Reported[] = [];
  const seen = new Set<string>();
  for (const cluster of model.clusters) {
    const addon = cluster.ingressApplicationGateway;
    if (!addon || !addon.enabled.known || !addon.enabled.value || !addon.gateway.known) continue;
    if (!cluster.networkPlugin.known || cluster.networkPlugin.value.toLowerCase() !== KUBENET) continue;
    const gatewayName = addon.gateway.value;
    const gateways = model.applicationGateways.filter((gateway) => gateway.name === gatewayName);
    if (gateways.length !== 1) continue;
    const gateway = gateways[0]!;
    if (gateway.subnetUnknown || gateway.subnets.length === 0) continue;
    const gatewaySubnets = gateway.subnets.map((reference) => resolveSubnet(model, reference));
    if (gatewaySubnets.some((subnet) => !subnet)) continue;
    const nodeSubnets = nodeSubnetsOf(model, cluster);
    const tables = nodeSubnets.map((subnet) => subnet.routeTable);
    if (nodeSubnets.length === 0 || tables.some((table) => !table.known)) continue;
    const names = new Set(tables.map((table) => (table.known ? table.value.toLowerCase() : '')));
    for (const subnet of new Set(gatewaySubnets as Subnet[])) {
      const table = subnet.routeTable;
      if (!table.known && !isNotSet(table)) continue;
      if (table.known && names.has(table.value.toLowerCase())) continue;
      const key = `${subnet.source.uri}:${subnet.source.start}|${cluster.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const wanted = [...new Set(tables.map((t) => (t.known ? t.value : '')))].join(', ');
      const node = nodeSubnets[0]!;
      findings.push({
        message:
          `Subnet ${subnet.name} of Application Gateway ${gateway.name}, which the AGIC add-on of kubenet cluster ${cluster.name} drives, ` +
          `${table.known ? `uses route table ${table.value}` : 'has no route table'}, not ${wanted}, the node subnet's: the gateway reaches pods only ` +
          `through the routes AKS writes there. Associate route table ${wanted} with subnet ${subnet.name} (AGIC tries to, and fails without the permission).`,
        source: table.known ? table.source : subnet.source,
        related: [
          { message: `route table of node subnet ${node.name}`, source: node.routeTable.known ? node.routeTable.source : node.source },
          { message: `AGIC add-on of cluster ${cluster.name}`, source: addon.source },
        ],
      });
    }
  }
  return findings;
}

export const appgwKubenetRouteTable = defineRule({
  id: 'appgw-kubenet-route-table',
  title: 'Application Gateway subnet without the route table of a kubenet cluster it serves through AGIC',
  defaultSeverity: 'warning',
  facts: [AGIC_KUBENET_ROUTE_TABLE],
  check,
});
