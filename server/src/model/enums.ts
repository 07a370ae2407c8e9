// Azure's enum-like fields, each with its values in the casing the REST API documents. ARM reads them whatever their
// case, so readers map what a file writes onto these once, when lowering (`canonical`), and rules compare with ===.
// Sources: AKS REST API, Managed Clusters - Create Or Update (NetworkPlugin, NetworkPluginMode, NetworkPolicy,
// NetworkDataplane, OutboundType, LoadBalancerSku, OSType, AgentPoolMode, PodIPAllocationMode)
// https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update ; Virtual Networks REST API, Subnets and
// Route Tables (RouteNextHopType, VirtualNetworkPrivateEndpointNetworkPolicies, ...PrivateLinkServiceNetworkPolicies)
// https://learn.microsoft.com/rest/api/virtualnetwork/subnets/create-or-update ; Public IP Addresses (PublicIPAddressSkuName).
import { type Known, known, type Value } from './source';

export const NETWORK_PLUGIN = ['azure', 'kubenet', 'none'] as const;
export const NETWORK_PLUGIN_MODE = ['overlay'] as const;
export const NETWORK_POLICY = ['azure', 'calico', 'cilium', 'none'] as const;
export const NETWORK_DATAPLANE = ['azure', 'cilium'] as const;
export const OUTBOUND_TYPE = ['loadBalancer', 'managedNATGateway', 'userAssignedNATGateway', 'userDefinedRouting', 'none', 'block'] as const;
export const LOAD_BALANCER_SKU = ['standard', 'basic'] as const;
export const OS_TYPE = ['Linux', 'Windows'] as const;
export const AGENT_POOL_MODE = ['System', 'User', 'Gateway'] as const;
export const POD_IP_ALLOCATION_MODE = ['DynamicIndividual', 'StaticBlock'] as const;
export const NEXT_HOP_TYPE = ['Internet', 'VirtualAppliance', 'VirtualNetworkGateway', 'VnetLocal', 'None'] as const;
export const PRIVATE_ENDPOINT_NETWORK_POLICIES = ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled'] as const;
export const PRIVATE_LINK_SERVICE_NETWORK_POLICIES = ['Disabled', 'Enabled'] as const;
export const PUBLIC_IP_SKU = ['Basic', 'Standard'] as const;

/** A written value in its enum's casing; a value that is none of the enum's (a typo, a newer one) stays as written. */
export function canonical(values: readonly string[], value: Value<string>): Value<string> {
  if (!value.known) return value;
  const written = value.value.trim().toLowerCase();
  const match = values.find((candidate) => candidate.toLowerCase() === written);
  return match === undefined || match === value.value ? value : known(match, value.source);
}

/** True when a lowered enum value is known to be this one. */
export const isValue = (value: Value<string>, wanted: string): value is Known<string> => value.known && value.value === wanted;
