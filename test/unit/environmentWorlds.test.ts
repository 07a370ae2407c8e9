// Environments seen one at a time and together: a finding the template holds in several environments is reported
// once, naming them; the network map's data of one environment holds its clusters, subnets and demand only, with
// what every environment shares.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeEnvironments } from '../../server/src/service/environmentFindings.ts';
import { cidrMap, networkMap } from '../../server/src/service/networkMap.ts';
import type { MapAddresses, MapSubnet } from '../../server/src/service/networkMapData.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import type { Finding } from '../../server/src/rules/rule.ts';

// The node subnet is the template's own (10.50.0.0/24, 251 usable); each environment sets the node count.
const SHARED_SUBNET = `param nodeCount int
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-env'
  properties: {
    addressSpace: { addressPrefixes: [ '10.50.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.50.0.0/24' } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-env'
  properties: {
    networkProfile: { networkPlugin: 'azure', serviceCidr: '10.60.0.0/16', dnsServiceIP: '10.60.0.10' }
    agentPoolProfiles: [ { name: 'sys', count: nodeCount, maxPods: 30, vnetSubnetID: vnet.properties.subnets[0].id } ]
  }
}
`;
// The node subnet's prefix comes from each environment: two subnets, one per environment.
const OWN_SUBNET = SHARED_SUBNET.replace('param nodeCount int\n', 'param nodeCount int\nparam nodeSubnetPrefix string\n').replace(
  "addressPrefix: '10.50.0.0/24'",
  'addressPrefix: nodeSubnetPrefix',
);
const DEV = 'file:///w/dev.bicepparam';
const PROD = 'file:///w/prod.bicepparam';
const env = (count: number, prefix?: string) => `using './main.bicep'\nparam nodeCount = ${count}\n${prefix ? `param nodeSubnetPrefix = '${prefix}'\n` : ''}`;

function workspace(template: string, dev: string, prod: string, extra: Record<string, string> = {}): Workspace {
  const ws = new Workspace();
  ws.setFile('file:///w/main.bicep', template);
  ws.setFile(DEV, dev);
  ws.setFile(PROD, prod);
  for (const [uri, text] of Object.entries(extra)) ws.setFile(uri, text);
  return ws;
}

const capacity = (ws: Workspace, environment?: string) => ws.analyze(environment).findings.filter((f) => f.rule === 'subnet-capacity');

describe('a finding the template holds in several environments', () => {
  it('is reported once, naming both, when both say the same', () => {
    // (9 + 1) x 31 = 310 of 251 in each.
    const ws = workspace(SHARED_SUBNET, env(9), env(9));
    const found = capacity(ws);
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
    assert.equal(found[0]!.source.uri, 'file:///w/main.bicep');
    assert.match(found[0]!.message, /310 addresses needed of 251 usable[\s\S]*\(environments dev\.bicepparam, prod\.bicepparam\)$/);
    assert.doesNotMatch(found[0]!.message, /\(environment /);
  });

  it('is reported once, each environment with its own numbers, when they differ; fixes say which environment they are for', () => {
    // dev: (9 + 1) x 31 = 310; prod: (11 + 1) x 31 = 372.
    const ws = workspace(SHARED_SUBNET, env(9), env(11));
    const found = capacity(ws);
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
    const lines = found[0]!.message.split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /310 addresses needed of 251 usable.*\(environment dev\.bicepparam\)$/);
    assert.match(lines[1]!, /372 addresses needed of 251 usable.*\(environment prod\.bicepparam\)$/);
    // Both environments' fix is the same /23 (507 usable holds 372): offered once.
    assert.deepEqual((found[0]!.fixes ?? []).map((fix) => fix.title), ['Enlarge to 10.50.0.0/23 (507 usable)']);
  });

  it('holding in one environment only, names that one', () => {
    const ws = workspace(SHARED_SUBNET, env(5), env(11));
    const found = capacity(ws);
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /\(environment prod\.bicepparam\)$/);
  });

  it('leaves findings without environments and single ones as they are', () => {
    const at = (start: number) => ({ uri: 'file:///w/a.bicep', start, end: start + 4 });
    const fix = (title: string, newText: string) => ({ title, edits: [{ source: at(30), newText }] });
    const findings: Finding[] = [
      { rule: 'r', severity: 'error', message: 'plain', source: at(0) },
      { rule: 'r', severity: 'error', message: 'plain', source: at(10) },
      { rule: 'r', severity: 'warning', message: 'x (environment a.json)', source: at(20) },
      { rule: 'r', severity: 'error', message: 'x (environment b.json)', source: at(20) },
      { rule: 'q', severity: 'warning', message: 'x (environment c.json)', source: at(20) },
      { rule: 'f', severity: 'error', message: 'y (environment a.json)', source: at(30), fixes: [fix('Use 1', '1'), fix('Use 2', '2')] },
      { rule: 'f', severity: 'error', message: 'z (environment b.json)', source: at(30), fixes: [fix('Use 2', '2'), fix('Use 3', '3')] },
    ];
    const merged = mergeEnvironments(findings);
    assert.deepEqual(
      merged.map((f) => [f.rule, f.severity, f.message, f.source.start]),
      [
        ['r', 'error', 'plain', 0],
        ['r', 'error', 'plain', 10],
        ['r', 'error', 'x (environments a.json, b.json)', 20],
        ['q', 'warning', 'x (environment c.json)', 20],
        ['f', 'error', 'y (environment a.json)\nz (environment b.json)', 30],
      ],
    );
    assert.deepEqual(merged[4]!.fixes?.map((f) => f.title), ['Use 1 (for a.json)', 'Use 2', 'Use 3 (for b.json)']);
  });
});

