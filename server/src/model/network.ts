// The network model: what every reader lowers into and every rule reads.
// Entities are plain data; each value remembers its source.
import type { Cidr, CidrParse, IpAddress, IpParse } from '../cidr/cidr';
import type { AdminNetworkPolicy } from './adminNetworkPolicy';
import type { CiliumPolicy } from './ciliumNetworkPolicy';
import { isNotSet, type Source, type Unknown, unknown, type Value } from './source';

/** Where an address literal sits in the model; tells rules how to judge it. */
export type AddressRole =
  | 'vnet-address-space'
  | 'subnet-prefix'
  | 'pod-cidr'
  | 'service-cidr'
  | 'dns-service-ip'
  | 'load-balancer-ip'
  | 'network-policy-ip-block'
  | 'other';

/** Every CIDR or IP written in a field the model reads, valid or not, with its parse. */
export interface AddressLiteral {
  readonly role: AddressRole;
  readonly parse: CidrParse | IpParse;
  readonly source: Source;
}

export interface VirtualNetwork {
  /** Identifies the VNet in the workspace: its name, or a made-up key when the name is a placeholder. */
  readonly key: string;
  readonly name: string;
  readonly source: Source;
  readonly addressSpace: Value<Cidr>[];
  /** True when every entry of the address space is known. */
  readonly addressSpaceComplete: boolean;
  /** Its Azure name, when known: what a resource id names it by (references `by: 'resourceId'`). */
  readonly azureName?: string;
  /** ASO: the name of its Kubernetes object, what ASO's `{name}` references use (references `by: 'kubernetesName'`). */
  readonly kubernetesName?: string;
  /** The deployment that declares it: its own subnets find it first among VNets of the same name (topology.ts vnetOf). */
  readonly deployment?: string;
}

export interface Subnet {
  readonly name: string;
  /** Key of the virtual network that owns it, when the reader could tell. */
  readonly vnetKey: string | undefined;
  readonly source: Source;
  readonly prefixes: Value<Cidr>[];
  /** Name of the associated route table: not set when the subnet has none. */
  readonly routeTable: Value<string>;
  /** Name of the associated NAT gateway: not set when the subnet has none. */
  readonly natGateway: Value<string>;
  /** Name of the associated network security group: not set when the subnet has none; absent where a reader does not read it. */
  readonly networkSecurityGroup?: Value<string>;
  /** The associations an ASO `{name}` reference names by the Kubernetes name of the object (the others: by Azure name). */
  readonly kubernetesNamed?: readonly Association[];
  /** The services the subnet is delegated to (`delegations[].properties.serviceName`); absent where a reader does not read it. */
  readonly delegations?: Value<string>[];
  /** privateEndpointNetworkPolicies (Disabled, Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled): not set when absent. */
  readonly privateEndpointNetworkPolicies?: Value<string>;
  /** privateLinkServiceNetworkPolicies (Disabled, Enabled): not set when absent. */
  readonly privateLinkServiceNetworkPolicies?: Value<string>;
  /** ASO: the name of its Kubernetes object, what ASO's `{name}` references use (references `by: 'kubernetesName'`). */
  readonly kubernetesName?: string;
  /** The deployment that declares it (a Bicep deployment root): references from the same deployment resolve to it first. */
  readonly deployment?: string;
}

/** A range outside the workspace that nothing in it may overlap. */
export interface ExternalRange {
  readonly name: string;
  readonly range: Value<Cidr>;
}

/** A range an IP plan recorded in .aksnetlens.yaml reserves: later plans and quick fixes keep clear of it. */
export interface PlannedRange {
  /** The cluster the plan is for. */
  readonly plan: string;
  /** What the range is in the plan: vnet, a subnet's name, pod-cidr, service-cidr. */
  readonly name: string;
  readonly range: Value<Cidr>;
}

/** A template and the parameters files that feed it, as .aksnetlens.yaml pairs them (URIs). */
export interface DeclaredDeployment {
  readonly template: string;
  readonly parameters: readonly string[];
  readonly source: Source;
}

