// First run in a real editor: the status bar item and the walkthrough. The packaged .vsix in code-server
// (VS Code 1.139) on a copy of examples/, driven by headless Chromium; the tests share one window and run in order.
// - The status bar item shows the workspace's error and warning counts once the initial scan is over (the same
//   counts `netlens check` gives on the same folder), and a click opens the Problems panel.
// - The walkthrough opens by itself on the extension's first activation (aksNetworkLens.walkthrough.openOnFirstActivation
//   on, as it is by default), with its four steps, none done.
// - Each step is done by what the user does, and the walkthrough page checks it: its first button opens the example
//   (step 1), whose overlap is squiggled (step 2: a squiggle on screen, not the Problems panel opened before); its
//   Plan IPs button plans the example's cluster and the plan is applied (step 3); its map button opens the map (step 4).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { REPO, Run, scenarios, waitFor } from './harness.mjs';

const STEPS = ['Open an example', 'See a squiggle', 'Run Plan IPs', 'Open the network map'];

describe('first run in code-server (packaged .vsix): status bar item and walkthrough', () => {
  /** @type {Run} */
  let run;
  /** Errors, warnings and infos `netlens check` finds in the run's workspace copy. */
  let expected;
  const scenario = scenarios(() => run);

  /** Our status bar item, and what it says: its text and its accessible label. */
  const statusItem = () => run.page.locator('.statusbar-item[id$="aksNetworkLens.status"]');
  const readStatus = () =>
    statusItem()
      .evaluate((item) => ({
        text: item.innerText.replace(/\s+/g, ' ').trim(),
        label: item.getAttribute('aria-label') ?? item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '',
      }))
      .catch(() => ({ text: '', label: '(no status bar item)' }));
  const waitForCounts = async (errors, warnings) => {
    let shown = {};
    const want = new RegExp(`^AKS Network Lens: ${errors} errors?, ${warnings} warnings?\\b`);
    await waitFor(
      async () => {
        shown = await readStatus();
        return want.test(shown.label);
      },
      { timeoutMs: 60_000, message: () => `the status bar item to say ${errors} errors and ${warnings} warnings; it shows ${JSON.stringify(shown)}` },
    );
    return shown;
  };

  /** The walkthrough page's step titled `title`. */
  const step = (title) => run.page.locator('.gettingStartedContainer .getting-started-step').filter({ has: run.page.locator('.step-title', { hasText: title }) });
  /** The titles of the steps the walkthrough page shows as done (aria-checked, drawn with a check mark). */
  const doneSteps = async () => {
    const done = [];
    for (const title of STEPS) if ((await step(title).getAttribute('aria-checked', { timeout: 2_000 }).catch(() => '')) === 'true') done.push(title);
    return done;
  };
  /**
   * Brings the walkthrough's tab to the front, as a user clicking it would, unless it is in front already: a click on
   * the tab of the walkthrough already in front sent VS Code 1.139's Welcome page back to its start page. Should the
   * page show its start page all the same, the walkthrough is opened again from the start page's list, as a user would.
   */
  const showWalkthrough = async () => {
    if (await walkthroughShown()) return;
    // Its tab is "Welcome", or "Walkthrough: AKS Network Lens" once opened from the start page's list.
    await run.page.locator('.tabs-container .tab').filter({ hasText: /Welcome|Walkthrough: AKS Network Lens/ }).first().click();
    await run.page.locator('.gettingStartedContainer').waitFor({ timeout: 10_000 });
    if (await walkthroughShown()) return;
    run.log('the Welcome page shows its start page, not the walkthrough: opening the walkthrough from its list');
    await run.screenshot('welcome-start-page');
    await run.page.locator('.gettingStartedContainer .gettingStartedSlideCategories button').filter({ hasText: 'Get Started with AKS Network Lens' }).first().click();
    await waitFor(walkthroughShown, { timeoutMs: 10_000, message: 'the walkthrough to show after a click on it in the start page' });
  };
  /** Whether the Welcome page is on screen showing the walkthrough's steps (its details slide), not its start page. */
  const walkthroughShown = () =>
    run.page
      .locator('.gettingStartedContainer .gettingStarted.showDetails')
      .filter({ has: run.page.locator('.getting-started-step .step-title', { hasText: STEPS[0] }) })
      .first()
      .isVisible()
      .catch(() => false);
  /** Waits until the walkthrough page shows exactly `titles` as done. */
  const waitForDone = async (titles) => {
    let done = [];
    await waitFor(
      async () => {
        done = await doneSteps();
        return JSON.stringify(done) === JSON.stringify(titles);
      },
      { timeoutMs: 15_000, message: () => `the walkthrough to show ${JSON.stringify(titles)} as done; it shows ${JSON.stringify(done)}` },
    );
  };
  /** Expands a step (a click on its title) and returns its button named `name`. */
  const stepButton = async (title, name) => {
    await showWalkthrough();
    const clicked = await step(title).locator('.step-title').click({ timeout: 3_000 }).then(() => true, () => false);
    if (!clicked) {
      // The page left the walkthrough between the check and the click (see showWalkthrough).
      await showWalkthrough();
      await step(title).locator('.step-title').click();
    }
    const button = step(title).getByRole('button', { name, exact: true });
    await button.waitFor({ timeout: 10_000 });
    return button;
  };

  before(async () => {
    // The default; the harness turns it off for the other suites.
    run = await Run.open('first-run', { settings: { 'aksNetworkLens.walkthrough.openOnFirstActivation': true } });
    const report = JSON.parse(execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', '--format', 'json', '--fail-on', 'none', run.ws], { encoding: 'utf8' }));
    expected = { error: 0, warning: 0, info: 0 };
    for (const finding of report.findings) if (finding.severity in expected) expected[finding.severity]++;
    run.log(`netlens check on the workspace: ${JSON.stringify(expected)}`);
    assert.ok(expected.error > 0 && expected.warning > 0, 'the examples have errors and warnings');
  });

  after(async () => {
    await run?.close();
  });

  scenario('1. after the scan, the status bar item counts the workspace errors and warnings; a click opens the Problems panel', async () => {
    const shown = await waitForCounts(expected.error, expected.warning);
    // The codicons are drawn as icons; the text around them is the counts.
    assert.equal(shown.text, `AKS ${expected.error} ${expected.warning}${expected.info > 0 ? ` ${expected.info}` : ''}`, JSON.stringify(shown));
    assert.ok(!(await run.page.locator('.markers-panel').isVisible().catch(() => false)), 'the Problems panel is closed before the click');
    await statusItem().click();
    await run.page.locator('.markers-panel').waitFor({ timeout: 10_000 });
    await run.screenshot('status-bar-problems');
    await run.page.keyboard.press('Control+J'); // the panel closed again, for the next scenario's screenshots
  });

  scenario('2. the walkthrough opened by itself on the first activation, with its four steps, none done', async () => {
    const page = run.page.locator('.gettingStartedContainer');
    await page.waitFor({ timeout: 15_000 });
    let titles = [];
    await waitFor(
      async () => {
        titles = await page.locator('.getting-started-step .step-title').allInnerTexts().catch(() => []);
        return STEPS.every((title) => titles.some((t) => t.trim() === title));
      },
      { timeoutMs: 15_000, message: () => `the walkthrough's steps; it shows ${JSON.stringify(titles)}` },
    );
    assert.deepEqual(titles.map((t) => t.trim()), STEPS);
    // The walkthrough itself, not the Welcome page's start page with the walkthrough in its list.
    assert.ok(await walkthroughShown(), 'the Welcome page shows the walkthrough');
    // Scenario 1 opened the Problems panel: that alone does not see a squiggle.
    assert.deepEqual(await doneSteps(), []);
    await run.screenshot('walkthrough-opened-on-first-activation');
  });

  scenario("3. step 1's button opens the example: its overlap is squiggled, the status bar counts it, steps 1 and 2 are done", async () => {
    const button = await stepButton('Open an example', 'Open the Example');
    await button.click();
    await waitFor(async () => (await run.squiggleLines('error')).includes(29), { timeoutMs: 30_000, message: 'the overlap on line 29 of the example to be squiggled' });
    await waitForCounts(expected.error + 1, expected.warning);
    await run.screenshot('walkthrough-example-open');
    await showWalkthrough();
    await waitForDone(['Open an example', 'See a squiggle']);
    await run.screenshot('walkthrough-steps-1-2-done');
  });

  scenario("4. step 3's button runs Plan IPs on the example's cluster; the plan is applied and step 3 is done", async () => {
    const widget = run.page.locator('.quick-input-widget');
    const title = async () =>
      (await widget.isVisible().catch(() => false)) ? await widget.locator('.quick-input-title').innerText({ timeout: 1_000 }).catch(() => '') : '(no quick input)';
    // The step's button, pressed on the walkthrough page (no text editor active): Plan IPs asks about the example's
    // cluster, the document the user came from.
    const button = await stepButton('Run Plan IPs', 'Plan IPs');
    await button.click();
    const answer = async (want) => {
      let shown = '';
      await waitFor(async () => (shown = await title()).includes(want), {
        timeoutMs: 15_000,
        intervalMs: 100,
        message: () => `a quick input titled "${want}"; showing: ${JSON.stringify(shown)}`,
      });
      return shown;
    };
    // Accepts what the quick input offers (Enter in its own box). On a busy machine an Enter pressed as the box
    // opens can go unheard: pressed again while the same question is still asked.
    const accept = async (want) => {
      for (let attempt = 1; ; attempt++) {
        await widget.locator('.quick-input-box input').press('Enter');
        const moved = await waitFor(async () => !(await title()).includes(want), { timeoutMs: 5_000, intervalMs: 100 }).then(() => true, () => false);
        if (moved) return;
        if (attempt === 3) throw new Error(`the quick input "${want}" did not take Enter after 3 tries`);
        run.log(`Enter did not answer "${want}" (try ${attempt}); pressing it again`);
      }
    };
    assert.match(await answer('network mode'), /^Plan IPs for aks-example: network mode/);
    await widget.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await accept('network mode'); // the example's own mode, listed first
    for (const want of ['nodes at full scale', 'maximum pods per node']) {
      await answer(want);
      await accept(want); // the example's values, prefilled
    }
    const applyToast = run.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Apply this IP plan \(drawn in the network map\) to \d+ values?\?/ });
    await applyToast.first().waitFor({ timeout: 20_000 });
    await run.screenshot('walkthrough-plan-ips');
    await applyToast.first().locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await applyToast.first().waitFor({ state: 'hidden', timeout: 10_000 });
    // The plan moved the example's subnets apart: its overlap, the one error it added, is gone.
    await waitForCounts(expected.error, expected.warning);
    await showWalkthrough();
    await waitForDone(['Open an example', 'See a squiggle', 'Run Plan IPs']);
    await run.screenshot('walkthrough-step-3-done');
  });

  scenario("5. step 4's button opens the network map; all four steps are done", async () => {
    await showWalkthrough();
    const button = await stepButton('Open the network map', 'Show the Network Map');
    await button.click();
    // The map draws the workspace's VNets (the walkthrough's media page is a webview too: the map is the one with VNets).
    const vnetsDrawn = async () => {
      const frames = await run.page.locator('iframe.webview.ready').count();
      for (let i = 0; i < frames; i++) {
        const map = run.page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('iframe#active-frame');
        if ((await map.locator('svg g.vnet').count().catch(() => 0)) > 0) return true;
      }
      return false;
    };
    await waitFor(vnetsDrawn, { timeoutMs: 30_000, message: 'the network map to draw the VNets' });
    assert.ok(await run.page.locator('.tabs-container .tab').filter({ hasText: 'AKS Network Map' }).count() > 0, 'the map has a tab');
    await waitForDone(STEPS);
    await run.screenshot('walkthrough-all-steps-done');
  });
});
