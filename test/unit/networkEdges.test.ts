// The network around the cluster, second part (issue 18): public IPs, NAT gateways, Application Gateway, Application
// Gateway for Containers and its associations, private endpoints, subnet delegations and network policy flags, and the
// cluster's apiServerAccessProfile and httpProxyConfig, lowered alike from Bicep, ARM JSON and ASO YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkModel } from '../../server/src/model/network.ts';
import type { Value } from '../../server/src/model/source.ts';
import { resolveSubnet } from '../../server/src/model/topology.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

function modelOf(files: Record<string, string>): NetworkModel {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return workspace.analyze().model;
}

/** A value as text: its value, `?` for unknown, `-` for not set. */
function show(value: Value<unknown> | undefined): string {
  if (value === undefined) return 'absent';
  if (!value.known) return value.reason === 'not set' ? '-' : '?';
  const raw = value.value as unknown;
  if (typeof raw === 'object' && raw !== null && 'prefix' in raw) return `cidr${(raw as { prefix: number }).prefix}`;
  if (typeof raw === 'object' && raw !== null && 'value' in raw) return `ip:${(raw as { value: bigint }).value}`;
  return String(raw);
}

const BICEP = `
param peSubnet string
resource pip 'Microsoft.Network/publicIPAddresses@2023-11-01' = {
  name: 'pip-nat'
  sku: { name: 'Standard' }
  properties: { publicIPAllocationMethod: 'Static' }
}
resource nat 'Microsoft.Network/natGateways@2023-11-01' = {
  name: 'nat'
  properties: { publicIpAddresses: [ { id: pip.id } ] }
}
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] }
    subnets: [
      { name: 'nodes', properties: { addressPrefix: '10.0.0.0/22', natGateway: { id: nat.id } } }
      { name: 'agc', properties: { addressPrefix: '10.0.4.0/24', delegations: [ { name: 'agc', properties: { serviceName: 'Microsoft.ServiceNetworking/trafficControllers' } } ] } }
      { name: 'appgw', properties: { addressPrefix: '10.0.5.0/24' } }
      { name: 'api', properties: { addressPrefix: '10.0.6.0/28', delegations: [ { name: 'aks', properties: { serviceName: 'Microsoft.ContainerService/managedClusters' } } ] } }
      { name: 'links', properties: { addressPrefix: '10.0.7.0/24', privateEndpointNetworkPolicies: 'Enabled', privateLinkServiceNetworkPolicies: 'Disabled' } }
    ]
  }
}
resource appgw 'Microsoft.Network/applicationGateways@2023-11-01' = {
  name: 'appgw'
  properties: {
    sku: { name: 'WAF_v2', tier: 'WAF_v2' }
    gatewayIPConfigurations: [ { name: 'ip', properties: { subnet: { id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'appgw') } } } ]
  }
}
resource agc 'Microsoft.ServiceNetworking/trafficControllers@2025-01-01' = { name: 'agc', location: 'westeurope', properties: {} }
resource association 'Microsoft.ServiceNetworking/trafficControllers/associations@2025-01-01' = {
  parent: agc
  name: 'to-subnet'
  location: 'westeurope'
  properties: { associationType: 'subnets', subnet: { id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'agc') } }
}
resource pe 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-vault'
  properties: {
    subnet: { id: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'links') }
    privateLinkServiceConnections: [ { name: 'vault', properties: { privateLinkServiceId: 'x', groupIds: [ 'vault' ] } } ]
  }
}
resource peUnknown 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-elsewhere'
  properties: { subnet: { id: peSubnet } }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    agentPoolProfiles: [ { name: 'system', mode: 'System', count: 3, vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nodes') } ]
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' }
    apiServerAccessProfile: {
      enableVnetIntegration: true
      enablePrivateCluster: false
      subnetId: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'api')
      authorizedIPRanges: [ '20.1.2.0/24' ]
    }
    httpProxyConfig: {
      httpProxy: 'http://proxy.corp:3128/'
      httpsProxy: 'http://proxy.corp:3128/'
      noProxy: [ 'localhost', '.svc', '10.0.0.0/16' ]
    }
  }
}
resource plain 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'plain'
  properties: { networkProfile: { networkPlugin: 'kubenet' } }
}
`;

