// One test per bug the fuzz tests (test/fuzz/) found, named for the bug, with the smallest input that showed it.
// Work is bounded by counted steps (module loads, string lengths, the evaluator's own step budget), never by the
// clock: a loaded machine must not fail them, and a runaway must.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCidr, parseIp } from '../../server/src/cidr/cidr.ts';
import { readFile } from '../../server/src/readers/index.ts';
import { evaluateBicepWorkspace, parseBicepFile } from '../../server/src/readers/bicep/bicepReader.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

/** Analyses files as one workspace and returns the findings' rule ids. */
function analyse(files: Record<string, string>): { rules: string[]; vnets: number } {
  const workspace = new Workspace((uri) => files[uri]);
  for (const [uri, text] of Object.entries(files)) workspace.setFile(uri, text);
  const analysis = workspace.analyze();
  assert.deepEqual(analysis.failures, []);
  return { rules: analysis.findings.map((f) => f.rule), vnets: analysis.model.vnets.length };
}

/** Past this many module loads the counting host reports every module missing, so a runaway ends (and fails). */
const MODULE_LOAD_CEILING = 100_000;

/** Evaluates the Bicep files' deployments, counting every module load the evaluator asks the host for. */
function evaluateCounting(files: Record<string, string>) {
  const programs = new Map(Object.entries(files).map(([uri, text]) => [uri, parseBicepFile(uri, text).program]));
  let moduleLoads = 0;
  const facts = evaluateBicepWorkspace(programs, {
    program: (uri) => (++moduleLoads > MODULE_LOAD_CEILING ? undefined : programs.get(uri)),
    text: (uri) => files[uri],
  });
  return { moduleLoads, facts };
}

const vnet = (prefixes: string, name = "'v'") =>
  `resource vn 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: ${name}\n  properties: { addressSpace: { addressPrefixes: ${prefixes} } }\n}\n`;