describe('the network map of one environment', () => {
  const subnetsOf = (data: MapAddresses | undefined, vnet: string): MapSubnet[] =>
    (data?.vnets ?? []).filter((v) => v.name === vnet).flatMap((v) => [...v.spaces.flatMap((s) => s.subnets), ...v.outside]);

  it('lists the environments, and draws every one when none is picked', async () => {
    const ws = workspace(OWN_SUBNET, env(3, '10.50.0.0/26'), env(10, '10.50.4.0/22'));
    const data = await networkMap(ws);
    assert.deepEqual(data.environments, [
      { uri: DEV, name: 'dev.bicepparam' },
      { uri: PROD, name: 'prod.bicepparam' },
    ]);
    assert.equal(data.environment, undefined);
    assert.deepEqual(subnetsOf(data.addresses, 'vnet-env').map((s) => s.cidr).sort(), ['10.50.0.0/26', '10.50.4.0/22']);
    assert.deepEqual(data.addresses!.clusters.map((c) => `${c.name} ${c.environment}`).sort(), ['aks-env dev.bicepparam', 'aks-env prod.bicepparam']);
  });

  it("holds one environment's clusters, subnets, demand and findings; shared resources are in each", async () => {
    const shared = {
      'file:///w/hub.yaml': `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: hub
spec:
  addressSpace:
    addressPrefixes: [10.90.0.0/16]
`,
    };
    // dev: (3 + 1) x 31 = 124 of 59 usable in a /26; prod: (10 + 1) x 31 = 341 of 1,019 in a /22.
    const ws = workspace(OWN_SUBNET, env(3, '10.50.0.0/26'), env(10, '10.50.4.0/22'), shared);
    const dev = await networkMap(ws, undefined, undefined, DEV);
    assert.equal(dev.environment, DEV);
    assert.equal(dev.environments?.length, 2, 'the picker still lists both');
    const [devSubnet, ...devRest] = subnetsOf(dev.addresses, 'vnet-env');
    assert.deepEqual(devRest, []);
    assert.equal(devSubnet!.cidr, '10.50.0.0/26');
    assert.equal(devSubnet!.demand?.required, 124);
    assert.deepEqual(devSubnet!.findings.map((f) => f.rule), ['subnet-capacity']);
    assert.deepEqual(dev.addresses!.clusters.map((c) => `${c.name} ${c.environment}`), ['aks-env dev.bicepparam']);
    assert.ok(dev.addresses!.vnets.some((v) => v.name === 'hub'), 'a VNet of no environment is in each');

    const prod = await networkMap(ws, undefined, undefined, PROD);
    const [prodSubnet, ...prodRest] = subnetsOf(prod.addresses, 'vnet-env');
    assert.deepEqual(prodRest, []);
    assert.equal(prodSubnet!.cidr, '10.50.4.0/22');
    assert.equal(prodSubnet!.demand?.required, 341);
    assert.deepEqual(prodSubnet!.findings, []);
    assert.deepEqual(prod.addresses!.clusters.map((c) => `${c.name} ${c.environment}`), ['aks-env prod.bicepparam']);
    assert.ok(prod.addresses!.vnets.some((v) => v.name === 'hub'));
    assert.ok(prod.addresses!.vnets.some((v) => v.name === 'vnet-env'), 'the VNet both environments declare alike is in each');
  });

  it("sizes a shared subnet with the picked environment's demand", () => {
    // dev: (5 + 1) x 31 = 186; prod: (3 + 1) x 31 = 124; drawn together, the larger one, named.
    const ws = workspace(SHARED_SUBNET, env(5), env(3));
    const demand = (environment?: string) => subnetsOf(cidrMap(ws, undefined, undefined, environment), 'vnet-env')[0]!.demand;
    assert.equal(demand(DEV)?.required, 186);
    assert.equal(demand(PROD)?.required, 124);
    assert.equal(demand()?.required, 186);
    assert.equal(demand()?.consumers[0], 'environment dev.bicepparam');
  });

  it('an environment the workspace does not have draws every one; one environment alone gets no picker', async () => {
    const ws = workspace(OWN_SUBNET, env(3, '10.50.0.0/26'), env(10, '10.50.4.0/22'));
    const data = await networkMap(ws, undefined, undefined, 'file:///w/gone.bicepparam');
    assert.equal(data.environment, undefined);
    assert.equal(subnetsOf(data.addresses, 'vnet-env').length, 2);

    const one = new Workspace();
    one.setFile('file:///w/main.bicep', OWN_SUBNET);
    one.setFile(DEV, env(3, '10.50.0.0/26'));
    const single = await networkMap(one, undefined, undefined, DEV);
    assert.equal(single.environments, undefined);
    assert.equal(single.environment, DEV);
  });
});
