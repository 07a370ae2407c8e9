// The network around the cluster (issue 18): NSGs and their rules, subnet associations, Azure Firewall, firewall
// policies and rule collection groups, VNet peerings and route next hops, lowered from Bicep and from ASO YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkModel } from '../../server/src/model/network.ts';
import type { Value } from '../../server/src/model/source.ts';
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
param hubIp string
resource nsg 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
  name: 'nsg-nodes'
  properties: {
    securityRules: [
      {
        name: 'deny-probes'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Deny'
          protocol: 'Tcp'
          sourceAddressPrefix: 'AzureLoadBalancer'
          sourcePortRange: '*'
          destinationAddressPrefixes: [ '10.1.0.0/22', hubIp ]
          destinationPortRanges: [ '80', '8000-8080' ]
        }
      }
    ]
  }
}
resource extra 'Microsoft.Network/networkSecurityGroups/securityRules@2023-11-01' = {
  parent: nsg
  name: 'allow-web'
  properties: {
    priority: 200
    direction: 'Inbound'
    access: 'Allow'
    protocol: '*'
    sourceApplicationSecurityGroups: [ { id: 'asg' } ]
    destinationAddressPrefix: 'VirtualNetwork'
    sourcePortRange: '*'
    destinationPortRange: '443'
  }
}
resource rt 'Microsoft.Network/routeTables@2023-11-01' = {
  name: 'rt'
  properties: {
    routes: [ { name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' } } ]
  }
}
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'spoke'
  properties: {
    addressSpace: { addressPrefixes: [ '10.1.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.1.0.0/22', networkSecurityGroup: { id: nsg.id }, routeTable: { id: rt.id } } } ]
    virtualNetworkPeerings: [
      { name: 'to-hub', properties: { remoteVirtualNetwork: { id: hub.id }, remoteAddressSpace: { addressPrefixes: [ '10.0.0.0/16' ] } } }
    ]
  }
}
resource hub 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'hub'
  properties: {
    addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] }
    subnets: [ { name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.0.1.0/26' } } ]
  }
}
resource back 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01' = {
  parent: hub
  name: 'to-spoke'
  properties: { remoteVirtualNetwork: { id: vnet.id } }
}
resource policy 'Microsoft.Network/firewallPolicies@2023-11-01' = {
  name: 'fw-policy'
  properties: { basePolicy: { id: resourceId('Microsoft.Network/firewallPolicies', 'base') } }
}
resource group 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@2023-11-01' = {
  parent: policy
  name: 'aks'
  properties: {
    priority: 200
    ruleCollections: [
      {
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection'
        name: 'net'
        priority: 100
        action: { type: 'Allow' }
        rules: [
          { ruleType: 'NetworkRule', name: 'tunnel', ipProtocols: [ 'UDP' ], sourceAddresses: [ '10.1.0.0/22' ], destinationAddresses: [ 'AzureCloud.westeurope' ], destinationPorts: [ '1194' ] }
          { ruleType: 'ApplicationRule', name: 'aks', protocols: [ { protocolType: 'Https', port: 443 } ], fqdnTags: [ 'AzureKubernetesService' ], sourceIpGroups: [ 'x' ] }
        ]
      }
      {
        ruleCollectionType: 'FirewallPolicyNatRuleCollection'
        name: 'dnat'
        priority: 90
        action: { type: 'DNAT' }
        rules: [ { ruleType: 'NatRule', name: 'web', ipProtocols: [ 'TCP' ], destinationAddresses: [ '20.1.2.3' ], destinationPorts: [ '443' ], translatedAddress: '10.1.0.100', translatedPort: '443' } ]
      }
    ]
  }
}
resource fw 'Microsoft.Network/azureFirewalls@2023-11-01' = {
  name: 'fw'
  properties: {
    ipConfigurations: [ { name: 'ip', properties: { subnet: { id: hub.properties.subnets[0].id }, privateIPAddress: '10.0.1.4' } } ]
    firewallPolicy: { id: policy.id }
  }
}
`;

describe('the network around the cluster, from Bicep', () => {
  const model = modelOf({ 'main.bicep': BICEP });

  it('lowers an NSG with its inline and child rules, prefixes, tags, ports and application security groups', () => {
    const [nsg, ...others] = model.networkSecurityGroups;
    assert.equal(others.length, 0);
    assert.equal(nsg!.name, 'nsg-nodes');
    assert.equal(nsg!.rulesComplete, true);
    const rules = nsg!.rules.map((r) => ({
      name: r.name,
      priority: show(r.priority),
      direction: show(r.direction),
      access: show(r.access),
      protocol: show(r.protocol),
      from: r.sourceAddresses.map(show),
      to: r.destinationAddresses.map(show),
      sourcePorts: r.sourcePorts.map(show),
      ports: r.destinationPorts.map(show),
    }));
    assert.deepEqual(rules, [
      { name: 'deny-probes', priority: '100', direction: 'Inbound', access: 'Deny', protocol: 'Tcp', from: ['AzureLoadBalancer'], to: ['10.1.0.0/22', '?'], sourcePorts: ['*'], ports: ['80', '8000-8080'] },
      { name: 'allow-web', priority: '200', direction: 'Inbound', access: 'Allow', protocol: '*', from: ['?'], to: ['VirtualNetwork'], sourcePorts: ['*'], ports: ['443'] },
    ]);
  });

  it('associates the subnet with its NSG and reads the route next hop IP', () => {
    const nodes = model.subnets.find((s) => s.name === 'nodes')!;
    assert.equal(show(nodes.networkSecurityGroup), 'nsg-nodes');
    assert.equal(show(model.subnets.find((s) => s.name === 'AzureFirewallSubnet')!.networkSecurityGroup), '-');
    const route = model.routeTables[0]!.routes[0]!;
    assert.equal(show(route.nextHopIpAddress), `ip:${(10n << 24n) + (1n << 8n) + 4n}`);
  });

  it('lowers peerings inline and as children, with the remote VNet and its written address space', () => {
    const peerings = model.peerings.map((p) => `${p.vnetKey}->${show(p.remoteVnet)} [${p.remoteAddressSpace.map(show).join(',')}]`).sort();
    assert.deepEqual(peerings, ['hub->spoke []', 'spoke->hub [cidr16]']);
  });

  it('lowers the firewall: written private IP, subnet, policy, no classic rules', () => {
    const [fw] = model.firewalls;
    assert.equal(fw!.name, 'fw');
    assert.deepEqual(fw!.privateIps.map(show), [`ip:${(10n << 24n) + (1n << 8n) + 4n}`]);
    assert.deepEqual(fw!.subnets.map((s) => `${s.vnetKey}/${s.subnetName}`), ['hub/AzureFirewallSubnet']);
    assert.equal(show(fw!.firewallPolicy), 'fw-policy');
    assert.equal(show(fw!.classicRuleCollections), '0');
  });

  it('lowers the policy, its base policy and its rule collection group with network, application and NAT rules', () => {
    assert.deepEqual(model.firewallPolicies.map((p) => `${p.name}<-${show(p.basePolicy)}`), ['fw-policy<-base']);
    const [group] = model.ruleCollectionGroups;
    assert.equal(group!.policy, 'fw-policy');
    assert.equal(show(group!.priority), '200');
    const [filter, nat] = group!.collections;
    assert.deepEqual([show(filter!.collectionType), show(filter!.action), show(filter!.priority)], ['FirewallPolicyFilterRuleCollection', 'Allow', '100']);
    const [tunnel, aks] = filter!.rules;
    assert.deepEqual([show(tunnel!.ruleType), tunnel!.ipProtocols.map(show), tunnel!.destinationAddresses.map(show), tunnel!.destinationPorts.map(show)], [
      'NetworkRule',
      ['UDP'],
      ['AzureCloud.westeurope'],
      ['1194'],
    ]);
    assert.deepEqual([show(aks!.ruleType), aks!.fqdnTags.map(show), aks!.protocols.map((p) => `${show(p.protocolType)}:${show(p.port)}`), aks!.sourceIpGroups], [
      'ApplicationRule',
      ['AzureKubernetesService'],
      ['Https:443'],
      1,
    ]);
    assert.deepEqual([show(nat!.action), show(nat!.rules[0]!.translatedAddress), show(nat!.rules[0]!.translatedPort)], ['DNAT', '10.1.0.100', '443']);
  });
});

const ASO = `
apiVersion: network.azure.com/v1api20240301
kind: NetworkSecurityGroup
metadata: { name: nsg, namespace: ns }
spec: { location: westeurope, owner: { name: rg } }
---
apiVersion: network.azure.com/v1api20240301
kind: NetworkSecurityGroupsSecurityRule
metadata: { name: deny-lb, namespace: ns }
spec:
  owner: { name: nsg }
  priority: 100
  direction: Inbound
  access: Deny
  protocol: "*"
  sourceAddressPrefix: AzureLoadBalancer
  sourcePortRange: "*"
  destinationAddressPrefix: "*"
  destinationPortRange: "*"
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: nodes, namespace: ns }
spec:
  owner: { name: vnet }
  addressPrefix: 10.1.0.0/22
  networkSecurityGroup: { reference: { group: network.azure.com, kind: NetworkSecurityGroup, name: nsg } }