/** A team's rule setting from .aksnetlens.yaml: a severity, or off. */
export interface WorkspaceRuleSetting {
  readonly rule: string;
  readonly setting: 'error' | 'warning' | 'info' | 'off';
  readonly source: Source;
}

/** A route table and its routes (from the table's body and its child route resources). */
/** A subnet's association with a resource of its own: its route table, NAT gateway or network security group. */
export type Association = 'routeTable' | 'natGateway' | 'networkSecurityGroup';

export interface RouteTable {
  readonly name: string;
  /** ASO: the name of its Kubernetes object, what ASO's `{name}` references use. */
  readonly kubernetesName?: string;
  /**
   * A stand-in for a parent read elsewhere, made by a child (a route, a security rule) that names it only by its ASO
   * owner's Kubernetes name: its `name` is that, not an Azure name.
   */
  readonly ownerStandIn?: true;
  readonly source: Source;
  readonly routes: Route[];
  /** False when some routes could not be evaluated (a loop over unknown values, a templated list). */
  readonly routesComplete: boolean;
}

export interface Route {
  readonly name: string;
  readonly source: Source;
  /** A CIDR or a service tag, as written. */
  readonly addressPrefix: Value<string>;
  /** Internet, VirtualAppliance, VirtualNetworkGateway, VnetLocal, None. */
  readonly nextHopType: Value<string>;
  /** The appliance's IP for a VirtualAppliance next hop: not set when absent; absent where a reader does not read it. */
  readonly nextHopIpAddress?: Value<IpAddress>;
}

/** A network security group and its rules (inline `securityRules` and child securityRules resources). */
export interface NetworkSecurityGroup {
  readonly name: string;
  /** ASO: the name of its Kubernetes object, what ASO's `{name}` references use. */
  readonly kubernetesName?: string;
  /**
   * A stand-in for a parent read elsewhere, made by a child (a route, a security rule) that names it only by its ASO
   * owner's Kubernetes name: its `name` is that, not an Azure name.
   */
  readonly ownerStandIn?: true;
  readonly source: Source;
  readonly rules: SecurityRule[];
  /** False when some rules could not be evaluated (a loop over unknown values, a templated list, a child of another file). */
  readonly rulesComplete: boolean;
}

/** One security rule as written; address and port entries are kept as text (a CIDR, an IP, a service tag, `*`, `80-90`). */
export interface SecurityRule {
  readonly name: string;
  readonly source: Source;
  readonly priority: Value<number>;
  /** Inbound or Outbound. */
  readonly direction: Value<string>;
  /** Allow or Deny. */
  readonly access: Value<string>;
  /** Tcp, Udp, Icmp, Esp, Ah or `*`. */
  readonly protocol: Value<string>;
  /** sourceAddressPrefix and sourceAddressPrefixes; an application security group is an unknown entry (its members are elsewhere). */
  readonly sourceAddresses: Value<string>[];
  readonly destinationAddresses: Value<string>[];
  /** sourcePortRange and sourcePortRanges. */
  readonly sourcePorts: Value<string>[];
  readonly destinationPorts: Value<string>[];
}

/** An Azure Firewall: where it sits and the policy it enforces. */
export interface Firewall {
  readonly name: string;
  readonly source: Source;
  /** ipConfigurations[].properties.privateIPAddress, where a file writes it (Azure assigns it otherwise: unknown). */
  readonly privateIps: Value<IpAddress>[];
  /** The subnets of its IP configurations. */
  readonly subnets: SubnetReference[];
  /** Name of the firewall policy: not set when it has none. */
  readonly firewallPolicy: Value<string>;
  /** Classic rule collections (application, network, NAT) written on the firewall itself: not set or empty when none. */
  readonly classicRuleCollections: Value<number>;
  /**
   * Its frontend public IPs: the IP configurations that name a public IP, or a hub firewall's hubIPAddresses.publicIPs.count
   * (source: the first public IP's reference, or the count); unknown when the configurations cannot be evaluated, not set
   * when the file writes neither.
   */
  readonly frontendPublicIps?: Value<number>;
}

