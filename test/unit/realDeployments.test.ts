// The module shapes real repositories use (issue "Real deployments, evaluated"): each case is the corpus shape that
// lost a value, reduced to a few lines, with the capacity numbers it must give now.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterCoverage } from '../../server/src/capacity/coverage.ts';
import { subnetDemands } from '../../server/src/capacity/ipDemand.ts';
import { formatCidr } from '../../server/src/cidr/cidr.ts';
import { remoteVnetsOf, resolveSubnet } from '../../server/src/model/topology.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

function modelOf(files: Record<string, string>): NetworkModel {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return workspace.analyze().model;
}

/** "<subnet>: <required>/<usable>" for every sized subnet whose demand is complete. */
const demands = (model: NetworkModel) =>
  subnetDemands(model).map((d) => `${d.subnet.name}: ${d.complete ? `${d.required}/${d.usable}` : 'incomplete'}`);

const VNET = `
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.240.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.240.0.0/22' } } ]
  }
}
`;

// CARML/AKS-Construction: a pool module declares the pool on an `existing` cluster named by the caller.
const POOL_MODULE = `
param clusterName string
param pool object
resource cluster 'Microsoft.ContainerService/managedClusters@2024-01-01' existing = {
  name: clusterName
}
resource userPool 'Microsoft.ContainerService/managedClusters/agentPools@2024-01-01' = {
  parent: cluster
  name: pool.name
  properties: {
    count: pool.count
    maxPods: 30
    vnetSubnetID: contains(pool, 'vnetSubnetId') ? pool.vnetSubnetId : null
    upgradeSettings: { maxSurge: '' }
  }
}
`;

describe('agent pools declared on an existing cluster', () => {
  it('join the cluster of that name deployed in the same deployment, so the subnet counts every pool', () => {
    const model = modelOf({
      'main.bicep': `${VNET}
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: 'aks-1'
  properties: {
    networkProfile: { networkPlugin: 'azure', networkPluginMode: '' }
    agentPoolProfiles: [ { name: 'sys', count: 3, maxPods: 30, vnetSubnetID: vnet.properties.subnets[0].id } ]
  }
}
module pool 'pool.bicep' = {
  name: 'pool'
  params: {
    clusterName: aks.name
    pool: { name: 'npuser01', count: 5, vnetSubnetID: vnet.properties.subnets[0].id }
  }
}`,
      'pool.bicep': POOL_MODULE,
    });
    // Azure CNI, 31 addresses a node: sys 3 + 1 surge, npuser01 5 + 1 surge ('' is no maxSurge: 1).
    assert.deepEqual(demands(model), [`nodes: ${(4 + 6) * 31}/1019`]);
    assert.equal(clusterCoverage(model, model.clusters[0]!).capacityChecked, true);
  });

  it('join a cluster whose name cannot be evaluated through `aks.name`, and nothing else', () => {
    const model = modelOf({
      'main.bicep': `${VNET}
param prefix string
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: 'aks-\${prefix}'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [ { name: 'sys', count: 3, maxPods: 30, vnetSubnetID: vnet.properties.subnets[0].id } ]
  }
}
module pool 'pool.bicep' = {
  name: 'pool'
  params: { clusterName: aks.name, pool: { name: 'user', count: 2, vnetSubnetId: vnet.properties.subnets[0].id } }
}
module stray 'pool.bicep' = {
  name: 'stray'
  params: { clusterName: 'aks-\${prefix}', pool: { name: 'other', count: 2, vnetSubnetId: vnet.properties.subnets[0].id } }
}`,
      'pool.bicep': POOL_MODULE,
    });
    const [cluster] = model.clusters;
    const pools = model.nodePools.filter((pool) => pool.clusterKey === cluster!.key).map((pool) => pool.name);
    // A name built anew from the same unknown is not known to be the same: that pool joins nothing (a wrong join is worse).
    assert.deepEqual(pools, ['sys', 'user']);
    assert.deepEqual(demands(model), ['nodes: incomplete']);
  });
});

