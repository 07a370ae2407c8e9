// The flow engine's parts (port sets, selectors, IPv4 pieces) and NetworkPolicy semantics end to end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidr } from '../../server/src/cidr/cidr.ts';
import { analyzeFlows, type Flow, sortFlows } from '../../server/src/flows/engine.ts';
import { formatFlowsDot, formatFlowsJson, formatFlowsText } from '../../server/src/flows/format.ts';
import { formatInterval, ipBlockIntervals, splitIpv4Space } from '../../server/src/flows/ipBlocks.ts';
import { describeSelector, selectorMatches } from '../../server/src/flows/labels.ts';
import { PortSet } from '../../server/src/flows/ports.ts';
import type { LabelSelector } from '../../server/src/model/network.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

/** The flow lines of a one-file workspace. */
function flows(yaml: string): string[] {
  const workspace = new Workspace();
  workspace.setFile('file:///flows.yaml', yaml);
  return formatFlowsText(analyzeFlows(workspace.analyze().model).flows).trim().split('\n').filter(Boolean);
}

const ANY = '0.0.0.0-255.255.255.255[External]';

const selector = (matchLabels: Record<string, string>, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector => ({
  matchLabels: new Map(Object.entries(matchLabels)),
  matchExpressions,
});
const labels = (entries: Record<string, string | undefined>) => new Map(Object.entries(entries));

describe('port sets', () => {
  it('normalises, joins adjacent ranges and prints like netpol-analyzer', () => {
    assert.equal(PortSet.ALL.toString(), 'All Connections');
    assert.equal(PortSet.EMPTY.toString(), 'No Connections');
    assert.equal(PortSet.of({ TCP: [[10054, 10054], [10053, 10053]], UDP: [[10053, 10053]] }).toString(), 'TCP 10053-10054,UDP 10053');
    assert.equal(PortSet.of({ UDP: [[80, 80]], TCP: [[9090, 9090], [8080, 8080]] }).toString(), 'TCP 8080,9090,UDP 80');
    assert.equal(PortSet.of({ TCP: [[1, 100], [50, 200], [202, 300]] }).toString(), 'TCP 1-200,202-300');
    assert.equal(PortSet.protocol('TCP').toString(), 'TCP 1-65535');
    assert.equal(PortSet.of({ TCP: [[0, 70000]] }), PortSet.protocol('TCP'), 'clipped to 1-65535');
  });

  it('interns equal sets', () => {
    assert.equal(PortSet.ports('TCP', [80, 80]).union(PortSet.ports('TCP', [81, 90])), PortSet.ports('TCP', [80, 90]));
    assert.equal(PortSet.of({ SCTP: [[1, 65535]], TCP: [[1, 65535]], UDP: [[1, 65535]] }), PortSet.ALL);
  });

  it('unions, intersects, complements and subtracts', () => {
    const a = PortSet.of({ TCP: [[80, 90], [100, 200]], UDP: [[53, 53]] });
    const b = PortSet.of({ TCP: [[85, 150]], SCTP: [[1, 5]] });
    assert.equal(a.intersect(b).toString(), 'TCP 85-90,100-150');
    assert.equal(a.union(b).toString(), 'SCTP 1-5,TCP 80-200,UDP 53');
    assert.equal(PortSet.of({ SCTP: [[9003, 9003]], TCP: [[80, 80]], UDP: [[53, 53]] }).complement().toString(), 'SCTP 1-9002,9004-65535,TCP 1-79,81-65535,UDP 1-52,54-65535');
    assert.equal(a.minus(b).toString(), 'TCP 80-84,151-200,UDP 53');
    assert.equal(PortSet.ALL.complement(), PortSet.EMPTY);
    assert.ok(a.contains(a.intersect(b)) && !a.contains(b));
    assert.ok(a.has('TCP', 150) && !a.has('TCP', 95) && !a.has('SCTP', 80));
  });
});

describe('label selectors', () => {
  it('matchLabels and every matchExpressions operator, ANDed', () => {
    const pod = labels({ app: 'web', tier: 'front' });
    assert.equal(selectorMatches(selector({}), pod), true);
    assert.equal(selectorMatches(selector({ app: 'web' }), pod), true);
    assert.equal(selectorMatches(selector({ app: 'db' }), pod), false);
    assert.equal(selectorMatches(selector({}, [{ key: 'tier', operator: 'In', values: ['front', 'back'] }]), pod), true);
    assert.equal(selectorMatches(selector({}, [{ key: 'tier', operator: 'In', values: ['back'] }]), pod), false);
    assert.equal(selectorMatches(selector({}, [{ key: 'zone', operator: 'In', values: ['a'] }]), pod), false);
    assert.equal(selectorMatches(selector({}, [{ key: 'tier', operator: 'NotIn', values: ['back'] }]), pod), true);
    assert.equal(selectorMatches(selector({}, [{ key: 'zone', operator: 'NotIn', values: ['a'] }]), pod), true, 'NotIn matches a missing key');
    assert.equal(selectorMatches(selector({}, [{ key: 'app', operator: 'Exists', values: [] }]), pod), true);
    assert.equal(selectorMatches(selector({}, [{ key: 'app', operator: 'DoesNotExist', values: [] }]), pod), false);
    assert.equal(selectorMatches(selector({}, [{ key: 'zone', operator: 'DoesNotExist', values: [] }]), pod), true);
    assert.equal(selectorMatches(selector({ app: 'web' }, [{ key: 'tier', operator: 'In', values: ['back'] }]), pod), false, 'AND');
  });

  it('is unknown only when an unknown label value decides', () => {
    const pod = labels({ app: undefined, tier: 'front' });
    assert.equal(selectorMatches(selector({ app: 'web' }), pod), undefined);
    assert.equal(selectorMatches(selector({ app: 'web', tier: 'back' }), pod), false, 'a known mismatch decides');
    assert.equal(selectorMatches(selector({}, [{ key: 'app', operator: 'Exists', values: [] }]), pod), true);
  });

  it('describes selectors for messages', () => {
    assert.equal(describeSelector(selector({})), '{}');
    assert.equal(
      describeSelector(selector({ app: 'web' }, [{ key: 'tier', operator: 'NotIn', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist', values: [] }])),
      'app=web, tier notin (a, b), !x',
    );
  });
});

describe('IPv4 pieces', () => {
  it('subtracts except blocks from a CIDR', () => {
    assert.deepEqual(ipBlockIntervals(cidr('10.0.0.0/8'), [cidr('10.10.0.0/16'), cidr('10.255.0.0/16')]).map(formatInterval), [
      '10.0.0.0-10.9.255.255',
      '10.11.0.0-10.254.255.255',
    ]);
    assert.deepEqual(ipBlockIntervals(cidr('10.0.0.0/16'), [cidr('10.0.0.0/8')]), []);
  });

  it('cuts the IPv4 space at every boundary and nowhere else', () => {
    const blocks = [...ipBlockIntervals(cidr('0.0.0.0/0'), [cidr('10.0.0.0/8'), cidr('172.21.0.0/16')])];
    assert.deepEqual(splitIpv4Space(blocks).map(formatInterval), [
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-172.20.255.255',
      '172.21.0.0-172.21.255.255',
      '172.22.0.0-255.255.255.255',
    ]);
    assert.deepEqual(splitIpv4Space([]).map(formatInterval), ['0.0.0.0-255.255.255.255']);
  });
});

const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: blue } }
---
apiVersion: v1
kind: Namespace
metadata: { name: ops }
`;

const pod = (name: string, namespace: string, podLabels: string, ports = '[]') => `---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: ${podLabels} }
spec:
  containers: [{ name: c, ports: ${ports} }]
`;

describe('Node-owned pods', () => {
  // Static and mirror pods (a control plane's etcd, kube-apiserver) are owned by their Node: netpol-analyzer reports
  // each as a workload of its own, named after itself, not one workload per node.
  const staticPod = (name: string, owner: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: kube-system
  labels: { tier: control-plane }
  ownerReferences: [{ apiVersion: v1, kind: ${owner}, name: minikube, controller: true }]
spec:
  containers: [{ name: c }]
`;

  it('are each their own workload; pods of a ReplicaSet still join their owner', () => {
    const lines = flows(staticPod('etcd-minikube', 'Node') + staticPod('kube-apiserver-minikube', 'Node') + staticPod('web-1', 'ReplicaSet') + staticPod('web-2', 'ReplicaSet'));
    const peers = [...new Set(lines.flatMap((line) => line.split(' : ')[0]!.split(' => ')))].filter((peer) => !peer.endsWith('[External]')).sort();
    assert.deepEqual(peers, ['kube-system/etcd-minikube[Pod]', 'kube-system/kube-apiserver-minikube[Pod]', 'kube-system/minikube[ReplicaSet]']);
  });
});

