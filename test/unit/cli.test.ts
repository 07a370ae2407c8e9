// The `netlens` CLI as a CI pipeline runs it: the built bundle, real files, exit codes and output formats.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function netlens(args: string[], cwd = ROOT) {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface JsonFinding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

describe('netlens check', () => {
  it('reports the mistakes planted in the examples, and nothing on the correct files', () => {
    const run = netlens(['check', '--format', 'json', 'examples/']);
    assert.equal(run.code, 1, run.stderr);
    const output = JSON.parse(run.stdout) as { files: number; findings: JsonFinding[] };
    // 13 configuration files (a template and its two .bicepparam environments among them, a Terraform
    // configuration), and the 3 CI examples of examples/ci (YAML too: read, nothing to report).
    assert.equal(output.files, 16);
    // Each finding as file:line, rule, severity and the exact text its range covers.
    const seen = output.findings.map((f) => {
      const line = readFileSync(path.join(ROOT, f.file), 'utf8').split('\n')[f.range.start.line]!;
      assert.equal(f.range.end.line, f.range.start.line);
      return `${f.file}:${f.range.start.line + 1} ${f.rule} ${f.severity} ${line.slice(f.range.start.character, f.range.end.character)}`;
    });
    assert.deepEqual(seen, [
      'examples/bicep/main.bicep:43 address-range-overlap warning cidrSubnet(spokeAddressSpace, 20, 15)',
      'examples/bicep/network.bicep:24 subnet-overlap error cidrSubnet(addressSpace, 24, 3)',
      'examples/capz/cluster.yaml:11 address-range-overlap error 10.30.0.0/16',
      'examples/capz/cluster.yaml:14 service-cidr-too-large error 10.128.0.0/11',
      'examples/capz/cluster.yaml:35 dns-service-ip-outside-service-cidr error 10.96.0.10',
      'examples/capz/cluster.yaml:66 invalid-cidr error 10.40.0.0/33',
      "examples/environments/dev.bicepparam:3 subnet-capacity error '10.70.0.0/26'",
      'examples/staging/cluster.yaml:13 deprecated-network-setting info kubenet',
      'examples/staging/cluster.yaml:14 reserved-range error 172.16.0.0/12',
      'examples/staging/cluster.yaml:15 address-range-overlap warning 10.10.64.0/18',
      'examples/staging/cluster.yaml:16 dns-service-ip-first-address error 10.10.64.1',
      'examples/staging/network.yaml:14 reserved-range error 169.254.0.0/16',
      'examples/staging/network.yaml:34 subnet-overlap error 10.10.8.0/24',
      'examples/staging/network.yaml:44 subnet-outside-vnet error 10.11.0.0/26',
      'examples/staging/network.yaml:54 cidr-host-bits warning 10.10.32.5/24',
      'examples/terraform/main.tf:16 subnet-capacity error cidrsubnet(var.vnet_cidr, 12, 1)',
    ]);
    // Every planted mistake is marked "mistake" on its line in the example files; info findings are advice.
    for (const finding of output.findings.filter((f) => f.severity !== 'info')) {
      const line = readFileSync(path.join(ROOT, finding.file), 'utf8').split('\n')[finding.range.start.line]!;
      assert.match(line, /mistake/, `${finding.file}:${finding.range.start.line + 1} is a planted mistake`);
    }
  });

  it('exits 0 on correct files and prints a summary', () => {
    const run = netlens(['check', 'examples/platform', 'examples/templates']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /4 file\(s\) checked: 0 error\(s\), 0 warning\(s\), 0 info\./);
  });

  it('writes SARIF 2.1.0 with rules and 1-based regions', () => {
    const run = netlens(['check', '--format', 'sarif', 'examples/staging']);
    assert.equal(run.code, 1);
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    const [sarifRun] = sarif.runs;
    assert.ok(sarifRun.tool.driver.rules.some((r: { id: string }) => r.id === 'subnet-overlap'));
    const overlap = sarifRun.results.find((r: { ruleId: string }) => r.ruleId === 'subnet-overlap');
    assert.equal(overlap.level, 'error');
    assert.deepEqual(overlap.locations[0].physicalLocation.region, { startLine: 34, startColumn: 18, endLine: 34, endColumn: 30 });
    assert.equal(overlap.locations[0].physicalLocation.artifactLocation.uri, 'examples/staging/network.yaml');
    const hostBits = sarifRun.results.find((r: { ruleId: string }) => r.ruleId === 'cidr-host-bits');
    assert.equal(hostBits.level, 'warning');
  });

  it('exits 2 on usage errors and unreadable paths, with a clear message', () => {
    assert.equal(netlens([]).code, 2);
    const badFormat = netlens(['check', '--format', 'xml', 'examples']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /unknown format 'xml'/);
    const missing = netlens(['check', 'no/such/folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no\/such\/folder: no such file or folder/);
    assert.match(netlens(['frobnicate']).stderr, /unknown command 'frobnicate'/);
  });

  it('reads a file that is not UTF-8 as the editor and the server do (replacement characters), and says so', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'netlens-cli-'));
    writeFileSync(
      path.join(folder, 'latin1.yaml'),
      Buffer.concat([
        Buffer.from('# r'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from('seau\napiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: l\nspec:\n  addressPrefix: 10.0.0.0/33\n'),
      ]),
    );
    writeFileSync(path.join(folder, 'huge.yaml'), `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    const run = netlens(['check', '--format', 'json', folder]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /latin1\.yaml: not UTF-8 text; read with replacement characters/);
    const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${path.basename(f.file)}:${f.range.start.line} ${f.rule}`);
    assert.deepEqual(findings, ['huge.yaml:0 file-not-read', 'latin1.yaml:6 invalid-cidr']);
  });
});