describe('values Bicep and Azure read as not set', () => {
  it('a nullable param the caller leaves out is null; a deployment root keeps it unknown', () => {
    const module = `
param networkDataplane string?
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: 'aks-n'
  properties: { networkProfile: { networkPlugin: 'azure', networkDataplane: networkDataplane } }
}`;
    const called = modelOf({ 'main.bicep': `module m 'aks.bicep' = { name: 'm' }`, 'aks.bicep': module });
    assert.equal(called.clusters[0]!.networkDataplane.known, false);
    assert.equal((called.clusters[0]!.networkDataplane as { reason: string }).reason, 'not set');
    const root = modelOf({ 'aks.bicep': module });
    assert.match((root.clusters[0]!.networkDataplane as { reason: string }).reason, /has no default value/);
  });

  it("networkPluginMode: '' is classic Azure CNI, so the subnet is sized", () => {
    const model = modelOf({
      'main.bicep': `${VNET}
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: 'aks-e'
  properties: {
    networkProfile: { networkPlugin: 'azure', networkPluginMode: '' }
    agentPoolProfiles: [ { name: 'sys', count: 2, maxPods: 30, vnetSubnetID: vnet.properties.subnets[0].id, upgradeSettings: { maxSurge: '' } } ]
  }
}`,
    });
    assert.deepEqual(demands(model), [`nodes: ${3 * 31}/1019`]);
  });

  it("empty() of a resource id is false and contains() finds object keys whatever their case", () => {
    const model = modelOf({
      'main.bicep': `${VNET}
var pool = { name: 'np', count: 4, vnetSubnetID: vnet.properties.subnets[0].id }
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: 'aks-c'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [ {
      name: pool.name
      count: pool.count
      maxPods: 30
      vnetSubnetID: contains(pool, 'vnetSubnetId') && !empty(pool.vnetSubnetID) ? pool.vnetSubnetID : null
    } ]
  }
}`,
    });
    assert.deepEqual(demands(model), [`nodes: ${5 * 31}/1019`]);
  });
});

describe('identity', () => {
  const cluster = (name: string) => `
param subnetId string
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: '${name}'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [ { name: 'sys', count: 3, maxPods: 30, vnetSubnetID: subnetId } ]
  }
}`;

  it('a module deployed twice by one root (init, idem) is one cluster with one pool', () => {
    const model = modelOf({
      'main.test.bicep': `${VNET}
module test 'aks.bicep' = [for iteration in ['init', 'idem']: {
  name: 'test-\${iteration}'
  params: { subnetId: vnet.properties.subnets[0].id }
}]`,
      'aks.bicep': cluster('aks-twice'),
    });
    assert.equal(model.clusters.length, 1);
    assert.equal(model.nodePools.length, 1);
    assert.deepEqual(demands(model), [`nodes: ${4 * 31}/1019`]);
  });

  it('two clusters with the same name in two roots are two clusters, each with its own pools', () => {
    const root = (vnet: string) => `${VNET.replace("'vnet'", `'${vnet}'`)}
module c 'aks.bicep' = { name: 'c', params: { subnetId: vnet.properties.subnets[0].id } }`;
    const model = modelOf({ 'a.bicep': root('vnet-a'), 'b.bicep': root('vnet-b'), 'aks.bicep': cluster('same-name') });
    assert.equal(model.clusters.length, 2);
    assert.notEqual(model.clusters[0]!.key, model.clusters[1]!.key);
    for (const c of model.clusters) assert.equal(model.nodePools.filter((p) => p.clusterKey === c.key).length, 1);
    // Each root's pool finds its own root's subnet, though both are named 'nodes'.
    assert.deepEqual(demands(model), [`nodes: ${4 * 31}/1019`, `nodes: ${4 * 31}/1019`]);
  });
});

// CAPZ's own cluster-template-aks.yaml shape: templated names, no virtualNetwork, replicas on the MachinePool.
const CAPZ_TEMPLATE = (pluginMode = '', poolLabel = '') => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: \${CLUSTER_NAME}
  namespace: default
