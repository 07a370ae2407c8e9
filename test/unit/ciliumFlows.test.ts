// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy in the flow engine, one semantic at a time (facts.ts CILIUM_*):
// namespaces of selectors, default deny per direction, empty and null lists, enableDefaultDeny, toPorts, CIDRs,
// entities, deny over allow, the union with NetworkPolicies, toFQDNs, L7 rules, and unknowns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFlows, UNKNOWN_CONNECTION } from '../../server/src/flows/engine.ts';
import { readYamlFile } from '../../server/src/readers/yaml/yamlReader.ts';
import { A_DB, A_WEB, B_WEB, CLUSTER } from './flowCluster.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const WORLD = '0.0.0.0-255.255.255.255[External]';

function analyze(...documents: string[]) {
  const workspace = new Workspace();
  workspace.setFile('file:///cluster.yaml', [CLUSTER, ...documents].join('\n---\n'));
  return analyzeFlows(workspace.analyze().model);
}

/** The connection from one peer to another (`No Connections` when the pair is not listed). */
function conn(result: ReturnType<typeof analyze>, src: string, dst: string): string {
  return result.flows.find((flow) => flow.src === src && flow.dst === dst)?.conn ?? 'No Connections';
}

const cnp = (spec: string, namespace = 'a', name = 'p') => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}`;

const ccnp = (spec: string, name = 'c') => `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: ${name} }
spec:
${spec}`;

const DB_FROM_WEB = `  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: web } }]`;

describe('Cilium policies: selectors and namespaces', () => {
  it('a CiliumNetworkPolicy selects and admits pods of its own namespace only', () => {
    const result = analyze(cnp(DB_FROM_WEB));
    assert.equal(conn(result, A_WEB, A_DB), 'All Connections');
    assert.equal(conn(result, B_WEB, A_DB), 'No Connections');
    assert.equal(conn(result, A_WEB, B_WEB), 'All Connections', 'b/web is not selected');
  });

  it('a peer selector that names a namespace (k8s: or plain key) leaves the policy namespace', () => {
    for (const key of ['k8s:io.kubernetes.pod.namespace', 'io.kubernetes.pod.namespace']) {
      const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { "${key}": b, app: web } }]`));
      assert.equal(conn(result, B_WEB, A_DB), 'All Connections', key);
      assert.equal(conn(result, A_WEB, A_DB), 'No Connections', key);
    }
  });

  it('namespace labels (io.cilium.k8s.namespace.labels.*) select namespaces', () => {
    const result = analyze(ccnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { "k8s:io.cilium.k8s.namespace.labels.team": b } }]`));
    assert.equal(conn(result, B_WEB, A_DB), 'All Connections');
    assert.equal(conn(result, A_WEB, A_DB), 'No Connections');
  });

  it('the endpointSelector of a namespaced policy cannot select another namespace', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { "k8s:io.kubernetes.pod.namespace": b, app: web } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: db } }]`));
    assert.equal(conn(result, A_WEB, B_WEB), 'All Connections', 'b/web is not selected by a policy of namespace a');
    assert.equal(conn(result, B_WEB, A_WEB), 'No Connections', 'a/web is selected and admits only a/db');
  });

  it('a clusterwide policy selects and admits pods of every namespace; fromEndpoints: [{}] is every pod', () => {
    const result = analyze(ccnp(`  endpointSelector: { matchLabels: { app: web } }
  ingress:
  - fromEndpoints: [{}]`));
    assert.equal(conn(result, A_DB, B_WEB), 'All Connections');
    assert.equal(conn(result, WORLD, B_WEB), 'No Connections');
    assert.equal(conn(result, WORLD, A_DB), 'All Connections');
  });
});

