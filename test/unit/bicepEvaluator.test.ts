// The Bicep evaluator and lowering: values with provenance, CIDR functions, modules, conditions, loops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCidr, formatIp } from '../../server/src/cidr/cidr.ts';
import type { Cidr } from '../../server/src/cidr/cidr.ts';
import type { Value } from '../../server/src/model/source.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

/** A workspace of in-memory files under file:///w/. */
function workspaceOf(files: Record<string, string>, outside: Record<string, string> = {}) {
  const workspace = new Workspace((uri) => outside[uri.replace('file:///w/', '')]);
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return workspace;
}

const shown = (values: Value<Cidr>[]) => values.map((v) => (v.known ? formatCidr(v.value) : 'unknown'));

/** The text a value's source covers. */
function sourceText(files: Record<string, string>, value: Value<unknown>): string | undefined {
  if (!value.source) return undefined;
  return files[value.source.uri.replace('file:///w/', '')]!.slice(value.source.start, value.source.end);
}

describe('Bicep CIDR functions (bicep.md section 8 examples)', () => {
  const files = {
    'main.bicep': `
var net = '10.144.0.0/20'
var parsed = parseCidr(net)
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-cidr'
  properties: {
    addressSpace: { addressPrefixes: [ net, 'fdad:3236:5555::/48' ] }
    subnets: [for i in range(0, 3): {
      name: 'snet-\${i}'
      properties: { addressPrefix: cidrSubnet(net, 24, i) }
    }]
  }
}
resource v6 'Microsoft.Network/virtualNetworks/subnets@2023-11-01' = {
  parent: vnet
  name: 'v6'
  properties: { addressPrefixes: [ cidrSubnet('fdad:3236:5555::/48', 52, 2) ] }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-cidr'
  properties: {
    networkProfile: {
      serviceCidr: '\${parsed.network}/16'
      dnsServiceIP: cidrHost('10.144.3.0/24', 9)
    }
  }
}
`,
  };

  it('computes cidrSubnet, parseCidr and cidrHost exactly', () => {
    const model = workspaceOf(files).analyze().model;
    assert.deepEqual(
      model.subnets.map((s) => `${s.name} ${shown(s.prefixes)}`),
      ['snet-0 10.144.0.0/24', 'snet-1 10.144.1.0/24', 'snet-2 10.144.2.0/24', 'v6 fdad:3236:5555:2000::/52'],
    );
    const [cluster] = model.clusters;
    assert.deepEqual(shown(cluster!.serviceCidrs), ['10.144.0.0/16']);
    assert.ok(cluster!.dnsServiceIp.known);
    assert.equal(formatIp(cluster!.dnsServiceIp.value), '10.144.3.10');
  });

  it('points each computed value at the expression a user would edit', () => {
    const model = workspaceOf(files).analyze().model;
    const v6 = model.subnets.find((s) => s.name === 'v6')!;
    assert.equal(sourceText(files, v6.prefixes[0]!), "cidrSubnet('fdad:3236:5555::/48', 52, 2)");
    const vnet = model.vnets[0]!;
    assert.equal(sourceText(files, vnet.addressSpace[0]!), "'10.144.0.0/20'", 'a var keeps pointing at its literal');
  });
});

