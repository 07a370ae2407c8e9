// `npm run test:electron`: the extension-host integration tests of this folder in a real VS Code
// desktop (Electron), downloaded by @vscode/test-electron.
//
// NOT RUN ON THIS PROJECT'S MACHINES OR CI: they reach only the npm registry and Debian's packages,
// so the VS Code download fails at once (getaddrinfo ENOTFOUND update.code.visualstudio.com).
// It is here for machines that can download VS Code (a contributor's laptop, a hosted CI). Here, the
// same tests run inside code-server as part of `npm run test:e2e` (test/e2e/extension-host.test.mjs).
// Needs a display on Linux (e.g. `xvfb-run -a npm run test:electron`).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const workspace = mkdtempSync(path.join(tmpdir(), 'aks-electron-ws-'));
cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(here, 'index.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`extension-host tests in VS Code (Electron) failed: ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
