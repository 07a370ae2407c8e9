// The .vsix that `npm run package` builds: small, and nothing but what runs and what users read.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { VSIX, vsixEntries } from './harness.mjs';

test('the packaged .vsix holds only the bundles, package.json, README, LICENSE and rule docs', () => {
  assert.ok(existsSync(VSIX), `${VSIX} missing: run \`npm run package\``);
  const entries = vsixEntries(VSIX);
  const allowed = [
    /^extension\.vsixmanifest$/,
    /^\[Content_Types\]\.xml$/,
    /^extension\/package\.json$/,
    /^extension\/readme\.md$/i,
    /^extension\/LICENSE(\.txt)?$/,
    /^extension\/dist\/(client|server|cli)\.js(\.map)?$/,
    /^extension\/docs\/rules\/[\w-]+\.md$/,
  ];
  const unexpected = entries.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(unexpected, [], `unexpected files in the .vsix:\n${unexpected.join('\n')}`);
  for (const needed of ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/docs/rules/subnet-overlap.md']) {
    assert.ok(entries.includes(needed), `${needed} is not in the .vsix`);
  }
  const size = statSync(VSIX).size;
  assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${size} bytes`);
});
