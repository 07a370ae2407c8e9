// Mocha entry point of the extension-host integration tests: VS Code loads this file as
// `extensionTestsPath` and calls run() inside the extension host, where require('vscode') works.
// Used by test/e2e/extension-host.test.mjs (inside code-server, run by `npm run test:e2e`) and by
// run-electron.mjs (@vscode/test-electron, `npm run test:electron`).
// If AKS_E2E_RESULTS names a file, the outcome is also written there as JSON.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.spec.cjs')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const results = { passes: [], failures: [], pending: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failed) => {
      if (process.env.AKS_E2E_RESULTS) fs.writeFileSync(process.env.AKS_E2E_RESULTS, JSON.stringify(results, null, 2));
      if (failed > 0) reject(new Error(`${failed} extension-host test(s) failed`));
      else if (results.passes.length === 0) reject(new Error('no extension-host test ran'));
      else resolve();
    });
    runner.on('pass', (t) => results.passes.push(t.fullTitle()));
    runner.on('pending', (t) => results.pending.push(t.fullTitle()));
    runner.on('fail', (t, err) => results.failures.push({ title: t.fullTitle(), error: String(err && err.stack ? err.stack : err) }));
  });
};
