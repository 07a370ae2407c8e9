// Compare Policies with HEAD over real JSON-RPC on stdio: the built server, in a temporary git repository whose HEAD
// holds the shop's policies, compares the open (edited, unsaved) file with HEAD when the network map request asks
// (compareWith: 'HEAD'): web -> db added, api -> db removed. It runs git for that and for nothing else (the
// side-effect sentinel is preloaded: git is the only process, no file is written), and a folder outside any git
// repository gets the reason instead of a comparison.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { NetworkMapData } from '../../server/src/service/networkMapData.ts';
import { LspClient, SERVER } from '../helpers/lspClient.ts';

const SENTINEL = path.join(import.meta.dirname, '..', 'helpers', 'sentinel.cjs');
const SHOP = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
const SHOP_DB_FROM_WEB = SHOP.replace(/(name: db-from-api[\s\S]*?matchLabels: \{ app: )api/, '$1web');

/** "from -> to: ports [change]" for the edges that changed. */
function changedEdges(data: NetworkMapData): string[] {
  const graph = data.policyGraph!;
  const peer = new Map(graph.nodes.map((node) => [node.id, node.peer]));
  return graph.edges.filter((edge) => edge.change).map((edge) => `${peer.get(edge.from)} -> ${peer.get(edge.to)}: ${edge.ports} [${edge.change}]`).sort();
}

describe('Compare Policies with HEAD (built server over stdio)', () => {
  let root: string;
  let log: string;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'netlens-compare-'));
    log = path.join(mkdtempSync(path.join(tmpdir(), 'netlens-compare-sentinel-')), 'sentinel.log');
    writeFileSync(log, '');
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  });

  /** A server with the sentinel preloaded, on `folder`, with `file` open holding `text`. */
  async function serverOn(folder: string, file: string, text: string): Promise<LspClient> {
    const previous = { log: process.env.SENTINEL_LOG, dir: process.env.SENTINEL_ALLOWED_DIR };
    process.env.SENTINEL_LOG = log;
    process.env.SENTINEL_ALLOWED_DIR = path.dirname(SERVER);
    const client = new LspClient([process.execPath, '--require', SENTINEL, SERVER, '--stdio']);
    process.env.SENTINEL_LOG = previous.log;
    process.env.SENTINEL_ALLOWED_DIR = previous.dir;
    await client.initialize(pathToFileURL(folder).href);
    const uri = pathToFileURL(path.join(folder, file)).href;
    await client.open(uri, text);
    // An opened document always gets diagnostics published: the server has read it.
    await client.waitForDiagnostics(uri, () => true, 30_000);
    return client;
  }

  it('colours the edited policy graph against HEAD, running git and nothing else', async () => {
    const repo = path.join(root, 'repo');
    mkdirSync(path.join(repo, 'shop'), { recursive: true });
    writeFileSync(path.join(repo, 'shop', 'policies.yaml'), SHOP);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'shop');
    const head = git('rev-parse', 'HEAD').trim();
    const client = await serverOn(repo, 'shop/policies.yaml', SHOP_DB_FROM_WEB);
    try {
      const uri = pathToFileURL(path.join(repo, 'shop', 'policies.yaml')).href;
      const plain = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri })) as NetworkMapData;
      assert.equal(plain.comparison, undefined);
      assert.deepEqual(changedEdges(plain), []);
      assert.equal(readFileSync(log, 'utf8'), '', 'no process before a comparison is asked for');

      const compared = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri, compareWith: 'HEAD' })) as NetworkMapData;
      assert.deepEqual(compared.comparison, { revision: 'HEAD', commit: head.slice(0, 8), added: 1, removed: 1, changed: 0 });
      assert.deepEqual(changedEdges(compared), ['shop/api[Deployment] -> shop/db[StatefulSet]: TCP 5432 [removed]', 'shop/web[Deployment] -> shop/db[StatefulSet]: TCP 5432 [added]']);
      // Another revision than HEAD is not taken: the map is drawn without a comparison.
      const other = (await client.connection.sendRequest('aksNetworkLens/networkMap', { uri, compareWith: 'HEAD~1' })) as NetworkMapData;
      assert.equal(other.comparison, undefined);
    } finally {
      await client.shutdown();
    }
    const seen = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(seen.length >= 3, seen.join('\n'));
    assert.deepEqual(seen.filter((line) => line !== 'node:child_process.spawn(git)'), [], 'git is the only side effect');
  });

  it('answers a folder outside any git repository with the reason', async () => {
    const plain = path.join(root, 'plain');
    mkdirSync(path.join(plain, 'shop'), { recursive: true });
    writeFileSync(path.join(plain, 'shop', 'policies.yaml'), SHOP);
    const client = await serverOn(plain, 'shop/policies.yaml', SHOP);
    try {
      const data = (await client.connection.sendRequest('aksNetworkLens/networkMap', { compareWith: 'HEAD' })) as NetworkMapData;
      assert.equal(data.comparison?.commit, undefined);
      assert.match(data.comparison?.error ?? '', /is not in a git repository, so there is no HEAD to compare its policies with/);
      assert.ok(data.policyGraph!.edges.length > 0 && data.policyGraph!.edges.every((edge) => edge.change === undefined));
    } finally {
      await client.shutdown();
    }
  });
});
