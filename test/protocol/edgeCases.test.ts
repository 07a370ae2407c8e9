// Protocol edge cases against the built server (dist/server.js) over real JSON-RPC on stdio: positions past
// the end, unknown and closed documents, an edit storm with cancelled requests, edits while the workspace scan
// runs, files deleted under the server, CRLF, BOM, tabs, bytes that are not UTF-8, files over the size limit,
// minified one-line JSON, deep YAML, a YAML alias bomb and deep Bicep. Every case asserts the values.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type Diagnostic, type Hover } from 'vscode-languageserver-protocol/node';
import { NETWORK_MAP_VERSION, type NetworkMapData } from '../../server/src/service/networkMapData.ts';
import { planDefaults } from '../../server/src/service/planIps.ts';
import { LspClient } from '../helpers/lspClient.ts';

const SUBNET = (name: string, prefix: string, vnet = 'vnet-e') =>
  `apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: ${name}\nspec:\n  owner:\n    name: ${vnet}\n  addressPrefix: ${prefix}\n`;
/** One line: a subnet whose CIDR has host bits set, so a diagnostic lands on line 0 at a known column. */
const ONE_LINE = (prefix: string, indent = ' ') =>
  `{apiVersion: network.azure.com/v1api20240301, kind: VirtualNetworksSubnet, metadata: {name: s}, spec: {owner: {name: v1},${indent}addressPrefix: ${prefix}}}\n`;

interface Publication {
  readonly version?: number;
  readonly diagnostics: Diagnostic[];
}

/** Every publication per file, in order (the helper keeps only the last), and waiting on them. */
class Publications {
  private readonly history = new Map<string, Publication[]>();
  private readonly waiters: (() => void)[] = [];

