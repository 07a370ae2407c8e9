// Cilium's own policy examples (shared corpus, category I2: cilium/cilium examples/policies/**): every file reads
// without a problem into Cilium policies, and with a set of pods whose labels the examples name, a few flows checked by
// hand against the Cilium docs are pinned, tricky files (SOURCES.md) included.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyzeFlows, UNKNOWN_CONNECTION } from '../../server/src/flows/engine.ts';
import { readYamlFile } from '../../server/src/readers/yaml/yamlReader.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { findWorkspaceFiles } from '../../server/src/service/workspaceFiles.ts';

const EXAMPLES = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'cilium__cilium', 'examples', 'policies');

/** Pods with the labels the examples select, in the namespaces they name. */
const PODS: [namespace: string, name: string, labels: string][] = [
  ['default', 'frontend', 'role: frontend'],
  ['default', 'backend', 'role: backend'],
  ['default', 'my-service', 'app: myService'],
  ['default', 'crawler', 'role: crawler'],
  ['default', 'restricted', 'role: restricted'],
  ['default', 'test-app', 'app: test-app'],
  ['kube-system', 'kube-dns', 'k8s-app: kube-dns'],
  ['ns1', 'leia', 'name: leia'],
  ['ns2', 'luke', 'name: luke'],
];

const podsYaml = PODS.map(
  ([namespace, name, labels]) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: { ${labels} } }
