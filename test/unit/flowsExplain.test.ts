// Explain (flows/explain.ts): for a connection, the policies and rules that allow and deny it, per policy kind, with
// the rule's place in its file; and on every model here, agreement with the flow engine (explainAgreement.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowsCommand } from '../../server/src/cli/flowsCommand.ts';
import { type ConnectionExplanation, createExplainer, type DirectionExplanation, explainPort, type Reason } from '../../server/src/flows/explain.ts';
import { formatExplainText } from '../../server/src/flows/explainFormat.ts';
import { PortSet } from '../../server/src/flows/ports.ts';
import { A_DB, A_WEB, B_WEB, CLUSTER } from './flowCluster.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { ciliumCluster, flowCluster } from '../../bench/generate.ts';
import { checkModel } from './explainAgreement.ts';
import { runCommand } from '../helpers/runCommand.ts';

const POLICIES = 'file:///policies.yaml';

/** The cluster in one file, the policies in another; the explainer, the policy text, and the model checked against the engine. */
function setUp(...documents: string[]) {
  const workspace = new Workspace();
  workspace.setFile('file:///cluster.yaml', CLUSTER);
  const text = documents.join('\n---\n');
  workspace.setFile(POLICIES, text);
  const model = workspace.analyze().model;
  checkModel(model);
  return { explainer: createExplainer(model), text };
}

function explain(setup: ReturnType<typeof setUp>, src: string, dst: string): ConnectionExplanation {
  const explanation = setup.explainer.explain(src, dst);
  assert.ok(explanation, `${src} => ${dst} is explained`);
  return explanation;
}

/** The direction explanation of one port. */
function at(explanation: ConnectionExplanation, direction: 'ingress' | 'egress', port: number, protocol = 'TCP'): DirectionExplanation {
  const group = explainPort(explanation, protocol, port);
  assert.ok(group, `${protocol} ${port} is in a group`);
  return group[direction];
}

/** A reason as a short line: `rule allow NetworkPolicy a/db-in ingress#1`. */
function brief(reason: Reason): string {
  const policy = reason.policy ? ` ${reason.policy.kind} ${reason.policy.namespace ? `${reason.policy.namespace}/` : ''}${reason.policy.name}` : '';
  const rule = reason.rule ? ` ${reason.rule.section}#${reason.rule.number}${reason.rule.name ? `(${reason.rule.name})` : ''}` : '';
  return `${reason.kind} ${reason.effect}${policy}${rule}${reason.detail ? ` [${reason.detail}]` : ''}`;
}

const briefs = (direction: DirectionExplanation) => direction.reasons.map(brief);

/** The text a source range covers in the policies file. */
const textAt = (setup: ReturnType<typeof setUp>, source: { uri: string; start: number; end: number } | undefined) => {
  assert.ok(source, 'a source');
  assert.equal(source.uri, POLICIES);
  return setup.text.slice(source.start, source.end);
};

