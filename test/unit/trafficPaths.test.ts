// The network map's traffic paths: the stops and hops of the ingress diagram (load balancers, node ports,
// Ingresses, Services, workloads) and of each cluster's egress by outbound type.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { MapPathGraph } from '../../server/src/service/networkMapData.ts';
import { trafficPaths } from '../../server/src/service/trafficPaths.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

async function paths(files: Record<string, string>) {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return trafficPaths(workspace.analyze().model, (source) => (source ? { uri: source.uri, range: { start: { line: 0, character: source.start }, end: { line: 0, character: source.end } } } : undefined));
}

/** "from -> to: text" per hop, by node labels. */
function hops(graph: MapPathGraph): string[] {
  const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
  return graph.edges.map((e) => `${label.get(e.from)} -> ${label.get(e.to)}${e.text ? `: ${e.text}` : ''}${e.assumed ? ' (assumed)' : ''}`).sort();
}

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    service.beta.kubernetes.io/azure-load-balancer-ipv4: 10.240.4.10
    service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ilb
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 443, targetPort: 8443 }]
---
apiVersion: v1
kind: Service
metadata: { name: public, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: debug, namespace: shop }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 9000, nodePort: 30900 }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ port: 8080 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: site, namespace: shop }
spec:
  ingressClassName: webapprouting.kubernetes.azure.com
  rules:
    - http:
        paths:
          - { path: /api, pathType: Prefix, backend: { service: { name: api, port: { number: 8080 } } } }
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 443 } } } }
`;

describe('traffic paths: ingress', () => {
  it('draws clients, load balancers, node ports, the ingress controller, Services and the workloads they select', async () => {
    const result = await paths({ 'shop.yaml': WORKLOADS });
    const ingress = result!.ingress!;
    assert.deepEqual(hops(ingress), [
      'Ingress shop/site -> Service shop/api: port 8080',
      'Ingress shop/site -> Service shop/web: port 443',
      'Internet -> application routing (NGINX): HTTP(S) (assumed)',
      'Internet -> public load balancer: TCP 80',
      'Service shop/debug -> shop/web [Deployment]: port 9000',
      'Service shop/public -> shop/web [Deployment]: port 80',
      'Service shop/web -> shop/web [Deployment]: port 8443',
      'VNet clients -> internal load balancer: TCP 443',
      'VNet clients -> node port on every node: 30900',
      'application routing (NGINX) -> Ingress shop/site',
      'internal load balancer -> Service shop/web: TCP 443',
      'node port on every node -> Service shop/debug: TCP 9000',
      'public load balancer -> Service shop/public: TCP 80',
    ]);
    const internal = ingress.nodes.find((n) => n.label === 'internal load balancer')!;
    assert.equal(internal.detail, 'static IP 10.240.4.10 in subnet ilb');
    assert.ok(internal.source, 'a stop reveals where it is written');
    assert.deepEqual(ingress.notes, ['Service shop/api: no workload of the workspace matches its selector (its pods may be deployed elsewhere).']);
    for (const node of ingress.nodes) assert.ok(node.width > 0 && node.x >= 0 && node.y >= 0, 'laid out');
    for (const edge of ingress.edges) assert.ok(edge.points.length >= 2, 'routed');
  });

  it('names the Application Gateway ingress controller by its class, and a generic controller otherwise', async () => {
    const ingress = (name: string, cls: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n${cls}spec:\n  defaultBackend: { service: { name: x, port: { number: 80 } } }\n`;
    const result = await paths({
      'a.yaml': ingress('agic', '  annotations: { kubernetes.io/ingress.class: azure/application-gateway }\n'),
      'b.yaml': ingress('plain', ''),
    });
    const controllers = result!.ingress!.nodes.filter((n) => n.kind === 'ingress-controller').map((n) => `${n.label} | ${n.detail}`).sort();
    assert.deepEqual(controllers, ['Application Gateway (AGIC) | class azure/application-gateway', 'ingress controller | its class is not written']);
  });

  it('draws a workspace with more exposed Services than it can show per namespace, and says so', async () => {
    const { MAX_PATH_STOPS } = await import('../../server/src/service/trafficPaths.ts');
    const services = Array.from({ length: MAX_PATH_STOPS }, (_, i) =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: s${i}, namespace: team${i % 3} }\nspec:\n  type: LoadBalancer\n  ports: [{ port: ${i % 2 ? 80 : 443} }]\n`,
    ).join('---\n');
    const ingress = (await paths({ 'many.yaml': services }))!.ingress!;
    assert.deepEqual(ingress.nodes.map((n) => `${n.label} | ${n.detail}`).sort(), [
      'Internet | public clients',
      'Services of namespace team0 | 40 Services',
      'Services of namespace team1 | 40 Services',
      'Services of namespace team2 | 40 Services',
      'public load balancers | 120 frontends',
    ]);
    assert.deepEqual(hops(ingress), [
      'Internet -> public load balancers: 2 port sets',
      'public load balancers -> Services of namespace team0: 2 port sets',
      'public load balancers -> Services of namespace team1: 2 port sets',
      'public load balancers -> Services of namespace team2: 2 port sets',
    ]);
    assert.match(ingress.notes.at(-1)!, /^120 exposed Services: drawn per namespace/);
  });

  it('has no ingress diagram when nothing is exposed', async () => {
    const result = await paths({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { selector: { app: a } }\n' });
    assert.equal(result, undefined);
  });
});

const cluster = (profile: string, pools = '  agentPoolProfiles: [{ name: sys, count: 3, vnetSubnetReference: { armId: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes } }]') => `apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedCluster
metadata: { name: aks }
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
${profile}
${pools}
`;

const NETWORK = (subnet: string) => `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata: { name: vnet }
spec:
  addressSpace: { addressPrefixes: [10.240.0.0/16] }
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata: { name: nodes }
spec:
  owner: { name: vnet }
  addressPrefix: 10.240.0.0/22
${subnet}
---
apiVersion: network.azure.com/v1api20240301
kind: RouteTable
metadata: { name: egress }
spec: {}
---
apiVersion: network.azure.com/v1api20240301
kind: RouteTablesRoute
metadata: { name: default }
spec:
  owner: { name: egress }
  addressPrefix: 0.0.0.0/0
  nextHopType: VirtualAppliance
  nextHopIpAddress: 10.0.1.4
`;

describe('traffic paths: egress', () => {
  it('load balancer SNAT by default, with IPs and ports per node', async () => {
    const [egress] = (await paths({ 'aks.yaml': cluster('    loadBalancerProfile: { managedOutboundIPs: { count: 2 }, allocatedOutboundPorts: 4000 }') }))!.egress;
    assert.equal(egress!.title, 'Egress of cluster aks');
    assert.deepEqual(hops(egress!), ['load balancer SNAT -> Internet: SNAT', 'nodes of aks -> load balancer SNAT']);
    assert.equal(egress!.nodes.find((n) => n.kind === 'load-balancer')!.detail, '2 outbound IPs x 64,000 ports, 4,000 per node');
    assert.equal(egress!.nodes.find((n) => n.kind === 'nodes')!.detail, '4 at most, in the AKS-managed VNet');
  });

  it('user-defined routing: the node subnet, its route table, the default route to the appliance', async () => {
    const [egress] = (await paths({ 'aks.yaml': cluster('    outboundType: userDefinedRouting'), 'net.yaml': NETWORK('  routeTable: { reference: { name: egress } }') }))!.egress;
    assert.deepEqual(hops(egress!), [
      'firewall or appliance -> Internet (assumed)',
      'nodes of aks -> route table egress: nodes',
      'route table egress -> firewall or appliance: 0.0.0.0/0',
    ]);
    assert.deepEqual(egress!.notes, []);
  });

  it('says so when a UDR node subnet has no route table', async () => {
    const [egress] = (await paths({ 'aks.yaml': cluster('    outboundType: userDefinedRouting'), 'net.yaml': NETWORK('') }))!.egress;
    assert.deepEqual(egress!.notes, ['Node subnet nodes: no route table, so no default route.']);
  });

  it('a managed NAT gateway with its IPs', async () => {
    const [egress] = (await paths({ 'aks.yaml': cluster('    outboundType: managedNATGateway\n    natGatewayProfile: { managedOutboundIPProfile: { count: 3 } }', '  agentPoolProfiles: [{ name: sys, count: 3 }]') }))!.egress;
    assert.deepEqual(hops(egress!), ['managed NAT gateway -> Internet: SNAT', 'nodes of aks -> managed NAT gateway']);
    assert.equal(egress!.nodes.find((n) => n.kind === 'nat-gateway')!.detail, '3 managed IPs x 64,512 ports');
  });
});

describe('egress hops with verdicts', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/rules/firewall-missing-aks-egress/${name}`, import.meta.url), 'utf8');
  const firewallHops = async (file: string, name: string) => {
    const result = await paths({ [file]: fixture(name) });
    const graph = result!.egress[0]!;
    const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
    return graph.edges.filter((e) => e.verdict).map((e) => ({ hop: `${label.get(e.from)} -> ${label.get(e.to)}: ${e.text}`, decision: e.verdict!.decision, reason: e.verdict!.reason, revealed: e.verdict!.source !== undefined }));
  };

  it("draws the firewall's hop to the Internet denied when its policy lacks the AKS egress, with the policy to reveal", async () => {
    for (const [file, name] of [['main.bicep', 'bad.bicep'], ['main.tf', 'bad.tf']]) {
      const [hop, ...more] = await firewallHops(file, name!);
      assert.deepEqual(more, [], name);
      assert.match(hop!.hop, /^firewall \S+ -> Internet: AKS egress denied$/, name);
      assert.equal(hop!.decision, 'denied');
      assert.match(hop!.reason, /allows neither the AzureKubernetesService FQDN tag nor HTTPS to/);
      assert.equal(hop!.revealed, true);
    }
  });

  it('draws it allowed when the policy has the AKS egress', async () => {
    const [hop] = await firewallHops('main.bicep', 'good.bicep');
    assert.equal(hop?.decision, 'allowed');
    assert.match(hop!.hop, /AKS egress allowed$/);
  });
});
