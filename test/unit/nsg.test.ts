// The NSG evaluator (server/src/network/nsg.ts): examples, and a property against a brute-force reference that tries
// every way the unknown parts of random rules could turn out (each unknown entry matching or not, an unknown access
// either way, a rule of unknown priority in every place) and takes the lowest matching priority directly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cidr, type IpAddress, parseIp } from '../../server/src/cidr/cidr.ts';
import type { NetworkSecurityGroup, SecurityRule } from '../../server/src/model/network.ts';
import { known, unknown, type Value } from '../../server/src/model/source.ts';
import { compileGroup, evaluateFlow, evaluateRegion, type Flow, type TagContext } from '../../server/src/network/nsg.ts';

const AT = { uri: 'file:///nsg.bicep', start: 0, end: 1 };
const text = (value: string | undefined): Value<string> => (value === undefined ? unknown('a parameter') : known(value, AT));

interface RuleSpec {
  name: string;
  priority: number | undefined;
  direction?: string | undefined;
  access: string | undefined;
  protocol?: string | undefined;
  from: (string | undefined)[];
  to: (string | undefined)[];
  ports: (string | undefined)[];
}

function securityRule(spec: RuleSpec): SecurityRule {
  return {
    name: spec.name,
    source: AT,
    priority: spec.priority === undefined ? unknown('a parameter') : known(spec.priority, AT),
    direction: text('direction' in spec ? spec.direction : 'Inbound'),
    access: text(spec.access),
    protocol: text('protocol' in spec ? spec.protocol : '*'),
    sourceAddresses: spec.from.map(text),
    destinationAddresses: spec.to.map(text),
    sourcePorts: [known('*', AT)],
    destinationPorts: spec.ports.map(text),
  };
}

const group = (rules: RuleSpec[], rulesComplete = true): NetworkSecurityGroup => ({ name: 'nsg', source: AT, rules: rules.map(securityRule), rulesComplete });

function ip(textValue: string): IpAddress {
  const parse = parseIp(textValue);
  assert.ok(parse.ok);
  return parse.ip;
}

const CONTEXT: TagContext = { virtualNetwork: [cidr('10.0.0.0/29')], virtualNetworkComplete: true };
const probe = (destinationPort: number): Flow => ({ direction: 'Inbound', protocol: 'Tcp', source: ip('168.63.129.16'), destination: ip('10.0.0.4'), destinationPort });

