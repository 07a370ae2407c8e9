// Plan IPs: a non-overlapping, correctly sized address plan for an AKS cluster.
// Pure: inputs in, plan out. Sizes come from the capacity formulas (capacity/ipDemand.ts); allocation is
// aligned, largest block first at the lowest free address, so the plan is compact and leaves the
// largest possible free block behind it.
import { allocate } from '../cidr/addressSpace';
import { FreeList } from '../cidr/freeList';
import {
  azureUsableAddresses,
  type Cidr,
  cidr,
  containsCidr,
  formatCidr,
  formatCount,
  formatIp,
  overlaps,
  totalAddresses,
} from '../cidr/cidr';
import { nodeSubnetAddressesPerNode, podSubnetAddressesPerNode } from '../capacity/ipDemand';
import { NETWORK_MODE_NAMES, type NetworkMode } from '../capacity/networkMode';
import {
  AKS_API_SERVER_SUBNET,
  AKS_DEFAULT_RANGES,
  AKS_DNS_SERVICE_IP_OFFSET,
  AKS_DUAL_STACK,
  AKS_RESERVED_RANGES,
  AKS_SERVICE_CIDR_MIN_PREFIX_V4,
  APPLICATION_GATEWAY_V2_SUBNET,
  AZURE_RESERVED_PER_SUBNET,
  AZURE_SUBNET_SMALLEST_PREFIX_V4,
  AZURE_VNET_FORBIDDEN_RANGES,
  KUBENET_ROUTE_LIMIT,
  MAX_PODS_RANGE,
  POD_CIDR_PER_NODE_PREFIX,
  SPECIAL_SUBNETS,
  UPGRADE_SURGE_DEFAULT,
} from '../facts';
import { PRIVATE_SPACES } from './freeSpace';

export type PlanMode = Exclude<NetworkMode, 'byo-cni'>;

export interface PlanInput {
  readonly mode: PlanMode;
  readonly dataplane?: 'azure' | 'cilium';
  /** Nodes at full scale (sum of autoscaler maxima). */
  readonly nodes: number;
  readonly maxPods: number;
  /** Surge nodes during upgrades; default 1. */
  readonly surge?: number;
  /** Static internal load balancer frontends in the node subnet. */
  readonly internalLoadBalancerIps?: number;
  /** Room to grow, as a factor on `nodes` (1.5 = half as many again); default PLAN_GROWTH_DEFAULT. */
  readonly growth?: number;
  /** Pod subnet allocation in azure-cni-pod-subnet mode; default dynamic. */
  readonly podSubnetAllocation?: 'dynamic' | 'static-block';
  /** Special subnets to add. */
  readonly specialSubnets?: readonly ('AzureFirewallSubnet' | 'AzureBastionSubnet' | 'GatewaySubnet' | 'apiserver' | 'appgw' | 'private-endpoints')[];
  /** The VNet (or parent block) to plan inside; when absent the planner picks a VNet in the first private space (10/8). */
  readonly within?: Cidr;
  /** Ranges the plan must not overlap (the rest of the workspace, on-premises, peered networks). */
  readonly avoid?: readonly Cidr[];
  /** IPv4 and IPv6 (overlay only): a /64 per subnet, IPv6 pod and service CIDRs. */
  readonly dualStack?: boolean;
}

export interface PlannedRange {
  readonly name: string;
  readonly cidr: Cidr;
  /** Addresses needed (for subnets: before Azure's 5 reserved). */
  readonly required: number;
  /** Addresses available: Azure-usable for subnets, total for other ranges. */
  readonly usable: bigint;
  /** One line on why this size. */
  readonly reason: string;
}

export interface Plan {
  readonly vnet: PlannedRange;
  readonly subnets: readonly PlannedRange[];
  readonly podCidr: PlannedRange | undefined;
  readonly serviceCidr: PlannedRange;
  readonly dnsServiceIp: string;
  /** The IPv6 half of a dual-stack plan: subnets have the IPv4 subnets' names. */
  readonly ipv6?: IPv6Plan;
}

export interface IPv6Plan {
  readonly vnet: PlannedRange;
  readonly subnets: readonly PlannedRange[];
  readonly podCidr: PlannedRange;
  readonly serviceCidr: PlannedRange;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; error: string };

