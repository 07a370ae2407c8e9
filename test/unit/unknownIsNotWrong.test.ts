// Unknown is not wrong: replacing any address literal by a template placeholder never adds or changes a finding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { findWorkspaceFiles } from '../../server/src/service/workspaceFiles.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');

/**
 * A finding as a comparable key: rule, level, file and where (in the original text's offsets). Not its message: the
 * numbers a message gives may drop with what became unknown (a range no longer listed), the finding stays the same.
 */
type Shift = { uri: string; start: number; end: number; delta: number } | undefined;

function findingKeys(workspace: Workspace, shift?: Shift): string[] {
  return workspace.analyze().findings.map((finding) => {
    let { start, end } = finding.source;
    if (shift && finding.source.uri === shift.uri) {
      // Offsets after the placeholder move back by the length it added; a finding on the placeholder stays new.
      const placeholderEnd = shift.end + shift.delta;
      if (start >= placeholderEnd) start -= shift.delta;
      else if (start >= shift.start) start = -1 - start;
      if (end >= placeholderEnd) end -= shift.delta;
      else if (end > shift.start) end = -1 - end;
    }
    return `${finding.rule} ${finding.severity} ${finding.source.uri}:${start}-${end}`;
  });
}

function counted(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The variable a Terraform placeholder reads: declared without a default, so its value is known only at apply. */
const TERRAFORM_UNKNOWN = 'netlens_unknown_value';

/**
 * A value only the deployment knows, in the file's own language: a template placeholder in YAML, a deploy-time
 * expression in Bicep, a variable without a default in Terraform (declared at the end of the file, after every finding).
 */
function withPlaceholder(uri: string, original: string, start: number, end: number): { text: string; placeholder: string } {
  if (/\.tf$/.test(uri)) {
    const placeholder = `var.${TERRAFORM_UNKNOWN}`;
    return { placeholder, text: `${original.slice(0, start)}${placeholder}${original.slice(end)}\nvariable "${TERRAFORM_UNKNOWN}" {}\n` };
  }
  const placeholder = /\.bicep(param)?$/.test(uri) ? 'resourceGroup().tags.unknownValue' : '<UNKNOWN_VALUE>';
  return { placeholder, text: `${original.slice(0, start)}${placeholder}${original.slice(end)}` };
}

describe('unknown is not wrong', () => {
  before(() => loadHclParser());

  it('holds for every address literal of the examples and rule fixtures', async () => {
    const files = new Map<string, string>();
    for (const folder of ['examples', 'test/fixtures/rules']) {
      for await (const file of findWorkspaceFiles(path.join(ROOT, folder))) {
        if (file.endsWith('good.yaml') || file.includes('file-not-read')) continue;
        // A folder's .tf files are one configuration: each fixture (bad.tf, good.tf) is given a folder of its own.
        const uri = pathToFileURL(/\/(bad|good)\.tf$/.test(file) ? file.replace(/\.tf$/, '/main.tf') : file).href;
        files.set(uri, readFileSync(file, 'utf8'));
      }
    }
    // One workspace, the substituted file swapped in and back: each edit re-reads that file alone and re-evaluates only
    // the deployments that read it, as in the editor. At the end, with every file back, the findings are the first ones.
    const baseline = new Workspace();
    for (const [uri, text] of files) baseline.setFile(uri, text);
    const before = counted(findingKeys(baseline));
    const load = (replace: { uri: string; text: string }) => {
      baseline.setFile(replace.uri, replace.text);
      return baseline;
    };
    let substitutions = 0;
    let terraform = 0;
    for (const literal of [...baseline.analyze().model.addressLiterals]) {
      const { uri, start, end } = literal.source;
      const original = files.get(uri)!;
      const { text, placeholder } = withPlaceholder(uri, original, start, end);
      // Every finding after the substitution is one of the findings before it: none new, none changed (a count per
      // rule would let a new finding take the place of one that vanished).
      const after = findingKeys(load({ uri, text }), { uri, start, end, delta: placeholder.length - (end - start) });
      load({ uri, text: original });
      const added = [...counted(after)].filter(([key, count]) => count > (before.get(key) ?? 0)).map(([key]) => key);
      assert.deepEqual(added, [], `after ${original.slice(start, end)} became unknown in ${uri}`);
      substitutions++;
      if (/\.tf$/.test(uri)) terraform++;
    }
    assert.deepEqual(counted(findingKeys(baseline)), before, 'every file swapped back gives the findings it gave at first');
    assert.ok(substitutions > 30, `${substitutions} literals substituted`);
    assert.ok(terraform > 30, `${terraform} Terraform literals substituted`);
  });
});
