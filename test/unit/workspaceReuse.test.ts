// The workspace keeps what does not depend on a change: the Bicep deployments' facts survive an edit to a YAML
// file they do not read, and are evaluated again when a Bicep file, or a file a deployment loads, changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/service/workspace.ts';

const MAIN = 'file:///w/infra/main.bicep';
const SPOKE = 'file:///w/infra/spoke.bicep';
const PREFIXES = 'file:///w/infra/prefixes.json';
const SUBNET = 'file:///w/k8s/subnet.yaml';

const main = (module: boolean) => `
var prefixes = loadJsonContent('prefixes.json')
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-b'
  properties: {
    addressSpace: { addressPrefixes: [ prefixes.vnet ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: prefixes.nodes } } ]
  }
}
${module ? "module spoke 'spoke.bicep' = { name: 'spoke', params: { prefix: '10.60.0.0/16' } }" : ''}
`;
const spoke = `param prefix string
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-spoke'
  properties: { addressSpace: { addressPrefixes: [ prefix ] } }
}
`;
const subnet = (prefix: string) => `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: extra
spec:
  owner:
    name: vnet-b
  addressPrefix: ${prefix}
`;

/** The workspace's findings, checked against a workspace that reads the same files from scratch. */
function findings(workspace: Workspace, files: Record<string, string>) {
  const cold = new Workspace();
  for (const [uri, text] of Object.entries(files)) cold.setFile(uri, text);
  const analysis = workspace.analyze();
  assert.deepStrictEqual(analysis.findings, cold.analyze().findings);
  assert.deepStrictEqual(analysis.model, cold.analyze().model);
  return analysis;
}

describe('workspace reuse across changes', () => {
  it('keeps the Bicep facts across YAML edits and evaluates again when a Bicep or loaded file changes', () => {
    const files: Record<string, string> = {
      [MAIN]: main(false),
      [PREFIXES]: '{ "vnet": "10.50.0.0/16", "nodes": "10.50.0.0/24" }',
      [SUBNET]: subnet('10.50.1.0/24'),
    };
    const workspace = new Workspace();
    for (const [uri, text] of Object.entries(files)) workspace.setFile(uri, text);
    const first = findings(workspace, files);
    const bicepVnet = first.model.vnets.find((v) => v.name === 'vnet-b');
    assert.ok(bicepVnet);

    // A YAML edit that overlaps the Bicep subnet: found, with the Bicep facts kept as they were.
    files[SUBNET] = subnet('10.50.0.128/25');
    workspace.setFile(SUBNET, files[SUBNET]!, 2, { open: true });
    const second = findings(workspace, files);
    assert.equal(second.model.vnets.find((v) => v.name === 'vnet-b'), bicepVnet, 'not evaluated again');
    assert.ok(second.findings.some((f) => f.rule === 'subnet-overlap'));

    // The JSON file the deployment loads changes: evaluated again.
    files[PREFIXES] = '{ "vnet": "10.50.0.0/16", "nodes": "10.50.2.0/24" }';
    workspace.setFile(PREFIXES, files[PREFIXES]!);
    const third = findings(workspace, files);
    assert.notEqual(third.model.vnets.find((v) => v.name === 'vnet-b'), bicepVnet);
    assert.ok(!third.findings.some((f) => f.rule === 'subnet-overlap'));

    // A module appears, then the main file calls it, then the module goes away.
    files[SPOKE] = spoke;
    workspace.setFile(SPOKE, spoke);
    findings(workspace, files);
    files[MAIN] = main(true);
    workspace.setFile(MAIN, files[MAIN]!);
    assert.ok(findings(workspace, files).model.vnets.some((v) => v.name === 'vnet-spoke'));
    delete files[SPOKE];
    workspace.removeFile(SPOKE);
    assert.ok(!findings(workspace, files).model.vnets.some((v) => v.name === 'vnet-spoke'));
  });
});