describe('netlens explain', () => {
  it('says per cluster whether subnet capacity was checked, and why not, with 0-based lines', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netlens-explain-'));
    writeFileSync(
      path.join(dir, 'main.bicep'),
      [
        'param maxPods int',
        "resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {",
        "  name: 'vnet'",
        "  properties: { addressSpace: { addressPrefixes: [ '10.1.0.0/16' ] }, subnets: [ { name: 'nodes', properties: { addressPrefix: '10.1.0.0/24' } } ] }",
        '}',
        "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {",
        "  name: 'aks-a'",
        "  properties: { networkProfile: { networkPlugin: 'azure' }, agentPoolProfiles: [ { name: 'sys', count: 3, maxPods: maxPods, vnetSubnetID: vnet.properties.subnets[0].id } ] }",
        '}',
        "resource managed 'Microsoft.ContainerService/managedClusters@2024-05-01' = {",
        "  name: 'aks-b'",
        "  properties: { networkProfile: { networkPlugin: 'azure' }, agentPoolProfiles: [ { name: 'sys', count: 3, maxPods: 30 } ] }",
        '}',
      ].join('\n'),
    );
    const run = netlens(['explain', '--format', 'json', '.'], dir);
    assert.equal(run.code, 0, run.stderr);
    const { clusters } = JSON.parse(run.stdout) as { clusters: { name: string; line: number; networkMode: string; nodeSubnets: unknown[]; capacityChecked: boolean; unknowns: { field: string; reason: string; file: string; line: number }[] }[] };
    assert.deepEqual(
      clusters.map((c) => [c.name, c.line, c.networkMode, c.nodeSubnets, c.capacityChecked, c.unknowns.map((u) => [u.field, u.file, u.line])]),
      [
        ['aks-a', 5, 'Azure CNI', [{ name: 'nodes', cidr: '10.1.0.0/24' }], false, [['maxPods', 'main.bicep', 0]]],
        ['aks-b', 9, 'Azure CNI', [], false, [['vnetSubnetID', 'main.bicep', 9]]],
      ],
    );
    assert.match(clusters[0]!.unknowns[0]!.reason, /parameter 'maxPods' has no default value: give it a value/);
    assert.match(clusters[1]!.unknowns[0]!.reason, /AKS-managed virtual network/);
    const text = netlens(['explain', '.'], dir);
    assert.match(text.stdout, /main\.bicep:6: cluster aks-a \(Azure CNI\)\n  node subnet nodes: 10\.1\.0\.0\/24\n  subnet capacity: not checked\n  - pool sys: maxPods parameter 'maxPods' has no default value/);
    assert.match(text.stdout, /2 cluster\(s\), subnet capacity checked for 0\. 1 virtual network\(s\), 1 with nothing unknown\.\n$/);
  });

  it('explain lists each virtual network: subnets, route tables, NSGs, peerings, firewalls, and what the network rules lack', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netlens-explain-net-'));
    writeFileSync(
      path.join(dir, 'hub.bicep'),
      [
        'param firewallIp string',
        "resource hub 'Microsoft.Network/virtualNetworks@2023-11-01' = {",
        "  name: 'hub'",
        "  properties: { addressSpace: { addressPrefixes: [ '10.0.0.0/24' ] }, subnets: [ { name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.0.0.0/26' } } ] }",
        '}',
        "resource fw 'Microsoft.Network/azureFirewalls@2023-11-01' = {",
        "  name: 'fw'",
        "  properties: { ipConfigurations: [ { name: 'c', properties: { subnet: { id: hub.properties.subnets[0].id } } } ], firewallPolicy: { id: resourceId('Microsoft.Network/firewallPolicies', 'fwp') } }",
        '}',
        "resource rt 'Microsoft.Network/routeTables@2023-11-01' = {",
        "  name: 'to-fw'",
        "  properties: { routes: [ { name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: firewallIp } } ] }",
        '}',
        "resource spoke 'Microsoft.Network/virtualNetworks@2023-11-01' = {",
        "  name: 'spoke'",
        '  properties: {',
        "    addressSpace: { addressPrefixes: [ '10.1.0.0/16' ] }",
        "    subnets: [ { name: 'nodes', properties: { addressPrefix: '10.1.0.0/22', routeTable: { id: rt.id }, networkSecurityGroup: { id: resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-nodes') } } } ]",
        "    virtualNetworkPeerings: [ { name: 'to-hub', properties: { remoteVirtualNetwork: { id: hub.id } } } ]",
        '  }',
        '}',
      ].join('\n'),
    );
    const run = netlens(['explain', '--format', 'json', '.'], dir);
    assert.equal(run.code, 0, run.stderr);
    const { networks } = JSON.parse(run.stdout) as { networks: { name: string; addressSpace: string; subnets: unknown[]; peerings: unknown[]; firewalls: unknown[]; unknowns: { field: string; reason: string; line: number }[] }[] };
    assert.deepEqual(
      networks.map((n) => [n.name, n.addressSpace, n.subnets, n.peerings, n.firewalls, n.unknowns.map((u) => [u.field, u.line])]),
      [
        ['hub', '10.0.0.0/24', [{ name: 'AzureFirewallSubnet', cidr: '10.0.0.0/26', routeTable: 'none', networkSecurityGroup: 'none' }], [], [{ name: 'fw', privateIp: null, policy: 'fwp' }], [['privateIPAddress', 5], ['firewallPolicy', 7]]],
        [
          'spoke',
          '10.1.0.0/16',
          [{ name: 'nodes', cidr: '10.1.0.0/22', routeTable: 'to-fw', networkSecurityGroup: 'nsg-nodes' }],
          [{ name: 'to-hub', remote: 'hub', remoteAddressSpace: '10.0.0.0/24' }],
          [],
          [['nextHopIpAddress', 0], ['networkSecurityGroup', 17]],
        ],
      ],
    );
    const reasons = networks.flatMap((n) => n.unknowns.map((u) => u.reason)).join('\n');
    assert.match(reasons, /firewall fw: private IP Azure assigns it when the firewall is deployed/);
    assert.match(reasons, /firewall fw: policy fwp is not declared in the files read/);
    assert.match(reasons, /route default of to-fw: next hop parameter 'firewallIp' has no default value/);
    assert.match(reasons, /network security group nsg-nodes is not declared in the files read/);
    const text = netlens(['explain', '.'], dir);
    assert.match(text.stdout, /hub\.bicep:14: virtual network spoke \(10\.1\.0\.0\/16\)\n  subnet nodes: 10\.1\.0\.0\/22, route table to-fw, NSG nsg-nodes\n  peering to-hub to hub: 10\.0\.0\.0\/24\n/);
    assert.match(text.stdout, /2 virtual network\(s\), 0 with nothing unknown\.\n$/);
  });
});

