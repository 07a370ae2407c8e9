// The network map's data on a workspace like examples/staging: subnets with usable and required
// addresses, the overlap, free gaps with their largest aligned block, reserved parts, findings on the
// items they are about, pod and service ranges, and sources as LSP ranges.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { layoutsRun } from '../../server/src/service/elkLayout.ts';
import { cidrMap, networkMap } from '../../server/src/service/networkMap.ts';
import type { MapAddresses, MapSubnet, MapVnet } from '../../server/src/service/networkMapData.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const EXAMPLES = path.join(import.meta.dirname, '..', '..', 'examples');
const NETWORK_URI = 'file:///w/staging/network.yaml';
const CLUSTER_URI = 'file:///w/staging/cluster.yaml';

const PROD = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: prod-vnet
spec:
  addressSpace:
    addressPrefixes: [10.224.0.0/12, "fd00:10::/48"]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: aks-nodes
spec:
  owner:
    name: prod-vnet
  addressPrefix: 10.224.0.0/16
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: tiny
spec:
  owner:
    name: prod-vnet
  addressPrefix: 10.225.0.0/29
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: v6
spec:
  owner:
    name: prod-vnet
  addressPrefix: "fd00:10::/64"
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: templated
spec:
  owner:
    name: prod-vnet
  addressPrefix: \${SUBNET_CIDR}