---
apiVersion: network.azure.com/v1api20201101
kind: VirtualNetworksVirtualNetworkPeering
metadata: { name: to-hub, namespace: ns }
spec:
  owner: { name: vnet }
  remoteVirtualNetwork: { reference: { group: network.azure.com, kind: VirtualNetwork, name: hub } }
---
apiVersion: network.azure.com/v1api20240301
kind: AzureFirewall
metadata: { name: fw, namespace: ns }
spec:
  owner: { name: rg }
  firewallPolicy: { reference: { group: network.azure.com, kind: FirewallPolicy, name: policy } }
  ipConfigurations:
  - name: ip
    subnet: { reference: { group: network.azure.com, kind: VirtualNetworksSubnet, name: azurefirewallsubnet } }
---
apiVersion: network.azure.com/v1api20240301
kind: FirewallPolicy
metadata: { name: policy, namespace: ns }
spec: { owner: { name: rg } }
---
apiVersion: network.azure.com/v1api20240301
kind: FirewallPoliciesRuleCollectionGroup
metadata: { name: aks, namespace: ns }
spec:
  owner: { name: policy }
  priority: 200
  ruleCollections:
  - firewallPolicyFilterRuleCollection:
      name: app
      priority: 100
      action: { type: Allow }
      rules:
      - applicationRule:
          name: aks
          fqdnTags: [ AzureKubernetesService ]
          protocols: [ { protocolType: Https, port: 443 } ]
