// Runs the Mocha extension-host integration tests (test/e2e/extension-host/*.spec.cjs) inside
// code-server: the smoke-test driver lets the workbench honour an extensionDevelopmentPath /
// extensionTestsPath payload, and the tests' exit code comes back through codeAutomationExit.
// The extension is loaded from the repo itself (dist/ must be built: `npm run test:e2e` does it).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, Run } from './harness.mjs';

const TESTS_ENTRY = path.join(REPO, 'test', 'e2e', 'extension-host', 'index.cjs');
const TIMEOUT_MS = 180_000;

test('extension-host integration tests (Mocha, require("vscode")) pass inside code-server', async () => {
  assert.ok(existsSync(path.join(REPO, 'dist', 'server.js')), 'dist/server.js missing: run `npm run build` first');
  const run = new Run('extension-host');
  const output = [];
  try {
    const ws = run.workspace();
    const resultsFile = path.join(run.artifacts, 'mocha-results.json');
    await run.startCodeServer({ smokeTestDriver: true, env: { AKS_E2E_RESULTS: resultsFile } });
    const page = await run.launchBrowser();
    let exit;
    const exited = new Promise((resolve) => {
      exit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    run.onConsole = (text) => output.push(text);
    const started = Date.now();
    await run.openWorkbench(ws, {
      payload: [
        ['extensionDevelopmentPath', run.remoteUri(REPO)],
        ['extensionTestsPath', run.remoteUri(TESTS_ENTRY)],
      ],
    });
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the extension-host tests did not finish within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    run.log(`extension-host tests exited with ${code} after ${Date.now() - started} ms`);
    await run.screenshot('extension-host-tests-done');
    const mochaOutput = output.join('\n');
    writeFileSync(path.join(run.artifacts, 'mocha-output.log'), mochaOutput);
    assert.ok(existsSync(resultsFile), `the Mocha runner wrote no results (exit code ${code}); console:\n${mochaOutput}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const t of results.passes) run.log(`  passed: ${t}`);
    for (const f of results.failures) run.log(`  FAILED: ${f.title}\n${f.error}`);
    assert.deepEqual(results.failures, []);
    assert.ok(results.passes.length >= 5, `only ${results.passes.length} extension-host tests passed`);
    assert.equal(code, 0, `the extension-host tests exited with ${code}`);
  } finally {
    await run.close();
  }
});
