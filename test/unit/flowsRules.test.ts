// The NetworkPolicy rules on cases the fixtures do not show: what keeps them silent (unknowns, namespaces
// outside the workspace) and how they name what they found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/service/workspace.ts';

function findings(files: Record<string, string>, rule: string): string[] {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///${name}`, text);
  return workspace
    .analyze()
    .findings.filter((finding) => finding.rule === rule)
    .map((finding) => finding.message);
}

const deployment = (name: string, namespace: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  template:
    metadata: { labels: ${labels} }
`;

const policy = (namespace: string, podSelector: string, ingress = '[]') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: ${namespace} }
spec:
  podSelector: ${podSelector}
  ingress: ${ingress}
`;

const file = (...documents: string[]) => documents.join('---\n');

describe('netpol-selects-nothing', () => {
  it('fires within the policy\'s file, naming the namespace and the selector', () => {
    const messages = findings({ 'shop.yaml': file(deployment('web', 'shop', '{ app: web }'), policy('shop', '{ matchLabels: { app: webapp } }')) }, 'netpol-selects-nothing');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /NetworkPolicy p selects no pod: none of the 1 workload\(s\) in namespace shop in this file has labels matching app=webapp/);
  });

  it('does not judge a policy by workloads of other files (unrelated files share namespaces such as default)', () => {
    assert.deepEqual(
      findings({ 'web.yaml': deployment('web', 'shop', '{ app: web }'), 'policy.yaml': policy('shop', '{ matchLabels: { app: webapp } }') }, 'netpol-selects-nothing'),
      [],
    );
  });

  it('stays silent when a workload that might match has an unknown label or namespace', () => {
    const selector = '{ matchLabels: { app: webapp } }';
    assert.deepEqual(findings({ 'a.yaml': file(deployment('web', 'shop', '{ app: "${APP}" }'), policy('shop', selector)) }, 'netpol-selects-nothing'), []);
    assert.deepEqual(
      findings(
        { 'a.yaml': file(deployment('web', 'shop', '{ app: web }'), deployment('other', '"${NAMESPACE}"', '{ app: webapp }'), policy('shop', selector)) },
        'netpol-selects-nothing',
      ),
      [],
    );
  });

  it('counts objects without a namespace as in default', () => {
    const workload = `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
`;
    assert.equal(findings({ 'a.yaml': file(workload, policy('default', '{ matchLabels: { app: api } }')) }, 'netpol-selects-nothing').length, 1);
    assert.equal(findings({ 'a.yaml': file(workload, policy('default', '{ matchLabels: { app: web } }')) }, 'netpol-selects-nothing').length, 0);
  });
});

describe('netpol-peer-matches-nothing', () => {
  it('judges every namespace an In list names, and only when the file holds workloads of each', () => {
    const peer = `[{ from: [{ namespaceSelector: { matchExpressions: [{ key: kubernetes.io/metadata.name, operator: In, values: [a, b] }] }, podSelector: { matchLabels: { app: agent } } }] }]`;
    const a = deployment('x', 'a', '{ app: x }');
    const p = policy('shop', '{}', peer);
    assert.deepEqual(findings({ 'p.yaml': file(a, p) }, 'netpol-peer-matches-nothing'), [], 'namespace b is not in the file');
    assert.deepEqual(findings({ 'p.yaml': file(a, p), 'b.yaml': deployment('y', 'b', '{ app: y }') }, 'netpol-peer-matches-nothing'), [], 'namespace b is in another file');
    const both = findings({ 'p.yaml': file(a, deployment('y', 'b', '{ app: y }'), p) }, 'netpol-peer-matches-nothing');
    assert.equal(both.length, 1);
    assert.match(both[0]!, /no workload in namespaces a, b in this file has labels matching app=agent/);
    assert.deepEqual(findings({ 'p.yaml': file(a, deployment('agent', 'b', '{ app: agent }'), p) }, 'netpol-peer-matches-nothing'), []);
  });

  it('judges egress peers too', () => {
    const messages = findings(
      {
        'a.yaml': file(
          deployment('web', 'shop', '{ app: web }'),
          `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: out, namespace: shop }
spec:
  podSelector: {}
  egress: [{ to: [{ podSelector: { matchLabels: { app: cache } } }] }]
`,
        ),
      },
      'netpol-peer-matches-nothing',
    );
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /This to peer of NetworkPolicy out matches no pod.*allows nothing to it/);
  });
});

describe('cilium-ipblock-cluster-range', () => {
  const cluster = (dataplane: string) => `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata: { name: aks }
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    networkDataplane: ${dataplane}
    podCidr: 10.244.0.0/16
  agentPoolProfiles: [{ name: sys, count: 3 }]
`;
  const blocks = policy('shop', '{}', '[{ from: [{ ipBlock: { cidr: 10.244.128.0/17 } }, { ipBlock: { cidr: 10.0.0.0/8, except: [10.244.0.0/16] } }] }]');

  it('fires on an ipBlock that overlaps the pod CIDR, not on one whose except leaves it out', () => {
    const messages = findings({ 'c.yaml': cluster('cilium'), 'p.yaml': blocks }, 'cilium-ipblock-cluster-range');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /ipBlock 10\.244\.128\.0\/17 of NetworkPolicy p includes the pod CIDR 10\.244\.0\.0\/16 of cluster aks/);
  });

  it('stays silent on other dataplanes and unknown ones', () => {
    assert.deepEqual(findings({ 'c.yaml': cluster('azure'), 'p.yaml': blocks }, 'cilium-ipblock-cluster-range'), []);
    assert.deepEqual(findings({ 'c.yaml': cluster('"${DATAPLANE}"'), 'p.yaml': blocks }, 'cilium-ipblock-cluster-range'), []);
  });
});