/**
 * The growth factor a plan uses when the caller gives none: subnets and the pod CIDR are sized for 1.5 times the
 * nodes asked for (already the autoscalers' maxima where the cluster sets them). A project choice, not an AKS
 * figure: a node pool's subnet cannot be changed once the pool exists, so a cluster that outgrows its subnet needs
 * new pools in a new subnet; half as many nodes again is room for the next autoscaler raise without re-addressing,
 * and at most one subnet size step (one prefix bit) more than the bare need. The one default: the CLI's --growth
 * and the Plan IPs command use it.
 */
export const PLAN_GROWTH_DEFAULT = 1.5;

/** The nodes a plan is sized for: `nodes` times the growth factor, capped for kubenet where its route table ends. */
export interface PlannedNodes {
  /** Nodes asked for (at the autoscalers' maxima). */
  readonly now: number;
  readonly growth: number;
  /** Nodes the subnets and pod CIDR are sized for, before surge: now + headroom. */
  readonly sized: number;
  readonly surge: number;
  /** The headroom was cut short by kubenet's route limit. */
  readonly capped: boolean;
}

export function plannedNodes(input: PlanInput): PlannedNodes {
  const growth = input.growth ?? PLAN_GROWTH_DEFAULT;
  const surge = input.surge ?? UPGRADE_SURGE_DEFAULT.value;
  const grown = Math.max(input.nodes, Math.ceil(input.nodes * growth));
  // kubenet: a route per node, surge included; headroom past the route table's limit could never be used.
  const limit = input.mode === 'kubenet' ? Math.max(input.nodes, KUBENET_ROUTE_LIMIT.value - surge) : Infinity;
  return { now: input.nodes, growth, sized: Math.min(grown, limit), surge, capped: grown > limit };
}

/** The reasoning line for the headroom: "sized for 5 nodes: 3 now + 2 headroom (growth 1.5)". */
export function headroomNote(planned: PlannedNodes): string {
  const headroom = planned.sized - planned.now;
  const cap = planned.capped ? `, capped at kubenet's ${KUBENET_ROUTE_LIMIT.value} routes` : '';
  return headroom === 0
    ? `sized for ${planned.now} nodes: ${planned.now} now, no headroom (growth ${planned.growth}${cap})`
    : `sized for ${planned.sized} nodes: ${planned.now} now + ${headroom} headroom (growth ${planned.growth}${cap})`;
}

const SMALLEST_SUBNET_PREFIX = AZURE_SUBNET_SMALLEST_PREFIX_V4.value;
/** Where a VNet the planner picks goes: the first private space (10.0.0.0/8). */
const DEFAULT_VNET_SPACE = PRIVATE_SPACES[0]!;
/** The planner's first choice of VNet when the caller gives none: the range AKS gives a VNet it manages (a preference, not a rule). */
const DEFAULT_VNET = cidr('10.224.0.0/12');
const DEFAULT_SERVICE_CIDR = cidr(AKS_DEFAULT_RANGES.value.serviceCidr);
const DEFAULT_POD_CIDR = cidr(AKS_DEFAULT_RANGES.value.podCidr);
/** Where to look for pod and service ranges when the defaults collide: private space AKS accepts. */
const FALLBACK_SPACES = PRIVATE_SPACES;
/** Private endpoints: a /27 with room for 16, a planning choice (Azure sets no size for them). */
const PRIVATE_ENDPOINTS = { prefix: 27, addresses: 16 };

/** The smallest subnet prefix whose Azure-usable addresses hold `required` addresses. */
export function subnetPrefixFor(required: number): number | undefined {
  for (let prefix = SMALLEST_SUBNET_PREFIX; prefix >= 8; prefix--) {
    if (azureUsableAddresses({ family: 4, network: 0n, prefix }) >= BigInt(required)) return prefix;
  }
  return undefined;
}

/** The prefix of the smallest block with at least `count` addresses (no reserved addresses). */
function prefixForCount(count: number, bits = 32): number {
  let prefix = bits;
  while (prefix > 0 && 2 ** (bits - prefix) < count) prefix--;
  return prefix;
}

interface SubnetRequest {
  readonly name: string;
  readonly required: number;
  readonly prefix: number;
  readonly reason: string;
}

