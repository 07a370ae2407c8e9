// `netlens paths` through the command object (no build needed): the NSG and route verdicts on hops, in text and JSON,
// and exit 1 on any denied hop.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathsCommand } from '../../server/src/cli/pathsCommand.ts';
import { runCommand } from '../helpers/runCommand.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const fixture = (rule: string, name: string) => path.join('test', 'fixtures', 'rules', rule, name);

const run = (args: string[]) => runCommand(pathsCommand, args, ROOT);

describe('netlens paths: NSG and route verdicts', () => {
  it("prints a public Service's hop denied by the node subnet NSG's rule, where it is written, and exits 1", async () => {
    const { code, out, err } = await run([fixture('nsg-denies-lb-service-port', 'bad.yaml')]);
    assert.equal(code, 1, err);
    const file = fixture('nsg-denies-lb-service-port', 'bad.yaml');
    assert.ok(
      out.includes(`  public load balancer -> Service shop/web: TCP 443\n      denied: TCP 443 from Internet denied by NSG nsg-nodes rule deny-internet-https (priority 100) on subnet nodes (${file}:22)\n`),
      out,
    );
    assert.match(out, /Azure Load Balancer health probes -> Service shop\/web: health probes\n {6}allowed: TCP 30000-32767 on subnet nodes allowed by NSG nsg-nodes default rule AllowAzureLoadBalancerInBound \(priority 65001\)/);
    assert.match(out, /\n2 diagram\(s\), 2 hop\(s\) denied\.\n$/);
  });

  it('writes the verdicts as JSON with the deciding rule and 0-based lines, and exits 0 when nothing is denied', async () => {
    const { code, out } = await run(['--format', 'json', fixture('nsg-denies-lb-service-port', 'good.yaml')]);
    assert.equal(code, 0);
    const { diagrams } = JSON.parse(out) as { diagrams: { hops: { from: string; to: string; verdict: { decision: string; reason: string; file: string; line: number } | null }[] }[] };
    const web = diagrams.flatMap((d) => d.hops).find((hop) => hop.to === 'Service shop/web' && hop.from === 'public load balancer');
    assert.deepEqual(web?.verdict, {
      decision: 'allowed',
      reason: 'TCP 443 from Internet allowed by NSG nsg-nodes rule allow-internet-https (priority 100) on subnet nodes',
      file: fixture('nsg-denies-lb-service-port', 'good.yaml'),
      line: 21,
    });
  });

  it('exits 1 on a default route AKS rejects, naming the route', async () => {
    const { code, out } = await run([fixture('udr-next-hop-not-firewall', 'bad.bicep')]);
    assert.equal(code, 1);
    assert.match(out, /-> firewall or appliance: 0\.0\.0\.0\/0\n {6}denied: route \S+ sends 0\.0\.0\.0\/0 to [\d.]+, which is not the private IP of any firewall in the workspace \(/);
  });
});
