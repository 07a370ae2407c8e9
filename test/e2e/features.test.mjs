// Real-editor scenarios for the features beyond plain diagnostics: Bicep evaluation (a problem and a
// hover on a computed subnet), a quick fix picked from the light bulb menu, the "Plan IPs"
// command from the palette through to its one-edit apply, a .bicepparam environment, and a Terraform file (its problem,
// hover and quick fix, with no Terraform extension installed). The packaged .vsix runs in code-server
// (VS Code 1.139) driven by headless Chromium; these tests share one window and run in order.
// Run with `npm run test:e2e`; screenshots and logs go to test-results/e2e/<run>/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { findFiles, REPO, Run, scenarios, waitFor } from './harness.mjs';

const BICEP = 'bicep/network.bicep';
const BICEP_OVERLAP_LINE = 24; // "addressPrefix: cidrSubnet(addressSpace, 24, 3) // mistake: ..."
const STAGING_NETWORK = 'staging/network.yaml';
const HOST_BITS_LINE = 54; // "  addressPrefix: 10.10.32.5/24    # mistake: host bits set"
const STAGING_CLUSTER = 'staging/cluster.yaml';
const DNS_LINE = 16; // "    dnsServiceIP: 10.10.64.1      # mistake: the first address ..."

describe('AKS Network Lens features in code-server (packaged .vsix)', () => {
  /** @type {Run} */
  let run;
  let ws;
  /** What scenario 3's plan said: { dns, serviceCidr, podCidr, nodeSubnet, vnet }. */
  let plannedValues;

  /** Runs a scenario step; on failure a screenshot shows what the editor looked like. */
  const scenario = scenarios(() => run);

  /** 1-based column of `text` on 1-based `line` of the workspace copy of `file`, as saved on disk. */
  const columnOf = (file, line, text) => {
    const col = readFileSync(path.join(ws, file), 'utf8').split('\n')[line - 1].indexOf(text);
    assert.ok(col >= 0, `${text} not on line ${line} of ${file}`);
    return col + 1;
  };

  /** The quick input (QuickPick or InputBox) once it shows a title containing `title`. */
  /** The network map webview's document. */
  const map = () => run.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  const quickInput = async (title) => {
    const widget = run.page.locator('.quick-input-widget');
    let shown = '';
    await waitFor(
      async () => {
        shown = (await widget.isVisible().catch(() => false)) ? await widget.locator('.quick-input-title').innerText().catch(() => '') : '(no quick input)';
        return shown.includes(title);
      },
      { timeoutMs: 15_000, intervalMs: 100, message: () => `a quick input titled "${title}"; showing: ${JSON.stringify(shown)}` },
    );
    return widget;
  };


  /**
   * The quick fix titled `title` in the light bulb menu at `line`:`column`, once it shows. Ctrl+. is pressed again
   * (after Escape) when the menu opened before the server's code actions came back, as on a busy machine.
   */
  const quickFix = async (line, column, title) => {
    const fix = run.page.locator('.action-widget .monaco-list-row').filter({ hasText: title });
    for (let attempt = 1; ; attempt++) {
      await run.goTo(line, column);
      // The light bulb appears for the line under the cursor; Ctrl+. opens the same menu.
      await run.page.locator('.monaco-editor .lightBulbWidget').first().waitFor({ timeout: 15_000 });
      await run.page.keyboard.press('Control+.');
      const shown = await fix
        .first()
        .waitFor({ timeout: attempt < 3 ? 8_000 : 15_000 })
        .then(() => true)
        .catch((error) => {
          if (attempt >= 3) throw error;
          return false;
        });
      if (shown) return fix;
      await run.page.keyboard.press('Escape');
    }
  };

  before(async () => {
    run = await Run.open('features');
    ws = run.ws;
  });

  after(async () => {
    await run?.close();
  });

  scenario('1. Bicep: a computed subnet that overlaps is a subnet-overlap problem, and its hover shows the value the module call gives it', async () => {
    await run.openFile(BICEP);
    const problem = await run.waitForProblem({ file: BICEP, code: 'subnet-overlap', line: BICEP_OVERLAP_LINE });
    assert.equal(problem.source, 'aks-network-lens');
    assert.equal(problem.column, columnOf(BICEP, BICEP_OVERLAP_LINE, 'cidrSubnet(addressSpace, 24, 3)'));
    await run.goTo(BICEP_OVERLAP_LINE);
    assert.match(await run.lineText(BICEP_OVERLAP_LINE), /addressPrefix: cidrSubnet\(addressSpace, 24, 3\)/);
    // The mouse on the function name of that line's call (not on `addressSpace`, a value of its own).
    const text = await run.hover('cidrSubnet(addressSpace, 24, 3)', { at: 'cidrSubnet', expect: 'evaluates to' });
    assert.match(text, /cidrSubnet\(addressSpace, 24, 3\)\s*evaluates to 10\.60\.3\.0\/24/);
    assert.match(text, /Addresses: 256\b/);
    await run.screenshot('1-bicep-overlap-and-hover');
    await run.page.keyboard.press('Escape');
    await run.restMouse();
  });

  scenario('2. the light bulb quick fix "Use the network address" rewrites 10.10.32.5/24 and the cidr-host-bits warning goes away', async () => {
    await run.openFile(STAGING_NETWORK);
    const problem = await run.waitForProblem({ file: STAGING_NETWORK, code: 'cidr-host-bits', line: HOST_BITS_LINE });
    assert.equal(problem.severity, 'warning');
    const column = columnOf(STAGING_NETWORK, HOST_BITS_LINE, '10.10.32.5/24');
    assert.equal(problem.column, column);
    const fix = await quickFix(HOST_BITS_LINE, column + 3, 'Use the network address 10.10.32.0/24');
    await run.screenshot('2-quick-fix-menu');
    await fix.first().click();
    await fix.first().waitFor({ state: 'hidden', timeout: 10_000 });
    await run.restMouse();
    let line = '';
    await waitFor(async () => /addressPrefix: 10\.10\.32\.0\/24 /.test((line = (await run.lineText(HOST_BITS_LINE)) ?? '')), {
      timeoutMs: 10_000,
      message: () => `line ${HOST_BITS_LINE} to read 10.10.32.0/24; it reads ${JSON.stringify(line)}`,
    });
    await run.waitForNoProblem({ file: STAGING_NETWORK, code: 'cidr-host-bits' });
    // Still analysed: the file's other mistakes are still listed.
    await run.waitForProblem({ file: STAGING_NETWORK, code: 'subnet-overlap' });
    await run.screenshot('2-quick-fix-applied');
  });

  scenario('3. "Plan IPs" from the palette: mode pick, defaults, plan beside, Apply rewrites the cluster values', async () => {
    await run.openFile(STAGING_CLUSTER);
    await run.waitForProblem({ file: STAGING_CLUSTER, code: 'dns-service-ip-first-address', line: DNS_LINE });
    await run.command('AKS Network Lens: Plan IPs');

    // QuickPick of the network mode: the cluster's own (kubenet) first, marked.
    const pick = await quickInput('network mode');
    assert.match(await pick.locator('.quick-input-title').innerText(), /Plan IPs for aks-staging: network mode/);
    const rows = pick.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    const first = {
      label: (await rows.first().locator('.label-name').first().innerText()).trim(),
      description: (await rows.first().locator('.label-description').first().innerText()).trim(),
    };
    assert.deepEqual(first, { label: 'kubenet', description: '(this cluster)' }, `first QuickPick row: ${await rows.first().innerText()}`);
    assert.equal(await pick.locator('.quick-input-list .monaco-list-row:has-text("(this cluster)")').count(), 1);
    await run.screenshot('3-plan-ips-mode-pick');
    await run.page.keyboard.press('Enter');

    // Two InputBoxes, prefilled: accept the defaults.
    for (const title of ['nodes at full scale', 'maximum pods per node']) {
      const box = await quickInput(title);
      const value = await box.locator('input').inputValue();
      assert.match(value, /^\d+$/, `the "${title}" box should be prefilled with a number, has ${JSON.stringify(value)}`);
      run.log(`Plan IPs: ${title} = ${value}`);
      await run.page.keyboard.press('Enter');
    }

    // The plan is drawn in the network map beside, and a notification offers to apply it.
    const applyToast = run.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Apply this IP plan \(drawn in the network map\) to \d+ values?\? \(one edit, undoable\)/ });
    await applyToast.first().waitFor({ timeout: 20_000 });
    const message = (await applyToast.first().locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
    const count = Number(/to (\d+) values?/.exec(message)[1]);
    assert.ok(count >= 1, message);
    const planSection = map().locator('g.plan');
    await planSection.locator('g.plan-row').first().waitFor({ timeout: 20_000 });
    assert.match(await planSection.locator('text.section-title').first().textContent(), /^Proposed IP plan for aks-staging: VNet /);
    const planRows = Object.fromEntries(await planSection.locator('g.plan-row').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-what'), g.getAttribute('data-cidr')])));
    const planned = (label) => {
      assert.ok(planRows[label], `the plan has no ${label} row: ${JSON.stringify(planRows)}`);
      return planRows[label];
    };
    // The planned VNet is drawn to scale like the workspace's, with the node subnet in it.
    assert.equal(await planSection.locator('g.vnet g.subnet[data-name="aks-nodes"]').count(), 1);
    const dns = planned('DNS service IP');
    const serviceCidr = planned('service CIDR');
    const podCidr = planned('pod CIDR');
    plannedValues = { dns, serviceCidr, podCidr, nodeSubnet: planned('subnet aks-nodes'), vnet: planned('VNet') };
    assert.notEqual(dns, '10.10.64.1');
    run.log(`plan: ${JSON.stringify(plannedValues)}; "${message}"`);
    await run.screenshot('3-plan-ips-preview-and-apply-prompt');

    await applyToast.first().locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await applyToast.first().waitFor({ state: 'hidden', timeout: 10_000 });
    // Applied: the proposal leaves the map.
    await waitFor(async () => (await planSection.count()) === 0, { timeoutMs: 15_000, message: 'the plan to leave the map once applied' });

    // The cluster file (first editor group) now holds the planned values.
    await run.page.keyboard.press('Control+1');
    await waitFor(async () => (await run.breadcrumbs()) === STAGING_CLUSTER, { timeoutMs: 10_000, message: () => `the editor to show ${STAGING_CLUSTER}` });
    await run.goTo(DNS_LINE);
    let dnsLine = '';
    await waitFor(async () => (dnsLine = (await run.lineText(DNS_LINE)) ?? '') && !/10\.10\.64\.1\b/.test(dnsLine), {
      timeoutMs: 10_000,
      message: () => `line ${DNS_LINE} to change; it reads ${JSON.stringify(dnsLine)}`,
    });
    assert.match(await run.lineText(DNS_LINE), new RegExp(`dnsServiceIP: ${dns.replace(/\./g, '\\.')}\\b`));
    const literal = (v) => v.replace(/[./]/g, '\\$&');
    assert.match(await run.lineText(DNS_LINE - 1), new RegExp(`serviceCidr: ${literal(serviceCidr)} `));
    assert.match(await run.lineText(DNS_LINE - 2), new RegExp(`podCidr: ${literal(podCidr)} `));
    await run.waitForNoProblem({ file: STAGING_CLUSTER, code: 'dns-service-ip-first-address' });
    await run.restMouse();
    await run.screenshot('3-plan-ips-applied');
  });

  // Plan IPs once sized the VNet for the AKS node subnet alone and replaced its address space, leaving
  // the VNet's other subnets outside it. It now plans inside the prefix that holds the node subnet and
  // never rewrites the address space; this scenario keeps it that way.
  scenario(
    '3b. applying the plan leaves the VNet\'s other subnets inside its address space',
    async () => {
      assert.ok(plannedValues, 'scenario 3 did not apply a plan');
      // Save the two edited files (not the untitled plan) and check them with the extension's own CLI:
      // the Problems panel could still show network.yaml's problems from before the edit reached it.
      const saved = { [STAGING_CLUSTER]: `dnsServiceIP: ${plannedValues.dns}`, [STAGING_NETWORK]: `addressPrefix: ${plannedValues.nodeSubnet}` };
      for (const [file, text] of Object.entries(saved)) {
        await run.openFile(file);
        await run.page.keyboard.press('Control+S');
        await waitFor(() => readFileSync(path.join(ws, file), 'utf8').includes(text), { timeoutMs: 10_000, message: `${file} to be saved with "${text}"` });
      }
      const [cli] = findFiles(run.dirs.extensions, /^cli\.js$/);
      assert.ok(cli, 'dist/cli.js in the installed extension');
      const check = (dir) => {
        const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', dir], { encoding: 'utf8' });
        return JSON.parse(r.stdout).findings
          .filter((f) => f.rule === 'subnet-outside-vnet' && f.file.endsWith(STAGING_NETWORK))
          .map((f) => ({ line: f.range.start.line + 1, message: f.message }));
      };
      const before = check(path.join(REPO, 'examples'));
      const after = check(ws);
      const added = after.filter((f) => !before.some((b) => b.line === f.line));
      run.log(`subnet-outside-vnet in ${STAGING_NETWORK}: lines ${before.map((f) => f.line)} before the plan, ${after.map((f) => f.line)} after`);
      // The Problems panel filtered to network.yaml, for the screenshot (the filter applies after a moment).
      await waitFor(async () => (await run.problems({ file: STAGING_NETWORK })).some((p) => p.file === STAGING_NETWORK), {
        timeoutMs: 10_000,
        message: `the Problems panel to list ${STAGING_NETWORK}`,
      });
      await run.screenshot('3b-plan-applied-network');
      assert.deepEqual(added, [], 'subnets the plan left outside the VNet');
    },
  );

  scenario('3c. "Plan IPs" with no cluster values to change records a dual-stack plan in .aksnetlens.yaml', async () => {
    const settings = path.join(ws, '.aksnetlens.yaml');
    assert.ok(!existsSync(settings), 'the workspace starts without .aksnetlens.yaml');
    // A Service file: no cluster in it, and the workspace holds several, so no cluster's values are planned.
    await run.openFile('platform/internal-api.yaml');
    await run.command('AKS Network Lens: Plan IPs');
    const pick = await quickInput('network mode');
    await pick.locator('input').fill('Overlay');
    await run.page.keyboard.press('Enter');
    const families = await quickInput('IP families');
    await families.locator('input').fill('Dual-stack');
    await run.page.keyboard.press('Enter');
    for (const title of ['nodes at full scale', 'maximum pods per node']) {
      await quickInput(title);
      await run.page.keyboard.press('Enter');
    }
    const toast = run.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Record it in \.aksnetlens\.yaml\?/ });
    await toast.first().waitFor({ timeout: 20_000 });
    // The proposal is drawn in the map, IPv6 rows included.
    const planSection = map().locator('g.plan');
    await planSection.locator('g.plan-row[data-what="VNet (IPv6)"]').waitFor({ timeout: 20_000 });
    assert.match(await planSection.locator('text.section-title').first().textContent(), /^Proposed IP plan for a new cluster/);
    await toast.first().locator('.monaco-button', { hasText: /^Record$/ }).click();
    await waitFor(() => existsSync(settings), { timeoutMs: 15_000, message: `${settings} to be created` });
    await waitFor(async () => (await planSection.count()) === 0, { timeoutMs: 15_000, message: 'the plan to leave the map once recorded' });
    const text = readFileSync(settings, 'utf8');
    assert.match(text, /^plans:\n {2}- cluster: new cluster\n/m, text);
    assert.match(text, /mode: overlay/);
    assert.match(text, /vnetIpv6: fd[0-9a-f:]+\/56/);
    assert.match(text, /podCidrIpv6: fd12:3456:789a::\/64/);
    // The recorded plan is opened for the user to read.
    await waitFor(async () => (await run.breadcrumbs()) === '.aksnetlens.yaml', { timeoutMs: 10_000, message: 'the recorded plan to open' });
    await run.screenshot('3c-plan-recorded');
  });

  scenario('4. a never-saved document: a new untitled file switched to YAML is checked as it is typed', async () => {
    // Picked by its exact label: "File: Compare New Untitled Text Files" matches the same words, and may rank first.
    await run.page.keyboard.press('F1');
    await run.page.locator('.quick-input-widget input').fill('>File: New Untitled Text File');
    await run.page.locator('.quick-input-list .monaco-list-row', { has: run.page.locator('.label-name', { hasText: /^File: New Untitled Text File$/ }) }).first().click();
    const tab = run.page.locator('.part.editor .editor-group-container.active .tab.active');
    await waitFor(async () => /^Untitled-\d+$/.test((await tab.locator('.label-name').innerText().catch(() => '')).trim()), { timeoutMs: 10_000, message: 'an untitled editor' });
    // Typed as plain text (no auto-closing brackets there), one flow-style line, then the language is set.
    await run.editor().click();
    await run.page.keyboard.type('{apiVersion: network.azure.com/v1api20240301, kind: VirtualNetworksSubnet, metadata: {name: never-saved}, spec: {owner: {name: vnet-untitled}, addressPrefix: 10.41.0.7/24}}', { delay: 5 });
    await run.command('Change Language Mode');
    // The language pick has no title, only a placeholder.
    const input = run.page.locator('.quick-input-widget input[placeholder="Select Language Mode"]');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('YAML');
    await run.page.locator('.quick-input-list .monaco-list-row', { hasText: '(yaml)' }).first().click();
    await run.screenshot('4-untitled-yaml-typed');
    // Filtered by the value: an untitled document has no path for the file filter, and the list only renders rows in view.
    const problem = await run.waitForProblem({ code: 'cidr-host-bits', filter: '10.41.0.7' });
    assert.match(problem.message, /10\.41\.0\.7\/24/);
    await run.screenshot('4-untitled-yaml');
  });

  scenario("5. environments: dev.bicepparam's too-small node subnet is a problem there, its quick fix edits it there, and the template's parameter hover lists both environments", async () => {
    const DEV = 'environments/dev.bicepparam';
    const PREFIX_LINE = 3; // "param nodeSubnetPrefix = '10.70.0.0/26' // mistake: ..."
    await run.openFile(DEV);
    const problem = await run.waitForProblem({ file: DEV, code: 'subnet-capacity', line: PREFIX_LINE });
    assert.match(problem.message, /124 addresses needed of 59 usable/);
    assert.match(problem.message, /\(environment dev\.bicepparam\)/);
    const column = columnOf(DEV, PREFIX_LINE, "'10.70.0.0/26'");
    assert.equal(problem.column, column);
    const fix = await quickFix(PREFIX_LINE, column + 3, 'Enlarge to 10.70.0.0/24');
    await fix.first().click();
    await fix.first().waitFor({ state: 'hidden', timeout: 10_000 });
    await run.restMouse();
    let line = '';
    await waitFor(async () => /param nodeSubnetPrefix = '10\.70\.0\.0\/24'/.test((line = (await run.lineText(PREFIX_LINE)) ?? '')), {
      timeoutMs: 10_000,
      message: () => `line ${PREFIX_LINE} to read '10.70.0.0/24'; it reads ${JSON.stringify(line)}`,
    });
    await run.waitForNoProblem({ file: DEV, code: 'subnet-capacity' });
    await run.screenshot('5-bicepparam-fixed');
    // The template's parameter, declared without a default: its value in each environment (dev's as just edited).
    await run.openFile('environments/main.bicep');
    const text = await run.hover('param nodeSubnetPrefix string', { at: 'nodeSubnetPrefix', expect: 'prod.bicepparam' });
    assert.match(text, /dev\.bicepparam:\s*10\.70\.0\.0\/24/);
    assert.match(text, /prod\.bicepparam:\s*10\.70\.0\.0\/22/);
    await run.screenshot('5-template-parameter-hover');
    await run.page.keyboard.press('Escape');
    await run.restMouse();
  });

  scenario('6. Terraform, with no Terraform extension installed: a cidrsubnet() node subnet too small is a problem, its hover gives the range, and the quick fix rewrites the call', async () => {
    const TF = 'terraform/main.tf';
    const SUBNET_LINE = 16; // "  node_subnet  = cidrsubnet(var.vnet_cidr, 12, 1) # mistake: ..."
    await run.openFile(TF);
    const problem = await run.waitForProblem({ file: TF, code: 'subnet-capacity', line: SUBNET_LINE });
    assert.match(problem.message, /124 addresses needed of 11 usable/);
    const column = columnOf(TF, SUBNET_LINE, 'cidrsubnet(var.vnet_cidr, 12, 1)');
    assert.equal(problem.column, column);
    const hover = await run.hover('cidrsubnet(var.vnet_cidr, 12, 1)', { at: 'cidrsubnet', expect: 'Usable in an Azure subnet' });
    assert.match(hover, /10\.60\.0\.16\/28/);
    assert.match(hover, /Usable in an Azure subnet: 11/);
    await run.page.keyboard.press('Escape');
    const fix = await quickFix(SUBNET_LINE, column + 3, 'Enlarge to 10.60.0.0/24');
    await fix.first().click();
    await fix.first().waitFor({ state: 'hidden', timeout: 10_000 });
    await run.restMouse();
    let line = '';
    await waitFor(async () => /node_subnet {2}= cidrsubnet\(var\.vnet_cidr, 8, 0\)/.test((line = (await run.lineText(SUBNET_LINE)) ?? '')), {
      timeoutMs: 10_000,
      message: () => `line ${SUBNET_LINE} to read cidrsubnet(var.vnet_cidr, 8, 0); it reads ${JSON.stringify(line)}`,
    });
    await run.waitForNoProblem({ file: TF, code: 'subnet-capacity' });
    await run.screenshot('6-terraform-fixed');
  });
});
