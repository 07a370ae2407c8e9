// What the readers lower for traffic flows: pod labels and ports, owners, Namespaces, NetworkPolicy specs,
// Service selectors and ports, Ingress and Route backends; typed lists and JSON manifests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelSelector } from '../../server/src/model/network.ts';
import type { Value } from '../../server/src/model/source.ts';
import { readFile } from '../../server/src/readers/index.ts';
import { readYamlFile } from '../../server/src/readers/yaml/yamlReader.ts';

const URI = 'file:///test.yaml';

const selector = (value: Value<LabelSelector> | undefined) =>
  value?.known ? { labels: Object.fromEntries(value.value.matchLabels), expressions: value.value.matchExpressions } : value;

describe('reading for flows', () => {
  it('reads pod labels, container ports and owners of Pods and pod templates', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: v1
kind: Pod
metadata:
  name: web-abc
  labels: { app: web }
  ownerReferences:
    - { kind: ReplicaSet, name: web-5d8f, controller: true }
spec:
  containers:
    - name: c
      ports:
        - { name: http, containerPort: 8080 }
        - { containerPort: 53, protocol: UDP }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: jobs }
spec:
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: nightly } }
        spec:
          containers: [{ name: c }]
`,
    );
    const [pod, cron] = facts.workloads;
    assert.deepEqual(pod!.owner, { kind: 'ReplicaSet', name: 'web-5d8f' });
    assert.equal(pod!.namespace, undefined);
    assert.equal(pod!.namespaceUnknown, false);
    assert.deepEqual([...pod!.labels].map(([k, v]) => [k, v.known && v.value]), [['app', 'web']]);
    assert.deepEqual(
      pod!.containerPorts.map((p) => [p.name, p.containerPort.known && p.containerPort.value, p.protocol.known ? p.protocol.value : '-']),
      [['http', 8080, '-'], [undefined, 53, 'UDP']],
    );
    assert.equal(cron!.namespace, 'jobs');
    assert.equal(cron!.owner, undefined);
    const app = cron!.labels.get('app');
    assert.equal(app?.known && app.value, 'nightly');
  });

  it('reads the items of typed lists that do not name their kind', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: v1
kind: PodList
items:
  - metadata: { name: a, namespace: x, labels: { app: a } }
    spec: { containers: [] }
---
apiVersion: v1
kind: NamespaceList
items:
  - metadata: { name: x, labels: { team: blue } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicyList
items:
  - metadata: { name: deny, namespace: x }
    spec: { podSelector: {} }
`,
    );
    assert.deepEqual(facts.workloads.map((w) => `${w.kind}/${w.namespace}/${w.name}`), ['Pod/x/a']);
    assert.deepEqual(facts.namespaces.map((n) => [n.name, n.labels.get('team')?.known]), [['x', true]]);
    assert.deepEqual(facts.policies.map((p) => p.name), ['deny']);
  });

  it('reads a NetworkPolicy spec: selectors, peers, ipBlocks, ports and policy types', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec:
  podSelector:
    matchLabels: { app: db }
    matchExpressions:
      - { key: tier, operator: In, values: [a, b] }
  ingress:
    - from:
        - podSelector: { matchLabels: { app: web } }
          namespaceSelector: {}
        - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }
      ports:
        - { port: 5432 }
        - { port: http, protocol: TCP }
        - { port: 8000, endPort: 8010, protocol: UDP }
  egress:
    - {}
`,
    );
    const [policy] = facts.policies;
    assert.deepEqual(selector(policy!.podSelector), {
      labels: { app: 'db' },
      expressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
    });
    assert.equal(policy!.policyTypes.known, false);
    const [rule] = policy!.ingress;
    const [both, block] = rule!.peers;
    assert.deepEqual(selector(both!.podSelector), { labels: { app: 'web' }, expressions: [] });
    assert.deepEqual(selector(both!.namespaceSelector), { labels: {}, expressions: [] });
    assert.equal(both!.ipBlock, undefined);
    assert.equal(block!.podSelector, undefined);
    assert.ok(block!.ipBlock?.cidr.known && block.ipBlock.except.length === 1);
    assert.deepEqual(
      rule!.ports.map((p) => [p.port.known && p.port.value, p.protocol.known && p.protocol.value, p.endPort.known && p.endPort.value]),
      [[5432, false, false], ['http', 'TCP', false], [8000, 'UDP', 8010]],
    );
    assert.equal(policy!.egress.length, 1);
    assert.deepEqual(policy!.egress[0]!.peers, []);
    assert.ok(facts.addressLiterals.every((literal) => literal.role === 'network-policy-ip-block'));
    assert.equal(facts.addressLiterals.length, 2);
  });

  it('keeps placeholders unknown: selectors, namespaces, labels', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: "\${NS}" }
spec:
  podSelector: { matchLabels: { app: "{{ .Values.app }}" } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  template:
    metadata: { labels: { app: "\${APP}", tier: web } }
`,
    );
    const [policy] = facts.policies;
    assert.equal(policy!.namespaceUnknown, true);
    assert.equal(policy!.namespace, undefined);
    assert.equal(policy!.podSelector.known, false);
    const [deployment] = facts.workloads;
    assert.equal(deployment!.labels.get('app')?.known, false);
    assert.equal(deployment!.labels.get('tier')?.known, true);
  });

  it('reads Service selectors and ports, Ingress backends and Route targets', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports:
    - { name: http, port: 80, targetPort: http }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: in, namespace: shop }
spec:
  defaultBackend: { service: { name: web, port: { name: http } } }
  rules:
    - http:
        paths:
          - backend: { service: { name: web, port: { number: 80 } } }
          - backend: { resource: { kind: Bucket, name: b } }
---
apiVersion: route.openshift.io/v1
kind: Route
metadata: { name: r, namespace: shop }
spec:
  to: { kind: Service, name: web }
  port: { targetPort: 8080 }
`,
    );
    const [service] = facts.services;
    assert.ok(service!.selector.known && service!.selector.value.get('app') === 'web');
    assert.deepEqual(service!.ports.map((p) => [p.name, p.port.known && p.port.value, p.targetPort.known && p.targetPort.value]), [
      ['http', 80, 'http'],
    ]);
    assert.deepEqual(
      facts.ingressBackends.map((b) => `${b.kind}/${b.name}/${b.namespace}: ${b.serviceName.known && b.serviceName.value}:${b.servicePort.known && b.servicePort.value}`),
      ['Ingress/in/shop: web:http', 'Ingress/in/shop: web:80', 'Route/r/shop: web:8080'],
    );
  });

  it('reads Kubernetes JSON manifests and ignores every other JSON file', () => {
    const podList = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'a', labels: { app: 'a' } } }] });
    const manifest = readFile('file:///pods.json', podList);
    assert.equal(manifest?.languageId, 'json');
    assert.deepEqual(manifest!.facts.workloads.map((w) => w.name), ['a']);
    const arm = JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [{ type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/8'] } } }],
    });
    for (const text of [arm, '[{"src": "a"}]', '{ "compilerOptions": { } // comment\n}', '{ not json']) {
      const facts = readFile('file:///other.json', text)!.facts;
      assert.deepEqual([facts.workloads, facts.vnets, facts.problems, facts.addressLiterals], [[], [], [], []], text);
    }
  });
});