describe('NSG evaluator: examples', () => {
  it('the default rules let load balancer probes in, by AllowAzureLoadBalancerInBound', () => {
    const verdict = evaluateFlow(compileGroup([group([])]), probe(30080), CONTEXT);
    assert.ok(verdict.known);
    assert.equal(verdict.access, 'Allow');
    assert.equal(verdict.rule.name, 'AllowAzureLoadBalancerInBound');
    // AllowVnetInBound comes first and may hold the probe address (the host's virtual IP): it would allow it too.
    assert.deepEqual(verdict.alsoPossible.map((r) => r.name), ['AllowVnetInBound']);
  });

  it('a custom deny of AzureLoadBalancer above the defaults decides, and names itself', () => {
    const nsg = compileGroup([group([{ name: 'deny-lb', priority: 100, access: 'Deny', from: ['AzureLoadBalancer'], to: ['*'], ports: ['*'] }])]);
    const verdict = evaluateFlow(nsg, probe(30080), CONTEXT);
    assert.ok(verdict.known);
    assert.deepEqual([verdict.access, verdict.rule.name, verdict.rule.isDefault], ['Deny', 'deny-lb', false]);
  });

  it('a custom deny-all inbound at 4096 denies probes; the default deny would not be reached', () => {
    const nsg = compileGroup([group([{ name: 'deny-all', priority: 4096, access: 'Deny', from: ['*'], to: ['*'], ports: ['*'] }])]);
    const verdict = evaluateFlow(nsg, probe(30080), CONTEXT);
    assert.ok(verdict.known && verdict.access === 'Deny' && verdict.rule.name === 'deny-all');
  });

  it('an unknown prefix in a rule that could decide makes the answer unknown; one that agrees does not', () => {
    const denying = compileGroup([group([{ name: 'maybe', priority: 100, access: 'Deny', from: [undefined], to: ['*'], ports: ['*'] }])]);
    const verdict = evaluateFlow(denying, probe(30080), CONTEXT);
    assert.ok(!verdict.known);
    assert.equal(verdict.rule?.name, 'maybe');
    const allowing = compileGroup([group([{ name: 'maybe', priority: 100, access: 'Allow', from: [undefined], to: ['*'], ports: ['*'] }])]);
    assert.ok(evaluateFlow(allowing, probe(30080), CONTEXT).known);
  });

  it('a rule that cannot match (another port) does not decide, even with unknown parts elsewhere', () => {
    const nsg = compileGroup([group([{ name: 'ssh', priority: 100, access: 'Deny', from: [undefined], to: ['*'], ports: ['22'] }])]);
    const verdict = evaluateFlow(nsg, probe(30080), CONTEXT);
    assert.ok(verdict.known && verdict.access === 'Allow');
  });

  it('unknown tags are unknown; a group whose rules are not all read answers nothing', () => {
    const cloud = compileGroup([group([{ name: 'cloud', priority: 100, access: 'Deny', from: ['AzureCloud'], to: ['*'], ports: ['*'] }])]);
    assert.equal(evaluateFlow(cloud, probe(30080), CONTEXT).known, false);
    assert.equal(evaluateFlow(compileGroup([group([], false)]), probe(30080), CONTEXT).known, false);
  });

  it('a region is cut at every port edge: a deny on part of the node ports is found', () => {
    const nsg = compileGroup([group([{ name: 'deny-some', priority: 300, access: 'Deny', from: ['168.63.129.16/32'], to: ['10.0.0.0/30'], ports: ['31000-31010'] }])]);
    const results = evaluateRegion(nsg, { direction: 'Inbound', protocol: 'Tcp', source: ip('168.63.129.16'), destinations: [cidr('10.0.0.0/29')], ports: { lo: 30000, hi: 32767 } }, CONTEXT);
    const denied = results.filter((r) => r.verdict.known && r.verdict.access === 'Deny');
    assert.deepEqual(
      denied.map((r) => `${r.flow.destination.value & 0xffn}:${r.flow.destinationPort}`),
      ['0:31000'],
    );
    assert.ok(results.some((r) => r.verdict.known && r.verdict.access === 'Allow' && r.flow.destinationPort === 31011));
  });
});

// ---- The reference: explicit sets, every completion of the unknowns, the lowest matching priority. ----

const ADDRESSES = ['10.0.0.1', '10.0.0.6', '10.0.0.9', '10.0.0.14', '8.8.8.8', '8.8.8.9', '168.63.129.16', '192.168.0.1'];
const PROBE_IP = '168.63.129.16';
type Tri = boolean | 'unknown';

function octets(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Membership of a written address entry, from the definitions (declared VNet 10.0.0.0/29, complete). */
function member(entry: string, address: string): Tri {
  const inVnet = octets(address) >= octets('10.0.0.0') && octets(address) <= octets('10.0.0.7');
  const isPrivate = address.startsWith('10.') || address.startsWith('192.168.');
  if (entry === '*' || entry === '0.0.0.0/0') return true;
  if (entry === 'AzureLoadBalancer') return address === PROBE_IP;
  if (entry === 'VirtualNetwork') return address === PROBE_IP ? 'unknown' : inVnet;
  if (entry === 'Internet') return address === PROBE_IP || (!inVnet && isPrivate) ? 'unknown' : !inVnet;
  if (entry === 'AzureCloud') return 'unknown';
  const [network, bits] = entry.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = octets(network!) - (octets(network!) % size);
  return octets(address) >= start && octets(address) < start + size;
}

function portIn(entry: string, port: number): boolean {
  if (entry === '*') return true;
  const [lo, hi] = entry.split('-').map(Number);
  return port >= lo! && port <= (hi ?? lo!);
}

const DEFAULTS: RuleSpec[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', from: ['VirtualNetwork'], to: ['VirtualNetwork'], ports: ['*'] },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', from: ['AzureLoadBalancer'], to: ['*'], ports: ['*'] },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', from: ['*'], to: ['*'], ports: ['*'] },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', from: ['VirtualNetwork'], to: ['VirtualNetwork'], ports: ['*'] },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', from: ['*'], to: ['Internet'], ports: ['*'] },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', from: ['*'], to: ['*'], ports: ['*'] },
];