spec: { containers: [{ name: c, image: x }] }
`,
).join('---\n');

function flowsWith(example: string) {
  const workspace = new Workspace();
  workspace.setFile('file:///pods.yaml', podsYaml);
  const file = path.join(EXAMPLES, example);
  workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
  const { flows, warnings } = analyzeFlows(workspace.analyze().model);
  const conn = (src: string, dst: string) => flows.find((flow) => flow.src === src && flow.dst === dst)?.conn ?? 'No Connections';
  return { conn, warnings };
}

const pod = (namespace: string, name: string) => `${namespace}/${name}[Pod]`;
const WORLD = '0.0.0.0-255.255.255.255[External]';

describe('Cilium policy examples (corpus I2)', () => {
  it('are present in the shared corpus', () => assert.ok(existsSync(EXAMPLES), EXAMPLES));

  it('every example reads into Cilium policies without a read problem', async () => {
    let policies = 0;
    let clusterwide = 0;
    for await (const file of findWorkspaceFiles(EXAMPLES)) {
      const facts = readYamlFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
      assert.deepEqual(facts.problems, [], file);
      assert.ok(facts.ciliumPolicies.length > 0, `${file} holds a Cilium policy`);
      for (const policy of facts.ciliumPolicies) {
        assert.ok(policy.rules.length > 0, `${file}: ${policy.name} has a rule`);
        if (policy.kind === 'CiliumClusterwideNetworkPolicy') clusterwide++;
        else policies++;
      }
    }
    assert.deepEqual({ policies, clusterwide }, { policies: 29, clusterwide: 4 }, '28 files of CiliumNetworkPolicy (one with two documents) and 4 clusterwide');
  });

  it('l3/simple/l3.yaml: only role=frontend reaches role=backend', () => {
    const { conn } = flowsWith('l3/simple/l3.yaml');
    assert.equal(conn(pod('default', 'frontend'), pod('default', 'backend')), 'All Connections');
    assert.equal(conn(pod('default', 'crawler'), pod('default', 'backend')), 'No Connections');
    assert.equal(conn(WORLD, pod('default', 'backend')), 'No Connections');
  });

  it('l4/l3_l4_combined.yaml: the mis-indented role lets every pod of the namespace in on TCP 80', () => {
    const { conn } = flowsWith('l4/l3_l4_combined.yaml');
    assert.equal(conn(pod('default', 'crawler'), pod('default', 'backend')), 'TCP 80');
    assert.equal(conn(pod('ns2', 'luke'), pod('default', 'backend')), 'No Connections');
  });

  it('kubernetes/namespace/namespace-policy.yaml: ns2/luke reaches ns1/leia, nothing else does', () => {
    const { conn } = flowsWith('kubernetes/namespace/namespace-policy.yaml');
    assert.equal(conn(pod('ns2', 'luke'), pod('ns1', 'leia')), 'All Connections');
    assert.equal(conn(pod('default', 'frontend'), pod('ns1', 'leia')), 'No Connections');
  });

  it('kubernetes/clusterwide/wildcard-from-endpoints.yaml: every pod reaches kube-dns on UDP 53, the world does not', () => {
    const { conn } = flowsWith('kubernetes/clusterwide/wildcard-from-endpoints.yaml');
    assert.equal(conn(pod('ns1', 'leia'), pod('kube-system', 'kube-dns')), 'UDP 53');
    assert.equal(conn(pod('default', 'frontend'), pod('kube-system', 'kube-dns')), 'UDP 53');
    assert.equal(conn(WORLD, pod('kube-system', 'kube-dns')), 'No Connections');
  });

  it('l3/egress-deny/egress-deny.yaml: frontend reaches everything but backend', () => {
    const { conn } = flowsWith('l3/egress-deny/egress-deny.yaml');
    assert.equal(conn(pod('default', 'frontend'), pod('default', 'backend')), 'No Connections');
    assert.equal(conn(pod('default', 'frontend'), pod('default', 'crawler')), 'All Connections');
    assert.equal(conn(pod('default', 'frontend'), WORLD), 'All Connections');
  });

  it('l3/egress-default-deny/egress-default-deny.yaml: egress written null is no egress section, so nothing is denied', () => {
    const { conn } = flowsWith('l3/egress-default-deny/egress-default-deny.yaml');
    assert.equal(conn(pod('default', 'restricted'), pod('default', 'backend')), 'All Connections');
    assert.equal(conn(pod('default', 'restricted'), WORLD), 'All Connections');
  });

  it('l3/cidr/cidr.yaml: 20.1.1.1 and 10.0.0.0/8 but not 10.96.0.0/12, and no pod', () => {
    const { conn } = flowsWith('l3/cidr/cidr.yaml');
    const from = pod('default', 'my-service');
    assert.equal(conn(from, '20.1.1.1-20.1.1.1[External]'), 'All Connections');
    assert.equal(conn(from, '10.0.0.0-10.95.255.255[External]'), 'All Connections');
    assert.equal(conn(from, '10.96.0.0-10.111.255.255[External]'), 'No Connections');
    assert.equal(conn(from, pod('default', 'frontend')), 'No Connections');
  });

  it('l3/fqdn/fqdn.yaml: kube-dns and the name, never resolved', () => {
    const { conn } = flowsWith('l3/fqdn/fqdn.yaml');
    const from = pod('default', 'test-app');
    assert.equal(conn(from, pod('kube-system', 'kube-dns')), 'All Connections');
    assert.equal(conn(from, 'my-remote-service.com[FQDN]'), 'All Connections');
    assert.equal(conn(from, WORLD), 'No Connections');
  });

  it('l3/entities/from_world_deny.yaml: nothing from the world, everything from the cluster', () => {
    const { conn } = flowsWith('l3/entities/from_world_deny.yaml');
    assert.equal(conn(WORLD, pod('default', 'frontend')), 'No Connections');
    assert.equal(conn(pod('ns2', 'luke'), pod('default', 'frontend')), 'All Connections');
  });

  it('l3/match-expressions/and-statement.yaml: operator "in" is not a selector operator, so the flows into default are unknown', () => {
    const { conn, warnings } = flowsWith('l3/match-expressions/and-statement.yaml');
    assert.equal(conn(pod('ns1', 'leia'), pod('default', 'frontend')), UNKNOWN_CONNECTION);
    assert.equal(conn(pod('default', 'frontend'), pod('ns1', 'leia')), 'All Connections');
    assert.ok(warnings.some((warning) => warning.includes("'in' is not a label selector operator")));
  });

  it('l7/http/http.yaml: TCP 80 into my-service, filtered by HTTP rules', () => {
    const { conn } = flowsWith('l7/http/http.yaml');
    assert.equal(conn(pod('default', 'frontend'), pod('default', 'my-service')), 'TCP 80 (with HTTP rules)');
  });
});