describe('NetworkPolicy semantics', () => {
  it('allows everything without policies, and never lists a peer to itself', () => {
    assert.deepEqual(flows(NAMESPACES + pod('a', 'shop', '{ app: a }') + pod('b', 'shop', '{ app: b }')), [
      `${ANY} => shop/a[Pod] : All Connections`,
      `${ANY} => shop/b[Pod] : All Connections`,
      `shop/a[Pod] => ${ANY} : All Connections`,
      'shop/a[Pod] => shop/b[Pod] : All Connections',
      `shop/b[Pod] => ${ANY} : All Connections`,
      'shop/b[Pod] => shop/a[Pod] : All Connections',
    ]);
  });

  it('denies by selection, and needs both the egress and the ingress side', () => {
    const yaml = `${NAMESPACES}${pod('a', 'shop', '{ app: a }')}${pod('b', 'shop', '{ app: b }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: b-in, namespace: shop }
spec:
  podSelector: { matchLabels: { app: b } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: a } } }]
      ports: [{ port: 80 }, { port: 443 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: a-out, namespace: shop }
spec:
  podSelector: { matchLabels: { app: a } }
  egress:
    - to: [{ podSelector: {} }]
      ports: [{ port: 443 }, { port: 53, protocol: UDP }]
`;
    // a-out has egress rules and no policyTypes: it governs Ingress too (always) and Egress, so nothing gets into a.
    assert.deepEqual(flows(yaml), ['shop/a[Pod] => shop/b[Pod] : TCP 443', `shop/b[Pod] => ${ANY} : All Connections`]);
  });

  it('policyTypes: Ingress only when written so, even with egress rules', () => {
    const yaml = `${pod('a', 'default', '{ app: a }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p }
spec:
  podSelector: {}
  policyTypes: [Ingress]
  egress: [{ to: [{ podSelector: { matchLabels: { none: none } } }] }]
`;
    assert.deepEqual(flows(yaml), [`default/a[Pod] => ${ANY} : All Connections`]);
  });

  it('selects namespaces by their labels and by the implicit name label', () => {
    const yaml = `${NAMESPACES}${pod('db', 'shop', '{ app: db }')}${pod('web', 'shop', '{ app: web }')}${pod('mon', 'ops', '{ app: mon }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: blue } }, podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: 5432 }]
    - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ops } } }]
      ports: [{ port: 9187 }]
`;
    const lines = flows(yaml).filter((line) => line.includes('=> shop/db'));
    assert.deepEqual(lines, ['ops/mon[Pod] => shop/db[Pod] : TCP 9187', 'shop/web[Pod] => shop/db[Pod] : TCP 5432']);
  });

  it('resolves named ports against the destination, protocol included, and prints endPort ranges', () => {
    const yaml = `${pod('dns', 'default', '{ app: dns }', '[{ name: dns, containerPort: 10053, protocol: UDP }, { name: dns-tcp, containerPort: 10053 }, { name: metrics, containerPort: 9153 }]')}${pod('c', 'default', '{ app: c }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: dns }
spec:
  podSelector: { matchLabels: { app: dns } }
  ingress:
    - ports:
        - { port: dns, protocol: UDP }
        - { port: dns-tcp }
        - { port: metrics, protocol: UDP }
        - { port: 30000, endPort: 30010, protocol: SCTP }
`;
    assert.ok(flows(yaml).includes('default/c[Pod] => default/dns[Pod] : SCTP 30000-30010,TCP 10053,UDP 10053'));
  });

  it('splits External at ipBlock and except boundaries and leaves the except blocks out', () => {
    const yaml = `${pod('a', 'default', '{ app: a }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p }
spec:
  podSelector: {}
  ingress:
    - from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.10.0.0/16] } }]
      ports: [{ port: 443 }]
`;
    assert.deepEqual(flows(yaml), [
      '10.0.0.0-10.9.255.255[External] => default/a[Pod] : TCP 443',
      '10.11.0.0-10.255.255.255[External] => default/a[Pod] : TCP 443',
      `default/a[Pod] => ${ANY} : All Connections`,
    ]);
  });

  it('reports owned Pods as their owner and merges them into one peer', () => {
    const owned = (name: string, app: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: { app: ${app} }
  ownerReferences: [{ kind: ReplicaSet, name: web-1, controller: true }]
`;
    const yaml = `${owned('web-1-a', 'web')}${owned('web-1-b', 'web-canary')}${pod('c', 'default', '{ app: c }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p }
spec:
  podSelector: { matchLabels: { app: c } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web-canary } } }], ports: [{ port: 8080 }] }]
`;
    assert.ok(flows(yaml).includes('default/web-1[ReplicaSet] => default/c[Pod] : TCP 8080'));
    assert.ok(!flows(yaml).some((line) => line.startsWith('default/web-1[ReplicaSet] => default/web-1')));
  });

  it('lets the ingress controller reach a Service target port only where any pod may connect', () => {
    const deployment = (name: string, namespace: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: c, ports: [{ name: http, containerPort: 8080 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { app: ${name} }
  ports: [{ name: web, port: 80, targetPort: http }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  rules: [{ http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: ${name}, port: { name: web } } } }] } }]
`;
    const yaml = `${deployment('open', 'a')}${deployment('same-ns', 'b')}${deployment('any-ns', 'c')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: b }
spec:
  podSelector: {}
  ingress: [{ from: [{ podSelector: {} }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: c }
spec:
  podSelector: {}
  ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }]
`;
    assert.deepEqual(
      flows(yaml).filter((line) => line.startsWith('{ingress-controller}')),
      ['{ingress-controller} => a/open[Deployment] : TCP 8080', '{ingress-controller} => c/any-ns[Deployment] : TCP 8080'],
    );
  });

  it('leaves out what it cannot evaluate, and says so', () => {
    const workspace = new Workspace();
    workspace.setFile(
      'file:///flows.yaml',
      `${pod('a', 'default', '{ app: a }')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p }
spec:
  podSelector: { matchLabels: { app: "\${APP}" } }
`,
    );
    const analysis = analyzeFlows(workspace.analyze().model);
    assert.equal(analysis.flows.length, 2);
    assert.equal(analysis.warnings.length, 1);
    assert.match(analysis.warnings[0]!, /NetworkPolicy p: podSelector .*template placeholder \$\{APP\}; left out/);
  });
});