`;

/** examples/staging as it is (the network with its mistakes, the kubenet cluster), plus a prod VNet. */
function stagingWorkspace(): Workspace {
  const workspace = new Workspace();
  workspace.setFile(NETWORK_URI, readFileSync(path.join(EXAMPLES, 'staging', 'network.yaml'), 'utf8'));
  workspace.setFile(CLUSTER_URI, readFileSync(path.join(EXAMPLES, 'staging', 'cluster.yaml'), 'utf8'));
  workspace.setFile('file:///w/prod/network.yaml', PROD);
  return workspace;
}

function vnet(map: MapAddresses, name: string): MapVnet {
  const found = map.vnets.find((v) => v.name === name);
  assert.ok(found, `no VNet ${name} in ${map.vnets.map((v) => v.name).join(', ')}`);
  return found;
}

function subnet(v: MapVnet, name: string): MapSubnet {
  const found = [...v.spaces.flatMap((s) => s.subnets), ...v.outside].find((s) => s.name === name);
  assert.ok(found, `no subnet ${name} in ${v.name}`);
  return found;
}

describe('network map data', () => {
  const map = cidrMap(stagingWorkspace(), NETWORK_URI);
  const staging = vnet(map, 'staging-vnet');

  it('lists each VNet range with its subnets in address order, and the subnets outside it apart', () => {
    assert.deepEqual(
      staging.spaces.map((s) => [s.cidr, s.sizeLabel]),
      [
        ['10.10.0.0/16', '65,536 addresses'],
        ['169.254.0.0/16', '65,536 addresses'],
      ],
    );
    assert.deepEqual(
      staging.spaces[0]!.subnets.map((s) => [s.name, s.cidr]),
      [
        ['staging-nodes', '10.10.0.0/20'],
        ['staging-ingress', '10.10.8.0/24'],
        ['staging-db', '10.10.32.0/24'],
      ],
    );
    assert.deepEqual(
      staging.outside.map((s) => [s.name, s.cidr]),
      [['staging-bastion', '10.11.0.0/26']],
    );
    assert.equal(subnet(staging, 'staging-db').written, '10.10.32.5/24', 'the CIDR as written when host bits are set');
    assert.equal(subnet(staging, 'staging-nodes').written, undefined);
  });

  it('gives usable addresses per prefix and the required addresses from the capacity formulas', () => {
    const nodes = subnet(staging, 'staging-nodes');
    assert.equal(nodes.size, '4096');
    assert.equal(nodes.usable, '4091');
    // kubenet: one address per node; 2 nodes and 1 surge node.
    assert.equal(nodes.demand?.required, 3);
    assert.equal(nodes.demand?.complete, true);
    assert.match(nodes.demand!.consumers[0]!, /aks-staging nodes/);
    assert.equal(subnet(staging, 'staging-ingress').demand, undefined, 'no cluster uses it');
  });

  it('draws the staging-ingress/staging-nodes overlap as the shared block, linked both ways', () => {
    const [overlap, ...more] = staging.spaces[0]!.overlaps;
    assert.equal(more.length, 0);
    assert.deepEqual([overlap!.aName, overlap!.bName, overlap!.cidr], ['staging-nodes', 'staging-ingress', '10.10.8.0/24']);
    const nodes = subnet(staging, 'staging-nodes');
    const ingress = subnet(staging, 'staging-ingress');
    assert.deepEqual(nodes.overlapsWith, [ingress.id]);
    assert.deepEqual(ingress.overlapsWith, [nodes.id]);
  });

  it('labels free gaps with the largest aligned block they hold', () => {
    assert.deepEqual(
      staging.spaces[0]!.gaps.map((g) => [g.largest, g.size, g.blocks.length]),
      [
        ['10.10.16.0/20', '4096', 1],
        ['10.10.128.0/17', '57088', 7],
      ],
    );
    assert.equal(staging.spaces[0]!.gaps[1]!.blocks[0], '10.10.33.0/24');
  });

  it('marks reserved parts: link-local in the VNet, the AKS-reserved /16s in the pod CIDR', () => {
    assert.deepEqual(staging.spaces[1]!.reserved.map((r) => [r.cidr, r.why]), [['169.254.0.0/16', 'link-local']]);
    const cluster = map.clusters.find((c) => c.name === 'aks-staging')!;
    const pods = cluster.ranges.find((r) => r.kind === 'pods')!;
    assert.deepEqual(pods.reserved.map((r) => r.cidr), ['172.30.0.0/16', '172.31.0.0/16']);
  });

  it('puts each finding on the item it is about, with rule, severity and message', () => {
    const rules = (findings: readonly { rule: string }[]) => findings.map((f) => f.rule);
    assert.deepEqual(rules(subnet(staging, 'staging-ingress').findings), ['subnet-overlap']);
    assert.deepEqual(rules(subnet(staging, 'staging-nodes').findings), []);
    assert.deepEqual(rules(subnet(staging, 'staging-bastion').findings), ['subnet-outside-vnet']);
    assert.deepEqual(rules(subnet(staging, 'staging-db').findings), ['cidr-host-bits']);
    assert.deepEqual(rules(staging.spaces[1]!.findings), ['reserved-range']);
    const overlap = subnet(staging, 'staging-ingress').findings[0]!;
    assert.equal(overlap.severity, 'error');
    assert.match(overlap.message, /overlaps subnet staging-nodes/);
  });

  it("gives each cluster's pod and service ranges, with what they overlap and the DNS IP", () => {
    const cluster = map.clusters.find((c) => c.name === 'aks-staging')!;
    assert.deepEqual(cluster.vnets, ['staging-vnet']);
    assert.deepEqual(
      cluster.ranges.map((r) => [r.kind, r.cidr, r.sizeLabel]),
      [
        ['pods', '172.16.0.0/12', '1,048,576 addresses'],
        ['services', '10.10.64.0/18', '16,384 addresses'],
      ],
    );
    const services = cluster.ranges[1]!;
    assert.deepEqual(services.overlapsWith, ['virtual network staging-vnet 10.10.0.0/16']);
    assert.equal(services.dnsServiceIp, '10.10.64.1');
    assert.deepEqual(services.findings.map((f) => f.rule).sort(), ['address-range-overlap', 'dns-service-ip-first-address']);
    assert.deepEqual(cluster.findings.map((f) => f.rule), ['deprecated-network-setting']);
  });

  it('gives every item its source as an LSP range: the prefix literal of a subnet', () => {
    const ingress = subnet(staging, 'staging-ingress');
    const text = readFileSync(path.join(EXAMPLES, 'staging', 'network.yaml'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('10.10.8.0/24'));
    assert.deepEqual(ingress.source, {
      uri: NETWORK_URI,
      range: { start: { line, character: text[line]!.indexOf('10.10.8.0/24') }, end: { line, character: text[line]!.indexOf('10.10.8.0/24') + 12 } },
    });
    assert.equal(staging.source?.uri, NETWORK_URI);
    assert.equal(map.clusters[0]!.source?.uri, CLUSTER_URI);
  });

  it("puts the active file's VNets and their clusters first", () => {
    assert.equal(map.vnets[0]!.name, 'staging-vnet');
    assert.equal(map.vnets[0]!.active, true);
    assert.equal(map.clusters[0]!.name, 'aks-staging');
    assert.equal(map.clusters[0]!.active, true, 'its node subnet is in the active file');
    const other = cidrMap(stagingWorkspace(), 'file:///w/prod/network.yaml');
    assert.equal(other.vnets[0]!.name, 'prod-vnet');
    assert.equal(other.vnets.find((v) => v.name === 'staging-vnet')!.active, false);
  });

  it('keeps a /29 next to a /12, IPv6 ranges, and subnets whose prefix is a placeholder', () => {
    const prod = vnet(map, 'prod-vnet');
    assert.deepEqual(
      prod.spaces.map((s) => [s.cidr, s.family, s.sizeLabel]),
      [
        ['10.224.0.0/12', 4, '1,048,576 addresses'],
        ['fd00:10::/48', 6, '2^80 addresses'],
      ],
    );
    assert.deepEqual(subnet(prod, 'tiny').size, '8');
    assert.deepEqual(prod.spaces[1]!.subnets.map((s) => s.cidr), ['fd00:10::/64']);
    assert.deepEqual(prod.spaces[1]!.gaps.map((g) => g.largest), ['fd00:10:0:8000::/49']);
    assert.deepEqual(prod.unplaced.map((u) => [u.name, u.reason]), [['templated', 'template placeholder ${SUBNET_CIDR}']]);
  });

  it('passes names through as data: escaping is the renderer’s job', () => {
    // YAML reads `<...>` as a template placeholder; Bicep keeps such a name, and YAML one without `<...>`.
    const workspace = new Workspace();
    workspace.setFile(
      'file:///w/x.bicep',
      `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: '<img src=x onerror=alert(1)>'
  properties: {
    addressSpace: { addressPrefixes: [ '10.1.0.0/16' ] }
    subnets: [
      { name: '"><svg onload=alert(2)>', properties: { addressPrefix: '10.1.0.0/24' } }
    ]
  }
}
`,
    );
    const [only] = cidrMap(workspace).vnets;
    assert.equal(only!.name, '<img src=x onerror=alert(1)>');
    assert.equal(only!.spaces[0]!.subnets[0]!.name, '"><svg onload=alert(2)>');
    assert.deepEqual(only!.spaces[0]!.gaps.map((g) => g.largest), ['10.1.128.0/17']);
  });

  it('is plain JSON: no bigint, no undefined', () => {
    const json = JSON.stringify(map);
    assert.deepEqual(JSON.parse(json), map);
  });
});

describe('network map policy graph', () => {
  const shop = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');

  it('draws the allowed flows between workloads grouped by namespace, the outside on either side, laid out by ELK', async () => {
    const workspace = new Workspace();
    workspace.setFile('file:///w/shop.yaml', shop);
    const map = await networkMap(workspace);
    const graph = map.policyGraph!;
    assert.ok(graph, 'a graph for a workspace with workloads');
    assert.deepEqual(graph.warnings, []);
    assert.equal(graph.policies, 4);
    assert.deepEqual(graph.groups.map((g) => g.namespace), ['shop']);
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const edges = graph.edges.map((e) => `${byId.get(e.from)!.label} -> ${byId.get(e.to)!.label} : ${e.ports}`).sort();
    assert.deepEqual(edges, [
      'api [Deployment] -> db [StatefulSet] : TCP 5432',
      'api [Deployment] -> outside: 0.0.0.0-255.255.255.255 : All Connections',
      'db [StatefulSet] -> outside: 0.0.0.0-255.255.255.255 : All Connections',
      'outside: 0.0.0.0-255.255.255.255 -> web [Deployment] : TCP 8080',
      'web [Deployment] -> api [Deployment] : TCP 9090',
      'web [Deployment] -> outside: 0.0.0.0-255.255.255.255 : All Connections',
    ]);
    // Default deny: every shop workload is isolated for ingress, none for egress.
    for (const node of graph.nodes.filter((n) => n.kind === 'workload')) {
      assert.equal(node.ingressIsolated, true, node.label);
      assert.equal(node.egressIsolated, false, node.label);
      assert.ok(node.policies.includes('shop/default-deny-ingress'));
      assert.equal(node.namespace, 'shop');
      assert.equal(node.source?.uri, 'file:///w/shop.yaml');
    }
    // Laid out: inside the group, left to right along the flows, every edge with a route and a label box.
    const group = graph.groups[0]!;
    const at = (label: string) => graph.nodes.find((n) => n.label === label)!;
    for (const name of ['web [Deployment]', 'api [Deployment]', 'db [StatefulSet]']) {
      const node = at(name);
      assert.ok(node.x >= group.x && node.x + node.width <= group.x + group.width && node.y >= group.y && node.y + node.height <= group.y + group.height, name);
    }
    assert.ok(at('web [Deployment]').x < at('api [Deployment]').x && at('api [Deployment]').x < at('db [StatefulSet]').x);
    const outside = graph.nodes.filter((n) => n.kind === 'external');
    assert.equal(outside.length, 2, 'the outside as a source and as a destination');
    for (const edge of graph.edges) {
      assert.ok(edge.points.length >= 2, edge.id);
      assert.ok(edge.label, edge.id);
    }
    // An edge reveals the policy that lets it in, not the default deny.
    const webToApi = graph.edges.find((e) => e.ports === 'TCP 9090')!;
    const line = shop.split('\n').findIndex((l) => l === '  name: api-from-web') - 3;
    assert.equal(webToApi.source?.range.start.line, line);
  });

  it('has no graph without workloads, and keeps the CIDR layout when it has one', async () => {
    assert.equal((await networkMap(stagingWorkspace())).policyGraph, undefined);
    const workspace = stagingWorkspace();
    workspace.setFile('file:///w/shop.yaml', shop);
    const map = await networkMap(workspace, NETWORK_URI);
    assert.equal(map.addresses!.vnets[0]!.name, 'staging-vnet');
    assert.ok(map.policyGraph);
  });
});

describe('network map views', () => {
  const shop = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
  const workspace = () => {
    const w = stagingWorkspace();
    w.setFile('file:///w/shop.yaml', shop);
    return w;
  };

  it("computes only the view asked for: the address space lays out no diagram, each diagram view only its own", async () => {
    const before = layoutsRun();
    const addresses = await networkMap(workspace(), NETWORK_URI, undefined, undefined, undefined, 'addresses');
    assert.equal(layoutsRun(), before, 'no ELK layout for the address space');
    assert.equal(addresses.view, 'addresses');
    assert.equal(addresses.addresses!.vnets[0]!.name, 'staging-vnet');
    assert.equal(addresses.policyGraph, undefined);
    assert.equal(addresses.trafficPaths, undefined);

    const policies = await networkMap(workspace(), NETWORK_URI, 'web', undefined, undefined, 'policies');
    const afterPolicies = layoutsRun();
    assert.equal(afterPolicies - before, 1, 'one layout: the policy graph');
    assert.ok(policies.policyGraph && policies.policyGraph.nodes.length > 0);
    assert.equal(policies.focus, 'web', 'the filter is said whatever the view');
    assert.equal(policies.addresses, undefined);
    assert.equal(policies.trafficPaths, undefined);

    const paths = await networkMap(workspace(), NETWORK_URI, undefined, undefined, undefined, 'paths');
    assert.ok(paths.trafficPaths && paths.trafficPaths.egress.length > 0);
    assert.equal(layoutsRun() - afterPolicies, (paths.trafficPaths.ingress ? 1 : 0) + paths.trafficPaths.egress.length, 'one layout per traffic diagram');
    assert.equal(paths.addresses, undefined);
    assert.equal(paths.policyGraph, undefined);
  });

  it('computes every view when none is asked for', async () => {
    const all = await networkMap(workspace(), NETWORK_URI);
    assert.equal(all.view, undefined);
    assert.ok(all.addresses && all.policyGraph && all.trafficPaths);
  });
});

describe('network map: large NetworkPolicy graphs', () => {
  /** n namespaces of m workloads each, all allowed to talk (no policies): n*m*(n*m-1) flows plus the outside. */
  function crowd(namespaces: number, workloads: number): string {
    const docs: string[] = [];
    for (let n = 0; n < namespaces; n++) {
      for (let w = 0; w < workloads; w++) {
        docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app${w}, namespace: team${n} }\nspec:\n  template:\n    metadata: { labels: { app: app${w} } }\n`);
      }
    }
    return docs.join('---\n');
  }

  it('collapses namespaces into one node each when there are too many flows to draw, and says so', async () => {
    const { policyGraph, MAX_DRAWN_EDGES } = await import('../../server/src/service/policyGraph.ts');
    const workspace = new Workspace();
    workspace.setFile('file:///w/crowd.yaml', crowd(3, 8));
    const graph = (await policyGraph(workspace.analyze().model, () => undefined))!;
    assert.ok(24 * 23 > MAX_DRAWN_EDGES, 'the uncollapsed graph would be too big');
    assert.equal(graph.omitted, undefined);
    assert.deepEqual(graph.nodes.filter((n) => n.kind === 'namespace').map((n) => n.label).sort(), ['namespace team0', 'namespace team1', 'namespace team2']);
    assert.equal(graph.nodes.filter((n) => n.kind === 'workload').length, 0);
    // Between namespaces: 8 x 8 flows each, all "All Connections", merged into one edge per ordered pair.
    const between = graph.edges.filter((e) => graph.nodes.find((n) => n.id === e.from)?.kind === 'namespace' && graph.nodes.find((n) => n.id === e.to)?.kind === 'namespace');
    assert.equal(between.length, 6);
    assert.ok(between.every((e) => e.ports === 'All Connections'));
    assert.match(graph.note!, /allowed flows between 24 workloads: namespaces collapsed/);
  });

  it('filters to the workloads whose name contains the text, with their flows', async () => {
    const { policyGraph } = await import('../../server/src/service/policyGraph.ts');
    const workspace = new Workspace();
    workspace.setFile('file:///w/crowd.yaml', crowd(3, 8));
    const graph = (await policyGraph(workspace.analyze().model, () => undefined, 'team1/app3'))!;
    assert.equal(graph.focus, 'team1/app3');
    const workloads = graph.nodes.filter((n) => n.kind === 'workload').map((n) => n.peer);
    assert.equal(workloads.length, 24, 'app3 of team1 and every workload it talks to');
    assert.ok(graph.edges.every((e) => [e.from, e.to].some((id) => graph.nodes.find((n) => n.id === id)?.peer === 'team1/app3[Deployment]')));
    assert.match(graph.note!, /Filtered to 1 workload\(s\) matching "team1\/app3": 48 of \d+ allowed flows/);
  });
});