  constructor(client: LspClient) {
    client.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      const list = this.history.get(params.uri) ?? [];
      list.push({ ...(params.version !== undefined ? { version: params.version } : {}), diagnostics: params.diagnostics });
      this.history.set(params.uri, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  of(uri: string): Publication[] {
    return this.history.get(uri) ?? [];
  }

  /** Waits until the last publication for `uri` satisfies the predicate. */
  async waitFor(uri: string, predicate: (d: Diagnostic[]) => boolean, timeoutMs = 15_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = this.of(uri).at(-1);
      if (last && predicate(last.diagnostics)) return last.diagnostics;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`diagnostics for ${uri} never matched; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();
const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : (d?.message.value ?? ''));
const hoverText = (hover: Hover | null) => (hover?.contents as { value?: string } | undefined)?.value ?? '';

async function waitForLog(client: LspClient, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(20)) {
    const line = client.logs.find((m) => pattern.test(m));
    if (line) return line;
  }
  throw new Error(`no log line matched ${pattern}: ${client.logs.join('\n')}`);
}

describe('protocol edge cases', () => {
  let root: string;
  let client: LspClient;
  let publications: Publications;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'netlens-edge-'));
    mkdirSync(path.join(root, 'disk'));
    // On disk before the server starts, read by the scan.
    writeFileSync(path.join(root, 'disk', 'bom.yaml'), `\uFEFF${ONE_LINE('10.30.0.7/24')}`);
    writeFileSync(path.join(root, 'disk', 'latin1.yaml'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from(` r\u00e9seau\n${SUBNET('l', '10.31.0.7/24')}`, 'latin1')]));
    writeFileSync(path.join(root, 'disk', 'binary.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0x00, 0x01, 0x02, 0x0a]));
    writeFileSync(path.join(root, 'disk', 'huge.yaml'), `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    writeFileSync(path.join(root, 'disk', 'overlap-a.yaml'), SUBNET('a', '10.32.0.0/24', 'vnet-d'));
    writeFileSync(path.join(root, 'disk', 'overlap-b.yaml'), SUBNET('b', '10.32.0.0/25', 'vnet-d'));
    client = new LspClient();
    publications = new Publications(client);
    await client.initialize(pathToFileURL(root).href);
    await waitForLog(client, /^Read \d+ workspace file\(s\)/);
  });

  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers positions past the end of a line and of the file, and keeps every returned range inside the document', async () => {
    const uri = uriOf('past.yaml');
    const text = SUBNET('p', '10.40.0.7/24');
    const lines = text.split('\n');
    await client.open(uri, text);
    await publications.waitFor(uri, (d) => d.some((x) => x.code === 'cidr-host-bits'));
    // Past the end of line 7, which ends with the CIDR: the position is clamped to the line's end, as editors do.
    const clamped = await client.hover(uri, 7, 999);
    assert.match(hoverText(clamped), /10\.40\.0\.0\/24/);
    assert.deepEqual(clamped!.range, { start: { line: 7, character: 17 }, end: { line: 7, character: 29 } });
    assert.equal(await client.hover(uri, 9999, 0), null, 'past the last line');
    assert.equal(await client.hover(uri, 9999, 9999), null);
    const everything = { start: { line: 0, character: 0 }, end: { line: 9999, character: 9999 } };
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: everything })) as { position: { line: number; character: number }; label: string }[];
    assert.deepEqual(hints.map((h) => [h.position, h.label]), [[{ line: 7, character: 29 }, '/24 · 251 usable']]);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: everything, context: { diagnostics: [] } })) as {
      title: string;
      edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]> };
    }[];
    assert.deepEqual(actions.map((a) => a.title), ['Use the network address 10.40.0.0/24']);
    for (const edit of actions[0]!.edit.changes[uri]!) {
      assert.ok(edit.range.end.line < lines.length && edit.range.end.character <= lines[edit.range.end.line]!.length, JSON.stringify(edit.range));
    }
    const reversed = { start: { line: 9999, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual(await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: reversed }), []);
  });

  it('answers requests for unknown and closed documents with empty results, and clears a closed unsaved document', async () => {
    const unknown = 'file:///nowhere/never-opened.yaml';
    const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
    assert.equal(await client.hover(unknown, 0, 0), null);
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: unknown }, range, context: { diagnostics: [] } }), []);
    assert.deepEqual(await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: unknown }, range }), []);
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: unknown } }), []);
    assert.deepEqual(await client.connection.sendRequest('aksNetworkLens/planPrefill', { uri: unknown }), { defaults: planDefaults() }, 'no cluster: only the defaults');
    const map = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri: unknown })) as NetworkMapData;
    assert.equal(map.version, NETWORK_MAP_VERSION, 'the map of the workspace, whatever the active file');
    assert.ok(Array.isArray(map.addresses?.vnets), 'every view when none is asked for');
    // One view asked for: only its part; a view the protocol does not name: every view.
    const paths = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri: unknown, view: 'paths' })) as NetworkMapData;
    assert.equal(paths.view, 'paths');
    assert.equal(paths.addresses, undefined);
    const odd = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri: unknown, view: '../addresses' })) as NetworkMapData;
    assert.equal(odd.view, undefined);
    assert.ok(Array.isArray(odd.addresses?.vnets));

    // A document that was never saved: closing it removes it (there is no file on disk to fall back to).
    const untitled = uriOf('never-saved.yaml');
    await client.open(untitled, SUBNET('u', '10.41.0.7/24'));
    await publications.waitFor(untitled, (d) => d.some((x) => x.code === 'cidr-host-bits'));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: untitled } });
    await publications.waitFor(untitled, (d) => d.length === 0);
    assert.equal(await client.hover(untitled, 7, 20), null, 'a closed unsaved document is gone');
    // Closing again, and changing a closed document, are ignored without breaking the server.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: untitled } });
    await client.change(untitled, SUBNET('u', '10.41.0.9/24'), 3);
    assert.equal(await client.hover(untitled, 7, 20), null);
    assert.match(hoverText(await client.hover(uriOf('past.yaml'), 7, 20)), /10\.40\.0\.0\/24/, 'still serving');
  });

  it('checks a never-saved (untitled) document by its language, Bicep modules it names staying unknown', async () => {
    const yaml = 'untitled:Untitled-1';
    await client.open(yaml, SUBNET('n', '10.43.0.7/24'), 1, 'yaml');
    await publications.waitFor(yaml, (d) => d.some((x) => x.code === 'cidr-host-bits'));
    assert.match(hoverText(await client.hover(yaml, 7, 20)), /10\.43\.0\.0\/24/);
    const bicep = 'untitled:Untitled-2';
    const text = `module net './network.bicep' = { name: 'net' }\nresource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: 'vnet-untitled'\n  properties: { addressSpace: { addressPrefixes: [ '10.44.0.7/16' ] } }\n}\n`;
    await client.open(bicep, text, 1, 'bicep');
    const found = await publications.waitFor(bicep, (d) => d.some((x) => x.code === 'cidr-host-bits'));
    assert.deepEqual(found.map((d) => d.code), ['cidr-host-bits']);
    // Another language, or a name no reader takes, is not read.
    await client.open('untitled:Untitled-3', SUBNET('p', '10.45.0.7/24'), 1, 'plaintext');
    await client.open(uriOf('notes.txt'), SUBNET('q', '10.46.0.7/24'), 1, 'plaintext');
    assert.equal(await client.hover('untitled:Untitled-3', 7, 20), null);
    assert.equal(await client.hover(uriOf('notes.txt'), 7, 20), null);
    for (const uri of [yaml, bicep, 'untitled:Untitled-3', uriOf('notes.txt')]) await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await publications.waitFor(bicep, (d) => d.length === 0);
  });

  it('survives an edit storm with cancelled requests: every request settles, publications follow the versions, the last one is the final text', async () => {
    const uri = uriOf('storm.yaml');
    const textFor = (v: number) => SUBNET('s', `10.42.${v}.7/24`);
    await client.open(uri, textFor(1), 1);
    await publications.waitFor(uri, (d) => d.length > 0);
    const before = publications.of(uri).length;
    const requests: Promise<unknown>[] = [];
    const FINAL = 80;
    for (let v = 2; v <= FINAL; v++) {
      void client.change(uri, textFor(v), v);
      const source = new CancellationTokenSource();
      requests.push(client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 20 } }, source.token));
      requests.push(client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 7, character: 17 }, end: { line: 7, character: 30 } }, context: { diagnostics: [] } }, source.token));
      if (v % 2 === 0) source.cancel();
    }
    const settled = await Promise.allSettled(requests);
    for (const result of settled) {
      if (result.status === 'rejected') assert.equal((result.reason as { code?: number }).code, -32800, `only cancellation may reject: ${String(result.reason)}`);
    }
    const final = await publications.waitFor(uri, (d) => d.some((x) => messageOf(x).includes(`10.42.${FINAL}.0/24`)));
    assert.equal(final.length, 1);
    assert.deepEqual(final[0]!.range, { start: { line: 7, character: 17 }, end: { line: 7, character: 17 + `10.42.${FINAL}.7/24`.length } });
    await sleep(400);
    const storm = publications.of(uri).slice(before);
    // Which version each publication describes, from the network address in its message.
    const versions = storm.map((p) => Number(/10\.42\.(\d+)\.0\/24/.exec(messageOf(p.diagnostics[0]))?.[1]));
    assert.ok(storm.length < FINAL / 2, `edits are coalesced, not analysed one by one: ${storm.length} publications`);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions, `no stale publication after a newer one: ${versions}`);
    assert.equal(versions.at(-1), FINAL);
    assert.ok(storm.every((p) => p.version !== undefined), 'publications for an open document say which version they describe');
    for (const p of storm) assert.equal(Number(/10\.42\.(\d+)\./.exec(messageOf(p.diagnostics[0]))![1]), p.version, 'a publication carries the version it describes');
    // The server answers normally afterwards.
    assert.match(hoverText(await client.hover(uri, 7, 20)), new RegExp(`10\\.42\\.${FINAL}\\.0/24`));
  });

  it('forgets files deleted under it, also when the event says "changed", and keeps an open document until it is closed', async () => {
    const a = uriOf('disk/overlap-a.yaml');
    const b = uriOf('disk/overlap-b.yaml');
    await publications.waitFor(b, (d) => codes(d).join() === 'subnet-overlap');
    rmSync(path.join(root, 'disk', 'overlap-a.yaml'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: a, type: 3 }] });
    await publications.waitFor(b, (d) => d.length === 0);
    assert.deepEqual(publications.of(a), [], 'the overlap was reported on b only');

    // A "changed" event for a file that is gone: the read fails and the file leaves the workspace.
    writeFileSync(path.join(root, 'disk', 'gone.yaml'), SUBNET('g', '10.33.0.7/24'));
    const gone = uriOf('disk/gone.yaml');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gone, type: 1 }] });
    await publications.waitFor(gone, (d) => codes(d).join() === 'cidr-host-bits');
    rmSync(path.join(root, 'disk', 'gone.yaml'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: gone, type: 2 }] });
    await publications.waitFor(gone, (d) => d.length === 0);

    // Deleted while open: the editor's text still counts until the document is closed.
    writeFileSync(path.join(root, 'disk', 'open.yaml'), SUBNET('o', '10.34.0.7/24'));
    const open = uriOf('disk/open.yaml');
    await client.open(open, SUBNET('o', '10.34.0.9/24'));
    await publications.waitFor(open, (d) => d.some((x) => messageOf(x).includes('10.34.0.0/24')));
    rmSync(path.join(root, 'disk', 'open.yaml'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: open, type: 3 }] });
    await sleep(400);
    assert.deepEqual(codes(publications.of(open).at(-1)!.diagnostics), ['cidr-host-bits']);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: open } });
    await publications.waitFor(open, (d) => d.length === 0);
  });

  it('skips a FIFO named like a network file instead of blocking on it, and goes on reading other files', { skip: process.platform === 'win32' }, async () => {
    // Five FIFOs: more than libuv's four pool threads, so a blocking read of each would stall every later read.
    const fifos = Array.from({ length: 5 }, (_, i) => path.join(root, 'disk', `fifo${i}.yaml`));
    for (const fifo of fifos) assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: fifos.map((fifo) => ({ uri: pathToFileURL(fifo).href, type: 1 })) });
    writeFileSync(path.join(root, 'disk', 'after-fifo.yaml'), SUBNET('f', '10.35.0.7/24'));
    const after = uriOf('disk/after-fifo.yaml');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: after, type: 1 }] });
    assert.deepEqual(codes(await publications.waitFor(after, (d) => d.length > 0, 5000)), ['cidr-host-bits']);
    await waitForLog(client, /Skipped .*fifo0\.yaml: not a regular file/);
    for (const fifo of fifos) rmSync(fifo);
  });

  it('puts ranges right in CRLF documents, documents with a BOM (open and on disk), and lines with tabs', async () => {
    const crlf = uriOf('crlf.yaml');
    await client.open(crlf, SUBNET('c', '10.43.0.7/24').replace(/\n/g, '\r\n'));
    const [d1] = await publications.waitFor(crlf, (d) => d.length > 0);
    assert.deepEqual(d1!.range, { start: { line: 7, character: 17 }, end: { line: 7, character: 29 } });
    assert.equal((await client.hover(crlf, 7, 999))?.range?.end.character, 29, 'the end of a CRLF line is before the CR');

    // An open document's text is what the editor sent: a BOM in it is a character like any other.
    const bomOpen = uriOf('bom-open.yaml');
    const line = ONE_LINE('10.44.0.7/24');
    await client.open(bomOpen, `\uFEFF${line}`);
    const [d2] = await publications.waitFor(bomOpen, (d) => d.length > 0);
    assert.equal(d2!.code, 'cidr-host-bits');
    assert.deepEqual(d2!.range, { start: { line: 0, character: line.indexOf('10.44') + 1 }, end: { line: 0, character: line.indexOf('10.44') + 1 + 12 } });

    // A file read from disk: editors drop the BOM from the text they show, so ranges must not count it.
    const bomDisk = uriOf('disk/bom.yaml');
    const [d3] = await publications.waitFor(bomDisk, (d) => d.length > 0);
    const diskLine = ONE_LINE('10.30.0.7/24');
    assert.deepEqual(d3!.range, { start: { line: 0, character: diskLine.indexOf('10.30') }, end: { line: 0, character: diskLine.indexOf('10.30') + 12 } });

    const tabs = uriOf('tabs.yaml');
    const tabbed = ONE_LINE('10.45.0.7/24', '\t\t');
    await client.open(tabs, tabbed);
    const [d4] = await publications.waitFor(tabs, (d) => d.length > 0);
    assert.deepEqual(d4!.range.start, { line: 0, character: tabbed.indexOf('10.45') }, 'a tab is one character');
    // Tabs in YAML indentation are a syntax error, reported where they are.
    const tabIndent = uriOf('tab-indent.yaml');
    await client.open(tabIndent, 'spec:\n\taddressPrefix: 10.0.0.0/24\n');
    const d5 = await publications.waitFor(tabIndent, (d) => d.length > 0);
    assert.ok(d5.every((d) => d.code === 'yaml-syntax' && d.range.start.line === 1), JSON.stringify(d5));
  });

  it('reads a file that is not UTF-8 with replacement characters (lines intact) and gives binary and over-size files a clear notice', async () => {
    const latin1 = await publications.waitFor(uriOf('disk/latin1.yaml'), (d) => d.length > 0);
    assert.deepEqual(latin1.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['cidr-host-bits', 8, 17]]);
    const binary = await publications.waitFor(uriOf('disk/binary.yaml'), (d) => d.length > 0);
    assert.deepEqual(binary.map((d) => [d.code, d.severity]), [['file-not-read', 3]]);
    assert.match(messageOf(binary[0]), /binary/);
    // Over the limit on disk: not read (a notice in the log); opened in the editor: a diagnostic says why.
    await waitForLog(client, /Skipped .*huge\.yaml: \d+ bytes is over the 4194304-byte limit/);
    assert.equal(publications.of(uriOf('disk/huge.yaml')).length, 0);
    const huge = uriOf('huge-open.yaml');
    await client.open(huge, `# ${'y'.repeat(20 * 1024 * 1024)}\n`);
    const [notice] = await publications.waitFor(huge, (d) => d.length > 0, 30_000);
    assert.equal(notice!.code, 'file-not-read');
    assert.match(messageOf(notice), /File is 20\.0 MB, over the 4 MB limit of AKS Network Lens; it was not checked\./);
  });

  it('checks minified one-line JSON manifests, with columns on the one line', async () => {
    const uri = uriOf('pods.json');
    const services = Array.from({ length: 3000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc${i}`, namespace: 'default' },
      spec: { type: 'ClusterIP', loadBalancerIP: `10.46.${i % 250}.${(i % 200) + 1}`, selector: { app: 'x' }, ports: [{ port: 80 }] },
    }));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: services });
    await client.open(uri, text, 1, 'json');
    const diagnostics = await publications.waitFor(uri, (d) => d.length > 0, 30_000);
    const ignored = diagnostics.filter((d) => d.code === 'load-balancer-ip-ignored');
    assert.equal(ignored.length, 3000);
        for (const d of ignored) {
      assert.equal(d.range.start.line, 0);
      assert.equal(d.range.end.line, 0);
      const written = text.slice(d.range.start.character, d.range.end.character);
      assert.match(written, /^"?10\.46\.\d+\.\d+"?$/, `a range on the one line points at the address: ${written}`);
    }
  });

  it('bounds deep YAML nesting and a YAML alias bomb, and keeps serving', async () => {
    const deep = uriOf('deep.yaml');
    await client.open(deep, `apiVersion: v1\nkind: Service\nspec: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    const d1 = await publications.waitFor(deep, (d) => d.length > 0);
    assert.ok(d1.every((d) => d.code === 'yaml-syntax'), JSON.stringify(d1).slice(0, 500));
    assert.ok(d1.some((d) => /^YAML nested too deeply to read/.test(messageOf(d))), `a message that says what happened: ${JSON.stringify(d1).slice(0, 500)}`);
    assert.ok(!d1.some((d) => /Maximum call stack/.test(messageOf(d))), 'no engine message that reads like a crash');
    const bomb = uriOf('bomb.yaml');
    let text = 'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetwork\nmetadata:\n  name: bomb\nl0: &l0 ["10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16", "10.47.0.0/16"]\n';
    for (let i = 1; i < 10; i++) text += `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]\n`;
    text += 'spec:\n  addressSpace:\n    addressPrefixes: *l9\n';
    await client.open(bomb, text);
    // Aliases are not expanded: the reader follows the tree, where *l9 is one node.
    await publications.waitFor(bomb, () => true);
    const aliasLine = text.split('\n').findIndex((l) => l.includes('addressPrefixes: *l9'));
    assert.equal(await client.hover(bomb, aliasLine, 24), null, 'a hover on the alias expands nothing');
    assert.match(hoverText(await client.hover(uriOf('past.yaml'), 7, 20)), /10\.40\.0\.0\/24/, 'still serving');
  });

  it('bounds deep Bicep: nesting past the parser limit, a long chain of variables, a module that calls itself in a loop', async () => {
    const deep = uriOf('deep.bicep');
    await client.open(deep, `var x = ${'('.repeat(20_000)}1${')'.repeat(20_000)}\n`, 1, 'bicep');
    const [d1] = await publications.waitFor(deep, (d) => d.length > 0);
    assert.equal(d1!.code, 'bicep-syntax');
    assert.match(messageOf(d1), /nested too deeply: more than 200 levels/);
    const vnet = (prefixes: string) => `resource vn 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: 'v'\n  properties: { addressSpace: { addressPrefixes: ${prefixes} } }\n}\n`;
    // 3,000 variables, each the one before: deeper than the evaluator follows, so the value is unknown (no finding).
    const chain = uriOf('chain.bicep');
    await client.open(chain, `var v0 = '10.48.0.7/16'\n${Array.from({ length: 3000 }, (_, i) => `var v${i + 1} = v${i}`).join('\n')}\n${vnet('[ v3000 ]')}`, 1, 'bicep');
    assert.deepEqual(await publications.waitFor(chain, () => true), []);
    // A module that calls itself in a loop, deployed from a main file: the cycle is not followed.
    const loop = uriOf('loop.bicep');
    await client.open(loop, `module again 'loop.bicep' = [for i in range(0, 500): { name: 'm\${i}' }]\n${vnet("[ '10.49.0.7/16' ]")}`, 1, 'bicep');
    await client.open(uriOf('loop-main.bicep'), "module first 'loop.bicep' = { name: 'first' }\n", 1, 'bicep');
    const d3 = await publications.waitFor(loop, (d) => d.length > 0);
    assert.deepEqual(codes(d3), ['cidr-host-bits']);
    assert.match(hoverText(await client.hover(uriOf('past.yaml'), 7, 20)), /10\.40\.0\.0\/24/, 'still serving');
  });
});