const np = (name: string, spec: string, namespace = 'a') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}`;

const DB_FROM_WEB_5432 = np(
  'db-in',
  `  podSelector: { matchLabels: { app: db } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: web } } }]
    ports: [{ port: 5432 }]`,
);

describe('explain: NetworkPolicy', () => {
  it('names the allowing rule with its place in the file, and the system default of the other direction', () => {
    const setup = setUp(DB_FROM_WEB_5432);
    const explanation = explain(setup, A_WEB, A_DB);
    assert.equal(explanation.allowed.toString(), 'TCP 5432');
    assert.deepEqual(briefs(at(explanation, 'ingress', 5432)), ['rule allow NetworkPolicy a/db-in ingress#1']);
    assert.deepEqual(briefs(at(explanation, 'egress', 5432)), ['system-default allow']);
    const rule = at(explanation, 'ingress', 5432).reasons[0]!.rule!;
    assert.match(textAt(setup, rule.source), /^from: \[\{ podSelector: \{ matchLabels: \{ app: web \} \} \}\]\n\s+ports: \[\{ port: 5432 \}\]/);
    assert.equal(explanation.groups[0]!.allowed, true, 'allowed groups first');
  });

  it('names the policy whose selection makes ingress default-deny, with how its rule misses', () => {
    const setup = setUp(DB_FROM_WEB_5432);
    const fromWeb = explain(setup, A_WEB, A_DB);
    assert.deepEqual(briefs(at(fromWeb, 'ingress', 80)), ['default-deny deny NetworkPolicy a/db-in ingress#1 [ports not referenced by the rule]']);
    assert.deepEqual(briefs(at(fromWeb, 'ingress', 53, 'UDP')), ['default-deny deny NetworkPolicy a/db-in ingress#1 [protocols not referenced by the rule]']);
    const fromB = explain(setup, B_WEB, A_DB);
    assert.ok(fromB.allowed.isEmpty());
    const [reason] = at(fromB, 'ingress', 5432).reasons;
    assert.equal(brief(reason!), 'default-deny deny NetworkPolicy a/db-in [no rule selects the peer]');
    assert.equal(textAt(setup, reason!.policy!.selector), 'podSelector', 'the selector that selects the pod');
    assert.match(textAt(setup, reason!.policy!.source), /^apiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\nmetadata: \{ name: db-in/);
  });

  it('a policy without rules of a direction denies it all; several policies each name their part', () => {
    const setup = setUp(
      np('deny-all', '  podSelector: {}\n  policyTypes: [Ingress, Egress]'),
      np('web-out', '  podSelector: { matchLabels: { app: web } }\n  egress:\n  - to: [{ podSelector: {} }]\n  - ports: [{ port: 53, protocol: UDP }]'),
    );
    const explanation = explain(setup, A_WEB, A_DB);
    assert.ok(explanation.allowed.isEmpty());
    assert.deepEqual(briefs(at(explanation, 'egress', 443)), ['rule allow NetworkPolicy a/web-out egress#1']);
    assert.equal(at(explanation, 'egress', 443).allowed, true);
    assert.deepEqual(briefs(at(explanation, 'ingress', 443)), ['default-deny deny NetworkPolicy a/deny-all [no rules defined]']);
    assert.deepEqual(briefs(at(explanation, 'egress', 53, 'UDP')), ['rule allow NetworkPolicy a/web-out egress#1', 'rule allow NetworkPolicy a/web-out egress#2']);
    const out = explain(setup, A_WEB, '0.0.0.0-255.255.255.255[External]');
    assert.equal(out.allowed.toString(), 'UDP 53');
    assert.deepEqual(briefs(at(out, 'egress', 53, 'UDP')), ['rule allow NetworkPolicy a/web-out egress#2']);
    assert.deepEqual(briefs(at(out, 'ingress', 53, 'UDP')), ['outside allow']);
    assert.deepEqual(briefs(at(out, 'egress', 443)), [
      'default-deny deny NetworkPolicy a/deny-all [no rules defined]',
      'default-deny deny NetworkPolicy a/web-out egress#2 [protocols not referenced by the rule]',
    ]);
  });

  it('a pair no policy concerns is allowed by the system default and listed apart in the text', () => {
    const setup = setUp(DB_FROM_WEB_5432);
    const explanation = explain(setup, A_DB, B_WEB);
    assert.ok(explanation.allowed.isAll());
    assert.deepEqual(explanation.groups.map((group) => [group.ports.toString(), briefs(group.egress), briefs(group.ingress)]), [
      ['All Connections', ['system-default allow'], ['system-default allow']],
    ]);
    const text = formatExplainText([explanation, explain(setup, B_WEB, A_DB)], (source) => `policies.yaml@${source.start}`);
    assert.match(text, /# All Connections due to the system default \(Allow all\) #\n#+\na\/db\[Deployment\] => b\/web\[Deployment\]\n$/);
    assert.match(text, /CONNECTIONS BETWEEN b\/web\[Deployment\] => a\/db\[Deployment\]:\n\nNo Connections due to the following policies \/\/ rules:\n\tEGRESS DIRECTION \(ALLOWED\) due to the system default \(Allow all\)\n\tINGRESS DIRECTION \(DENIED\)\n\t\t1\) \[NP\] a\/db-in \/\/ Ingress \(captured but not selected by any Ingress rule\) \(policies\.yaml@\d+\)\n/);
  });

  it('resolves peers by name, namespace/name and IPv4 address, and refuses unknown names and self-pairs', () => {
    const setup = setUp(np('db-out', '  podSelector: { matchLabels: { app: db } }\n  egress:\n  - to: [{ ipBlock: { cidr: 10.0.0.0/8 } }]'));
    assert.equal(setup.explainer.resolve('a/db', 'source'), A_DB);
    assert.equal(setup.explainer.resolve(A_DB, 'destination'), A_DB);
    assert.equal(setup.explainer.resolve('10.1.2.3', 'destination'), '10.0.0.0-10.255.255.255[External]');
    assert.equal(setup.explainer.resolve('10.1.2.3', 'source'), '0.0.0.0-255.255.255.255[External]', 'ingress pieces are not cut by egress ipBlocks');
    assert.equal(setup.explainer.resolve('a/nothing', 'source'), undefined);
    assert.equal(setup.explainer.explain(A_DB, A_DB), undefined);
    assert.equal(setup.explainer.explain('nobody', A_DB), undefined);
    const out = explain(setup, A_DB, '10.0.0.0-10.255.255.255[External]');
    assert.ok(out.allowed.isAll());
    assert.deepEqual(briefs(at(out, 'egress', 1)), ['rule allow NetworkPolicy a/db-out egress#1']);
  });
});

const anp = (name: string, priority: number, body: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: ${name} }
spec:
  priority: ${priority}
${body}`;