spec:
  controlPlaneRef:
    kind: AzureManagedControlPlane
    name: \${CLUSTER_NAME}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedControlPlane
metadata:
  name: \${CLUSTER_NAME}
  namespace: default
spec:
  location: \${AZURE_LOCATION}${pluginMode}
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: MachinePool
metadata:
  name: \${CLUSTER_NAME}-pool0
  namespace: default
spec:
  clusterName: \${CLUSTER_NAME}
  replicas: \${WORKER_MACHINE_COUNT:=2}
  template:
    spec:
      clusterName: \${CLUSTER_NAME}
      infrastructureRef:
        kind: AzureManagedMachinePool
        name: \${CLUSTER_NAME}-pool0
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedMachinePool
metadata:
  name: \${CLUSTER_NAME}-pool0
  namespace: default${poolLabel}
spec:
  mode: System
  name: pool0
`;

describe('Cluster API Provider Azure', () => {
  it("takes the webhook's defaults (azure plugin, VNet 10.0.0.0/8, subnet 10.240.0.0/16) and the MachinePool's replicas", () => {
    const model = modelOf({ 'capz.yaml': CAPZ_TEMPLATE() });
    const [cluster] = model.clusters;
    assert.equal(cluster!.networkPlugin.known && cluster!.networkPlugin.value, 'azure');
    assert.deepEqual(model.vnets.map((v) => v.addressSpace.map((a) => (a.known ? `${a.value.prefix}` : '?'))), [['8']]);
    const [pool] = model.nodePools;
    assert.equal(pool!.clusterKey, cluster!.key);
    assert.equal(pool!.count.known && pool!.count.value, 2, '${WORKER_MACHINE_COUNT:=2} gives 2');
    // Azure CNI, maxPods 30 by default: 2 nodes + 1 surge, 31 addresses each, in 10.240.0.0/16 (65,531 usable).
    assert.deepEqual(demands(model), [`\${CLUSTER_NAME}: ${3 * 31}/65531`]);
    assert.equal(clusterCoverage(model, cluster!).capacityChecked, true);
  });

  it('takes the overlay ranges with networkPluginMode overlay, and none when the mode is a placeholder', () => {
    const overlay = modelOf({ 'capz.yaml': CAPZ_TEMPLATE('\n  networkPluginMode: overlay') });
    assert.deepEqual(overlay.subnets.map((s) => s.prefixes.map((p) => (p.known ? `${p.value.prefix}` : '?'))), [['16']]);
    assert.equal(overlay.vnets[0]!.addressSpace[0]!.known && overlay.vnets[0]!.addressSpace[0]!.value.prefix, 12);
    const templated = modelOf({ 'capz.yaml': CAPZ_TEMPLATE('\n  networkPluginMode: ${PLUGIN_MODE}') });
    assert.equal(templated.subnets[0]!.prefixes[0]!.known, false);
  });

  it('links templated names within a file only: two templates are two clusters, each with its pool', () => {
    const model = modelOf({ 'a.yaml': CAPZ_TEMPLATE(), 'b.yaml': CAPZ_TEMPLATE() });
    assert.equal(model.clusters.length, 2);
    assert.notEqual(model.clusters[0]!.key, model.clusters[1]!.key);
    for (const cluster of model.clusters) assert.equal(model.nodePools.filter((p) => p.clusterKey === cluster.key).length, 1);
  });

  it('without its MachinePool a pool has no count, and the reason says where it is set', () => {
    const text = CAPZ_TEMPLATE().split('---\n').filter((doc) => !doc.includes('kind: MachinePool')).join('---\n');
    const model = modelOf({ 'capz.yaml': text });
    assert.match((model.nodePools[0]!.count as { reason: string }).reason, /replicas are set on the MachinePool/);
  });
});

describe('typed subnet references', () => {
  const poolSubnets = (model: NetworkModel) => model.nodePools.map((pool) => {
    const subnet = pool.nodeSubnet && resolveSubnet(model, pool.nodeSubnet);
    return `${pool.name}: ${subnet ? `${subnet.vnetKey}/${subnet.name}` : 'none'}`;
  });

  const ASO_NETWORK = `apiVersion: network.azure.com/v1api20201101
