// The questions rules and the service share (model/queries.ts): one answer each, checked on a model read from YAML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCidr } from '../../server/src/cidr/cidr.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { clusterRanges, isInternal, isLoadBalancer, loadBalancerSubnet, namespaceOf, onlyCluster, podAndNodeRanges } from '../../server/src/model/queries.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const NETWORK = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: vnet
spec:
  addressSpace:
    addressPrefixes: [10.240.0.0/16]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: vnet
  addressPrefix: 10.240.0.0/22
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: ilb
spec:
  owner:
    name: vnet
  addressPrefix: 10.240.4.0/24
---
apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    podCidr: 192.168.0.0/16
    serviceCidr: 10.0.0.0/16
    dnsServiceIP: 10.0.0.10
  agentPoolProfiles:
    - name: sys
      count: 3
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes
`;

const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: on-nodes
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "True"
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: on-ilb
  namespace: shop
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ilb
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: on-missing
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-internal-subnet: nowhere
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: public
spec:
  type: LoadBalancer
---
apiVersion: v1
kind: Service
metadata:
  name: plain
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "false"
`;

function modelOf(files: Record<string, string>): NetworkModel {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return workspace.analyze().model;
}

const service = (model: NetworkModel, name: string) => model.services.find((s) => s.name === name)!;

describe('model queries', () => {
  const model = modelOf({ 'network.yaml': NETWORK, 'services.yaml': SERVICES });

  it('namespaceOf: the written namespace, else default', () => {
    assert.equal(namespaceOf(service(model, 'on-ilb')), 'shop');
    assert.equal(namespaceOf(service(model, 'public')), 'default');
  });

  it('isInternal and isLoadBalancer read the annotation (any case of true) and the type', () => {
    assert.deepEqual(
      model.services.map((s) => [s.name, isInternal(s), isLoadBalancer(s)]),
      [
        ['on-nodes', true, true],
        ['on-ilb', true, true],
        ['on-missing', true, true],
        ['public', false, true],
        ['plain', false, false],
      ],
    );
  });

  it('loadBalancerSubnet: the named subnet of the cluster VNet, else the node subnet, else none', () => {
    const cluster = onlyCluster(model)!;
    assert.equal(cluster.name, 'aks');
    assert.equal(loadBalancerSubnet(model, cluster, service(model, 'on-ilb'))?.name, 'ilb');
    assert.equal(loadBalancerSubnet(model, cluster, service(model, 'on-nodes'))?.name, 'nodes');
    assert.equal(loadBalancerSubnet(model, cluster, service(model, 'on-missing')), undefined);
  });

  it('onlyCluster: none when the workspace has two clusters', () => {
    const two = modelOf({ 'a.yaml': NETWORK, 'b.yaml': NETWORK.replace('name: aks', 'name: aks2') });
    assert.equal(two.clusters.length, 2);
    assert.equal(onlyCluster(two), undefined);
  });

  it('clusterRanges: service CIDRs, then pod CIDRs, with their labels', () => {
    const ranges = clusterRanges(onlyCluster(model)!).map(({ kind, label, range }) => [kind, label, formatCidr(range.value)]);
    assert.deepEqual(ranges, [
      ['service', 'Service CIDR', '10.0.0.0/16'],
      ['pod', 'Pod CIDR', '192.168.0.0/16'],
    ]);
  });

  it('podAndNodeRanges: pod CIDRs and node subnets, named for messages', () => {
    const ranges = podAndNodeRanges(model, onlyCluster(model)!).map(({ label }) => label);
    assert.deepEqual(ranges, ['the pod CIDR 192.168.0.0/16', 'node subnet nodes (10.240.0.0/22)']);
  });
});
