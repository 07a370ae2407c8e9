// Property (issue 19, Done when): a CiliumNetworkPolicy that uses only endpointSelector, fromEndpoints/toEndpoints and
// toPorts gives the same flows as its Kubernetes NetworkPolicy translation, on generated namespaces, pods and policies.
// The translation, written here from the two APIs' documents (facts.ts CILIUM_DEFAULT_DENY, CILIUM_NAMESPACES,
// CILIUM_PORTS): endpointSelector -> podSelector; a section with rules -> that policy type; each fromEndpoints /
// toEndpoints selector -> a podSelector peer, or with the namespace label `k8s:io.kubernetes.pod.namespace: X` a
// namespaceSelector on kubernetes.io/metadata.name X plus the rest as podSelector; toPorts' ports -> ports, protocol
// ANY -> one entry per protocol. fromEndpoints lists are never empty (an empty list selects nothing in Cilium, every
// peer in a NetworkPolicy) and sections are never written empty (no section in Cilium, a default deny in Kubernetes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeFlows } from '../../server/src/flows/engine.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { checkModel } from './explainAgreement.ts';

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'] as const;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
/** Container ports pods may declare: named ports the policies may name. */
const CONTAINER_PORTS = [
  { name: 'http', containerPort: 8080, protocol: 'TCP' },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
] as const;

type Json = Record<string, unknown>;

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const labelKey = fc.constantFrom('app', 'tier');
const labelValue = fc.constantFrom('web', 'db', 'front', 'back');

const selector: fc.Arbitrary<Selector> = fc
  .record(
    {
      matchLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
      matchExpressions: fc.array(
        fc.oneof(
          fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(labelValue, { minLength: 1, maxLength: 2 }) }),
          fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
        ),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  )
  .map((value) => {
    const result: Selector = {};
    if (value.matchLabels && Object.keys(value.matchLabels).length > 0) result.matchLabels = value.matchLabels;
    if (value.matchExpressions && value.matchExpressions.length > 0) result.matchExpressions = value.matchExpressions;
    return result;
  });

/** A peer selector of a Cilium rule, with the namespace it names (if any). */
const peer = fc.record({ selector, namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }) });

const port = fc.record({
  port: fc.oneof(fc.integer({ min: 1, max: 10000 }), fc.constantFrom(53, 80, 8080, 9090), fc.constantFrom('http', 'dns', 'metrics')),
  endPort: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'ANY', undefined),
});

const rule = fc.record({
  peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
  ports: fc.option(fc.array(port, { minLength: 1, maxLength: 3 }), { nil: undefined }),
});

const policy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  endpointSelector: selector,
  ingress: fc.option(fc.array(rule, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});

const pod = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
  ports: fc.subarray([...CONTAINER_PORTS]),
});

