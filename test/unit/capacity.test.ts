// The sizing formulas and the numbers in capacity messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainClusterDemand } from '../../server/src/capacity/explain.ts';
import { subnetDemands } from '../../server/src/capacity/ipDemand.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

function analyze(files: Record<string, string>) {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return workspace.analyze();
}

const network = (subnets: [string, string][]) => `
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.0.0.0/8' ] }
    subnets: [
${subnets.map(([name, prefix]) => `      { name: '${name}', properties: { addressPrefix: '${prefix}' } }`).join('\n')}
    ]
  }
}
`;

const subnetId = (name: string) => `resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', '${name}')`;

describe('subnet demand', () => {
  it('pod subnet: 1 node address in the node subnet, 16 (dynamic) or whole /28 blocks (static) in the pod subnet', () => {
    const { model } = analyze({
      'main.bicep': `${network([
        ['nodes', '10.1.0.0/24'],
        ['pods', '10.2.0.0/22'],
        ['pods-static', '10.3.0.0/22'],
      ])}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [
      { name: 'dyn', count: 10, maxPods: 50, vnetSubnetID: ${subnetId('nodes')}, podSubnetID: ${subnetId('pods')} }
      { name: 'stat', count: 4, maxPods: 47, podIPAllocationMode: 'StaticBlock', upgradeSettings: { maxSurge: '50%' }, vnetSubnetID: ${subnetId('nodes')}, podSubnetID: ${subnetId('pods-static')} }
    ]
  }
}
`,
    });
    const demands = new Map(subnetDemands(model).map((d) => [d.subnet.name, d]));
    // nodes: (10 + 1) + (4 + 2) node addresses
    assert.equal(demands.get('nodes')!.required, 17);
    // dynamic: (10 + 1) x 16
    assert.equal(demands.get('pods')!.required, 176);
    // static: (4 + 2) x ceil(48 / 16) x 16 = 6 x 48
    assert.equal(demands.get('pods-static')!.required, 288);
    assert.equal(
      explainClusterDemand(demands.get('pods-static')!.clusters[0]!),
      'Azure CNI with a pod subnet: 1 pool, 4 nodes max + 2 surge, 48 pod addresses each = 288',
    );
  });

  it('adds up clusters sharing a subnet and static internal load balancer IPs in it', () => {
    const { model, findings } = analyze({
      'main.bicep': `${network([['shared', '10.5.0.0/25']])}
resource a 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'a'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [ { name: 'sys', count: 2, maxPods: 30, vnetSubnetID: ${subnetId('shared')} } ]
  }
}
resource b 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'b'
  properties: {
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' }
    agentPoolProfiles: [ { name: 'sys', count: 5, vnetSubnetID: ${subnetId('shared')} } ]
  }
}
`,
      'svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: ilb
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-ipv4: 10.5.0.100
spec:
  type: LoadBalancer
`,
    });
    const [shared] = subnetDemands(model);
    // a: (2 + 1) x 31 = 93; b: 5 + 1 = 6; one ILB IP: 100 of 123 usable
    assert.equal(shared!.required, 100);
    assert.equal(shared!.usable, 123n);
    assert.equal(shared!.loadBalancerIps, 1);
    // (The 10.0.0.0/8 VNet holds AKS's default service and pod ranges: address-range-overlap warns; not sizing.)
    assert.deepEqual(findings.filter((f) => f.rule !== 'address-range-overlap'), []);
  });

  it('says exactly what does not fit', () => {
    const { findings } = analyze({
      'main.bicep': `${network([['small', '10.6.0.0/26']])}
resource a 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'a'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [
      { name: 'sys', count: 1, enableAutoScaling: true, minCount: 1, maxCount: 2, vnetSubnetID: ${subnetId('small')} }
    ]
  }
}
`,
    });
    assert.deepEqual(
      findings.filter((f) => f.rule !== 'address-range-overlap').map((f) => f.message),
      [
        'Subnet small (10.6.0.0/26) is too small: 93 addresses needed of 59 usable (158%). ' +
          'Needed by cluster a, Azure CNI: 1 pool, 2 nodes max + 1 surge, 31 addresses each (default maxPods 30) = 93.',
      ],
    );
  });
});

describe('surge larger than the pool', () => {
  // upgrade-aks-node-pools-rolling.md, Customize node surge: where maxSurge is higher than the nodes to upgrade,
  // the number of nodes to upgrade is the surge.
  const cluster = (maxSurge: string, ports = 16000) => `
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'small'
  properties: {
    agentPoolProfiles: [ { name: 'sys', count: 2, upgradeSettings: { maxSurge: '${maxSurge}' } } ]
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', loadBalancerProfile: { allocatedOutboundPorts: ${ports} } }
  }
}
`;

  it('counts at most the pool\'s nodes as surge, as a count or a percentage', async () => {
    const { loadBalancerSnat } = await import('../../server/src/capacity/snatPorts.ts');
    for (const [maxSurge, surge] of [['10', 2], ['150%', 2], ['2', 2], ['1', 1], ['50%', 1]] as const) {
      const { model } = analyze({ 'a.bicep': cluster(maxSurge) });
      const snat = loadBalancerSnat(model, model.clusters[0]!);
      assert.equal(snat?.surge, surge, `maxSurge ${maxSurge}`);
      assert.equal(snat?.needed, (2 + surge) * 16000, `maxSurge ${maxSurge}`);
    }
  });

  it('snat-port-capacity: maxSurge 10 on 2 nodes needs 4 nodes of ports, which one IP holds', () => {
    // 4 x 16,000 = 64,000 of 64,000: fits; with 12 nodes counted it would be 192,000.
    assert.deepEqual(analyze({ 'a.bicep': cluster('10') }).findings.filter((f) => f.rule === 'snat-port-capacity'), []);
    assert.deepEqual(
      analyze({ 'a.bicep': cluster('10', 16008) }).findings.filter((f) => f.rule === 'snat-port-capacity').map((f) => f.message.split('. ')[0]),
      ['Outbound SNAT ports run out: 4 nodes (2 max + 2 surge) x 16,008 ports = 64,032 of 64,000 SNAT ports (1 outbound IP, the default, 100%)'],
    );
  });
});

describe('capacity messages, the same numbers from Bicep and YAML', () => {
  const messages = (files: Record<string, string>, rule: string) =>
    analyze(files)
      .findings.filter((f) => f.rule === rule)
      .map((f) => f.message);

  // One kubenet cluster written both ways: a system pool of 3, and an autoscaled user pool (an agentPools child in
  // Bicep, a ManagedClustersAgentPool in YAML) of at most 10 nodes with a 20% surge.
  const bicep = (podCidr: string, extra = '') => `
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'kube'
  properties: {
    agentPoolProfiles: [ { name: 'system', count: 3 } ]
    networkProfile: { networkPlugin: 'kubenet', podCidr: '${podCidr}' }
  }
}
resource user 'Microsoft.ContainerService/managedClusters/agentPools@2024-09-01' = {
  parent: aks
  name: 'user'
  properties: { enableAutoScaling: true, count: 2, minCount: 2, maxCount: 10, upgradeSettings: { maxSurge: '20%' } }
}
${extra}`;
  const yaml = (podCidr: string, maxCount = 10) => `apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata:
  name: kube
spec:
  networkProfile:
    networkPlugin: kubenet
    podCidrs: [${podCidr}]
  agentPoolProfiles:
    - name: system
      count: 3
---
apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedClustersAgentPool
metadata:
  name: user
spec:
  owner:
    name: kube
  enableAutoScaling: true
  count: 2
  minCount: 2
  maxCount: ${maxCount}
  upgradeSettings:
    maxSurge: 20%
`;

  it('pod-cidr-capacity: node ranges of the pod CIDR against nodes + surge', () => {
    // 3 + 1 surge, 10 + ceil(2) surge: 13 nodes + 3 surge = 16 /24 ranges; a /21 holds 8.
    const expected = [
      'Pod CIDR 10.244.0.0/21 holds 8 node range(s) of /24, but kubenet gives each node a /24 and cluster kube can run 13 nodes + 3 surge = 16.',
    ];
    assert.deepEqual(messages({ 'kube.bicep': bicep('10.244.0.0/21') }, 'pod-cidr-capacity'), expected);
    assert.deepEqual(messages({ 'kube.yaml': yaml('10.244.0.0/21') }, 'pod-cidr-capacity'), expected);
    // A /20 holds the 16 exactly.
    assert.deepEqual(messages({ 'kube.bicep': bicep('10.244.0.0/20') }, 'pod-cidr-capacity'), []);
    assert.deepEqual(messages({ 'kube.yaml': yaml('10.244.0.0/20') }, 'pod-cidr-capacity'), []);
  });

  it('kubenet-route-limit: one route per node, surge included, against 400', () => {
    // A looped agentPools child adds 4 pools of at most 97 nodes (+1 surge each): 13 + 388 = 401 nodes, 3 + 4 = 7 surge.
    const loop = `resource zonal 'Microsoft.ContainerService/managedClusters/agentPools@2024-09-01' = [for zone in [ '1', '2', '3', '4' ]: {
  parent: aks
  name: 'z\${zone}'
  properties: { availabilityZones: [ zone ], enableAutoScaling: true, count: 3, minCount: 3, maxCount: 97 }
}]
`;
    assert.deepEqual(messages({ 'kube.bicep': bicep('10.244.0.0/14', loop) }, 'kubenet-route-limit'), [
      'Kubenet needs one route per node: cluster kube can run 401 nodes + 7 surge = 408 routes, over the 400 routes a route table holds. Use Azure CNI Overlay for clusters this large.',
    ]);
    // Dual-stack (YAML): two routes per node. 3 + 197 nodes, 1 + ceil(197 x 20%) = 41 surge: 241 x 2 = 482.
    assert.deepEqual(messages({ 'kube.yaml': yaml('10.244.0.0/14, fd12:3456:789a::/64', 197) }, 'kubenet-route-limit'), [
      'Kubenet needs two routes (dual-stack) per node: cluster kube can run 200 nodes + 41 surge = 482 routes, over the 400 routes a route table holds. Use Azure CNI Overlay for clusters this large.',
    ]);
  });

  it('max-pods-range and max-pods-windows: the pods a pool holds and the limits', () => {
    const pools = `
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'mixed'
  properties: {
    agentPoolProfiles: [
      { name: 'system', count: 3, maxPods: 260 }
      { name: 'small', count: 2, maxPods: 12 }
    ]
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' }
  }
}
resource win 'Microsoft.ContainerService/managedClusters/agentPools@2024-09-01' = {
  parent: aks
  name: 'win'
  properties: { osType: 'Windows', enableAutoScaling: true, count: 1, minCount: 1, maxCount: 3, maxPods: 120 }
}
`;
    assert.deepEqual(messages({ 'pools.bicep': pools }, 'max-pods-range'), [
      'maxPods 260 on node pool system is outside the 10-250 range AKS accepts for every network plugin.',
      'Node pool small can hold only 24 pods (2 node(s) x maxPods 12); AKS requires every pool to hold at least 30. Raise maxPods to 15 or run more nodes.',
    ]);
    assert.deepEqual(messages({ 'pools.bicep': pools }, 'max-pods-windows'), [
      'Windows node pool win has maxPods 120; 110 is the recommended maximum for Windows Server nodes.',
    ]);
  });
});

describe('capacity hover', () => {
  it('shows on a subnet CIDR what the subnet must hold, and kubenet routes', async () => {
    const { hoverAt } = await import('../../server/src/service/hover.ts');
    const text = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: vnet
  addressPrefix: 10.30.0.0/22
---
apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: kube
spec:
  networkProfile:
    networkPlugin: kubenet
  agentPoolProfiles:
    - name: a
      count: 10
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes
    - name: b
      enableAutoScaling: true
      minCount: 1
      maxCount: 20
      upgradeSettings:
        maxSurge: 33%
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes
`;
    const workspace = new Workspace();
    workspace.setFile('file:///w/k.yaml', text);
    const hover = hoverAt(workspace, 'file:///w/k.yaml', { line: 7, character: 20 });
    const value = (hover!.contents as { value: string }).value;
    // 10 + 1 surge, 20 + ceil(6.6) = 7 surge: 38 nodes, one address and one route each
    assert.match(value, /Capacity of subnet nodes: 38 addresses needed of 1,019 usable \(4%\)/);
    assert.match(value, /cluster kube, kubenet: 2 pools, 30 nodes max \+ 8 surge, 1 address each = 38/);
    assert.match(value, /kubenet routes of cluster kube: 38 of 400/);
  });

  const hoverText = async (uri: string, text: string, line: number, find: string) => {
    const { hoverAt } = await import('../../server/src/service/hover.ts');
    const workspace = new Workspace();
    workspace.setFile(uri, text);
    const character = text.split('\n')[line]!.indexOf(find) + 1;
    assert.ok(character > 0, `line ${line} holds ${find}`);
    const hover = hoverAt(workspace, uri, { line, character });
    return hover ? (hover.contents as { value: string }).value : undefined;
  };

  const cni = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: vnet
  addressPrefix: 10.240.0.0/22
