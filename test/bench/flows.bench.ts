// Times the flow engine on a synthetic cluster: 2,000 pods in 20 namespaces and 500 NetworkPolicies using
// every feature (matchExpressions, namespace selectors, named ports, endPort, ipBlocks with except, egress).
// Prints the time to read the manifests and to compute the flows (best of 3). Run:
//   node --import tsx test/bench/flows.bench.ts [pods] [policies]
import { performance } from 'node:perf_hooks';
import { analyzeFlows } from '../../server/src/flows/engine.ts';
import { formatFlowsText } from '../../server/src/flows/format.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const PODS = Number(process.argv[2] ?? 2000);
const POLICIES = Number(process.argv[3] ?? 500);
const NAMESPACES = 20;
const APPS_PER_NAMESPACE = 25;
const TIERS = ['web', 'api', 'db', 'cache'];

function manifests(): string {
  const docs: string[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    docs.push(`apiVersion: v1
kind: Namespace
metadata:
  name: ns${n}
  labels: { team: team${n % 5}, env: ${n % 2 ? 'prod' : 'dev'} }`);
  }
  for (let i = 0; i < PODS; i++) {
    const n = i % NAMESPACES;
    const app = Math.floor(i / NAMESPACES) % APPS_PER_NAMESPACE;
    // Every other pod belongs to a ReplicaSet (two pods per owner), as in a real cluster dump.
    const owner = i % 2 ? `\n  ownerReferences: [{ kind: ReplicaSet, name: app${app}-rs${Math.floor(i / 4)}, controller: true }]` : '';
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: pod${i}
  namespace: ns${n}
  labels: { app: app${app}, tier: ${TIERS[i % TIERS.length]}, version: v${i % 3} }${owner}
spec:
  containers:
    - name: main
      ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }, { name: dns, containerPort: 53, protocol: UDP }]`);
  }
  for (let p = 0; p < POLICIES; p++) {
    const n = p % NAMESPACES;
    const app = Math.floor(p / NAMESPACES) % APPS_PER_NAMESPACE;
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: policy${p}
  namespace: ns${n}
spec:
  podSelector:
    matchLabels: { app: app${app} }
  policyTypes: [Ingress${p % 3 === 0 ? ', Egress' : ''}]
  ingress:
    - from:
        - podSelector:
            matchExpressions: [{ key: tier, operator: In, values: [web, api] }]
      ports: [{ port: http }, { port: 8443, endPort: ${8443 + (p % 10)} }]
    - from:
        - namespaceSelector: { matchLabels: { team: team${p % 5} } }
          podSelector: { matchLabels: { tier: ${TIERS[p % TIERS.length]} } }
        - ipBlock: { cidr: 10.${p % 256}.0.0/16, except: [10.${p % 256}.${p % 7}.0/24] }
      ports: [{ port: metrics }, { port: 53, protocol: UDP }]
  egress:
    - to: [{ namespaceSelector: {} }]
      ports: [{ port: 53, protocol: UDP }]
    - to: [{ podSelector: { matchLabels: { app: app${(app + 1) % APPS_PER_NAMESPACE} } } }]
    - to: [{ ipBlock: { cidr: 192.168.${p % 256}.0/24 } }]
      ports: [{ port: 443 }]`);
  }
  return docs.join('\n---\n') + '\n';
}

function best<T>(work: () => T, runs = 3): { ms: number; result: T } {
  let ms = Infinity;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = work();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result };
}

const text = manifests();
const read = best(() => {
  const workspace = new Workspace();
  workspace.setFile('file:///bench/cluster.yaml', text);
  return workspace.analyze().model;
});
const model = read.result;
const flows = best(() => analyzeFlows(model));
const rendered = best(() => formatFlowsText(flows.result.flows));
console.log(
  `flows bench: ${model.workloads.length} pods, ${model.policies.length} policies, ${(text.length / 1e6).toFixed(1)} MB of YAML\n` +
    `  read + rules: ${read.ms.toFixed(0)} ms\n` +
    `  flows:        ${flows.ms.toFixed(0)} ms (${flows.result.flows.length} flows, ${flows.result.warnings.length} warnings)\n` +
    `  text output:  ${rendered.ms.toFixed(0)} ms (${(rendered.result.length / 1e6).toFixed(1)} MB)`,
);
