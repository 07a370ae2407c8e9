// Deterministic benchmark inputs: realistic AKS networking YAML and Bicep, at any size.

/** A small deterministic pseudo-random generator (mulberry32), so every run measures the same input. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One multi-document YAML file of `objects` Kubernetes and ASO objects (~100 bytes of YAML each on average x 1). */
export function yamlWorkload(objects: number, seed = 1): string {
  const next = random(seed);
  const docs: string[] = [];
  // Names are unique per seed, as they are per team in a real workspace.
  for (let n = 0; docs.length < objects; n++) {
    const i = `${seed}-${n}`;
    const octets = seed * 1000 + n;
    const team = `team${octets % 97}`;
    const octet2 = octets % 250;
    const octet3 = Math.floor(octets / 250) % 250;
    docs.push(`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: vnet-${i}
  namespace: ${team}
spec:
  location: westeurope
  addressSpace:
    addressPrefixes:
      - 10.${octet2}.0.0/16`);
    docs.push(`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes-${i}
  namespace: ${team}
spec:
  owner:
    name: vnet-${i}
  addressPrefix: 10.${octet2}.${octet3}.0/24`);
    docs.push(`apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks-${i}
  namespace: ${team}
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    podCidr: 192.168.0.0/16
    serviceCidr: 172.20.0.0/16
    dnsServiceIP: 172.20.0.10
  agentPoolProfiles:
    - name: system
      count: ${1 + Math.floor(next() * 10)}
      maxPods: 110
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-${i}/subnets/nodes-${i}`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: api-${i}
  namespace: ${team}
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  selector:
    app: api-${i}
  ports:
    - port: 443
      targetPort: 8443`);
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api-${i}
  namespace: ${team}
spec:
  podSelector:
    matchLabels:
      app: api-${i}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 8443`);
  }
  return docs.slice(0, objects).join('\n---\n') + '\n';
}

/** A Bicep file of about `bytes` bytes: VNets with subnets computed by cidrSubnet, clusters, params. */
export function bicepFile(bytes: number, seed = 2): string {
  const next = random(seed);
  const parts: string[] = ["targetScope = 'resourceGroup'", "param location string = 'westeurope'"];
  let size = parts.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const block = `
@description('Address space of spoke ${i}')
param spoke${i}Cidr string = '10.${i % 250}.0.0/16'

var spoke${i}Subnets = [for s in range(0, 4): {
  name: 'snet-${i}-\${s}'
  properties: {
    addressPrefix: cidrSubnet(spoke${i}Cidr, 24, s)
  }
}]

resource vnet${i} 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-spoke-${i}'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        spoke${i}Cidr
      ]
    }
    subnets: spoke${i}Subnets
  }
}

resource aks${i} 'Microsoft.ContainerService/managedClusters@2024-09-01' = if (${next() > 0.1 ? 'true' : 'false'}) {
  name: 'aks-${i}'
  location: location
  properties: {
    agentPoolProfiles: [
      {
        name: 'system'
        count: ${1 + Math.floor(next() * 5)}
        maxPods: 30
        vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet${i}.name, 'snet-${i}-0')
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      podCidr: '192.168.0.0/16'
      serviceCidr: '172.20.0.0/16'
      dnsServiceIP: '172.20.0.10'
    }
  }
}
`;
    parts.push(block);
    size += block.length;
  }
  return parts.join('\n');
}

/** Pods per namespace in the flow engine's clusters: constant, so a bigger cluster has more namespaces, as teams are added. */
const PODS_PER_NAMESPACE = 25;
/** Each app runs about four pods (two ReplicaSets of two). */
const PODS_PER_APP = 4;
const TIERS = ['web', 'api', 'db', 'cache'];

/**
 * A cluster dump for the NetworkPolicy flow engine: Namespaces, `pods` Pods and `policies` NetworkPolicies that
 * use every feature (matchExpressions, namespace selectors, named ports, endPort, ipBlocks with except, egress).
 * Namespaces grow with the pods (25 pods each) and policies spread evenly over them; team labels stay five
 * (a namespace selector by team matches a fifth of the namespaces, at every size).
 */