/**
 * `peLeftOut`: a subnet's privateEndpointNetworkPolicies left out is not set (ARM's default applies) in Bicep and ARM
 * JSON, unknown in ASO and Terraform, where what Azure or the provider then sends depends on a version not known.
 */
function checkLowered(model: NetworkModel, peLeftOut: '-' | '?' = '-'): void {
  assert.deepEqual(model.publicIps.map((ip) => `${ip.name} ${show(ip.sku)}`), ['pip-nat Standard']);
  assert.deepEqual(model.natGateways.map((nat) => `${nat.name} ${nat.publicIps.map(show)}`), ['nat pip-nat']);
  assert.equal(show(model.subnets.find((s) => s.name === 'nodes')!.natGateway), 'nat');
  const subnet = (name: string) => model.subnets.find((s) => s.name === name)!;
  assert.deepEqual(subnet('agc').delegations!.map(show), ['Microsoft.ServiceNetworking/trafficControllers']);
  assert.deepEqual(subnet('appgw').delegations, []);
  assert.deepEqual([show(subnet('links').privateEndpointNetworkPolicies), show(subnet('links').privateLinkServiceNetworkPolicies)], ['Enabled', 'Disabled']);
  assert.deepEqual([show(subnet('nodes').privateEndpointNetworkPolicies), show(subnet('nodes').privateLinkServiceNetworkPolicies)], [peLeftOut, '-']);

  const [gateway] = model.applicationGateways;
  assert.deepEqual([gateway!.name, show(gateway!.skuName), show(gateway!.skuTier)], ['appgw', 'WAF_v2', 'WAF_v2']);
  assert.equal(resolveSubnet(model, gateway!.subnets[0]!), subnet('appgw'));

  assert.deepEqual(model.trafficControllers.map((c) => c.name), ['agc']);
  const [association] = model.trafficControllerAssociations;
  assert.deepEqual([association!.controller, show(association!.associationType)], ['agc', 'subnets']);
  assert.equal(resolveSubnet(model, association!.subnet!), subnet('agc'));

  const vault = model.privateEndpoints.find((pe) => pe.name === 'pe-vault')!;
  assert.equal(resolveSubnet(model, vault.subnet!), subnet('links'));
  assert.deepEqual(vault.groupIds.map(show), ['vault']);

  const aks = model.clusters.find((c) => c.name === 'aks')!;
  const access = aks.apiServerAccess!;
  assert.deepEqual([show(access.enableVnetIntegration), show(access.enablePrivateCluster), access.authorizedIpRanges.map(show).join()], ['true', 'false', 'cidr24']);
  assert.equal(resolveSubnet(model, access.subnet!), subnet('api'));
  const proxy = aks.httpProxy!;
  assert.deepEqual([show(proxy.httpProxy), proxy.noProxy.map(show).join(' '), show(proxy.noProxyField)], ['http://proxy.corp:3128/', 'localhost .svc 10.0.0.0/16', 'true']);

  const plain = model.clusters.find((c) => c.name === 'plain')!;
  assert.equal(plain.httpProxy, undefined);
  assert.deepEqual([show(plain.apiServerAccess!.enablePrivateCluster), plain.apiServerAccess!.subnet], ['-', undefined]);
}

describe('gateways, endpoints, delegations, API server access and proxy, from Bicep', () => {
  const model = modelOf({ 'main.bicep': BICEP });

  it('lowers them all', () => checkLowered(model));

  it('keeps a subnet reference that cannot be evaluated unknown, not absent', () => {
    const pe = model.privateEndpoints.find((p) => p.name === 'pe-elsewhere')!;
    assert.equal(pe.subnet, undefined);
    assert.equal(pe.subnetUnknown?.known, false);
  });
});

