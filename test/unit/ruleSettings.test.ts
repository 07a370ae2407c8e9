// A user's severity setting moves a rule's levels and keeps its grading (issue 21): a rule set to warning reports
// what it grades as error as warning and what it grades lower as info, never all at one level; SARIF's
// defaultConfiguration says the level the workspace configures.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkPaths, formatSarif } from '../../server/src/cli/check.ts';
import { RULES } from '../../server/src/rules/catalogue.ts';
import { scaledSeverity } from '../../server/src/rules/severity.ts';
import { type RuleSetting, Workspace } from '../../server/src/service/workspace.ts';

// Two clusters: a /11 service range (error: larger than AKS accepts) and a /12 (warning: unconfirmed), on kubenet with
// a Docker bridge (deprecated-network-setting: warning for the bridge, info for kubenet's retirement).
const CLUSTERS = `apiVersion: containerservice.azure.com/v1api20230201
kind: ManagedCluster
metadata:
  name: big
spec:
  networkProfile:
    networkPlugin: kubenet
    dockerBridgeCidr: 172.17.0.1/16
    podCidr: 10.244.0.0/16
    serviceCidr: 10.96.0.0/11
    dnsServiceIP: 10.96.0.10
---
apiVersion: containerservice.azure.com/v1api20230201
kind: ManagedCluster
metadata:
  name: edge
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    podCidr: 10.244.0.0/16
    serviceCidr: 10.128.0.0/12
    dnsServiceIP: 10.128.0.10
`;

function levels(settings: Record<string, RuleSetting>, rule: string): string[] {
  const workspace = new Workspace();
  workspace.setFile('file:///w/clusters.yaml', CLUSTERS);
  workspace.setRuleSettings(new Map(Object.entries(settings)));
  return workspace
    .analyze()
    .findings.filter((f) => f.rule === rule)
    .map((f) => `${f.message.split(' ').slice(0, 3).join(' ')}: ${f.severity}`)
    .sort();
}

describe('rule severity settings', () => {
  it('keep the grading of service-cidr-too-large (error past /12, warning at /12)', () => {
    const unset = levels({}, 'service-cidr-too-large');
    assert.deepEqual(unset, ['Service CIDR 10.128.0.0/12: warning', 'Service CIDR 10.96.0.0/11: error']);
    assert.deepEqual(levels({ 'service-cidr-too-large': 'warning' }, 'service-cidr-too-large'), ['Service CIDR 10.128.0.0/12: info', 'Service CIDR 10.96.0.0/11: warning']);
    assert.deepEqual(levels({ 'service-cidr-too-large': 'error' }, 'service-cidr-too-large'), unset);
    assert.deepEqual(levels({ 'service-cidr-too-large': 'info' }, 'service-cidr-too-large'), ['Service CIDR 10.128.0.0/12: info', 'Service CIDR 10.96.0.0/11: info']);
    assert.deepEqual(levels({ 'service-cidr-too-large': 'off' }, 'service-cidr-too-large'), []);
  });

  it('keep the grading of deprecated-network-setting (warning by default, info for advice)', () => {
    assert.deepEqual(levels({}, 'deprecated-network-setting'), ['Kubenet is retired: info', 'dockerBridgeCidr has had: warning']);
    assert.deepEqual(levels({ 'deprecated-network-setting': 'error' }, 'deprecated-network-setting'), ['Kubenet is retired: warning', 'dockerBridgeCidr has had: error']);
  });

  it('never raise a finding above the setting, nor below info', () => {
    for (const rule of RULES) {
      for (const found of ['error', 'warning', 'info'] as const) {
        for (const setting of ['error', 'warning', 'info'] as const) {
          const level = scaledSeverity(rule, found, setting);
          const rank = { info: 0, warning: 1, error: 2 };
          assert.ok(rank[level] <= rank[setting], `${rule.id} ${found} under ${setting} -> ${level}`);
          if (found === rule.defaultSeverity) assert.equal(level, setting, `${rule.id}: its default level takes the setting`);
        }
      }
    }
  });

  it('give SARIF a defaultConfiguration that agrees with the results', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'netlens-settings-'));
    writeFileSync(path.join(folder, 'clusters.yaml'), CLUSTERS);
    writeFileSync(path.join(folder, '.aksnetlens.yaml'), 'rules: { service-cidr-too-large: warning, deprecated-network-setting: off }\n');
    const result = await checkPaths([folder], folder, () => {});
    const sarif = JSON.parse(formatSarif(result, 'file:///docs', '0.0.0'));
    const [run] = sarif.runs;
    const rule = (id: string) => run.tool.driver.rules.find((r: { id: string }) => r.id === id);
    assert.deepEqual(rule('service-cidr-too-large').defaultConfiguration, { level: 'warning' });
    assert.deepEqual(rule('deprecated-network-setting').defaultConfiguration, { level: 'warning', enabled: false });
    assert.deepEqual(rule('reserved-range').defaultConfiguration, { level: 'error' });
    const results = run.results.filter((r: { ruleId: string }) => r.ruleId === 'service-cidr-too-large').map((r: { level: string }) => r.level).sort();
    assert.deepEqual(results, ['note', 'warning']);
    assert.equal(run.results.filter((r: { ruleId: string }) => r.ruleId === 'deprecated-network-setting').length, 0);
  });
});