export function flowCluster(pods: number, policies: number): string {
  const namespaces = Math.max(1, Math.round(pods / PODS_PER_NAMESPACE));
  const apps = Math.max(1, Math.round(PODS_PER_NAMESPACE / PODS_PER_APP));
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) docs.push(flowNamespace(n));
  for (let i = 0; i < pods; i++) docs.push(flowPod(i, i % namespaces, Math.floor(i / namespaces) % apps));
  for (let p = 0; p < policies; p++) docs.push(flowPolicy(p, p % namespaces, Math.floor(p / namespaces) % apps, apps));
  return docs.join('\n---\n') + '\n';
}

function flowNamespace(n: number): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ns${n}
  labels: { team: team${n % 5}, env: ${n % 2 ? 'prod' : 'dev'} }`;
}

function flowPod(i: number, namespace: number, app: number): string {
  // Every other pod belongs to a ReplicaSet (two pods per owner), as in a real cluster dump.
  const owner = i % 2 ? `\n  ownerReferences: [{ kind: ReplicaSet, name: app${app}-rs${Math.floor(i / 4)}, controller: true }]` : '';
  return `apiVersion: v1
kind: Pod
metadata:
  name: pod${i}
  namespace: ns${namespace}
  labels: { app: app${app}, tier: ${TIERS[i % TIERS.length]}, version: v${i % 3} }${owner}
spec:
  containers:
    - name: main
      ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }, { name: dns, containerPort: 53, protocol: UDP }]`;
}

function flowPolicy(p: number, namespace: number, app: number, apps: number): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: policy${p}
  namespace: ns${namespace}
spec:
  podSelector:
    matchLabels: { app: app${app} }
  policyTypes: [Ingress${p % 3 === 0 ? ', Egress' : ''}]
  ingress:
    - from:
        - podSelector:
            matchExpressions: [{ key: tier, operator: In, values: [web, api] }]
      ports: [{ port: http }, { port: 8443, endPort: ${8443 + (p % 10)} }]
    - from:
        - namespaceSelector: { matchLabels: { team: team${p % 5} } }
          podSelector: { matchLabels: { tier: ${TIERS[p % TIERS.length]} } }
        - ipBlock: { cidr: 10.${p % 256}.0.0/16, except: [10.${p % 256}.${p % 7}.0/24] }
      ports: [{ port: metrics }, { port: 53, protocol: UDP }]
  egress:
    - to: [{ namespaceSelector: {} }]
      ports: [{ port: 53, protocol: UDP }]
    - to: [{ podSelector: { matchLabels: { app: app${(app + 1) % apps} } } }]
    - to: [{ ipBlock: { cidr: 192.168.${p % 256}.0/24 } }]
      ports: [{ port: 443 }]`;
}

/**
 * The flow engine's cluster (the same Namespaces and Pods as `flowCluster`) with `policies` CiliumNetworkPolicies that
 * use the L3/L4 constructs: endpointSelector, fromEndpoints with matchExpressions, namespace labels
 * (`k8s:io.cilium.k8s.namespace.labels.team`), fromCIDRSet with except, toPorts with named ports and endPort, egress
 * to endpoints, CIDRs and (every fifth) an FQDN, and (every seventh) an ingressDeny rule. `version` 1 is the same set
 * changed as a review would change it: every tenth policy opens another port range and admits another tier, every
 * fiftieth is gone, and as many new ones appear; version 0 and 1 are the diff bench's two sides.
 */
export function ciliumCluster(pods: number, policies: number, version = 0): string {
  const namespaces = Math.max(1, Math.round(pods / PODS_PER_NAMESPACE));
  const apps = Math.max(1, Math.round(PODS_PER_NAMESPACE / PODS_PER_APP));
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) docs.push(flowNamespace(n));
  for (let i = 0; i < pods; i++) docs.push(flowPod(i, i % namespaces, Math.floor(i / namespaces) % apps));
  for (let p = 0; p < policies; p++) {
    const gone = version === 1 && p % 50 === 49;
    // A removed policy is replaced by a new one of another number: the count stays `policies`.
    const number = gone ? policies + p : p;
    docs.push(ciliumPolicy(number, p % namespaces, Math.floor(p / namespaces) % apps, apps, version === 1 && p % 10 === 0));
  }
  return docs.join('\n---\n') + '\n';
}