/** The same resources as an ARM JSON template. */
const ARM = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: [
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-11-01', name: 'pip-nat', sku: { name: 'Standard' }, properties: {} },
    { type: 'Microsoft.Network/natGateways', apiVersion: '2023-11-01', name: 'nat', properties: { publicIpAddresses: [{ id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-nat')]" }] } },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: '2023-11-01',
      name: 'vnet',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          { name: 'nodes', properties: { addressPrefix: '10.0.0.0/22', natGateway: { id: "[resourceId('Microsoft.Network/natGateways', 'nat')]" } } },
          { name: 'agc', properties: { addressPrefix: '10.0.4.0/24', delegations: [{ name: 'agc', properties: { serviceName: 'Microsoft.ServiceNetworking/trafficControllers' } }] } },
          { name: 'appgw', properties: { addressPrefix: '10.0.5.0/24' } },
          { name: 'api', properties: { addressPrefix: '10.0.6.0/28' } },
          { name: 'links', properties: { addressPrefix: '10.0.7.0/24', privateEndpointNetworkPolicies: 'Enabled', privateLinkServiceNetworkPolicies: 'Disabled' } },
        ],
      },
    },
    {
      type: 'Microsoft.Network/applicationGateways',
      apiVersion: '2023-11-01',
      name: 'appgw',
      properties: {
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        gatewayIPConfigurations: [{ name: 'ip', properties: { subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'appgw')]" } } }],
      },
    },
    { type: 'Microsoft.ServiceNetworking/trafficControllers', apiVersion: '2025-01-01', name: 'agc', properties: {} },
    {
      type: 'Microsoft.ServiceNetworking/trafficControllers/associations',
      apiVersion: '2025-01-01',
      name: 'agc/to-subnet',
      properties: { associationType: 'subnets', subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'agc')]" } },
    },
    {
      type: 'Microsoft.Network/privateEndpoints',
      apiVersion: '2023-11-01',
      name: 'pe-vault',
      properties: {
        subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'links')]" },
        privateLinkServiceConnections: [{ name: 'vault', properties: { privateLinkServiceId: 'x', groupIds: ['vault'] } }],
      },
    },
    {
      type: 'Microsoft.ContainerService/managedClusters',
      apiVersion: '2024-09-01',
      name: 'aks',
      properties: {
        agentPoolProfiles: [{ name: 'system', mode: 'System', count: 3, vnetSubnetID: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nodes')]" }],
        networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' },
        apiServerAccessProfile: {
          enableVnetIntegration: true,
          enablePrivateCluster: false,
          subnetId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'api')]",
          authorizedIPRanges: ['20.1.2.0/24'],
        },
        httpProxyConfig: { httpProxy: 'http://proxy.corp:3128/', httpsProxy: 'http://proxy.corp:3128/', noProxy: ['localhost', '.svc', '10.0.0.0/16'] },
      },
    },
    { type: 'Microsoft.ContainerService/managedClusters', apiVersion: '2024-09-01', name: 'plain', properties: { networkProfile: { networkPlugin: 'kubenet' } } },
  ],
}, null, 2);

describe('gateways, endpoints, delegations, API server access and proxy, from ARM JSON', () => {
  it('lowers them as Bicep does', () => checkLowered(modelOf({ 'azuredeploy.json': ARM })));
});