describe('network map: large workspaces and the name filter', () => {
  const vnetFile = (i: number) =>
    `apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetwork\nmetadata: { name: vnet-${String(i).padStart(3, '0')} }\nspec:\n  addressSpace: { addressPrefixes: [10.${i}.0.0/16] }\n`;

  it('draws at most MAX_DRAWN_VNETS VNets, the active file\'s first, and counts the rest', async () => {
    const { MAX_DRAWN_VNETS } = await import('../../server/src/service/networkMap.ts');
    const workspace = new Workspace();
    for (let i = 0; i < MAX_DRAWN_VNETS + 10; i++) workspace.setFile(`file:///w/v${i}.yaml`, vnetFile(i));
    const active = `file:///w/v${MAX_DRAWN_VNETS + 5}.yaml`;
    const data = cidrMap(workspace, active);
    assert.equal(data.vnets.length, MAX_DRAWN_VNETS);
    assert.deepEqual(data.omitted, { vnets: 10, clusters: 0 });
    assert.equal(data.vnets[0]!.name, `vnet-0${MAX_DRAWN_VNETS + 5}`);
    assert.equal(data.vnets[0]!.active, true);
  });

  it('filters VNets and clusters by name, and says so', () => {
    const workspace = new Workspace();
    for (let i = 0; i < 5; i++) workspace.setFile(`file:///w/v${i}.yaml`, vnetFile(i));
    const data = cidrMap(workspace, undefined, 'vnet-003');
    assert.deepEqual(data.vnets.map((v) => v.name), ['vnet-003']);
    assert.equal(data.omitted, undefined);
  });
});

