// A fix keeps a computed value computed: cidrHost()/cidrSubnet() with a literal index get another index.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeActionsFor } from '../../server/src/service/codeActions.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const URI = 'file:///w/main.bicep';

function quickFixes(text: string, needle: string): { title: string; newText: string }[] {
  const ws = new Workspace();
  ws.setFile(URI, text);
  const at = text.indexOf(needle);
  const line = text.slice(0, at).split('\n').length - 1;
  const range = { start: { line, character: 0 }, end: { line, character: 200 } };
  return codeActionsFor(ws, URI, range).flatMap((action) => Object.values(action.edit!.changes!).flat().map((edit) => ({ title: action.title, newText: edit.newText })));
}

const cluster = (dns: string, service = "'10.0.0.0/16'") => `param serviceCidr string = ${service}
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks-f'
  properties: { networkProfile: { networkPlugin: 'azure', serviceCidr: serviceCidr, dnsServiceIP: ${dns} } }
}
`;

describe('fixes written in the syntax of the value', () => {
  it('moves cidrHost(serviceCidr, 0) to the index that gives the fixed address, keeping the parameter', () => {
    const fixes = quickFixes(cluster('cidrHost(serviceCidr, 0)'), 'dnsServiceIP');
    assert.ok(fixes.length > 0, 'the first address of the service CIDR is fixed');
    assert.ok(fixes.every((fix) => /^cidrHost\(serviceCidr, \d+\)$/.test(fix.newText)), JSON.stringify(fixes));
    assert.ok(fixes.some((fix) => fix.newText === 'cidrHost(serviceCidr, 9)' && /10\.0\.0\.10/.test(fix.title)), JSON.stringify(fixes));
  });

  it('writes a literal where the value is a literal, or the index would be negative', () => {
    const literal = quickFixes(cluster("'10.0.0.1'"), 'dnsServiceIP');
    assert.ok(literal.some((fix) => fix.newText === "'10.0.0.10'"), JSON.stringify(literal));
    // Outside the service CIDR, below its network address: no index of cidrHost on it gives the fixed address.
    const outside = quickFixes(cluster("cidrHost('9.255.255.0/24', 2)"), 'dnsServiceIP');
    assert.ok(outside.length > 0 && outside.every((fix) => /^'\d+\.\d+\.\d+\.\d+'$/.test(fix.newText)), JSON.stringify(outside));
  });
});

describe('renderEdit on cidrSubnet', () => {
  const text = `var vnetCidr = '10.0.0.0/16'
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-r'
  properties: {
    addressSpace: { addressPrefixes: [ vnetCidr ] }
    subnets: [ { name: 'a', properties: { addressPrefix: cidrSubnet(vnetCidr, 24, 1) } } ]
  }
}
`;
  const ws = new Workspace();
  ws.setFile(URI, text);
  const model = ws.analyze().model;
  const call = 'cidrSubnet(vnetCidr, 24, 1)';
  const source = { uri: URI, start: text.indexOf(call), end: text.indexOf(call) + call.length };

  it('moves the index to the wanted block of the same size inside the VNet', async () => {
    const { renderEdit } = await import('../../server/src/service/fixRendering.ts');
    assert.equal(renderEdit(model, { source, newText: "'10.0.5.0/24'" }, call).newText, 'cidrSubnet(vnetCidr, 24, 5)');
    assert.equal(renderEdit(model, { source, newText: "'10.0.0.0/24'" }, call).newText, 'cidrSubnet(vnetCidr, 24, 0)');
  });

  it('writes the literal for another size or a block outside the VNet', async () => {
    const { renderEdit } = await import('../../server/src/service/fixRendering.ts');
    assert.equal(renderEdit(model, { source, newText: "'10.0.4.0/23'" }, call).newText, "'10.0.4.0/23'");
    assert.equal(renderEdit(model, { source, newText: "'10.1.0.0/24'" }, call).newText, "'10.1.0.0/24'");
  });
});
