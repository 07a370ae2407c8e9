// A rule that throws is recorded as a failure; the other rules still report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES, runRules } from '../../server/src/rules/catalogue.ts';
import type { Rule } from '../../server/src/rules/rule.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

describe('rule failures', () => {
  it('isolate the failing rule and keep the others', () => {
    const workspace = new Workspace();
    workspace.setFile('file:///w/a.yaml', 'apiVersion: containerservice.azure.com/v20250801\nkind: ManagedCluster\nmetadata:\n  name: a\nspec:\n  networkProfile:\n    serviceCidr: 10.0.0.0/8\n');
    const broken: Rule = { id: 'broken', title: 'Always throws', defaultSeverity: 'error', facts: [], check: () => { throw new Error('boom'); } };
    const { findings, failures } = runRules(workspace.analyze().model, [broken, ...RULES]);
    assert.deepEqual(failures.map((f) => f.rule), ['broken']);
    assert.match(failures[0]!.error, /boom/);
    assert.deepEqual(findings.map((f) => f.rule), ['service-cidr-too-large']);
  });
});