const world = fc.record({
  pods: fc.array(pod, { minLength: 1, maxLength: 6 }),
  policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;
type Rule = World['policies'][number]['egress'] extends (infer R)[] | undefined ? R : never;
type Port = Rule['ports'] extends (infer P)[] | undefined ? P : never;

/** A port entry's number and end, kept valid: an endPort only after a number, never below it. */
function portRange(entry: Port): { port: number | string; endPort?: number } {
  if (typeof entry.port === 'string' || entry.endPort === undefined) return { port: entry.port };
  return { port: entry.port, endPort: Math.min(entry.port + entry.endPort, 65535) };
}

function ciliumRule(item: Rule, direction: 'ingress' | 'egress'): Json {
  const endpoints = item.peers.map(({ selector: own, namespace }) =>
    namespace === undefined ? own : { ...own, matchLabels: { ...own.matchLabels, 'k8s:io.kubernetes.pod.namespace': namespace } },
  );
  const result: Json = { [direction === 'ingress' ? 'fromEndpoints' : 'toEndpoints']: endpoints };
  if (item.ports) {
    result.toPorts = [{ ports: item.ports.map((entry) => ({ ...stringPort(portRange(entry)), ...(entry.protocol ? { protocol: entry.protocol } : {}) })) }];
  }
  return result;
}

/** Cilium writes port numbers as strings. */
function stringPort(range: { port: number | string; endPort?: number }): Json {
  return { port: String(range.port), ...(range.endPort === undefined ? {} : { endPort: range.endPort }) };
}

function networkPolicyRule(item: Rule, direction: 'ingress' | 'egress'): Json {
  const peers = item.peers.map(({ selector: own, namespace }) =>
    namespace === undefined ? { podSelector: own } : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: own },
  );
  const result: Json = { [direction === 'ingress' ? 'from' : 'to']: peers };
  if (item.ports) {
    result.ports = item.ports.flatMap((entry) => {
      // Cilium's default protocol is ANY; a NetworkPolicy port is one protocol.
      const protocols = entry.protocol === undefined || entry.protocol === 'ANY' ? PROTOCOLS : [entry.protocol];
      return protocols.map((protocol) => ({ ...portRange(entry), protocol }));
    });
  }
  return result;
}

/** The cluster (namespaces and pods) and the policies of one kind, as one YAML text of JSON documents. */
function manifests(input: World, kind: 'cilium' | 'kubernetes'): string {
  const documents: Json[] = NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  input.pods.forEach((item, index) =>
    documents.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${index}`, namespace: item.namespace, labels: item.labels },
      spec: { containers: [{ name: 'c', ports: item.ports }] },
    }),
  );
  input.policies.forEach((item, index) => {
    const metadata = { name: `policy-${index}`, namespace: item.namespace };
    if (kind === 'cilium') {
      const spec: Json = { endpointSelector: item.endpointSelector };
      if (item.ingress) spec.ingress = item.ingress.map((entry) => ciliumRule(entry, 'ingress'));
      if (item.egress) spec.egress = item.egress.map((entry) => ciliumRule(entry, 'egress'));
      documents.push({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata, spec });
      return;
    }
    const policyTypes = [...(item.ingress ? ['Ingress'] : []), ...(item.egress ? ['Egress'] : [])];
    // A Cilium policy without sections selects and isolates nothing: the translation is no policy.
    if (policyTypes.length === 0) return;
    const spec: Json = { podSelector: item.endpointSelector, policyTypes };
    if (item.ingress) spec.ingress = item.ingress.map((entry) => networkPolicyRule(entry, 'ingress'));
    if (item.egress) spec.egress = item.egress.map((entry) => networkPolicyRule(entry, 'egress'));
    documents.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec });
  });
  return documents.map((document) => JSON.stringify(document)).join('\n---\n');
}

function modelOf(text: string) {
  const workspace = new Workspace();
  workspace.setFile('file:///world.yaml', text);
  return workspace.analyze().model;
}

function flowsOf(text: string) {
  return analyzeFlows(modelOf(text));
}

describe('Cilium policies and their NetworkPolicy translation', () => {
  it('give the same flows (endpointSelector, fromEndpoints/toEndpoints, toPorts)', () => {
    let restricted = 0;
    fc.assert(
      fc.property(world, (input) => {
        const cilium = flowsOf(manifests(input, 'cilium'));
        const kubernetes = flowsOf(manifests(input, 'kubernetes'));
        assert.deepEqual(cilium.warnings, [], 'the Cilium side evaluates everything');
        assert.deepEqual(cilium.flows, kubernetes.flows);
        const open = flowsOf(manifests({ ...input, policies: [] }, 'kubernetes'));
        if (JSON.stringify(open.flows) !== JSON.stringify(kubernetes.flows)) restricted++;
      }),
      { seed: 20261207, numRuns: Number(process.env.CILIUM_TRANSLATION_RUNS ?? 150) },
    );
    // The property is only worth something if the generated policies restrict flows.
    assert.ok(restricted > 50, `${restricted} of the generated worlds restrict some flow`);
  });

  it('are explained in agreement with the flows, both (explainAgreement.ts)', () => {
    fc.assert(
      fc.property(world, (input) => {
        checkModel(modelOf(manifests(input, 'cilium')));
        checkModel(modelOf(manifests(input, 'kubernetes')));
      }),
      { seed: 20261208, numRuns: Number(process.env.CILIUM_TRANSLATION_RUNS ?? 60) },
    );
  });
});