describe('bugs found by fuzzing', () => {
  it('an IPv4 octet with a leading zero is a parse error, not an exception (parseIp threw on "01.2.3.4")', () => {
    const cidr = parseCidr('01.2.3.4/8');
    assert.equal(cidr.ok, false);
    assert.match(cidr.ok ? '' : cidr.error, /'01' has a leading zero/);
    assert.equal(parseIp('10.0.0.010').ok, false);
    assert.equal(parseIp('10.0.0.0').ok, true);
    const { rules } = analyse({
      'file:///w/subnet.yaml': 'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: s\nspec:\n  owner:\n    name: v\n  addressPrefix: 010.0.0.0/8\n',
    });
    assert.deepEqual(rules, ['invalid-cidr']);
  });

  it('a YAML syntax error at the end of the text lies inside the text (it ended one character past it)', () => {
    for (const [name, text] of [['a.yaml', 'a: "unclosed'], ['b.yaml', 'spec: [1, 2'], ['.aksnetlens.yaml', 'rules: {a: 1']]) {
      const problems = readFile(`file:///w/${name}`, text)!.facts.problems.filter((p) => p.kind === 'yaml-syntax');
      assert.ok(problems.length > 0, name);
      for (const p of problems) assert.ok(p.source.start <= p.source.end && p.source.end <= text.length, `${name}: ${p.source.start}..${p.source.end} of ${text.length}`);
    }
  });

  it('a decimal Bicep number (a syntax error, still parsed) is unknown, not a pool of 1.5 nodes (BigInt threw in subnet-capacity and the code lens)', () => {
    const { rules } = analyse({
      'file:///w/a.bicep': `${vnet("['10.40.0.0/16']")}resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    agentPoolProfiles: [ { name: 'a', count: 1.5, vnetSubnetID: '\${vn.id}/subnets/nodes' } ]
    networkProfile: { networkPlugin: 'azure' }
  }
}
resource nodes 'Microsoft.Network/virtualNetworks/subnets@2023-11-01' = { parent: vn, name: 'nodes', properties: { addressPrefix: '10.40.0.0/28' } }
var huge = 99999999999999999999 * 99999999999999999999
output o int = huge
`,
    });
    assert.deepEqual(rules, ['bicep-syntax']);
  });

  it('a Bicep module that calls itself in a loop is a cycle, not an exponential evaluation (ran out of memory)', () => {
    const files = {
      'file:///w/main.bicep': "module m 'mod.bicep' = [for i in range(0, 128): { name: 'm${i}' }]\n",
      'file:///w/mod.bicep': `module self 'mod.bicep' = [for i in range(0, 123): { name: 's\${i}' }]\n${vnet("['10.0.0.0/16']")}`,
    };
    const { moduleLoads, facts } = evaluateCounting(files);
    assert.equal(facts.vnets.length, 128, 'one VNet per call from main; the self-call is not followed');
    // Each of main's 128 calls loads mod.bicep once (plus the look-ups that find the roots); following the self-call
    // would load it 128 x 123 times and more.
    assert.ok(moduleLoads <= 2 * 128, `${moduleLoads} module loads`);
    assert.equal(analyse(files).vnets, 128);
  });

  it('modules calling each other back are a cycle too', () => {
    const { moduleLoads, facts } = evaluateCounting({
      'file:///w/main.bicep': "module a 'a.bicep' = { name: 'a' }\n",
      'file:///w/a.bicep': "module b 'b.bicep' = [for i in range(0, 100): { name: 'b${i}' }]\n",
      'file:///w/b.bicep': `module a 'a.bicep' = [for i in range(0, 100): { name: 'a\${i}' }]\n${vnet("['10.1.0.0/16']")}`,
    });
    assert.equal(facts.vnets.length, 100);
    // a once, b once per call of a's loop: about 100; following the cycle back would be 100 x 100 and more.
    assert.ok(moduleLoads <= 2 * 100, `${moduleLoads} module loads`);
  });

  it('module calls in loops across many files stay within the evaluation budget (60^5 deployments)', () => {
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [
        `file:///w/f${i}.bicep`,
        `param cidr string = '10.${i}.0.0/16'\n${i < 4 ? `module next 'f${i + 1}.bicep' = [for i in range(0, 60): { name: 'n\${i}', params: { cidr: cidrSubnet(cidr, 24, i) } }]\n` : ''}${vnet('[ cidr ]')}`,
      ]),
    );
    const { moduleLoads, facts } = evaluateCounting(files);
    assert.ok(facts.vnets.length < 60 ** 4, `${facts.vnets.length} VNets: the budget stopped the evaluation`);
    // Unbounded, 60 + 60^2 + 60^3 + 60^4 (about 13 million) module loads; the step budget stops it in the third level.
    assert.ok(moduleLoads < 60 ** 2, `${moduleLoads} module loads`);
  });

  it('a string doubled by interpolation past the engine limit is unknown, not a RangeError out of the analysis', () => {
    const doubling = Array.from({ length: 30 }, (_, i) => `var s${i + 1} = '\${s${i}}\${s${i}}'`).join('\n');
    const files = { 'file:///w/a.bicep': `var s0 = '10.0.0.0/8'\n${doubling}\n${vnet('[ s30 ]', 's30')}` };
    const [only, ...more] = evaluateCounting(files).facts.vnets;
    assert.equal(more.length, 0);
    // Stopped by the length limit (counted in characters), not by building strings until the engine refuses one.
    const [space] = only!.addressSpace;
    assert.ok(space && !space.known);
    assert.match(space.reason, /a string of [\d,]+ characters is too long to evaluate/);
    assert.equal(analyse(files).vnets, 1);
  });

  it('an array doubled by concat() is bounded by the budget (ran out of memory at 2^24 items)', () => {
    const doubling = Array.from({ length: 30 }, (_, i) => `var a${i + 1} = concat(a${i}, a${i})`).join('\n');
    const files = { 'file:///w/a.bicep': `var a0 = ['10.0.0.0/8']\n${doubling}\n${vnet('a30')}` };
    const [only, ...more] = evaluateCounting(files).facts.vnets;
    assert.equal(more.length, 0);
    // Each built array costs its length in steps: the evaluator's step budget, not memory, ends the doubling.
    const [space] = only!.addressSpace;
    assert.ok(space && !space.known);
    assert.match(space.reason, /evaluation stopped after [\d,]+ steps/);
  });
});
