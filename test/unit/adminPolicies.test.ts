// AdminNetworkPolicy and BaselineAdminNetworkPolicy in the flow engine, one construct at a time: priorities, rule
// order, Pass to NetworkPolicies and to the BANP, named ports, port ranges, networks peers, and what is left out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFlows } from '../../server/src/flows/engine.ts';
import { formatFlowsText } from '../../server/src/flows/format.ts';
import { readYamlFile } from '../../server/src/readers/yaml/yamlReader.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

/** Namespaces `a` and `b` (labelled team=a, team=b), a Deployment `web` in each, with the given container ports. */
function cluster(ports: Record<'a' | 'b', string> = { a: '', b: '' }): string {
  return (['a', 'b'] as const)
    .map(
      (ns) => `apiVersion: v1
kind: Namespace
metadata: { name: ${ns}, labels: { team: ${ns} } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${ns} }
spec:
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: c
        image: nginx
        ports: [${ports[ns]}]
`,
    )
    .join('---\n');
}

function analyze(...documents: string[]) {
  const workspace = new Workspace();
  workspace.setFile('file:///cluster.yaml', documents.join('---\n'));
  return analyzeFlows(workspace.analyze().model);
}

/** The connection from one peer to another (`No Connections` when the pair is not listed). */
function conn(lines: string, src: string, dst: string): string {
  const line = lines.split('\n').find((l) => l.startsWith(`${src} => ${dst} : `));
  return line === undefined ? 'No Connections' : line.slice(`${src} => ${dst} : `.length);
}

function flowsOf(...documents: string[]): string {
  return formatFlowsText(analyze(...documents).flows);
}

const A = 'a/web[Deployment]';
const B = 'b/web[Deployment]';

/** An ANP whose subject is namespace `a`, with ingress rules from namespace `b`. */
function anpIngressFromB(name: string, priority: number, rules: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: ${name} }
spec:
  priority: ${priority}
  subject: { namespaces: { matchLabels: { team: a } } }
  ingress:
${rules}
`;
}

const fromB = `from: [ { namespaces: { matchLabels: { team: b } } } ]`;

describe('AdminNetworkPolicy priorities and rule order', () => {
  it('a lower priority number wins, whatever the order of the files', () => {
    const deny = anpIngressFromB('deny-80', 10, `  - { name: deny, action: Deny, ${fromB}, ports: [ { portNumber: { protocol: TCP, port: 80 } } ] }`);
    const allow = anpIngressFromB('allow-all', 20, `  - { name: allow, action: Allow, ${fromB} }`);
    assert.equal(conn(flowsOf(cluster(), allow, deny), B, A), 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    assert.equal(conn(flowsOf(cluster(), deny, allow), B, A), 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    const allowFirst = anpIngressFromB('allow-all', 5, `  - { name: allow, action: Allow, ${fromB} }`);
    assert.equal(conn(flowsOf(cluster(), deny, allowFirst), B, A), 'All Connections');
  });

  it('within one ANP the first matching rule decides', () => {
    const rules = (first: string, second: string) => anpIngressFromB('ordered', 10, `${first}\n${second}`);
    const allow80 = `  - { name: allow-80, action: Allow, ${fromB}, ports: [ { portNumber: { port: 80 } } ] }`;
    const denyAll = `  - { name: deny-all, action: Deny, ${fromB} }`;
    assert.equal(conn(flowsOf(cluster(), rules(allow80, denyAll)), B, A), 'TCP 80');
    assert.equal(conn(flowsOf(cluster(), rules(denyAll, allow80)), B, A), 'No Connections');
    // The ANP applies to its subject only: a's egress and b's ingress stay open.
    assert.equal(conn(flowsOf(cluster(), rules(denyAll, allow80)), A, B), 'All Connections');
  });

  it('an ANP Deny beats an Allow of a lower priority and any NetworkPolicy', () => {
    const allowAll = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all, namespace: a }
spec: { podSelector: {}, ingress: [ {} ] }
`;
    const deny = anpIngressFromB('deny-udp', 1, `  - { name: deny, action: Deny, ${fromB}, ports: [ { portNumber: { protocol: UDP, port: 53 } } ] }`);
    const allow = anpIngressFromB('allow', 2, `  - { name: allow, action: Allow, ${fromB} }`);
    assert.equal(conn(flowsOf(cluster(), allowAll, allow, deny), B, A), 'SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535');
  });

  it('same priority: evaluated in name order, with a warning', () => {
    const zDeny = anpIngressFromB('z-deny', 10, `  - { name: deny, action: Deny, ${fromB} }`);
    const aAllow = anpIngressFromB('a-allow', 10, `  - { name: allow, action: Allow, ${fromB}, ports: [ { portNumber: { port: 443 } } ] }`);
    const analysis = analyze(cluster(), zDeny, aAllow);
    assert.equal(conn(formatFlowsText(analysis.flows), B, A), 'TCP 443');
    assert.ok(analysis.warnings.some((w) => /a-allow and z-deny have the same priority 10/.test(w)), analysis.warnings.join('\n'));
  });

  it('an ANP outside priority 0-1000 is left out, with a warning', () => {
    const analysis = analyze(cluster(), anpIngressFromB('too-far', 1001, `  - { name: deny, action: Deny, ${fromB} }`));
    assert.equal(conn(formatFlowsText(analysis.flows), B, A), 'All Connections');
    assert.ok(analysis.warnings.some((w) => /priority 1001 is outside 0-1000/.test(w)));
  });
});