describe('Bicep evaluation into the model', () => {
  it('reads params, vars, interpolation, ternaries, child subnets and agent pool subnet ids', () => {
    const files = {
      'main.bicep': `
@description('Address space')
param vnetCidr string = '10.50.0.0/16'
param plugin string = 'kubenet'
param prefix string
var nodesName = 'snet-nodes'
var isKubenet = plugin == 'kubenet'

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-\${plugin}'
  location: resourceGroup().location
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetCidr
      ]
    }
  }
  resource nodes 'subnets' = {
    name: nodesName
    properties: {
      addressPrefix: '10.50.0.0/22'
    }
  }
}

resource ingress 'Microsoft.Network/virtualNetworks/subnets@2023-11-01' = {
  parent: vnet
  name: 'snet-ingress'
  properties: {
    addressPrefix: '10.50.2.0/24'
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: '\${prefix}-aks'
  properties: {
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        maxPods: isKubenet ? 110 : 30
        vnetSubnetID: vnet::nodes.id
      }
    ]
    networkProfile: {
      networkPlugin: plugin
      podCidr: isKubenet ? '10.244.0.0/16' : null
      serviceCidr: '10.0.0.0/16'
      dnsServiceIP: '10.0.0.10'
    }
  }
}

resource pool 'Microsoft.ContainerService/managedClusters/agentPools@2024-05-01' = {
  parent: aks
  name: 'user'
  properties: {
    count: 2
    vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'snet-ingress')
  }
}
`,
    };
    const workspace = workspaceOf(files);
    const { model, findings } = workspace.analyze();
    assert.deepEqual(model.vnets.map((v) => [v.key, shown(v.addressSpace)]), [['vnet-kubenet', ['10.50.0.0/16']]]);
    assert.equal(sourceText(files, model.vnets[0]!.addressSpace[0]!), "'10.50.0.0/16'", 'param default literal');
    assert.deepEqual(
      model.subnets.map((s) => [s.name, s.vnetKey, shown(s.prefixes)]),
      [
        ['snet-nodes', 'vnet-kubenet', ['10.50.0.0/22']],
        ['snet-ingress', 'vnet-kubenet', ['10.50.2.0/24']],
      ],
    );
    const [cluster] = model.clusters;
    assert.equal(cluster!.name, 'managed cluster', 'a name built from a param without default is unknown');
    assert.deepEqual(shown(cluster!.podCidrs), ['10.244.0.0/16']);
    assert.ok(cluster!.networkPlugin.known && cluster!.networkPlugin.value === 'kubenet');
    assert.deepEqual(
      model.nodePools.map((p) => [p.name, p.count.known ? p.count.value : '?', p.maxPods.known ? p.maxPods.value : '?', p.nodeSubnet?.vnetKey, p.nodeSubnet?.subnetName]),
      [
        ['system', 3, 110, 'vnet-kubenet', 'snet-nodes'],
        ['user', 2, '?', 'vnet-kubenet', 'snet-ingress'],
      ],
    );
    assert.deepEqual(
      findings.map((f) => `${f.rule} ${files['main.bicep'].slice(f.source.start, f.source.end)}`),
      ["subnet-overlap '10.50.2.0/24'", "deprecated-network-setting 'kubenet'"],
    );
  });

  it('binds module params from the caller across files and reports a missing module', () => {
    const files = {
      'main.bicep': `
param spokeCidr string = '10.60.0.0/16'
module network './modules/network.bicep' = {
  name: 'network'
  params: {
    addressPrefix: spokeCidr
    nodesPrefix: '10.61.0.0/24'
  }
}
module missing './modules/nope.bicep' = {
  name: 'missing'
}
module registry 'br/public:avm/res/network/virtual-network:0.1.0' = {
  name: 'registry'
}
output nodes string = network.outputs.nodesPrefix
`,
      'modules/network.bicep': `
param addressPrefix string
param nodesPrefix string
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'spoke'
  properties: {
    addressSpace: { addressPrefixes: [ addressPrefix ] }
    subnets: [
      { name: 'nodes', properties: { addressPrefix: nodesPrefix } }
    ]
  }
}
output nodesPrefix string = nodesPrefix
`,
    };
    const { model, findings } = workspaceOf(files).analyze();
    assert.deepEqual(model.vnets.map((v) => [v.name, shown(v.addressSpace)]), [['spoke', ['10.60.0.0/16']]]);
    assert.equal(sourceText(files, model.vnets[0]!.addressSpace[0]!), "'10.60.0.0/16'", 'the caller literal, across the module boundary');
    assert.deepEqual(
      findings.map((f) => `${f.rule} ${f.source.uri.replace('file:///w/', '')}`).sort(),
      ['bicep-module-not-found main.bicep', 'subnet-outside-vnet main.bicep'],
    );
  });

  it('loads a module from outside the workspace through the loader', () => {
    const files = {
      'main.bicep': `module network '../shared/network.bicep' = {
  name: 'network'
  params: { prefix: '10.70.0.0/16' }
}
`,
    };
    const outside = {
      '../shared/network.bicep': '',
    };
    const workspace = new Workspace((uri) =>
      uri === 'file:///shared/network.bicep'
        ? `param prefix string
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'shared'
  properties: { addressSpace: { addressPrefixes: [ prefix ] } }
}
`
        : outside[uri as keyof typeof outside],
    );
    workspace.setFile('file:///w/main.bicep', files['main.bicep']);
    assert.deepEqual(workspace.analyze().model.vnets.map((v) => [v.name, shown(v.addressSpace)]), [['shared', ['10.70.0.0/16']]]);
  });

  it('leaves out resources behind false or unknown conditions, and expands loops', () => {
    const files = {
      'main.bicep': `
param deployHub bool = false
param unknownFlag bool
param spokes array = [
  { name: 'a', cidr: '10.1.0.0/16' }
  { name: 'b', cidr: '10.2.0.0/16' }
]
resource hub 'Microsoft.Network/virtualNetworks@2023-11-01' = if (deployHub) {
  name: 'hub'
  properties: { addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] } }
}
resource maybe 'Microsoft.Network/virtualNetworks@2023-11-01' = if (unknownFlag) {
  name: 'maybe'
  properties: { addressSpace: { addressPrefixes: [ '10.9.0.0/16' ] } }
}
resource spoke 'Microsoft.Network/virtualNetworks@2023-11-01' = [for (s, i) in spokes: if (i < 5) {
  name: 'spoke-\${s.name}'
  properties: { addressSpace: { addressPrefixes: [ s.cidr ] } }
}]
`,
    };
    const { model } = workspaceOf(files).analyze();
    assert.deepEqual(model.vnets.map((v) => [v.name, shown(v.addressSpace)]), [
      ['spoke-a', ['10.1.0.0/16']],
      ['spoke-b', ['10.2.0.0/16']],
    ]);
  });

  it('evaluates a module only through its callers when both are in the workspace', () => {
    const files = {
      'main.bicep': `module net 'net.bicep' = {
  name: 'net'
  params: { cidr: '10.80.0.0/16' }
}
`,
      'net.bicep': `param cidr string = '10.99.0.0/16'
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'net'
  properties: { addressSpace: { addressPrefixes: [ cidr ] } }
}
`,
    };
    assert.deepEqual(workspaceOf(files).analyze().model.vnets.map((v) => shown(v.addressSpace)), [['10.80.0.0/16']]);
  });

  it('reports the same rule ids as the equivalent YAML', () => {
    const bicep = `
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks'
  properties: {
    networkProfile: {
      podCidr: '172.16.0.0/12'
      serviceCidr: '10.0.0.0/8'
      dnsServiceIP: '10.0.0.1'
    }
  }
}
`;
    const yaml = `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    podCidr: 172.16.0.0/12
    serviceCidr: 10.0.0.0/8
    dnsServiceIP: 10.0.0.1
`;
    const rules = (files: Record<string, string>) => workspaceOf(files).analyze().findings.map((f) => f.rule).sort();
    assert.deepEqual(rules({ 'main.bicep': bicep }), rules({ 'cluster.yaml': yaml }));
    assert.deepEqual(rules({ 'main.bicep': bicep }), ['dns-service-ip-first-address', 'reserved-range', 'service-cidr-too-large']);
  });
});

describe('subnet ids of a VNet written inline', () => {
  it('vnet.properties.subnets[i].id names that subnet, so the node pool finds it', () => {
    const workspace = new Workspace();
    workspace.setFile(
      'file:///w/main.bicep',
      `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: [ '10.40.0.0/16' ] }
    subnets: [
      { name: 'gateway', properties: { addressPrefix: '10.40.1.0/27' } }
      { name: 'nodes', properties: { addressPrefix: '10.40.0.0/27' } }
    ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    agentPoolProfiles: [ { name: 'sys', count: 10, maxPods: 30, vnetSubnetID: vnet.properties.subnets[1].id } ]
    networkProfile: { networkPlugin: 'azure' }
  }
}
`,
    );
    const { model, findings } = workspace.analyze();
    assert.deepEqual(model.nodePools.map((pool) => pool.nodeSubnet?.subnetName), ['nodes']);
    assert.deepEqual(findings.filter((f) => f.rule === 'subnet-capacity').map((f) => f.message.split(':')[0]), ['Subnet nodes (10.40.0.0/27) is too small']);
  });
});
