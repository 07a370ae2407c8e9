// One model for the workspace: a Service in YAML checked against the subnet a Bicep file declares.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/service/workspace.ts';

const bicep = (nodesPrefix: string) => `
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-x'
  properties: {
    addressSpace: { addressPrefixes: [ '10.240.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '${nodesPrefix}' } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks-x'
  properties: {
    agentPoolProfiles: [ { name: 'sys', count: 3, vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-x', 'nodes') } ]
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', serviceCidr: '10.0.0.0/16', dnsServiceIP: '10.0.0.10' }
  }
}
`;

const service = `apiVersion: v1
kind: Service
metadata:
  name: orders
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-ipv4: 10.240.2.20
spec:
  type: LoadBalancer
`;

describe('cross-file checks', () => {
  it('flags a Service IP outside the subnet of a Bicep file on the Service line, and clears it when the subnet grows', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///w/infra/main.bicep', bicep('10.240.0.0/23'));
    workspace.setFile('file:///w/k8s/orders.yaml', service);
    const findings = workspace.findingsFor('file:///w/k8s/orders.yaml');
    assert.deepEqual(
      findings.map((f) => [f.rule, service.slice(f.source.start, f.source.end)]),
      [['lb-ip-outside-subnet', '10.240.2.20']],
    );
    assert.match(findings[0]!.message, /outside subnet nodes \(10\.240\.0\.0\/23\)/);
    assert.equal(findings[0]!.related?.[0]?.source.uri, 'file:///w/infra/main.bicep', 'points at the subnet in the Bicep file');
    workspace.setFile('file:///w/infra/main.bicep', bicep('10.240.0.0/22'));
    assert.deepEqual(workspace.findingsFor('file:///w/k8s/orders.yaml'), []);
  });

  it('finds an ASO subnet with an azureName by its Kubernetes name, and by an ARM id of its VNet\'s azureName', () => {
    // Kubernetes names are lowercase; the Azure names may differ (spec.azureName). ASO references use the
    // Kubernetes name ({group, kind, name}); ARM ids carry the Azure names.
    const network = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: spoke
spec:
  azureName: vnet-spoke-weu-001
  addressSpace:
    addressPrefixes: [10.30.0.0/16]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: aks-nodes
spec:
  owner:
    name: spoke
  azureName: snet-aks-nodes
  addressPrefix: 10.30.0.0/27
`;
    const cluster = (name: string, reference: string) => `apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata:
  name: ${name}
spec:
  networkProfile:
    networkPlugin: azure
  agentPoolProfiles:
    - name: system
      count: 3
      maxPods: 30
      vnetSubnetReference:
${reference}
`;
    const byName = '        group: network.azure.com\n        kind: VirtualNetworksSubnet\n        name: aks-nodes';
    const byArmId = '        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-spoke-weu-001/subnets/snet-aks-nodes';
    for (const reference of [byName, byArmId]) {
      const workspace = new Workspace();
      workspace.setFile('file:///w/network.yaml', network);
      workspace.setFile('file:///w/cluster.yaml', cluster('aks', reference));
      // (3 + 1 surge) x (30 + 1) = 124 addresses in a /27 of 27.
      assert.deepEqual(
        workspace.findingsFor('file:///w/network.yaml').map((f) => f.message),
        [
          'Subnet snet-aks-nodes (10.30.0.0/27) is too small: 124 addresses needed of 27 usable (459%). ' +
            'Needed by cluster aks, Azure CNI: 1 pool, 3 nodes max + 1 surge, 31 addresses each = 124.',
        ],
        reference,
      );
    }
    // Kubernetes names in an ARM id name nothing in Azure.
    const wrong = new Workspace();
    wrong.setFile('file:///w/network.yaml', network);
    wrong.setFile('file:///w/cluster.yaml', cluster('aks', byArmId.replace('vnet-spoke-weu-001', 'spoke').replace('snet-aks-nodes', 'aks-nodes')));
    assert.deepEqual(wrong.findingsFor('file:///w/network.yaml'), []);
  });

  it("joins a subnet to its ASO route table and NSG by the Kubernetes name a {name} reference gives, and by the azureName an ARM id gives", () => {
    // userDefinedRouting with the default route to the Internet, and an NSG rule that denies the load balancer's probes:
    // both are judged only when the subnet's association finds its table and its group.
    const network = (routeTable: string, nsg: string) => `apiVersion: network.azure.com/v1api20240301
kind: RouteTable
metadata:
  name: egress
spec:
  azureName: rt-spoke-egress
---
apiVersion: network.azure.com/v1api20240301
kind: RouteTablesRoute
metadata:
  name: default
spec:
  owner:
    name: egress
  addressPrefix: 0.0.0.0/0
  nextHopType: Internet
---
apiVersion: network.azure.com/v1api20240301
kind: NetworkSecurityGroup
metadata:
  name: nodes-nsg
spec:
  azureName: NSG-Spoke-Nodes
---
apiVersion: network.azure.com/v1api20240301
kind: NetworkSecurityGroupsSecurityRule
metadata:
  name: deny-probes
spec:
  owner:
    name: nodes-nsg
  priority: 100
  direction: Inbound
  access: Deny
  protocol: '*'
  sourceAddressPrefix: AzureLoadBalancer
  sourcePortRange: '*'
  destinationAddressPrefix: '*'
  destinationPortRange: '*'
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: spoke
spec:
  addressSpace:
    addressPrefixes: [10.30.0.0/16]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: spoke
  addressPrefix: 10.30.0.0/22
  routeTable:
    reference:
${routeTable}
  networkSecurityGroup:
    reference:
${nsg}
---
apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    outboundType: userDefinedRouting
  agentPoolProfiles:
    - name: system
      count: 3
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/nodes
`;
    const kubernetes = (kind: string, name: string) => `      group: network.azure.com\n      kind: ${kind}\n      name: ${name}`;
    const armId = (type: string, name: string) => `      armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/${type}/${name}`;
    const rules = (routeTable: string, nsg: string) => {
      const workspace = new Workspace();
      workspace.setFile('file:///w/network.yaml', network(routeTable, nsg));
      return [...new Set(workspace.analyze().findings.map((f) => f.rule))].filter((rule) => rule === 'outbound-type-requirements' || rule === 'nsg-denies-lb-probes').sort();
    };
    const both = ['nsg-denies-lb-probes', 'outbound-type-requirements'];
    assert.deepEqual(rules(kubernetes('RouteTable', 'egress'), kubernetes('NetworkSecurityGroup', 'nodes-nsg')), both, 'by Kubernetes name');
    assert.deepEqual(rules(armId('routeTables', 'rt-spoke-egress'), armId('networkSecurityGroups', 'NSG-Spoke-Nodes')), both, 'by Azure name');
    // Crossed, each names nothing: a Kubernetes name in an ARM id, an azureName in a {name} reference.
    assert.deepEqual(rules(armId('routeTables', 'egress'), kubernetes('NetworkSecurityGroup', 'NSG-Spoke-Nodes')), []);
  });
});
