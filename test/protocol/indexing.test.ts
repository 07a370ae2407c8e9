// The initial workspace scan over real JSON-RPC: "Indexing N files" progress in an editor that shows server
// progress, one analysis after the scan, and open documents winning over disk.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient.ts';

const SUBNET = (name: string, prefix: string) =>
  `apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: ${name}\nspec:\n  owner:\n    name: vnet-i\n  addressPrefix: ${prefix}\n`;

type Progress = { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };

describe('workspace indexing', () => {
  it('reports "Indexing N files" progress and publishes once the files are read', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-indexing-'));
    mkdirSync(path.join(root, 'a'));
    for (let i = 0; i < 40; i++) writeFileSync(path.join(root, 'a', `subnet${i}.yaml`), SUBNET(`s${i}`, `10.9.${i}.0/24`));
    // Overlaps s0 to s3, read in an earlier batch of the scan: reported on this later file.
    writeFileSync(path.join(root, 'a', 'zz-wide.yaml'), SUBNET('wide', '10.9.0.0/22'));
    writeFileSync(path.join(root, 'notes.txt'), 'not a network file');
    const client = new LspClient();
    client.capabilities = { window: { workDoneProgress: true } };
    const tokens: unknown[] = [];
    const progress: Progress[] = [];
    client.connection.onRequest('window/workDoneProgress/create', (params: { token: unknown }) => {
      tokens.push(params.token);
      return null;
    });
    client.connection.onNotification('$/progress', (params: { token: unknown; value: Progress }) => {
      assert.equal(params.token, tokens[0]);
      progress.push(params.value);
    });
    try {
      await client.initialize(pathToFileURL(root).href);
      const overlap = pathToFileURL(path.join(root, 'a', 'zz-wide.yaml')).href;
      const diagnostics = await client.waitForDiagnostics(overlap, (d) => d.length > 0);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['subnet-overlap', 'subnet-overlap', 'subnet-overlap', 'subnet-overlap'],
      );
      for (let waited = 0; progress.at(-1)?.kind !== 'end' && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      assert.equal(tokens.length, 1);
      assert.deepEqual(progress[0], { kind: 'begin', title: 'Indexing 41 files', message: '0 of 41 files', percentage: 0, cancellable: false });
      const reports = progress.filter((p) => p.kind === 'report');
      assert.ok(reports.length >= 1, JSON.stringify(progress));
      assert.deepEqual(reports.at(-2), { kind: 'report', message: '41 of 41 files', percentage: 100 });
      assert.deepEqual(reports.at(-1), { kind: 'report', message: 'Checking the workspace', percentage: 100 });
      assert.equal(progress.at(-1)?.kind, 'end');
      assert.ok(client.logs.some((m) => m === 'Read 41 workspace file(s)' || m.startsWith('Read 41 workspace file(s) in ')), client.logs.join('\n'));
    } finally {
      await client.shutdown();
    }
  });

  it('tells a client that asks for it how the scan goes (aksNetworkLens/indexing), and no other client', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-indexing-'));
    for (let i = 0; i < 12; i++) writeFileSync(path.join(root, `subnet${i}.yaml`), SUBNET(`s${i}`, `10.7.${i}.0/24`));
    writeFileSync(path.join(root, 'zz-wide.yaml'), SUBNET('wide', '10.7.0.0/23'));
    const statuses = async (options: Record<string, unknown> | undefined) => {
      const client = new LspClient();
      client.initializationOptions = options;
      const seen: unknown[] = [];
      const diagnosticsBeforeEnd: number[] = [];
      const overlap = pathToFileURL(path.join(root, 'zz-wide.yaml')).href;
      client.connection.onNotification('aksNetworkLens/indexing', (status: { scanning: boolean }) => {
        seen.push(status);
        if (!status.scanning) client.waitForDiagnostics(overlap, () => true, 1).then((d) => diagnosticsBeforeEnd.push(d.length), () => diagnosticsBeforeEnd.push(-1));
      });
      try {
        await client.initialize(pathToFileURL(root).href);
        await client.waitForDiagnostics(overlap, (d) => d.length > 0);
        // The last status follows the first publication; a client without the option gets none at all.
        await client.hover(overlap, 0, 0);
        return { seen, diagnosticsBeforeEnd };
      } finally {
        await client.shutdown();
      }
    };
    const asked = await statuses({ indexingStatus: true });
    assert.deepEqual(asked.seen[0], { scanning: true, done: 0, total: 13 });
    assert.deepEqual(asked.seen.at(-2), { scanning: true, done: 13, total: 13 });
    assert.deepEqual(asked.seen.at(-1), { scanning: false });
    assert.deepEqual(asked.diagnosticsBeforeEnd, [2], 'the overlap was published before the scan said it was over');
    assert.deepEqual((await statuses(undefined)).seen, []);
  });

  it('lays out the network map policy graph with elkjs, which the built server loads on the first diagram', async () => {
    const shop = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
    const client = new LspClient();
    try {
      await client.initialize(null);
      const uri = 'file:///w/shop.yaml';
      await client.open(uri, shop);
      await client.waitForDiagnostics(uri, () => true);
      const map = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri })) as {
        policyGraph?: { width: number; nodes: { x: number; y: number }[] };
      };
      assert.ok(map.policyGraph && map.policyGraph.nodes.length > 0, JSON.stringify(map).slice(0, 300));
      assert.ok(map.policyGraph.width > 0 && map.policyGraph.nodes.some((node) => node.x > 0), 'laid out');
    } finally {
      await client.shutdown();
    }
  });

  it('reads no progress capability as no progress, and an open document wins over its file on disk', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-indexing-'));
    const file = path.join(root, 'subnets.yaml');
    writeFileSync(file, `${SUBNET('a', '10.8.0.0/24')}---\n${SUBNET('b', '10.8.0.0/25')}`);
    const client = new LspClient();
    let created = 0;
    client.connection.onRequest('window/workDoneProgress/create', () => {
      created++;
      return null;
    });
    try {
      await client.initialize(pathToFileURL(root).href);
      // Opened while the server may still be scanning: the editor's text (no overlap) is what counts.
      const uri = pathToFileURL(file).href;
      await client.open(uri, `${SUBNET('a', '10.8.0.0/24')}---\n${SUBNET('b', '10.8.1.0/25')}`);
      await client.waitForDiagnostics(uri, (d) => d.length === 0);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(await client.waitForDiagnostics(uri, () => true), []);
      assert.equal(created, 0);
    } finally {
      await client.shutdown();
    }
  });
});