function ciliumPolicy(p: number, namespace: number, app: number, apps: number, changed: boolean): string {
  const tiers = changed ? '[web, api, cache]' : '[web, api]';
  const lastPort = 8443 + (p % 10) + (changed ? 20 : 0);
  const egress =
    p % 3 === 0
      ? `
  egress:
    - toEndpoints: [{}]
      toPorts: [{ ports: [{ port: "53", protocol: UDP }] }]
    - toEndpoints: [{ matchLabels: { app: app${(app + 1) % apps} } }]
    - toCIDR: [192.168.${p % 256}.0/24]
      toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]${
        p % 5 === 0
          ? `
    - toFQDNs: [{ matchName: api${p % 20}.example.com }]
      toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]`
          : ''
      }`
      : '';
  const deny =
    p % 7 === 0
      ? `
  ingressDeny:
    - fromEndpoints: [{ matchLabels: { tier: cache } }]
      toPorts: [{ ports: [{ port: "9090", protocol: TCP }] }]`
      : '';
  return `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: cnp${p}
  namespace: ns${namespace}
spec:
  endpointSelector:
    matchLabels: { app: app${app} }
  ingress:
    - fromEndpoints:
        - matchExpressions: [{ key: tier, operator: In, values: ${tiers} }]
      toPorts: [{ ports: [{ port: http, protocol: TCP }, { port: "8443", endPort: ${lastPort}, protocol: TCP }] }]
    - fromEndpoints:
        - matchLabels: { "k8s:io.cilium.k8s.namespace.labels.team": team${p % 5}, tier: ${TIERS[p % TIERS.length]} }
      toPorts: [{ ports: [{ port: metrics, protocol: TCP }, { port: "53", protocol: UDP }] }]
    - fromCIDRSet:
        - { cidr: 10.${p % 256}.0.0/16, except: [10.${p % 256}.${p % 7}.0/24] }
      toPorts: [{ ports: [{ port: "9090", protocol: TCP }, { port: "53", protocol: UDP }] }]${deny}${egress}`;
}

/**
 * One virtual network of `subnets` /24 subnets (Azure allows up to 3,000 per VNet: azure-virtual-network-limits), a few overlapping,
 * and an internal load balancer Service for every tenth subnet: the rules that look inside one VNet.
 */
