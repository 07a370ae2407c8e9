// The planner: the AKS docs' worked examples, and properties over thousands of random inputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Cidr, cidr, containsCidr, formatCidr, overlaps, totalAddresses } from '../../server/src/cidr/cidr.ts';
import { PLAN_GROWTH_DEFAULT, type PlanInput, planAddresses, subnetPrefixFor } from '../../server/src/planner/planner.ts';

function plan(input: PlanInput) {
  const result = planAddresses(input);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.plan;
}

// The docs' arithmetic has no headroom: these examples plan with growth 1 (the default's headroom is tested below).
describe('planner: AKS docs worked examples', () => {
  it('Azure CNI, 50 nodes, maxPods 30, 1 surge: 51 + 51 x 30 = 1,581 addresses, a /21', () => {
    const { subnets } = plan({ mode: 'azure-cni', nodes: 50, maxPods: 30, growth: 1 });
    assert.deepEqual(subnets.map((s) => [s.name, s.required, s.cidr.prefix]), [['aks-nodes', 1581, 21]]);
  });

  it('Azure CNI scaled to 60 nodes: 61 + 61 x 30 = 1,891 addresses, still a /21', () => {
    const { subnets } = plan({ mode: 'azure-cni', nodes: 60, maxPods: 30, growth: 1 });
    assert.deepEqual(subnets.map((s) => [s.required, s.cidr.prefix]), [[1891, 21]]);
  });

  it('kubenet: a /24 holds 251 nodes, and each node takes a /24 of the pod CIDR', () => {
    const { subnets, podCidr } = plan({ mode: 'kubenet', nodes: 250, maxPods: 110, growth: 1 });
    assert.deepEqual(subnets.map((s) => [s.required, s.cidr.prefix, Number(s.usable)]), [[251, 24, 251]]);
    assert.ok(podCidr && podCidr.cidr.prefix <= 16, 'a /16 pod CIDR holds 256 node ranges');
    assert.equal(planAddresses({ mode: 'kubenet', nodes: 400, maxPods: 110, growth: 1 }).ok, false, '401 routes do not fit a route table');
  });

  it('overlay: nodes only in the subnet; the smallest subnet is a /29 (3 usable)', () => {
    assert.equal(subnetPrefixFor(3), 29);
    assert.equal(subnetPrefixFor(4), 28);
    const { subnets } = plan({ mode: 'overlay', nodes: 2, maxPods: 250, growth: 1 });
    assert.deepEqual(subnets.map((s) => [s.required, s.cidr.prefix]), [[3, 29]]);
  });

  it('stays inside --within, around --avoid, and puts the service CIDR and DNS IP outside both', () => {
    const within = cidr('10.50.0.0/16');
    const avoid = [cidr('10.50.0.0/24'), cidr('10.0.0.0/16')];
    const result = plan({ mode: 'overlay', nodes: 100, maxPods: 250, growth: 1, within, avoid });
    assert.equal(formatCidr(result.subnets[0]!.cidr), '10.50.1.0/25');
    assert.ok(!overlaps(result.serviceCidr.cidr, within) && !avoid.some((a) => overlaps(a, result.serviceCidr.cidr)));
    assert.equal(result.dnsServiceIp, `${formatCidr(result.serviceCidr.cidr).split('.').slice(0, 3).join('.')}.10`);
  });

  it('explains why it cannot plan', () => {
    const result = planAddresses({ mode: 'azure-cni', nodes: 500, maxPods: 250, growth: 1, within: cidr('10.1.0.0/20') });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /10\.1\.0\.0\/20 has no free \/15 left for aks-nodes \(125,751 addresses\)/);
  });
});

const modes = ['kubenet', 'azure-cni', 'azure-cni-pod-subnet', 'overlay'] as const;
const specials = ['AzureFirewallSubnet', 'AzureBastionSubnet', 'GatewaySubnet', 'apiserver', 'appgw', 'private-endpoints'] as const;

