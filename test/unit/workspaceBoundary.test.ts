// The server reads Bicep modules and load*Content() files only inside the workspace folders: a path that
// climbs out (or a link that points out) reads nothing, and what it would have given is unknown, not missing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isInsideFolders, loadWithin } from '../../server/src/service/diskFiles.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const root = mkdtempSync(path.join(tmpdir(), 'netlens-boundary-'));
const ws = path.join(root, 'ws');
const outside = path.join(root, 'outside');
mkdirSync(ws, { recursive: true });
mkdirSync(outside, { recursive: true });
writeFileSync(path.join(outside, 'secret.txt'), '10.99.0.0/16');
writeFileSync(path.join(outside, 'net.bicep'), "resource v 'Microsoft.Network/virtualNetworks@2023-11-01' = { name: 'far', properties: { addressSpace: { addressPrefixes: [ '10.98.0.0/16' ] } } }\n");
writeFileSync(path.join(ws, 'inside.txt'), '10.97.0.0/16');
symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link.txt'));

after(() => rmSync(root, { recursive: true, force: true }));

function analyze(main: string) {
  const workspace = new Workspace(loadWithin(() => [ws]));
  const uri = pathToFileURL(path.join(ws, 'main.bicep')).href;
  workspace.setFile(uri, main);
  return workspace.analyze();
}

const vnet = (prefix: string) =>
  `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: 'vnet'\n  properties: { addressSpace: { addressPrefixes: [ ${prefix} ] } }\n}\n`;

describe('reads stay inside the workspace folders', () => {
  it('loadTextContent inside the workspace reads the file', () => {
    const { model } = analyze(vnet("loadTextContent('inside.txt')"));
    assert.deepEqual(model.vnets[0]!.addressSpace.map((v) => (v.known ? `${v.value.network}` : v.reason)).length, 1);
    assert.ok(model.vnets[0]!.addressSpace[0]!.known, 'known from a file inside');
  });

  it('loadTextContent of ../ or of a link out of the workspace gives an unknown value', () => {
    for (const target of ["'../outside/secret.txt'", "'link.txt'"]) {
      const { model } = analyze(vnet(`loadTextContent(${target})`));
      assert.equal(model.vnets[0]!.addressSpace[0]!.known, false, `${target} is not read`);
    }
  });

  it('a module outside the workspace is not read and not reported missing; a missing one still is', () => {
    const outsideModule = analyze("module far '../outside/net.bicep' = { name: 'far' }\n");
    assert.deepEqual(outsideModule.findings.map((f) => f.rule), []);
    assert.deepEqual(outsideModule.model.vnets, [], 'its resources are not read');
    const missing = analyze("module gone './nowhere.bicep' = { name: 'gone' }\n");
    assert.deepEqual(missing.findings.map((f) => f.rule), ['bicep-module-not-found']);
  });

  it('compares resolved paths, not text: look-alike folders and links do not pass', () => {
    assert.equal(isInsideFolders(path.join(ws, 'inside.txt'), [ws]), true);
    assert.equal(isInsideFolders(path.join(ws, 'link.txt'), [ws]), false);
    assert.equal(isInsideFolders(path.join(outside, 'secret.txt'), [ws]), false);
    mkdirSync(`${ws}-other`, { recursive: true });
    writeFileSync(path.join(`${ws}-other`, 'x.txt'), 'x');
    assert.equal(isInsideFolders(path.join(`${ws}-other`, 'x.txt'), [ws]), false);
  });
});
