// A subnet large enough for every node, surge node and pod AKS places in it (capacity/ipDemand.ts does the sums).
import { azureUsableAddresses, type Cidr, containsCidr, formatCidr, formatCount, overlaps } from '../cidr/cidr';
import { AKS_DEFAULT_NETWORK_PLUGIN, CNI_NODE_SUBNET_ADDRESSES, NODE_ONLY_SUBNET_ADDRESSES, POD_SUBNET_DYNAMIC_BATCH, POD_SUBNET_STATIC_BLOCK, UPGRADE_SURGE_DEFAULT } from '../facts';
import { explainSubnetDemand, explainUsage } from '../capacity/explain';
import { type SubnetDemand, subnetDemands } from '../capacity/ipDemand';
import { environmentName } from '../model/queries';
import type { NetworkModel } from '../model/network';
import { knownValues } from '../model/source';
import { vnetOf } from '../model/topology';
import { freeBlock } from '../planner/freeSpace';
import { subnetPrefixFor } from '../planner/planner';
import { replaceWith } from './fixes';
import { defineRule, type Fix, type Reported } from './rule';

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

/** Subject: the subnet's demand, which the fix sizes the subnet for. */
export const subnetCapacity = defineRule<SubnetDemand>({
  id: 'subnet-capacity',
  title: 'Subnet too small for the nodes and pods it must hold',
  defaultSeverity: 'error',
  facts: [CNI_NODE_SUBNET_ADDRESSES, NODE_ONLY_SUBNET_ADDRESSES, POD_SUBNET_DYNAMIC_BATCH, POD_SUBNET_STATIC_BLOCK, UPGRADE_SURGE_DEFAULT, AKS_DEFAULT_NETWORK_PLUGIN],
  check: (model) =>
    subnetDemands(model).flatMap((demand): Reported<SubnetDemand>[] => {
      if (!demand.complete || BigInt(demand.required) <= demand.usable) return [];
      const [first] = knownValues(demand.subnet.prefixes);
      const prefixes = knownValues(demand.subnet.prefixes).map((p) => formatCidr(p.value)).join(', ');
      // A count that rests on AKS's default plugin (UNCONFIRMED which one) is a warning.
      const assumed = demand.clusters.filter((c) => c.mode === 'aks-default').map((c) => c.cluster.name);
      return [
        {
          ...(assumed.length > 0 ? { severity: 'warning' as const } : {}),
          message:
            `Subnet ${demand.subnet.name} (${prefixes}) is too small: ${explainUsage(demand)}. ` +
            `Needed by ${explainSubnetDemand(demand).join('; ')}.` +
            (demand.environment !== undefined ? ` (environment ${environmentName(demand.environment)})` : '') +
            (assumed.length > 0
              ? ` Cluster ${assumed.join(', ')} leaves networkPlugin out: AKS chooses kubenet or Azure CNI Overlay (which one is not confirmed), and either gives each node one address here.`
              : ''),
          source: first!.source,
          related: demand.clusters.flatMap((c) => c.pools.map((p) => ({ message: `node pool ${p.nodes.pool.name}`, source: p.nodes.pool.source }))),
          subject: demand,
        },
      ];
    }),
  fixes: subnetCapacityFix,
});