describe('flow order', () => {
  const line = (flow: Flow) => `${flow.src} => ${flow.dst} : ${flow.conn}`;
  const byLine = (flows: Flow[]) => [...flows].sort((a, b) => (line(a) < line(b) ? -1 : line(a) > line(b) ? 1 : 0)).map(line);

  it('sorts by the whole line, byte-wise, as netpol-analyzer does', () => {
    const names = ['a/x[Pod]', 'a/x-y[Pod]', 'a/x[Deployment]', '0.0.0.0-9.255.255.255[External]', '10.0.0.0-10.255.255.255[External]', '{ingress-controller}', 'B/z[Pod]', 'a/x.y[Pod]'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const flows: Flow[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const src = names[Math.floor(next() * names.length)]!;
      const dst = names[Math.floor(next() * names.length)]!;
      if (src === dst || seen.has(`${src}|${dst}`)) continue;
      seen.add(`${src}|${dst}`);
      flows.push({ src, dst, conn: next() < 0.5 ? 'All Connections' : `TCP ${Math.floor(next() * 65535) + 1}` });
    }
    assert.deepEqual(sortFlows([...flows]).map(line), byLine(flows));
  });

  it('falls back to comparing lines when a name holds a space or control character', () => {
    const flows: Flow[] = [
      { src: 'a b', dst: 'c', conn: 'TCP 1' },
      { src: 'a', dst: 'c', conn: 'TCP 1' },
      { src: 'a\tb', dst: 'c', conn: 'TCP 1' },
    ];
    assert.deepEqual(sortFlows([...flows]).map(line), byLine(flows));
  });
});

describe('flow formats', () => {
  const list = [
    { src: 'a/x[Pod]', dst: 'b/y[Pod]', conn: 'TCP 80' },
    { src: '{ingress-controller}', dst: 'b/y[Pod]', conn: 'TCP 8080' },
  ];
  it('prints text, JSON and Graphviz', () => {
    assert.equal(formatFlowsText(list), 'a/x[Pod] => b/y[Pod] : TCP 80\n{ingress-controller} => b/y[Pod] : TCP 8080\n');
    assert.equal(formatFlowsText([]), '');
    assert.equal(formatFlowsJson([]), '[]\n');
    assert.deepEqual(JSON.parse(formatFlowsJson(list)), list);
    const dot = formatFlowsDot(list);
    assert.match(dot, /^digraph flows \{/);
    assert.match(dot, /"a\/x\[Pod\]" -> "b\/y\[Pod\]" \[label="TCP 80"\];/);
    assert.match(dot, /"\{ingress-controller\}" \[shape=box\];/);
  });
});