const inputs = fc.record({
  mode: fc.constantFrom(...modes),
  nodes: fc.integer({ min: 1, max: 300 }),
  maxPods: fc.integer({ min: 10, max: 250 }),
  surge: fc.integer({ min: 0, max: 10 }),
  internalLoadBalancerIps: fc.integer({ min: 0, max: 20 }),
  podSubnetAllocation: fc.constantFrom('dynamic' as const, 'static-block' as const),
  specialSubnets: fc.subarray([...specials]),
  avoid: fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 12, max: 24 })), { maxLength: 4 }),
});

/** The smallest power-of-two span that can hold blocks of these prefixes, found by exhaustive placement. */
function exhaustiveSpan(prefixes: number[]): bigint {
  const sizes = prefixes.map((p) => 1n << BigInt(32 - p)).sort((a, b) => (a > b ? -1 : 1));
  for (let span = sizes[0]!; ; span *= 2n) {
    const place = (i: number, used: [bigint, bigint][]): boolean => {
      if (i === sizes.length) return true;
      const size = sizes[i]!;
      for (let start = 0n; start + size <= span; start += size) {
        if (used.some(([s, e]) => start < e && s < start + size)) continue;
        if (place(i + 1, [...used, [start, start + size]])) return true;
      }
      return false;
    };
    if (place(0, [])) return span;
  }
}

