// Parameters files as environments: a template without defaults and two .bicepparam files, one of which makes the
// node subnet too small; the finding sits on that file's value and names it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBicep } from '../../server/src/readers/bicep/parser.ts';
import { readFile } from '../../server/src/readers/index.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const TEMPLATE = `param nodeSubnetPrefix string
param nodeCount int
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-env'
  properties: {
    addressSpace: { addressPrefixes: [ '10.50.0.0/16' ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: nodeSubnetPrefix } } ]
  }
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-env'
  properties: {
    networkProfile: { networkPlugin: 'azure' }
    agentPoolProfiles: [ { name: 'sys', count: nodeCount, maxPods: 30, vnetSubnetID: vnet.properties.subnets[0].id } ]
  }
}
`;
const DEV = `using './main.bicep'

var size = 5
param nodeSubnetPrefix = '10.50.0.0/27'
param nodeCount = size
`;
const PROD = `using './main.bicep'

param nodeSubnetPrefix = readEnvironmentVariable('NODE_PREFIX', '10.50.0.0/22')
param nodeCount = 20
`;

function workspace() {
  const ws = new Workspace();
  ws.setFile('file:///w/main.bicep', TEMPLATE);
  ws.setFile('file:///w/dev.bicepparam', DEV);
  ws.setFile('file:///w/prod.bicepparam', PROD);
  return ws;
}

describe('.bicepparam files', () => {
  it('parse using, extends and params without a type, and report a broken line', () => {
    const program = parseBicep(`using './main.bicep'\nextends './base.bicepparam'\nparam a = 1\nparam b = 'x'\nparam = 3\n`, { parametersFile: true });
    assert.deepEqual(program.statements.map((s) => [s.kind, 'path' in s ? s.path : s.name]), [
      ['using', './main.bicep'],
      ['extends', './base.bicepparam'],
      ['param', 'a'],
      ['param', 'b'],
      ['param', undefined],
    ]);
    assert.equal(program.diagnostics.length, 1);
    assert.match(program.diagnostics[0]!.message, /parameter name/);
    assert.equal(parseBicep(`using none\n`, { parametersFile: true }).diagnostics.length, 0);
    // In a .bicep file `using` is no declaration.
    assert.match(parseBicep(`using './main.bicep'\n`).diagnostics[0]!.message, /unknown declaration 'using'/);
  });

  it('read as an environment of the template its using names: values with their place in the file', () => {
    const read = readFile('file:///w/dev.bicepparam', DEV)!;
    assert.equal(read.parameters?.template, './main.bicep');
    const prefix = read.parameters!.values.get('nodeSubnetPrefix')!;
    assert.equal(prefix.kind === 'string' && prefix.value, '10.50.0.0/27');
    assert.equal(DEV.slice(prefix.source!.start, prefix.source!.end), "'10.50.0.0/27'");
    const count = read.parameters!.values.get('nodeCount')!;
    assert.equal(count.kind === 'int' && count.value, 5, 'a var of the file');
  });

  it('evaluates the template once per environment; the too-small subnet is reported on dev.bicepparam, naming it', () => {
    const ws = workspace();
    const { model, findings } = ws.analyze();
    assert.deepEqual(model.clusters.map((c) => c.environment), ['file:///w/dev.bicepparam', 'file:///w/prod.bicepparam']);
    const capacity = findings.filter((f) => f.rule === 'subnet-capacity');
    assert.equal(capacity.length, 1, JSON.stringify(capacity.map((f) => f.message)));
    const [finding] = capacity;
    assert.equal(finding!.source.uri, 'file:///w/dev.bicepparam');
    assert.equal(DEV.slice(finding!.source.start, finding!.source.end), "'10.50.0.0/27'");
    // 5 nodes + 1 surge, 31 addresses each (Azure CNI, maxPods 30) = 186 of a /27's 27 usable.
    assert.match(finding!.message, /186 addresses needed of 27 usable/);
    assert.match(finding!.message, /\(environment dev\.bicepparam\)$/);
    assert.deepEqual(ws.findingsFor('file:///w/prod.bicepparam').filter((f) => f.rule === 'subnet-capacity'), []);
  });

  it('a template whose parameters all have defaults is also checked as it is', () => {
    const ws = workspace();
    ws.setFile('file:///w/main.bicep', TEMPLATE.replace('param nodeSubnetPrefix string', "param nodeSubnetPrefix string = '10.50.4.0/24'").replace('param nodeCount int', 'param nodeCount int = 3'));
    assert.deepEqual(ws.analyze().model.clusters.map((c) => c.environment ?? 'defaults'), ['defaults', 'file:///w/dev.bicepparam', 'file:///w/prod.bicepparam']);
  });
});

describe('quick fixes in a .bicepparam file', () => {
  it('write the new value where the environment writes it, quoted as Bicep', async () => {
    const { codeActionsFor } = await import('../../server/src/service/codeActions.ts');
    const ws = workspace();
    const line = DEV.split('\n').findIndex((l) => l.includes('nodeSubnetPrefix'));
    const actions = codeActionsFor(ws, 'file:///w/dev.bicepparam', { start: { line, character: 0 }, end: { line, character: 40 } });
    const edits = actions.flatMap((a) => a.edit?.changes?.['file:///w/dev.bicepparam'] ?? []);
    assert.ok(edits.length > 0, 'a fix for the too-small subnet');
    assert.ok(edits.every((e) => /^'10\.50\.\d+\.\d+\/2[0-4]'$/.test(e.newText)), JSON.stringify(edits));
  });
});

describe('Plan IPs from a .bicepparam file', () => {
  it("plans that environment's deployment and edits the values the file writes", async () => {
    const { planIps, planPrefill } = await import('../../server/src/service/planIps.ts');
    const ws = workspace();
    for (const [file, nodes] of [['dev.bicepparam', 5], ['prod.bicepparam', 20]] as const) {
      const uri = `file:///w/${file}`;
      const prefill = planPrefill(ws, uri);
      assert.equal(prefill.nodes, nodes, `${file} prefills its own node count`);
      assert.equal(prefill.within, '10.50.0.0/16');
      const plan = planIps(ws, { uri, mode: 'azure-cni', nodes, maxPods: 30, within: prefill.within });
      assert.ok(plan.ok, JSON.stringify(plan));
      const changed = Object.keys(plan.edit?.changes ?? {});
      assert.deepEqual(changed, [uri], `${file}: the node subnet prefix it writes is the value planned`);
    }
  });
});

