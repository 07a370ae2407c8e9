// The flow engine against np-guard/netpol-analyzer's connectivity suite (shared corpus, category D): for every
// case directory, the connection list must equal netpol-analyzer's expected `connlist` output after trimming
// whitespace, in text and (where the suite has it) JSON. A case that may differ must be listed below with the
// reason, and is checked to still differ, so the list cannot go stale.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatFlowsJson, formatFlowsText } from '../../server/src/flows/format.ts';
import { analysisOf, CASES, OUTPUTS } from './netpolCases.ts';

const EXPECTED = path.join(OUTPUTS, 'connlist');

/** Cases whose output is known to differ from netpol-analyzer's, with the reason. Empty: every case matches. */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};

describe('netpol-analyzer connlist suite', () => {
  const cases = existsSync(CASES) ? readdirSync(CASES).sort() : [];

  it('is present in the shared corpus, with an expected output for each case', () => {
    assert.ok(cases.length >= 33, `${cases.length} cases under ${CASES}`);
    for (const name of cases) assert.ok(existsSync(path.join(EXPECTED, `${name}_connlist_output.txt`)), name);
    for (const name of Object.keys(KNOWN_DIFFERENCES)) assert.ok(cases.includes(name), `listed difference ${name} is a case`);
  });

  for (const name of cases) {
    it(name, async () => {
      const { flows } = await analysisOf(name);
      const actual = formatFlowsText(flows).trim();
      const expected = readFileSync(path.join(EXPECTED, `${name}_connlist_output.txt`), 'utf8').trim();
      const reason = KNOWN_DIFFERENCES[name];
      if (reason !== undefined) {
        assert.notEqual(actual, expected, `${name} now matches: remove it from KNOWN_DIFFERENCES (${reason})`);
        return;
      }
      assert.equal(actual, expected);
      const json = path.join(EXPECTED, `${name}_connlist_output.json`);
      if (existsSync(json)) assert.equal(formatFlowsJson(flows).trim(), readFileSync(json, 'utf8').trim(), 'JSON output');
    });
  }
});
