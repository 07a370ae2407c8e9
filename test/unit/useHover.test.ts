// Hover on a use of a Bicep parameter or variable: what it evaluates to there, with the numbers a definition shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverAt } from '../../server/src/service/hover.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const MAIN = `param nodeSubnetCidr string = '10.20.0.0/22'
var vnetCidr = '10.20.0.0/16'
var poolName = 'sys'
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-h'
  properties: {
    addressSpace: { addressPrefixes: [ vnetCidr ] }
    subnets: [ { name: 'nodes', properties: { addressPrefix: nodeSubnetCidr } }, { name: 'more', properties: { addressPrefix: cidrSubnet(vnetCidr, 24, 9) } } ]
  }
}
module twice 'net.bicep' = [for prefix in [ '10.30.0.0/24', '10.31.0.0/24' ]: { name: 'n\${prefix}', params: { prefix: prefix, pool: poolName } }]
`;
const NET = `param prefix string
param pool string
resource v 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'v-\${pool}-\${prefix}'
  properties: { addressSpace: { addressPrefixes: [ prefix ] } }
}
`;

function hoverText(ws: Workspace, uri: string, text: string, needle: string, nth = 0): string | undefined {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const line = text.slice(0, at).split('\n').length - 1;
  const character = at - text.lastIndexOf('\n', at - 1) - 1;
  const hover = hoverAt(ws, uri, { line, character: character + 1 });
  return hover ? (hover.contents as { value: string }).value : undefined;
}

describe('hover on a use of a parameter or variable', () => {
  const ws = new Workspace();
  ws.setFile('file:///w/main.bicep', MAIN);
  ws.setFile('file:///w/net.bicep', NET);

  it('shows the value and the subnet numbers where the parameter is used', () => {
    const text = hoverText(ws, 'file:///w/main.bicep', MAIN, 'nodeSubnetCidr }');
    assert.match(text!, /^`nodeSubnetCidr` evaluates to `10\.20\.0\.0\/22`/);
    assert.match(text!, /Usable in an Azure subnet: 1,019/);
  });

  it("describes a VNet's space as a space, and the parameter inside a call apart from the call", () => {
    assert.match(hoverText(ws, 'file:///w/main.bicep', MAIN, 'vnetCidr ]')!, /^`vnetCidr` evaluates to `10\.20\.0\.0\/16`[\s\S]*A virtual network's address space/);
    assert.match(hoverText(ws, 'file:///w/main.bicep', MAIN, 'vnetCidr, 24')!, /^`vnetCidr` evaluates to `10\.20\.0\.0\/16`/);
    assert.match(hoverText(ws, 'file:///w/main.bicep', MAIN, 'cidrSubnet(')!, /evaluates to 10\.20\.9\.0\/24/);
  });

  it('lists every value a module parameter takes in its deployments, and plain values too', () => {
    const text = hoverText(ws, 'file:///w/net.bicep', NET, 'prefix ]');
    assert.match(text!, /^`prefix` evaluates to 2 values: `10\.30\.0\.0\/24`, `10\.31\.0\.0\/24`/);
    assert.equal(hoverText(ws, 'file:///w/main.bicep', MAIN, 'poolName }'), '`poolName` evaluates to `sys`');
  });

  it('shows nothing on a name that is not a use (a declaration)', () => {
    assert.equal(hoverText(ws, 'file:///w/main.bicep', MAIN, 'poolName ='), undefined);
  });
});
