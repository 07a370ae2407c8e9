// A cluster's egress firewall is joined only when that is certain, and its policy is judged only when it is known in
// full (rules/networkAround.ts egressFirewallsOf, network/firewallPolicy.ts, rules/firewall-missing-aks-egress.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fqdnCovers } from '../../server/src/network/firewallPolicy.ts';
import { egressFirewallsOf } from '../../server/src/rules/networkAround.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

function analyze(text: string) {
  const workspace = new Workspace();
  workspace.setFile('file:///w/main.bicep', text);
  return workspace.analyze();
}

interface Setup {
  /** The firewalls: name and written private IP ('' for none). */
  firewalls?: [string, string][];
  /** The default route's next hop IP; undefined: no route table. */
  hop?: string;
  nextHopType?: string;
  outboundType?: string;
  /** The application rules' fields, as Bicep. */
  application?: string;
  network?: string;
  sources?: string;
  extraGroup?: string;
}

function bicep(setup: Setup): string {
  const firewalls = setup.firewalls ?? [['fw', '10.0.1.4']];
  const sources = setup.sources ?? "[ '10.1.0.0/22' ]";
  return `
resource policy 'Microsoft.Network/firewallPolicies@2023-11-01' = { name: 'policy', properties: {} }
resource group 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@2023-11-01' = {
  parent: policy
  name: 'aks'
  properties: {
    priority: 100
    ruleCollections: [
      {
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection'
        name: 'app'
        priority: 100
        action: { type: 'Allow' }
        rules: [
          { ruleType: 'ApplicationRule', name: 'a', sourceAddresses: ${sources}, protocols: [ { protocolType: 'Https', port: 443 } ], ${setup.application ?? "fqdnTags: [ 'AzureKubernetesService' ]"} }
          { ruleType: 'NetworkRule', name: 'n', sourceAddresses: ${sources}, ${setup.network ?? "ipProtocols: [ 'Any' ], destinationAddresses: [ '*' ], destinationPorts: [ '*' ]"} }
        ]
      }
    ]
  }
}
${setup.extraGroup ?? ''}
${firewalls
  .map(
    ([name, ip], i) => `resource fw${i} 'Microsoft.Network/azureFirewalls@2023-11-01' = {
  name: '${name}'
  properties: {
    ipConfigurations: [ { name: 'ip', properties: { ${ip ? `privateIPAddress: '${ip}'` : ''} } } ]
    firewallPolicy: { id: policy.id }
  }
}`,
  )
  .join('\n')}
${
  setup.hop === undefined
    ? ''
    : `resource rt 'Microsoft.Network/routeTables@2023-11-01' = {
  name: 'rt'
  properties: { routes: [ { name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: '${setup.nextHopType ?? 'VirtualAppliance'}', nextHopIpAddress: '${setup.hop}' } } ] }
}`
}
resource spoke 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'spoke'
  properties: {
    addressSpace: { addressPrefixes: [ '10.1.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.1.0.0/22' ${setup.hop === undefined ? '' : ', routeTable: { id: rt.id }'} } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    agentPoolProfiles: [ { name: 'system', mode: 'System', count: 3, vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', 'spoke', 'nodes') } ]
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', outboundType: '${setup.outboundType ?? 'userDefinedRouting'}' }
  }
}
`;
}

const joins = (setup: Setup) => {
  const { model } = analyze(bicep(setup));
  return egressFirewallsOf(model, model.clusters[0]!).map(({ firewall, join }) => `${firewall.name}:${join}`);
};

const findings = (setup: Setup) =>
  analyze(bicep(setup))
    .findings.filter((f) => f.rule === 'firewall-missing-aks-egress')
    .map((f) => `${f.severity}: ${f.message}`);

describe('the egress firewall of a cluster', () => {
  it('is the firewall whose written private IP the node subnet default route goes to', () => {
    assert.deepEqual(joins({ firewalls: [['a', '10.0.1.4'], ['b', '10.0.2.4']], hop: '10.0.2.4' }), ['b:route']);
  });

  it('is the only firewall of the workspace when the cluster routes egress itself', () => {
    assert.deepEqual(joins({ firewalls: [['a', '']], hop: '10.0.1.4' }), ['a:only-firewall']);
    assert.deepEqual(joins({ firewalls: [['a', '']] }), ['a:only-firewall']);
  });

  it('is none when it is not certain', () => {
    // Two firewalls, and the route goes to an IP neither writes.
    assert.deepEqual(joins({ firewalls: [['a', ''], ['b', '']], hop: '10.0.1.4' }), []);
    // One firewall, but the cluster's outbound type is not user-defined routing.
    assert.deepEqual(joins({ firewalls: [['a', '']], outboundType: 'loadBalancer' }), []);
    // One firewall at 10.0.1.4, the default route to another appliance.
    assert.deepEqual(joins({ firewalls: [['a', '10.0.1.4']], hop: '10.0.9.9' }), []);
    // One firewall, the default route to the internet.
    assert.deepEqual(joins({ firewalls: [['a', '']], hop: '', nextHopType: 'Internet' }), []);
  });
});

