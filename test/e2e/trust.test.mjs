// Workspace trust: the extension only reads files, so it declares full support for untrusted workspaces
// (package.json capabilities.untrustedWorkspaces) and must work the same in Restricted Mode. This opens
// the examples in a code-server with workspace trust on and the folder not trusted, and checks that the
// window is in Restricted Mode and the diagnostics still appear.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, Run, waitFor } from './harness.mjs';

describe('an untrusted workspace (Restricted Mode)', () => {
  /** @type {Run} */
  let run;

  before(async () => {
    run = await Run.open('untrusted', {
      workspaceTrust: true,
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'always',
      },
    });
  });

  after(async () => {
    await run?.close();
  });

  test('declares support for untrusted workspaces, and nothing else it would need trust for', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
  });

  test('the window is in Restricted Mode and the Problems panel still gets the diagnostics', async () => {
    let restricted = '';
    await waitFor(
      async () => {
        restricted = await run.page
          .locator('.statusbar-item, .workspace-trust-banner, .banner')
          .filter({ hasText: /Restricted Mode/ })
          .first()
          .innerText()
          .catch(() => '');
        return restricted !== '';
      },
      { timeoutMs: 30_000, message: 'a Restricted Mode indicator in the status bar or banner' },
    ).catch(async (error) => {
      await run.screenshot('no-restricted-mode');
      throw error;
    });
    run.log(`restricted mode: ${JSON.stringify(restricted.trim())}`);
    await run.openFile('staging/network.yaml');
    await run.waitForProblem({ file: 'staging/network.yaml', code: 'subnet-overlap', line: 34 });
    await run.screenshot('restricted-mode-diagnostics');
  });
});