describe('netlens paths', () => {
  const fixture = (name: string) => path.join('test', 'fixtures', 'rules', 'firewall-missing-aks-egress', name);

  it('prints each hop, the egress firewall hop denied with where its policy is, and exits 1', () => {
    const run = netlens(['paths', fixture('bad.bicep')]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /Egress of cluster aks\n  nodes of aks -> route table rt-spoke: nodes\n  route table rt-spoke -> firewall fw-hub: 0\.0\.0\.0\/0\n      allowed: route to-firewall takes 0\.0\.0\.0\/0 to VirtualAppliance 10\.0\.1\.4: firewall fw-hub \(test\/fixtures\/rules\/firewall-missing-aks-egress\/bad\.bicep:\d+\)\n  firewall fw-hub -> Internet: AKS egress denied\n      denied: firewall policy fw-policy allows neither the AzureKubernetesService FQDN tag nor HTTPS to .*\(test\/fixtures\/rules\/firewall-missing-aks-egress\/bad\.bicep:59\)\n/);
    assert.match(run.stdout, /1 diagram\(s\), 1 hop\(s\) denied\.\n$/);
  });

  it('exits 0 when no hop is denied, and writes JSON with 0-based lines', () => {
    const run = netlens(['paths', '--format', 'json', fixture('good.bicep')]);
    assert.equal(run.code, 0, run.stderr);
    const { diagrams } = JSON.parse(run.stdout) as { diagrams: { title: string; hops: { from: string; to: string; verdict: { decision: string; file: string; line: number } | null }[] }[] };
    const decided = diagrams.flatMap((d) => d.hops).filter((hop) => hop.verdict);
    assert.deepEqual(decided.map((hop) => [hop.from, hop.to, hop.verdict!.decision, hop.verdict!.file]), [
      ['route table rt-spoke', 'firewall fw-hub', 'allowed', fixture('good.bicep')],
      ['firewall fw-hub', 'Internet', 'allowed', fixture('good.bicep')],
    ]);
    assert.equal(typeof decided[0]!.verdict!.line, 'number');
    assert.equal(netlens(['paths', '--format', 'xml', '.']).code, 2);
  });
});
