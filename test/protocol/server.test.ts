// The language server over real JSON-RPC on stdio: diagnostics, hovers, bad input, workspace files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient.ts';

const OVERLAP = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: vnet-p
  addressPrefix: 10.224.0.0/16
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: ingress
spec:
  owner:
    name: vnet-p
  addressPrefix: 10.224.8.0/24
`;

describe('language server over stdio', () => {
  let client: LspClient;
  let root: string;
  let onDisk: string;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'netlens-protocol-'));
    mkdirSync(path.join(root, 'infra'));
    onDisk = path.join(root, 'infra', 'vnet.yaml');
    writeFileSync(
      onDisk,
      'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetwork\nmetadata:\n  name: vnet-p\nspec:\n  addressSpace:\n    addressPrefixes: [10.224.0.0/12, 127.0.0.0/8]\n',
    );
    client = new LspClient();
    const result = (await client.initialize(pathToFileURL(root).href)) as { capabilities: { hoverProvider?: boolean } };
    assert.equal(result.capabilities.hoverProvider, true);
  });

  after(async () => {
    await client.shutdown();
  });

  it('publishes diagnostics with rule id, source and doc link', async () => {
    const uri = pathToFileURL(path.join(root, 'subnets.yaml')).href;
    await client.open(uri, OVERLAP);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 1);
    const [overlap] = diagnostics;
    assert.equal(overlap!.code, 'subnet-overlap');
    assert.equal(overlap!.source, 'aks-network-lens');
    assert.deepEqual(overlap!.range, { start: { line: 16, character: 17 }, end: { line: 16, character: 30 } });
    assert.match(overlap!.codeDescription!.href, /docs\/rules\/subnet-overlap\.md$/);
    assert.equal(overlap!.relatedInformation?.[0]?.location.range.start.line, 7);
  });

  it('reads workspace files from disk and reports on them without opening them', async () => {
    const diagnostics = await client.waitForDiagnostics(pathToFileURL(onDisk).href, (d) => d.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['reserved-range', 6]],
    );
  });

  it('answers hovers on a CIDR with counts and model relations', async () => {
    const uri = pathToFileURL(path.join(root, 'subnets.yaml')).href;
    const hover = await client.hover(uri, 7, 22);
    assert.ok(hover, 'a hover is returned');
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /65,536/);
    assert.match(text, /65,531/);
    assert.match(text, /inside virtual network vnet-p 10\.224\.0\.0\/12/);
    assert.match(text, /contains subnet ingress 10\.224\.8\.0\/24/);
    assert.equal(await client.hover(uri, 1, 3), null, 'no hover on a non-address');
  });

  it('answers inlay hints with the size after each CIDR', async () => {
    const uri = pathToFileURL(path.join(root, 'subnets.yaml')).href;
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    })) as { position: { line: number }; label: string }[];
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.label]),
      [
        [7, '/16 · 65,531 usable'],
        [16, '/24 · 251 usable'],
      ],
    );
  });

  it('clears a diagnostic once the text is fixed', async () => {
    const uri = pathToFileURL(path.join(root, 'subnets.yaml')).href;
    await client.change(uri, OVERLAP.replace('10.224.0.0/16', '10.224.0.0/21'), 2);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  it('offers the network address as a quick fix for host bits, and the edit clears the finding', async () => {
    const uri = pathToFileURL(path.join(root, 'hostbits.yaml')).href;
    const text = OVERLAP.replace('10.224.8.0/24', '10.224.8.7/24');
    await client.open(uri, text);
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'cidr-host-bits'));
    const hostBits = diagnostics.find((d) => d.code === 'cidr-host-bits')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: hostBits.range,
      context: { diagnostics: [hostBits] },
    })) as { title: string; kind: string; edit: { changes: Record<string, { range: typeof hostBits.range; newText: string }[]> } }[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.title, 'Use the network address 10.224.8.0/24');
    assert.equal(actions[0]!.kind, 'quickfix');
    const [edit] = actions[0]!.edit.changes[uri]!;
    assert.deepEqual(edit!.range, hostBits.range);
    const lines = text.split('\n');
    const line = lines[edit!.range.start.line]!;
    lines[edit!.range.start.line] = line.slice(0, edit!.range.start.character) + edit!.newText + line.slice(edit!.range.end.character);
    await client.change(uri, lines.join('\n'), 2);
    await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'cidr-host-bits'));
  });

  it('serves Bicep: diagnostics across a module call and a hover showing what an expression evaluates to', async () => {
    const main = pathToFileURL(path.join(root, 'main.bicep')).href;
    const text = `param vnetCidr string = '10.1.0.0/16'
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-b'
  properties: {
    addressSpace: { addressPrefixes: [ vnetCidr ] }
    subnets: [
      { name: 'a', properties: { addressPrefix: cidrSubnet(vnetCidr, 24, 2) } }
      { name: 'b', properties: { addressPrefix: '10.1.2.128/25' } }
    ]
  }
}
`;
    await client.open(main, text);
    const diagnostics = await client.waitForDiagnostics(main, (d) => d.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [['subnet-overlap', 7]],
    );
    const hover = await client.hover(main, 6, 50);
    assert.ok(hover, 'a hover on the cidrSubnet call');
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /cidrSubnet\(vnetCidr, 24, 2\)` evaluates to 10\.1\.2\.0\/24/);
    assert.match(value, /Addresses: 256/);
    assert.match(value, /Usable in an Azure subnet: 251/);
  });

  it('gives clear diagnostics on bad input and keeps serving', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['invalid.yaml', 'kind: [unclosed\n  - a: b: c\n', 'yaml-syntax', /./],
      ['binary.yaml', 'kind: x\u0000\u0001\u0002', 'file-not-read', /binary/],
      ['huge.yaml', `# ${'x'.repeat(5 * 1024 * 1024)}\n`, 'file-not-read', /5\.0 MB, over the 4 MB limit/],
      [
        'prefix33.yaml',
        'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: s\nspec:\n  addressPrefix: 10.0.0.0/33\n',
        'invalid-cidr',
        /'\/33' is not a valid IPv4 prefix length/,
      ],
      [
        'prefix200.yaml',
        'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: s\nspec:\n  addressPrefix: fd00::/200\n',
        'invalid-cidr',
        /'\/200' is not a valid IPv6 prefix length/,
      ],
    ];
    for (const [name, text, rule, message] of cases) {
      const uri = pathToFileURL(path.join(root, name)).href;
      await client.open(uri, text);
      const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
      assert.ok(diagnostics.some((d) => d.code === rule && message.test(String(d.message))), `${name}: ${JSON.stringify(diagnostics)}`);
    }
    const uri = pathToFileURL(path.join(root, 'subnets.yaml')).href;
    const hover = await client.hover(uri, 7, 22);
    assert.ok(hover, 'still serving after bad input');
    const past = await client.hover(uri, 999, 999);
    assert.equal(past, null, 'a position past the end is answered, not thrown');
    assert.equal(await client.hover('file:///never/opened.yaml', 0, 0), null);
  });
});