const ASO = `
apiVersion: network.azure.com/v1api20240301
kind: PublicIPAddress
metadata: { name: pip-nat, namespace: ns }
spec: { owner: { name: rg }, location: westeurope, sku: { name: Standard } }
---
apiVersion: network.azure.com/v1api20240301
kind: NatGateway
metadata: { name: nat, namespace: ns }
spec:
  owner: { name: rg }
  publicIpAddresses:
  - reference: { group: network.azure.com, kind: PublicIPAddress, name: pip-nat }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata: { name: vnet, namespace: ns }
spec: { owner: { name: rg }, addressSpace: { addressPrefixes: [10.0.0.0/16] } }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: nodes, namespace: ns }
spec:
  owner: { name: vnet }
  addressPrefix: 10.0.0.0/22
  natGateway: { reference: { group: network.azure.com, kind: NatGateway, name: nat } }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: agc, namespace: ns }
spec:
  owner: { name: vnet }
  addressPrefix: 10.0.4.0/24
  delegations:
  - name: agc
    serviceName: Microsoft.ServiceNetworking/trafficControllers
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: appgw, namespace: ns }
spec: { owner: { name: vnet }, addressPrefix: 10.0.5.0/24 }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: api, namespace: ns }
spec: { owner: { name: vnet }, addressPrefix: 10.0.6.0/28 }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: links, namespace: ns }
spec: { owner: { name: vnet }, addressPrefix: 10.0.7.0/24, privateEndpointNetworkPolicies: Enabled, privateLinkServiceNetworkPolicies: Disabled }
---
apiVersion: network.azure.com/v1api20240301
kind: ApplicationGateway
metadata: { name: appgw, namespace: ns }
spec:
  owner: { name: rg }
  sku: { name: WAF_v2, tier: WAF_v2 }
  gatewayIPConfigurations:
  - name: ip
    subnet: { reference: { group: network.azure.com, kind: VirtualNetworksSubnet, name: appgw } }
---
apiVersion: servicenetworking.azure.com/v1api20250101
kind: TrafficController
metadata: { name: agc, namespace: ns }
spec: { owner: { name: rg }, location: westeurope }
---
apiVersion: servicenetworking.azure.com/v1api20250101
kind: TrafficControllersAssociation
metadata: { name: to-subnet, namespace: ns }
spec:
  owner: { name: agc }
  associationType: subnets
  subnet: { reference: { group: network.azure.com, kind: VirtualNetworksSubnet, name: agc } }
---
apiVersion: network.azure.com/v1api20240301
kind: PrivateEndpoint
metadata: { name: pe-vault, namespace: ns }
spec:
  owner: { name: rg }
  subnet: { reference: { group: network.azure.com, kind: VirtualNetworksSubnet, name: links } }
  privateLinkServiceConnections:
  - name: vault
    groupIds: [vault]
---
apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata: { name: aks, namespace: ns }
spec:
  owner: { name: rg }
  networkProfile: { networkPlugin: azure, networkPluginMode: overlay }
  agentPoolProfiles:
  - name: system
    mode: System
    count: 3
    vnetSubnetReference: { group: network.azure.com, kind: VirtualNetworksSubnet, name: nodes }
  apiServerAccessProfile:
    enableVnetIntegration: true
    enablePrivateCluster: false
    subnetId: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/api
    authorizedIPRanges: [20.1.2.0/24]
  httpProxyConfig:
    httpProxy: http://proxy.corp:3128/
    httpsProxy: http://proxy.corp:3128/
    noProxy: [localhost, .svc, 10.0.0.0/16]
---
apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata: { name: plain, namespace: ns }
spec: { owner: { name: rg }, networkProfile: { networkPlugin: kubenet } }
`;

describe('gateways, endpoints, delegations, API server access and proxy, from ASO', () => {
  it('lowers them as Bicep does, references and flattened items in ARM shape', () => checkLowered(modelOf({ 'network.yaml': ASO }), '?'));
});