describe('Pass', () => {
  const passThenDenyUdp = anpIngressFromB(
    'pass',
    10,
    `  - { name: deny-udp, action: Deny, ${fromB}, ports: [ { portNumber: { protocol: UDP, port: 53 } } ] }
  - { name: pass, action: Pass, ${fromB} }`,
  );
  const networkPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: only-8080-and-dns, namespace: a }
spec:
  podSelector: {}
  ingress: [ { ports: [ { port: 8080 }, { protocol: UDP, port: 53 } ] } ]
`;
  const baseline = (name: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: ${name} }
spec:
  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: web } } } }
  ingress:
  - { name: allow-22, action: Allow, from: [ { namespaces: {} } ], ports: [ { portNumber: { port: 22 } } ] }
  - { name: deny-tcp, action: Deny, from: [ { namespaces: {} } ], ports: [ { portRange: { protocol: TCP, start: 1, end: 65535 } } ] }
`;

  it('delegates to the NetworkPolicies that select the pod (what they do not allow is denied)', () => {
    assert.equal(conn(flowsOf(cluster(), passThenDenyUdp, networkPolicy), B, A), 'TCP 8080');
    // The NetworkPolicy decides, so the BANP is not consulted.
    assert.equal(conn(flowsOf(cluster(), passThenDenyUdp, networkPolicy, baseline('default')), B, A), 'TCP 8080');
  });

  it('delegates to the BANP when no NetworkPolicy selects the pod; its first matching rule decides', () => {
    assert.equal(conn(flowsOf(cluster(), passThenDenyUdp, baseline('default')), B, A), 'SCTP 1-65535,TCP 22,UDP 1-52,54-65535');
    // Without ANPs the BANP alone: everything it does not deny is allowed, from pods and from outside.
    const alone = flowsOf(cluster(), baseline('default'));
    assert.equal(conn(alone, B, A), 'SCTP 1-65535,TCP 22,UDP 1-65535');
    assert.equal(conn(alone, '0.0.0.0-255.255.255.255[External]', A), 'All Connections');
  });

  it('with neither, passed and unmatched traffic is allowed', () => {
    assert.equal(conn(flowsOf(cluster(), passThenDenyUdp), B, A), 'SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535');
  });

  it('a BANP not named default, or a Pass in a BANP, is left out with a warning', () => {
    const named = analyze(cluster(), baseline('other'));
    assert.equal(conn(formatFlowsText(named.flows), B, A), 'All Connections');
    assert.ok(named.warnings.some((w) => /must be named "default"/.test(w)));
    const pass = analyze(cluster(), baseline('default').replace('action: Allow', 'action: Pass'));
    assert.equal(conn(formatFlowsText(pass.flows), B, A), 'SCTP 1-65535,UDP 1-65535');
    assert.ok(pass.warnings.some((w) => /action 'Pass' is not Allow or Deny/.test(w)));
  });
});

describe('ports', () => {
  const egressToB = (ports: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: egress-a }
spec:
  priority: 3
  subject: { namespaces: { matchLabels: { team: a } } }
  egress:
  - { name: allow, action: Allow, to: [ { pods: { namespaceSelector: { matchLabels: { team: b } }, podSelector: {} } } ], ports: ${ports} }
  - { name: deny, action: Deny, to: [ { namespaces: {} } ] }
`;

  it('named ports resolve on the destination pod, with that port’s protocol', () => {
    const ports = { a: '{ name: web, containerPort: 80 }', b: '{ name: web, containerPort: 8080 }, { name: dns, containerPort: 53, protocol: UDP }' };
    assert.equal(conn(flowsOf(cluster(ports), egressToB('[ { namedPort: dns }, { namedPort: web } ]')), A, B), 'TCP 8080,UDP 53');
    // A name the destination does not have opens nothing.
    assert.equal(conn(flowsOf(cluster(ports), egressToB('[ { namedPort: metrics } ]')), A, B), 'No Connections');
  });

  it('named ports of a rule for every pod resolve on each destination', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: web-only }
spec:
  priority: 3
  subject: { namespaces: {} }
  egress:
  - { name: web, action: Allow, to: [ { namespaces: {} } ], ports: [ { namedPort: web } ] }
  - { name: rest, action: Deny, to: [ { namespaces: {} } ] }
`;
    const lines = flowsOf(cluster({ a: '{ name: web, containerPort: 80 }', b: '{ name: web, containerPort: 9090, protocol: SCTP }' }), anp);
    assert.equal(conn(lines, A, B), 'SCTP 9090');
    assert.equal(conn(lines, B, A), 'TCP 80');
  });

  it('port ranges are inclusive; an empty ports list opens nothing; an invalid range opens nothing', () => {
    assert.equal(conn(flowsOf(cluster(), egressToB('[ { portRange: { protocol: UDP, start: 5000, end: 6000 } } ]')), A, B), 'UDP 5000-6000');
    assert.equal(conn(flowsOf(cluster(), egressToB('[]')), A, B), 'No Connections');
    const invalid = analyze(cluster(), egressToB('[ { portRange: { start: 90, end: 80 } } ]'));
    assert.equal(conn(formatFlowsText(invalid.flows), A, B), 'No Connections');
    assert.ok(invalid.warnings.some((w) => /port range 90-80 is not valid/.test(w)));
  });
});