/** A firewall policy; its rule collection groups are children (`ruleCollectionGroups`), joined by the policy's name. */
export interface FirewallPolicy {
  readonly name: string;
  readonly source: Source;
  /** Name of the parent policy whose rules it inherits: not set when none. */
  readonly basePolicy: Value<string>;
}

export interface FirewallRuleCollectionGroup {
  readonly name: string;
  /** The name of the policy it belongs to. */
  readonly policy: string;
  readonly source: Source;
  readonly priority: Value<number>;
  readonly collections: FirewallRuleCollection[];
  readonly collectionsComplete: boolean;
}

export interface FirewallRuleCollection {
  readonly name: string;
  readonly source: Source;
  /** FirewallPolicyFilterRuleCollection or FirewallPolicyNatRuleCollection. */
  readonly collectionType: Value<string>;
  /** Allow, Deny (filter) or DNAT (NAT). */
  readonly action: Value<string>;
  readonly priority: Value<number>;
  readonly rules: FirewallRule[];
  readonly rulesComplete: boolean;
}

/** A firewall policy rule: application (FQDNs, FQDN tags), network (addresses, ports, protocols) or NAT. */
export interface FirewallRule {
  readonly name: string;
  readonly source: Source;
  /** ApplicationRule, NetworkRule or NatRule. */
  readonly ruleType: Value<string>;
  readonly sourceAddresses: Value<string>[];
  /** Source IP groups: their addresses are declared elsewhere. */
  readonly sourceIpGroups: number;
  readonly destinationAddresses: Value<string>[];
  readonly destinationIpGroups: number;
  /** Network rules' destinationFqdns. */
  readonly destinationFqdns: Value<string>[];
  readonly destinationPorts: Value<string>[];
  /** Network and NAT rules: TCP, UDP, ICMP, Any. */
  readonly ipProtocols: Value<string>[];
  /** Application rules. */
  readonly fqdnTags: Value<string>[];
  readonly targetFqdns: Value<string>[];
  /** Application rules: protocolType (Http, Https, Mssql) and port. */
  readonly protocols: { readonly protocolType: Value<string>; readonly port: Value<number> }[];
  /** NAT rules. */
  readonly translatedAddress: Value<string>;
  readonly translatedPort: Value<string>;
}

/** A VNet peering (`virtualNetworkPeerings`, inline or child): one direction of the link. */
export interface VirtualNetworkPeering {
  readonly name: string;
  readonly source: Source;
  /** Key of the VNet that declares it, when the reader could tell. */
  readonly vnetKey: string | undefined;
  /** Name of the remote VNet from its id: unknown when the id cannot be evaluated. */
  readonly remoteVnet: Value<string>;
  /** What remoteVnet is: the Azure name of a resource id, or the Kubernetes name of an ASO `{name}` reference. */
  readonly remoteBy: 'resourceId' | 'kubernetesName';
  /** remoteAddressSpace.addressPrefixes where written (else the remote VNet's own, when the workspace declares it). */
  readonly remoteAddressSpace: Value<Cidr>[];
}

export interface Cluster {
  /** Identifies the cluster in the workspace (namespace and name in YAML, the declaration instance in Bicep). */
  readonly key: string;
  readonly name: string;
  readonly source: Source;
  readonly networkPlugin: Value<string>;
  readonly networkPluginMode: Value<string>;
  readonly networkPolicy: Value<string>;
  readonly networkDataplane: Value<string>;
  readonly outboundType: Value<string>;
  readonly podCidrs: Value<Cidr>[];
  readonly serviceCidrs: Value<Cidr>[];
  readonly dnsServiceIp: Value<IpAddress>;
  /** The resource API version as a date (`2024-09-01`, `2024-05-02-preview`), when the format carries one. */
  readonly apiVersion: string | undefined;
  /** Legacy and retiring settings, kept so rules can say so. */
  readonly dockerBridgeCidr: Value<string>;
  readonly loadBalancerSku: Value<string>;
  readonly ebpfDataplane: Value<string>;
  /** The subnet the cluster's nodes use when a pool names none (e.g. CAPZ control plane's virtualNetwork.subnet). */
  readonly defaultNodeSubnet: SubnetReference | undefined;
  /** What the cluster's outbound path hands SNAT ports out with. */
  readonly outboundIps: OutboundIps;
  /** apiServerAccessProfile; absent where a reader does not read it. */
  readonly apiServerAccess?: ApiServerAccess;
  /** httpProxyConfig: absent when the cluster has none (or a reader does not read it). */
  readonly httpProxy?: HttpProxyConfig;
  /** The Application Gateway Ingress Controller add-on (addonProfiles.ingressApplicationGateway): absent when not written. */
  readonly ingressApplicationGateway?: IngressApplicationGatewayAddon;
  /** The parameters file of the environment this deployment of the cluster is evaluated with (none: its defaults). */
  readonly environment?: string;
}