function subnetRequests(input: PlanInput): SubnetRequest[] | string {
  const planned = plannedNodes(input);
  const { surge, sized: nodes } = planned;
  const atScale = nodes + surge;
  const ilb = input.internalLoadBalancerIps ?? 0;
  const requests: SubnetRequest[] = [];
  const add = (name: string, required: number, reason: string, minimumPrefix = SMALLEST_SUBNET_PREFIX) => {
    const fit = subnetPrefixFor(required);
    if (fit === undefined) return `${name} needs ${formatCount(BigInt(required))} addresses: more than any Azure subnet holds`;
    requests.push({ name, required, prefix: Math.min(fit, minimumPrefix), reason });
    return undefined;
  };
  const perNode = nodeSubnetAddressesPerNode(input.mode, input.maxPods);
  const nodeReason =
    `${NETWORK_MODE_NAMES[input.mode]}: (${nodes} nodes + ${surge} surge) x ${perNode} address${perNode === 1 ? '' : 'es'}` +
    `${input.mode === 'azure-cni' ? ` (maxPods ${input.maxPods} + 1)` : ''}${ilb ? ` + ${ilb} load balancer IPs` : ''}; ${headroomNote(planned)}`;
  const problem = add('aks-nodes', atScale * perNode + ilb, nodeReason);
  if (problem) return problem;
  if (input.mode === 'azure-cni-pod-subnet') {
    const staticBlock = input.podSubnetAllocation === 'static-block';
    const podPerNode = podSubnetAddressesPerNode(staticBlock, input.maxPods);
    // Dynamic allocation hands out 16 at a time; size for maxPods rounded up to whole batches, not the bare minimum.
    const perNodePods = staticBlock ? podPerNode : Math.ceil(input.maxPods / podPerNode) * podPerNode;
    const reason = `pod subnet, ${staticBlock ? 'static block' : 'dynamic'}: (${nodes} nodes + ${surge} surge) x ${perNodePods} pod addresses`;
    const podProblem = add('aks-pods', atScale * perNodePods, reason);
    if (podProblem) return podProblem;
  }
  for (const special of input.specialSubnets ?? []) {
    const known = SPECIAL_SUBNETS.value.find((s) => s.name === special);
    if (known) {
      add(known.name, 2 ** (32 - known.minimumPrefix) - Number(AZURE_RESERVED_PER_SUBNET.value), `${known.service} ${known.requirement}`, known.minimumPrefix);
    } else if (special === 'apiserver') {
      const { minimumPrefix, reservedIps } = AKS_API_SERVER_SUBNET.value;
      add('apiserver', reservedIps, `API server VNet integration: a /${minimumPrefix} at least, ${reservedIps} addresses reserved by the cluster`, minimumPrefix);
    } else if (special === 'appgw') {
      const { maxInstances, privateFrontends, recommendedPrefix } = APPLICATION_GATEWAY_V2_SUBNET.value;
      const reason = `Application Gateway v2: up to ${maxInstances} instances + ${privateFrontends} private frontend (/${recommendedPrefix} recommended)`;
      add('appgw', maxInstances + privateFrontends, reason, recommendedPrefix);
    } else {
      add('private-endpoints', PRIVATE_ENDPOINTS.addresses, `private endpoints: room for ${PRIVATE_ENDPOINTS.addresses}`, PRIVATE_ENDPOINTS.prefix);
    }
  }
  return requests;
}

/** The fixed ranges nothing may overlap: the caller's, plus what Azure and AKS reserve. */
function forbiddenRanges(input: PlanInput): Cidr[] {
  return [
    ...(input.avoid ?? []),
    ...AZURE_VNET_FORBIDDEN_RANGES.value.map((r) => cidr(r.cidr)),
    ...AKS_RESERVED_RANGES.value.map((r) => cidr(r.cidr)),
  ];
}

/** A block of the given prefix: the preferred one when free, else the first free aligned block of the spaces. */
function placeRange(prefix: number, preferred: Cidr | undefined, spaces: readonly Cidr[], used: readonly Cidr[]): Cidr | undefined {
  if (preferred && preferred.prefix <= prefix) {
    const candidate: Cidr = { family: preferred.family, network: preferred.network, prefix };
    if (!used.some((range) => overlaps(range, candidate))) return candidate;
  }
  for (const space of spaces) {
    const block = allocate(space, prefix, used);
    if (block) return block;
  }
  return undefined;
}

/**
 * A unique local IPv6 prefix (RFC 4193) for the VNet: a /56 under an fd00::/8 /48 whose 40-bit global ID is
 * derived from a seed (the IPv4 VNet), so the same plan gets the same prefix; the next free /56 when avoided.
 */