const banp = (body: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
${body}`;

describe('explain: AdminNetworkPolicy and BaselineAdminNetworkPolicy', () => {
  it('an ANP Allow overrides a NetworkPolicy default deny; its Deny overrides an allowing rule', () => {
    const setup = setUp(
      DB_FROM_WEB_5432,
      anp(
        'admin',
        10,
        `  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: db } } } }
  ingress:
  - name: deny-pg-from-a
    action: Deny
    from: [{ namespaces: { matchLabels: { team: a } } }]
    ports: [{ portNumber: { protocol: TCP, port: 5432 } }]
  - name: allow-b
    action: Allow
    from: [{ namespaces: { matchLabels: { team: b } } }]`,
      ),
    );
    const fromA = explain(setup, A_WEB, A_DB);
    assert.ok(fromA.allowed.isEmpty());
    const denied = at(fromA, 'ingress', 5432);
    assert.deepEqual(briefs(denied), ['rule deny AdminNetworkPolicy admin ingress#1(deny-pg-from-a)']);
    assert.match(textAt(setup, denied.reasons[0]!.rule!.source), /^name: deny-pg-from-a\n/);
    const fromB = explain(setup, B_WEB, A_DB);
    assert.ok(fromB.allowed.isAll());
    assert.deepEqual(briefs(at(fromB, 'ingress', 5432)), ['rule allow AdminNetworkPolicy admin ingress#2(allow-b)']);
  });

  it('a Pass hands the connection to the NetworkPolicies or, when none selects the pod, to the BANP', () => {
    const setup = setUp(
      anp('pass-all', 5, '  subject: { namespaces: {} }\n  ingress:\n  - { name: pass, action: Pass, from: [{ namespaces: {} }] }'),
      np('db-in', '  podSelector: { matchLabels: { app: db } }\n  ingress:\n  - from: [{ podSelector: {} }]'),
      banp('  subject: { namespaces: {} }\n  ingress:\n  - { name: deny-b, action: Deny, from: [{ namespaces: { matchLabels: { team: b } } }] }'),
    );
    const toDb = explain(setup, A_WEB, A_DB);
    assert.ok(toDb.allowed.isAll());
    assert.deepEqual(briefs(at(toDb, 'ingress', 1)), ['rule pass AdminNetworkPolicy pass-all ingress#1(pass)', 'rule allow NetworkPolicy a/db-in ingress#1']);
    const toBWeb = explain(setup, A_WEB, B_WEB);
    assert.ok(toBWeb.allowed.isAll());
    assert.deepEqual(briefs(at(toBWeb, 'ingress', 1)), ['rule pass AdminNetworkPolicy pass-all ingress#1(pass)', 'system-default allow']);
    const toAWeb = explain(setup, B_WEB, A_WEB);
    assert.ok(toAWeb.allowed.isEmpty());
    assert.deepEqual(briefs(at(toAWeb, 'ingress', 1)), ['rule pass AdminNetworkPolicy pass-all ingress#1(pass)', 'rule deny BaselineAdminNetworkPolicy default ingress#1(deny-b)']);
    const text = formatExplainText([toAWeb]);
    assert.match(text, /\t\t1\) \[ANP\] pass-all \/\/ Ingress rule pass \(Pass\)\n\t\t2\) \[BANP\] default \/\/ Ingress rule deny-b \(Deny\)\n/);
  });

  it('a BANP Allow is named; what it leaves is the system default', () => {
    const setup = setUp(banp('  subject: { namespaces: {} }\n  egress:\n  - { name: to-db, action: Allow, to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: db } } } }], ports: [{ portNumber: { protocol: TCP, port: 5432 } }] }\n  - { name: none, action: Deny, to: [{ namespaces: {} }] }'));
    const explanation = explain(setup, A_WEB, A_DB);
    assert.equal(explanation.allowed.toString(), 'TCP 5432');
    assert.deepEqual(briefs(at(explanation, 'egress', 5432)), ['rule allow BaselineAdminNetworkPolicy default egress#1(to-db)']);
    assert.deepEqual(briefs(at(explanation, 'egress', 80)), ['rule deny BaselineAdminNetworkPolicy default egress#2(none)']);
    const out = explain(setup, A_WEB, '0.0.0.0-255.255.255.255[External]');
    assert.deepEqual(briefs(at(out, 'egress', 80)), ['system-default allow'], 'namespaces peers do not match External');
  });
});

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

describe('explain: CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy', () => {
  it("names the allowing rule, and the policy whose selection is Cilium's default deny", () => {
    const setup = setUp(cnp('  endpointSelector: { matchLabels: { app: db } }\n  ingress:\n  - fromEndpoints: [{ matchLabels: { app: web } }]\n    toPorts: [{ ports: [{ port: "5432", protocol: TCP }] }]'));
    const explanation = explain(setup, A_WEB, A_DB);
    assert.equal(explanation.allowed.toString(), 'TCP 5432');
    const allowed = at(explanation, 'ingress', 5432);
    assert.deepEqual(briefs(allowed), ['rule allow CiliumNetworkPolicy a/p ingress#1']);
    assert.match(textAt(setup, allowed.reasons[0]!.rule!.source), /^fromEndpoints: \[\{ matchLabels: \{ app: web \} \}\]/);
    assert.equal(textAt(setup, allowed.reasons[0]!.policy!.selector), '{ matchLabels: { app: db } }', 'the endpointSelector');
    const fromB = explain(setup, B_WEB, A_DB);
    assert.deepEqual(briefs(at(fromB, 'ingress', 5432)), ['default-deny deny CiliumNetworkPolicy a/p [no rule selects the peer]']);
    assert.match(formatExplainText([fromB]), /\[CNP\] a\/p \/\/ Ingress \(captured but not selected by any Ingress rule\)/);
  });

  it('a deny rule takes away what a NetworkPolicy and a Cilium rule allow, and is named alone', () => {
    const setup = setUp(
      np('db-in', '  podSelector: { matchLabels: { app: db } }\n  ingress:\n  - {}'),
      ccnp('  endpointSelector: { matchLabels: { app: db } }\n  ingress:\n  - fromEntities: [cluster]\n  ingressDeny:\n  - fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": b } }]\n    toPorts: [{ ports: [{ port: "5432" }] }]'),
    );
    const fromB = explain(setup, B_WEB, A_DB);
    assert.equal(fromB.allowed.toString(), 'SCTP 1-5431,5433-65535,TCP 1-5431,5433-65535,UDP 1-5431,5433-65535', 'a port without protocol is ANY');
    assert.deepEqual(briefs(at(fromB, 'ingress', 5432)), ['rule deny CiliumClusterwideNetworkPolicy c ingressDeny#1']);
    assert.deepEqual(briefs(at(fromB, 'ingress', 80)), ['rule allow NetworkPolicy a/db-in ingress#1', 'rule allow CiliumClusterwideNetworkPolicy c ingress#1']);
    assert.match(formatExplainText([fromB]), /\[CCNP\] c \/\/ IngressDeny rule #1 \(Deny\)/);
  });

  it('names the rule of specs that allows, and the host rule for {host}', () => {
    const setup = setUp(
      cnp(`  endpointSelector: { matchLabels: { app: web } }
  egress:
  - toEndpoints: [{ matchLabels: { app: db } }]
  ingress:
  - fromEntities: [cluster]
