// Hover on an NSG security rule (issue 18, item 4): the flows of the workspace's traffic paths it decides, with the
// decision, in ASO YAML, Bicep and Terraform alike; a rule that decides none says so.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { hoverAt } from '../../server/src/service/hover.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'rules', 'nsg-denies-lb-service-port');

/** The hover's text on the first line matching `line` of `file`, at the column where `at` is written on it. */
function hoverOn(files: Record<string, string>, file: string, line: RegExp, at: string): string {
  const workspace = new Workspace();
  for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
  const lines = files[file]!.split('\n');
  const index = lines.findIndex((l) => line.test(l));
  assert.ok(index >= 0, String(line));
  const hover = hoverAt(workspace, `file:///w/${file}`, { line: index, character: lines[index]!.indexOf(at) + 1 });
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

const read = (...parts: string[]) => readFileSync(path.join(FIXTURES, ...parts), 'utf8');

describe('hover on an NSG security rule', () => {
  it('ASO: names the flows the rule denies, and the default-rule decisions stay off a rule of its own', () => {
    const files = { 'aks.yaml': read('bad.yaml') };
    const text = hoverOn(files, 'aks.yaml', /^ {2}access: Deny/, 'access');
    assert.equal(
      text,
      "**Security rule deny-internet-https** (100, Inbound, Deny) of NSG nsg-nodes\n\nDecides, on the workspace's traffic paths:\n- Internet → Service shop/web (TCP 443) on subnet nodes: denied",
    );
    // The partner rule allows 198.51.100.0/24 on 8443, which the admin Service's clients are not: it decides nothing drawn.
    const partner = hoverOn(files, 'aks.yaml', /sourceAddressPrefix: 198\.51\.100\.0\/24/, 'sourceAddressPrefix');
    assert.match(partner, /^\*\*Security rule allow-partner\*\* \(200, Inbound, Allow\) of NSG nsg-nodes\n\nDecides none of the flows/);
  });

  it('Bicep: a rule in the NSG resource, with a Service in another file', () => {
    const files = { 'main.bicep': read('bad.bicep', 'main.bicep'), 'service.yaml': read('bad.bicep', 'service.yaml') };
    const deny = hoverOn(files, 'main.bicep', /name: 'deny-internet-https'/, "access: 'Deny'");
    assert.match(deny, /^\*\*Security rule deny-internet-https\*\* \(100, Inbound, Deny\) of NSG nsg-nodes\n/);
    assert.deepEqual(deny.split('\n').filter((l) => l.startsWith('- ')), ['- Internet → Service shop/web (TCP 443) on subnet nodes: denied']);
    const allow = hoverOn(files, 'main.bicep', /name: 'allow-http'/, "access: 'Allow'");
    assert.deepEqual(allow.split('\n').filter((l) => l.startsWith('- ')), ['- Internet → Service shop/web (TCP 80) on subnet nodes: allowed']);
  });

  it('Terraform: an inline security_rule block', () => {
    const files = { 'main.tf': read('good.tf', 'main.tf'), 'service.yaml': read('good.tf', 'service.yaml') };
    const text = hoverOn(files, 'main.tf', /name += "allow-admin-clients"/, 'name');
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('- ')), ['- 203.0.113.0/24 → Service shop/admin (TCP 8443) on subnet nodes: allowed']);
  });

  it('ARM JSON: a rule of the template, decided for each subnet whose NSG it is in', () => {
    const json = readFileSync(path.join(FIXTURES, '..', 'nsg-denies-lb-probes', 'bad.json'), 'utf8');
    const text = hoverOn({ 'azuredeploy.json': json }, 'azuredeploy.json', /"name": "deny-all-inbound"/, '"access"');
    assert.match(text, /^\*\*Security rule deny-all-inbound\*\* \(4096, Inbound, Deny\) of NSG nsg-nodes\n/);
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('- ')), ['- AzureLoadBalancer health probes → subnet nodes (TCP 30000-32767): denied']);
  });

  it("lists the probes and the nodes' egress a rule decides", () => {
    const probes = readFileSync(path.join(FIXTURES, '..', 'nsg-denies-lb-probes', 'bad.yaml'), 'utf8');
    const text = hoverOn({ 'aks.yaml': probes }, 'aks.yaml', /^ {2}access: Deny/, 'access');
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('- ')), ['- AzureLoadBalancer health probes → subnet nodes (TCP 30000-32767): denied']);
    const egress = probes.replace('  direction: Inbound\n  access: Deny', '  direction: Outbound\n  access: Deny').replace('sourceAddressPrefix: AzureLoadBalancer', 'sourceAddressPrefix: "*"');
    const out = hoverOn({ 'aks.yaml': egress }, 'aks.yaml', /^ {2}access: Deny/, 'access');
    assert.deepEqual(out.split('\n').filter((l) => l.startsWith('- ')), [
      '- nodes of aks in subnet nodes → Internet (TCP 443, AKS egress): denied',
      '- nodes of aks in subnet nodes → Internet (UDP 1194, AKS egress): denied',
      '- nodes of aks in subnet nodes → Internet (TCP 9000, AKS egress): denied',
      '- nodes of aks in subnet nodes → Internet (UDP 123, AKS egress): denied',
    ]);
  });
});