function uniqueLocalVnet(seed: string, avoid: readonly Cidr[]): Cidr | undefined {
  let hash = 0xcbf29ce484222325n; // FNV-1a, 64-bit
  for (const char of seed) hash = ((hash ^ BigInt(char.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
  const globalId = hash & 0xffffffffffn;
  const site: Cidr = { family: 6, network: ((0xfdn << 40n) | globalId) << 80n, prefix: 48 };
  return allocate(site, 56, avoid);
}

/** The IPv6 half of a dual-stack plan: a /64 per subnet in a ULA /56, and the AKS default pod and service CIDRs. */
function planIpv6(subnets: readonly PlannedRange[], vnet: Cidr, avoid: readonly Cidr[]): IPv6Plan | string {
  const { podCidr, serviceCidr, subnetPrefix } = AKS_DUAL_STACK.value;
  const vnet6 = uniqueLocalVnet(formatCidr(vnet), avoid);
  if (!vnet6) return 'no free IPv6 /56 for the virtual network';
  const used = [...avoid];
  const subnets6: PlannedRange[] = [];
  for (const subnet of subnets) {
    const block = allocate(vnet6, subnetPrefix, used)!; // a /56 holds 256 /64s; a plan has a handful of subnets
    used.push(block);
    subnets6.push({ name: subnet.name, cidr: block, required: 0, usable: totalAddresses(block), reason: `IPv6 subnets in Azure are /${subnetPrefix}` });
  }
  const defaults = cidr(podCidr);
  const podBlock = placeRange(defaults.prefix, defaults, [{ family: 6, network: defaults.network, prefix: 48 }], used);
  if (!podBlock) return 'no free IPv6 /64 for the pod CIDR';
  used.push(podBlock);
  const serviceDefault = cidr(serviceCidr);
  const serviceBlock = placeRange(serviceDefault.prefix, serviceDefault, [{ family: 6, network: defaults.network, prefix: 48 }], used);
  if (!serviceBlock) return 'no free IPv6 /108 for the service CIDR';
  return {
    vnet: { name: 'vnet', cidr: vnet6, required: 0, usable: totalAddresses(vnet6), reason: 'a unique local /56 (RFC 4193), room for 256 /64 subnets' },
    subnets: subnets6,
    podCidr: { name: 'pod-cidr', cidr: podBlock, required: 0, usable: totalAddresses(podBlock), reason: `AKS's dual-stack default pod CIDR, outside the VNet` },
    serviceCidr: { name: 'service-cidr', cidr: serviceBlock, required: 0, usable: totalAddresses(serviceBlock), reason: 'a /108, the largest IPv6 service CIDR AKS accepts' },
  };
}

/** Plans the VNet, subnets, pod CIDR, service CIDR and DNS service IP (and their IPv6 halves for dual-stack). */
export function planAddresses(input: PlanInput): PlanResult {
  if (input.dualStack && input.mode !== 'overlay') return { ok: false, error: 'dual-stack needs Azure CNI Overlay' };
  if (!Number.isInteger(input.nodes) || input.nodes < 1) return { ok: false, error: 'nodes must be a whole number of at least 1' };
  const maxPodsRange = MAX_PODS_RANGE.value;
  if (!Number.isInteger(input.maxPods) || input.maxPods < maxPodsRange.min || input.maxPods > maxPodsRange.max) {
    return { ok: false, error: `maxPods must be from ${maxPodsRange.min} to ${maxPodsRange.max}` };
  }
  if (input.mode === 'kubenet' && input.dataplane === 'cilium') return { ok: false, error: 'the Cilium dataplane does not run on kubenet' };
  if (input.within && input.within.family !== 4) return { ok: false, error: 'plan within an IPv4 range' };
  if (input.growth !== undefined && !(Number.isFinite(input.growth) && input.growth >= 1)) return { ok: false, error: 'growth must be a number of at least 1' };
  const planned = plannedNodes(input);
  const routes = planned.sized + planned.surge;
  if (input.mode === 'kubenet' && routes > KUBENET_ROUTE_LIMIT.value) {
    return { ok: false, error: `kubenet needs a route per node and a route table holds ${KUBENET_ROUTE_LIMIT.value}: ${routes} nodes with surge do not fit; plan overlay instead` };
  }
  const requests = subnetRequests(input);
  if (typeof requests === 'string') return { ok: false, error: requests };
  const forbidden = forbiddenRanges(input);
  // Largest blocks first, each at the lowest free aligned address: blocks pack without gaps.
  const ordered = [...requests].sort((a, b) => a.prefix - b.prefix);
  const span = ordered.reduce((sum, r) => sum + totalAddresses({ family: 4, network: 0n, prefix: r.prefix }), 0n);
  const vnetPrefix = input.within?.prefix ?? prefixForCount(Number(span));
  // A VNet the planner picks stays clear of the default service and pod ranges, so those can keep their defaults.
  const vnetBlock = input.within ?? placeRange(vnetPrefix, DEFAULT_VNET, [DEFAULT_VNET_SPACE], [...forbidden, DEFAULT_SERVICE_CIDR, DEFAULT_POD_CIDR]);
  if (!vnetBlock) return { ok: false, error: `no free /${vnetPrefix} for the virtual network outside the ranges to avoid` };
  const used: Cidr[] = [...forbidden.filter((range) => !containsCidr(range, vnetBlock))];
  const subnets: PlannedRange[] = [];
  // The VNet's free space, kept between the subnets' allocations.
  const free = new FreeList(vnetBlock, used);
  for (const request of ordered) {
    const block = free.allocate(request.prefix);
    if (!block) {
      return { ok: false, error: `${formatCidr(vnetBlock)} has no free /${request.prefix} left for ${request.name} (${formatCount(BigInt(request.required))} addresses)` };
    }
    used.push(block);
    subnets.push({ name: request.name, cidr: block, required: request.required, usable: azureUsableAddresses(block), reason: request.reason });
  }
  subnets.sort((a, b) => (a.cidr.network < b.cidr.network ? -1 : 1));
  const outside = [...used, vnetBlock];
  let podCidr: PlannedRange | undefined;
  if (input.mode === 'kubenet' || input.mode === 'overlay') {
    const nodes = planned.sized + planned.surge;
    const perNode = POD_CIDR_PER_NODE_PREFIX.value;
    const prefix = Math.min(perNode - Math.ceil(Math.log2(Math.max(nodes, 1))), DEFAULT_POD_CIDR.prefix);
    const block = placeRange(prefix, DEFAULT_POD_CIDR, FALLBACK_SPACES, outside);
    if (!block) return { ok: false, error: `no free /${prefix} for the pod CIDR outside the VNet and the ranges to avoid` };
    outside.push(block);
    podCidr = {
      name: 'pod-cidr',
      cidr: block,
      required: nodes,
      usable: BigInt(2 ** (perNode - block.prefix)),
      reason: `${NETWORK_MODE_NAMES[input.mode]} gives each node a /${perNode}: ${nodes} nodes with surge need ${nodes} /${perNode}s; /${block.prefix} holds ${formatCount(BigInt(2 ** (perNode - block.prefix)))}; ${headroomNote(planned)}`,
    };
  }
  const serviceBlock = placeRange(DEFAULT_SERVICE_CIDR.prefix, DEFAULT_SERVICE_CIDR, FALLBACK_SPACES, outside);
  if (!serviceBlock || serviceBlock.prefix <= AKS_SERVICE_CIDR_MIN_PREFIX_V4.value) {
    return { ok: false, error: 'no free /16 for the service CIDR outside the VNet, the pod CIDR and the ranges to avoid' };
  }
  const vnetRequired = subnets.reduce((sum, s) => sum + Number(totalAddresses(s.cidr)), 0);
  const ipv6 = input.dualStack ? planIpv6(subnets, vnetBlock, forbidden.filter((range) => range.family === 6)) : undefined;
  if (typeof ipv6 === 'string') return { ok: false, error: ipv6 };
  return {
    ok: true,
    plan: {
      vnet: {
        name: 'vnet',
        cidr: vnetBlock,
        required: vnetRequired,
        usable: totalAddresses(vnetBlock),
        reason: input.within ? 'the range to plan within' : `the smallest aligned block that holds every subnet (${formatCount(BigInt(vnetRequired))} addresses)`,
      },
      subnets,
      podCidr,
      serviceCidr: {
        name: 'service-cidr',
        cidr: serviceBlock,
        required: 0,
        usable: totalAddresses(serviceBlock),
        reason: 'a /16 (65,536 services) outside the VNet and the pod CIDR; AKS needs smaller than a /12',
      },
      // By convention the .10 address (aks-facts AKS_DNS_IP_IN_SVC_CIDR).
      dnsServiceIp: formatIp({ family: 4, value: serviceBlock.network + AKS_DNS_SERVICE_IP_OFFSET.value }),
      ...(ipv6 ? { ipv6 } : {}),
    },
  };
}
