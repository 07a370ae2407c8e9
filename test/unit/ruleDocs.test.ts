// Every rule has a true doc page: id, title, severity, its facts' sources, and examples that behave as described.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { RULES } from '../../server/src/rules/catalogue.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const DOCS = path.join(import.meta.dirname, '..', '..', 'docs', 'rules');

/** The example under a heading, with its file extension (`yaml`, `bicep`, or `tf` for a `terraform` block). */
function example(page: string, heading: 'Bad' | 'Good'): { language: string; text: string } | undefined {
  const match = new RegExp(`## ${heading}\\n\`\`\`(yaml|bicep|terraform)\\n([\\s\\S]*?)\`\`\``).exec(page);
  return match ? { language: match[1] === 'terraform' ? 'tf' : match[1]!, text: match[2]! } : undefined;
}

/** Rules an example fires, leaving out info-level advice of other rules (e.g. a kubenet retirement note). */
function rulesFiredBy(example: { language: string; text: string }, ruleId: string): string[] {
  const workspace = new Workspace();
  workspace.setFile(`file:///doc-example.${example.language}`, example.text);
  return workspace
    .analyze()
    .findings.filter((finding) => finding.rule === ruleId || finding.severity !== 'info')
    .map((finding) => finding.rule);
}

describe('rule docs', () => {
  before(() => loadHclParser());

  it('has a page for every rule and no page without a rule', () => {
    assert.deepEqual(
      readdirSync(DOCS).sort(),
      RULES.map((rule) => `${rule.id}.md`).sort(),
    );
  });

  for (const rule of RULES) {
    it(`${rule.id}: names the rule, its severity and the sources of its facts`, () => {
      const file = path.join(DOCS, `${rule.id}.md`);
      assert.ok(existsSync(file));
      const page = readFileSync(file, 'utf8');
      assert.ok(page.startsWith(`# ${rule.id}\n`));
      assert.ok(page.includes(`**Severity:** ${rule.defaultSeverity}`), 'severity');
      assert.ok(page.includes(`**Title:** ${rule.title}`), 'title');
      assert.match(page, /## Source\n/);
      for (const fact of rule.facts) assert.ok(page.includes(fact.link), `links ${fact.link}`);
    });

    it(`${rule.id}: its bad example fires the rule and its good example fires nothing`, () => {
      const page = readFileSync(path.join(DOCS, `${rule.id}.md`), 'utf8');
      if (page.includes('<!-- no example:')) {
        assert.equal(example(page, 'Bad'), undefined, 'a page without examples says why and has none');
        return;
      }
      const bad = example(page, 'Bad');
      const good = example(page, 'Good');
      assert.ok(bad && good, 'has Bad and Good examples');
      assert.ok(rulesFiredBy(bad, rule.id).includes(rule.id), `bad example fires ${rule.id}: ${rulesFiredBy(bad, rule.id)}`);
      assert.deepEqual(rulesFiredBy(good, rule.id), []);
    });
  }
});