/** networkProfile.loadBalancerProfile and natGatewayProfile, as far as SNAT capacity needs them. */
export interface OutboundIps {
  /** loadBalancerProfile.allocatedOutboundPorts per node; not set or 0: automatic allocation by pool size. */
  readonly allocatedOutboundPorts: Value<number>;
  /** managedOutboundIPs.count of the load balancer (not set: AKS creates 1). */
  readonly loadBalancerManagedIps: Value<number>;
  /**
   * The load balancer's outbound IPv4 addresses: the outboundIPs list, else managedOutboundIPs.count; not set
   * means AKS's default of one managed IP; unknown with outboundIPPrefixes, whose sizes are declared elsewhere.
   */
  readonly loadBalancerIps: Value<number>;
  /** natGatewayProfile.managedOutboundIPProfile.count (not set: 1). */
  readonly natGatewayManagedIps: Value<number>;
}

/** apiServerAccessProfile: private cluster, API server VNet integration and its subnet, authorized IP ranges. */
export interface ApiServerAccess {
  readonly enablePrivateCluster: Value<boolean>;
  readonly enableVnetIntegration: Value<boolean>;
  /** subnetId: the API server's subnet with VNet integration (bring your own VNet). */
  readonly subnet: SubnetReference | undefined;
  /** Why a written subnetId names no subnet (a deploy-time value, not a subnet id). */
  readonly subnetUnknown?: Unknown;
  /** authorizedIPRanges as written (not recorded as address literals: public ranges of one's own). */
  readonly authorizedIpRanges: Value<Cidr>[];
}

/** httpProxyConfig: the proxy AKS configures on nodes and injects into pods. */
export interface HttpProxyConfig {
  readonly source: Source;
  readonly httpProxy: Value<string>;
  readonly httpsProxy: Value<string>;
  /** The noProxy entries (hosts, domain suffixes, CIDRs); a list that cannot be evaluated is one unknown entry. */
  readonly noProxy: Value<string>[];
  /** The noProxy field itself (its key), for a finding about what it lacks: not set when absent. */
  readonly noProxyField: Value<true>;
}

/** addonProfiles.ingressApplicationGateway: AGIC, with the Application Gateway it drives when the file names one. */
export interface IngressApplicationGatewayAddon {
  readonly source: Source;
  readonly enabled: Value<boolean>;
  /** The name in config.applicationGatewayId: an existing gateway (brownfield); not set when AKS creates one. */
  readonly gateway: Value<string>;
}

/** A public IP address resource. */
export interface PublicIpAddress {
  readonly name: string;
  readonly source: Source;
  /** sku.name: Basic or Standard. */
  readonly sku: Value<string>;
  /** properties.ipAddress, where written (Azure assigns it otherwise). */
  readonly ipAddress: Value<IpAddress>;
}

/** A NAT gateway; its subnets name it (Subnet.natGateway). */
export interface NatGateway {
  readonly name: string;
  readonly source: Source;
  /** The names of its public IP addresses; an entry that cannot be evaluated is unknown. */
  readonly publicIps: Value<string>[];
  readonly publicIpPrefixes: Value<string>[];
}

