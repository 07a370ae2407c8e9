// An edit re-evaluates only the deployments that read the edited file (counted, not timed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/service/workspace.ts';

const vnet = (name: string, prefix: string) =>
  `resource v 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: '${name}'\n  properties: { addressSpace: { addressPrefixes: [ '${prefix}' ] } }\n}\n`;
const root = (module: string, name: string) => `module m '${module}' = { name: '${name}', params: { name: '${name}' } }\n`;
const MODULE = `param name string\nresource v 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: name\n  properties: { addressSpace: { addressPrefixes: [ '10.0.0.0/16' ] } }\n}\n`;

function workspace() {
  const ws = new Workspace();
  ws.setFile('file:///w/a.bicep', root('shared.bicep', 'vnet-a'));
  ws.setFile('file:///w/b.bicep', root('shared.bicep', 'vnet-b'));
  ws.setFile('file:///w/c.bicep', root('c-mod.bicep', 'vnet-c'));
  ws.setFile('file:///w/shared.bicep', MODULE);
  ws.setFile('file:///w/c-mod.bicep', MODULE);
  ws.setFile('file:///w/k8s.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n');
  return ws;
}

/** Deployments evaluated by the analysis after a change. */
function evaluatedAfter(ws: Workspace, change: () => void): number {
  ws.analyze();
  const before = ws.deploymentsEvaluated;
  change();
  ws.analyze();
  return ws.deploymentsEvaluated - before;
}

const vnetNames = (ws: Workspace) => ws.analyze().model.vnets.map((v) => v.name).sort();

describe('deployments evaluated again after an edit', () => {
  it('evaluates each root once, then only the roots that read an edited file', () => {
    const ws = workspace();
    ws.analyze();
    assert.equal(ws.deploymentsEvaluated, 3);
    assert.equal(evaluatedAfter(ws, () => ws.setFile('file:///w/c-mod.bicep', MODULE.replace('10.0.0.0/16', '10.1.0.0/16'))), 1);
    assert.equal(evaluatedAfter(ws, () => ws.setFile('file:///w/shared.bicep', MODULE.replace('10.0.0.0/16', '10.2.0.0/16'))), 2);
    assert.equal(evaluatedAfter(ws, () => ws.setFile('file:///w/a.bicep', root('shared.bicep', 'vnet-a2'))), 1);
    assert.equal(evaluatedAfter(ws, () => ws.setFile('file:///w/k8s.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n')), 0);
    assert.deepEqual(vnetNames(ws), ['vnet-a2', 'vnet-b', 'vnet-c']);
  });

  it('follows roots that come and go: a file that starts using a root as a module makes it part of its deployment', () => {
    const ws = workspace();
    ws.analyze();
    assert.equal(evaluatedAfter(ws, () => ws.setFile('file:///w/d.bicep', "module all 'c.bicep' = { name: 'all' }\n")), 1);
    // c.bicep is a module now: its deployment is d's, and c's own is gone (one vnet-c, not two).
    assert.deepEqual(vnetNames(ws), ['vnet-a', 'vnet-b', 'vnet-c']);
    assert.equal(evaluatedAfter(ws, () => ws.removeFile('file:///w/d.bicep')), 1);
    assert.deepEqual(vnetNames(ws), ['vnet-a', 'vnet-b', 'vnet-c']);
  });

  it('gives the same model as evaluating everything afresh', () => {
    const ws = workspace();
    ws.analyze();
    ws.setFile('file:///w/shared.bicep', MODULE.replace('10.0.0.0/16', '10.3.0.0/16'));
    ws.setFile('file:///w/extra.bicep', vnet('vnet-x', '10.9.0.0/16'));
    const fresh = workspace();
    fresh.setFile('file:///w/shared.bicep', MODULE.replace('10.0.0.0/16', '10.3.0.0/16'));
    fresh.setFile('file:///w/extra.bicep', vnet('vnet-x', '10.9.0.0/16'));
    const shape = (w: Workspace) => w.analyze().model.vnets.map((v) => `${v.name} ${v.addressSpace.map((a) => (a.known ? `${a.value.network}/${a.value.prefix}` : '?'))}`).sort();
    assert.deepEqual(shape(ws), shape(fresh));
  });
});
