// Exposure (flows/exposure.ts): what pods that do not exist yet could get from or give to each workload, in the
// manner of netpol-analyzer's exposure analysis; cases written after the kinds its documentation lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowsCommand } from '../../server/src/cli/flowsCommand.ts';
import { exposureOf, exposureSelector, formatExposureText } from '../../server/src/flows/exposure.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { runCommand } from '../helpers/runCommand.ts';

/** Namespace shop with web (app=web, ports 8080, 9090) and db (app=db, port 5432); namespace backend with api (app=api). */
const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, ports: [{ name: http, containerPort: 8080 }, { containerPort: 9090 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: c, ports: [{ containerPort: 5432 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: backend }
spec:
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: c }] }
`;

const WEB = 'shop/web[Deployment]';
const DB = 'shop/db[Deployment]';
const API = 'backend/api[Deployment]';

function exposure(...documents: string[]) {
  const workspace = new Workspace();
  workspace.setFile('file:///cluster.yaml', [CLUSTER, ...documents].join('\n---\n'));
  return exposureOf(workspace.analyze().model);
}

/** The items of one workload and direction as `target : conn` lines. */
function itemsOf(result: ReturnType<typeof exposure>, peer: string, direction: 'ingress' | 'egress'): string[] {
  return result.items.filter((item) => item.peer === peer && item.direction === direction).map((item) => `${item.target} : ${item.ports.toString()}`);
}

const np = (name: string, spec: string, namespace = 'shop') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}`;

const ingressTo = (app: string, from: string, ports = '') => np(`${app}-in`, `  podSelector: { matchLabels: { app: ${app} } }\n  ingress:\n  - from:\n${from}${ports}`);

describe('exposure', () => {
  it('a workload no policy isolates is exposed to the entire cluster and every address outside, and is listed as not protected', () => {
    const result = exposure();
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), ['0.0.0.0-255.255.255.255[External] : All Connections', 'entire-cluster : All Connections']);
    assert.deepEqual(itemsOf(result, WEB, 'egress'), ['0.0.0.0-255.255.255.255[External] : All Connections', 'entire-cluster : All Connections']);
    assert.deepEqual(
      result.unprotected.filter((entry) => entry.peer === WEB),
      [
        { peer: WEB, direction: 'egress' },
        { peer: WEB, direction: 'ingress' },
      ],
    );
  });

  it('a rule with namespaceSelector {} exposes its ports to the entire cluster; a policy without rules exposes nothing', () => {
    const result = exposure(ingressTo('web', '    - namespaceSelector: {}\n', '    ports: [{ port: 8080 }]'), np('db-deny', '  podSelector: { matchLabels: { app: db } }\n  policyTypes: [Ingress, Egress]'));
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), ['entire-cluster : TCP 8080']);
    assert.deepEqual(itemsOf(result, DB, 'ingress'), []);
    assert.deepEqual(itemsOf(result, DB, 'egress'), []);
    assert.ok(!result.unprotected.some((entry) => entry.peer === DB));
    assert.ok(result.unprotected.some((entry) => entry.peer === WEB && entry.direction === 'egress'));
  });

  it('a pod selector that matches no pod of the manifests stands for new pods: in the policy namespace, any namespace, or selected namespaces', () => {
    const result = exposure(
      ingressTo(
        'web',
        '    - podSelector: { matchLabels: { role: monitoring } }\n    - namespaceSelector: {}\n      podSelector: { matchLabels: { role: scraper } }\n    - namespaceSelector: { matchLabels: { effect: NoSchedule } }\n      podSelector: { matchExpressions: [{ key: role, operator: NotIn, values: [web, search] }, { key: tier, operator: Exists }] }\n',
        '    ports: [{ port: 9090 }]',
      ),
    );
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), [
      '[all namespaces]/[pod with {role=scraper}] : TCP 9090',
      '[namespace with {effect=NoSchedule}]/[pod with {role NotIn (search,web),tier Exists}] : TCP 9090',
      'shop/[pod with {role=monitoring}] : TCP 9090',
    ]);
  });

  it('a pod selector that matches pods of the manifests is for the flow list; all pods of a namespace always stand for new pods', () => {
    const result = exposure(
      ingressTo(
        'web',
        '    - podSelector: { matchLabels: { app: db } }\n    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: backend } }\n    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: backend } }\n      podSelector: { matchLabels: { app: api-next } }\n',
        '    ports: [{ port: 8080 }]',
      ),
    );
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), ['backend/[all pods] : TCP 8080', 'backend/[pod with {app=api-next}] : TCP 8080']);
  });

  it('an item whose ports the entire cluster already has is left out; items of one target join their ports', () => {
    const result = exposure(
      np(
        'web-in',
        `  podSelector: { matchLabels: { app: web } }
  ingress:
  - from: [{ namespaceSelector: {} }]
    ports: [{ port: 8080 }]
  - from: [{ namespaceSelector: { matchLabels: { release: stable } } }]
    ports: [{ port: 8080 }]
  - from: [{ podSelector: { matchLabels: { role: monitoring } } }]
    ports: [{ port: 9090 }]
  - from: [{ podSelector: { matchLabels: { role: monitoring } } }]
    ports: [{ port: 53, protocol: UDP }]`,
      ),
    );
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), ['entire-cluster : TCP 8080', 'shop/[pod with {role=monitoring}] : TCP 9090,UDP 53']);
  });

  it('egress: the same kinds of items; named ports towards pods that do not exist are left out with a note', () => {
    const result = exposure(
      np(
        'web-out',
        `  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
  - to: [{ namespaceSelector: { matchLabels: { team: payments } } }]
    ports: [{ port: 443 }, { port: http }]
  - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
    ports: [{ port: 53, protocol: UDP }]`,
      ),
    );
    assert.deepEqual(itemsOf(result, WEB, 'egress'), ['0.0.0.0-255.255.255.255[External] : UDP 53', '[namespace with {team=payments}]/[all pods] : TCP 443']);
    assert.ok(result.notes.some((note) => note.includes(WEB) && note.includes('named ports')));
  });

  it('Cilium fromEndpoints: namespace labels select namespaces, the policy namespace otherwise', () => {
    const result = exposure(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: web-in, namespace: shop }
spec:
  endpointSelector: { matchLabels: { app: web } }
  ingress:
  - fromEndpoints:
    - matchLabels: { "k8s:io.kubernetes.pod.namespace": monitoring, app: prometheus }
    - matchLabels: { "k8s:io.cilium.k8s.namespace.labels.team": ops }
    - matchLabels: { app: canary }
    - matchLabels: { app: db }
    toPorts: [{ ports: [{ port: "9090", protocol: TCP }] }]`);
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), [
      '[namespace with {team=ops}]/[all pods] : TCP 9090',
      'monitoring/[pod with {app=prometheus}] : TCP 9090',
      'shop/[pod with {app=canary}] : TCP 9090',
    ]);
  });

  it('a workload an admin policy selects gets entire-cluster and External only, with a note', () => {
    const result = exposure(
      ingressTo('web', '    - podSelector: { matchLabels: { role: monitoring } }\n'),
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: deny-backend }
spec:
  priority: 10
  subject: { namespaces: { matchLabels: { team: shop } } }
  ingress:
  - { name: deny, action: Deny, from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: backend } } }] }`,
    );
    assert.deepEqual(itemsOf(result, WEB, 'ingress'), []);
    assert.ok(result.notes.some((note) => note.includes(WEB) && note.includes('admin policies')));
    assert.deepEqual(itemsOf(result, API, 'ingress'), ['0.0.0.0-255.255.255.255[External] : All Connections', 'entire-cluster : All Connections']);
  });

  it('writes selectors and the text as netpol-analyzer does', () => {
    assert.equal(
      exposureSelector({
        matchLabels: new Map([['foo', 'managed']]),
        matchExpressions: [
          { key: 'env', operator: 'Exists', values: [] },
          { key: 'app', operator: 'DoesNotExist', values: [] },
          { key: 'role', operator: 'NotIn', values: ['web', 'monitoring'] },
        ],
      }),
      '{app DoesNotExist,env Exists,foo=managed,role NotIn (monitoring,web)}',
    );
    const text = formatExposureText(exposure(ingressTo('web', '    - namespaceSelector: {}\n', '    ports: [{ port: 8080 }]')));
    assert.match(text, /^Exposure Analysis Result:\nEgress Exposure:\n/);
    assert.match(text, /\nIngress Exposure:\nbackend\/api\[Deployment\] \t<= \t0\.0\.0\.0-255\.255\.255\.255\[External\] : All Connections\n/);
    assert.match(text, /\nshop\/web\[Deployment\]    \t<= \tentire-cluster : TCP 8080\n/, 'names padded to the longest');
    assert.match(text, /\nWorkloads not protected by network policies:\nbackend\/api\[Deployment\] is not protected on Egress\n/);
  });
});