---
apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata:
  name: shop
spec:
  networkProfile:
    networkPlugin: azure
    loadBalancerProfile:
      allocatedOutboundPorts: 2048
  agentPoolProfiles:
    - name: system
      count: 3
      maxPods: 30
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes
    - name: user
      enableAutoScaling: true
      minCount: 1
      maxCount: 9
      maxPods: 30
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes
`;

  it('shows on networkPlugin the cluster\'s subnet demand, usage and SNAT ports', async () => {
    const value = await hoverText('file:///w/cni.yaml', cni, 15, 'azure');
    assert.ok(value);
    assert.match(value, /\*\*Cluster shop\*\* · Azure CNI/);
    // (3 + 1) + (9 + 1) = 14 nodes, 31 addresses each = 434 of 1,019
    assert.match(value, /node subnet nodes \(10\.240\.0\.0\/22\): Azure CNI: 2 pools, 12 nodes max \+ 2 surge, 31 addresses each = 434; 434 addresses needed of 1,019 usable \(43%\)/);
    assert.match(value, /outbound SNAT: 14 nodes \(12 max \+ 2 surge\) x 2,048 ports = 28,672 of 64,000 SNAT ports \(1 outbound IP, the default, 45%\)/);
  });

  it('shows on a pool\'s maxCount that pool first', async () => {
    const value = await hoverText('file:///w/cni.yaml', cni, cni.split('\n').indexOf('      maxCount: 9'), '9');
    assert.ok(value);
    const pools = value.split('\n').filter((line) => line.startsWith('- pool'));
    assert.deepEqual(pools, ['- pool user: 9 nodes max + 1 surge, maxPods 30', '- pool system: 3 nodes max + 1 surge, maxPods 30']);
  });

  it('shows on a Bicep pod CIDR and node count the /24 ranges and kubenet routes', async () => {
    const bicep = `param nodeCount int = 40
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'kube'
  properties: {
    agentPoolProfiles: [
      { name: 'system', count: nodeCount, maxPods: 50 }
    ]
    networkProfile: {
      networkPlugin: 'kubenet'
      podCidr: '10.244.0.0/18'
    }
  }
}
`;
    const onCount = await hoverText('file:///w/kube.bicep', bicep, 0, '40');
    assert.ok(onCount);
    assert.match(onCount, /pool system: 40 nodes max \+ 1 surge, maxPods 50/);
    assert.match(onCount, /pod CIDR 10\.244\.0\.0\/18: 41 of 64 node ranges \(\/24\) \(64%\)/);
    assert.match(onCount, /kubenet routes: 41 of 400 \(10%\)/);
    assert.match(onCount, /automatic allocation, 1,024 ports per node at 41 nodes/);
    const onPodCidr = await hoverText('file:///w/kube.bicep', bicep, 9, '10.244');
    assert.match(onPodCidr!, /41 of 64 node ranges/);
  });

  it('shows AKS\'s default ranges where the cluster leaves them out, and a subnet inside them', async () => {
    const text = `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.0.8.0/22' } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'kube'
  properties: {
    agentPoolProfiles: [ { name: 'system', count: 3, vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nodes') } ]
    networkProfile: { networkPlugin: 'kubenet' }
  }
}
`;
    const onPlugin = await hoverText('file:///w/d.bicep', text, 11, 'kubenet');
    assert.match(onPlugin!, /- service CIDR 10\.0\.0\.0\/16, DNS service IP 10\.0\.0\.10: AKS's default, since serviceCidr is not set/);
    assert.match(onPlugin!, /- pod CIDR 10\.244\.0\.0\/16: AKS's default, since podCidr is not set/);
    const onSubnet = await hoverText('file:///w/d.bicep', text, 4, '10.0.8');
    assert.match(onSubnet!, /- inside service CIDR of cluster kube 10\.0\.0\.0\/16 \(AKS's default: serviceCidr is not set\)/);
    // Written ranges are not defaults.
    const written = text.replace("networkPlugin: 'kubenet' }", "networkPlugin: 'kubenet', podCidr: '10.244.0.0/16', serviceCidr: '10.1.0.0/16', dnsServiceIP: '10.1.0.10' }");
    assert.doesNotMatch((await hoverText('file:///w/d.bicep', written, 11, 'kubenet'))!, /AKS's default/);
  });

  it('counts the routes already in a route table of the cluster\'s own with kubenet\'s', async () => {
    const text = `resource rt 'Microsoft.Network/routeTables@2023-11-01' = {
  name: 'rt-own'
  properties: { routes: [for i in range(0, 5): { name: 'r\${i}', properties: { addressPrefix: '192.168.\${i}.0/24', nextHopType: 'VirtualNetworkGateway' } }] }
}
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.50.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.50.0.0/22', routeTable: { id: rt.id } } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'kube'
  properties: {
    agentPoolProfiles: [ { name: 'system', count: 40, vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nodes') } ]
    networkProfile: { networkPlugin: 'kubenet', podCidr: '10.244.0.0/16', serviceCidr: '10.1.0.0/16', dnsServiceIP: '10.1.0.10' }
  }
}
`;
    const onPlugin = await hoverText('file:///w/r.bicep', text, 15, 'kubenet');
    assert.match(onPlugin!, /- kubenet routes: 41 node routes \+ 5 in route table rt-own = 46 of 400 \(12%\)/);
    const onSubnet = await hoverText('file:///w/r.bicep', text, 8, '10.50.0');
    assert.match(onSubnet!, /- kubenet routes of cluster kube: 41 node routes \+ 5 in route table rt-own = 46 of 400/);
  });

  it('does not call a VNet\'s address space usable in a subnet; a subnet prefix keeps its usable count', async () => {
    const text = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: vnet
spec:
  addressSpace:
    addressPrefixes: [10.60.0.0/16]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: vnet
  addressPrefix: 10.60.0.0/24
`;
    const onSpace = await hoverText('file:///w/v.yaml', text, 6, '10.60.0.0/16');
    assert.doesNotMatch(onSpace!, /Usable in an Azure subnet/);
    assert.match(onSpace!, /A virtual network's address space: Azure keeps 5 addresses of each subnet carved from it, not of the space itself/);
    const onSubnet = await hoverText('file:///w/v.yaml', text, 15, '10.60.0.0/24');
    assert.match(onSubnet!, /Usable in an Azure subnet: 251 \(Azure keeps 5 addresses of every subnet\)/);
    const bicep = `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: { addressSpace: { addressPrefixes: [ '10.61.0.0/16' ] } }
}
`;
    assert.doesNotMatch((await hoverText('file:///w/v.bicep', bicep, 2, '10.61'))!, /Usable in an Azure subnet/);
  });

  it('says nothing about capacity where a count cannot be evaluated', async () => {
    const value = await hoverText('file:///w/p.bicep', `param nodeCount int
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'kube'
  properties: {
    agentPoolProfiles: [ { name: 'system', count: nodeCount } ]
    networkProfile: { networkPlugin: 'kubenet', podCidr: '10.244.0.0/18' }
  }
}
`, 5, 'kubenet');
    assert.ok(value);
    assert.match(value, /pool system: size unknown/);
    assert.doesNotMatch(value, /routes|node ranges|SNAT/);
  });
});
