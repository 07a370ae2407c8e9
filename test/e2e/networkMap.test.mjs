// The network map webview in a real editor: the packaged .vsix in code-server (VS Code 1.139), driven by
// headless Chromium. The command draws the example workspace's address space; blocks reveal their source
// by click and by keyboard; the map follows edits; the SVG export is saved; labels from user files render
// as text and run nothing. Screenshots of the light and dark themes go to test-results/e2e/<run>/.
// The tests share one window and run in order. Webview content sits in two nested iframes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { REPO, Run, scenarios, waitFor } from './harness.mjs';

const STAGING = 'staging/network.yaml';
const OVERLAP_LINE = 34; // "  addressPrefix: 10.10.8.0/24     # mistake: inside staging-nodes"
const DB_LINE = 54; // "  addressPrefix: 10.10.32.5/24    # mistake: host bits set"
const NODES_LINE = 24; // "  addressPrefix: 10.10.0.0/20"
/** The subnets of examples/staging/network.yaml as the map must label them (host bits cleared). */
const STAGING_SUBNETS = {
  'staging-nodes': '10.10.0.0/20',
  'staging-ingress': '10.10.8.0/24',
  'staging-bastion': '10.11.0.0/26',
  'staging-db': '10.10.32.0/24',
};
const XSS_VNET = '<img src=x onerror="window.__xss=1;alert(1)">';
const XSS_SUBNET = '"><svg onload="window.__xss=2;alert(2)">';
const XSS_YAML_VNET = 'x" onmouseover="window.__xss=3" a="<img src=x onerror=window.__xss=4 b=';