kind: VirtualNetwork
metadata:
  name: vnet-k8s
spec:
  azureName: vnet
  addressSpace:
    addressPrefixes: [10.9.0.0/16]
---
apiVersion: network.azure.com/v1api20201101
kind: VirtualNetworksSubnet
metadata:
  name: nodes-k8s
spec:
  azureName: nodes
  owner:
    name: vnet-k8s
  addressPrefix: 10.9.0.0/24
`;
  const asoCluster = (reference: string) => `apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    networkPlugin: azure
  agentPoolProfiles:
    - name: sys
      count: 3
      vnetSubnetReference:
        ${reference}
`;

  it("an ASO {name} reference names a Subnet object by its Kubernetes name; a resource id by the Azure names", () => {
    const byName = modelOf({ 'network.yaml': ASO_NETWORK, 'aks.yaml': asoCluster('group: network.azure.com\n        kind: VirtualNetworksSubnet\n        name: nodes-k8s') });
    assert.deepEqual(poolSubnets(byName), ['sys: vnet-k8s/nodes']);
    const byId = modelOf({ 'network.yaml': ASO_NETWORK, 'aks.yaml': asoCluster('armId: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes') });
    assert.deepEqual(poolSubnets(byId), ['sys: vnet-k8s/nodes']);
    // The Kubernetes names are not Azure names: an id by them names nothing here.
    const wrongId = modelOf({ 'network.yaml': ASO_NETWORK, 'aks.yaml': asoCluster('armId: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-k8s/subnets/nodes-k8s') });
    assert.deepEqual(poolSubnets(wrongId), ['sys: none']);
  });

  it('an ASO {name} reference does not join a Bicep subnet that happens to have that name', () => {
    const model = modelOf({ 'main.bicep': VNET, 'aks.yaml': asoCluster('group: network.azure.com\n        kind: VirtualNetworksSubnet\n        name: nodes') });
    assert.deepEqual(poolSubnets(model), ['sys: none']);
  });

  it("a CAPZ pool's subnetName names a subnet of its own cluster's VNet, though another cluster has one of that name", () => {
    const capz = (cluster: string, octet: number) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedControlPlane
metadata:
  name: ${cluster}
spec:
  virtualNetwork:
    name: vnet-${cluster}
    cidrBlock: 10.${octet}.0.0/16
    subnet:
      name: nodes
      cidrBlock: 10.${octet}.0.0/24
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedMachinePool
metadata:
  name: ${cluster}-pool
  labels:
    cluster.x-k8s.io/cluster-name: ${cluster}
spec:
  mode: System
  name: pool${cluster}
  subnetName: nodes
`;
    const model = modelOf({ 'a.yaml': capz('a', 1), 'b.yaml': capz('b', 2) });
    assert.deepEqual(poolSubnets(model).sort(), ['poola: vnet-a/nodes', 'poolb: vnet-b/nodes']);
  });

  it("a resource id whose VNet name cannot be evaluated names the subnet of its own deployment, not another's", () => {
    const root = (octet: number) => `
param vnetName string
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: vnetName
  properties: {
    addressSpace: { addressPrefixes: [ '10.${octet}.0.0/16' ] }
    subnets: [ { name: 'kubesubnet', properties: { addressPrefix: '10.${octet}.0.0/24' } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-01-01' = {
  name: 'aks${octet}'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [ { name: 'pool${octet}', count: 3, maxPods: 30, vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', vnetName, 'kubesubnet') } ]
  }
}`;
    const model = modelOf({ 'one.bicep': root(1), 'two.bicep': root(2) });
    const prefixes = model.nodePools.map((pool) => {
      const subnet = pool.nodeSubnet && resolveSubnet(model, pool.nodeSubnet);
      const prefix = subnet?.prefixes[0];
      return `${pool.name}: ${prefix?.known ? formatCidr(prefix.value) : 'none'}`;
    });
    assert.deepEqual(prefixes.sort(), ['pool1: 10.1.0.0/24', 'pool2: 10.2.0.0/24']);
  });
});

