// npm run new-rule: the scaffold writes a rule file, its doc page and fixtures, registers the rule at the end of the
// catalogue and syncs the settings, in a copy of the project (the repository itself is left as it is).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { exportName, registered, scaffoldRule, syncRuleSettings } from '../../scripts/new-rule.ts';
import { emptyModel } from '../../server/src/model/network.ts';
import type { Rule } from '../../server/src/rules/rule.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const RULE = { id: 'example-scaffolded-rule', title: "The scaffold's example", severity: 'error' as const };

describe('new-rule scaffold', () => {
  let copy = '';
  let written: string[] = [];
  const read = (file: string) => readFileSync(path.join(copy, file), 'utf8');

  before(() => {
    copy = mkdtempSync(path.join(tmpdir(), 'netlens-new-rule-'));
    for (const part of ['package.json', 'README.md', 'schemas', 'scripts', path.join('server', 'src'), path.join('docs', 'rules')]) {
      cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    written = scaffoldRule(copy, RULE);
    syncRuleSettings(copy);
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('writes the rule, its page, its fixtures and the catalogue', () => {
    assert.deepEqual(written, [
      'server/src/rules/example-scaffolded-rule.ts',
      'docs/rules/example-scaffolded-rule.md',
      'test/fixtures/rules/example-scaffolded-rule/bad.yaml',
      'test/fixtures/rules/example-scaffolded-rule/good.yaml',
      'server/src/rules/catalogue.ts',
    ]);
    assert.ok(!existsSync(path.join(ROOT, written[0]!)), 'nothing is written into the repository');
  });

  it('the rule file defines the rule with defineRule', () => {
    const source = read(written[0]!);
    assert.match(source, /export const exampleScaffoldedRule = defineRule\(\{/);
    assert.match(source, /id: 'example-scaffolded-rule',/);
    assert.match(source, /defaultSeverity: 'error',/);
  });

  it('the doc page has the structure the rule docs test reads', () => {
    const page = read(written[1]!);
    assert.ok(page.startsWith('# example-scaffolded-rule\n'));
    assert.ok(page.includes(`**Severity:** error · **Title:** ${RULE.title}`));
    for (const heading of ['## What', '## Why', '## Source', '## Bad\n```yaml\n', '## Good\n```yaml\n']) assert.ok(page.includes(heading), heading);
  });

  it('the bad fixture marks a finding of the rule; the good one marks none', () => {
    assert.match(read(written[2]!), /# expect: example-scaffolded-rule$/m);
    assert.doesNotMatch(read(written[3]!), /expect:/);
  });

  it('the catalogue runs the rule last, and the settings and README list it', async () => {
    const { RULES } = (await import(pathToFileURL(path.join(copy, written[4]!)).href)) as { RULES: readonly Rule[] };
    const last = RULES[RULES.length - 1]!;
    assert.deepEqual([last.id, last.title, last.defaultSeverity], [RULE.id, RULE.title, RULE.severity]);
    assert.deepEqual(last.check(emptyModel()), [], 'a new rule reports nothing until its check is written');
    const settings = JSON.parse(read('package.json')).contributes.configuration.properties['aksNetworkLens.rules'].properties;
    assert.equal(settings[RULE.id].description, `${RULE.title} (default: error).`);
    assert.ok(read('README.md').includes(`| [\`${RULE.id}\`](docs/rules/${RULE.id}.md) | error | ${RULE.title} |`));
    assert.ok(read(path.join('schemas', 'rules.schema.json')).includes(`"${RULE.id}"`));
  });

  it('refuses an id that exists or is not kebab-case, and writes nothing then', () => {
    assert.throws(() => scaffoldRule(copy, RULE), /exists already/);
    assert.throws(() => scaffoldRule(copy, { ...RULE, id: 'Bad_Id' }), /kebab-case/);
    assert.ok(!existsSync(path.join(copy, 'docs', 'rules', 'Bad_Id.md')));
  });
});

describe('new-rule registration', () => {
  const catalogue = [
    "import { alphaRule } from './alpha-rule';",
    "import { gammaRule } from './gamma-rule';",
    "import type { Rule } from './rule';",
    '',
    'export const RULES: readonly Rule[] = [',
    '  gammaRule,',
    '  alphaRule,',
    '];',
    '',
  ].join('\n');

  it('imports the rule in file order and appends it to the table', () => {
    assert.equal(
      registered(catalogue, 'beta-rule'),
      [
        "import { alphaRule } from './alpha-rule';",
        "import { betaRule } from './beta-rule';",
        "import { gammaRule } from './gamma-rule';",
        "import type { Rule } from './rule';",
        '',
        'export const RULES: readonly Rule[] = [',
        '  gammaRule,',
        '  alphaRule,',
        '  betaRule,',
        '];',
        '',
      ].join('\n'),
    );
    assert.match(registered(catalogue, 'zeta-rule'), /gamma-rule';\nimport \{ zetaRule \} from '\.\/zeta-rule';\n/);
    assert.equal(exportName('dns-service-ip-first-address'), 'dnsServiceIpFirstAddress');
  });
});