describe('Cilium policies: default deny per direction', () => {
  it('an ingress section isolates ingress only', () => {
    const result = analyze(cnp(DB_FROM_WEB));
    assert.equal(conn(result, A_DB, B_WEB), 'All Connections');
    assert.equal(conn(result, A_DB, WORLD), 'All Connections');
    assert.equal(conn(result, WORLD, A_DB), 'No Connections');
  });

  it('a null or empty section is no section: nothing is isolated', () => {
    for (const spec of ['  endpointSelector: { matchLabels: { app: db } }\n  egress:\n', '  endpointSelector: { matchLabels: { app: db } }\n  ingress: []\n']) {
      const result = analyze(cnp(spec));
      assert.equal(conn(result, A_DB, B_WEB), 'All Connections');
      assert.equal(conn(result, B_WEB, A_DB), 'All Connections');
    }
  });

  it('ingress: [{}] isolates and allows every peer; fromEndpoints: [] selects nothing', () => {
    const open = analyze(cnp('  endpointSelector: { matchLabels: { app: db } }\n  ingress:\n  - {}\n'));
    assert.equal(conn(open, B_WEB, A_DB), 'All Connections');
    assert.equal(conn(open, WORLD, A_DB), 'All Connections');
    const closed = analyze(cnp('  endpointSelector: { matchLabels: { app: db } }\n  ingress:\n  - fromEndpoints: []\n'));
    assert.equal(conn(closed, A_WEB, A_DB), 'No Connections');
    assert.equal(conn(closed, WORLD, A_DB), 'No Connections');
  });

  it('enableDefaultDeny false adds its allows without isolating', () => {
    const rule = `  endpointSelector: { matchLabels: { app: db } }
  enableDefaultDeny: { ingress: false }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: web } }]
    toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]`;
    const alone = analyze(cnp(rule));
    assert.equal(conn(alone, B_WEB, A_DB), 'All Connections', 'nothing isolates a/db');
    const withIsolation = analyze(
      cnp(rule),
      cnp('  endpointSelector: { matchLabels: { app: db } }\n  ingress:\n  - fromEndpoints: [{ matchLabels: { app: db } }]\n', 'a', 'q'),
    );
    assert.equal(conn(withIsolation, A_WEB, A_DB), 'TCP 5432');
    assert.equal(conn(withIsolation, B_WEB, A_DB), 'No Connections');
  });

  it('specs: every rule of the list applies', () => {
    const result = analyze(`apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: two, namespace: a }
specs:
- endpointSelector: { matchLabels: { app: db } }
  ingress: [{ fromEndpoints: [{ matchLabels: { app: web } }] }]
- endpointSelector: { matchLabels: { app: web } }
  egress: [{ toEndpoints: [{ matchLabels: { app: db } }] }]
`);
    assert.equal(conn(result, A_WEB, A_DB), 'All Connections');
    assert.equal(conn(result, A_WEB, B_WEB), 'No Connections');
    assert.equal(conn(result, B_WEB, A_DB), 'No Connections');
  });
});

describe('Cilium policies: toPorts', () => {
  const ports = (list: string) =>
    analyze(cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: web } }]
    toPorts: [{ ports: [${list}] }]`));

  it('protocol ANY (or left out) opens every protocol; TCP one', () => {
    assert.equal(conn(ports('{ port: "53", protocol: ANY }'), A_WEB, A_DB), 'SCTP 53,TCP 53,UDP 53');
    assert.equal(conn(ports('{ port: "53" }'), A_WEB, A_DB), 'SCTP 53,TCP 53,UDP 53');
    assert.equal(conn(ports('{ port: "53", protocol: UDP }'), A_WEB, A_DB), 'UDP 53');
  });

  it('endPort ranges, port 0 and named ports', () => {
    assert.equal(conn(ports('{ port: "80", endPort: 444, protocol: TCP }'), A_WEB, A_DB), 'TCP 80-444');
    assert.equal(conn(ports('{ port: "0", protocol: TCP }'), A_WEB, A_DB), 'TCP 1-65535');
    assert.equal(conn(ports('{ port: pg, protocol: TCP }'), A_WEB, A_DB), 'TCP 5432');
    assert.equal(conn(ports('{ port: http, protocol: TCP }'), A_WEB, A_DB), 'No Connections', 'a/db has no port named http');
  });

  it('toPorts without peers applies to every peer, in the cluster and outside', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]`));
    assert.equal(conn(result, A_WEB, A_DB), 'TCP 80');
    assert.equal(conn(result, A_WEB, WORLD), 'TCP 80');
  });
});