describe('planner: room to grow', () => {
  it('never plans a subnet that the nodes of today fill: 2 nodes + 1 surge no longer go into a /29 that holds exactly 3', () => {
    const { subnets } = plan({ mode: 'overlay', nodes: 2, maxPods: 250 });
    const nodes = subnets.find((s) => s.name === 'aks-nodes')!;
    // 2 x 1.5 = 3 nodes + 1 surge = 4 addresses: a /28 (11 usable), where growth 1 gives the full /29.
    assert.deepEqual([nodes.required, nodes.cidr.prefix, Number(nodes.usable)], [4, 28, 11]);
    assert.equal(nodes.reason, 'Azure CNI Overlay: (3 nodes + 1 surge) x 1 address; sized for 3 nodes: 2 now + 1 headroom (growth 1.5)');
  });

  it('sizes for the default growth factor, and says so, for any node count', () => {
    assert.equal(PLAN_GROWTH_DEFAULT, 1.5);
    for (const mode of modes) {
      for (const nodes of [1, 2, 3, 10, 50, 200]) {
        const result = plan({ mode, nodes, maxPods: 30 });
        const subnet = result.subnets.find((s) => s.name === 'aks-nodes')!;
        const sized = Math.ceil(nodes * PLAN_GROWTH_DEFAULT);
        const perNode = mode === 'azure-cni' ? 31 : 1;
        // Room for more nodes than today's plus surge: a node more at least, in every mode.
        assert.ok(subnet.usable >= BigInt((sized + 1) * perNode), `${mode} ${nodes}: ${subnet.usable} usable`);
        assert.ok(subnet.usable >= BigInt((nodes + 2) * perNode), `${mode} ${nodes}: room past today's nodes and surge`);
        assert.match(subnet.reason, new RegExp(`sized for ${sized} nodes: ${nodes} now \\+ ${sized - nodes} headroom \\(growth 1\\.5\\)$`));
        if (result.podCidr) assert.equal(result.podCidr.required, sized + 1, `${mode}: the pod CIDR holds a /24 for every planned node`);
      }
    }
  });

  it('takes a growth factor, says when there is no headroom, and caps kubenet at its route table', () => {
    assert.match(plan({ mode: 'overlay', nodes: 10, maxPods: 250, growth: 2 }).subnets[0]!.reason, /sized for 20 nodes: 10 now \+ 10 headroom \(growth 2\)$/);
    assert.match(plan({ mode: 'overlay', nodes: 10, maxPods: 250, growth: 1 }).subnets[0]!.reason, /sized for 10 nodes: 10 now, no headroom \(growth 1\)$/);
    // 300 x 1.5 = 450 routes would not fit; today's 300 + 1 do, so the headroom stops at 399 + 1 surge = 400 routes.
    const kubenet = plan({ mode: 'kubenet', nodes: 300, maxPods: 110 });
    assert.match(kubenet.subnets[0]!.reason, /sized for 399 nodes: 300 now \+ 99 headroom \(growth 1\.5, capped at kubenet's 400 routes\)$/);
    assert.equal(kubenet.podCidr!.required, 400);
    assert.deepEqual(planAddresses({ mode: 'overlay', nodes: 3, maxPods: 250, growth: 0.5 }), { ok: false, error: 'growth must be a number of at least 1' });
  });
});

describe('planner properties', () => {
  it('never overlaps, always fits, and avoids what it must (2,000 random inputs)', () => {
    fc.assert(
      fc.property(inputs, (raw) => {
        const avoid: Cidr[] = raw.avoid.map(([octet, prefix]) => {
          const parsed = cidr(`10.${octet}.0.0/16`);
          return { family: 4, network: parsed.network, prefix };
        });
        const result = planAddresses({ ...raw, avoid });
        if (!result.ok) return true; // e.g. kubenet past 400 routes: a clear refusal is fine
        const { vnet, subnets, podCidr, serviceCidr } = result.plan;
        for (const [i, subnet] of subnets.entries()) {
          assert.ok(containsCidr(vnet.cidr, subnet.cidr), 'subnet inside the VNet');
          assert.ok(subnet.usable >= BigInt(subnet.required), 'Azure-usable addresses cover the requirement');
          assert.equal(subnet.usable, totalAddresses(subnet.cidr) - 5n);
          assert.ok(subnet.cidr.prefix <= 29, 'no subnet smaller than /29');
          for (const other of subnets.slice(i + 1)) assert.ok(!overlaps(subnet.cidr, other.cidr), 'subnets never overlap');
          for (const range of avoid) assert.ok(!overlaps(range, subnet.cidr), 'subnets avoid the given ranges');
        }
        for (const range of [podCidr?.cidr, serviceCidr.cidr].filter((r): r is Cidr => !!r)) {
          assert.ok(!overlaps(range, vnet.cidr), 'pod and service CIDRs outside the VNet');
          for (const avoided of avoid) assert.ok(!overlaps(range, avoided), 'pod and service CIDRs avoid the given ranges');
        }
        if (podCidr) assert.ok(!overlaps(podCidr.cidr, serviceCidr.cidr));
        assert.ok(serviceCidr.cidr.prefix > 12, 'service CIDR smaller than a /12');
        return true;
      }),
      { numRuns: 2000, seed: 20261125 },
    );
  });

  it('on small cases the VNet is as small as an exhaustive search finds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 10, max: 60 }),
        fc.subarray([...specials], { maxLength: 3 }),
        (mode, nodes, maxPods, specialSubnets) => {
          const result = planAddresses({ mode, nodes, maxPods, specialSubnets });
          if (!result.ok) return true;
          const prefixes = result.plan.subnets.map((s) => s.cidr.prefix);
          assert.equal(totalAddresses(result.plan.vnet.cidr), exhaustiveSpan(prefixes), JSON.stringify(prefixes));
          return true;
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('netlens plan', () => {
  const cli = path.join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'plan', ...args], { encoding: 'utf8' });

  it('prints the plan as JSON with subnets by name and cidr', () => {
    const result = run('--mode', 'azure-cni', '--nodes', '50', '--max-pods', '30', '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    // 50 nodes x growth 1.5 = 75, + 1 surge = 76 x 31 = 2,356 addresses: a /20 (the docs' 1,581 without headroom is a /21).
    assert.deepEqual(output.subnets.map((s: { name: string; cidr: string; required: number }) => [s.name, s.cidr, s.required]), [['aks-nodes', '10.224.0.0/20', 2356]]);
    assert.equal(output.dnsServiceIP, '10.0.0.10');
  });

  it('--growth sets the headroom, shown in the text plan; 1 plans none', () => {
    const none = JSON.parse(run('--mode', 'azure-cni', '--nodes', '50', '--max-pods', '30', '--growth', '1', '--format', 'json').stdout);
    assert.deepEqual(none.subnets.map((s: { cidr: string; required: number }) => [s.cidr, s.required]), [['10.224.0.0/21', 1581]]);
    const text = run('--mode', 'overlay', '--nodes', '10', '--max-pods', '250', '--growth', '2');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /\(20 nodes \+ 1 surge\) x 1 address; sized for 20 nodes: 10 now \+ 10 headroom \(growth 2\)/);
    assert.match(text.stdout, /21 nodes with surge need 21 \/24s; \/16 holds 256; sized for 20 nodes: 10 now \+ 10 headroom \(growth 2\)/);
    const bad = run('--mode', 'overlay', '--nodes', '10', '--max-pods', '250', '--growth', '0.9');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--growth must be a number of at least 1, not '0\.9'/);
    const help = run('--help');
    assert.match(help.stdout + help.stderr, /--growth F {6}room to grow: subnets and pod CIDR sized for F x nodes \(default 1\.5;/);
  });

  it('refuses bad options with exit 2 and a clear message, and an impossible plan with exit 1', () => {
    const bad = run('--mode', 'flat', '--nodes', '3', '--max-pods', '30');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--mode must be one of kubenet, azure-cni, azure-cni-pod-subnet, overlay/);
    const badCidr = run('--mode', 'overlay', '--nodes', '3', '--max-pods', '30', '--within', '10.0.0.0/33');
    assert.match(badCidr.stderr, /--within: '\/33' is not a valid IPv4 prefix length/);
    const impossible = run('--mode', 'azure-cni', '--nodes', '500', '--max-pods', '250', '--within', '10.1.0.0/20');
    assert.equal(impossible.status, 1);
    assert.match(impossible.stderr, /no plan fits/);
  });
});

describe('dual-stack plans', () => {
  it('give every subnet a /64 inside a unique local /56, and IPv6 pod and service CIDRs, clear of each other and of what to avoid', async () => {
    const { planAddresses } = await import('../../server/src/planner/planner.ts');
    const { cidr, containsCidr, overlaps, formatCidr } = await import('../../server/src/cidr/cidr.ts');
    const avoid = [cidr('fd12:3456:789a::/64')];
    const result = planAddresses({ mode: 'overlay', nodes: 40, maxPods: 110, specialSubnets: ['AzureBastionSubnet'], dualStack: true, avoid });
    assert.ok(result.ok);
    const v6 = result.plan.ipv6!;
    assert.equal(v6.vnet.cidr.prefix, 56);
    assert.ok(formatCidr(v6.vnet.cidr).startsWith('fd'), 'a unique local address (fd00::/8)');
    assert.deepEqual(v6.subnets.map((s) => s.name), result.plan.subnets.map((s) => s.name));
    for (const subnet of v6.subnets) {
      assert.equal(subnet.cidr.prefix, 64);
      assert.ok(containsCidr(v6.vnet.cidr, subnet.cidr));
    }
    assert.equal(v6.serviceCidr.cidr.prefix, 108);
    const all = [...v6.subnets.map((s) => s.cidr), v6.podCidr.cidr, v6.serviceCidr.cidr];
    for (const [i, a] of all.entries()) {
      for (const b of [...all.slice(i + 1), ...avoid]) assert.ok(!overlaps(a, b), `${formatCidr(a)} overlaps ${formatCidr(b)}`);
    }
    const again = planAddresses({ mode: 'overlay', nodes: 40, maxPods: 110, specialSubnets: ['AzureBastionSubnet'], dualStack: true, avoid });
    assert.ok(again.ok);
    assert.equal(formatCidr(again.plan.ipv6!.vnet.cidr), formatCidr(v6.vnet.cidr), 'the same inputs give the same prefix');
  });

  it('uses the AKS defaults when they are free, and refuses modes other than overlay', async () => {
    const { planAddresses } = await import('../../server/src/planner/planner.ts');
    const { formatCidr } = await import('../../server/src/cidr/cidr.ts');
    const result = planAddresses({ mode: 'overlay', nodes: 3, maxPods: 250, dualStack: true });
    assert.ok(result.ok);
    assert.equal(formatCidr(result.plan.ipv6!.podCidr.cidr), 'fd12:3456:789a::/64');
    assert.equal(formatCidr(result.plan.ipv6!.serviceCidr.cidr), 'fd12:3456:789a:1::/108');
    assert.deepEqual(planAddresses({ mode: 'kubenet', nodes: 3, maxPods: 110, dualStack: true }), { ok: false, error: 'dual-stack needs Azure CNI Overlay' });
  });
});
