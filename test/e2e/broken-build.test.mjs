// Checks that the real-editor scenario can fail: a .vsix packaged WITHOUT dist/server.js (a broken
// build) is installed in code-server, and the same Problems-panel check as editor.test.mjs must fail
// with a message that says what the user would see.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CACHE } from './install.mjs';
import { Run, packageVariant, vsixEntries } from './harness.mjs';

const BROKEN_VSIX = path.join(CACHE, 'aks-network-lens-without-server.vsix');
const TIMEOUT_S = 15; // diagnostics appear within about 1.5 s when the build is sound

describe('broken build: a .vsix without dist/server.js', () => {
  /** @type {Run} */
  let run;

  before(() => {
    packageVariant(BROKEN_VSIX, { omit: ['dist/server.js'] });
  });

  after(async () => {
    await run?.close();
  });

  test('the package really lacks the server', async () => {
    const entries = await vsixEntries(BROKEN_VSIX);
    assert.ok(entries.includes('extension/dist/client.js'), entries.join('\n'));
    assert.ok(!entries.includes('extension/dist/server.js'), entries.join('\n'));
  });

  test('the editor scenario fails, saying no diagnostics appeared in the Problems panel', async () => {
    run = new Run('broken-build');
    run.installExtension(BROKEN_VSIX);
    const ws = run.workspace();
    await run.startCodeServer({ folder: ws });
    await run.launchBrowser();
    await run.openWorkbench(ws);
    await run.openFile('staging/network.yaml');
    await assert.rejects(
      run.waitForProblem({ file: 'staging/network.yaml', code: 'subnet-overlap', line: 34 }, { timeoutMs: TIMEOUT_S * 1000 }),
      (e) => {
        run.log(`the scenario failed as it should:\n${e.message}`);
        assert.match(e.message, new RegExp(`no AKS Network Lens diagnostics appeared in the Problems panel within ${TIMEOUT_S} s`));
        // The user gets one plain notification naming the cause (notifications are listed in the message), not a restart storm.
        assert.match(e.message, /its language server is missing from the installation/);
        assert.doesNotMatch(e.message, /Pending response rejected|couldn't create connection/);
        return true;
      },
    );
    await run.screenshot('broken-build-no-diagnostics');
  });
});