/** An Application Gateway (v1 or v2): its SKU and the subnet of its gateway IP configuration. */
export interface ApplicationGateway {
  readonly name: string;
  readonly source: Source;
  /** sku.name (Standard_v2, WAF_v2, Standard_Small, …) and sku.tier. */
  readonly skuName: Value<string>;
  readonly skuTier: Value<string>;
  readonly subnets: SubnetReference[];
  /** Why a written subnet reference names no subnet. */
  readonly subnetUnknown?: Unknown;
}

/** Application Gateway for Containers (Microsoft.ServiceNetworking/trafficControllers). */
export interface TrafficController {
  readonly name: string;
  readonly source: Source;
}

/** An association of Application Gateway for Containers with a subnet (a child of the traffic controller). */
export interface TrafficControllerAssociation {
  readonly name: string;
  /** The name of the traffic controller it belongs to. */
  readonly controller: string;
  readonly source: Source;
  /** associationType: subnets. */
  readonly associationType: Value<string>;
  readonly subnet: SubnetReference | undefined;
  readonly subnetUnknown?: Unknown;
}

/** A private endpoint: the subnet it takes its IP from. */
export interface PrivateEndpoint {
  readonly name: string;
  readonly source: Source;
  readonly subnet: SubnetReference | undefined;
  readonly subnetUnknown?: Unknown;
  /** The group ids of its connections (blob, vault, management, …). */
  readonly groupIds: Value<string>[];
}

/** A Private Link service (Microsoft.Network/privateLinkServices): the subnets its NAT IP configurations take addresses from. */
export interface PrivateLinkService {
  readonly name: string;
  readonly source: Source;
  /** ipConfigurations[].properties.subnet.id. */
  readonly subnets: SubnetReference[];
  /** Why a written subnet reference names no subnet. */
  readonly subnetUnknown?: Unknown;
}

/** The load balancer's outbound IP count from what a loadBalancerProfile writes (see OutboundIps.loadBalancerIps). */
export function loadBalancerIpCount(managedCount: Value<number>, ipList: Value<number>, prefixesWritten: boolean): Value<number> {
  if (prefixesWritten) return unknown('outbound IP prefixes: their sizes are declared elsewhere');
  return isNotSet(ipList) ? managedCount : ipList;
}

/**
 * A reference to a subnet, as written in the file, typed by what names it (topology.ts resolveSubnet):
 * - `resourceId`: a resource id, the Azure names of the VNet (`vnetKey`) and the subnet (Bicep, ARM, Terraform, ASO armId);
 * - `kubernetesName`: an ASO `{name}` reference, the Kubernetes name of a Subnet object (`subnetName`);
 * - `vnetKey`: a subnet of a VNet the same reader declared, by the VNet's model key (CAPZ's own VNet, a planned one);
 * - `clusterVnet`: a subnet of the VNet of a cluster's default node subnet, by name (CAPZ's machine pool `subnetName`);
 * - `inDeployment`: a resource id whose VNet name cannot be evaluated (`resourceId(type, vnetName, 'aks')` with a
 *   generated name): the subnet of that name its own deployment declares, when one VNet of it has one.
 */
export type SubnetReference =
  | (ReferenceBase & { readonly by: 'resourceId'; readonly vnetKey: string })
  | (ReferenceBase & { readonly by: 'kubernetesName'; readonly vnetKey?: undefined })
  | (ReferenceBase & { readonly by: 'vnetKey'; readonly vnetKey: string })
  | (ReferenceBase & { readonly by: 'clusterVnet'; readonly vnetKey?: undefined; readonly clusterKey: string | undefined })
  | (ReferenceBase & { readonly by: 'inDeployment'; readonly vnetKey?: undefined });

interface ReferenceBase {
  readonly subnetName: string;
  readonly source: Source;
  /** The deployment the reference is made in: a subnet of the same deployment wins over same-named ones elsewhere. */
  readonly deployment?: string;
}

