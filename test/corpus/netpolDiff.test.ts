// The connectivity diff against np-guard/netpol-analyzer's diff suite (shared corpus, "Extension 3"): for every
// expected `test_outputs/diff/diff_between_<dir2>_and_<dir1>.<format>` (the output of `k8snetpolicy diff --dir1
// tests/<dir1> --dir2 tests/<dir2>`), our diff of the two case directories must equal it after trimming whitespace,
// in each format the suite has (txt, csv, md). A case that may differ must be listed below with the reason, and is
// checked to still differ, so the list cannot go stale.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diffFlows, formatDiffCsv, formatDiffMd, formatDiffText, type FlowChange } from '../../server/src/flows/diff.ts';
import { analysisOf, CASES, OUTPUTS } from './netpolCases.ts';

const EXPECTED = path.join(OUTPUTS, 'diff');

/** `<case pair>.<format>` files known to differ from netpol-analyzer's, with the reason. Empty: every one matches. */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};

const FORMATTERS: Readonly<Record<string, (changes: readonly FlowChange[]) => string>> = { txt: formatDiffText, csv: formatDiffCsv, md: formatDiffMd };

/** The two case directories of `diff_between_<dir2>_and_<dir1>`: the split at an `_and_` where both are cases. */
function casesOf(stem: string, cases: readonly string[]): { dir1: string; dir2: string } | undefined {
  const between = stem.slice('diff_between_'.length);
  for (let at = between.indexOf('_and_'); at >= 0; at = between.indexOf('_and_', at + 1)) {
    const dir2 = between.slice(0, at);
    const dir1 = between.slice(at + '_and_'.length);
    if (cases.includes(dir1) && cases.includes(dir2)) return { dir1, dir2 };
  }
  return undefined;
}

describe('netpol-analyzer diff suite', () => {
  const cases = existsSync(CASES) ? readdirSync(CASES) : [];
  const files = existsSync(EXPECTED) ? readdirSync(EXPECTED).filter((file) => file.startsWith('diff_between_')).sort() : [];

  it('is present in the shared corpus, each expected output naming two case directories', () => {
    assert.ok(files.length >= 21, `${files.length} expected diff outputs under ${EXPECTED}`);
    const stems = new Set(files.map((file) => file.replace(/\.[^.]+$/, '')));
    assert.ok(stems.size >= 21, `${stems.size} case pairs`);
    for (const stem of stems) assert.ok(casesOf(stem, cases), `${stem}: both directories are cases under ${CASES}`);
    for (const file of files) assert.ok(path.extname(file).slice(1) in FORMATTERS, `${file}: a format we write`);
    for (const name of Object.keys(KNOWN_DIFFERENCES)) assert.ok(files.includes(name), `listed difference ${name} is an expected output`);
  });

  const analyses = new Map<string, ReturnType<typeof analysisOf>>();
  const analysis = (name: string) => {
    let found = analyses.get(name);
    if (!found) analyses.set(name, (found = analysisOf(name)));
    return found;
  };

  for (const file of files) {
    it(file, async () => {
      const stem = file.replace(/\.[^.]+$/, '');
      const format = path.extname(file).slice(1);
      const pair = casesOf(stem, cases);
      assert.ok(pair, `${stem} names two case directories`);
      const changes = diffFlows(await analysis(pair.dir1), await analysis(pair.dir2));
      const actual = FORMATTERS[format]!(changes).trim();
      const expected = readFileSync(path.join(EXPECTED, file), 'utf8').trim();
      const reason = KNOWN_DIFFERENCES[file];
      if (reason !== undefined) {
        assert.notEqual(actual, expected, `${file} now matches: remove it from KNOWN_DIFFERENCES (${reason})`);
        return;
      }
      assert.equal(actual, expected);
    });
  }
});