describe("AKS's default network plugin", () => {
  const cluster = (pool: string) => `
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.240.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.240.0.0/28' } }, { name: 'pods', properties: { addressPrefix: '10.240.1.0/24' } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    agentPoolProfiles: [ { name: 'sys', count: 12, vnetSubnetID: vnet.properties.subnets[0].id${pool} } ]
  }
}`;
  const analyzed = (text: string) => {
    const workspace = new Workspace();
    workspace.setFile('file:///w/main.bicep', text);
    return workspace.analyze();
  };

  it('sizes the node subnet at one address per node (kubenet and overlay alike), as a warning that says why', () => {
    const { model, findings } = analyzed(cluster(''));
    // 12 nodes + 1 surge (the default) need 13 addresses; a /28 has 11 usable.
    assert.deepEqual(demands(model), ['nodes: 13/11']);
    const coverage = clusterCoverage(model, model.clusters[0]!);
    assert.equal(coverage.capacityChecked, true);
    assert.equal(coverage.mode, 'aks-default');
    const capacity = findings.filter((f) => f.rule === 'subnet-capacity');
    assert.equal(capacity.length, 1);
    assert.equal(capacity[0]!.severity, 'warning');
    assert.match(capacity[0]!.message, /13 addresses needed of 11 usable.*leaves networkPlugin out: AKS chooses kubenet or Azure CNI Overlay/);
  });

  it('does not size a pod subnet, which needs Azure CNI, and says so', () => {
    const { model, findings } = analyzed(cluster(', podSubnetID: vnet.properties.subnets[1].id'));
    assert.deepEqual(demands(model), ['nodes: incomplete', 'pods: incomplete']);
    const coverage = clusterCoverage(model, model.clusters[0]!);
    assert.equal(coverage.capacityChecked, false);
    assert.match(coverage.gaps.map((g) => g.reason).join('\n'), /a pod subnet needs Azure CNI, and networkPlugin is not set/);
    assert.deepEqual(findings.filter((f) => f.rule === 'subnet-capacity'), []);
  });

  it('an unknown networkPlugin (a parameter without default) is not the default: nothing is sized', () => {
    const { model } = analyzed(`param plugin string\n${cluster('').replace('agentPoolProfiles', 'networkProfile: { networkPlugin: plugin }\n    agentPoolProfiles')}`);
    assert.deepEqual(demands(model), ['nodes: incomplete']);
  });
});

describe('peerings', () => {
  it("a peering's remote VNet is its own deployment's, where two deployments declare a VNet of that name", () => {
    const root = (octet: number) => `
resource hub 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'hub'
  properties: { addressSpace: { addressPrefixes: [ '10.${octet}.0.0/24' ] } }
}
resource spoke 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'spoke${octet}'
  properties: {
    addressSpace: { addressPrefixes: [ '10.${octet}.1.0/24' ] }
    virtualNetworkPeerings: [ { name: 'to-hub', properties: { remoteVirtualNetwork: { id: hub.id } } } ]
  }
}`;
    const model = modelOf({ 'one.bicep': root(1), 'two.bicep': root(2) });
    const remotes = model.vnets
      .filter((vnet) => vnet.name.startsWith('spoke'))
      .map((spoke) => {
        const peering = model.peerings.find((p) => p.vnetKey === spoke.key)!;
        return `${spoke.name}: ${remoteVnetsOf(model, peering, spoke).map((v) => v.addressSpace.map((a) => (a.known ? formatCidr(a.value) : '?')).join()).join(' | ')}`;
      });
    assert.deepEqual(remotes.sort(), ['spoke1: 10.1.0.0/24', 'spoke2: 10.2.0.0/24']);
  });
});