interface RefFlow {
  direction: 'Inbound' | 'Outbound';
  protocol: string;
  source: string;
  destination: string;
  port: number;
}

/** More unknown atoms than this in one instance: too many completions to try; the instance is skipped. */
const MAX_ATOMS = 10;

/** Every outcome over every completion: a set of "Access by rule". */
function referenceOutcomes(rules: RuleSpec[], flow: RefFlow): { outcomes: Set<string>; unknowns: number } {
  // Each unknown thing a rule has is an atom: chosen true or false in a completion.
  type Atomic = (choose: () => boolean) => boolean;
  const anyEntry = (entries: (string | undefined)[], address: string): Atomic => (choose) => {
    let result = false;
    for (const entry of entries) {
      const m = entry === undefined ? 'unknown' : member(entry, address);
      // Every unknown entry is its own atom, chosen whether or not an earlier one matched.
      const value = m === 'unknown' ? choose() : m;
      result = result || value;
    }
    return entries.length === 0 ? choose() : result;
  };
  const all = [...rules, ...DEFAULTS];
  const unordered = rules.filter((r) => r.priority === undefined);
  const orderedCustom = rules.filter((r) => r.priority !== undefined).map((r) => r.priority!).sort((a, b) => a - b);
  // Places for a rule of unknown priority: before each custom rule, and after them all (always before the defaults).
  const places = unordered.length === 0 ? [undefined] : [...orderedCustom.map((p) => p - 0.5), 4096.5];
  const outcomes = new Set<string>();
  let maxAtoms = 0;
  for (const place of places) {
    for (let bits = 0; bits < 1 << MAX_ATOMS; bits++) {
      let used = 0;
      const choose = () => Boolean((bits >> used++) & 1);
      let best: { priority: number; name: string; access: string } | undefined;
      for (const rule of all) {
        const priority = rule.priority ?? place!;
        const direction = rule.direction === undefined && 'direction' in rule ? choose() : (rule.direction ?? 'Inbound') === flow.direction;
        const protocol = rule.protocol === undefined && 'protocol' in rule ? choose() : ['*', flow.protocol].includes(rule.protocol ?? '*');
        const from = anyEntry(rule.from, flow.source)(choose);
        const to = anyEntry(rule.to, flow.destination)(choose);
        const ports = rule.ports.map((entry) => (entry === undefined ? choose() : portIn(entry, flow.port))).some(Boolean);
        const access = rule.access ?? (choose() ? 'Allow' : 'Deny');
        if (direction && protocol && from && to && ports && (best === undefined || priority < best.priority)) best = { priority, name: rule.name, access };
      }
      maxAtoms = Math.max(maxAtoms, used);
      if (used > MAX_ATOMS) return { outcomes, unknowns: -1 };
      outcomes.add(best ? `${best.access} by ${best.name}` : 'none');
      if (bits + 1 >= 1 << used) break;
    }
  }
  return { outcomes, unknowns: maxAtoms + (unordered.length > 0 ? 1 : 0) };
}

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });
const addressEntry = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 28, max: 32 })).map(([host, bits]) => `10.0.0.${host}/${bits}`),
  fc.constantFrom('8.8.8.8/31', '192.168.0.0/24', '*', '0.0.0.0/0', 'VirtualNetwork', 'Internet', 'AzureLoadBalancer', 'AzureCloud', `${PROBE_IP}/32`),
);
const portEntry = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 6 })).map(([lo, width]) => (width === 0 ? `${lo}` : `${lo}-${lo + width}`)),
  fc.constant('*'),
);
const ruleSpecs = fc
  .array(
    fc.record({
      access: maybe(fc.constantFrom('Allow', 'Deny')),
      direction: fc.constantFrom('Inbound', 'Outbound'),
      protocol: fc.constantFrom('*', 'Tcp', 'Udp'),
      from: fc.array(maybe(addressEntry), { minLength: 1, maxLength: 2 }),
      to: fc.array(maybe(addressEntry), { minLength: 1, maxLength: 2 }),
      ports: fc.array(maybe(portEntry), { minLength: 1, maxLength: 2 }),
      unknownPriority: fc.boolean(),
    }),
    { maxLength: 5 },
  )
  .chain((specs) =>
    fc.uniqueArray(fc.integer({ min: 100, max: 4096 }), { minLength: specs.length, maxLength: specs.length }).map((priorities) =>
      specs.map(
        (spec, i): RuleSpec => ({
          name: `r${i}`,
          // At most one rule of unknown priority: the reference tries it in every place.
          priority: spec.unknownPriority && specs.findIndex((s) => s.unknownPriority) === i ? undefined : priorities[i],
          direction: spec.direction,
          access: spec.access,
          protocol: spec.protocol,
          from: spec.from,
          to: spec.to,
          ports: spec.ports,
        }),
      ),
    ),
  );
