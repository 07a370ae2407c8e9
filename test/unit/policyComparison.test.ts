// The policy graph compared with another version (Compare Policies with HEAD): flows marked added, removed and
// changed as flows/diff.ts decides (External pieces included), the map's data with the comparison and its counts,
// and HEAD read from a temporary git repository, with the reasons given when there is no HEAD to compare with.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Flow } from '../../server/src/flows/engine.ts';
import { analyzeFlows } from '../../server/src/flows/engine.ts';
import { compareFlows } from '../../server/src/service/flowChanges.ts';
import { GitBaseline } from '../../server/src/service/gitBaseline.ts';
import { networkMap } from '../../server/src/service/networkMap.ts';
import type { MapPolicyGraph } from '../../server/src/service/networkMapData.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const SHOP = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
/** The shop with db-from-api opened to web instead of api: web -> db added, api -> db removed. */
const SHOP_DB_FROM_WEB = SHOP.replace(/(name: db-from-api[\s\S]*?matchLabels: \{ app: )api/, '$1web');

const flow = (src: string, dst: string, conn: string): Flow => ({ src, dst, conn });
const A = 'ns/a[Deployment]';
const B = 'ns/b[Deployment]';
const C = 'ns/c[Deployment]';
const D = 'ns/d[Deployment]';
const ALL = 'All Connections';
const EVERYWHERE = '0.0.0.0-255.255.255.255[External]';
const TEN = '10.0.0.0-10.255.255.255[External]';

/** "src -> dst: conn [change] (before)" per drawn flow, sorted. */
const brief = (flows: readonly { src: string; dst: string; conn: string; change?: string; before?: string }[]) =>
  flows.map((f) => `${f.src} -> ${f.dst}: ${f.conn}${f.change ? ` [${f.change}]` : ''}${f.before !== undefined ? ` (was ${f.before})` : ''}`).sort();

/** "from peer -> to peer: ports [change]" per edge of the graph, sorted. */
const edges = (graph: MapPolicyGraph) => {
  const peer = new Map(graph.nodes.map((node) => [node.id, node.peer]));
  return graph.edges.map((e) => `${peer.get(e.from)} -> ${peer.get(e.to)}: ${e.ports}${e.change ? ` [${e.change}]` : ''}${e.before !== undefined ? ` (was ${e.before})` : ''}`).sort();
};

function shopWorkspace(text: string): Workspace {
  const workspace = new Workspace();
  workspace.setFile('file:///w/shop/policies.yaml', text);
  return workspace;
}

describe('compareFlows: the drawn flows marked by change', () => {
  it('marks added and changed pairs, keeps unchanged ones unmarked, and adds the removed ones', () => {
    const before = { flows: [flow(A, B, 'TCP 80'), flow(B, A, ALL), flow(A, C, 'UDP 53')], workloads: [A, B, C] };
    const after = { flows: [flow(A, B, 'TCP 80,443'), flow(B, A, ALL), flow(C, A, 'TCP 8080')], workloads: [A, B, C] };
    const compared = compareFlows(before, after);
    assert.deepEqual(brief(compared.flows), [
      `${A} -> ${B}: TCP 80,443 [changed] (was TCP 80)`,
      `${A} -> ${C}: UDP 53 [removed]`,
      `${B} -> ${A}: ${ALL}`,
      `${C} -> ${A}: TCP 8080 [added]`,
    ]);
    assert.deepEqual([compared.added, compared.removed, compared.changed], [1, 1, 1]);
  });

  it('finds nothing to mark between equal versions', () => {
    const same = { flows: [flow(A, B, 'TCP 80'), flow(EVERYWHERE, A, ALL)], workloads: [A, B] };
    const compared = compareFlows(same, same);
    assert.deepEqual(brief(compared.flows), brief(same.flows));
    assert.deepEqual([compared.added, compared.removed, compared.changed, compared.addedWorkloads.size, compared.removedWorkloads.size], [0, 0, 0, 0, 0]);
  });

  it('compares External pieces address by address: wholly added, partly changed, cut differently, removed', () => {
    const before = {
      flows: [flow(A, EVERYWHERE, 'TCP 80'), flow(C, TEN, 'TCP 80'), flow(D, TEN, 'TCP 80')],
      workloads: [A, B, C, D],
    };
    const after = {
      flows: [
        // A: the same connections, but 10.0.0.0/8 opened further.
        flow(A, '0.0.0.0-9.255.255.255[External]', 'TCP 80'),
        flow(A, TEN, ALL),
        flow(A, '11.0.0.0-255.255.255.255[External]', 'TCP 80'),
        // B: new everywhere.
        flow(B, EVERYWHERE, 'TCP 443'),
        // C: 10.0.0.0/8 as before, the rest new: partly added, so changed.
        flow(C, EVERYWHERE, 'TCP 80'),
        // D: nothing outside any more.
      ],
      workloads: [A, B, C, D],
    };
    const compared = compareFlows(before, after);
    assert.deepEqual(brief(compared.flows), [
      `${A} -> 0.0.0.0-9.255.255.255[External]: TCP 80`,
      `${A} -> 10.0.0.0-10.255.255.255[External]: ${ALL} [changed] (was TCP 80)`,
      `${A} -> 11.0.0.0-255.255.255.255[External]: TCP 80`,
      `${B} -> ${EVERYWHERE}: TCP 443 [added]`,
      `${C} -> ${EVERYWHERE}: TCP 80 [changed] (was 0.0.0.0-9.255.255.255: No Connections; 11.0.0.0-255.255.255.255: No Connections)`,
      `${D} -> ${TEN}: TCP 80 [removed]`,
    ]);
  });

  it('names the workloads only one version has', () => {
    const compared = compareFlows({ flows: [flow(A, B, ALL)], workloads: [A, B] }, { flows: [flow(A, C, ALL)], workloads: [A, C] });
    assert.deepEqual([...compared.addedWorkloads], [C]);
    assert.deepEqual([...compared.removedWorkloads], [B]);
  });
});

describe('the network map compared with a baseline', () => {
  const baselineOf = (text: string) => {
    const { flows, workloads } = analyzeFlows(shopWorkspace(text).analyze().model);
    return { ok: true as const, revision: 'HEAD', commit: '0123abcd', version: { flows, workloads } };
  };

  it('draws the added edge as added, the removed one as removed, the rest unchanged, and counts them', async () => {
    const data = await networkMap(shopWorkspace(SHOP_DB_FROM_WEB), undefined, undefined, undefined, baselineOf(SHOP));
    assert.deepEqual(data.comparison, { revision: 'HEAD', commit: '0123abcd', added: 1, removed: 1, changed: 0 });
    const graph = data.policyGraph!;
    assert.deepEqual(graph.changes, { added: 1, removed: 1, changed: 0 });
    const outside = EVERYWHERE;
    assert.deepEqual(edges(graph), [
      `${outside} -> shop/web[Deployment]: TCP 8080`,
      'shop/api[Deployment] -> shop/db[StatefulSet]: TCP 5432 [removed]',
      `shop/api[Deployment] -> ${outside}: ${ALL}`,
      `shop/db[StatefulSet] -> ${outside}: ${ALL}`,
      'shop/web[Deployment] -> shop/api[Deployment]: TCP 9090',
      'shop/web[Deployment] -> shop/db[StatefulSet]: TCP 5432 [added]',
      `shop/web[Deployment] -> ${outside}: ${ALL}`,
    ].sort());
    // The added edge reveals the policy that lets it in now; the removed one has none.
    const peer = new Map(graph.nodes.map((node) => [node.id, node.peer]));
    const added = graph.edges.find((e) => e.change === 'added')!;
    const removed = graph.edges.find((e) => e.change === 'removed')!;
    assert.equal(peer.get(added.to), 'shop/db[StatefulSet]');
    assert.ok(added.source, 'the added edge has the policy that allows it');
    assert.equal(removed.source, undefined);
    // The rule that allows the added edge, as explain names it, with the rule's range in the file; none for the removed one.
    assert.deepEqual(added.allowedBy?.map((rule) => `${rule.direction} ${rule.text}`), ['ingress [NP] shop/db-from-api // Ingress rule #1']);
    const ruleLine = SHOP_DB_FROM_WEB.split('\n').findIndex((line, i, lines) => line.trim() === '- from:' && lines.slice(0, i).some((l) => l === '  name: db-from-api'));
    assert.equal(added.allowedBy![0]!.source?.range.start.line, ruleLine);
    assert.equal(removed.allowedBy, undefined);
    // An edge nothing restricts on either side names no rule: egress to the outside is the system default here.
    const toOutside = graph.edges.find((e) => peer.get(e.from) === 'shop/web[Deployment]' && peer.get(e.to) === EVERYWHERE)!;
    assert.equal(toOutside.allowedBy, undefined);
    const webToApi = graph.edges.find((e) => peer.get(e.from) === 'shop/web[Deployment]' && peer.get(e.to) === 'shop/api[Deployment]')!;
    assert.deepEqual(webToApi.allowedBy?.map((rule) => rule.text), ['[NP] shop/api-from-web // Ingress rule #1']);
    // Every edge is laid out, the removed one too.
    for (const edge of graph.edges) assert.ok(edge.points.length >= 2, edge.id);
  });

  it('marks a changed edge with the connections it had, and a workload only one version has', async () => {
    const wider = SHOP_DB_FROM_WEB.replace('ports: [{ protocol: TCP, port: 5432 }]', 'ports: [{ protocol: TCP, port: 5432 }, { protocol: TCP, port: 5433 }]');
    const data = await networkMap(shopWorkspace(wider), undefined, undefined, undefined, baselineOf(SHOP_DB_FROM_WEB));
    assert.deepEqual(edges(data.policyGraph!).filter((e) => /\[(added|removed|changed)\]/.test(e)), ['shop/web[Deployment] -> shop/db[StatefulSet]: TCP 5432-5433 [changed] (was TCP 5432)']);
    const cache = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
  namespace: shop
spec:
  selector:
    matchLabels: { app: cache }
  template:
    metadata:
      labels: { app: cache }
    spec:
      containers: [{ name: cache, image: redis }]
`;
    const withCache = await networkMap(shopWorkspace(SHOP + cache), undefined, undefined, undefined, baselineOf(SHOP));
    const node = withCache.policyGraph!.nodes.find((n) => n.peer === 'shop/cache[Deployment]');
    assert.equal(node?.change, 'added');
    assert.ok(withCache.policyGraph!.nodes.filter((n) => n.peer !== 'shop/cache[Deployment]').every((n) => n.change === undefined));
    const without = await networkMap(shopWorkspace(SHOP), undefined, undefined, undefined, baselineOf(SHOP + cache));
    assert.equal(without.policyGraph!.nodes.find((n) => n.peer === 'shop/cache[Deployment]')?.change, 'removed');
  });

  it('still draws what was removed when no workload is left', async () => {
    const data = await networkMap(shopWorkspace('# emptied\n'), undefined, undefined, undefined, baselineOf(SHOP));
    assert.ok(data.policyGraph);
    assert.ok(data.policyGraph.edges.length > 0 && data.policyGraph.edges.every((e) => e.change === 'removed'));
    assert.equal(data.comparison?.removed, data.policyGraph.edges.length);
  });

  it('passes a failed baseline on as the comparison error, with the graph as it is now', async () => {
    const data = await networkMap(shopWorkspace(SHOP), undefined, undefined, undefined, { ok: false, revision: 'HEAD', error: 'no repository here' });
    assert.deepEqual(data.comparison, { revision: 'HEAD', error: 'no repository here', added: 0, removed: 0, changed: 0 });
    assert.ok(data.policyGraph!.edges.length > 0 && data.policyGraph!.edges.every((e) => e.change === undefined));
    assert.equal(data.policyGraph!.changes, undefined);
  });

  it('has no comparison unless asked', async () => {
    const data = await networkMap(shopWorkspace(SHOP));
    assert.equal(data.comparison, undefined);
    assert.equal(data.policyGraph!.changes, undefined);
  });
});

describe('GitBaseline: HEAD of the workspace folders', () => {
  let root: string;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'netlens-git-baseline-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("reads HEAD's flows (not the working tree's), and again after a new commit", async () => {
    const repo = path.join(root, 'repo');
    mkdirSync(path.join(repo, 'shop'), { recursive: true });
    writeFileSync(path.join(repo, 'shop', 'policies.yaml'), SHOP);
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'shop');
    writeFileSync(path.join(repo, 'shop', 'policies.yaml'), SHOP_DB_FROM_WEB);
    const baseline = new GitBaseline();
    const first = await baseline.read([repo]);
    assert.ok(first.ok, first.ok ? '' : first.error);
    assert.equal(first.commit, git(repo, 'rev-parse', 'HEAD').trim().slice(0, 8));
    assert.ok(first.version.flows.some((f) => f.src === 'shop/api[Deployment]' && f.dst === 'shop/db[StatefulSet]'));
    assert.ok(!first.version.flows.some((f) => f.src === 'shop/web[Deployment]' && f.dst === 'shop/db[StatefulSet]'));
    // The working tree as the workspace holds it, compared with HEAD: web -> db added, api -> db removed.
    const workspace = new Workspace();
    workspace.setFile(pathToFileURL(path.join(repo, 'shop', 'policies.yaml')).href, SHOP_DB_FROM_WEB);
    const data = await networkMap(workspace, undefined, undefined, undefined, first);
    assert.deepEqual([data.comparison?.added, data.comparison?.removed, data.comparison?.changed], [1, 1, 0]);
    // Committed: HEAD names another commit, read anew, and nothing differs any more.
    git(repo, 'commit', '-q', '-am', 'db from web');
    const second = await baseline.read([repo]);
    assert.ok(second.ok && second.commit !== first.commit);
    const again = await networkMap(workspace, undefined, undefined, undefined, second);
    assert.deepEqual([again.comparison?.added, again.comparison?.removed, again.comparison?.changed], [0, 0, 0]);
  });

  it('says so when a folder is not in a git repository, or its repository has no commit yet', async () => {
    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    const outside = await new GitBaseline().read([plain]);
    assert.equal(outside.ok, false);
    assert.match(outside.ok ? '' : outside.error, /is not in a git repository, so there is no HEAD to compare/);
    const fresh = path.join(root, 'fresh');
    mkdirSync(fresh);
    git(fresh, 'init', '-q');
    const empty = await new GitBaseline().read([fresh]);
    assert.match(empty.ok ? '' : empty.error, /has no commit yet/);
    const none = await new GitBaseline().read([]);
    assert.match(none.ok ? '' : none.error, /^Open a folder on disk/);
  });

  it('says so when git cannot be started', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(root, 'no-such-bin');
    try {
      const missing = await new GitBaseline().read([root]);
      assert.equal(missing.ok, false);
      assert.match(missing.ok ? '' : missing.error, /git was not found/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
