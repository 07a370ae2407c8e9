// AKS and Azure networking facts, each with the source it comes from.
// One place for each number and range; rules, hovers and docs read them from here.
// Sources are those of shared/docs/aks-facts.md (paraphrased there, cited here by document and section).

export interface Fact<T> {
  readonly value: T;
  /** Where the fact is documented: document and section. */
  readonly source: string;
  /** A link a user can open. */
  readonly link: string;
}

const AKS_DOCS = 'https://learn.microsoft.com/azure/aks/';
const VNET_FAQ = 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq';

/**
 * Which addresses Azure keeps in every IPv4 subnet: the first four (network, .1 the default gateway, .2 and .3
 * Azure DNS) and the last one (broadcast).
 */
export const AZURE_RESERVED_ADDRESSES: Fact<{ first: bigint; last: bigint }> = {
  value: { first: 4n, last: 1n },
  source:
    'Azure Virtual Network FAQ, "Are there any restrictions on using IP addresses within these subnets?"; AKS docs, "Azure CNI Overlay", IP address planning (cluster nodes: "first four and last")',
  link: `${VNET_FAQ}#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets`,
};

/** Azure keeps 5 addresses of every subnet: network, .1 (gateway), .2 and .3 (Azure DNS), and the broadcast address. */
export const AZURE_RESERVED_PER_SUBNET: Fact<bigint> = {
  value: AZURE_RESERVED_ADDRESSES.value.first + AZURE_RESERVED_ADDRESSES.value.last,
  source: AZURE_RESERVED_ADDRESSES.source,
  link: AZURE_RESERVED_ADDRESSES.link,
};

/** The smallest IPv4 subnet Azure accepts: a /29 (3 usable addresses). */
export const AZURE_SUBNET_SMALLEST_PREFIX_V4: Fact<number> = {
  value: 29,
  source: 'Azure Virtual Network FAQ, "How small and how large can VNets and subnets be?" (smallest IPv4 subnet /29)',
  link: `${VNET_FAQ}#how-small-and-how-large-can-virtual-networks-and-subnets-be`,
};

/**
 * Private IPv4 space, in order of preference: RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 6598 (100.64/10),
 * which Azure's default system routes treat as private and AKS supports for pod CIDRs.
 */
export const PRIVATE_ADDRESS_SPACES: Fact<readonly string[]> = {
  value: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'],
  source:
    'Azure Virtual Network FAQ, "What address ranges can I use in my VNets?" (RFC 1918); "Virtual network traffic routing", Default system routes (100.64.0.0/10); AKS docs, "Azure CNI Overlay", IP address planning, Pods (RFC 1918 or RFC 6598)',
  link: 'https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#default',
};

/** Ranges Azure does not accept in a virtual network's address space. */
export const AZURE_VNET_FORBIDDEN_RANGES: Fact<readonly { cidr: string; why: string }[]> = {
  value: [
    { cidr: '224.0.0.0/4', why: 'multicast' },
    { cidr: '255.255.255.255/32', why: 'broadcast' },
    { cidr: '127.0.0.0/8', why: 'loopback' },
    { cidr: '169.254.0.0/16', why: 'link-local' },
    { cidr: '168.63.129.16/32', why: "Azure's internal DNS, DHCP and load-balancer probe address" },
  ],
  source: 'Azure Virtual Network FAQ, "What address ranges can I use in my VNets?"',
  link: `${VNET_FAQ}#what-address-ranges-can-i-use-in-my-vnets`,
};

/** Ranges AKS does not accept for the service CIDR, the pod CIDR or the cluster's virtual network; overlap counts. */
export const AKS_RESERVED_RANGES: Fact<readonly { cidr: string; why: string }[]> = {
  value: [
    { cidr: '169.254.0.0/16', why: 'link-local' },
    { cidr: '172.30.0.0/16', why: 'reserved by AKS' },
    { cidr: '172.31.0.0/16', why: 'reserved by AKS' },
    { cidr: '192.0.2.0/24', why: 'documentation range (TEST-NET-1), reserved by AKS' },
  ],
  source: 'AKS docs, "Azure Container Networking Interface (CNI) networking in AKS", AKS CNI networking prerequisites',
  link: `${AKS_DOCS}concepts-network-cni-overview#aks-cni-networking-prerequisites`,
};

/** The IPv4 service CIDR must hold fewer addresses than a /12: /13 or longer is accepted; exactly /12 is UNCONFIRMED. */
export const AKS_SERVICE_CIDR_MIN_PREFIX_V4: Fact<number> = {
  value: 12,
  source: 'AKS docs, "IP address planning", IP address sizing (Kubernetes Service Address Range: "smaller than /12")',
  link: `${AKS_DOCS}concepts-network-ip-address-planning`,
};

/** The IPv6 service CIDR can be no larger than /108. */
export const AKS_SERVICE_CIDR_MIN_PREFIX_V6: Fact<number> = {
  value: 108,
  source: 'AKS docs, "Configure Azure CNI Overlay", Key parameters for dual-stack networking',
  link: `${AKS_DOCS}azure-cni-overlay#key-parameters-for-dual-stack-networking`,
};

/** The service CIDR must not overlap the cluster's subnets or pod CIDR; merely inside the VNet space is discouraged. */
export const AKS_SERVICE_CIDR_NO_OVERLAP: Fact<true> = {
  value: true,
  source: 'AKS docs, "Azure CNI Overlay", Kubernetes service address range; "Legacy CNI", Deployment parameters',
  link: `${AKS_DOCS}concepts-network-azure-cni-overlay#kubernetes-service-address-range`,
};

/** The pod CIDR (kubenet, overlay) must not overlap the cluster subnet or directly connected networks. */
export const AKS_POD_CIDR_NO_OVERLAP: Fact<true> = {
  value: true,
  source: 'AKS docs, "Azure CNI Overlay", IP address planning > Pods',
  link: `${AKS_DOCS}concepts-network-azure-cni-overlay#pods`,
};

/**
 * What AKS uses when a cluster leaves a range out: serviceCidr 10.0.0.0/16 with dnsServiceIP 10.0.0.10 (every
 * plugin), and podCidr 10.244.0.0/16 where pods take a pod CIDR (kubenet, Azure CNI Overlay). A node subnet or
 * VNet that overlaps them collides as an explicit range would.
 */