describe('Cilium policies: CIDRs and entities', () => {
  it('toCIDR and toCIDRSet with except cut the External pieces; they select no pod', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toCIDR: [20.1.1.1/32]
  - toCIDRSet: [{ cidr: 10.0.0.0/8, except: [10.96.0.0/12] }]`));
    assert.equal(conn(result, A_WEB, '20.1.1.1-20.1.1.1[External]'), 'All Connections');
    assert.equal(conn(result, A_WEB, '10.0.0.0-10.95.255.255[External]'), 'All Connections');
    assert.equal(conn(result, A_WEB, '10.96.0.0-10.111.255.255[External]'), 'No Connections');
    assert.equal(conn(result, A_WEB, A_DB), 'No Connections');
  });

  it('world is every External address; cluster is every pod; all is both', () => {
    const to = (entity: string) =>
      analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toEntities: [${entity}]`));
    assert.equal(conn(to('world'), A_WEB, WORLD), 'All Connections');
    assert.equal(conn(to('world'), A_WEB, A_DB), 'No Connections');
    assert.equal(conn(to('cluster'), A_WEB, B_WEB), 'All Connections');
    assert.equal(conn(to('cluster'), A_WEB, WORLD), 'No Connections');
    assert.equal(conn(to('all'), A_WEB, B_WEB), 'All Connections');
    assert.equal(conn(to('all'), A_WEB, WORLD), 'All Connections');
  });

  it('kube-apiserver and host are named peers; the local host may always send to its pods', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toEntities: [kube-apiserver]
  ingress:
  - fromEntities: [remote-node]`));
    assert.equal(conn(result, A_WEB, '{kube-apiserver}'), 'All Connections');
    assert.equal(conn(result, A_DB, '{kube-apiserver}'), 'All Connections', 'a/db is not isolated');
    assert.equal(conn(result, A_WEB, WORLD), 'No Connections');
    assert.equal(conn(result, '{remote-node}', A_WEB), 'All Connections');
    const host = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  ingress:
  - fromEntities: [host]
    toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]`));
    assert.equal(conn(host, '{host}', A_WEB), 'All Connections');
  });
});

describe('Cilium policies: deny rules and NetworkPolicies', () => {
  it('egressDeny wins over an allow of every peer', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toEntities: [all]
  egressDeny:
  - toEndpoints: [{ matchLabels: { app: db } }]
    toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]`));
    assert.equal(conn(result, A_WEB, A_DB), 'SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535');
    assert.equal(conn(result, A_WEB, B_WEB), 'All Connections');
  });

  it('ingressDeny from world leaves everything else allowed (the docs\' external-lockdown)', () => {
    const result = analyze(ccnp(`  endpointSelector: {}
  ingressDeny: [{ fromEntities: [world] }]
  ingress: [{ fromEntities: [all] }]`));
    assert.equal(conn(result, WORLD, A_DB), 'No Connections');
    assert.equal(conn(result, B_WEB, A_DB), 'All Connections');
  });

  it('a deny section alone isolates the direction', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: web } }] }]`));
    assert.equal(conn(result, A_WEB, A_DB), 'No Connections');
    assert.equal(conn(result, B_WEB, A_DB), 'No Connections');
  });

  const NETWORK_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: np, namespace: a }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: web } } }]
    ports: [{ port: 80 }]
