// The .vsix that `npm run package` builds: small, nothing but what runs and what users read, every file that
// package.json points to is in it, and so is every image its README and CHANGELOG show; and vsce packages it without
// a warning (test/unit/marketplaceManifest.test.ts checks the manifest itself against the registries' rules).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO, VSIX, vsixEntries, vsixRead } from './harness.mjs';

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
  /^extension\/docs\/images\/[\w-]+\.png$/,
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
  // docs/images/ (the README's four screenshots and the icon, 0.66 MB) is packaged: VS Code's extension page shows them.
  assert.ok(size < 3 * 1024 * 1024, `the .vsix is ${size} bytes`);
});

test('every file that the packaged package.json refers to is in the .vsix', () => {
  const entries = new Set(vsixEntries(VSIX));
  // The manifest as packaged, not the working copy (which may have moved on since `npm run package`).
  const manifest = JSON.parse(vsixRead(VSIX, 'extension/package.json'));
  const missing = referencedFiles(manifest).filter((f) => !entries.has(`extension/${f}`));
  assert.deepEqual(missing, [], `package.json refers to files the .vsix lacks:\n${missing.join('\n')}`);
});

test("every image the packaged README and CHANGELOG show is in the .vsix (VS Code's extension page loads them from it)", () => {
  const entries = vsixEntries(VSIX);
  let checked = 0;
  for (const member of entries.filter((e) => /^extension\/(readme|changelog)\.md$/i.test(e))) {
    const text = vsixRead(VSIX, member);
    const sources = [...text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
    for (const source of sources.filter((s) => !/^[a-z][a-z0-9+.-]*:/i.test(s))) {
      assert.ok(entries.includes(`extension/${path.posix.normalize(decodeURI(source))}`), `${member} shows ${source}, which the .vsix lacks`);
      checked++;
    }
  }
  assert.ok(checked >= 4, `only ${checked} relative images found in the packaged README and CHANGELOG`);
});

test('vsce package, run as `npm run package` runs it, prints no warning', () => {
  // The arguments of the package script (package.json), so this runs what `npm run package` runs; output elsewhere.
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const args = /\bvsce package\b([^&|;]*)/.exec(manifest.scripts.package)[1].trim().split(/\s+/);
  const out = args.indexOf('--out');
  assert.ok(out >= 0, manifest.scripts.package);
  const dir = mkdtempSync(path.join(tmpdir(), 'aks-vsce-'));
  try {
    args[out + 1] = path.join(dir, 'check.vsix');
    const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    // No terminal: a warning that asks "Do you want to continue?" reads end of input and aborts.
    const r = spawnSync(process.execPath, [vsce, 'package', ...args], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const output = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, ''); // vsce colours its labels (INFO, WARNING, DONE)
    assert.equal(r.status, 0, output);
    assert.match(output, /DONE\s+Packaged:/, output);
    assert.doesNotMatch(output, /WARNING|\bwarn|Do you want to continue/i, output);
    assert.ok(existsSync(args[out + 1]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