export const AKS_DEFAULT_RANGES: Fact<{ serviceCidr: string; dnsServiceIp: string; podCidr: string }> = {
  value: { serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10', podCidr: '10.244.0.0/16' },
  source:
    'AKS docs, "Configure kubenet", Create an AKS cluster (--service-cidr default 10.0.0.0/16, --dns-service-ip default 10.0.0.10, --pod-cidr default 10.244.0.0/16); "Configure Azure CNI Overlay", Key parameters (pod CIDR 10.244.0.0/16 when omitted)',
  link: `${AKS_DOCS}configure-kubenet`,
};

/** dnsServiceIP must lie inside the service CIDR and must not be its first address (kubernetes.default). */
export const AKS_DNS_SERVICE_IP: Fact<true> = {
  value: true,
  source: 'AKS docs, "IP address planning" (Kubernetes DNS Service IP Address); "Configure kubenet" ("should be the .10 address")',
  link: `${AKS_DOCS}concepts-network-ip-address-planning`,
};

/** By convention dnsServiceIP is the .10 address of the service CIDR: this offset from its network address. */
export const AKS_DNS_SERVICE_IP_OFFSET: Fact<bigint> = {
  value: 10n,
  source: 'AKS docs, "Configure kubenet", Create an AKS cluster ("should be the .10 address"); "IP address planning" (Kubernetes DNS Service IP Address)',
  link: `${AKS_DOCS}configure-kubenet`,
};

/** Subnets of one virtual network must not overlap, and each must lie inside the VNet's address space. */
export const AZURE_SUBNETS_INSIDE_VNET: Fact<true> = {
  value: true,
  source: 'Azure Virtual Network FAQ, "Can I add subnets after the VNet is created?"',
  link: `${VNET_FAQ}#can-i-add-subnets-after-the-vnet-is-created`,
};

/** Azure rejects an address prefix that is not in CIDR notation (error InvalidAddressPrefixFormat). */
export const AZURE_CIDR_NOTATION: Fact<true> = {
  value: true,
  source: 'Azure Resource Manager error InvalidAddressPrefixFormat, as reported in Azure/azure-service-operator#997',
  link: 'https://github.com/Azure/azure-service-operator/issues/997',
};

/**
 * A prefix with host bits set (10.0.0.5/24) names the block of its network address. Whether Azure rejects it
 * or silently normalises it is UNCONFIRMED in our sources, so the rule warns.
 */
export const CIDR_NETWORK_ADDRESS: Fact<true> = {
  value: true,
  source: 'RFC 4632, section 3.1 (a prefix is the network address plus its length); Azure behaviour UNCONFIRMED',
  link: 'https://www.rfc-editor.org/rfc/rfc4632#section-3.1',
};

/** The YAML language itself. */
export const YAML_SPEC: Fact<true> = {
  value: true,
  source: 'YAML 1.2.2 specification',
  link: 'https://yaml.org/spec/1.2.2/',
};

/** The Bicep language: file structure and syntax. */
export const BICEP_SYNTAX: Fact<true> = {
  value: true,
  source: 'Bicep documentation, "Bicep file structure and syntax"',
  link: 'https://learn.microsoft.com/azure/azure-resource-manager/bicep/file',
};

/** Terraform's native syntax: blocks, arguments and expressions, as `terraform validate` reads them. */
export const TERRAFORM_SYNTAX: Fact<true> = {
  value: true,
  source: 'Terraform documentation, "Syntax" (configuration language)',
  link: 'https://developer.hashicorp.com/terraform/language/syntax/configuration',
};

/** A local module path is relative to the file that declares it and must exist. */
export const BICEP_MODULES: Fact<true> = {
  value: true,
  source: 'Bicep documentation, "Bicep modules", Define modules (local file paths)',
  link: 'https://learn.microsoft.com/azure/azure-resource-manager/bicep/modules',
};

/** Azure CNI (node subnet): every node takes 1 address plus 1 per pod (maxPods), surge nodes included. */
export const CNI_NODE_SUBNET_ADDRESSES: Fact<{ perNode: (maxPods: number) => number }> = {
  value: { perNode: (maxPods) => maxPods + 1 },
  source: 'AKS docs, "IP address planning", IP address sizing (Subnet: (nodes + surge) + (nodes + surge) x maxPods)',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
};

/** Overlay, kubenet and bring-your-own CNI: nodes take VNet addresses, pods do not. */
export const NODE_ONLY_SUBNET_ADDRESSES: Fact<1> = {
  value: 1,
  source: 'AKS docs, "Azure CNI Overlay", IP address planning; "Configure kubenet", IP address availability and exhaustion',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay#ip-address-planning',
};

/**
 * A cluster that leaves networkPlugin out gets the plugin AKS chooses: Azure CNI Overlay by the AKS docs (omitting
 * --network-plugin), kubenet by a mirror of the ARM swagger. Which one the API picks is UNCONFIRMED (aks-facts 13.14),
 * so findings that rest on it are warnings; either gives nodes one node-subnet address each (NODE_ONLY_SUBNET_ADDRESSES).
 */
export const AKS_DEFAULT_NETWORK_PLUGIN: Fact<readonly ['kubenet', 'overlay']> = {
  value: ['kubenet', 'overlay'],
  source: 'AKS docs, "Azure CNI Overlay" (omitting --network-plugin gives overlay); ARM swagger mirror (networkPlugin default kubenet); which is the API default is UNCONFIRMED',
  link: `${AKS_DOCS}concepts-network-azure-cni-overlay`,
};

/** Pod subnet, dynamic allocation: pod IPs are handed out 16 at a time; plan at least 16 per node. */
export const POD_SUBNET_DYNAMIC_BATCH: Fact<number> = {
  value: 16,
  source: 'AKS docs, "Azure CNI pod subnet", Dynamic IP allocation mode > Plan IP addressing',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-pod-subnet',
};

/** Pod subnet, static block allocation: /28 blocks (16 addresses), ceil((maxPods + 1) / 16) per node. */
export const POD_SUBNET_STATIC_BLOCK: Fact<number> = {
  value: 16,
  source: 'AKS docs, "Azure CNI pod subnet", Static block allocation mode > Plan IP addressing',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-pod-subnet',
};

/**
 * Upgrades add surge nodes: 1 per pool unless upgradeSettings.maxSurge says otherwise (a count or a percentage
 * rounded up), and never more than the nodes being upgraded.
 */
export const UPGRADE_SURGE_DEFAULT: Fact<number> = {
  value: 1,
  source:
    'AKS docs, "Upgrade node pools", Customize node surge (default 1, other pages say 10%, see aks-facts 13.5; "If the max surge value is higher than the required number of nodes to be upgraded, the number of nodes to be upgraded is used for the max surge value")',
  link: 'https://learn.microsoft.com/azure/aks/upgrade-aks-node-pools-rolling',
};

/** Kubenet and overlay give each node a /24 of the pod CIDR. */
export const POD_CIDR_PER_NODE_PREFIX: Fact<number> = {
  value: 24,
  source: 'AKS docs, "Configure kubenet" (--pod-cidr); "Azure CNI Overlay", IP address planning > Pods',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay#pods',
};

/** Kubenet: one route per node in a route table of at most 400 routes (two per node with dual-stack). */
export const KUBENET_ROUTE_LIMIT: Fact<number> = {
  value: 400,
  source: 'AKS docs, "Configure kubenet", Overview ("a maximum of 400 routes in a UDR")',
  link: 'https://learn.microsoft.com/azure/aks/configure-kubenet',
};

/** maxPods is 10 to 250 per node for every plugin; 10 only when each pool can hold at least 30 pods. */
export const MAX_PODS_RANGE: Fact<{ min: number; max: number; minPodsPerPool: number }> = {
  value: { min: 10, max: 250, minPodsPerPool: 30 },
  source: 'AKS docs, "IP address planning", Maximum pods per node and Configuring maximum pods per node',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
};

/** maxPods defaults per network mode where the sources agree (pod subnet: 110 vs 250, disputed, so none). */
export const MAX_PODS_DEFAULTS: Fact<Partial<Record<'kubenet' | 'azure-cni' | 'overlay', number>>> = {
  value: { kubenet: 110, 'azure-cni': 30, overlay: 250 },
  source: 'AKS docs, "IP address planning", Maximum pods per node; "Azure CNI Overlay", Maximum pods per node',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
};

/** Windows Server nodes: at most 110 pods recommended. */
export const MAX_PODS_WINDOWS: Fact<number> = {
  value: 110,
  source: 'Azure subscription and service limits (AKS); AKS docs, "Azure CNI Overlay", Maximum pods per node',
  link: 'https://learn.microsoft.com/azure/aks/quotas-skus-regions',
};

/** Subnets Azure services require by name, and the smallest size each accepts or recommends. */
export const SPECIAL_SUBNETS: Fact<
  readonly { name: string; service: string; minimumPrefix: number; severity: 'error' | 'warning'; requirement: string }[]
> = {
  value: [
    { name: 'AzureFirewallSubnet', service: 'Azure Firewall', minimumPrefix: 26, severity: 'error', requirement: 'needs a /26' },
    { name: 'AzureBastionSubnet', service: 'Azure Bastion', minimumPrefix: 26, severity: 'error', requirement: 'needs a /26 or larger' },
    { name: 'GatewaySubnet', service: 'VPN and ExpressRoute gateways', minimumPrefix: 27, severity: 'warning', requirement: 'should be a /27 or larger' },
    // Forced-tunnelling management subnet: its /26 is UNCONFIRMED in our sources, hence a warning.
    { name: 'AzureFirewallManagementSubnet', service: 'Azure Firewall forced tunnelling', minimumPrefix: 26, severity: 'warning', requirement: 'should be a /26' },
  ],
  source:
    'Azure Firewall FAQ ("Why does Azure Firewall need a /26 subnet size?"); Azure Bastion configuration settings (Azure Bastion subnet); VPN Gateway settings (Gateway subnet)',
  link: 'https://learn.microsoft.com/azure/firewall/firewall-faq#why-does-azure-firewall-need-a--26-subnet-size',
};

/**
 * API server VNet integration (bring-your-own VNet): a subnet delegated to Microsoft.ContainerService/managedClusters, of
 * at least /28, where the cluster reserves at least 9 IPs.
 */
export const AKS_API_SERVER_SUBNET: Fact<{ minimumPrefix: number; reservedIps: number; delegation: string }> = {
  value: { minimumPrefix: 28, reservedIps: 9, delegation: 'Microsoft.ContainerService/managedClusters' },
  source: 'AKS docs, "API Server VNet Integration", AKS Standard: bring-your-own VNet',
  link: `${AKS_DOCS}api-server-vnet-integration`,
};

/**
 * What an NSG between the subnets must allow for API server VNet integration: the cluster (node) subnet to the API server
 * subnet on TCP 443 and 4443, and Azure Load Balancer (the AzureLoadBalancer tag) to the API server subnet on TCP 9988.
 * "These requirements apply to both AKS Standard and AKS Automatic clusters."
 */
export const AKS_API_SERVER_SUBNET_NSG: Fact<{ protocol: string; fromNodes: readonly number[]; fromLoadBalancer: readonly number[] }> = {
  value: { protocol: 'Tcp', fromNodes: [443, 4443], fromLoadBalancer: [9988] },
  source:
    'AKS docs, "Networking concepts for applications in AKS", Custom virtual network requirements (cluster subnet to API server subnet TCP 443 and 4443, Azure Load Balancer to API server subnet TCP 9988); "API Server VNet Integration", Network security group (NSG) security rules',
  link: `${AKS_DOCS}concepts-network#custom-virtual-network-requirements`,
};

/**
 * Network policies for private endpoints (a subnet's privateEndpointNetworkPolicies): "By default, network policies are
 * disabled for a subnet"; NSGs apply to the subnet's private endpoints only with Enabled or NetworkSecurityGroupEnabled,
 * user-defined routes only with Enabled or RouteTableEnabled. A private endpoint propagates a /32 route; a user-defined
 * route overrides it only when its prefix length is equal to or larger than the VNet address space's (a 0.0.0.0/0 route
 * does not), and only with route table policies enabled.
 */
export const PRIVATE_ENDPOINT_SUBNET_POLICIES: Fact<{
  leftOut: string;
  nsgApplies: readonly string[];
  routesApply: readonly string[];
  nsgOnly: string;
  routesOnly: string;
  both: string;
}> = {
  value: {
    leftOut: 'Disabled',
    nsgApplies: ['Enabled', 'NetworkSecurityGroupEnabled'],
    routesApply: ['Enabled', 'RouteTableEnabled'],
    nsgOnly: 'NetworkSecurityGroupEnabled',
    routesOnly: 'RouteTableEnabled',
    both: 'Enabled',
  },
  source:
    'Private Link docs, "Manage network policies for private endpoints" (disabled by default; NSG, user-defined routes or both; a user-defined route overrides the /32 private endpoint route only with a prefix length equal to or larger than the virtual network address space\'s, a 0.0.0.0/0 default route does not)',
  link: 'https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy',
};

/** Application Gateway v2: one IP per instance, up to 125 instances, plus 1 for a private frontend; a /24 is recommended. */
export const APPLICATION_GATEWAY_V2_SUBNET: Fact<{ maxInstances: number; privateFrontends: number; recommendedPrefix: number }> = {
  value: { maxInstances: 125, privateFrontends: 1, recommendedPrefix: 24 },
  source: 'Application Gateway docs, "Application Gateway infrastructure configuration", Size of the subnet',
  link: 'https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#size-of-the-subnet',
};

/**
 * An Application Gateway needs a subnet of its own: other application gateways may share it, no other resource may, and
 * v1 (Standard, WAF) and v2 (Standard_v2, WAF_v2; Basic is a v2 SKU) gateways cannot be mixed in one subnet.
 */
export const APPLICATION_GATEWAY_DEDICATED_SUBNET: Fact<{ v1Skus: readonly string[]; v2Skus: readonly string[] }> = {
  value: {
    v1Skus: ['Standard_Small', 'Standard_Medium', 'Standard_Large', 'WAF_Medium', 'WAF_Large'],
    v2Skus: ['Standard_v2', 'WAF_v2', 'Basic', 'Basic_v2', 'Basic_WAF_v2'],
  },
  source:
    'Application Gateway docs, "Application Gateway infrastructure configuration", Virtual network and dedicated subnet ("you can\'t deploy any other resource in the Application Gateway subnet. You can\'t mix v1 and v2 Application Gateway SKUs on the same subnet"); "What is Azure Application Gateway v2?", SKU types (v2 is available as Basic and Standard_v2/WAF_v2)',
  link: 'https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#virtual-network-and-dedicated-subnet',
};

/**
 * AGIC with a kubenet cluster: the Application Gateway reaches pods through the route table AKS fills with a route per
 * node's pod range; that route table must be associated with the Application Gateway subnet too (AGIC tries to do it
 * itself and fails without the permission), else the gateway cannot reach the pods (502).
 */
export const AGIC_KUBENET_ROUTE_TABLE: Fact<{ plugin: string }> = {
  value: { plugin: 'kubenet' },
  source:
    'Application Gateway docs, "Application Gateway infrastructure configuration", Supported user-defined routes (kubenet: associate the route table AKS uses with the Application Gateway subnet); AGIC docs, FAQ "Why is my AKS cluster with kubenet not working with AGIC?"',
  link: 'https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#supported-user-defined-routes',
};

/**
 * Application Gateway for Containers, bring-your-own deployment: the subnet it is associated with must be delegated to
 * Microsoft.ServiceNetworking/trafficControllers and have at least 250 free IPs (a /24); with Azure CNI Overlay it must
 * be exactly a /24. Kubenet is not supported.
 */
export const AGC_SUBNET: Fact<{ delegation: string; prefix: number; freeIps: number }> = {
  value: { delegation: 'Microsoft.ServiceNetworking/trafficControllers', prefix: 24, freeIps: 250 },
  source:
    'Application Gateway for Containers docs: quickstart "Create Application Gateway for Containers - bring your own deployment", Prepare your virtual network / subnet (delegated to Microsoft.ServiceNetworking/trafficControllers, at least 250 available IPs); "Container networking" (the subnet must be a /24 with Azure CNI Overlay; kubenet isn\'t supported)',
  link: 'https://learn.microsoft.com/azure/application-gateway/for-containers/container-networking',
};

/** Settings that are gone or going: dockerBridgeCidr, the Basic load balancer, ebpfDataplane, kubenet, Azure NPM. */
export const NETWORK_RETIREMENTS: Fact<{
  dockerBridgeRemovedInApi: string;
  basicLoadBalancer: string;
  kubenet: string;
  azureNpmLinux: string;
  azureNpmWindows: string;
}> = {
  value: {
    dockerBridgeRemovedInApi: '2023-04-01',
    basicLoadBalancer: '2025-09-30',
    kubenet: '2028-03-31',
    azureNpmLinux: '2028-09-30',
    azureNpmWindows: '2026-09-30',
  },
  source:
    'AKS docs: retirement notices for kubenet, Azure NPM (Linux, Windows) and the Basic load balancer; dockerBridgeCidr removed in API 2023-04-01 (see aks-facts 2, AKS_DOCKER_BRIDGE); "Azure CNI Powered by Cilium" (ebpfDataplane replaced by networkDataplane)',
  link: 'https://learn.microsoft.com/azure/aks/configure-kubenet',
};

/** The network feature compatibility matrix (aks-facts section 6), as far as the rules use it. */
export const FEATURE_COMPATIBILITY: Fact<true> = {
  value: true,
  source:
    'AKS docs: "Configure kubenet" (Limitations), "CNI networking overview" (Feature comparison), "Use network policies" (table), "Azure CNI Powered by Cilium" (Limitations), "Configure dual-stack" (Limitations)',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-cni-overview',
};

/** What each outbound type needs from the cluster's network. */
export const OUTBOUND_TYPE_REQUIREMENTS: Fact<true> = {
  value: true,
  source:
    'AKS docs: "Customize cluster egress with outbound types"; "Use a user-defined route for egress" (you must deploy the cluster into an existing virtual network with a subnet you configure; Requirements and limitations: 0.0.0.0/0 to an NVA or gateway, not Internet); "Managed NAT gateway" (managedNATGateway is not compatible with custom virtual networks; userAssignedNATGateway needs the NAT gateway on the cluster subnet)',
  link: 'https://learn.microsoft.com/azure/aks/egress-outboundtype',
};

/**
 * The Standard load balancer's outbound SNAT ports: 64,000 per frontend public IP, shared out as
 * allocatedOutboundPorts per node (0 to 64,000, a multiple of 8; 0 means automatic by pool size); 1 to 100
 * managed outbound IPs (default 1). Node capacity = 64,000 x IPs / ports per node; surge nodes need ports too.
 */
export const LOAD_BALANCER_SNAT: Fact<{ portsPerIp: number; maxPortsPerNode: number; portsMultiple: number; managedIps: { min: number; max: number; default: number } }> = {
  value: { portsPerIp: 64000, maxPortsPerNode: 64000, portsMultiple: 8, managedIps: { min: 1, max: 100, default: 1 } },
  source:
    'AKS docs, "Use a public Standard Load Balancer": Configure the allocated outbound ports (64,000 ports per IP; nodes = 64,000 / ports per node x IPs; spare ports for maxSurge) and Scale the number of managed outbound public IPs (1-100); CLI validation of --load-balancer-outbound-ports (multiple of 8, 0-64,000)',
  link: `${AKS_DOCS}configure-load-balancer-standard#configure-the-allocated-outbound-ports`,
};

/** Automatic outbound port allocation per node by backend pool size (one frontend IP), when allocatedOutboundPorts is 0 or not set. */
export const LOAD_BALANCER_DEFAULT_PORTS: Fact<readonly { upToNodes: number; ports: number }[]> = {
  value: [
    { upToNodes: 50, ports: 1024 },
    { upToNodes: 100, ports: 512 },
    { upToNodes: 200, ports: 256 },
    { upToNodes: 400, ports: 128 },
    { upToNodes: 800, ports: 64 },
    { upToNodes: 1000, ports: 32 },
  ],
  source: 'Azure Load Balancer docs, "Source Network Address Translation (SNAT) for outbound connections", Default port allocation table',
  link: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections#preallocatedports',
};

/** A NAT gateway takes 1 to 16 public IPs with 64,512 SNAT ports each; AKS's managed NAT gateway 1 to 16 managed IPs (default 1). */
export const NAT_GATEWAY_SNAT: Fact<{ portsPerIp: number; managedIps: { min: number; max: number; default: number } }> = {
  value: { portsPerIp: 64512, managedIps: { min: 1, max: 16, default: 1 } },
  source: 'AKS docs, "Managed NAT gateway" (introduction: 16 IPs, 64,512 ports each; Outbound IP parameters: managed IP count 1-16)',
  link: `${AKS_DOCS}nat-gateway`,
};

/** Azure load balancer annotations on Services and what AKS requires of a static internal LB IP. */
export const AKS_LOAD_BALANCER_SERVICES: Fact<{ internal: string; internalSubnet: string; ipv4: string }> = {
  value: {
    internal: 'service.beta.kubernetes.io/azure-load-balancer-internal',
    internalSubnet: 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet',
    ipv4: 'service.beta.kubernetes.io/azure-load-balancer-ipv4',
  },
  source:
    'AKS docs, "Use an internal load balancer" (Specify an IP address: free in the subnet, not reserved, not in the service CIDR; Specify a different subnet: a subnet name in the cluster VNet)',
  link: 'https://learn.microsoft.com/azure/aks/internal-lb',
};

/**
 * How AKS filters a LoadBalancer Service's clients: in the NSG it manages, from spec.loadBalancerSourceRanges or the
 * annotations below (using loadBalancerSourceRanges together with azure-allowed-service-tags is an error); a Service
 * that names none is open to every source. A subnet NSG of one's own must let those clients in as well.
 */
export const LOAD_BALANCER_SOURCE_FILTERING: Fact<{ allowedIpRanges: string; allowedServiceTags: string }> = {
  value: {
    allowedIpRanges: 'service.beta.kubernetes.io/azure-allowed-ip-ranges',
    allowedServiceTags: 'service.beta.kubernetes.io/azure-allowed-service-tags',
  },
  source:
    'AKS docs, "Use a public standard load balancer in AKS", Restrict inbound traffic to specific IP ranges (loadBalancerSourceRanges, azure-allowed-ip-ranges, azure-allowed-service-tags); "Network concepts for applications in AKS", Network security groups',
  link: 'https://learn.microsoft.com/azure/aks/configure-load-balancer-standard#restrict-inbound-traffic-to-specific-ip-ranges',
};

/**
 * AKS's cloud provider enables Floating IP on a Service's load-balancing rules unless the annotation says "true"; with
 * Floating IP the flow reaches the node with the frontend IP as its destination (and the Service's port), so that is
 * what the node subnet's NSG sees; without it, the node's own IP.
 */
export const LOAD_BALANCER_FLOATING_IP: Fact<{ disableAnnotation: string }> = {
  value: { disableAnnotation: 'service.beta.kubernetes.io/azure-disable-load-balancer-floating-ip' },
  source:
    'cloud-provider-azure, release v1.24.3 (kubernetes-sigs/cloud-provider-azure#1979: "If annotation is omitted or if the annotation is set to be false, then floating IP will be enabled"); Azure Load Balancer docs, "Floating IP" ("Enabling Floating IP changes the IP address mapping to the Frontend IP of the load Balancer")',
  link: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-floating-ip',
};

/**
 * A Private Link Service on an internal load balancer Service: `azure-pls-create: "true"` creates it, its NAT IPs come
 * from the subnet `azure-pls-ip-configuration-subnet` names (by default the load balancer's subnet), and that subnet
 * needs privateLinkServiceNetworkPolicies Disabled ("an explicit disable setting … is required").
 */
export const PRIVATE_LINK_SERVICE_SUBNET: Fact<{ create: string; subnet: string; disabled: string }> = {
  value: {
    create: 'service.beta.kubernetes.io/azure-pls-create',
    subnet: 'service.beta.kubernetes.io/azure-pls-ip-configuration-subnet',
    disabled: 'Disabled',
  },
  source:
    'AKS docs, "Use an internal load balancer", Connect Azure Private Link service to an internal load balancer (PLS annotations; the subnet defaults to the load balancer\'s); Private Link docs, "Disable network policies for Private Link service source IP"',
  link: 'https://learn.microsoft.com/azure/private-link/disable-private-link-service-network-policy',
};

/**
 * httpProxyConfig: AKS sets HTTP_PROXY/HTTPS_PROXY/NO_PROXY on nodes and injects them into pods; a `*` wildcard attached
 * to a domain suffix in noProxy is not supported. What AKS adds to noProxy itself is not documented (effectiveNoProxy is
 * "a superset of noProxy and values injected by AKS"): an AKS engineer listed the node subnet, pod and service CIDRs,
 * 168.63.129.16, 169.254.169.254 and the API server; users report that `.cluster.local` is not added. UNCONFIRMED, so
 * what noProxy lacks is a warning only.
 */
export const HTTP_PROXY_NO_PROXY: Fact<{ inClusterSuffixes: readonly string[]; wildcardPrefix: string }> = {
  value: { inClusterSuffixes: ['.svc', '.cluster.local'], wildcardPrefix: '*.' },
  source:
    'AKS docs, "HTTP proxy support in AKS" (httpProxyConfig, limitations: * as a wildcard attached to a domain suffix for noProxy); UNCONFIRMED: the values AKS injects (kubernetes-sigs/cluster-api-provider-azure#1947, Azure/AKS#3174)',
  link: 'https://learn.microsoft.com/azure/aks/http-proxy',
};

/**
 * A Private Link Service's annotations on an internal load balancer Service: it needs the internal load balancer
 * (`azure-load-balancer-internal: "true"` beside `azure-pls-create: "true"`); `azure-pls-ip-configuration-ip-address-count`
 * is 1 to 8 (default 1); `azure-pls-ip-configuration-ip-address` lists space-separated IPv4 addresses, no more than the
 * count, from the PLS subnet (its NAT IPs "are allocated within this subnet"); `azure-pls-visibility` lists subscription
 * IDs or `*` (anyone); `azure-pls-auto-approval` "must be a subset of the visibility list"; and with
 * `externalTrafficPolicy: Local` the PLS subnet must be different from the pod subnet.
 */
export const PRIVATE_LINK_SERVICE_ANNOTATIONS: Fact<{
  ipAddressCount: string;
  ipAddresses: string;
  visibility: string;
  autoApproval: string;
  count: { min: number; max: number; default: number };
  anyone: string;
  localTrafficPolicy: string;
}> = {
  value: {
    ipAddressCount: 'service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address-count',
    ipAddresses: 'service.beta.kubernetes.io/azure-pls-ip-configuration-ip-address',
    visibility: 'service.beta.kubernetes.io/azure-pls-visibility',
    autoApproval: 'service.beta.kubernetes.io/azure-pls-auto-approval',
    count: { min: 1, max: 8, default: 1 },
    anyone: '*',
    localTrafficPolicy: 'Local',
  },
  source:
    'AKS docs, "Use an internal load balancer", Connect Azure Private Link service to an internal load balancer (requirements: an internal load balancer, IPv4 only, a PLS subnet other than the pod subnet with externalTrafficPolicy Local; the annotations table: ip-address-count 1-8, ip-address no more than the count, auto-approval a subset of visibility)',
  link: 'https://learn.microsoft.com/azure/aks/internal-lb#connect-azure-private-link-service-to-internal-load-balancer',
};

/**
 * Where documentation and reports disagree on `azure-pls-auto-approval`: the AKS docs say its subscriptions "must be a
 * subset of the visibility list"; users report in cloud-provider-azure #1859 that auto-approval took effect only with
 * visibility `*`. UNCONFIRMED either way, so what it finds is a warning.
 */
export const PRIVATE_LINK_SERVICE_AUTO_APPROVAL: Fact<true> = {
  value: true,
  source: 'kubernetes-sigs/cloud-provider-azure issue #1859, "AKS Private Link Service requires global visbility"; AKS docs, "Use an internal load balancer" (azure-pls-auto-approval)',
  link: 'https://github.com/kubernetes-sigs/cloud-provider-azure/issues/1859',
};

/**
 * Azure Firewall as a cluster's egress: use at least 20 frontend public IPs in production to avoid SNAT port exhaustion
 * (a later revision of the page: "plan for at least 20 … and size the configuration for your workload"). Advice.
 */
export const FIREWALL_FRONTEND_IPS: Fact<{ productionMinimum: number }> = {
  value: { productionMinimum: 20 },
  source: 'AKS docs, "Control egress traffic using Azure Firewall in AKS", Firewall frontend IP requirements (production minimum: at least 20 frontend IPs to avoid SNAT port exhaustion)',
  link: `${AKS_DOCS}limit-egress-traffic#firewall-frontend-ip-requirements`,
};

/** HTTP proxy: AKS clusters with Windows node pools are among the scenarios the http-proxy doc lists as not supported. */
export const HTTP_PROXY_WINDOWS_POOLS: Fact<{ osType: string }> = {
  value: { osType: 'Windows' },
  source: 'AKS docs, "HTTP proxy support in AKS", Limitations and considerations ("AKS clusters with Windows node pools" are not supported)',
  link: `${AKS_DOCS}http-proxy#limitations-and-considerations`,
};

/** spec.loadBalancerIP is deprecated upstream (kubernetes/kubernetes#107235); AKS documents the ipv4/ipv6 annotations instead. */
export const LOAD_BALANCER_IP_DEPRECATED: Fact<true> = {
  value: true,
  source: 'Kubernetes Service API (spec.loadBalancerIP deprecated, kubernetes/kubernetes#107235); AKS docs, "Use a static public IP address and DNS label"',
  link: 'https://github.com/kubernetes/kubernetes/pull/107235',
};

/** The NodePort range of kube-apiserver's default --service-node-port-range; whether AKS lets it change is UNCONFIRMED. */
export const NODE_PORT_RANGE: Fact<{ min: number; max: number }> = {
  value: { min: 30000, max: 32767 },
  source: 'Kubernetes kube-apiserver default --service-node-port-range (30000-32767); AKS configurability UNCONFIRMED',
  link: 'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
};

/** Ranges connected to the cluster's network (peered VNets, on-premises over VPN or ExpressRoute) must not overlap its VNet, pod or service ranges. */
export const CONNECTED_NETWORKS_NO_OVERLAP: Fact<true> = {
  value: true,
  source:
    'AKS docs, "Azure CNI Overlay" (pod CIDR must not overlap directly connected networks: peering, ExpressRoute, VPN); "Legacy CNI" deployment parameters (service CIDR must not be used by any network element connected to the cluster VNet, on-premises included)',
  link: 'https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay#pods',
};

/** A NetworkPolicy applies to the pods of its namespace its podSelector selects; a from/to peer allows the pods its selectors select. */
export const NETWORK_POLICY_SELECTION: Fact<true> = {
  value: true,
  source:
    'Kubernetes docs, "Network Policies" (The NetworkPolicy resource: podSelector selects the pods of the namespace the policy applies to; from/to peers podSelector, namespaceSelector, both, ipBlock)',
  link: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource',
};

/** ipBlock.except must lie inside ipBlock.cidr: the API server rejects except values outside the cidr range. */
export const NETWORK_POLICY_IPBLOCK_EXCEPT: Fact<true> = {
  value: true,
  source:
    'Kubernetes API reference, NetworkPolicy v1, IPBlock ("except is a slice of CIDRs that should not be included within an IPBlock … Except values will be rejected if they are outside the cidr range")',
  link: 'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/#NetworkPolicySpec',
};

/** With the Cilium dataplane, NetworkPolicy ipBlocks cannot select pod or node IPs (aks-facts 6, CILIUM_IPBLOCK). */
export const CILIUM_IPBLOCK: Fact<true> = {
  value: true,
  source:
    'AKS docs, "Azure CNI Powered by Cilium", Limitations (ipBlock cannot select pod or node IPs, even 0.0.0.0/0; use namespaceSelector and podSelector) and FAQ',
  link: 'https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium#limitations',
};

/** A Service routes to the pods its selector matches; an Ingress backend names a Service and port in the Ingress's namespace. */
export const KUBERNETES_SERVICE_ROUTING: Fact<true> = {
  value: true,
  source: 'Kubernetes documentation, "Service" (selector) and "Ingress" (backend service name and port, same namespace)',
  link: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource',
};

/** The v1beta1 Ingress APIs are no longer served from Kubernetes 1.22; networking.k8s.io/v1 (since 1.19) replaces them. */
export const INGRESS_V1BETA1_REMOVED: Fact<{ removedIn: string; apiVersions: readonly string[]; replacement: string }> = {
  value: { removedIn: '1.22', apiVersions: ['extensions/v1beta1', 'networking.k8s.io/v1beta1'], replacement: 'networking.k8s.io/v1' },
  source:
    'Kubernetes docs, "Deprecated API Migration Guide", v1.22 Ingress (no longer served; spec.backend -> spec.defaultBackend, serviceName -> service.name, servicePort -> service.port.number or .name, pathType required: ImplementationSpecific matches v1beta1)',
  link: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/#ingress-v122',
};

/** Dual-stack: overlay only; default IPv6 pod and service CIDRs; IPv6 subnets are exactly /64. */
export const AKS_DUAL_STACK: Fact<{ podCidr: string; serviceCidr: string; subnetPrefix: number }> = {
  value: { podCidr: 'fd12:3456:789a::/64', serviceCidr: 'fd12:3456:789a:1::/108', subnetPrefix: 64 },
  source:
    'AKS docs, "Configure Azure CNI Overlay", Key parameters for dual-stack networking (defaults fd12:3456:789a::/64 and fd12:3456:789a:1::/108; service CIDR no larger than /108); "Configure dual-stack" (overlay required); Azure Virtual Network FAQ (IPv6 subnets are /64)',
  link: 'https://learn.microsoft.com/azure/aks/azure-cni-overlay#key-parameters-for-dual-stack-networking',
};

/** The ingress class names of AKS's ingress add-ons, as their docs write them. */
export const AKS_INGRESS_CLASSES: Fact<{ applicationGateway: readonly string[]; applicationRouting: string }> = {
  value: { applicationGateway: ['azure-application-gateway', 'azure/application-gateway'], applicationRouting: 'webapprouting.kubernetes.azure.com' },
  source:
    'Application Gateway Ingress Controller docs (ingressClassName azure-application-gateway; annotation kubernetes.io/ingress.class: azure/application-gateway); AKS docs, "Managed NGINX ingress with the application routing add-on" (ingressClassName webapprouting.kubernetes.azure.com)',
  link: 'https://learn.microsoft.com/azure/aks/app-routing',
};

/**
 * AdminNetworkPolicy (ANP) priorities and the BaselineAdminNetworkPolicy (BANP) singleton name. ANPs are evaluated
 * before NetworkPolicies, lowest priority number first and rules in order (Allow, Deny, Pass); Pass and unmatched
 * traffic go to the NetworkPolicies, or, where none selects the pod, to the BANP (Allow, Deny).
 */
export const ADMIN_NETWORK_POLICY: Fact<{ priority: { min: number; max: number }; baselineName: string }> = {
  value: { priority: { min: 0, max: 1000 }, baselineName: 'default' },
  source:
    'Kubernetes SIG Network, Network Policy API (policy.networking.k8s.io/v1alpha1), "API Overview": AdminNetworkPolicy priorities 0-1000, rule actions and precedence, the BaselineAdminNetworkPolicy named default',
  link: 'https://network-policy-api.sigs.k8s.io/',
};

const CAPZ_DEFAULTS = 'https://github.com/kubernetes-sigs/cluster-api-provider-azure/blob/main/api/v1beta1/azuremanagedcontrolplane_default.go';

/**
 * What Cluster API Provider Azure's webhook fills in on an AzureManagedControlPlane that leaves them out: the network
 * plugin, and a VNet and node subnet named after the control plane (other ranges with Azure CNI Overlay).
 */
export const CAPZ_CONTROL_PLANE_DEFAULTS: Fact<{
  networkPlugin: string;
  vnetCidr: string;
  subnetCidr: string;
  overlayVnetCidr: string;
  overlaySubnetCidr: string;
}> = {
  value: { networkPlugin: 'azure', vnetCidr: '10.0.0.0/8', subnetCidr: '10.240.0.0/16', overlayVnetCidr: '10.224.0.0/12', overlaySubnetCidr: '10.224.0.0/16' },
  source:
    'Cluster API Provider Azure, api/v1beta1/azuremanagedcontrolplane_default.go (setDefaultVirtualNetwork, setDefaultSubnet: name = the control plane\'s name; defaultAKSVnetCIDR, defaultAKSNodeSubnetCIDR and their overlay variants) and setDefaultNetworkPlugin (azure)',
  link: CAPZ_DEFAULTS,
};

const NSG_DOCS = 'https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview';

/** A network security group rule's priority: 100 to 4096, lower numbers first; the first rule that matches decides. */
export const NSG_RULE_PRIORITY: Fact<{ min: number; max: number }> = {
  value: { min: 100, max: 4096 },
  source: 'Azure Virtual Network docs, "Network security groups", Security rules (Priority: "A number between 100 and 4096 … Once traffic matches a rule, processing stops")',
  link: `${NSG_DOCS}#security-rules`,
};

/**
 * The rules Azure puts in every network security group, below every rule of one's own. Addresses are service tags
 * or `*`; every rule applies to every port and protocol.
 */
export const NSG_DEFAULT_RULES: Fact<readonly { name: string; priority: number; direction: 'Inbound' | 'Outbound'; access: 'Allow' | 'Deny'; source: string; destination: string }[]> = {
  value: [
    { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', source: 'VirtualNetwork', destination: 'VirtualNetwork' },
    { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', source: 'AzureLoadBalancer', destination: '*' },
    { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', source: '*', destination: '*' },
    { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', source: 'VirtualNetwork', destination: 'VirtualNetwork' },
    { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', source: '*', destination: 'Internet' },
    { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', source: '*', destination: '*' },
  ],
  source: 'Azure Virtual Network docs, "Network security groups", Default security rules (inbound and outbound; "You can\'t remove the default rules, but you can override them by creating rules with higher priorities")',
  link: `${NSG_DOCS}#default-security-rules`,
};

/**
 * Azure CNI Overlay: pod-to-pod traffic is not encapsulated and subnet NSG rules apply to it; where a subnet NSG has
 * deny rules that could impact pod CIDR traffic, node CIDR to node CIDR, node CIDR to pod CIDR (Service routing) and pod
 * CIDR to pod CIDR (pod-to-pod and pod-to-Service traffic, DNS among it) must be allowed on all ports and protocols.
 */
export const OVERLAY_NSG_CLUSTER_TRAFFIC: Fact<readonly { from: 'node' | 'pod'; to: 'node' | 'pod'; why: string }[]> = {
  value: [
    { from: 'node', to: 'node', why: 'node-to-node traffic' },
    { from: 'node', to: 'pod', why: 'node-to-pod traffic (Service routing)' },
    { from: 'pod', to: 'pod', why: 'pod-to-pod traffic (pod-to-Service traffic and DNS among it)' },
  ],
  source: 'AKS docs, "Azure CNI Overlay networking", Network security groups (pod-to-pod traffic is not encapsulated and subnet NSG rules are applied)',
  link: `${AKS_DOCS}concepts-network-azure-cni-overlay#network-security-groups`,
};

/**
 * The address Azure Load Balancer's health probes come from (IPv4), which the AzureLoadBalancer service tag names:
 * an NSG must allow it, or the probe fails and the load balancer marks the backend down.
 */
export const AZURE_LOAD_BALANCER_PROBE_SOURCE: Fact<{ address: string; serviceTag: string }> = {
  value: { address: '168.63.129.16', serviceTag: 'AzureLoadBalancer' },
  source:
    'Azure Load Balancer docs, "Health probes", Probe source IP address ("you must allow 168.63.129.16 IP address in any Azure network security groups … The AzureLoadBalancer service tag identifies this source IP address")',
  link: 'https://learn.microsoft.com/azure/load-balancer/load-balancer-custom-probe-overview#probe-source-ip-address',
};

/**
 * Service tags an NSG rule may name, as far as the files can tell their members: VirtualNetwork is the VNet's address
 * space with peered and connected networks (and the prefixes of user-defined routes, and the host's virtual IP);
 * Internet is the address space outside the VNet reachable from the public internet; every other tag (AzureCloud,
 * Storage, GatewayManager, …) is a list Azure publishes and changes, unknown here.
 */
export const NSG_SERVICE_TAGS: Fact<{ virtualNetwork: string; internet: string; loadBalancer: string; any: readonly string[] }> = {
  value: { virtualNetwork: 'VirtualNetwork', internet: 'Internet', loadBalancer: 'AzureLoadBalancer', any: ['*', 'Any', '0.0.0.0/0'] },
  source: 'Azure Virtual Network docs, "Virtual network service tags", Available service tags (VirtualNetwork, Internet, AzureLoadBalancer); "Network security groups", Default security rules ("0.0.0.0/0 … represents all addresses. Clients … can use * or any")',
  link: 'https://learn.microsoft.com/azure/virtual-network/service-tags-overview#available-service-tags',
};

/**
 * What an egress firewall must let AKS nodes reach. The application side: the AzureKubernetesService FQDN tag ("contains
 * all the FQDNs listed in outbound network and FQDN rules for AKS clusters"), or the global FQDNs on HTTPS 443. The
 * network side, each with the documents' condition: UDP 1194 and TCP 9000 to the control plane (not needed for private
 * clusters or with konnectivity-agent), UDP 123 for NTP (not needed for nodes provisioned after March 2021), TCP 443 to
 * the API server for pods outside kube-system that call it (not for private clusters). `privateClusters`: whether a
 * private cluster needs the rule.
 */
export const AKS_EGRESS_REQUIREMENTS: Fact<{
  fqdnTag: string;
  fqdns: readonly string[];
  networkRules: readonly { protocol: 'UDP' | 'TCP'; port: number; what: string; unless: string; privateClusters: boolean }[];
}> = {
  value: {
    fqdnTag: 'AzureKubernetesService',
    fqdns: [
      '*.hcp.<location>.azmk8s.io',
      'mcr.microsoft.com',
      '*.data.mcr.microsoft.com',
      'mcr-0001.mcr-msedge.net',
      'management.azure.com',
      'login.microsoftonline.com',
      'packages.microsoft.com',
      'acs-mirror.azureedge.net',
      'packages.aks.azure.com',
    ],
    networkRules: [
      { protocol: 'UDP', port: 1194, what: 'tunnelled communication between the nodes and the control plane', unless: 'a private cluster or a cluster with konnectivity-agent', privateClusters: false },
      { protocol: 'TCP', port: 9000, what: 'tunnelled communication between the nodes and the control plane', unless: 'a private cluster or a cluster with konnectivity-agent', privateClusters: false },
      { protocol: 'UDP', port: 123, what: 'NTP time synchronisation (ntp.ubuntu.com)', unless: 'nodes provisioned after March 2021', privateClusters: true },
      { protocol: 'TCP', port: 443, what: 'pods that call the API server', unless: 'a private cluster, or only kube-system pods calling it', privateClusters: false },
    ],
  },
  source:
    'AKS docs, "Outbound network and FQDN rules for AKS clusters", Azure Global required network rules and FQDN / application rules; "Limit network traffic with Azure Firewall in AKS" (the AzureKubernetesService FQDN tag, network rules still needed)',
  link: 'https://learn.microsoft.com/azure/aks/outbound-rules-control-egress#azure-global-required-network-rules',
};

/**
 * With an egress firewall, a subnet's 0.0.0.0/0 route goes to next hop VirtualAppliance at the firewall's private IP:
 * the route "must point to gateway/NVA, not directly to internet".
 */
export const UDR_FIREWALL_NEXT_HOP: Fact<true> = {
  value: true,
  source: 'AKS docs, "Limit network traffic with Azure Firewall in AKS", Create a route with a hop to Azure Firewall (next hop VirtualAppliance = the firewall\'s private IP); "Customize cluster egress with outbound types", userDefinedRouting',
  link: 'https://learn.microsoft.com/azure/aks/limit-egress-traffic#create-a-route-with-a-hop-to-azure-firewall',
};

/**
 * Asymmetric routing: with a default route from the cluster's subnet to the firewall's private IP (outboundType
 * userDefinedRouting), a Service of type LoadBalancer on a public load balancer breaks ingress: requests come in on the
 * load balancer's public IP, replies leave through the firewall, and "because the firewall is stateful, it drops the
 * returning packet". The documented fix: an internal load balancer Service and a DNAT rule on the firewall whose
 * translated address is the internal load balancer's IP.
 */
export const FIREWALL_ASYMMETRIC_ROUTING: Fact<true> = {
  value: true,
  source: 'AKS docs, "Limit network traffic with Azure Firewall in AKS", Add a DNAT rule to Azure Firewall (the asymmetric routing note: a public load balancer with a UDR to the firewall; an internal load balancer and a DNAT rule instead)',
  link: 'https://learn.microsoft.com/azure/aks/limit-egress-traffic#add-a-dnat-rule-to-azure-firewall',
};

const CILIUM_POLICY_DOCS = 'https://docs.cilium.io/en/stable/security/policy/';

/**
 * Cilium policy enforcement, default mode: an endpoint that a rule selects goes into default deny for a direction when
 * that rule has rules of that direction (`ingress`/`ingressDeny`, `egress`/`egressDeny`, a non-empty list: null and
 * `[]` are no section), unless the rule's `enableDefaultDeny` for that direction says false (such a rule still allows).
 */
export const CILIUM_DEFAULT_DENY: Fact<true> = {
  value: true,
  source:
    'Cilium docs, "Policy Enforcement Modes", Endpoint default policy (per direction; EnableDefaultDeny), and the Rule type\'s "If omitted or empty, this rule does not apply at ingress/egress" (Rule.Sanitize: len(Ingress) > 0 || len(IngressDeny) > 0)',
  link: `${CILIUM_POLICY_DOCS}intro/#endpoint-default-policy`,
};

/**
 * A CiliumNetworkPolicy applies in its namespace: its endpointSelector selects only pods of that namespace, and a
 * fromEndpoints/toEndpoints selector selects pods of that namespace unless it names a namespace itself
 * (`k8s:io.kubernetes.pod.namespace`, or the same key without the `k8s:` source) or namespace labels
 * (`io.cilium.k8s.namespace.labels.*`). A CiliumClusterwideNetworkPolicy is the same but not namespaced: its selectors
 * select pods of every namespace.
 */
export const CILIUM_NAMESPACES: Fact<{ namespaceKey: string; namespaceLabelsPrefix: string }> = {
  value: { namespaceKey: 'io.kubernetes.pod.namespace', namespaceLabelsPrefix: 'io.cilium.k8s.namespace.labels.' },
  source:
    'Cilium docs, "Using Kubernetes Constructs in Policy": Namespaces (the endpointSelector always applies in the policy\'s namespace; k8s:io.kubernetes.pod.namespace in fromEndpoints/toEndpoints; io.cilium.k8s.namespace.labels) and Clusterwide Policies',
  link: `${CILIUM_POLICY_DOCS}kubernetes/#namespaces`,
};

/**
 * Entities: world (outside the cluster, as 0.0.0.0/0), cluster (every endpoint of the cluster with host, remote-node
 * and init), all (cluster and world), and peers that are no pod: host, remote-node, kube-apiserver, ingress, init,
 * health, unmanaged. Traffic from the local host is allowed whatever the policy (allow-localhost, the default).
 */
export const CILIUM_ENTITIES: Fact<{ inCluster: readonly string[]; named: readonly string[] }> = {
  value: {
    inCluster: ['host', 'remote-node', 'kube-apiserver', 'ingress', 'init', 'health', 'unmanaged'],
    named: ['world', 'world-ipv4', 'world-ipv6', 'cluster', 'all'],
  },
  source: 'Cilium docs, "Layer 3 Examples", Entities based (the entity list) and Access to/from local host (local host traffic allowed by default)',
  link: `${CILIUM_POLICY_DOCS}language/#entities-based`,
};

/**
 * CIDR rules (toCIDR, toCIDRSet with except, fromCIDR, fromCIDRSet) select peers outside the cluster only: they do not
 * apply where both sides are Cilium-managed endpoints or nodes, so a CIDR covering pod or node ranges allows nothing
 * there.
 */
export const CILIUM_CIDR: Fact<true> = {
  value: true,
  source: 'Cilium docs, "Layer 3 Examples", IP/CIDR based ("CIDR rules do not apply to traffic where both sides of the connection are either managed by Cilium or use an IP belonging to a node") and Selecting nodes with CIDR',
  link: `${CILIUM_POLICY_DOCS}language/#ip-cidr-based`,
};

/**
 * toPorts: port numbers, named ports, port 0 (every port), endPort ranges; protocol TCP, UDP, SCTP, or ANY (also when
 * left out). A rule with toPorts and no L3 peer applies to every peer; a rule with neither allows nothing; an L3 list
 * written empty (`fromEndpoints: []`) selects nothing.
 */
export const CILIUM_PORTS: Fact<true> = {
  value: true,
  source:
    'Cilium docs, "Layer 4 Examples" (PortProtocol: port, endPort, protocol "TCP", "UDP", "SCTP", ""/"ANY"; an L4 rule alone applies "to any layer 3 destination") and the policy API: "Explicitly check for empty non-nil slices, it should not result in any identity being selected"',
  link: `${CILIUM_POLICY_DOCS}language/#layer-4-examples`,
};

/** Deny rules (ingressDeny, egressDeny) take precedence over allow rules of any CiliumNetworkPolicy, clusterwide policy or Kubernetes NetworkPolicy. */
export const CILIUM_DENY: Fact<true> = {
  value: true,
  source: 'Cilium docs, "Deny Policies" ("Deny policies take precedence over allow policies, regardless of whether they are a Cilium Network Policy, a Clusterwide Cilium Network Policy or even a Kubernetes Network Policy")',
  link: `${CILIUM_POLICY_DOCS}deny/`,
};

/**
 * On the Cilium dataplane Kubernetes NetworkPolicies are Cilium rules too: a pod is isolated in a direction when any
 * of them isolates it, and allowed what the union of their allow rules allows ("if there is an intersection between
 * two or more rules, then traffic matching the union of those rules will be allowed").
 */
export const CILIUM_RULE_UNION: Fact<true> = {
  value: true,
  source: 'Cilium docs, "Policy Enforcement Modes", Rule Basics (whitelist model: the union of the rules that match), and "Kubernetes Network Policy" support (NetworkPolicy enforced alongside CiliumNetworkPolicy)',
  link: `${CILIUM_POLICY_DOCS}intro/#rule-basics`,
};

/** toFQDNs allows the IPs DNS answers for names and patterns (learnt at run time); L7 rules (HTTP, Kafka, DNS) and serverNames filter what the L4 ports carry. */
export const CILIUM_FQDN_AND_L7: Fact<true> = {
  value: true,
  source: 'Cilium docs, "Layer 3 Examples", DNS based (toFQDNs matchName and matchPattern, IPs learnt from DNS responses) and "Layer 7 Examples"',
  link: `${CILIUM_POLICY_DOCS}language/#dns-based`,
};

/** fromRequires/toRequires add requirements to every fromEndpoints/toEndpoints peer of the rules selecting the endpoint; they allow nothing themselves. */
export const CILIUM_REQUIRES: Fact<true> = {
  value: true,
  source: 'Cilium docs, "Layer 3 Examples", Additional Label Requirements (fromRequires "doesn\'t allow anything on its own")',
  link: `${CILIUM_POLICY_DOCS}language/#additional-label-requirements`,
};

/** CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy are enforced by Cilium: on AKS, Azure CNI Powered by Cilium (networkDataplane: cilium). */
export const CILIUM_DATAPLANE_POLICIES: Fact<true> = {
  value: true,
  source: 'AKS docs, "Azure CNI Powered by Cilium" (Cilium enforces network policy, CiliumNetworkPolicy among them, on the Cilium dataplane) and "Use network policies" (policy engines per dataplane)',
  link: 'https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium',
};
