// What each outbound type needs: a default route to an appliance (UDR), a NAT gateway on the subnet,
// or an AKS-managed VNet (managed NAT gateway).
import { OUTBOUND_TYPE_REQUIREMENTS } from '../facts';
import type { Cluster, NetworkModel } from '../model/network';
import { isNotSet } from '../model/source';
import { nodeSubnetsOf, onAksManagedVnet, poolsOf } from '../model/topology';
import { routesOf } from './networkAround';
import { defineRule, type Reported } from './rule';
import { isValue } from '../model/enums';

function clusterFindings(model: NetworkModel, cluster: Cluster): Reported[] {
  const outbound = cluster.outboundType;
  if (!outbound.known) return [];
  const findings: Reported[] = [];
  const report = (message: string, related: Reported['related'] = []) => findings.push({ message, source: outbound.source, related });
  const type = outbound.value;
  const subnets = nodeSubnetsOf(model, cluster);
  const needsOwnSubnet = type === 'userDefinedRouting' ? 'a route table whose 0.0.0.0/0 route goes to a firewall or other virtual appliance' : type === 'userAssignedNATGateway' ? 'a NAT gateway attached' : undefined;
  if (needsOwnSubnet && onAksManagedVnet(model, cluster)) {
    report(
      `outboundType ${outbound.value} needs your own virtual network: AKS must be deployed into an existing subnet you configure, with ${needsOwnSubnet}. ` +
        `No node pool of cluster ${cluster.name} names a subnet (vnetSubnetID), so AKS would create the virtual network itself.`,
      poolsOf(model, cluster).map((pool) => ({ message: `node pool ${pool.name}`, source: pool.source })),
    );
    return findings;
  }
  if (type === 'userDefinedRouting') {
    for (const subnet of subnets) {
      const at = [{ message: `subnet ${subnet.name}`, source: subnet.source }];
      if (isNotSet(subnet.routeTable)) {
        report(`outboundType userDefinedRouting needs a route table on the node subnet ${subnet.name}, with 0.0.0.0/0 to a firewall or other virtual appliance; the subnet has none.`, at);
        continue;
      }
      if (!subnet.routeTable.known) continue;
      const table = routesOf(model, subnet);
      if (!table || !table.complete || table.routes.some((route) => !route.addressPrefix.known)) continue;
      const defaults = table.routes.filter((route) => route.addressPrefix.known && route.addressPrefix.value === '0.0.0.0/0');
      if (defaults.length === 0) {
        report(`outboundType userDefinedRouting needs a 0.0.0.0/0 route in route table ${subnet.routeTable.value} (node subnet ${subnet.name}); AKS checks for it at creation.`, at);
      }
      for (const route of defaults) {
        if (isValue(route.nextHopType, 'Internet')) {
          report(`The 0.0.0.0/0 route ${route.name} of route table ${subnet.routeTable.value} goes to Internet; with userDefinedRouting it must go to a virtual appliance or gateway.`, [
            { message: `route ${route.name}`, source: route.source },
          ]);
        }
      }
    }
  } else if (type === 'userAssignedNATGateway') {
    for (const subnet of subnets) {
      if (isNotSet(subnet.natGateway)) {
        report(`outboundType userAssignedNATGateway needs a NAT gateway attached to the node subnet ${subnet.name} before the cluster is created; it has none.`, [
          { message: `subnet ${subnet.name}`, source: subnet.source },
        ]);
      }
    }
  } else if (type === 'managedNATGateway') {
    const ownSubnets = poolsOf(model, cluster).filter((pool) => pool.nodeSubnet);
    if (ownSubnets.length > 0 || cluster.defaultNodeSubnet) {
      report('outboundType managedNATGateway works only with the AKS-managed virtual network; with your own subnets use userAssignedNATGateway (a NAT gateway you attach to the subnet).');
    }
  }
  return findings;
}

export const outboundTypeRequirements = defineRule({
  id: 'outbound-type-requirements',
  title: "Outbound type without what it needs on the cluster's network",
  defaultSeverity: 'error',
  facts: [OUTBOUND_TYPE_REQUIREMENTS],
  check: (model) => model.clusters.flatMap((cluster) => clusterFindings(model, cluster)),
});
