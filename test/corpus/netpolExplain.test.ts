// Explain against the flow engine on np-guard/netpol-analyzer's cases (shared corpus): on every case, each pair's
// explanation agrees with the flow list and names a reason for each verdict (test/unit/explainAgreement.ts).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkModel } from '../unit/explainAgreement.ts';
import { CASES, modelOf } from './netpolCases.ts';

describe('explain agrees with the flow engine on netpol-analyzer cases', () => {
  const cases = existsSync(CASES) ? readdirSync(CASES).sort() : [];

  it('finds the cases in the shared corpus', () => assert.ok(cases.length >= 33, `${cases.length} cases under ${CASES}`));

  for (const name of cases) {
    it(name, async () => {
      const pairs = checkModel(await modelOf(name));
      assert.ok(pairs > 0, `${name}: no pair explained`);
    });
  }
});