specs:
- endpointSelector: { matchLabels: { app: web } }
  egress:
  - toFQDNs: [{ matchName: api.example.com }]
    toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]`),
    );
    const fqdn = explain(setup, A_WEB, 'api.example.com[FQDN]');
    assert.equal(fqdn.allowed.toString(), 'TCP 443');
    const [reason] = at(fqdn, 'egress', 443).reasons;
    assert.equal(brief(reason!), 'rule allow CiliumNetworkPolicy a/p egress#1');
    assert.equal(reason!.policy!.spec, 2);
    assert.match(formatExplainText([fqdn]), /\[CNP\] a\/p \(rule 2 of spec\/specs\) \/\/ Egress rule #1/);
    const toDb = explain(setup, A_WEB, A_DB);
    assert.ok(toDb.allowed.isAll());
    assert.equal(at(toDb, 'egress', 1).reasons[0]!.policy!.spec, 1);
    const host = explain(setup, '{host}', A_WEB);
    assert.ok(host.allowed.isAll());
    assert.deepEqual(briefs(at(host, 'ingress', 1)), ['host allow']);
  });

  it('a flow the engine cannot evaluate is explained as unknown', () => {
    const setup = setUp(cnp('  endpointSelector: { matchLabels: { app: db } }\n  ingress:\n  - fromRequires: [{ matchLabels: { env: prod } }]'));
    const explanation = explain(setup, A_WEB, A_DB);
    assert.match(explanation.unknown ?? '', /fromRequires is not evaluated/);
    assert.match(formatExplainText([explanation]), /^UNKNOWN: fromRequires is not evaluated/m);
  });
});

describe('explain: several pods of one peer', () => {
  it('a peer of two pods is allowed where either is, with the reasons of the pod that allows', () => {
    const pods = ['one', 'two'].map(
      (name) => `apiVersion: v1