`;

describe('the network around the cluster, from ASO', () => {
  const model = modelOf({ 'network.yaml': ASO });

  it('joins the security rule to its NSG by the owner name and associates the subnet', () => {
    const rules = model.networkSecurityGroups.filter((g) => g.name === 'nsg').flatMap((g) => g.rules);
    assert.deepEqual(rules.map((r) => `${r.name} ${show(r.priority)} ${show(r.access)} ${r.sourceAddresses.map(show)}`), ['deny-lb 100 Deny AzureLoadBalancer']);
    assert.equal(show(model.subnets.find((s) => s.name === 'nodes')!.networkSecurityGroup), 'nsg');
  });

  it('reads the peering, the firewall and its policy references, and ASO variant items in ARM shape', () => {
    assert.deepEqual(model.peerings.map((p) => `${p.vnetKey}->${show(p.remoteVnet)}`), ['vnet->hub']);
    const [fw] = model.firewalls;
    assert.equal(show(fw!.firewallPolicy), 'policy');
    assert.deepEqual(fw!.subnets.map((s) => s.subnetName), ['azurefirewallsubnet']);
    assert.deepEqual(fw!.privateIps, []);
    const [group] = model.ruleCollectionGroups;
    assert.equal(group!.policy, 'policy');
    const collection = group!.collections[0]!;
    assert.equal(show(collection.collectionType), 'FirewallPolicyFilterRuleCollection');
    assert.deepEqual(collection.rules.map((r) => `${show(r.ruleType)} ${r.fqdnTags.map(show)}`), ['ApplicationRule AzureKubernetesService']);
  });
});