/** The same resources in azurerm's form: association resources, blocks, and the provider's attribute names. */
const TERRAFORM = `
resource "azurerm_public_ip" "nat" {
  name              = "pip-nat"
  allocation_method = "Static"
  sku               = "Standard"
}
resource "azurerm_nat_gateway" "nat" {
  name = "nat"
}
resource "azurerm_nat_gateway_public_ip_association" "nat" {
  nat_gateway_id       = azurerm_nat_gateway.nat.id
  public_ip_address_id = azurerm_public_ip.nat.id
}
resource "azurerm_virtual_network" "vnet" {
  name          = "vnet"
  address_space = ["10.0.0.0/16"]
}
resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.0.0/22"]
}
resource "azurerm_subnet_nat_gateway_association" "nodes" {
  subnet_id      = azurerm_subnet.nodes.id
  nat_gateway_id = azurerm_nat_gateway.nat.id
}
resource "azurerm_subnet" "agc" {
  name                 = "agc"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.4.0/24"]
  delegation {
    name = "agc"
    service_delegation {
      name = "Microsoft.ServiceNetworking/trafficControllers"
    }
  }
}
resource "azurerm_subnet" "appgw" {
  name                 = "appgw"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.5.0/24"]
}
resource "azurerm_subnet" "api" {
  name                 = "api"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.6.0/28"]
}
resource "azurerm_subnet" "links" {
  name                                          = "links"
  virtual_network_name                          = azurerm_virtual_network.vnet.name
  address_prefixes                              = ["10.0.7.0/24"]
  private_endpoint_network_policies             = "Enabled"
  private_link_service_network_policies_enabled = false
}
resource "azurerm_application_gateway" "appgw" {
  name = "appgw"
  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }
  gateway_ip_configuration {
    name      = "ip"
    subnet_id = azurerm_subnet.appgw.id
  }
}
resource "azurerm_application_load_balancer" "agc" {
  name = "agc"
}
resource "azurerm_application_load_balancer_subnet_association" "agc" {
  name                         = "to-subnet"
  application_load_balancer_id = azurerm_application_load_balancer.agc.id
  subnet_id                    = azurerm_subnet.agc.id
}
resource "azurerm_private_endpoint" "vault" {
  name      = "pe-vault"
  subnet_id = azurerm_subnet.links.id
  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = "x"
    is_manual_connection           = false
    subresource_names              = ["vault"]
  }
}
resource "azurerm_kubernetes_cluster" "aks" {
  name                    = "aks"
  dns_prefix              = "aks"
  private_cluster_enabled = false
  default_node_pool {
    name           = "system"
    node_count     = 3
    vnet_subnet_id = azurerm_subnet.nodes.id
  }
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
  }
  api_server_access_profile {
    virtual_network_integration_enabled = true
    subnet_id                           = azurerm_subnet.api.id
    authorized_ip_ranges                = ["20.1.2.0/24"]
  }
  http_proxy_config {
    http_proxy  = "http://proxy.corp:3128/"
    https_proxy = "http://proxy.corp:3128/"
    no_proxy    = ["localhost", ".svc", "10.0.0.0/16"]
  }
}
resource "azurerm_kubernetes_cluster" "plain" {
  name       = "plain"
  dns_prefix = "plain"
  default_node_pool {
    name       = "system"
    node_count = 1
  }
  network_profile {
    network_plugin = "kubenet"
  }
}
`;