`;

  it('allows of NetworkPolicies and Cilium policies are one union', () => {
    const result = analyze(
      NETWORK_POLICY,
      cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: web } }]
    toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]`),
    );
    assert.equal(conn(result, A_WEB, A_DB), 'TCP 80,443');
  });

  it('a Cilium deny takes away what a NetworkPolicy allows', () => {
    const result = analyze(
      NETWORK_POLICY,
      cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingressDeny:
  - fromEndpoints: [{ matchLabels: { app: web } }]
    toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]`),
    );
    assert.equal(conn(result, A_WEB, A_DB), 'No Connections');
  });
});

describe('Cilium policies: FQDNs, services and L7 rules shown as they are', () => {
  it('toFQDNs and toServices are named destinations, with their ports', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toFQDNs: [{ matchName: api.example.com }, { matchPattern: "*.example.org" }]
    toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]
  - toServices: [{ k8sService: { serviceName: legacy, namespace: a } }]`));
    assert.equal(conn(result, A_WEB, 'api.example.com[FQDN]'), 'TCP 443');
    assert.equal(conn(result, A_WEB, '*.example.org[FQDN]'), 'TCP 443');
    assert.equal(conn(result, A_WEB, 'a/legacy[Service]'), 'All Connections');
    assert.equal(conn(result, A_WEB, WORLD), 'No Connections', 'names are not resolved to addresses');
  });

  it('HTTP rules are named on the flows they filter', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: web } }]
    toPorts:
    - ports: [{ port: "80", protocol: TCP }]
      rules: { http: [{ method: GET, path: /health }] }`));
    assert.equal(conn(result, A_WEB, A_DB), 'TCP 80 (with HTTP rules)');
  });
});

describe('Cilium policies: what cannot be evaluated is unknown, not allowed or denied', () => {
  it('a placeholder peer selector makes the pods\' flows of that direction unknown', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{ matchLabels: { app: "{{ .Values.client }}" } }]`));
    assert.equal(conn(result, A_WEB, A_DB), UNKNOWN_CONNECTION);
    assert.equal(conn(result, B_WEB, A_DB), UNKNOWN_CONNECTION);
    assert.equal(conn(result, A_DB, B_WEB), 'All Connections', 'egress is not concerned');
    assert.ok(result.warnings.some((warning) => warning.includes('unknown')));
  });

  it('a placeholder CIDR makes External flows unknown and leaves pod pairs known', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toCIDR: ["\${EGRESS_CIDR}"]
  - toEndpoints: [{ matchLabels: { app: db } }]`));
    assert.equal(conn(result, A_WEB, WORLD), UNKNOWN_CONNECTION);
    assert.equal(conn(result, A_WEB, A_DB), 'All Connections');
    assert.equal(conn(result, A_WEB, B_WEB), 'No Connections');
  });

  it('a placeholder endpointSelector makes every pod it could select unknown', () => {
    const result = analyze(cnp(`  endpointSelector: "{{ .Values.selector }}"
  ingress:
  - fromEndpoints: [{}]`));
    assert.equal(conn(result, B_WEB, A_DB), UNKNOWN_CONNECTION);
    assert.equal(conn(result, A_DB, B_WEB), 'All Connections', 'b is not the policy namespace');
  });

  it('fromRequires (not evaluated) makes every ingress flow of the pods it selects unknown, External and named peers too', () => {
    // Cilium's example policies/l3/requires: a peer must also carry the required labels, whichever rule admits it.
    const result = analyze(
      cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromRequires: [{ matchLabels: { env: prod } }]`),
      cnp(`  endpointSelector: { matchLabels: { app: db } }
  ingress:
  - fromEndpoints: [{}]
  - fromEntities: [world, host]`, 'a', 'q'),
    );
    assert.equal(conn(result, A_WEB, A_DB), UNKNOWN_CONNECTION, 'admitted by another policy, but the requirement may refuse it');
    assert.equal(conn(result, WORLD, A_DB), UNKNOWN_CONNECTION);
    assert.equal(conn(result, B_WEB, A_DB), UNKNOWN_CONNECTION);
    assert.equal(conn(result, '{host}', A_DB), 'All Connections', 'the host always reaches its pods');
    assert.equal(conn(result, A_DB, B_WEB), 'All Connections', 'egress is not concerned');
    assert.equal(conn(result, A_WEB, B_WEB), 'All Connections', 'b/web is not selected');
    assert.ok(result.warnings.some((warning) => warning.includes('fromRequires is not evaluated')));
  });

  it('toRequires makes the egress flows of the pods it selects unknown, ingress ones stay known', () => {
    const result = analyze(cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toEndpoints: [{ matchLabels: { app: db } }]
  - toRequires: [{ matchLabels: { env: prod } }]`));
    assert.equal(conn(result, A_WEB, A_DB), UNKNOWN_CONNECTION);
    assert.equal(conn(result, A_WEB, WORLD), UNKNOWN_CONNECTION);
    assert.equal(conn(result, A_DB, A_WEB), 'All Connections');
    assert.equal(conn(result, B_WEB, A_DB), 'All Connections', 'b/web is not selected');
  });
});

describe('Cilium policies: the reader', () => {
  it('tells absent, null and empty lists apart, and reads spec and specs', () => {
    const facts = readYamlFile(
      'file:///p.yaml',
      cnp(`  endpointSelector: {}
  ingress:
  - fromEndpoints:
  - fromEndpoints: []
  egress:
  egressDeny: []`),
    );
    const [policy] = facts.ciliumPolicies;
    assert.ok(policy);
    const [rule] = policy.rules;
    assert.ok(rule);
    assert.equal(rule.ingress?.length, 2);
    assert.equal(rule.ingress?.[0]?.endpoints, undefined);
    assert.deepEqual(rule.ingress?.[1]?.endpoints, []);
    assert.equal(rule.egress, undefined);
    assert.deepEqual(rule.egressDeny, []);
    assert.equal(rule.ingressDeny, undefined);
    assert.deepEqual(structuredClone(facts.ciliumPolicies), facts.ciliumPolicies);
  });
});