export interface NodePool {
  readonly name: string;
  readonly clusterName: string | undefined;
  /** The key of the cluster the pool belongs to, when the reader could tell. */
  readonly clusterKey: string | undefined;
  readonly source: Source;
  readonly count: Value<number>;
  readonly minCount: Value<number>;
  readonly maxCount: Value<number>;
  readonly maxPods: Value<number>;
  readonly osType: Value<string>;
  readonly mode: Value<string>;
  readonly enableAutoScaling: Value<boolean>;
  /** upgradeSettings.maxSurge: a node count ("3") or a percentage ("33%"). */
  readonly maxSurge: Value<string>;
  /** podIPAllocationMode: DynamicIndividual (default) or StaticBlock, with a pod subnet. */
  readonly podIpAllocationMode: Value<string>;
  readonly nodeSubnet: SubnetReference | undefined;
  readonly podSubnet: SubnetReference | undefined;
  /** Why a node subnet reference that is written could not be evaluated (a parameter without default, a placeholder). */
  readonly nodeSubnetUnknown?: Unknown;
  readonly podSubnetUnknown?: Unknown;
}

export interface KubernetesService {
  readonly name: string;
  readonly namespace: string | undefined;
  /** True when metadata.namespace is written but cannot be evaluated (a placeholder); `namespace` is then undefined. */
  readonly namespaceUnknown: boolean;
  readonly source: Source;
  readonly type: Value<string>;
  /** spec.loadBalancerSourceRanges as written (CIDRs as text); [] when left out. */
  readonly loadBalancerSourceRanges: readonly Value<string>[];
  /** spec.selector: the pod labels the Service sends traffic to; not set for a Service without selector. */
  readonly selector: Value<ReadonlyMap<string, string>>;
  /** spec.ports. */
  readonly ports: readonly ServicePort[];
  readonly annotations: ReadonlyMap<string, Value<string>>;
  /** The static load balancer IP: the azure-load-balancer-ipv4 annotation, else spec.loadBalancerIP. */
  readonly loadBalancerIp: Value<IpAddress>;
  /** spec.loadBalancerIP as written (deprecated upstream), with the key's and the whole entry's source for fixes. */
  readonly specLoadBalancerIp:
    | {
        readonly value: Value<string>;
        readonly entry: Source;
        /** The edits that move it to the azure-load-balancer-ipv4 annotation; undefined when they cannot be written safely. */
        readonly toAnnotation: readonly TextEdit[] | undefined;
      }
    | undefined;
  /** spec.ports[].nodePort values. */
  readonly nodePorts: Value<number>[];
  /** spec.externalTrafficPolicy as written (Cluster or Local); not set means Cluster. */
  readonly externalTrafficPolicy: Value<string>;
}

export interface KubernetesNetworkPolicy {
  readonly name: string;
  readonly namespace: string | undefined;
  /** True when metadata.namespace is written but cannot be evaluated (a placeholder); `namespace` is then undefined. */
  readonly namespaceUnknown: boolean;
  readonly source: Source;
  /** spec.podSelector: the pods of the policy's namespace it applies to (`{}`: all of them); its source is the key. */
  readonly podSelector: Value<LabelSelector>;
  /** spec.policyTypes as written; not set means Ingress, plus Egress when there are egress rules. */
  readonly policyTypes: Value<readonly string[]>;
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
}

/** A label selector: matchLabels AND matchExpressions. An empty selector selects everything. */
export interface LabelSelector {
  readonly matchLabels: ReadonlyMap<string, string>;
  readonly matchExpressions: readonly LabelRequirement[];
}

export interface LabelRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** One ingress (`from`) or egress (`to`) rule of a NetworkPolicy. */
export interface NetworkPolicyRule {
  readonly source: Source;
  /** The peers; none (field absent or empty) means every peer, in the cluster or not. */
  readonly peers: readonly NetworkPolicyPeer[];
  /** The ports; none (field absent or empty) means every port of every protocol. */
  readonly ports: readonly NetworkPolicyPort[];
}

/** A `from`/`to` entry: a pod selector, a namespace selector, both (AND), or an ipBlock. */
export interface NetworkPolicyPeer {
  readonly source: Source;
  /** undefined when the field is absent; the source of a selector is its key (`podSelector`, one line). */
  readonly podSelector: Value<LabelSelector> | undefined;
  readonly namespaceSelector: Value<LabelSelector> | undefined;
  readonly ipBlock: IpBlock | undefined;
}

