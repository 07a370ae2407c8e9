// Every quick fix on the rule fixtures, applied: its finding goes away and no other finding appears.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Finding, Fix } from '../../server/src/rules/rule.ts';
import { loadFromDisk } from '../../server/src/service/diskFiles.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'rules');

function analyze(uri: string, text: string) {
  const workspace = new Workspace(loadFromDisk);
  workspace.setFile(uri, text);
  return workspace;
}

/** The text of the line an offset is on: a finding's place that survives lines added or removed elsewhere. */
function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end === -1 ? text.length : end).trim();
}

/** Findings counted by rule and line text, so that a fix can be checked to remove one and add none. */
function counts(workspace: Workspace, uri: string, text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const finding of workspace.analyze().findings) {
    if (finding.source.uri !== uri) continue;
    const key = `${finding.rule}@${lineAt(text, finding.source.start)}`;
    result.set(key, (result.get(key) ?? 0) + 1);
  }
  return result;
}

function apply(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.source.start - a.source.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.source.start) + edit.newText + result.slice(edit.source.end);
  return result;
}

const cases: { file: string; finding: Finding; fix: Fix }[] = [];
for (const rule of readdirSync(FIXTURES)) {
  for (const name of readdirSync(path.join(FIXTURES, rule)).filter((f) => f.startsWith('bad.'))) {
    const file = path.join(FIXTURES, rule, name);
    // A fixture folder's files are read together (rules.test.ts); the quick fixes here are those of one-file fixtures.
    if (statSync(file).isDirectory()) continue;
    const workspace = analyze(pathToFileURL(file).href, readFileSync(file, 'utf8'));
    for (const finding of workspace.analyze().findings) for (const fix of finding.fixes ?? []) cases.push({ file, finding, fix });
  }
}

describe('quick fixes', () => {
  it('exist for the rules where a fix is well defined', () => {
    const rules = new Set(cases.map((c) => c.finding.rule));
    for (const rule of [
      'cidr-host-bits',
      'dns-service-ip-first-address',
      'dns-service-ip-outside-service-cidr',
      'max-pods-range',
      'max-pods-windows',
      'service-cidr-too-large',
      'address-range-overlap',
      'reserved-range',
      'subnet-capacity',
      'pod-cidr-capacity',
      'snat-port-capacity',
      'ingress-api-deprecated',
    ]) {
      assert.ok(rules.has(rule), `a fix for ${rule}`);
    }
  });

  for (const { file, finding, fix } of cases) {
    it(`${path.basename(path.dirname(file))}/${path.basename(file)}: "${fix.title}" removes its finding and adds none`, () => {
      const uri = pathToFileURL(file).href;
      const text = readFileSync(file, 'utf8');
      assert.ok(fix.edits.every((edit) => edit.source.uri === uri), 'edits stay in the file');
      const fixed = apply(text, fix);
      const before = counts(analyze(uri, text), uri, text);
      const after = counts(analyze(uri, fixed), uri, fixed);
      const key = `${finding.rule}@${lineAt(text, finding.source.start)}`;
      assert.ok((after.get(key) ?? 0) < before.get(key)!, `${key} is gone after the fix:\n${fixed}`);
      for (const [other, count] of after) {
        assert.ok(count <= (before.get(other) ?? 0), `the fix added ${other}:\n${fixed}`);
      }
    });
  }
});