describe('netlens flows --exposure', () => {
  const run = (args: string[]) => runCommand(flowsCommand, args, `${import.meta.dirname}/../../../shared/corpus/np-guard__netpol-analyzer`);

  it('prints the flow list, then the exposure', async () => {
    const result = await run(['--exposure', 'tests/acs-security-demos']);
    assert.equal(result.code, 0, result.err);
    const [list, exposureText] = result.out.split('\nExposure Analysis Result:\n');
    assert.equal(list, (await run(['tests/acs-security-demos'])).out, 'the list as without --exposure');
    // The items netpol-analyzer's own exposure output for this case lists (its test_outputs, csv form).
    assert.equal(
      exposureText!.replace(/ +\t/g, ' \t'),
      [
        'Egress Exposure:',
        'backend/checkout[Deployment] \t=> \tentire-cluster : UDP 5353',
        'backend/recommendation[Deployment] \t=> \tentire-cluster : UDP 5353',
        'backend/reports[Deployment] \t=> \tentire-cluster : UDP 5353',
        'frontend/webapp[Deployment] \t=> \tentire-cluster : UDP 5353',
        'payments/gateway[Deployment] \t=> \tentire-cluster : UDP 5353',
        '',
        'Ingress Exposure:',
        'frontend/asset-cache[Deployment] \t<= \tentire-cluster : TCP 8080',
        'frontend/webapp[Deployment] \t<= \tentire-cluster : TCP 8080',
        '',
        '',
      ].join('\n'),
    );
  });

  it('refuses other formats, --diff and --explain', async () => {
    assert.match((await run(['--exposure', '-f', 'json', 'tests/acs-security-demos'])).err, /--exposure writes txt only/);
    assert.equal((await run(['--exposure', '--diff', 'tests/anp_test_10', 'tests/anp_test_10'])).code, 2);
    assert.equal((await run(['--exposure', '--explain', 'tests/anp_test_10'])).code, 2);
  });
});