kind: Pod
metadata: { name: api-${name}, namespace: b, labels: { app: api, pod: ${name} }, ownerReferences: [{ kind: ReplicaSet, name: api }] }
spec: { containers: [{ name: c }] }`,
    );
    const setup = setUp(...pods, np('to-one', '  podSelector: { matchLabels: { pod: one } }\n  ingress:\n  - ports: [{ port: 80 }]', 'b'));
    const explanation = explain(setup, A_WEB, 'b/api[ReplicaSet]');
    assert.ok(explanation.allowed.isAll(), 'pod two is not isolated');
    assert.deepEqual(briefs(at(explanation, 'ingress', 80)), ['rule allow NetworkPolicy b/to-one ingress#1', 'system-default allow']);
    assert.deepEqual(briefs(at(explanation, 'ingress', 81)), ['system-default allow']);
  });
});

describe('netlens flows --explain', () => {
  const run = (args: string[], cwd: string) => runCommand(flowsCommand, args, cwd);
  const corpus = `${import.meta.dirname}/../../../shared/corpus/np-guard__netpol-analyzer`;

  it('explains one pair and one port, naming each rule by file and line', async () => {
    const result = await run(['--explain', '--src', 'backend/checkout', '--dst', 'backend/notification', '--port', 'udp/5353', 'tests/acs-security-demos'], corpus);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /CONNECTIONS BETWEEN backend\/checkout\[Deployment\] => backend\/notification\[Deployment\]:\n\nDENIED UDP 5353 due to/);
    assert.match(result.out, /\t\t1\) \[NP\] backend\/checkout-netpol \/\/ Egress rule #4 \(tests\/acs-security-demos\/acs_netpols\.yaml:\d+\)\n/);
    assert.match(result.out, /\[NP\] backend\/notification-netpol \/\/ Ingress rule #1 \(protocols not referenced by the rule\)/);
    assert.equal(result.out.match(/CONNECTIONS BETWEEN/g)?.length, 1);
  });

  it('explains every pair from one source', async () => {
    const result = await run(['--explain', '--src', 'backend/checkout', 'tests/acs-security-demos'], corpus);
    assert.equal(result.code, 0);
    const pairs = result.out.match(/^CONNECTIONS BETWEEN backend\/checkout\[Deployment\] => /gm)?.length ?? 0;
    assert.ok(pairs >= 9, `${pairs} pairs`);
    assert.doesNotMatch(result.out, /^CONNECTIONS BETWEEN (?!backend\/checkout)/m);
    const into = await run(['--explain', '--dst', 'payments/gateway', 'tests/acs-security-demos'], corpus);
    assert.equal(into.code, 0);
    assert.match(into.out, /^CONNECTIONS BETWEEN backend\/checkout\[Deployment\] => payments\/gateway\[Deployment\]:\n\nALLOWED TCP 8080 /m);
    assert.match(into.out, /^CONNECTIONS BETWEEN 0\.0\.0\.0-255\.255\.255\.255\[External\] => payments\/gateway\[Deployment\]:/m);
    assert.doesNotMatch(into.out, /^CONNECTIONS BETWEEN \S+ => (?!payments\/gateway)/m);
  });

  it('exits 2 on a peer it does not know, a bad port, another format or --diff', async () => {
    const unknownPeer = await run(['--explain', '--src', 'nowhere/nothing', 'tests/acs-security-demos'], corpus);
    assert.equal(unknownPeer.code, 2);
    assert.match(unknownPeer.err, /--src 'nowhere\/nothing' names no workload/);
    assert.equal((await run(['--explain', '--port', 'http', 'tests/acs-security-demos'], corpus)).code, 2);
    assert.match((await run(['--explain', '--format', 'json', 'tests/acs-security-demos'], corpus)).err, /--explain writes txt only/);
    assert.equal((await run(['--explain', '--diff', 'HEAD', 'tests/acs-security-demos'], corpus)).code, 2);
    assert.match((await run(['--src', 'a', 'tests/acs-security-demos'], corpus)).err, /go with --explain/);
  });
});

describe('explain on generated clusters', () => {
  it("agrees with the flows on the bench's clusters: NetworkPolicies, and Cilium policies with deny rules, CIDR sets, FQDNs and named ports", () => {
    for (const text of [flowCluster(60, 15), ciliumCluster(60, 15), ciliumCluster(60, 15, 1)]) {
      const workspace = new Workspace();
      workspace.setFile('file:///bench/cluster.yaml', text);
      assert.ok(checkModel(workspace.analyze().model) > 5000, 'pairs explained');
    }
  });
});

describe('explainPort', () => {
  it('finds the group of a port, case-insensitive protocol; none for another protocol', () => {
    const setup = setUp(DB_FROM_WEB_5432);
    const explanation = explain(setup, A_WEB, A_DB);
    assert.equal(explainPort(explanation, 'tcp', 5432)?.ports, PortSet.ports('TCP', [5432, 5432]));
    assert.equal(explainPort(explanation, 'ICMP', 1), undefined);
  });
});