describe('network map overlaps and the subnet-overlap rule: one answer', () => {
  const subnetYaml = (name: string, prefix: string, apiVersion = 'v1api20240301') => `apiVersion: network.azure.com/${apiVersion}
kind: VirtualNetworksSubnet
metadata:
  name: ${name}
spec:
  owner:
    name: shared-vnet
  addressPrefix: ${prefix}
`;
  const vnetYaml = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: shared-vnet
spec:
  addressSpace:
    addressPrefixes: [10.70.0.0/16]
`;
  const layout = (files: Record<string, string>) => {
    const workspace = new Workspace();
    workspace.setFile('file:///w/vnet.yaml', vnetYaml);
    for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
    const overlapFindings = workspace.analyze().findings.filter((f) => f.rule === 'subnet-overlap');
    const drawn = vnet(cidrMap(workspace, 'file:///w/vnet.yaml'), 'shared-vnet').spaces.flatMap((space) => space.overlaps);
    return { overlapFindings, drawn };
  };

  it('draws no overlap for one subnet declared in two files (two API versions), as the rule reports none', () => {
    const { overlapFindings, drawn } = layout({
      'a.yaml': subnetYaml('aks-nodes', '10.70.0.0/22'),
      'b.yaml': subnetYaml('aks-nodes', '10.70.0.0/22', 'v1api20201101'),
    });
    assert.deepEqual(overlapFindings, []);
    assert.deepEqual(drawn, []);
  });

  it('draws exactly the overlaps the rule reports', () => {
    const { overlapFindings, drawn } = layout({
      'a.yaml': subnetYaml('aks-nodes', '10.70.0.0/22'),
      'b.yaml': subnetYaml('aks-nodes', '10.70.0.0/22'),
      'c.yaml': subnetYaml('ingress', '10.70.2.0/24'),
    });
    // ingress overlaps aks-nodes; the map draws it once per declaration of aks-nodes it overlaps, all of one answer.
    assert.equal(overlapFindings.length > 0, true);
    assert.ok(drawn.length > 0);
    for (const overlap of drawn) assert.deepEqual([overlap.aName, overlap.bName, overlap.cidr], ['aks-nodes', 'ingress', '10.70.2.0/24']);
    assert.deepEqual(
      [...new Set(overlapFindings.map((f) => f.message))],
      ['Subnet ingress (10.70.2.0/24) overlaps subnet aks-nodes (10.70.0.0/22) in the same virtual network.'],
    );
  });
});
