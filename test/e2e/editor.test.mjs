// Real-editor scenarios: the packaged .vsix installed in code-server (VS Code 1.139), driven by
// headless Chromium. The tests of this file share one code-server and one browser window and run
// in order: each leaves the editor in the state the next one starts from.
// Run with `npm run test:e2e`; screenshots and logs go to test-results/e2e/<run>/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { Run, scenarios, waitFor } from './harness.mjs';

const STAGING = 'staging/network.yaml';
const PLATFORM = 'platform/network.yaml';
const OVERLAP_LINE = 34; // "  addressPrefix: 10.10.8.0/24     # mistake: inside staging-nodes"

describe('AKS Network Lens in code-server (packaged .vsix)', () => {
  /** @type {Run} */
  let run;
  let ws;

  /** Runs a scenario step; on failure a screenshot shows what the editor looked like. */
  const scenario = scenarios(() => run);

  /** 1-based column of `text` on 1-based `line` of the workspace copy of `file`, as saved on disk. */
  const columnOf = (file, line, text) => {
    const col = readFileSync(path.join(ws, file), 'utf8').split('\n')[line - 1].indexOf(text);
    assert.ok(col >= 0, `${text} not on line ${line} of ${file}`);
    return col + 1;
  };

  before(async () => {
    run = await Run.open('editor');
    ws = run.ws;
  });

  after(async () => {
    await run?.close();
  });

  scenario('a. an overlapping subnet is listed as subnet-overlap in the Problems panel and squiggled on its line', async () => {
    await run.openFile(STAGING);
    const problem = await run.waitForProblem({ file: STAGING, code: 'subnet-overlap', line: OVERLAP_LINE });
    assert.equal(problem.severity, 'error');
    assert.match(problem.message, /10\.10\.8\.0\/24/);
    assert.match(problem.message, /staging-nodes/);
    assert.equal(problem.column, columnOf(STAGING, OVERLAP_LINE, '10.10.8.0/24'));

    await run.goTo(OVERLAP_LINE);
    assert.match(await run.lineText(OVERLAP_LINE), /addressPrefix: 10\.10\.8\.0\/24/);
    const lines = await waitFor(async () => {
      const l = await run.squiggleLines('error');
      return l.includes(OVERLAP_LINE) && l;
    }, { timeoutMs: 15_000, message: `a red squiggle on line ${OVERLAP_LINE}` });
    assert.ok(!lines.includes(OVERLAP_LINE - 1) && !lines.includes(OVERLAP_LINE + 1), `squiggles on lines ${lines}`);
    await run.screenshot('a-overlap-problem-and-squiggle');
  });

  scenario('b. hovering 10.224.0.0/16 shows its size: 65,536 addresses, 65,531 usable', async () => {
    await run.openFile(PLATFORM);
    const text = await run.hover('10.224.0.0/16', { expect: '65,536' });
    assert.match(text, /10\.224\.0\.0\/16/);
    assert.match(text, /Addresses: 65,536/);
    assert.match(text, /65,531/);
    await run.screenshot('b-hover-size');
    await run.page.keyboard.press('Escape');
    await run.restMouse();
  });

  scenario('c. typing a non-overlapping prefix clears the subnet-overlap diagnostic', async () => {
    await run.openFile(STAGING);
    await run.waitForProblem({ file: STAGING, code: 'subnet-overlap', line: OVERLAP_LINE });
    await run.replaceAt(OVERLAP_LINE, columnOf(STAGING, OVERLAP_LINE, '10.10.8.0/24'), '10.10.8.0/24'.length, '10.10.16.0/24');
    assert.match(await run.lineText(OVERLAP_LINE), /addressPrefix: 10\.10\.16\.0\/24 /);
    await run.waitForNoProblem({ file: STAGING, code: 'subnet-overlap' });
    // The server is still analysing this file: its other mistakes are still listed.
    await run.waitForProblem({ file: STAGING, code: 'subnet-outside-vnet', line: 44 });
    await waitFor(async () => !(await run.squiggleLines('error')).includes(OVERLAP_LINE), {
      timeoutMs: 10_000,
      message: `the squiggle on line ${OVERLAP_LINE} to disappear`,
    });
    await run.screenshot('c-overlap-fixed');
  });

  scenario('d. after the language server is killed, the client restarts it and new mistakes are reported', async () => {
    const before = run.serverPids();
    assert.equal(before.length, 1, `expected one AKS Network Lens server process, found ${JSON.stringify(before)}`);
    process.kill(before[0], 'SIGKILL');
    run.log(`killed language server pid ${before[0]}`);
    const restarted = await waitFor(
      () => {
        const now = run.serverPids().filter((p) => p !== before[0]);
        return now.length > 0 && now;
      },
      { timeoutMs: 20_000, intervalMs: 200, message: `a new language server process after SIGKILL of pid ${before[0]}` },
    );
    run.log(`language server restarted as pid ${restarted.join(', ')}`);
    await run.screenshot('d-after-kill');

    // A new overlap typed now can only be reported by the restarted server. (The file is never
    // saved, so the original prefix's column on disk is where the edited prefix starts too.)
    await run.replaceAt(OVERLAP_LINE, columnOf(STAGING, OVERLAP_LINE, '10.10.8.0/24'), '10.10.16.0/24'.length, '10.10.4.0/24');
    assert.match(await run.lineText(OVERLAP_LINE), /addressPrefix: 10\.10\.4\.0\/24 /);
    const problem = await run.waitForProblem({ file: STAGING, code: 'subnet-overlap', line: OVERLAP_LINE });
    assert.match(problem.message, /10\.10\.4\.0\/24/);
    await waitFor(async () => (await run.squiggleLines('error')).includes(OVERLAP_LINE), {
      timeoutMs: 10_000,
      message: `a red squiggle on line ${OVERLAP_LINE} again`,
    });
    await run.screenshot('d-new-overlap-after-restart');
  });
});
