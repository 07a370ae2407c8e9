// `netlens check --format sarif` as GitHub code scanning reads it: valid against the OASIS SARIF 2.1.0 schema (vendored
// in test/vendor/sarif), rules with their doc pages and configured levels, paths relative to %SRCROOT%, and
// partialFingerprints that stay the same when lines move.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULES } from '../../server/src/rules/catalogue.ts';
import { whatSection } from '../../server/src/cli/sarif.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SCHEMA = JSON.parse(readFileSync(path.join(ROOT, 'test', 'vendor', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const compiled = ajv.compile(SCHEMA);
/** Not a type guard: the logs stay typed as parsed. */
const validate = (log: unknown): boolean => compiled(log);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
}

function sarif(args: string[], cwd = ROOT) {
  const run = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', ...args], { cwd, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  return JSON.parse(run.stdout);
}

const schemaErrors = () => (compiled.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('\n');

describe('netlens check --format sarif', () => {
  it('is valid SARIF 2.1.0 on the examples, on a clean folder and with settings that turn a rule off', () => {
    for (const log of [sarif(['examples/']), sarif(['examples/platform']), sarif(['staging'], path.join(ROOT, 'examples'))]) {
      assert.ok(validate(log), schemaErrors());
    }
    const folder = mkdtempSync(path.join(tmpdir(), 'netlens-sarif-'));
    cpSync(path.join(ROOT, 'examples', 'staging'), folder, { recursive: true });
    writeFileSync(path.join(folder, '.aksnetlens.yaml'), 'rules: { reserved-range: off, cidr-host-bits: error }\n');
    const configured = sarif(['.'], folder);
    assert.ok(validate(configured), schemaErrors());
    const rule = (id: string) => configured.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === id);
    assert.deepEqual(rule('reserved-range').defaultConfiguration, { level: 'error', enabled: false });
    assert.deepEqual(rule('cidr-host-bits').defaultConfiguration, { level: 'error' });
  });

  it('the schema check can fail: a wrong level, a missing message, a region starting at line 0', () => {
    const log = sarif(['examples/staging']);
    const broken = [
      (l: typeof log) => (l.runs[0].results[0].level = 'fatal'),
      (l: typeof log) => delete l.runs[0].results[0].message,
      (l: typeof log) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0),
    ];
    for (const breakIt of broken) {
      const copy = structuredClone(log);
      breakIt(copy);
      assert.equal(validate(copy), false);
    }
  });

  it('describes every rule: its page (helpUri, help), the page\'s "What" as fullDescription, its default level', () => {
    const log = sarif(['examples/']);
    const rules = log.runs[0].tool.driver.rules as { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; helpUri: string; defaultConfiguration: { level: string } }[];
    assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.id));
    const docs = pathToFileURL(path.join(ROOT, 'docs', 'rules')).href;
    for (const [i, rule] of rules.entries()) {
      const page = readFileSync(path.join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      assert.equal(rule.helpUri, `${docs}/${rule.id}.md`);
      assert.equal(rule.help.markdown, page);
      assert.equal(rule.shortDescription.text, RULES[i]!.title);
      assert.equal(rule.fullDescription.text, whatSection(page), rule.id);
      assert.ok(rule.fullDescription.text.length > 0, rule.id);
      assert.equal(rule.defaultConfiguration.level, { error: 'error', warning: 'warning', info: 'note' }[RULES[i]!.defaultSeverity]);
    }
    for (const result of log.runs[0].results as SarifResult[]) assert.equal(rules[result.ruleIndex]!.id, result.ruleId);
    const online = sarif(['--docs-url', 'https://example.test/repo/blob/v1/docs/rules/', 'examples/staging']);
    assert.equal(online.runs[0].tool.driver.rules[0].helpUri, `https://example.test/repo/blob/v1/docs/rules/${RULES[0]!.id}.md`);
  });

  it('reads the first paragraph of a page\'s "What" section', () => {
    assert.equal(whatSection('# x\n\n## What\nOne line\nand two.\n\nNot this.\n## Why\nNo.\n'), 'One line and two.');
    assert.equal(whatSection('# x\n\n## Why\nNo.\n'), undefined);
  });

  it('gives paths relative to %SRCROOT% (the folder netlens ran in), and absolute URIs for files outside it', () => {
    const staging = path.join(ROOT, 'examples', 'staging');
    const log = sarif(['.', '../capz'], staging);
    assert.ok(validate(log), schemaErrors());
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(staging).href + '/' } });
    const results = log.runs[0].results as SarifResult[];
    const inside = results.map((r) => r.locations[0]!.physicalLocation.artifactLocation).filter((location) => !location.uri.startsWith('file:'));
    assert.ok(inside.length > 0);
    for (const location of inside) {
      assert.equal(location.uriBaseId, '%SRCROOT%');
      assert.match(location.uri, /^(network|cluster)\.yaml$/);
    }
    const outside = results.map((r) => r.locations[0]!.physicalLocation.artifactLocation).filter((location) => location.uri.startsWith('file:'));
    assert.equal(inside.length + outside.length, results.length);
    assert.ok(outside.length > 0);
    for (const location of outside) {
      assert.equal(location.uriBaseId, undefined);
      assert.ok(location.uri.startsWith(pathToFileURL(path.join(ROOT, 'examples', 'capz')).href), location.uri);
    }
  });

  it('keeps partialFingerprints when lines move, and they tell the findings apart', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'netlens-fingerprints-'));
    cpSync(path.join(ROOT, 'examples', 'staging'), folder, { recursive: true });
    const before = sarif(['.'], folder).runs[0].results as SarifResult[];
    const network = path.join(folder, 'network.yaml');
    writeFileSync(network, `# moved\n# down\n# three lines\n${readFileSync(network, 'utf8')}`);
    const after = sarif(['.'], folder).runs[0].results as SarifResult[];
    const key = (r: SarifResult) => `${r.ruleId} ${r.partialFingerprints['netlensFindingHash/v1']}`;
    assert.deepEqual(after.map(key).sort(), before.map(key).sort());
    assert.equal(new Set(before.map(key)).size, before.length);
    const moved = (results: SarifResult[]) =>
      results.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'network.yaml').map((r) => r.locations[0]!.physicalLocation.region.startLine);
    assert.ok(moved(before).length > 0);
    assert.deepEqual(moved(after), moved(before).map((line) => line + 3));
    // A changed value is another finding.
    writeFileSync(network, readFileSync(network, 'utf8').replace('10.10.8.0/24', '10.10.9.0/24'));
    const changed = sarif(['.'], folder).runs[0].results as SarifResult[];
    const overlap = (results: SarifResult[]) => results.find((r) => r.ruleId === 'subnet-overlap')!.partialFingerprints['netlensFindingHash/v1'];
    assert.notEqual(overlap(changed), overlap(before));
  });
});
