// "Plan IPs" on a workspace: inputs prefilled from the cluster, edits applied where the values are written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { planDefaults, planIps, planPrefill } from '../../server/src/service/planIps.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const NETWORK = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: plan-vnet
spec:
  addressSpace:
    addressPrefixes: [10.20.0.0/16]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: plan-vnet
  addressPrefix: 10.20.0.0/24
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: other-team
spec:
  owner:
    name: plan-vnet
  addressPrefix: 10.20.8.0/24
`;

const CLUSTER = `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: plan-aks
spec:
  networkProfile:
    networkPlugin: azure
    serviceCidr: 10.20.128.0/16
    dnsServiceIP: 10.20.128.10
  agentPoolProfiles:
    - name: sys
      count: 20
      maxPods: 30
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/plan-vnet/subnets/nodes
`;

function workspaceOf(files: Record<string, string>) {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  return workspace;
}

describe('Plan IPs', () => {
  it('prefills from the cluster, plans around the rest of the VNet, and its edits clear the findings', () => {
    const files: Record<string, string> = { 'network.yaml': NETWORK, 'cluster.yaml': CLUSTER };
    const workspace = workspaceOf(files);
    const before = workspace.analyze().findings.map((f) => f.rule).sort();
    assert.deepEqual(before, ['address-range-overlap', 'address-range-overlap', 'cidr-host-bits', 'subnet-capacity']);
    const prefill = planPrefill(workspace, 'file:///w/cluster.yaml');
    assert.deepEqual(prefill, { defaults: planDefaults(), clusterName: 'plan-aks', mode: 'azure-cni', nodes: 20, surge: 1, maxPods: 30, within: '10.20.0.0/16' });
    const response = planIps(workspace, { uri: 'file:///w/cluster.yaml', mode: 'azure-cni', nodes: 20, maxPods: 30, surge: 1, within: '10.20.0.0/16' });
    assert.ok(response.ok, response.error);
    // The prefill's 20 nodes (the pool's autoscaler maximum) with the default headroom: (30 + 1 surge) x 31 = 961.
    assert.match(
      response.markdown!,
      /\| subnet aks-nodes \| `10\.20\.12\.0\/22` \| 961 needed of 1,019 usable \| Azure CNI: \(30 nodes \+ 1 surge\) x 31 addresses \(maxPods 30 \+ 1\); sized for 30 nodes: 20 now \+ 10 headroom \(growth 1\.5\) \|/,
    );
    const noHeadroom = planIps(workspace, { uri: 'file:///w/cluster.yaml', mode: 'azure-cni', nodes: 20, maxPods: 30, surge: 1, growth: 1, within: '10.20.0.0/16' });
    assert.match(noHeadroom.markdown!, /\| 651 needed of 1,019 usable \| .*sized for 20 nodes: 20 now, no headroom \(growth 1\) \|/, 'the request\'s growth factor is used');
    // Node subnet, service CIDR and DNS IP change; the VNet stays as it is.
    assert.equal(response.changes, 3);
    for (const [uri, edits] of Object.entries(response.edit!.changes!)) {
      const name = uri.replace('file:///w/', '');
      files[name] = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, files[name]!), edits);
      workspace.setFile(uri, files[name]!);
    }
    assert.match(files['network.yaml']!, /addressPrefix: 10\.20\.12\.0\/22/);
    assert.match(files['network.yaml']!, /addressPrefix: 10\.20\.8\.0\/24/, "another team's subnet is left alone");
    assert.deepEqual(workspace.analyze().findings, []);
  });

  it('explains when nothing fits', () => {
    const workspace = workspaceOf({ 'network.yaml': NETWORK, 'cluster.yaml': CLUSTER });
    const response = planIps(workspace, { uri: 'file:///w/cluster.yaml', mode: 'azure-cni', nodes: 3000, maxPods: 250, within: '10.20.0.0/16' });
    assert.equal(response.ok, false);
    assert.match(response.error!, /has no free/);
  });
});

describe('Plan IPs on the staging example', () => {
  it('plans inside the VNet prefix that holds the node subnet and never rewrites the VNet address space', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(import.meta.dirname, '..', '..', 'examples', 'staging');
    const files: Record<string, string> = {
      'network.yaml': readFileSync(path.join(dir, 'network.yaml'), 'utf8'),
      'cluster.yaml': readFileSync(path.join(dir, 'cluster.yaml'), 'utf8'),
    };
    const workspace = workspaceOf(files);
    const before = workspace.analyze().findings.filter((f) => f.rule === 'subnet-outside-vnet').length;
    const prefill = planPrefill(workspace, 'file:///w/cluster.yaml');
    assert.equal(prefill.within, '10.10.0.0/16', 'the prefix with the node subnet, not 169.254.0.0/16');
    const response = planIps(workspace, { uri: 'file:///w/cluster.yaml', mode: prefill.mode!, nodes: prefill.nodes!, maxPods: prefill.maxPods ?? 110, within: prefill.within });
    assert.ok(response.ok, response.error);
    // The preview for the map: the plan's lines, and the planned VNet drawn with the subnets that stay in it.
    const preview = response.preview!;
    assert.match(preview.title, /^Proposed IP plan for aks-staging: VNet 10\.10\.0\.0\/16 \(not applied\)$/);
    assert.deepEqual(preview.rows.map((r) => r.what), ['VNet', 'subnet aks-nodes', 'pod CIDR', 'service CIDR', 'DNS service IP']);
    const drawn = preview.vnets.flatMap((v) => v.spaces.flatMap((space) => space.subnets.map((subnet) => subnet.name)));
    assert.deepEqual(drawn.sort(), ['aks-nodes', 'staging-db (existing)', 'staging-ingress (existing)']);
    const nodes = preview.vnets[0]!.spaces[0]!.subnets.find((subnet) => subnet.name === 'aks-nodes')!;
    assert.equal(nodes.cidr, preview.rows.find((r) => r.what === 'subnet aks-nodes')!.cidr);
    assert.ok(nodes.demand && nodes.demand.required > 0, 'the planned pool\'s demand is drawn on its subnet');
    assert.ok(preview.vnets.every((v) => !v.source), 'nothing in a proposal links to a file');
    for (const [uri, edits] of Object.entries(response.edit!.changes!)) {
      const name = uri.replace('file:///w/', '');
      files[name] = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, files[name]!), edits);
      workspace.setFile(uri, files[name]!);
    }
    assert.match(files['network.yaml']!, /- 10\.10\.0\.0\/16/, 'the address space is untouched');
    const after = workspace.analyze().findings.filter((f) => f.rule === 'subnet-outside-vnet').length;
    assert.ok(after <= before, `no subnet ends up outside the VNet (${before} -> ${after})`);
    assert.ok(!workspace.analyze().findings.some((f) => f.rule === 'dns-service-ip-first-address'));
  });
});

describe('Plan IPs with nothing to change: recorded in .aksnetlens.yaml', () => {
  const SETTINGS = 'file:///w/.aksnetlens.yaml';
  const request = { mode: 'overlay' as const, nodes: 50, maxPods: 110, settingsUri: SETTINGS };

  it('creates the file with the plan, and the plan reserves its ranges for the next plan', async () => {
    const { parse } = await import('yaml');
    const workspace = new Workspace();
    const response = planIps(workspace, request, '2026-11-25');
    assert.equal(response.changes, 0);
    assert.equal(response.settingsEdit?.create, true);
    const written = parse(response.settingsEdit!.text);
    assert.deepEqual(written.plans.map((p: { cluster: string; written: string; mode: string }) => [p.cluster, p.written, p.mode]), [['new cluster', '2026-11-25', 'overlay']]);
    assert.equal(written.plans[0].subnets[0].name, 'aks-nodes');
    // Read back as workspace settings: a second plan keeps clear of the first.
    workspace.setFile(SETTINGS, response.settingsEdit!.text);
    const second = planIps(workspace, request, '2026-11-25');
    const again = parse(second.settingsEdit!.text);
    assert.equal(second.settingsEdit?.create, false);
    assert.equal(again.plans.length, 1, 'a plan for the same cluster replaces the earlier one');
    assert.notEqual(again.plans[0].vnet, written.plans[0].vnet, 'the second VNet avoids the range the first plan reserved');
  });

  it('keeps what the file already says, comments included', () => {
    const workspace = new Workspace();
    const existing = '# our on-premises ranges\nexternalRanges:\n  - name: on-prem\n    cidr: 10.224.0.0/12 # datacenter\nrules:\n  reserved-range: warning\n';
    workspace.setFile(SETTINGS, existing);
    const response = planIps(workspace, { ...request, dualStack: true }, '2026-11-25');
    const text = response.settingsEdit!.text;
    assert.ok(text.startsWith('# our on-premises ranges\nexternalRanges:\n  - name: on-prem\n    cidr: 10.224.0.0/12 # datacenter\nrules:\n  reserved-range: warning\nplans:\n'), text);
    assert.match(text, /vnetIpv6: fd[0-9a-f:]+\/56/);
    assert.match(text, /podCidrIpv6: fd12:3456:789a::\/64/);
    assert.doesNotMatch(text, /vnet: 10\.22[4-9]\./, 'the plan avoids the external range');
  });

  it('writes nothing over a file that does not parse', () => {
    const workspace = new Workspace();
    workspace.setFile(SETTINGS, 'externalRanges: [\n');
    const response = planIps(workspace, request, '2026-11-25');
    assert.equal(response.settingsEdit, undefined);
    assert.match(response.settingsError!, /does not parse/);
  });
});

describe('Plan IPs defaults: one source', () => {
  it('come from facts.ts, with or without a cluster: overlay 250, kubenet 110, Azure CNI 30, none for a pod subnet', async () => {
    const { AKS_DUAL_STACK, KUBENET_ROUTE_LIMIT, MAX_PODS_DEFAULTS, MAX_PODS_RANGE, NETWORK_RETIREMENTS, POD_CIDR_PER_NODE_PREFIX } = await import('../../server/src/facts.ts');
    const defaults = planPrefill(new Workspace(), undefined).defaults;
    assert.deepEqual(defaults, {
      maxPods: MAX_PODS_DEFAULTS.value,
      maxPodsRange: { min: MAX_PODS_RANGE.value.min, max: MAX_PODS_RANGE.value.max },
      kubenet: { retires: NETWORK_RETIREMENTS.value.kubenet, routeLimit: KUBENET_ROUTE_LIMIT.value },
      podCidrPerNodePrefix: POD_CIDR_PER_NODE_PREFIX.value,
      ipv6SubnetPrefix: AKS_DUAL_STACK.value.subnetPrefix,
    });
    assert.equal(defaults.maxPods.overlay, 250);
    assert.equal(defaults.maxPods['azure-cni-pod-subnet'], undefined, 'the docs disagree (110 vs 250): no pre-fill');
  });

  it('are not written again in the client: the palette takes them from the server', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const client = readFileSync(path.join(import.meta.dirname, '..', '..', 'client', 'src', 'planIps.ts'), 'utf8').replace(/\/\/.*$/gm, '');
    const askMaxPods = client.slice(client.indexOf("askNumber('Plan IPs: maximum pods per node'"));
    assert.ok(askMaxPods.length > 0);
    const call = askMaxPods.slice(0, askMaxPods.indexOf(';'));
    assert.doesNotMatch(call, /\b\d+\b/, `the maxPods question writes no number: ${call}`);
    assert.match(call, /prefill\.defaults|defaultMaxPods|maxPodsRange/);
  });
});
