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

/** The hops that carry a verdict, by node labels, with their decision, reason and whether a click reveals a source. */
function decided(graph: MapPathGraph) {
  const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
  return graph.edges
    .filter((e) => e.verdict)
    .map((e) => ({ hop: `${label.get(e.from)} -> ${label.get(e.to)}${e.text ? `: ${e.text}` : ''}`, decision: e.verdict!.decision, reason: e.verdict!.reason, revealed: e.verdict!.source !== undefined, line: e.verdict!.source?.range.start.character }));
}

describe('egress hops with verdicts', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/rules/firewall-missing-aks-egress/${name}`, import.meta.url), 'utf8');
  const firewallHops = async (file: string, name: string) => decided((await paths({ [file]: fixture(name) }))!.egress[0]!);

  it("draws the firewall's hop to the Internet denied when its policy lacks the AKS egress, with the policy to reveal", async () => {
    for (const [file, name] of [['main.bicep', 'bad.bicep'], ['main.tf', 'bad.tf']]) {
      const hops = await firewallHops(file, name!);
      const [hop, ...more] = hops.filter((h) => h.hop.endsWith('-> Internet: AKS egress denied'));
      assert.deepEqual(more, [], name);
      assert.match(hop!.hop, /^firewall \S+ -> Internet: AKS egress denied$/, name);
      assert.equal(hop!.decision, 'denied');
      assert.match(hop!.reason, /allows neither the AzureKubernetesService FQDN tag nor HTTPS to/);
      assert.equal(hop!.revealed, true);
    }
  });

  it('draws it allowed when the policy has the AKS egress', async () => {
    const hop = (await firewallHops('main.bicep', 'good.bicep')).find((h) => h.hop.endsWith('-> Internet: AKS egress allowed'));
    assert.equal(hop?.decision, 'allowed');
  });

  it('names the default route the egress takes on the hop that follows it', async () => {
    const hops = await firewallHops('main.bicep', 'good.bicep');
    const route = hops.find((h) => h.hop === 'route table rt-spoke -> firewall fw-hub: 0.0.0.0/0');
    assert.equal(route?.decision, 'allowed');
    assert.match(route!.reason, /^route to-firewall takes 0\.0\.0\.0\/0 to VirtualAppliance 10\.0\.1\.4: firewall fw-hub$/);
    assert.equal(route!.revealed, true);
  });
});

describe('hops decided by the node subnet NSG and the default route', () => {
  const fixture = (rule: string, name: string) => readFileSync(new URL(`../fixtures/rules/${rule}/${name}`, import.meta.url), 'utf8');
  const ingressOf = async (files: Record<string, string>) => decided((await paths(files))!.ingress!);

  it("draws a public Service's hop into the nodes denied by the NSG rule that denies its port, with the rule to reveal", async () => {
    const hops = await ingressOf({ 'aks.yaml': fixture('nsg-denies-lb-service-port', 'bad.yaml') });
    const web = hops.find((h) => h.hop === 'public load balancer -> Service shop/web: TCP 443');
    assert.equal(web?.decision, 'denied');
    assert.equal(web!.reason, 'TCP 443 from Internet denied by NSG nsg-nodes rule deny-internet-https (priority 100) on subnet nodes');
    assert.equal(web!.revealed, true);
    const admin = hops.find((h) => h.hop === 'public load balancer -> Service shop/admin: TCP 8443');
    assert.equal(admin?.decision, 'denied');
    assert.equal(admin!.reason, 'TCP 8443 from 203.0.113.0/24 denied by NSG nsg-nodes default rule DenyAllInBound (priority 65500) on subnet nodes');
    // The internal Service's clients are not the Internet: no verdict on its hop.
    assert.equal(hops.some((h) => h.hop.includes('Service shop/internal') && !h.hop.startsWith('Azure Load Balancer')), false);
    // The probes: allowed by the default AllowAzureLoadBalancerInBound, one hop per LoadBalancer Service.
    const probes = hops.filter((h) => h.hop.startsWith('Azure Load Balancer health probes -> '));
    assert.equal(probes.length, 3);
    assert.deepEqual(new Set(probes.map((h) => h.decision)), new Set(['allowed']));
    assert.match(probes[0]!.reason, /^TCP 30000-32767 on subnet nodes allowed by NSG nsg-nodes default rule AllowAzureLoadBalancerInBound \(priority 65001\)$/);
  });

  it('draws it allowed when the NSG lets the clients in, naming the rule', async () => {
    const hops = await ingressOf({ 'aks.yaml': fixture('nsg-denies-lb-service-port', 'good.yaml') });
    const web = hops.find((h) => h.hop === 'public load balancer -> Service shop/web: TCP 443');
    assert.equal(web?.decision, 'allowed');
    assert.equal(web!.reason, 'TCP 443 from Internet allowed by NSG nsg-nodes rule allow-internet-https (priority 100) on subnet nodes');
    assert.equal(hops.find((h) => h.hop === 'public load balancer -> Service shop/admin: TCP 8443')?.decision, 'allowed');
  });

  it('keeps a hop unknown when its clients or the destination the NSG sees are not known', async () => {
    const base = fixture('nsg-denies-lb-service-port', 'bad.yaml');
    const tags = base.replace('service.beta.kubernetes.io/azure-allowed-ip-ranges: "203.0.113.0/24"', 'service.beta.kubernetes.io/azure-allowed-service-tags: "AzureFrontDoor.Backend"');
    const admin = (await ingressOf({ 'aks.yaml': tags })).find((h) => h.hop.endsWith('Service shop/admin: TCP 8443'));
    assert.equal(admin?.decision, 'unknown');
    assert.match(admin!.reason, /names service tags, whose addresses are not known here/);
    const floating = base.replace('  name: web\n  namespace: shop\n', '  name: web\n  namespace: shop\n  annotations:\n    service.beta.kubernetes.io/azure-disable-load-balancer-floating-ip: "true"\n');
    const web = (await ingressOf({ 'aks.yaml': floating })).find((h) => h.hop.endsWith('Service shop/web: TCP 443'));
    assert.equal(web?.decision, 'unknown');
    assert.match(web!.reason, /Floating IP is disabled/);
    // The rule's access cannot be evaluated: it may allow, so the port's answer is open and the hop is not denied.
    const open = base.replace(/access: Deny # expect: .*\n/, 'access: ${ACCESS}\n');
    const unknownWeb = (await ingressOf({ 'aks.yaml': open })).find((h) => h.hop.endsWith('Service shop/web: TCP 443'));
    assert.equal(unknownWeb?.decision, 'unknown');
    assert.match(unknownWeb!.reason, /the access of deny-internet-https is not known/);
  });

  it("draws the probes' hop denied by the rule that denies them", async () => {
    const hops = await ingressOf({ 'aks.yaml': fixture('nsg-denies-lb-probes', 'bad.yaml') });
    const probe = hops.find((h) => h.hop === 'Azure Load Balancer health probes -> Service default/web: health probes');
    assert.equal(probe?.decision, 'denied');
    assert.equal(probe!.reason, 'TCP 30000-32767 on subnet nodes denied by NSG nsg-nodes rule deny-lb (priority 100)');
    assert.equal(probe!.revealed, true);
  });

  const NSG = (rules: string) => `---
apiVersion: network.azure.com/v1api20240301
kind: NetworkSecurityGroup
metadata: { name: nsg-nodes }
spec: {}
${rules}`;
  const rule = (name: string, priority: number, access: string, protocol: string, port: string, destination = 'Internet') => `---
apiVersion: network.azure.com/v1api20240301
kind: NetworkSecurityGroupsSecurityRule
metadata: { name: ${name} }
spec:
  owner: { name: nsg-nodes }
  priority: ${priority}
  direction: Outbound
  access: ${access}
  protocol: ${protocol}
  sourceAddressPrefix: "*"
  sourcePortRange: "*"
  destinationAddressPrefix: ${destination}
  destinationPortRange: "${port}"
`;
  const withNsg = '  networkSecurityGroup: { reference: { name: nsg-nodes } }';
  const egressOf = async (rules: string, outbound = '') => decided((await paths({ 'aks.yaml': cluster(outbound), 'net.yaml': NETWORK(withNsg) + NSG(rules) }))!.egress[0]!);

  it("denies the nodes' hop out of the subnet when the NSG denies HTTPS to the Internet, naming the rule", async () => {
    const [hop, ...more] = await egressOf(rule('deny-internet', 100, 'Deny', '"*"', '*'));
    assert.deepEqual(more, []);
    assert.equal(hop!.hop, 'nodes of aks -> load balancer SNAT');
    assert.equal(hop!.decision, 'denied');
    assert.match(hop!.reason, /^TCP 443 to Internet from subnet nodes denied by NSG nsg-nodes rule deny-internet \(priority 100\)/);
    assert.equal(hop!.revealed, true);
  });

  it('keeps it allowed when only a port AKS needs under conditions is denied, and says so', async () => {
    const [hop] = await egressOf(rule('deny-ntp', 100, 'Deny', 'Udp', '123'));
    assert.equal(hop!.decision, 'allowed');
    assert.match(hop!.reason, /TCP 443 to Internet from subnet nodes allowed by NSG nsg-nodes default rule AllowInternetOutBound \(priority 65001\)/);
    assert.match(hop!.reason, /UDP 123 to Internet from subnet nodes denied by NSG nsg-nodes rule deny-ntp \(priority 100\) \(needed except for nodes provisioned after March 2021\)/);
  });

  it('keeps it unknown when HTTPS is allowed to some Internet addresses only', async () => {
    const [hop] = await egressOf(rule('allow-one', 100, 'Allow', 'Tcp', '443', '203.0.113.0/24') + rule('deny-rest', 200, 'Deny', '"*"', '*'));
    assert.equal(hop!.decision, 'unknown');
    assert.match(hop!.reason, /allowed to some Internet addresses only/);
  });

  it('denies the route hop when the default route goes where AKS rejects it', async () => {
    const udr = '    outboundType: userDefinedRouting';
    const toInternet = NETWORK('  routeTable: { reference: { name: egress } }').replace('nextHopType: VirtualAppliance\n  nextHopIpAddress: 10.0.1.4', 'nextHopType: Internet');
    const internet = decided((await paths({ 'aks.yaml': cluster(udr), 'net.yaml': toInternet }))!.egress[0]!);
    assert.deepEqual(internet.map((h) => [h.hop, h.decision]), [['route table egress -> Internet: 0.0.0.0/0', 'denied']]);
    assert.match(internet[0]!.reason, /^route default sends 0\.0\.0\.0\/0 to Internet: with userDefinedRouting AKS requires/);
    const bad = decided((await paths({ 'main.bicep': fixture('udr-next-hop-not-firewall', 'bad.bicep') }))!.egress[0]!);
    const appliance = bad.find((h) => h.hop.endsWith(': 0.0.0.0/0'));
    assert.equal(appliance?.decision, 'denied');
    assert.match(appliance!.reason, /which is not the private IP of any firewall in the workspace$/);
    // A next hop that is not known is not judged.
    const unknownHop = NETWORK('  routeTable: { reference: { name: egress } }').replace('nextHopType: VirtualAppliance', 'nextHopType: ${HOP}');
    const open = decided((await paths({ 'aks.yaml': cluster(udr), 'net.yaml': unknownHop }))!.egress[0]!);
    assert.deepEqual(open.map((h) => h.decision), ['unknown']);
  });
});
