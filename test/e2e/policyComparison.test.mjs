// Compare Policies with HEAD in a real editor: the packaged .vsix in code-server (VS Code 1.139), driven by headless
// Chromium, on a copy of examples/ made a git repository whose HEAD holds the shop's policies
// (test/fixtures/network-map/shop.yaml). Editing db-from-api so that web may reach db (unsaved) and running the command
// draws web -> db in the "added" colour and api -> db in the "removed" one; hovering the added edge shows its details
// with the rule that allows it (db-from-api's ingress rule #1), and hovering that rule in the editor names the connection;
// a commit moves HEAD and the colours go; outside a git repository the command says why it cannot compare.
// Screenshots go to test-results/e2e/<run>/. The scenarios share one window and run in order.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { REPO, Run, scenarios, VSIX, waitFor } from './harness.mjs';

const POLICIES = 'shop/policies.yaml';
const SHOP = readFileSync(path.join(REPO, 'test', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
/** The line of db-from-api's peer selector ("            matchLabels: { app: api }"), 1-based, and the column of "api". */
const DB_PEER_LINE = SHOP.split('\n').findIndex((line, i, lines) => /^\s+matchLabels: \{ app: api \}$/.test(line) && lines.slice(0, i).some((l) => l === '  name: db-from-api')) + 1;
const DB_PEER_COLUMN = SHOP.split('\n')[DB_PEER_LINE - 1].indexOf('api }') + 1;
const WEB = 'shop/web[Deployment]';
const API = 'shop/api[Deployment]';
const DB = 'shop/db[StatefulSet]';

describe('Compare Policies with HEAD in code-server (packaged .vsix)', () => {
  /** @type {Run} */
  let run;
  let ws;
  const scenario = scenarios(() => run);
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  /** The webview's document: the panel iframe, then VS Code's inner frame that holds our HTML. */
  const map = () => run.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const graph = () => map().locator('g.policy-graph');
  const edge = (from, to) => graph().locator(`g.flow-edge[data-from-peer="${from}"][data-to-peer="${to}"]`);

  /** The edges of the graph as "from => to : ports [change]", sorted. */
  const drawnEdges = () =>
    graph()
      .locator('g.flow-edge')
      .evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-from-peer')} => ${g.getAttribute('data-to-peer')} : ${g.getAttribute('data-ports')}${g.getAttribute('data-change') ? ` [${g.getAttribute('data-change')}]` : ''}`).sort())
      .catch(() => []);

  /** The computed stroke and dash of an edge's line, and the theme colour a CSS variable resolves to in the webview. */
  const strokeAgainst = (locator, variable) =>
    locator.locator('.edge-line').evaluate((line, name) => {
      const probe = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      probe.style.fill = `var(${name})`;
      line.ownerSVGElement.appendChild(probe);
      const theme = getComputedStyle(probe).fill;
      probe.remove();
      const style = getComputedStyle(line);
      return { stroke: style.stroke, dash: style.strokeDasharray, theme };
    }, variable);

  before(async () => {
    run = new Run('policy-compare');
    run.installExtension(VSIX);
    ws = run.ws = run.workspace();
    mkdirSync(path.join(ws, 'shop'), { recursive: true });
    writeFileSync(path.join(ws, POLICIES), SHOP);
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'examples and the shop');
    await run.startCodeServer({ folder: ws });
    await run.launchBrowser();
    await run.openWorkbench(ws);
  });

  after(async () => {
    await run?.close();
  });

  scenario('1. an unsaved edit opens web -> db: the command draws it in the added colour, api -> db as removed, the rest unchanged', async () => {
    await run.openFile(POLICIES);
    // The extension is active and its server has scanned the workspace once the status bar item shows counts.
    let item = '';
    await waitFor(
      async () => {
        item = await run.page.locator('.statusbar-item').filter({ hasText: /^AKS/ }).first().innerText().catch(() => '');
        return /^AKS\s.*\d/.test(item.replace(/\s+/g, ' '));
      },
      { timeoutMs: 45_000, message: () => `the AKS Network Lens status bar item with counts; it shows ${JSON.stringify(item)}` },
    );
    await run.goTo(DB_PEER_LINE);
    assert.match((await run.lineText(DB_PEER_LINE)) ?? '', /matchLabels: \{ app: api \}/);
    await run.replaceAt(DB_PEER_LINE, DB_PEER_COLUMN, 3, 'web');
    await waitFor(async () => /matchLabels: \{ app: web \}/.test((await run.lineText(DB_PEER_LINE)) ?? ''), { timeoutMs: 10_000, message: 'the edit in the editor' });
    await run.command('AKS Network Lens: Compare Policies with HEAD');
    let edges = [];
    await waitFor(
      async () => {
        edges = await drawnEdges();
        return edges.some((e) => e.endsWith('[added]'));
      },
      { timeoutMs: 45_000, message: () => `an added edge in the policy graph; it shows ${JSON.stringify(edges)}` },
    );
    // The command shows the policy graph's view whichever view the map was on.
    assert.equal(await map().locator('[role="tab"][data-view="policies"]').getAttribute('aria-selected'), 'true');
    const outside = '0.0.0.0-255.255.255.255[External]';
    assert.deepEqual(edges, [
      `${outside} => ${WEB} : TCP 8080`,
      `${API} => ${outside} : All Connections`,
      `${API} => ${DB} : TCP 5432 [removed]`,
      `${DB} => ${outside} : All Connections`,
      `${WEB} => ${outside} : All Connections`,
      `${WEB} => ${API} : TCP 9090`,
      `${WEB} => ${DB} : TCP 5432 [added]`,
    ]);
    // The added edge in git's "added" colour of the theme, the removed one in the "deleted" colour and dashed.
    const added = await strokeAgainst(edge(WEB, DB), '--vscode-gitDecoration-addedResourceForeground');
    assert.ok(added.theme && added.theme !== 'none', JSON.stringify(added));
    assert.equal(added.stroke, added.theme);
    assert.equal(added.dash, 'none');
    const removed = await strokeAgainst(edge(API, DB), '--vscode-gitDecoration-deletedResourceForeground');
    assert.equal(removed.stroke, removed.theme);
    assert.notEqual(removed.dash, 'none');
    assert.notEqual(removed.stroke, added.stroke);
    const unchanged = await strokeAgainst(edge(WEB, API), '--vscode-gitDecoration-addedResourceForeground');
    assert.notEqual(unchanged.stroke, unchanged.theme);
    assert.match(await edge(WEB, DB).getAttribute('class'), /\bflow-edge\b.*\badded\b/);
    // The legend with the counts, and the status line naming the commit.
    const legend = await graph().locator('g.change-legend .legend-item').evaluateAll((gs) => gs.map((g) => g.textContent));
    assert.deepEqual(legend, ['added (1)', 'removed (1)', 'changed (0)', 'unchanged']);
    const head = git('rev-parse', 'HEAD').trim().slice(0, 8);
    assert.equal(await map().locator('#status').textContent(), `Compared with HEAD (${head}): 1 added, 1 removed, 0 changed.`);
    assert.equal(await map().locator('#compare').textContent(), 'Stop comparing');
    await graph().scrollIntoViewIfNeeded();
    await run.restMouse();
    const file = path.join(run.artifacts, 'policy-compare-added.png');
    await run.page.locator('iframe.webview.ready').screenshot({ path: file });
    run.log(`screenshot ${path.relative(process.cwd(), file)}`);
  });

  scenario('2. hovering the added edge shows its details beside it: added, and the rule that allows it', async () => {
    const details = map().locator('#details');
    let text = '';
    await waitFor(
      async () => {
        await edge(WEB, DB).locator('.edge-label-bg').hover();
        text = (await details.isVisible()) ? await details.innerText() : '';
        return /Added since the compared revision/.test(text);
      },
      { timeoutMs: 15_000, message: () => `the details of web -> db on hover; they show ${JSON.stringify(text)}` },
    );
    assert.match(text, /web \[Deployment\] \u2192 db \[StatefulSet\]: TCP 5432/);
    // The rule that allows it, as `netlens flows --explain` names it.
    assert.match(text, /Allowed by \[NP\] shop\/db-from-api \/\/ Ingress rule #1/);
    await run.screenshot('hover-added-edge');
    // Away from the edge, the details go.
    await edge(WEB, API).locator('.edge-label-bg').hover();
    await waitFor(async () => !/Added since/.test(await details.innerText().catch(() => '')), { timeoutMs: 10_000, message: 'the details to follow the pointer' });
    await run.restMouse();
  });

  scenario('2b. hovering the edited rule in the editor names it and the connection it allows now', async () => {
    await run.goTo(DB_PEER_LINE);
    const text = await run.hover('protocol: TCP, port: 5432', { at: '5432', expect: 'Ingress rule #1' });
    assert.match(text, /Ingress rule #1 of NetworkPolicy shop\/db-from-api/);
    assert.match(text, /shop\/web\[Deployment\] \u2192 shop\/db\[StatefulSet\]: TCP 5432/);
    assert.doesNotMatch(text, /shop\/api\[Deployment\] \u2192 shop\/db/);
    await run.screenshot('hover-rule');
    await run.restMouse();
  });

  scenario('3. saved and committed: HEAD moves, and nothing is coloured any more', async () => {
    // The keyboard back to the editor (a click on its tab), then save.
    await run.page.locator('.part.editor .tabs-container .tab').filter({ hasText: 'policies.yaml' }).first().click();
    await run.page.keyboard.press('Control+S');
    await waitFor(() => /app: web \}/.test(readFileSync(path.join(ws, POLICIES), 'utf8').split('\n')[DB_PEER_LINE - 1]), { timeoutMs: 15_000, message: 'the edit saved to disk' });
    git('commit', '-q', '-am', 'db from web');
    const head = git('rev-parse', 'HEAD').trim().slice(0, 8);
    let status = '';
    await waitFor(
      async () => {
        status = (await map().locator('#status').textContent().catch(() => '')) ?? '';
        return status === `Compared with HEAD (${head}): 0 added, 0 removed, 0 changed.`;
      },
      { timeoutMs: 30_000, message: () => `the comparison with the new HEAD ${head}; the status shows ${JSON.stringify(status)}` },
    );
    assert.deepEqual((await drawnEdges()).filter((e) => /\[(added|removed|changed)\]$/.test(e)), []);
    assert.ok((await drawnEdges()).includes(`${WEB} => ${DB} : TCP 5432`));
    // Stop comparing: the button turns the comparison off.
    await map().locator('#compare').click();
    await waitFor(async () => (await map().locator('#compare').textContent()) === 'Compare with HEAD', { timeoutMs: 15_000, message: 'the comparison turned off' });
    assert.equal(await graph().locator('g.change-legend').count(), 0);
  });

  scenario('4. outside a git repository the command says why it cannot compare', async () => {
    rmSync(path.join(ws, '.git'), { recursive: true, force: true });
    await run.openFile(POLICIES);
    await run.command('AKS Network Lens: Compare Policies with HEAD');
    let notes = [];
    await waitFor(
      async () => {
        notes = await run.notifications();
        return notes.some((n) => /cannot compare policies with HEAD\. .* is not in a git repository, so there is no HEAD to compare its policies with\./.test(n));
      },
      { timeoutMs: 30_000, message: () => `a message that the folder is not in a git repository; notifications: ${JSON.stringify(notes)}` },
    );
    // The map says it too (its update may arrive just after the message).
    let status = '';
    await waitFor(
      async () => {
        status = (await map().locator('#status').textContent().catch(() => '')) ?? '';
        return /^Not compared with HEAD: .* is not in a git repository/.test(status);
      },
      { timeoutMs: 15_000, message: () => `the map's status to say why; it shows ${JSON.stringify(status)}` },
    );
    await run.screenshot('not-a-git-repository');
  });
});