describe('.aksnetlens.yaml deployments', () => {
  it('pair a template with parameters files whose names do not say it', () => {
    const ws = new Workspace();
    ws.setFile('file:///w/infra/main.bicep', TEMPLATE);
    ws.setFile('file:///w/env/staging.json', JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
      parameters: { NodeSubnetPrefix: { value: '10.50.8.0/24' }, nodeCount: { value: 2 } },
    }));
    // Nothing feeds the template yet: it is evaluated as it is (its parameters unknown).
    assert.deepEqual(ws.analyze().model.clusters.map((c) => c.environment), [undefined]);
    ws.setFile('file:///w/.aksnetlens.yaml', 'deployments:\n  - template: infra/main.bicep\n    parameters: [env/staging.json]\n');
    const { model } = ws.analyze();
    assert.deepEqual(model.clusters.map((c) => c.environment), ['file:///w/env/staging.json']);
    // Names match case-insensitively, as ARM matches them.
    assert.deepEqual(model.subnets.map((s) => s.prefixes.map((p) => (p.known ? `${p.value.prefix}` : '?')).join()), ['24']);
    assert.deepEqual(ws.environments(), [{ parameters: 'file:///w/env/staging.json', template: 'file:///w/infra/main.bicep' }]);
  });
});

describe('hover on a template parameter', () => {
  it('lists its value in each environment', async () => {
    const { hoverAt } = await import('../../server/src/service/hover.ts');
    const ws = workspace();
    const hover = hoverAt(ws, 'file:///w/main.bicep', { line: 0, character: 10 });
    const text = (hover!.contents as { value: string }).value;
    assert.match(text, /^`nodeSubnetPrefix` evaluates to 2 values: `10\.50\.0\.0\/27`, `10\.50\.0\.0\/22`/);
    assert.match(text, /- dev\.bicepparam: `10\.50\.0\.0\/27`\n- prod\.bicepparam: `10\.50\.0\.0\/22`/);
  });
});

describe('a subnet the template declares alike in every environment', () => {
  const template = TEMPLATE.replace('param nodeSubnetPrefix string\n', '').replace('addressPrefix: nodeSubnetPrefix', "addressPrefix: '10.50.0.0/24'");
  const env = (count: number) => `using './main.bicep'\nparam nodeCount = ${count}\n`;

  it('is joined once, and sized per environment: their clusters never run side by side', () => {
    const ws = new Workspace();
    ws.setFile('file:///w/main.bicep', template);
    // (5 + 1) x 31 = 186 and (3 + 1) x 31 = 124 each fit in 251; together (310) they would not.
    ws.setFile('file:///w/dev.bicepparam', env(5));
    ws.setFile('file:///w/prod.bicepparam', env(3));
    const { model, findings } = ws.analyze();
    assert.equal(model.subnets.length, 1, 'one subnet, not one per environment');
    assert.deepEqual(findings.filter((f) => f.rule === 'subnet-capacity'), []);
  });

  it('reports the environment that overfills it, on the template, naming it', () => {
    const ws = new Workspace();
    ws.setFile('file:///w/main.bicep', template);
    ws.setFile('file:///w/dev.bicepparam', env(5));
    ws.setFile('file:///w/prod.bicepparam', env(9));
    const capacity = ws.analyze().findings.filter((f) => f.rule === 'subnet-capacity');
    assert.equal(capacity.length, 1);
    assert.equal(capacity[0]!.source.uri, 'file:///w/main.bicep');
    // (9 + 1) x 31 = 310 of 251.
    assert.match(capacity[0]!.message, /310 addresses needed of 251 usable[\s\S]*\(environment prod\.bicepparam\)$/);
  });
});

describe('extends', () => {
  it('starts an environment from its base parameters file, its own values winning; the base alone is no environment', () => {
    const ws = new Workspace();
    ws.setFile('file:///w/main.bicep', TEMPLATE);
    ws.setFile('file:///w/base.bicepparam', "using none\n\nparam nodeCount = 4\nparam nodeSubnetPrefix = '10.50.0.0/20'\n");
    ws.setFile('file:///w/dev.bicepparam', "using './main.bicep'\nextends './base.bicepparam'\n\nparam nodeSubnetPrefix = '10.50.0.0/27'\n");
    const { model, findings } = ws.analyze();
    assert.deepEqual(model.clusters.map((c) => c.environment), ['file:///w/dev.bicepparam']);
    assert.deepEqual(model.nodePools.map((p) => (p.count.known ? p.count.value : '?')), [4], 'nodeCount from the base');
    const [capacity] = findings.filter((f) => f.rule === 'subnet-capacity');
    assert.equal(capacity!.source.uri, 'file:///w/dev.bicepparam', 'the prefix dev.bicepparam writes over the base');
    assert.match(capacity!.message, /155 addresses needed of 27 usable/);
  });
});