describe('network map webview in code-server (packaged .vsix)', () => {
  /** @type {Run} */
  let run;
  let ws;
  const dialogs = [];
  const cspReports = [];

  const scenario = scenarios(() => run);

  /** The webview's document: the panel iframe, then VS Code's inner frame that holds our HTML. */
  const map = () => run.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');


  /** "Ln 34, Col 30 (12 selected)" from the status bar. */
  const cursorStatus = () =>
    run.page
      .locator('.statusbar-item')
      .filter({ hasText: /^Ln \d+, Col \d+/ })
      .first()
      .innerText()
      .catch(() => '');

  const waitForCursor = async (re, what) => {
    let status = '';
    await waitFor(
      async () => {
        status = await cursorStatus();
        return re.test(status);
      },
      { timeoutMs: 15_000, message: () => `${what}; the status bar shows ${JSON.stringify(status)}` },
    );
  };

  /** The theme's error colour as the webview resolves it, and the computed stroke of a selector's frame. */
  const strokeAndErrorColour = (selector) =>
    map()
      .locator(selector)
      .first()
      .evaluate((frame) => {
        const probe = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
        probe.style.fill = 'var(--vscode-errorForeground)';
        frame.ownerSVGElement.appendChild(probe);
        const error = getComputedStyle(probe).fill;
        probe.remove();
        return { stroke: getComputedStyle(frame).stroke, error };
      });

  /** Scrolls a part of the map into view; the map redraws when diagnostics change, so a detached element is found again. */
  const scrollTo = async (locator) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await locator.scrollIntoViewIfNeeded({ timeout: 10_000 });
        return;
      } catch (error) {
        if (attempt === 3 || !/not attached/i.test(String(error))) throw error;
      }
    }
  };

  /** Clicks an export button and accepts the file the save dialog proposes in the workspace folder; returns its path. */
  const exportThroughDialog = async (button, file) => {
    await map().locator(`#${button}`).click();
    const input = run.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    const target = path.join(ws, file);
    let proposed = '';
    await waitFor(
      async () => {
        proposed = await input.inputValue().catch(() => '');
        return proposed.endsWith(`/workspace/${file}`);
      },
      { timeoutMs: 10_000, message: () => `the save dialog to propose ${file}; it shows ${JSON.stringify(proposed)}` },
    );
    await run.page.waitForTimeout(300); // the simple dialog settles its completion before it takes Enter
    await run.page.keyboard.press('Enter');
    // Created first, written after: wait for the content, not only the name (an empty PNG was read under load).
    await waitFor(() => existsSync(target) && statSync(target).size > 0, { timeoutMs: 15_000, message: `${target} to be written` });
    return target;
  };

  /** Shows one of the map's views by its tab; the tab says it is selected. */
  const showView = async (view) => {
    const tab = map().locator(`[role="tab"][data-view="${view}"]`);
    await tab.click();
    await waitFor(async () => (await tab.getAttribute('aria-selected')) === 'true', { timeoutMs: 10_000, message: `the ${view} tab to be selected` });
  };

  /** Gives the keyboard back to the workbench: keys pressed while the webview has focus stay in the webview. */
  const focusFirstEditor = () => run.page.locator('.part.editor .editor-group-container').first().locator('.tabs-container .tab').first().click();

  const saveMapScreenshots = async (name) => {
    await run.screenshot(`${name}-workbench`);
    const file = path.join(run.artifacts, `${name}.png`);
    await run.page.locator('iframe.webview.ready').screenshot({ path: file });
    run.log(`screenshot ${path.relative(process.cwd(), file)}`);
  };

  before(async () => {
    run = await Run.open('network-map', {
      settings: { 'workbench.colorTheme': 'Default Light Modern' },
      beforeWorkbench: (opened) => {
        opened.page.on('dialog', (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss().catch(() => {});
        });
        opened.onConsole = (text) => {
          if (/Content.Security.Policy|Refused to/i.test(text)) cspReports.push(text);
        };
      },
    });
    ws = run.ws;
  });

  after(async () => {
    await run?.close();
  });

  scenario('1. the command draws a block per subnet of staging/network.yaml with its CIDR, and the overlap in the error colour', async () => {
    await run.openFile(STAGING);
    await run.waitForProblem({ file: STAGING, code: 'subnet-overlap', line: OVERLAP_LINE });
    await run.command('AKS Network Lens: Show Network Map');
    const staging = map().locator('g.vnet[data-name="staging-vnet"]');
    await staging.locator('g.subnet').first().waitFor({ timeout: 30_000 });

    // Every subnet the file declares, and no other, with its CIDR in the label.
    const declared = [...readFileSync(path.join(ws, STAGING), 'utf8').matchAll(/kind: VirtualNetworksSubnet\nmetadata:\n  name: (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(declared.sort(), Object.keys(STAGING_SUBNETS).sort());
    const blocks = await staging.locator('g.subnet').evaluateAll((gs) =>
      gs.map((g) => ({
        name: g.getAttribute('data-name'),
        cidr: g.getAttribute('data-cidr'),
        label: g.querySelector('.block-cidr').textContent,
        title: g.querySelector('.block-name').textContent,
        classes: g.getAttribute('class'),
        tabindex: g.getAttribute('tabindex'),
      })),
    );
    assert.deepEqual(Object.fromEntries(blocks.map((b) => [b.name, b.cidr])), STAGING_SUBNETS);
    for (const block of blocks) {
      assert.ok(block.label.startsWith(`${STAGING_SUBNETS[block.name]}`), `label of ${block.name}: ${block.label}`);
      assert.equal(block.title, block.name);
      assert.equal(block.tabindex, '0', `${block.name} is reachable by keyboard`);
    }
    const byName = Object.fromEntries(blocks.map((b) => [b.name, b]));
    assert.match(byName['staging-nodes'].classes, /\boverlapping\b/);
    assert.match(byName['staging-ingress'].classes, /\boverlapping\b/);
    assert.doesNotMatch(byName['staging-db'].classes, /\boverlapping\b/);
    assert.match(byName['staging-bastion'].classes, /\boutside\b/, 'the subnet outside the address space is drawn apart');
    const dbTooltip = await staging.locator('g.subnet[data-name="staging-db"] > title').textContent();
    assert.match(dbTooltip, /^Subnet staging-db\n10\.10\.32\.0\/24 \(written 10\.10\.32\.5\/24\)/);

    // The overlap: its own block over both subnets, labelled, stroked in the theme's error colour.
    const overlap = staging.locator('g.overlap[data-a-name="staging-nodes"][data-b-name="staging-ingress"]');
    assert.equal(await overlap.count(), 1);
    assert.equal(await overlap.getAttribute('data-cidr'), '10.10.8.0/24');
    assert.equal((await overlap.locator('.overlap-label').textContent()).replace(/\u2026$/, ''), 'overlap 10.10.8.0/24');
    const colours = await strokeAndErrorColour('g.vnet[data-name="staging-vnet"] g.overlap .frame');
    assert.equal(colours.stroke, colours.error, 'overlap stroke is --vscode-errorForeground');
    const ingressColours = await strokeAndErrorColour('g.vnet[data-name="staging-vnet"] g.subnet[data-name="staging-ingress"] .frame');
    assert.equal(ingressColours.stroke, ingressColours.error);

    // Free space labelled with the largest aligned block; pod and service ranges of the cluster apart.
    assert.equal(await staging.locator('g.gap[data-largest="10.10.128.0/17"] .gap-text').textContent(), 'free: 10.10.128.0/17');
    assert.equal(await staging.locator('g.gap[data-largest="10.10.16.0/20"]').count(), 1);
    const ranges = await map()
      .locator('g.cluster[data-name="aks-staging"] g.cluster-range')
      .evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-kind')} ${g.getAttribute('data-cidr')}`));
    assert.deepEqual(ranges, ['pods 172.16.0.0/12', 'services 10.10.64.0/18']);
    await saveMapScreenshots('network-map-light');
  });

  scenario('2. clicking a block and pressing Enter on a focused block reveal the CIDR in the editor', async () => {
    await run.goTo(1);
    await map().locator('g.subnet[data-name="staging-db"]').click();
    await waitForCursor(new RegExp(`^Ln ${DB_LINE}, Col \\d+ \\(13 selected\\)`), `the editor to select 10.10.32.5/24 on line ${DB_LINE}`);
    // The breadcrumbs render a moment after the selection: wait for them rather than read them once.
    await waitFor(async () => (await run.breadcrumbs()) === STAGING, { timeoutMs: 10_000, message: () => `the breadcrumbs to show ${STAGING}` });

    await map().locator('g.vnet[data-name="staging-vnet"] g.overlap').click();
    await waitForCursor(new RegExp(`^Ln ${OVERLAP_LINE}, Col \\d+ \\(12 selected\\)`), `the overlap to reveal 10.10.8.0/24 on line ${OVERLAP_LINE}`);

    const nodes = map().locator('g.subnet[data-name="staging-nodes"]');
    await nodes.focus();
    await nodes.press('Enter');
    await waitForCursor(new RegExp(`^Ln ${NODES_LINE}, Col \\d+ \\(12 selected\\)`), `Enter on staging-nodes to reveal line ${NODES_LINE}`);
  });

  scenario('3. the map follows an edit: a non-overlapping prefix moves the block and the overlap goes', async () => {
    await focusFirstEditor();
    const column = readFileSync(path.join(ws, STAGING), 'utf8').split('\n')[OVERLAP_LINE - 1].indexOf('10.10.8.0/24') + 1;
    await run.replaceAt(OVERLAP_LINE, column, '10.10.8.0/24'.length, '10.10.16.0/24');
    const ingress = map().locator('g.vnet[data-name="staging-vnet"] g.subnet[data-name="staging-ingress"]');
    await waitFor(async () => (await ingress.getAttribute('data-cidr').catch(() => null)) === '10.10.16.0/24', {
      timeoutMs: 15_000,
      message: 'the staging-ingress block to show 10.10.16.0/24',
    });
    await waitFor(async () => (await map().locator('g.vnet[data-name="staging-vnet"] g.overlap').count()) === 0, { timeoutMs: 10_000, message: 'the overlap to go' });
    await run.screenshot('map-after-edit');
    // Back to the file as written, for the next scenarios.
    for (let i = 0; i < 5 && !/10\.10\.8\.0\/24/.test(await run.lineText(OVERLAP_LINE)); i++) await run.page.keyboard.press('Control+Z');
    assert.match(await run.lineText(OVERLAP_LINE), /addressPrefix: 10\.10\.8\.0\/24\b/);
    await waitFor(async () => (await map().locator('g.vnet[data-name="staging-vnet"] g.overlap').count()) === 1, { timeoutMs: 15_000, message: 'the overlap to come back after undo' });
  });

  scenario('4. Export SVG saves a standalone SVG of the map through the save dialog', async () => {
    const svg = readFileSync(await exportThroughDialog('export-svg', 'network-map.svg'), 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /data-name="staging-ingress"/);
    assert.match(svg, />overlap 10\.10\.8\.0\/24</);
    assert.match(svg, /stroke="rgb\(/, 'theme colours are written into the file');
    assert.doesNotMatch(svg, /tabindex|<script|\son\w+=/i);
  });

  scenario('5. in the dark theme the map takes the dark colours', async () => {
    const lightBackground = await map().locator('svg .background').evaluate((r) => getComputedStyle(r).fill);
    // The theme comes from the run's user settings; the window is reloaded to read them, and the map opened again.
    run.writeUserSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
    await focusFirstEditor();
    await run.command('View: Close All Editor Groups');
    await run.command('Developer: Reload Window');
    await run.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 60_000 });
    await run.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await run.openFile(STAGING);
    await run.command('AKS Network Lens: Show Network Map');
    await map().locator('g.vnet[data-name="staging-vnet"] g.overlap').waitFor({ timeout: 30_000 });
    let darkBackground = lightBackground;
    await waitFor(
      async () => {
        darkBackground = await map().locator('svg .background').evaluate((r) => getComputedStyle(r).fill);
        return darkBackground !== lightBackground;
      },
      { timeoutMs: 15_000, message: () => `the map background to change from ${lightBackground}` },
    );
    const colours = await strokeAndErrorColour('g.vnet[data-name="staging-vnet"] g.overlap .frame');
    assert.equal(colours.stroke, colours.error);
    await run.restMouse();
    await saveMapScreenshots('network-map-dark');
  });

  scenario('6. hidden behind another editor and shown again, the map comes back with its zoom (webview state)', async () => {
    await map().locator('#zoom-in').click();
    await waitFor(async () => (await map().locator('#zoom-level').textContent()) === '150%', { timeoutMs: 5000, message: 'zoom 150%' });
    // The text editor moved over the map, into the map's group: the webview document is discarded.
    await focusFirstEditor();
    await run.command('View: Move Editor into Next Group');
    await waitFor(async () => (await run.page.locator('iframe.webview.ready').count()) === 0 || !(await run.page.locator('iframe.webview.ready').isVisible()), {
      timeoutMs: 10_000,
      message: 'the map to be hidden',
    });
    await run.page.locator('.tabs-container .tab').filter({ hasText: 'AKS Network Map' }).click();
    await map().locator('g.vnet[data-name="staging-vnet"] g.subnet').first().waitFor({ timeout: 15_000 });
    assert.equal(await map().locator('#zoom-level').textContent(), '150%');
    assert.equal(await map().locator('g.vnet[data-name="staging-vnet"] g.subnet').count(), 4);
    await map().locator('#zoom-out').click();
  });

  scenario('7. the NetworkPolicy graph shows the flows the policies allow, default deny, and reveals the allowing policy', async () => {
    const shop = readFileSync(path.join(REPO, 'test', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
    mkdirSync(path.join(ws, 'shop'), { recursive: true });
    writeFileSync(path.join(ws, 'shop', 'policies.yaml'), shop);
    await focusFirstEditor();
    await run.openFile('shop/policies.yaml');
    await run.command('AKS Network Lens: Show Network Map');
    await map().locator('g.vnet').first().waitFor({ timeout: 30_000 });
    // The tabs are the views the protocol names; only the one shown is drawn.
    assert.deepEqual(await map().locator('[role="tab"]').evaluateAll((ts) => ts.map((t) => `${t.dataset.view}:${t.textContent}`)), [
      'addresses:Address space',
      'policies:Policy graph',
      'paths:Traffic paths',
    ]);
    await showView('policies');
    const graph = map().locator('g.policy-graph');
    await graph.locator('g.flow-edge').first().waitFor({ timeout: 30_000 });
    assert.equal(await map().locator('g.vnet').count(), 0, 'the address space is not drawn behind the policy graph');
    const edges = await graph.locator('g.flow-edge').evaluateAll((gs) =>
      gs.map((g) => `${g.getAttribute('data-from-peer')} => ${g.getAttribute('data-to-peer')} : ${g.getAttribute('data-ports')}`).sort(),
    );
    const outside = '0.0.0.0-255.255.255.255[External]';
    assert.deepEqual(edges, [
      `${outside} => shop/web[Deployment] : TCP 8080`,
      `shop/api[Deployment] => ${outside} : All Connections`,
      'shop/api[Deployment] => shop/db[StatefulSet] : TCP 5432',
      `shop/db[StatefulSet] => ${outside} : All Connections`,
      `shop/web[Deployment] => ${outside} : All Connections`,
      'shop/web[Deployment] => shop/api[Deployment] : TCP 9090',
    ]);
    // Default deny for ingress on every shop workload: drawn as such.
    const nodes = await graph.locator('g.flow-node').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-peer'), g.getAttribute('class')]));
    for (const peer of ['shop/web[Deployment]', 'shop/api[Deployment]', 'shop/db[StatefulSet]']) {
      const found = nodes.find(([p]) => p === peer);
      assert.ok(found, `${peer} in ${JSON.stringify(nodes)}`);
      assert.match(found[1], /\bingress-isolated\b/);
      assert.doesNotMatch(found[1], /\begress-isolated\b/);
    }
    assert.equal(await graph.locator('g.ns-group[data-namespace="shop"]').count(), 1);
    await scrollTo(graph);
    await run.restMouse();
    const file = path.join(run.artifacts, 'network-map-flows.png');
    await run.page.locator('iframe.webview.ready').screenshot({ path: file });
    // The web -> api arrow reveals the policy that lets it in (api-from-web), not the default deny.
    await graph.locator('g.flow-edge[data-ports="TCP 9090"] .edge-label-bg').click();
    const policyLine = shop.split('\n').indexOf('  name: api-from-web') - 2; // its "apiVersion:" line, 1-based
    await waitForCursor(new RegExp(`^Ln ${policyLine}, Col 1\\b`), `the api-from-web policy (line ${policyLine}) to be revealed`);

    // The workload filter: only the flows to and from shop/web, then cleared again.
    const filter = map().locator('#filter');
    await filter.fill('shop/web');
    await filter.press('Enter');
    let filtered = [];
    await waitFor(
      async () => {
        filtered = await graph.locator('g.flow-edge').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-from-peer')} => ${g.getAttribute('data-to-peer')}`).sort());
        return filtered.length === 3;
      },
      { timeoutMs: 15_000, message: () => `the filtered graph; it shows ${JSON.stringify(filtered)}` },
    );
    assert.deepEqual(filtered, [`${outside} => shop/web[Deployment]`, `shop/web[Deployment] => ${outside}`, 'shop/web[Deployment] => shop/api[Deployment]']);
    assert.match(await graph.locator('g.graph-note text').textContent(), /^Filtered to 1 workload/);
    await filter.fill('');
    await filter.press('Enter');
    await waitFor(async () => (await graph.locator('g.flow-edge').count()) === 6, { timeoutMs: 15_000, message: 'the whole graph back' });
  });

  scenario('7b. the traffic paths show how traffic reaches the shop workloads and leaves each cluster, and reveal the Service', async () => {
    const exposure = `apiVersion: v1
kind: Service
metadata:
  name: web-internal
  namespace: shop
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 443, targetPort: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: storefront, namespace: shop }
spec:
  rules:
    - http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web-internal, port: { number: 443 } } } }
`;
    writeFileSync(path.join(ws, 'shop', 'exposure.yaml'), exposure);
    await focusFirstEditor();
    await run.openFile('shop/exposure.yaml');
    await run.command('AKS Network Lens: Show Network Map');
    await showView('paths');
    const ingress = map().locator('g.path-graph[data-title^="Ingress"]');
    await ingress.locator('g.path-edge[data-to="Service shop/web-internal"]').first().waitFor({ timeout: 30_000 });
    const hops = await ingress.locator('g.path-edge').evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-from')} -> ${g.getAttribute('data-to')} : ${g.getAttribute('data-text')}`).sort());
    for (const hop of [
      'VNet clients -> internal load balancer : TCP 443',
      'internal load balancer -> Service shop/web-internal : TCP 443',
      'Service shop/web-internal -> shop/web [Deployment] : port 8080',
      'Internet -> ingress controller : HTTP(S)',
      'Ingress shop/storefront -> Service shop/web-internal : port 443',
    ]) {
      assert.ok(hops.includes(hop), `${hop} in ${JSON.stringify(hops, null, 1)}`);
    }
    // Every cluster of the examples has an egress diagram; the staging cluster leaves through the load balancer.
    const egressTitles = await map().locator('g.path-graph[data-title^="Egress"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-title')));
    assert.ok(egressTitles.includes('Egress of cluster aks-staging'), JSON.stringify(egressTitles));
    const staging = map().locator('g.path-graph[data-title="Egress of cluster aks-staging"]');
    assert.equal(await staging.locator('g.path-node[data-kind="load-balancer"]').count(), 1);
    assert.equal(await staging.locator('g.path-node[data-kind="internet"]').count(), 1);
    // Zoomed out so a whole diagram fits the panel, for the screenshot; zoomed back after.
    await map().locator('#zoom-out').click();
    await scrollTo(ingress);
    await run.restMouse();
    await run.screenshot('network-map-paths-workbench');
    await run.page.locator('iframe.webview.ready').screenshot({ path: path.join(run.artifacts, 'network-map-paths.png') });
    await map().locator('#zoom-in').click();
    // The internal load balancer stop reveals the Service it belongs to.
    await ingress.locator('g.path-node[data-id="lb:s:shop/web-internal"] .frame').click();
    await waitForCursor(/^Ln 1, Col 1\b/, 'the web-internal Service (line 1) to be revealed');
  });

  scenario('7c. with two environments, the picker draws one at a time: its node subnet and cluster only, then both again', async () => {
    await focusFirstEditor();
    await run.openFile('environments/main.bicep');
    await run.command('AKS Network Lens: Show Network Map');
    await showView('addresses');
    const picker = map().locator('#environment');
    await picker.waitFor({ state: 'visible', timeout: 30_000 });
    const options = await picker.locator('option').evaluateAll((os) => os.map((o) => o.textContent));
    assert.deepEqual(options, ['All environments', 'dev.bicepparam', 'prod.bicepparam']);
    assert.equal(await picker.inputValue(), '', 'every environment by default');
    const shop = map().locator('g.vnet[data-name="vnet-shop"]');
    /** The node subnet blocks of vnet-shop and the aks-shop clusters' environments, as drawn. */
    const drawn = async () => ({
      subnets: (await shop.locator('g.subnet[data-name="aks-nodes"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-cidr'))).catch(() => [])).sort(),
      clusters: (await map().locator('g.cluster[data-name="aks-shop"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-environment'))).catch(() => [])).sort(),
    });
    const waitForDrawn = async (want, what) => {
      let shown;
      await waitFor(
        async () => {
          shown = await drawn();
          return JSON.stringify(shown) === JSON.stringify(want);
        },
        { timeoutMs: 20_000, message: () => `${what}: ${JSON.stringify(want)}; the map shows ${JSON.stringify(shown)}` },
      );
    };
    await waitForDrawn({ subnets: ['10.70.0.0/22', '10.70.0.0/26'], clusters: ['dev.bicepparam', 'prod.bicepparam'] }, 'both environments');

    await picker.selectOption({ label: 'dev.bicepparam' });
    await waitForDrawn({ subnets: ['10.70.0.0/26'], clusters: ['dev.bicepparam'] }, "dev's world");
    // dev's subnet is too small: (3 + 1) x 31 = 124 addresses needed of 59 usable, drawn with its finding.
    assert.match(await shop.locator('g.subnet[data-name="aks-nodes"] > title').textContent(), /required 124 of 59 usable[\s\S]*error subnet-capacity: Subnet aks-nodes/);
    await scrollTo(shop);
    await run.restMouse();
    await saveMapScreenshots('network-map-environment-dev');

    await picker.selectOption({ label: 'prod.bicepparam' });
    await waitForDrawn({ subnets: ['10.70.0.0/22'], clusters: ['prod.bicepparam'] }, "prod's world");
    await picker.selectOption({ label: 'All environments' });
    await waitForDrawn({ subnets: ['10.70.0.0/22', '10.70.0.0/26'], clusters: ['dev.bicepparam', 'prod.bicepparam'] }, 'both environments again');
  });

  scenario('7d. an egress hop the firewall policy denies is drawn in the error colour and reveals the policy on click', async () => {
    // firewall-missing-aks-egress's failing fixture: the spoke's default route goes to the hub firewall, whose policy
    // has no rule for the AKS egress (its firewallPolicy reference is on line 59).
    const fixture = readFileSync(path.join(REPO, 'test', 'fixtures', 'rules', 'firewall-missing-aks-egress', 'bad.bicep'), 'utf8');
    const policyLine = fixture.split('\n').findIndex((line) => line.includes('firewallPolicy: { id: policy.id }')) + 1;
    mkdirSync(path.join(ws, 'egress'), { recursive: true });
    writeFileSync(path.join(ws, 'egress', 'hub.bicep'), fixture);
    try {
      await focusFirstEditor();
      await run.openFile('egress/hub.bicep');
      await run.command('AKS Network Lens: Show Network Map');
      await showView('paths');
      const egress = map().locator('g.path-graph[data-title="Egress of cluster aks"]').first();
      const denied = egress.locator('g.path-edge[data-verdict="denied"]');
      await denied.first().waitFor({ timeout: 30_000 });
      assert.equal(await denied.count(), 1);
      assert.equal(await denied.getAttribute('data-from'), 'firewall fw-hub');
      assert.equal(await denied.getAttribute('data-to'), 'Internet');
      assert.match(await denied.locator('title').first().textContent(), /denied: firewall policy fw-policy allows neither the AzureKubernetesService FQDN tag/);
      const { stroke, error } = await strokeAndErrorColour('g.path-edge[data-verdict="denied"] .edge-line');
      assert.equal(stroke, error, 'the denied hop is drawn in the theme\'s error colour');
      await scrollTo(egress);
      await run.restMouse();
      await saveMapScreenshots('network-map-egress-denied');
      await denied.locator('.edge-label-bg').click();
      await waitForCursor(new RegExp(`^Ln ${policyLine}, Col \\d+`), `the firewall policy reference (line ${policyLine}) to be revealed`);
    } finally {
      rmSync(path.join(ws, 'egress'), { recursive: true, force: true });
    }
  });

  scenario('8. names with markup from user files render as text and run nothing', async () => {
    mkdirSync(path.join(ws, 'xss'), { recursive: true });
    writeFileSync(
      path.join(ws, 'xss', 'network.bicep'),
      `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: '${XSS_VNET}'
  location: 'westeurope'
  properties: {
    addressSpace: { addressPrefixes: [ '10.77.0.0/16' ] }
    subnets: [
      { name: '${XSS_SUBNET}', properties: { addressPrefix: '10.77.1.0/24' } }
    ]
  }
}
`,
    );
    writeFileSync(
      path.join(ws, 'xss', 'network.yaml'),
      `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: '${XSS_YAML_VNET}'
spec:
  addressSpace:
    addressPrefixes: [10.78.0.0/16]
`,
    );
    await focusFirstEditor();
    // Both opened: a file in a new folder may reach the server late through the file watcher.
    await run.openFile('xss/network.yaml');
    await run.openFile('xss/network.bicep');
    await run.command('AKS Network Lens: Show Network Map'); // beside the file again
    await showView('addresses');
    let shown = [];
    await waitFor(
      async () => {
        shown = await map().locator('g.vnet').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-name')));
        return shown.includes(XSS_VNET) && shown.includes(XSS_YAML_VNET);
      },
      { timeoutMs: 30_000, message: () => `the XSS VNets in the map; it shows ${JSON.stringify(shown)}` },
    );

    const rendered = await map()
      .locator('body')
      .evaluate((body, payloads) => {
        const vnet = [...document.querySelectorAll('g.vnet')].find((g) => g.getAttribute('data-name') === payloads.vnet);
        const subnet = vnet.querySelector('g.subnet');
        return {
          vnetTitle: vnet.querySelector('.vnet-header > title').textContent,
          subnetName: subnet.getAttribute('data-name'),
          subnetTooltip: subnet.querySelector(':scope > title').textContent,
          yamlTitle: [...document.querySelectorAll('g.vnet')].find((g) => g.getAttribute('data-name') === payloads.yaml)?.querySelector('.vnet-header > title')?.textContent,
          images: body.querySelectorAll('img').length,
          nestedSvgs: body.querySelectorAll('svg svg').length,
          handlers: [...body.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
          xss: window.__xss,
        };
      }, { vnet: XSS_VNET, yaml: XSS_YAML_VNET });
    assert.match(rendered.vnetTitle, /^Virtual network <img src=x onerror="window\.__xss=1;alert\(1\)">/);
    assert.equal(rendered.subnetName, XSS_SUBNET);
    assert.ok(rendered.subnetTooltip.startsWith(`Subnet ${XSS_SUBNET}\n`), rendered.subnetTooltip);
    assert.ok(rendered.yamlTitle?.startsWith(`Virtual network ${XSS_YAML_VNET}`), rendered.yamlTitle);
    assert.equal(rendered.images, 0, 'no <img> element was created');
    assert.equal(rendered.nestedSvgs, 0, 'no <svg> element was created from a label');
    assert.equal(rendered.handlers, 0, 'no element has an event handler attribute');
    assert.equal(rendered.xss, undefined, 'no payload ran in the webview');
    // Hover and click the payload labels too: still nothing runs.
    const xssBlock = map().locator('g.subnet[data-vnet]').filter({ has: map().locator('.block-cidr', { hasText: '10.77.1.0/24' }) });
    await xssBlock.hover();
    await xssBlock.click();
    await waitForCursor(/^Ln 7, Col \d+ \(\d+ selected\)/, 'the XSS subnet to reveal its prefix');
    await run.page.waitForTimeout(500);
    assert.equal(await map().locator('body').evaluate(() => window.__xss), undefined);
    assert.equal(await run.page.evaluate(() => window.__xss), undefined, 'nothing ran in the workbench either');
    assert.deepEqual(dialogs, [], 'no alert() dialog opened');
    await run.screenshot('xss-rendered-as-text');
  });

  scenario('9. the webview loads without Content-Security-Policy violations of its own', async () => {
    const ours = cspReports.filter((r) => /webview\.(js|css)|network-map|nonce/i.test(r));
    assert.deepEqual(ours, [], `CSP reports:\n${cspReports.join('\n')}`);
    if (cspReports.length) run.log(`other CSP reports (VS Code's own):\n${cspReports.join('\n')}`);
  });

  scenario('10. reloaded into the high-contrast theme, the map comes back by itself (serializer), in high-contrast colours, and exports a PNG', async () => {
    // The map is open from the scenarios before. A reload restores it through the webview serializer.
    run.writeUserSettings({ 'workbench.colorTheme': 'Default High Contrast' });
    await run.command('Developer: Reload Window');
    await run.page.locator('.monaco-workbench.hc-black').waitFor({ timeout: 60_000 });
    await map().locator('g.vnet').first().waitFor({ timeout: 60_000 });
    // The restored state is drawn first and redrawn when the data arrives: read the colours once the map is drawn
    // (an element replaced meanwhile has no computed style).
    let colours = {};
    await waitFor(
      async () => {
        colours = await map()
          .locator('svg#network-map-svg')
          .evaluate((svg) => ({
            background: getComputedStyle(svg.querySelector('.background')).fill,
            label: getComputedStyle(svg.querySelector('g.vnet text')).fill,
          }))
          .catch(() => ({}));
        return colours.background === 'rgb(0, 0, 0)';
      },
      { timeoutMs: 15_000, message: () => `the high-contrast background; the map shows ${JSON.stringify(colours)}` },
    );
    assert.deepEqual(colours, { background: 'rgb(0, 0, 0)', label: 'rgb(255, 255, 255)' }, 'black background, white text');
    await run.restMouse();
    await saveMapScreenshots('network-map-high-contrast');

    const png = readFileSync(await exportThroughDialog('export-png', 'network-map.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    // IHDR: width and height of the exported image, non-trivial.
    assert.ok(png.readUInt32BE(16) > 200 && png.readUInt32BE(20) > 200, `PNG ${png.readUInt32BE(16)} x ${png.readUInt32BE(20)}`);
  });
});