describe('firewall-missing-aks-egress', () => {
  it('is silent when the policy allows the nodes the FQDN tag and every network port', () => {
    assert.deepEqual(findings({ hop: '10.0.1.4' }), []);
  });

  it('warns when the tag and the FQDNs are missing, and advises on the network rules the documents make conditional', () => {
    const found = findings({ hop: '10.0.1.4', application: "targetFqdns: [ 'example.com' ]", network: "ipProtocols: [ 'UDP' ], destinationAddresses: [ '*' ], destinationPorts: [ '123' ]" });
    assert.equal(found.length, 2);
    assert.match(found[0]!, /^warning: .*AzureKubernetesService.*mcr\.microsoft\.com/);
    assert.match(found[1]!, /^info: .*UDP 1194.*TCP 9000.*TCP 443/);
    assert.doesNotMatch(found[1]!, /UDP 123/);
  });

  it('leaves the tunnel and API server rules out for a private cluster', () => {
    const text = bicep({ hop: '10.0.1.4', network: "ipProtocols: [ 'TCP' ], destinationAddresses: [ '*' ], destinationPorts: [ '22' ]" }).replace(
      "outboundType: 'userDefinedRouting' }",
      "outboundType: 'userDefinedRouting' }\n    apiServerAccessProfile: { enablePrivateCluster: true }",
    );
    const found = analyze(text).findings.filter((f) => f.rule === 'firewall-missing-aks-egress');
    assert.deepEqual(found.map((f) => f.severity), ['info']);
    assert.match(found[0]!.message, /UDP 123/);
    assert.doesNotMatch(found[0]!.message, /1194|9000|TCP 443/);
  });

  it('counts a rule for other sources as not for these nodes', () => {
    const found = findings({ hop: '10.0.1.4', sources: "[ '10.9.0.0/16' ]" });
    assert.equal(found.length, 2);
  });

  it('counts what may allow as allowing: a service tag on 443, an IP group, a value that cannot be evaluated', () => {
    const tag = "targetFqdns: [ 'example.com' ]";
    assert.deepEqual(findings({ hop: '10.0.1.4', application: tag, network: "ipProtocols: [ 'TCP', 'UDP' ], destinationAddresses: [ 'AzureCloud' ], destinationPorts: [ '*' ]" }), []);
    assert.deepEqual(findings({ hop: '10.0.1.4', sources: "[ '10.9.0.0/16' ], sourceIpGroups: [ 'x' ]" }), []);
    assert.deepEqual(
      analyze(`param tags array\n${bicep({ hop: '10.0.1.4', application: 'fqdnTags: tags', network: "ipProtocols: [ 'UDP' ], destinationAddresses: [ '*' ], destinationPorts: [ '123' ]" })}`)
        .findings.filter((f) => f.rule === 'firewall-missing-aks-egress' && f.severity === 'warning'),
      [],
    );
  });

  it('is silent when the firewall is not certainly the cluster egress, or the policy is not known in full', () => {
    const bad = { application: "targetFqdns: [ 'example.com' ]", network: "ipProtocols: [ 'UDP' ], destinationAddresses: [ '*' ], destinationPorts: [ '123' ]" };
    assert.equal(findings({ ...bad, hop: '10.0.1.4' }).length, 2);
    assert.deepEqual(findings({ ...bad, firewalls: [['a', ''], ['b', '']], hop: '10.0.1.4' }), []);
    // A second group whose collections cannot be evaluated may hold the rules.
    const unknownGroup = `param moreCollections array
resource more 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@2023-11-01' = { parent: policy, name: 'more', properties: { priority: 200, ruleCollections: moreCollections } }`;
    assert.deepEqual(findings({ ...bad, hop: '10.0.1.4', extraGroup: unknownGroup }), []);
  });
});

describe('a target FQDN covering a required one', () => {
  it('matches names exactly, wildcards on one or more leading labels, and placeholders as any label', () => {
    assert.equal(fqdnCovers('mcr.microsoft.com', 'mcr.microsoft.com'), true);
    assert.equal(fqdnCovers('MCR.microsoft.com', 'mcr.microsoft.com'), true);
    assert.equal(fqdnCovers('*', '*.hcp.<location>.azmk8s.io'), true);
    assert.equal(fqdnCovers('*.microsoft.com', 'mcr.microsoft.com'), true);
    assert.equal(fqdnCovers('*.mcr.microsoft.com', 'mcr.microsoft.com'), false);
    assert.equal(fqdnCovers('*.hcp.westeurope.azmk8s.io', '*.hcp.<location>.azmk8s.io'), true);
    assert.equal(fqdnCovers('*.azmk8s.io', '*.hcp.<location>.azmk8s.io'), true);
    assert.equal(fqdnCovers('x.hcp.westeurope.azmk8s.io', '*.hcp.<location>.azmk8s.io'), false);
    assert.equal(fqdnCovers('westeurope.data.mcr.microsoft.com', '*.data.mcr.microsoft.com'), false);
    assert.equal(fqdnCovers('*.data.mcr.microsoft.com', '*.data.mcr.microsoft.com'), true);
  });
});