describe('gateways, endpoints, delegations, API server access and proxy, from Terraform (azurerm)', () => {
  it('lowers them as Bicep does', () => checkLowered(modelOf({ 'main.tf': TERRAFORM }), '?'));

  it("reads each azurerm version's network policy attributes, v2's inverted enforce_* among them", () => {
    const model = modelOf({
      'main.tf': `
variable "unknown_flag" {}
resource "azurerm_virtual_network" "vnet" {
  name          = "vnet"
  address_space = ["10.0.0.0/16"]
  subnet {
    name                                          = "inline"
    address_prefixes                              = ["10.0.9.0/24"]
    private_endpoint_network_policies             = "NetworkSecurityGroupEnabled"
    private_link_service_network_policies_enabled = true
  }
}
resource "azurerm_subnet" "v3" {
  name                                          = "v3"
  virtual_network_name                          = azurerm_virtual_network.vnet.name
  address_prefixes                              = ["10.0.1.0/24"]
  private_endpoint_network_policies_enabled     = false
  private_link_service_network_policies_enabled = true
}
resource "azurerm_subnet" "v2" {
  name                                           = "v2"
  virtual_network_name                           = azurerm_virtual_network.vnet.name
  address_prefixes                               = ["10.0.2.0/24"]
  enforce_private_link_endpoint_network_policies = true
  enforce_private_link_service_network_policies  = false
}
resource "azurerm_subnet" "unknown" {
  name                                          = "unknown"
  virtual_network_name                          = azurerm_virtual_network.vnet.name
  address_prefixes                              = ["10.0.3.0/24"]
  private_link_service_network_policies_enabled = var.unknown_flag
}
resource "azurerm_subnet" "left_out" {
  name                 = "left-out"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.4.0/24"]
}
`,
    });
    const flags = (name: string) => {
      const subnet = model.subnets.find((s) => s.name === name)!;
      return `${show(subnet.privateEndpointNetworkPolicies)} ${show(subnet.privateLinkServiceNetworkPolicies)}`;
    };
    assert.deepEqual(
      ['inline', 'v3', 'v2', 'unknown', 'left-out'].map(flags),
      ['NetworkSecurityGroupEnabled Enabled', 'Disabled Enabled', 'Disabled Enabled', '? ?', '? -'],
    );
  });

  it('joins NAT gateway IPs and prefixes named on the gateway (v2) or by association resources, and public IP SKUs as written', () => {
    const model = modelOf({
      'main.tf': `
variable "pip_id" {}
resource "azurerm_public_ip" "a" {
  name     = "pip-a"
  sku      = "Standard"
  sku_tier = "Regional"
}
resource "azurerm_public_ip" "b" {
  name = "pip-b"
}
resource "azurerm_public_ip_prefix" "p" {
  name = "prefix-p"
}
resource "azurerm_nat_gateway" "old" {
  name                  = "nat-old"
  public_ip_address_ids = [azurerm_public_ip.a.id]
}
resource "azurerm_nat_gateway" "new" {
  name = "nat-new"
}
resource "azurerm_nat_gateway_public_ip_association" "b" {
  nat_gateway_id       = azurerm_nat_gateway.new.id
  public_ip_address_id = azurerm_public_ip.b.id
}
resource "azurerm_nat_gateway_public_ip_association" "unknown" {
  nat_gateway_id       = azurerm_nat_gateway.new.id
  public_ip_address_id = var.pip_id
}
resource "azurerm_nat_gateway_public_ip_prefix_association" "p" {
  nat_gateway_id      = azurerm_nat_gateway.new.id
  public_ip_prefix_id = azurerm_public_ip_prefix.p.id
}
`,
    });
    assert.deepEqual(model.publicIps.map((ip) => `${ip.name} ${show(ip.sku)}`), ['pip-a Standard', 'pip-b -']);
    assert.deepEqual(
      model.natGateways.map((nat) => `${nat.name} [${nat.publicIps.map(show)}] [${nat.publicIpPrefixes.map(show)}]`),
      ['nat-old [pip-a] []', 'nat-new [pip-b,?] [prefix-p]'],
    );
  });

  it("counts a firewall's frontend public IPs: its IP configurations that name one, or virtual_hub's public_ip_count (1 when left out)", () => {
    const model = modelOf({
      'main.tf': `
variable "extra_ips" {}
resource "azurerm_public_ip" "a" {
  name = "pip-a"
}
resource "azurerm_firewall" "vnet" {
  name = "fw-vnet"
  ip_configuration {
    name                 = "ip1"
    public_ip_address_id = azurerm_public_ip.a.id
  }
  ip_configuration {
    name                 = "ip2"
    public_ip_address_id = azurerm_public_ip.a.id
  }
}
resource "azurerm_firewall" "hub" {
  name = "fw-hub"
  virtual_hub {
    virtual_hub_id  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub"
    public_ip_count = 3
  }
}
resource "azurerm_firewall" "hub_default" {
  name = "fw-hub-default"
  virtual_hub {
    virtual_hub_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub"
  }
}
resource "azurerm_firewall" "unknown" {
  name = "fw-unknown"
  dynamic "ip_configuration" {
    for_each = var.extra_ips
    content {
      name                 = ip_configuration.key
      public_ip_address_id = ip_configuration.value
    }
  }
}
resource "azurerm_firewall" "none" {
  name = "fw-none"
}
`,
    });
    assert.deepEqual(
      model.firewalls.map((fw) => `${fw.name} ${show(fw.frontendPublicIps)}`),
      ['fw-vnet 2', 'fw-hub 3', 'fw-hub-default 1', 'fw-unknown ?', 'fw-none -'],
    );
  });

  it('reads a manual private endpoint connection and an unknown application gateway subnet as unknown', () => {
    const model = modelOf({
      'main.tf': `
variable "subnet_id" {}
resource "azurerm_private_endpoint" "manual" {
  name      = "pe-manual"
  subnet_id = var.subnet_id
  private_service_connection {
    name                              = "blob"
    private_connection_resource_alias = "svc.alias"
    is_manual_connection              = true
    subresource_names                 = ["blob"]
    request_message                   = "please"
  }
}
resource "azurerm_application_gateway" "gw" {
  name = "gw"
  sku {
    name = "Standard_v2"
    tier = "Standard_v2"
  }
  gateway_ip_configuration {
    name      = "ip"
    subnet_id = var.subnet_id
  }
}
`,
    });
    const [endpoint] = model.privateEndpoints;
    assert.deepEqual([endpoint!.subnet, endpoint!.subnetUnknown?.known, endpoint!.groupIds.map(show).join()], [undefined, false, 'blob']);
    const [gateway] = model.applicationGateways;
    assert.deepEqual([show(gateway!.skuName), gateway!.subnets.length, gateway!.subnetUnknown?.known], ['Standard_v2', 0, false]);
  });
});

