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
});