describe('a document edited while the workspace scan runs', () => {
  it('keeps the editor text over the file on disk, and still reads every other file', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-scan-race-'));
    for (let d = 0; d < 20; d++) {
      mkdirSync(path.join(root, `d${d}`));
      for (let i = 0; i < 100; i++) writeFileSync(path.join(root, `d${d}`, `s${i}.yaml`), SUBNET(`s${d}-${i}`, `10.${100 + d}.${i}.0/24`, `vnet-${d}`));
    }
    // Last in the scan's order; on disk it has host bits set.
    mkdirSync(path.join(root, 'zz'));
    const target = path.join(root, 'zz', 'target.yaml');
    writeFileSync(target, SUBNET('t', '10.50.0.7/24'));
    writeFileSync(path.join(root, 'zz', 'other.yaml'), SUBNET('o', '10.51.0.7/24'));
    const client = new LspClient();
    const publications = new Publications(client);
    try {
      await client.initialize(pathToFileURL(root).href);
      const uri = pathToFileURL(target).href;
      // Opened and edited at once, while the server lists and reads 2,000 files.
      await client.open(uri, SUBNET('t', '10.50.1.0/24'), 1);
      const scanning = !client.logs.some((m) => /^Read \d+ workspace file\(s\)/.test(m));
      for (let v = 2; v <= 10; v++) await client.change(uri, SUBNET('t', `10.50.${v}.9/24`), v);
      await waitForLog(client, /^Read 2001 workspace file\(s\)/, 30_000);
      assert.ok(scanning, 'the edits were made during the scan');
      const diagnostics = await publications.waitFor(uri, (d) => d.length > 0, 30_000);
      assert.deepEqual(diagnostics.map((d) => [d.code, messageOf(d).includes('10.50.10.0/24')]), [['cidr-host-bits', true]], 'the editor text, not the disk text (10.50.0.7)');
      const other = await publications.waitFor(pathToFileURL(path.join(root, 'zz', 'other.yaml')).href, (d) => d.length > 0, 30_000);
      assert.deepEqual(codes(other), ['cidr-host-bits']);
      await sleep(300);
      assert.ok(messageOf(publications.of(uri).at(-1)!.diagnostics[0]).includes('10.50.10.0/24'), 'no later publication from disk');
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