describe('lb-pls-subnet-network-policies on a subnet declared in Terraform', () => {
  const files = (flag: string) => ({
    'main.tf': `
resource "azurerm_virtual_network" "vnet" {
  name          = "vnet"
  address_space = ["10.240.0.0/16"]
}
resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.240.0.0/22"]
}
resource "azurerm_subnet" "pls" {
  name                 = "pls"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.240.4.0/24"]
  ${flag}
}
resource "azurerm_kubernetes_cluster" "aks" {
  name       = "aks"
  dns_prefix = "aks"
  default_node_pool {
    name           = "system"
    node_count     = 3
    vnet_subnet_id = azurerm_subnet.nodes.id
  }
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
  }
}
`,
    'service.yaml': `
apiVersion: v1
kind: Service
metadata:
  name: partner-web
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-pls-create: "true"
    service.beta.kubernetes.io/azure-pls-ip-configuration-subnet: pls
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [ { port: 443 } ]
`,
  });
  const findings = (flag: string) => {
    const workspace = new Workspace();
    for (const [name, text] of Object.entries(files(flag))) workspace.setFile(`file:///w/${name}`, text);
    const text = files(flag)['main.tf'];
    return workspace
      .analyze()
      .findings.filter((f) => f.rule === 'lb-pls-subnet-network-policies')
      .map((f) => `${f.source.uri.split('/').pop()} ${text.slice(f.source.start, f.source.end)}`);
  };

  it('reports private_link_service_network_policies_enabled = true (v3, v4) and enforce_private_link_service_network_policies = false (v2)', () => {
    assert.deepEqual(findings('private_link_service_network_policies_enabled = true'), ['main.tf true']);
    assert.deepEqual(findings('enforce_private_link_service_network_policies = false'), ['main.tf false']);
  });

  it('reports nothing when the flag disables the policies, and nothing on a subnet that leaves it out', () => {
    assert.deepEqual(findings('private_link_service_network_policies_enabled = false'), []);
    assert.deepEqual(findings('enforce_private_link_service_network_policies = true'), []);
    assert.deepEqual(findings(''), []);
  });
});

describe('the AGIC add-on (addonProfiles.ingressApplicationGateway)', () => {
  it('names the gateway of config.applicationGatewayId, from Bicep and Terraform; an id that cannot be evaluated stays unknown', () => {
    const bicep = modelOf({
      'main.bicep': `
param gatewayId string
resource a 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'a'
  properties: { addonProfiles: { ingressApplicationGateway: { enabled: true, config: { applicationGatewayId: resourceId('Microsoft.Network/applicationGateways', 'gw') } } } }
}
resource b 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'b'
  properties: { addonProfiles: { ingressApplicationGateway: { enabled: false, config: { applicationGatewayId: gatewayId } } } }
}
resource c 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'c'
  properties: { addonProfiles: { ingressApplicationGateway: { enabled: true, config: { subnetCIDR: '10.225.0.0/16' } } } }
}
resource d 'Microsoft.ContainerService/managedClusters@2024-09-01' = { name: 'd', properties: {} }
`,
    });
    const addon = (name: string, model: NetworkModel) => {
      const found = model.clusters.find((c) => c.name === name)!.ingressApplicationGateway;
      return found ? `${show(found.enabled)} ${show(found.gateway)}` : 'absent';
    };
    assert.deepEqual(['a', 'b', 'c', 'd'].map((name) => addon(name, bicep)), ['true gw', 'false ?', 'true -', 'absent']);
    const terraform = modelOf({
      'main.tf': `
resource "azurerm_application_gateway" "gw" {
  name = "gw"
}
resource "azurerm_kubernetes_cluster" "a" {
  name       = "a"
  dns_prefix = "a"
  ingress_application_gateway {
    gateway_id = azurerm_application_gateway.gw.id
  }
}
resource "azurerm_kubernetes_cluster" "d" {
  name       = "d"
  dns_prefix = "d"
}
`,
    });
    assert.deepEqual(['a', 'd'].map((name) => addon(name, terraform)), ['true gw', 'absent']);
  });
});