export interface IpBlock {
  readonly source: Source;
  readonly cidr: Value<Cidr>;
  readonly except: readonly Value<Cidr>[];
}

export interface NetworkPolicyPort {
  readonly source: Source;
  /** TCP, UDP or SCTP; not set means TCP. */
  readonly protocol: Value<string>;
  /** A port number or a named container port; not set means every port of the protocol. */
  readonly port: Value<number | string>;
  /** The last port of a range that starts at `port`. */
  readonly endPort: Value<number>;
}

/** A port a container declares (spec.containers[].ports[]). */
export interface ContainerPort {
  readonly source: Source;
  readonly name: string | undefined;
  readonly containerPort: Value<number>;
  /** not set means TCP. */
  readonly protocol: Value<string>;
}

/** A Service port: what clients connect to and the pod port (a number or a container port name) it forwards to. */
export interface ServicePort {
  readonly source: Source;
  readonly name: string | undefined;
  readonly port: Value<number>;
  /** not set means the same as `port`. */
  readonly targetPort: Value<number | string>;
  readonly protocol: Value<string>;
}

/** The controller that owns a Pod (metadata.ownerReferences with controller: true, else the first). */
export interface OwnerReference {
  readonly kind: string | undefined;
  readonly name: string;
}

export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** True when metadata.namespace is written but cannot be evaluated (a placeholder); `namespace` is then undefined. */
  readonly namespaceUnknown: boolean;
  readonly source: Source;
  /** The labels of its pods: a Pod's own, a controller's pod template's. */
  readonly labels: ReadonlyMap<string, Value<string>>;
  /** A Pod's owner, when it has one. */
  readonly owner: OwnerReference | undefined;
  /** The ports its pods' containers declare. */
  readonly containerPorts: readonly ContainerPort[];
}

/** A Namespace object; namespaces that only appear in other objects' metadata have none. */
export interface KubernetesNamespace {
  readonly name: string;
  readonly source: Source;
  /** metadata.labels as written (Kubernetes adds kubernetes.io/metadata.name itself). */
  readonly labels: ReadonlyMap<string, Value<string>>;
}

/** Traffic an ingress controller sends to a Service: one backend of an Ingress, or an OpenShift Route. */
export interface IngressBackend {
  readonly kind: 'Ingress' | 'Route';
  /** The Ingress or Route name. */
  readonly name: string;
  readonly namespace: string | undefined;
  readonly namespaceUnknown: boolean;
  readonly source: Source;
  readonly serviceName: Value<string>;
  /** The Service port (number or name) for an Ingress; a Route's target port (number or name). Not set: every port. */
  readonly servicePort: Value<number | string>;
}

/** An Ingress object, for what its API version means. */
export interface KubernetesIngress {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly namespaceUnknown: boolean;
  readonly source: Source;
  /** spec.ingressClassName, else the kubernetes.io/ingress.class annotation: which controller serves it. */
  readonly ingressClass: Value<string>;
  /** apiVersion as written. */
  readonly apiVersion: Value<string>;
  /**
   * For a v1beta1 Ingress: the edits that rewrite its spec in networking.k8s.io/v1's shape (spec.defaultBackend,
   * service.name and service.port, a pathType on every path), apiVersion not included; undefined when some part
   * could not be rewritten safely.
   */
  readonly v1SpecEdits: readonly TextEdit[] | undefined;
}

/** Replace the text at a source with new text (an empty source inserts). */
export interface TextEdit {
  readonly source: Source;
  readonly newText: string;
}

/** A problem a reader met in a file (syntax error, file too large, not text). Reported by rules, not readers. */
export interface ReadProblem {
  readonly kind: 'yaml-syntax' | 'bicep-syntax' | 'terraform-syntax' | 'bicep-module-not-found' | 'file-not-read';
  readonly message: string;
  readonly source: Source;
}

