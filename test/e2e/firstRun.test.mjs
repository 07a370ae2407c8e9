// First run in a real editor: the status bar item and the walkthrough. The packaged .vsix in code-server
// (VS Code 1.139) on a copy of examples/, driven by headless Chromium; the tests share one window and run in order.
// - The status bar item shows the workspace's error and warning counts once the initial scan is over (the same
//   counts `netlens check` gives on the same folder), and a click opens the Problems panel.
// - The walkthrough opens from "Welcome: Open Walkthrough..." with its four steps; its first step's button opens
//   the example, whose overlap is squiggled; the step is then checked as done and the status bar counts one more
//   error.
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

  before(async () => {
    run = await Run.open('first-run');
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

  scenario('2. "Welcome: Open Walkthrough..." lists the walkthrough, which opens with its four steps', async () => {
    await run.command('Welcome: Open Walkthrough...');
    const row = run.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Get Started with AKS Network Lens' });
    await row.first().waitFor({ timeout: 15_000 });
    await row.first().click();
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
    await run.screenshot('walkthrough');
  });

  scenario("3. the first step's button opens the example: the overlap is squiggled, the step is done, the status bar counts it", async () => {
    const step = run.page.locator('.getting-started-step').filter({ has: run.page.locator('.step-title', { hasText: 'Open an example' }) });
    await step.locator('.step-title').click(); // expands it
    const button = step.getByRole('button', { name: 'Open the Example' });
    await button.waitFor({ timeout: 10_000 });
    assert.equal(await step.getAttribute('aria-checked'), 'false', 'the step is not done before its button is clicked');
    await button.click();
    await waitFor(async () => (await run.squiggleLines('error')).includes(29), { timeoutMs: 30_000, message: 'the overlap on line 29 of the example to be squiggled' });
    await waitForCounts(expected.error + 1, expected.warning);
    await run.screenshot('walkthrough-example-open');
    // Back on the walkthrough, the step is checked as done.
    await run.page.locator('.tabs-container .tab').filter({ hasText: 'Welcome' }).click();
    let checked = '';
    await waitFor(
      async () => {
        checked = (await step.getAttribute('aria-checked', { timeout: 2_000 }).catch(() => '')) ?? '';
        return checked === 'true';
      },
      { timeoutMs: 15_000, message: () => `the step to be checked as done; aria-checked is ${JSON.stringify(checked)}` },
    );
    await run.screenshot('walkthrough-step-done');
  });
});
