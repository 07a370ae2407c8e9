// Unknown is not wrong: replacing any address literal by a template placeholder never adds a finding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../../server/src/service/workspace.ts';
import { findWorkspaceFiles } from '../../server/src/service/workspaceFiles.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');

function countByRule(workspace: Workspace): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of workspace.analyze().findings) counts.set(finding.rule, (counts.get(finding.rule) ?? 0) + 1);
  return counts;
}

describe('unknown is not wrong', () => {
  it('holds for every address literal of the examples and rule fixtures', async () => {
    const files = new Map<string, string>();
    for (const folder of ['examples', 'test/fixtures/rules']) {
      for await (const file of findWorkspaceFiles(path.join(ROOT, folder))) {
        if (file.endsWith('good.yaml') || file.includes('file-not-read')) continue;
        files.set(pathToFileURL(file).href, readFileSync(file, 'utf8'));
      }
    }
    const load = (replace?: { uri: string; text: string }) => {
      const workspace = new Workspace();
      for (const [uri, text] of files) workspace.setFile(uri, replace?.uri === uri ? replace.text : text);
      return workspace;
    };
    const baseline = load();
    const before = countByRule(baseline);
    let substitutions = 0;
    for (const literal of baseline.analyze().model.addressLiterals) {
      const { uri, start, end } = literal.source;
      const original = files.get(uri)!;
      // A value only the deployment knows: a template placeholder in YAML, a deploy-time expression in Bicep.
      const placeholder = uri.endsWith('.bicep') ? 'resourceGroup().tags.unknownValue' : '<UNKNOWN_VALUE>';
      const text = `${original.slice(0, start)}${placeholder}${original.slice(end)}`;
      const after = countByRule(load({ uri, text }));
      for (const [rule, count] of after) {
        assert.ok(count <= (before.get(rule) ?? 0), `${rule} fired more often after ${original.slice(start, end)} became unknown in ${uri}`);
      }
      substitutions++;
    }
    assert.ok(substitutions > 30, `${substitutions} literals substituted`);
  });
});