const flows = fc.record({
  direction: fc.constantFrom<'Inbound' | 'Outbound'>('Inbound', 'Outbound'),
  protocol: fc.constantFrom('Tcp', 'Udp', 'Icmp'),
  source: fc.constantFrom(...ADDRESSES),
  destination: fc.constantFrom(...ADDRESSES),
  port: fc.integer({ min: 0, max: 24 }),
});

describe('NSG evaluator: property against the brute-force reference', () => {
  it('a known answer is the answer of every completion; with nothing unknown it is the reference answer and its rule', () => {
    fc.assert(
      fc.property(ruleSpecs, flows, (rules, flow) => {
        const { outcomes, unknowns } = referenceOutcomes(rules, flow);
        fc.pre(unknowns >= 0);
        const verdict = evaluateFlow(compileGroup([group(rules)]), {
          direction: flow.direction,
          protocol: flow.protocol,
          source: ip(flow.source),
          destination: ip(flow.destination),
          destinationPort: flow.port,
        }, CONTEXT);
        if (verdict.known) {
          const accesses = new Set([...outcomes].map((outcome) => outcome.split(' ')[0]));
          assert.deepEqual([...accesses], [verdict.access], `every completion gives ${verdict.access}: ${[...outcomes].join(', ')}`);
        }
        if (unknowns === 0) {
          assert.ok(verdict.known, `nothing is unknown, yet: ${verdict.known ? '' : verdict.reason}`);
          assert.deepEqual([...outcomes], [`${verdict.access} by ${verdict.rule.name}`]);
        }
      }),
      { seed: 18, numRuns: 3000 },
    );
  });

  it('an answer stays known when every completion agrees on it for a single unknown rule field', () => {
    // The evaluator is exact when one rule alone has one unknown: known exactly when the completions agree.
    fc.assert(
      fc.property(ruleSpecs, flows, (rules, flow) => {
        const { outcomes, unknowns } = referenceOutcomes(rules, flow);
        if (unknowns !== 1) return;
        const verdict = evaluateFlow(compileGroup([group(rules)]), {
          direction: flow.direction,
          protocol: flow.protocol,
          source: ip(flow.source),
          destination: ip(flow.destination),
          destinationPort: flow.port,
        }, CONTEXT);
        const accesses = new Set([...outcomes].map((outcome) => outcome.split(' ')[0]));
        assert.equal(verdict.known, accesses.size === 1, `completions: ${[...outcomes].join(', ')}`);
      }),
      { seed: 1812, numRuns: 3000 },
    );
  });
});