describe('networks and nodes peers', () => {
  const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: egress-networks }
spec:
  priority: 30
  subject: { namespaces: { matchLabels: { team: a } } }
  egress:
  - { name: allow-dns, action: Allow, to: [ { networks: [ 10.0.0.10/32 ] } ], ports: [ { portNumber: { protocol: UDP, port: 53 } } ] }
  - { name: deny-private, action: Deny, to: [ { networks: [ 10.0.0.0/8 ] }, { nodes: { matchLabels: { role: infra } } } ] }
`;

  it('cut the External space at their bounds and decide for the pieces they cover', () => {
    const analysis = analyze(cluster(), anp);
    const lines = formatFlowsText(analysis.flows);
    assert.equal(conn(lines, A, '0.0.0.0-9.255.255.255[External]'), 'All Connections');
    assert.equal(conn(lines, A, '10.0.0.0-10.0.0.9[External]'), 'No Connections');
    assert.equal(conn(lines, A, '10.0.0.10-10.0.0.10[External]'), 'UDP 53');
    assert.equal(conn(lines, A, '10.0.0.11-10.255.255.255[External]'), 'No Connections');
    assert.equal(conn(lines, A, '11.0.0.0-255.255.255.255[External]'), 'All Connections');
    // Other pods are not the subject: the same pieces, all open.
    assert.equal(conn(lines, B, '10.0.0.0-10.0.0.9[External]'), 'All Connections');
    assert.ok(analysis.warnings.some((w) => /nodes peers are not supported/.test(w)));
  });

  it('a BANP networks Deny applies only where no NetworkPolicy selects the pod for egress', () => {
    const banp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
  subject: { namespaces: {} }
  egress:
  - { name: no-private, action: Deny, to: [ { networks: [ 192.168.0.0/16 ] } ] }
`;
    const egressPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open-egress, namespace: b }
spec: { podSelector: {}, policyTypes: [ Egress ], egress: [ {} ] }
`;
    const lines = flowsOf(cluster(), banp, egressPolicy);
    assert.equal(conn(lines, A, '192.168.0.0-192.168.255.255[External]'), 'No Connections');
    assert.equal(conn(lines, B, '192.168.0.0-192.168.255.255[External]'), 'All Connections');
    assert.equal(conn(lines, A, '192.169.0.0-255.255.255.255[External]'), 'All Connections');
  });
});

describe('reading admin policies', () => {
  it('records subject, rules, peers and ports as written (plain data)', () => {
    const facts = readYamlFile(
      'file:///anp.yaml',
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: x }
spec:
  priority: 7
  subject: { pods: { namespaceSelector: { matchLabels: { team: a } }, podSelector: {} } }
  ingress:
  - { name: r1, action: Pass, from: [ { namespaces: {} } ] }
  egress:
  - { name: r2, action: Deny, to: [ { networks: [ 10.0.0.0/8 ] }, { nodes: {} } ], ports: [ { namedPort: web }, { portRange: { start: 1, end: 9 } } ] }
`,
    );
    assert.equal(facts.adminPolicies.length, 1);
    const [policy] = facts.adminPolicies;
    assert.equal(policy!.kind, 'AdminNetworkPolicy');
    assert.equal(policy!.priority.known && policy!.priority.value, 7);
    assert.ok(policy!.subject.pods && policy!.subject.namespaces === undefined);
    assert.equal(policy!.ingress[0]!.ports, undefined, 'no ports: every port');
    const egress = policy!.egress[0]!;
    assert.equal(egress.action.known && egress.action.value, 'Deny');
    assert.equal(egress.peers[0]!.networks?.length, 1);
    assert.equal(egress.peers[1]!.nodes, true);
    assert.equal(egress.ports?.[0]?.namedPort?.known && egress.ports[0].namedPort.value, 'web');
    assert.ok(egress.ports?.[1]?.portRange);
    assert.deepEqual(structuredClone(facts.adminPolicies), facts.adminPolicies);
  });
});
