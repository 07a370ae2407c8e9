// Capacity: subnets, pod CIDRs and route tables large enough for every node, surge node and pod.
import { azureUsableAddresses, type Cidr, containsCidr, formatCidr, formatCount, overlaps } from '../cidr/cidr';
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
import { clusterNodes, podCidrNodeRanges, type SubnetDemand, subnetDemands, totals } from '../capacity/ipDemand';
import { kubenetRoutes } from '../capacity/kubenetRoutes';
import { NETWORK_MODE_NAMES, networkModeOf } from '../capacity/networkMode';
import type { NetworkModel } from '../model/network';
import { knownValues } from '../model/source';
import { vnetOf } from '../model/topology';
import { freeBlock, PRIVATE_SPACES, usedRanges } from '../planner/freeSpace';
import { subnetPrefixFor } from '../planner/planner';
import { replaceWith } from './fixes';
import type { Finding, Fix, Rule } from './rule';

/** The smallest aligned enlargement of the subnet that fits and overlaps nothing, else a free block in its VNet. */
function subnetCapacityFix(model: NetworkModel, demand: SubnetDemand): Fix[] {
  const [only, ...more] = knownValues(demand.subnet.prefixes);
  const prefix = subnetPrefixFor(demand.required);
  if (!only || more.length > 0 || only.value.family !== 4 || prefix === undefined) return [];
  const vnet = vnetOf(model, demand.subnet);
  const spaces = vnet ? knownValues(vnet.addressSpace).map((v) => v.value) : [];
  const others = model.subnets
    .filter((s) => s !== demand.subnet && s.vnetKey === demand.subnet.vnetKey && s.name !== demand.subnet.name)
    .flatMap((s) => knownValues(s.prefixes).map((p) => p.value));
  const grown: Cidr = { family: 4, network: only.value.network & ~((1n << BigInt(32 - prefix)) - 1n), prefix };
  const fits = (block: Cidr) => (spaces.length === 0 || spaces.some((space) => containsCidr(space, block))) && !others.some((o) => overlaps(o, block));
  const usable = (block: Cidr) => formatCount(azureUsableAddresses(block));
  // A VNet the workspace does not declare (a Bicep `existing` one) may hold subnets the fix cannot see.
  const caution = vnet ? '' : '; its VNet is not in the workspace: check its other subnets';
  if (fits(grown)) return [replaceWith(`Enlarge to ${formatCidr(grown)} (${usable(grown)} usable${caution})`, only.source, formatCidr(grown))];
  const moved = spaces.length > 0 ? freeBlock(prefix, spaces, others) : undefined;
  return moved ? [replaceWith(`Move to ${formatCidr(moved)} (${usable(moved)} usable), free in the VNet`, only.source, formatCidr(moved))] : [];
}

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
          fixes: subnetCapacityFix(model, demand),
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
      const podRanges = podCidrNodeRanges(cluster);
      if (!pools || !podRanges) return [];
      const { ranges: v4, capacity } = podRanges;
      const perNode = POD_CIDR_PER_NODE_PREFIX.value;
      const { nodes, surge } = totals(pools);
      if (nodes + surge <= capacity) return [];
      // The pod CIDR grown to hold every node's /24, if that is still free; else a free block of that size.
      const first = v4[0]!;
      const prefix = perNode - Math.ceil(Math.log2(nodes + surge));
      const grown: Cidr = { family: 4, network: first.value.network & ~((1n << BigInt(32 - prefix)) - 1n), prefix };
      const used = usedRanges(model, first.value);
      const block = v4.length === 1 && prefix >= 8 ? (used.some((u) => overlaps(u, grown)) ? freeBlock(prefix, PRIVATE_SPACES, used) : grown) : undefined;
      return [
        {
          ...(block ? { fixes: [replaceWith(`Use ${formatCidr(block)} (${formatCount(BigInt(2 ** (perNode - prefix)))} node ranges)`, first.source, formatCidr(block))] } : {}),
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
      const routes = kubenetRoutes(model, cluster);
      if (!routes || routes.total <= KUBENET_ROUTE_LIMIT.value) return [];
      const { nodes, surge, routesPerNode, nodeRoutes, ownTable } = routes;
      const own = ownTable && ownTable.routes > 0 ? `, and route table ${ownTable.name} already holds ${formatCount(BigInt(ownTable.routes))} routes of its own: ${formatCount(BigInt(routes.total))}` : '';
      return [
        {
          rule: 'kubenet-route-limit',
          severity: 'error',
          message:
            `Kubenet needs ${routesPerNode === 2 ? 'two routes (dual-stack)' : 'one route'} per node: cluster ${cluster.name} can run ` +
            `${formatCount(BigInt(nodes))} nodes + ${surge} surge = ${formatCount(BigInt(nodeRoutes))} routes${own}, over the ${KUBENET_ROUTE_LIMIT.value} routes a route table holds. ` +
            `Use Azure CNI Overlay for clusters this large.`,
          source: cluster.networkPlugin.source,
          ...(ownTable && ownTable.routes > 0 ? { related: ownTable.tables.map((table) => ({ message: `route table ${table.name}`, source: table.source })) } : {}),
        },
      ];
    }),
};
