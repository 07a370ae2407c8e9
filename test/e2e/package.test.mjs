// The .vsix that `npm run package` builds: small, nothing but what runs and what users read, and
// every file that package.json points to is in it.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { VSIX, vsixEntries, vsixRead } from './harness.mjs';

const allowed = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/(client|server|readerWorker|layoutWorker|cli|elk)\.js(\.map)?$/,
  /^extension\/dist\/webview\.(js|css)$/,
  // Terraform's parser: web-tree-sitter's runtime and the Terraform grammar, WebAssembly loaded beside the bundles.
  /^extension\/dist\/(web-tree-sitter|tree-sitter-terraform)\.wasm$/,
  /^extension\/docs\/rules\/[\w-]+\.md$/,
  /^extension\/docs\/images\/editor\.png$/,
  /^extension\/docs\/images\/icon\.png$/,
  /^extension\/docs\/walkthrough\/[\w-]+\.md$/,
  /^extension\/changelog\.md$/i,
  /^extension\/schemas\/[\w.-]+\.json$/,
  /^extension\/syntaxes\/[\w.-]+\.json$/,
];

/** Relative file paths that package.json refers to (entry point, grammars, language configurations...). */
function referencedFiles(manifest) {
  const c = manifest.contributes ?? {};
  const refs = [manifest.main, manifest.icon];
  for (const g of c.grammars ?? []) refs.push(g.path);
  for (const l of c.languages ?? []) refs.push(l.configuration, l.icon?.light, l.icon?.dark);
  for (const s of c.snippets ?? []) refs.push(s.path);
  for (const j of c.jsonValidation ?? []) if (!/^\w+:/.test(j.url ?? '')) refs.push(j.url);
  for (const y of c.yamlValidation ?? []) if (!/^\w+:/.test(y.url ?? '')) refs.push(y.url);
  for (const w of c.walkthroughs ?? []) for (const step of w.steps ?? []) refs.push(step.media?.markdown, step.media?.image, step.media?.svg);
  return refs.filter((r) => typeof r === 'string' && r.length > 0).map((r) => path.posix.normalize(r.replace(/^\.\//, '')));
}

test('the packaged .vsix holds only the bundles, package.json, README, LICENSE, rule docs, walkthrough pages and grammars', () => {
  assert.ok(existsSync(VSIX), `${VSIX} missing: run \`npm run package\``);
  const entries = vsixEntries(VSIX);
  const unexpected = entries.filter((e) => !allowed.some((re) => re.test(e)));
  assert.deepEqual(unexpected, [], `unexpected files in the .vsix:\n${unexpected.join('\n')}`);
  for (const needed of ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/readerWorker.js', 'extension/dist/layoutWorker.js', 'extension/dist/elk.js', 'extension/dist/webview.js', 'extension/dist/webview.css', 'extension/dist/web-tree-sitter.wasm', 'extension/dist/tree-sitter-terraform.wasm', 'extension/docs/rules/subnet-overlap.md']) {
    assert.ok(entries.includes(needed), `${needed} is not in the .vsix`);
  }
  const size = statSync(VSIX).size;
  assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${size} bytes`);
});

test('every file that the packaged package.json refers to is in the .vsix', () => {
  const entries = new Set(vsixEntries(VSIX));
  // The manifest as packaged, not the working copy (which may have moved on since `npm run package`).
  const manifest = JSON.parse(vsixRead(VSIX, 'extension/package.json'));
  const missing = referencedFiles(manifest).filter((f) => !entries.has(`extension/${f}`));
  assert.deepEqual(missing, [], `package.json refers to files the .vsix lacks:\n${missing.join('\n')}`);
});
