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

function checkLowered(model: NetworkModel): void {
  assert.deepEqual(model.publicIps.map((ip) => `${ip.name} ${show(ip.sku)}`), ['pip-nat Standard']);
  assert.deepEqual(model.natGateways.map((nat) => `${nat.name} ${nat.publicIps.map(show)}`), ['nat pip-nat']);
  assert.equal(show(model.subnets.find((s) => s.name === 'nodes')!.natGateway), 'nat');
  const subnet = (name: string) => model.subnets.find((s) => s.name === name)!;
  assert.deepEqual(subnet('agc').delegations!.map(show), ['Microsoft.ServiceNetworking/trafficControllers']);
  assert.deepEqual(subnet('appgw').delegations, []);
  assert.deepEqual([show(subnet('links').privateEndpointNetworkPolicies), show(subnet('links').privateLinkServiceNetworkPolicies)], ['Enabled', 'Disabled']);
  assert.deepEqual([show(subnet('nodes').privateEndpointNetworkPolicies), show(subnet('nodes').privateLinkServiceNetworkPolicies)], ['-', '-']);

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
  it('lowers them as Bicep does, references and flattened items in ARM shape', () => checkLowered(modelOf({ 'network.yaml': ASO })));
});