export function crowdedVnet(subnets: number): string {
  const docs = [`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: crowded
spec:
  addressSpace:
    addressPrefixes:
      - 10.0.0.0/8`];
  for (let i = 0; i < subnets; i++) {
    // Every hundredth subnet repeats the one before it: overlaps for the rule to report.
    const n = i % 100 === 99 ? i - 1 : i;
    docs.push(`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: snet-${i}
spec:
  owner:
    name: crowded
  addressPrefix: 10.${(n >> 8) & 255}.${n & 255}.0/24`);
  }
  for (let i = 0; i < subnets; i += 10) {
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  loadBalancerIP: 10.${(i >> 8) & 255}.${i & 255}.7`);
  }
  return docs.join('\n---\n') + '\n';
}

/**
 * The top of a Terraform configuration: provider requirements, the variables every spoke file of the folder uses, and
 * common tags. `terraformSpokes` files sit beside it, as a team splits a configuration into one file per spoke.
 */
export function terraformHeader(seed = 3): string {
  return `terraform {
  required_version = ">= 1.5"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

variable "location" {
  description = "Azure region of every resource"
  type        = string
  default     = "westeurope"
}

variable "resource_group_name" {
  type    = string
  default = "rg-network-${seed}"
}

variable "hub_cidr" {
  description = "Address space of the hub, where the firewall is"
  type        = string
  default     = "10.255.${seed % 256}.0/24"
}

locals {
  common_tags = {
    owner       = "platform-${seed}"
    environment = "prod"
    managed_by  = "terraform"
  }
  firewall_ip = cidrhost(var.hub_cidr, 4)
}
`;
}

const TERRAFORM_SUBNETS = ['nodes', 'system', 'ingress', 'endpoints'];

/**
 * About `bytes` bytes of Terraform spokes: per spoke, variables with defaults, locals with a `for` expression over
 * `cidrsubnet`, a VNet, its subnets by `for_each`, a route table to the hub's firewall with its associations (a `for`
 * with a condition over the subnets), an AKS cluster behind a `count` with its default node pool and network profile,
 * and a user node pool. Spoke `first + i` of seed `seed`: names are unique per seed, and every spoke's /20 is its own
 * up to 4,096 spokes per seed.
 */
export function terraformSpokes(bytes: number, seed = 3, first = 0): string {
  const next = random(seed * 7919 + first);
  const parts: string[] = [];
  let size = 0;
  for (let n = first; size < bytes; n++) {
    const i = `${seed}_${n}`;
    const space = `10.${(n >> 4) & 255}.${(n & 15) << 4}.0/20`;
    const enabled = next() > 0.1;
    const subnets = TERRAFORM_SUBNETS.map((name) => `"${name}"`).join(', ');
    const block = `
variable "spoke_${i}_cidr" {
  description = "Address space of spoke ${i}"
  type        = string
  default     = "${space}"
}

variable "spoke_${i}_node_count" {
  type    = number
  default = ${1 + Math.floor(next() * 5)}
}

variable "spoke_${i}_aks_enabled" {
  type    = bool
  default = ${enabled}
}

locals {
  spoke_${i}_subnets = {
    for index, name in [${subnets}] : name => cidrsubnet(var.spoke_${i}_cidr, 4, index)
  }
  spoke_${i}_tags = merge(local.common_tags, { spoke = "${i}" })
}

resource "azurerm_virtual_network" "spoke_${i}" {
  name                = "vnet-spoke-${i}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = [var.spoke_${i}_cidr]
  tags                = local.spoke_${i}_tags
}

resource "azurerm_subnet" "spoke_${i}" {
  for_each             = local.spoke_${i}_subnets
  name                 = "snet-\${each.key}-${i}"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.spoke_${i}.name
  address_prefixes     = [each.value]
}

resource "azurerm_route_table" "spoke_${i}" {
  name                = "rt-spoke-${i}"
  location            = var.location
  resource_group_name = var.resource_group_name

  route {
    name                   = "default-to-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = local.firewall_ip
  }
}

resource "azurerm_subnet_route_table_association" "spoke_${i}" {
  for_each       = { for key, subnet in azurerm_subnet.spoke_${i} : key => subnet.id if key != "endpoints" }
  subnet_id      = each.value
  route_table_id = azurerm_route_table.spoke_${i}.id
}

resource "azurerm_kubernetes_cluster" "spoke_${i}" {
  count               = var.spoke_${i}_aks_enabled ? 1 : 0
  name                = "aks-spoke-${i}"
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = "aks-spoke-${i}"

  default_node_pool {
    name           = "system"
    vm_size        = "Standard_D4s_v5"
    node_count     = var.spoke_${i}_node_count
    max_pods       = 30
    vnet_subnet_id = azurerm_subnet.spoke_${i}["system"].id
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    pod_cidr            = "192.168.0.0/16"
    service_cidr        = "172.20.0.0/16"
    dns_service_ip      = "172.20.0.10"
    outbound_type       = "userDefinedRouting"
  }

  identity {
    type = "SystemAssigned"
  }

  tags = local.spoke_${i}_tags
}

resource "azurerm_kubernetes_cluster_node_pool" "spoke_${i}_user" {
  count                 = var.spoke_${i}_aks_enabled ? 1 : 0
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.spoke_${i}[0].id
  vm_size               = "Standard_D8s_v5"
  auto_scaling_enabled  = true
  min_count             = 1
  max_count             = ${3 + Math.floor(next() * 20)}
  max_pods              = 50
  vnet_subnet_id        = azurerm_subnet.spoke_${i}["nodes"].id
}
`;
    parts.push(block);
    size += block.length;
  }
  return parts.join('');
}

/** One Terraform configuration in one file of about `bytes` bytes: the header and spokes. */
export function terraformFile(bytes: number, seed = 3): string {
  const header = terraformHeader(seed);
  return header + terraformSpokes(bytes - header.length, seed);
}
