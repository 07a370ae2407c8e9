// defineRule: a finding takes its rule's id and default level unless the rule grades it, and fixes come from a
// finding's subject. And the shape of rules/: one file per rule, named by its id, each in the catalogue.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { emptyModel } from '../../server/src/model/network.ts';
import type { Source } from '../../server/src/model/source.ts';
import { RULES } from '../../server/src/rules/catalogue.ts';
import { replaceWith } from '../../server/src/rules/fixes.ts';
import { defineRule } from '../../server/src/rules/rule.ts';

const at = (start: number): Source => ({ uri: 'file:///w/a.yaml', start, end: start + 2 });

describe('defineRule', () => {
  const graded = defineRule<number>({
    id: 'example-rule',
    title: 'An example',
    defaultSeverity: 'warning',
    facts: [],
    check: () => [
      { message: 'at the default level', source: at(0) },
      { message: 'graded lower', source: at(10), severity: 'info' },
      { message: 'with a subject', source: at(20), subject: 42 },
      { message: 'with a subject no fix can mend', source: at(30), subject: -1 },
    ],
    fixes: (_model, value, source) => (value < 0 ? [] : [replaceWith(`Use ${value}`, source, value)]),
  });
  const findings = graded.check(emptyModel());

  it('keeps the rule data', () => {
    assert.deepEqual([graded.id, graded.title, graded.defaultSeverity, graded.facts], ['example-rule', 'An example', 'warning', []]);
  });

  it('gives each finding the rule id, and the default severity unless the finding is graded', () => {
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.message]),
      [
        ['example-rule', 'warning', 'at the default level'],
        ['example-rule', 'info', 'graded lower'],
        ['example-rule', 'warning', 'with a subject'],
        ['example-rule', 'warning', 'with a subject no fix can mend'],
      ],
    );
  });

  it('asks for fixes only for a finding with a subject, at its source, and leaves out an empty list', () => {
    assert.deepEqual(findings.map((f) => f.fixes?.map((fix) => fix.title)), [undefined, undefined, ['Use 42'], undefined]);
    assert.deepEqual(findings[2]!.fixes![0]!.edits, [{ source: at(20), newText: '42' }]);
    assert.ok(findings.every((f) => !('subject' in f)), 'the subject stays inside the rule');
  });
});

describe('rules/ shape', () => {
  const RULES_DIR = path.join(import.meta.dirname, '..', '..', 'server', 'src', 'rules');

  it('each rule of the catalogue is the file named by its id', async () => {
    for (const rule of RULES) {
      const module: Record<string, unknown> = await import(path.join(RULES_DIR, `${rule.id}.ts`));
      assert.ok(Object.values(module).includes(rule), `rules/${rule.id}.ts exports ${rule.id}`);
    }
  });

  it('each kebab-case file under rules/ is a rule of the catalogue', () => {
    const files = readdirSync(RULES_DIR).filter((file) => /^[a-z0-9]+(-[a-z0-9]+)+\.ts$/.test(file));
    assert.deepEqual(files.map((file) => file.slice(0, -3)).sort(), RULES.map((rule) => rule.id).sort());
  });
});