/** Where a template parameter or variable is used, and what it evaluates to there (one value per deployment or loop item). */
export interface ValueUse {
  readonly source: Source;
  readonly values: readonly string[];
  /** The parameters file of the deployment it was evaluated in (none: the template's own values). */
  readonly environment?: string;
  /** Why it has no value to show (a Terraform data source: read from Azure at plan time). */
  readonly unknown?: string;
}

/** What one file contributes to the model. */
export interface FileFacts {
  readonly uri: string;
  readonly vnets: VirtualNetwork[];
  readonly subnets: Subnet[];
  readonly routeTables: RouteTable[];
  readonly networkSecurityGroups: NetworkSecurityGroup[];
  readonly firewalls: Firewall[];
  readonly firewallPolicies: FirewallPolicy[];
  readonly ruleCollectionGroups: FirewallRuleCollectionGroup[];
  readonly peerings: VirtualNetworkPeering[];
  readonly publicIps: PublicIpAddress[];
  readonly natGateways: NatGateway[];
  readonly applicationGateways: ApplicationGateway[];
  readonly trafficControllers: TrafficController[];
  readonly trafficControllerAssociations: TrafficControllerAssociation[];
  readonly privateEndpoints: PrivateEndpoint[];
  readonly privateLinkServices: PrivateLinkService[];
  /** Ranges declared in .aksnetlens.yaml that live outside the workspace (on-premises, peered hubs, other clusters). */
  readonly externalRanges: ExternalRange[];
  /** Ranges reserved by IP plans recorded in .aksnetlens.yaml. */
  readonly plannedRanges: PlannedRange[];
  /** Rule settings declared in .aksnetlens.yaml. */
  readonly ruleSettings: WorkspaceRuleSetting[];
  /** Templates and their parameters files paired in .aksnetlens.yaml. */
  readonly declaredDeployments: DeclaredDeployment[];
  readonly clusters: Cluster[];
  readonly nodePools: NodePool[];
  readonly services: KubernetesService[];
  readonly policies: KubernetesNetworkPolicy[];
  /** AdminNetworkPolicies and the BaselineAdminNetworkPolicy (policy.networking.k8s.io). */
  readonly adminPolicies: AdminNetworkPolicy[];
  /** CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies (cilium.io/v2). */
  readonly ciliumPolicies: CiliumPolicy[];
  readonly workloads: Workload[];
  readonly namespaces: KubernetesNamespace[];
  readonly ingressBackends: IngressBackend[];
  readonly ingresses: KubernetesIngress[];
  readonly addressLiterals: AddressLiteral[];
  /** For hovers on a use of a parameter or variable; no rule reads them. */
  readonly valueUses: ValueUse[];
  readonly problems: ReadProblem[];
}

/** The whole workspace's network, joined from every file. */
export type NetworkModel = Omit<FileFacts, 'uri'>;

/** A model with nothing in it. */
export function emptyModel(): NetworkModel {
  return {
    vnets: [],
    subnets: [],
    routeTables: [],
    networkSecurityGroups: [],
    firewalls: [],
    firewallPolicies: [],
    ruleCollectionGroups: [],
    peerings: [],
    publicIps: [],
    natGateways: [],
    applicationGateways: [],
    trafficControllers: [],
    trafficControllerAssociations: [],
    privateEndpoints: [],
    privateLinkServices: [],
    externalRanges: [],
    plannedRanges: [],
    ruleSettings: [],
    declaredDeployments: [],
    clusters: [],
    nodePools: [],
    services: [],
    policies: [],
    adminPolicies: [],
    ciliumPolicies: [],
    workloads: [],
    namespaces: [],
    ingressBackends: [],
    ingresses: [],
    addressLiterals: [],
    valueUses: [],
    problems: [],
  };
}

export function emptyFileFacts(uri: string): FileFacts {
  return { uri, ...emptyModel() };
}

/** Joins the facts of many files into one model. */
export function joinModel(files: Iterable<FileFacts>): NetworkModel {
  const model = emptyModel();
  for (const file of files) {
    for (const key of Object.keys(model) as (keyof NetworkModel)[]) {
      (model[key] as unknown[]).push(...file[key]);
    }
  }
  return model;
}
