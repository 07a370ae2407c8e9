// A proposed IP plan drawn like the workspace: the plan becomes a small model of its own (a VNet with its
// subnets, a cluster with its pod and service ranges and a pool sized as planned), laid out by the same
// address layout as the network map, so the user sees the plan to scale before applying it.
import { formatCidr, type Cidr } from '../cidr/cidr';
import { emptyModel, type NetworkModel, type NodePool, type SubnetReference } from '../model/network';
import { known, notSet, type Source } from '../model/source';
import { type Plan, type PlanInput, plannedNodes } from '../planner/planner';
import { addressLayout } from './networkMap';
import type { MapPlan, MapPlanRow } from './networkMapData';

const PLAN_URI = 'aks-network-lens-plan:/plan';
const nowhere: Source = { uri: PLAN_URI, start: 0, end: 0 };
const value = <T>(v: T) => known(v, nowhere);

/** A subnet of the workspace that stays where it is inside the planned VNet. */
export interface ExistingSubnet {
  readonly name: string;
  readonly cidr: Cidr;
}

function plannedModel(plan: Plan, input: PlanInput, clusterName: string, existing: readonly ExistingSubnet[]): NetworkModel {
  const vnetKey = 'planned-vnet';
  const ipv6 = plan.ipv6;
  const subnetV6 = (name: string): Cidr[] => (ipv6 ? ipv6.subnets.filter((s) => s.name === name).map((s) => s.cidr) : []);
  const model = emptyModel();
  model.vnets.push({
    key: vnetKey,
    name: `planned VNet for ${clusterName}`,
    source: nowhere,
    addressSpace: [plan.vnet.cidr, ...(ipv6 ? [ipv6.vnet.cidr] : [])].map(value),
    addressSpaceComplete: true,
  });
  for (const subnet of plan.subnets) {
    model.subnets.push({ name: subnet.name, vnetKey, source: nowhere, prefixes: [subnet.cidr, ...subnetV6(subnet.name)].map(value), routeTable: notSet(), natGateway: notSet() });
  }
  for (const subnet of existing) {
    model.subnets.push({ name: `${subnet.name} (existing)`, vnetKey, source: nowhere, prefixes: [value(subnet.cidr)], routeTable: notSet(), natGateway: notSet() });
  }
  const key = 'planned-cluster';
  const pluginMode = input.mode === 'overlay' ? value('overlay') : notSet();
  model.clusters.push({
    key,
    name: clusterName,
    source: nowhere,
    networkPlugin: value(input.mode === 'kubenet' ? 'kubenet' : 'azure'),
    networkPluginMode: pluginMode,
    networkPolicy: notSet(),
    networkDataplane: input.dataplane ? value(input.dataplane) : notSet(),
    outboundType: notSet(),
    podCidrs: [...(plan.podCidr ? [plan.podCidr.cidr] : []), ...(ipv6 ? [ipv6.podCidr.cidr] : [])].map(value),
    serviceCidrs: [plan.serviceCidr.cidr, ...(ipv6 ? [ipv6.serviceCidr.cidr] : [])].map(value),
    dnsServiceIp: notSet(),
    apiVersion: undefined,
    dockerBridgeCidr: notSet(),
    loadBalancerSku: notSet(),
    ebpfDataplane: notSet(),
    defaultNodeSubnet: undefined,
    outboundIps: { allocatedOutboundPorts: notSet(), loadBalancerManagedIps: notSet(), loadBalancerIps: notSet(), natGatewayManagedIps: notSet() },
  });
  const reference = (subnetName: string): SubnetReference => ({ by: 'vnetKey', vnetKey, subnetName, source: nowhere });
  const pool: NodePool = {
    name: 'planned nodes',
    clusterName,
    clusterKey: key,
    source: nowhere,
    count: value(plannedNodes(input).sized),
    minCount: notSet(),
    maxCount: notSet(),
    maxPods: value(input.maxPods),
    osType: notSet(),
    mode: notSet(),
    enableAutoScaling: value(false),
    maxSurge: input.surge !== undefined ? value(String(input.surge)) : notSet(),
    podIpAllocationMode: input.podSubnetAllocation === 'static-block' ? value('StaticBlock') : notSet(),
    nodeSubnet: reference('aks-nodes'),
    podSubnet: input.mode === 'azure-cni-pod-subnet' ? reference('aks-pods') : undefined,
  };
  model.nodePools.push(pool);
  return model;
}

/**
 * The plan laid out as the map draws VNets and clusters (with the planned pool's demand on each subnet, and the
 * workspace's subnets that stay inside the planned VNet); nothing in it links to a file, since it is not written yet.
 */
export function planPreview(plan: Plan, input: PlanInput, clusterName: string, rows: readonly MapPlanRow[], existing: readonly ExistingSubnet[] = []): MapPlan {
  const layout = addressLayout({ model: plannedModel(plan, input, clusterName, existing), findings: [], sourceOf: () => undefined, textOf: () => undefined });
  return { title: `Proposed IP plan for ${clusterName}: VNet ${formatCidr(plan.vnet.cidr)} (not applied)`, vnets: layout.vnets, clusters: layout.clusters, rows };
}
