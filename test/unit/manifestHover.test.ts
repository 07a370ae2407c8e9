// Hovers on NetworkPolicy and Service selectors: what they select in their file, and what the file's policies
// let in and out, from the flow engine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hoverAt } from '../../server/src/service/hover.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const SHOP = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx, ports: [{ name: http, containerPort: 8080 }] }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: api, ports: [{ containerPort: 9090 }] }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-web, namespace: shop }
spec:
  podSelector:
    matchLabels: { app: api }
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels: { app: web }
      ports: [{ port: 9090 }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector:
    app: api
  ports:
    - name: grpc
      port: 80
      targetPort: 9090
`;

function hover(text: string, line: number, find: string): string | undefined {
  const workspace = new Workspace();
  workspace.setFile('file:///w/shop.yaml', text);
  const character = text.split('\n')[line]!.indexOf(find);
  assert.ok(character >= 0, `line ${line} holds ${find}`);
  const result = hoverAt(workspace, 'file:///w/shop.yaml', { line, character: character + 1 });
  return result ? (result.contents as { value: string }).value : undefined;
}

const lineOf = (text: string, find: string, from = 0) => text.split('\n').findIndex((line, index) => index >= from && line.includes(find));

describe('selector hovers', () => {
  it('on a policy podSelector: the workloads it selects and what the file lets in and out of them', () => {
    const value = hover(SHOP, lineOf(SHOP, 'podSelector:'), 'podSelector');
    assert.ok(value);
    assert.match(value, /\*\*NetworkPolicy api-from-web\*\* · namespace shop · selects `app=api`/);
    assert.match(value, /On the pods it selects, this policy allows:\n- Ingress: TCP 9090 from pods `app=web` in this namespace; everything else denied\./);
    assert.doesNotMatch(value, /- Egress/, 'policyTypes [Ingress] leaves egress alone');
    assert.match(value, /Selects 1 of 2 workload\(s\) of namespace shop in this file: shop\/api\[Deployment\]/);
    assert.match(value, /Allowed in:\n- from shop\/web\[Deployment\]: TCP 9090\n\n/);
    assert.match(value, /Allowed out:\n- to 0\.0\.0\.0-255\.255\.255\.255\[External\]: All Connections\n- to shop\/web\[Deployment\]: All Connections/);
  });

  it('on a peer podSelector: the pods it matches', () => {
    const peer = lineOf(SHOP, '- podSelector:');
    const value = hover(SHOP, peer, 'podSelector');
    assert.match(value!, /Matches 1 of 2 workload\(s\) of namespace shop in this file: shop\/web\[Deployment\]/);
  });

  it('on a Service selector: its endpoints and port mapping', () => {
    const value = hover(SHOP, lineOf(SHOP, 'selector:', lineOf(SHOP, 'kind: Service')), 'selector');
    assert.ok(value);
    assert.match(value, /\*\*Service api\*\* · namespace shop · selects `app=api`/);
    assert.match(value, /Sends traffic to 1 of 2 workload\(s\) of namespace shop in this file: shop\/api\[Deployment\]/);
    assert.match(value, /Ports: grpc 80 → 9090\/TCP/);
    assert.doesNotMatch(value, /Load balancer/, 'a ClusterIP Service has none');
  });

  it('on a LoadBalancer Service: internal or public, its IP, and the subnet it comes from', () => {
    const text = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata: { name: vnet }
spec:
  addressSpace: { addressPrefixes: [10.240.0.0/16] }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: ilb }
spec:
  owner: { name: vnet }
  addressPrefix: 10.240.4.0/24
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: nodes }
spec:
  owner: { name: vnet }
  addressPrefix: 10.240.0.0/22
---
apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata: { name: aks }
spec:
  networkProfile: { networkPlugin: azure }
  agentPoolProfiles: [{ name: sys, count: 3, vnetSubnetReference: { armId: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes } }]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ilb
    service.beta.kubernetes.io/azure-load-balancer-ipv4: 10.240.4.10
spec:
  type: LoadBalancer
  selector:
    app: api
  ports: [{ port: 443 }]
`;
    const value = hover(text, lineOf(text, 'selector:'), 'selector');
    assert.match(value!, /Load balancer: internal, IP 10\.240\.4\.10 in subnet ilb \(10\.240\.4\.0\/24\)/);
  });

  it('puts a policy in words: ipBlocks with except, namespace selectors, port ranges, default deny of egress', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }
        - namespaceSelector: { matchLabels: { team: ops } }
          podSelector: { matchLabels: { app: probe } }
      ports: [{ protocol: UDP, port: 8000, endPort: 8080 }]
`;
    const value = hover(text, lineOf(text, 'podSelector: {}'), 'podSelector');
    assert.match(value!, /- Ingress: UDP 8000-8080 from 10\.0\.0\.0\/8 except 10\.1\.0\.0\/16 or pods `app=probe` in namespaces `team=ops`; everything else denied\./);
    assert.match(value!, /- Egress: nothing \(no rule; all denied\)\./);
  });

  it('says when the file holds no workload of the namespace, and does not guess', () => {
    const policyOnly = SHOP.split('---\n').slice(2).join('---\n');
    const value = hover(policyOnly, lineOf(policyOnly, 'podSelector:'), 'podSelector');
    assert.match(value!, /this file holds no workload of namespace shop \(its pods may be deployed elsewhere\)/);
    assert.doesNotMatch(value!, /Allowed/);
  });
});
