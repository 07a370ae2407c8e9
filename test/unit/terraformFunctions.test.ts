// Terraform's built-in functions (server/src/readers/terraform/functions.ts): the examples of Terraform's function
// pages (hashicorp/terraform website/docs/language/functions/<name>.mdx) and of its own tests
// (internal/lang/funcs/cidr_test.go), the off-by-one differences from Bicep's cidrSubnet/cidrHost
// (landscape.md section 4.4), IPv6, where results point, unknowns, and garbage in every argument.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseCidr } from '../../server/src/cidr/cidr.ts';
import type { Source } from '../../server/src/model/source.ts';
import { callBuiltin } from '../../server/src/readers/arm/functions.ts';
import type { ArmValue, ResourceInstance } from '../../server/src/readers/arm/values.ts';
import { TERRAFORM_FUNCTIONS } from '../../server/src/readers/terraform/functions.ts';

const URI = 'file:///work/network.tf';
/** The call expression's place. */
const CALL: Source = { uri: URI, start: 9000, end: 9100 };
let nextOffset = 0;
/** A fresh place for each literal, so a test can tell which one a result points at. */
function place(): Source {
  const start = nextOffset;
  nextOffset += 10;
  return { uri: URI, start, end: start + 8 };
}

function isArm(value: unknown): value is ArmValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { kind?: unknown }).kind === 'string' && 'source' in value;
}

/** A Terraform literal as ArmValues, every part with its own source (ArmValues pass through). */
function lit(value: unknown): ArmValue {
  if (isArm(value)) return value;
  const source = place();
  if (value === null) return { kind: 'null', source };
  if (typeof value === 'string') return { kind: 'string', value, source };
  if (typeof value === 'number') return { kind: 'int', value, source };
  if (typeof value === 'boolean') return { kind: 'bool', value, source };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(lit), source };
  return { kind: 'object', properties: new Map(Object.entries(value as object).map(([k, v]) => [k, lit(v)])), source };
}

const UNKNOWN = Symbol('unknown');

/** A result as plain data; an unknown is `{ [UNKNOWN]: reason }`. */
function plain(value: ArmValue): unknown {
  switch (value.kind) {
    case 'string':
    case 'int':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'array':
      return value.items.map(plain);
    case 'object':
      return Object.fromEntries([...value.properties].map(([k, v]) => [k, plain(v)]));
    case 'unknown':
      return { [UNKNOWN]: value.reason };
    default:
      return { [value.kind]: true };
  }
}

/** The items of a result that must be a list. */
function itemsOf(value: ArmValue): readonly ArmValue[] {
  assert.equal(value.kind, 'array');
  return value.kind === 'array' ? value.items : [];
}

/** The properties of a result that must be a map. */
function propertiesOf(value: ArmValue): ReadonlyMap<string, ArmValue> {
  assert.equal(value.kind, 'object');
  return value.kind === 'object' ? value.properties : new Map();
}

function call(name: string, ...args: unknown[]): ArmValue {
  const fn = TERRAFORM_FUNCTIONS.get(name);
  assert.ok(fn, `${name} is defined`);
  return fn(args.map(lit), CALL);
}

/** The plain result of a call. */
function tf(name: string, ...args: unknown[]): unknown {
  return plain(call(name, ...args));
}

/** The reason of a call that must give an unknown. */
function unknownReason(name: string, ...args: unknown[]): string {
  const result = call(name, ...args);
  assert.equal(result.kind, 'unknown', `${name}(${JSON.stringify(args)}) should be unknown, is ${JSON.stringify(plain(result))}`);
  return (result as { reason: string }).reason;
}

/** Wrong arguments: an unknown whose reason names the function and says what is wrong. */
function refused(name: string, args: unknown[], why: RegExp): void {
  const reason = unknownReason(name, ...args);
  assert.ok(reason.startsWith(`${name}(): `), `the reason names ${name}: ${reason}`);
  assert.match(reason, why);
}

/** A value the files cannot give: a variable with no default and no tfvars value. */
function unset(name: string): ArmValue {
  return { kind: 'unknown', reason: `variable "${name}" has no value`, source: place() };
}

describe('the function table', () => {
  it('holds exactly the functions networks use (try and can stay with the evaluator)', () => {
    const expected = [
      'cidrsubnet', 'cidrsubnets', 'cidrhost', 'cidrnetmask', 'concat', 'merge', 'lookup', 'coalesce', 'coalescelist', 'compact',
      'element', 'length', 'range', 'tolist', 'toset', 'tomap', 'tostring', 'tonumber', 'tobool', 'jsonencode', 'jsondecode',
      'format', 'formatlist', 'replace', 'split', 'join', 'lower', 'upper', 'trimspace', 'trimprefix', 'trimsuffix', 'substr',
      'flatten', 'keys', 'values', 'contains', 'distinct', 'min', 'max', 'zipmap', 'startswith', 'endswith', 'regex', 'regexall',
    ];
    assert.deepEqual([...TERRAFORM_FUNCTIONS.keys()].sort(), [...expected].sort());
    assert.equal(TERRAFORM_FUNCTIONS.has('try'), false);
    assert.equal(TERRAFORM_FUNCTIONS.has('can'), false);
  });

  it('refuses a wrong number of arguments, naming the function', () => {
    refused('cidrsubnet', ['10.0.0.0/16', 4], /takes 3 arguments, got 2/);
    refused('cidrhost', [], /takes 2 arguments, got 0/);
    refused('lookup', [{ a: 1 }], /takes 2 to 3 arguments, got 1/);
    refused('range', [1, 2, 3, 4], /takes 1 to 3 arguments, got 4/);
    refused('concat', [], /takes at least 1 argument/);
  });
});

describe('cidrsubnet (cidrsubnet.mdx)', () => {
  it('computes the documented examples', () => {
    assert.equal(tf('cidrsubnet', '172.16.0.0/12', 4, 2), '172.18.0.0/16');
    assert.equal(tf('cidrsubnet', '10.1.2.0/24', 4, 15), '10.1.2.240/28');
    assert.equal(tf('cidrsubnet', 'fd00:fd12:3456:7890::/56', 16, 162), 'fd00:fd12:3456:7800:a200::/72');
    // landscape.md 4.4's pair with Bicep.
    assert.equal(tf('cidrsubnet', '10.144.0.0/20', 4, 1), '10.144.1.0/24');
  });

  it("computes Terraform's own test cases (internal/lang/funcs/cidr_test.go)", () => {
    assert.equal(tf('cidrsubnet', '192.168.2.0/20', 4, 6), '192.168.6.0/24');
    assert.equal(tf('cidrsubnet', 'fe80::/48', 16, 6), 'fe80:0:0:6::/64');
    assert.equal(tf('cidrsubnet', 'fe80::/48', 33, 6), 'fe80::3:0:0:0/81');
    // An IPv4 address written in IPv6 form is IPv4, and the result is written so.
    assert.equal(tf('cidrsubnet', '::ffff:192.168.0.0/112', 8, 6), '192.168.6.0/24');
    refused('cidrsubnet', ['192.168.0.0/30', 4, 6], /insufficient address space to extend prefix of 30 by 4/);
    refused('cidrsubnet', ['192.168.0.0/168', 2, 16], /invalid CIDR expression/);
    refused('cidrsubnet', ['not-a-cidr', 4, 6], /invalid CIDR expression/);
    refused('cidrsubnet', ['10.256.0.0/8', 4, 6], /invalid CIDR expression: .*256 is over 255/);
  });

  it('reads octets with leading zeros as decimal, which parseCidr refuses (the "historical accident" note)', () => {
    assert.equal(parseCidr('010.001.0.0/24').ok, false);
    assert.equal(tf('cidrsubnet', '010.001.0.0/24', 4, 1), '10.1.0.16/28');
  });

  it('works on the network of a prefix with host bits set', () => {
    const parsed = parseCidr('10.1.2.3/16');
    assert.equal(parsed.ok && parsed.hostBitsSet, true);
    assert.equal(tf('cidrsubnet', '10.1.2.3/16', 4, 1), '10.1.16.0/20');
  });

  it('adds newbits to the prefix length; netnum must fit in newbits and not be negative', () => {
    assert.equal(tf('cidrsubnet', '10.0.0.0/16', 0, 0), '10.0.0.0/16');
    assert.equal(tf('cidrsubnet', '10.0.0.0/16', 2, 3), '10.0.192.0/18');
    refused('cidrsubnet', ['10.0.0.0/16', 2, 4], /prefix extension of 2 does not accommodate a subnet numbered 4/);
    refused('cidrsubnet', ['10.0.0.0/16', 4, -1], /netnum -1 is negative/);
    refused('cidrsubnet', ['10.0.0.0/16', -4, 0], /newbits -4 is negative/);
    refused('cidrsubnet', ['10.0.0.0/16', 17, 0], /insufficient address space/);
    refused('cidrsubnet', ['fd00::/64', 65, 0], /insufficient address space to extend prefix of 64 by 65/);
  });

  it('converts numbers written as strings, as Terraform converts arguments, and refuses fractions', () => {
    assert.equal(tf('cidrsubnet', '10.0.0.0/16', '8', '3'), '10.0.3.0/24');
    refused('cidrsubnet', ['10.0.0.0/16', '1.5', 0], /newbits must be a whole number/);
    refused('cidrsubnet', ['10.0.0.0/16', true, 0], /newbits must be a number, not a bool/);
    refused('cidrsubnet', [['10.0.0.0/16'], 4, 0], /prefix must be a string, not a list/);
  });

  it('computes IPv6 subnets exactly, beyond 64 bits', () => {
    assert.equal(tf('cidrsubnet', 'fdad:3236:5555::/48', 4, 2), 'fdad:3236:5555:2000::/52');
    assert.equal(tf('cidrsubnet', 'fd00::/8', 32, 4294967295), 'fdff:ffff:ff00::/40');
    assert.equal(tf('cidrsubnet', 'fd00::/64', 64, 1), 'fd00::1/128');
  });
});

describe('cidrsubnets (cidrsubnets.mdx)', () => {
  it('computes the documented examples: consecutive ranges, each aligned to its own size', () => {
    assert.deepEqual(tf('cidrsubnets', '10.1.0.0/16', 4, 4, 8, 4), ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']);
    assert.deepEqual(tf('cidrsubnets', 'fd00:fd12:3456:7890::/56', 16, 16, 16, 32), [
      'fd00:fd12:3456:7800::/72',
      'fd00:fd12:3456:7800:100::/72',
      'fd00:fd12:3456:7800:200::/72',
      'fd00:fd12:3456:7800:300::/88',
    ]);
    // [for cidr_block in cidrsubnets("10.0.0.0/8", 8, 8, 8, 8) : cidrsubnets(cidr_block, 4, 4)]
    const blocks = call('cidrsubnets', '10.0.0.0/8', 8, 8, 8, 8);
    assert.equal(blocks.kind, 'array');
    const nested = itemsOf(blocks).map((block) => tf('cidrsubnets', block, 4, 4));
    assert.deepEqual(nested, [
      ['10.0.0.0/20', '10.0.16.0/20'],
      ['10.1.0.0/20', '10.1.16.0/20'],
      ['10.2.0.0/20', '10.2.16.0/20'],
      ['10.3.0.0/20', '10.3.16.0/20'],
    ]);
  });

  it("computes Terraform's own test cases, errors with its messages", () => {
    assert.deepEqual(tf('cidrsubnets', '10.0.0.0/21', 3, 3, 3, 4, 4, 4, 7, 7, 7), [
      '10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/25', '10.0.3.128/25', '10.0.4.0/25', '10.0.4.128/28', '10.0.4.144/28', '10.0.4.160/28',
    ]);
    assert.deepEqual(tf('cidrsubnets', '010.0.0.0/21', 3), ['10.0.0.0/24']);
    refused('cidrsubnets', ['10.0.0.0/30', 1, 3], /would extend prefix to 33 bits, which is too long for an IPv4 address/);
    refused('cidrsubnets', ['10.0.0.0/8', 1, 1, 1], /not enough remaining address space for a subnet with a prefix of 9 bits after 10\.128\.0\.0\/9/);
    refused('cidrsubnets', ['10.0.0.0/8', 1, 0], /must extend prefix by at least one bit/);
    refused('cidrsubnets', ['10.0.0.0/8', 1, -1], /must extend prefix by at least one bit/);
    refused('cidrsubnets', ['fe80::/48', 1, 33], /may not extend prefix by more than 32 bits/);
  });

  it('refuses a prefix starting at address zero, as Terraform does (hashicorp/terraform#35486)', () => {
    refused('cidrsubnets', ['0.0.0.0/1', 1, 1], /not enough remaining address space for a subnet with a prefix of 2 bits after 192\.0\.0\.0\/2/);
    refused('cidrsubnets', ['::/0', 4], /after f000::\/4/);
    // cidrsubnet has no such trouble.
    assert.equal(tf('cidrsubnet', '0.0.0.0/1', 1, 1), '64.0.0.0/2');
  });

  it('gives an empty list without newbits', () => {
    assert.deepEqual(tf('cidrsubnets', '10.0.0.0/16'), []);
  });

  it('equals cidrsubnet numbered from zero when every newbits is the same (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 28 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), (prefix, newbits, count) => {
        fc.pre(count <= 2 ** newbits);
        const base = `10.64.0.0/${prefix}`;
        const all = tf('cidrsubnets', base, ...Array.from({ length: count }, () => newbits));
        assert.deepEqual(all, Array.from({ length: count }, (_, i) => tf('cidrsubnet', base, newbits, i)));
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});

describe('cidrhost (cidrhost.mdx)', () => {
  it('computes the documented examples', () => {
    assert.equal(tf('cidrhost', '10.12.112.0/20', 16), '10.12.112.16');
    assert.equal(tf('cidrhost', '10.12.112.0/20', 268), '10.12.113.12');
    // Host bits set in the prefix (00a2 past /72): the host is counted from the network.
    assert.equal(tf('cidrhost', 'fd00:fd12:3456:7890:00a2::/72', 34), 'fd00:fd12:3456:7890::22');
    assert.equal(tf('cidrhost', '10.0.0.0/8', 2), '10.0.0.2');
    assert.equal(tf('cidrhost', '10.0.0.0/8', -2), '10.255.255.254');
    // cidrsubnet.mdx's worked example.
    assert.equal(tf('cidrhost', '10.1.2.240/28', 1), '10.1.2.241');
    assert.equal(tf('cidrhost', '10.1.2.240/28', 14), '10.1.2.254');
  });

  it('takes host 0 as the network address and negative hosts from the end, down to -size', () => {
    assert.equal(tf('cidrhost', '192.168.1.0/24', 0), '192.168.1.0');
    assert.equal(tf('cidrhost', '192.168.1.0/24', 5), '192.168.1.5');
    assert.equal(tf('cidrhost', '192.168.1.0/24', -1), '192.168.1.255');
    assert.equal(tf('cidrhost', '192.168.1.0/24', -5), '192.168.1.251');
    assert.equal(tf('cidrhost', '192.168.1.0/24', -256), '192.168.1.0');
    assert.equal(tf('cidrhost', '010.001.0.0/24', 6), '10.1.0.6');
    assert.equal(tf('cidrhost', 'fd00::/64', -1), 'fd00::ffff:ffff:ffff:ffff');
    assert.equal(tf('cidrhost', '10.0.0.7/32', 0), '10.0.0.7');
  });

  it('gives an unknown out of range', () => {
    refused('cidrhost', ['192.168.1.0/24', 256], /prefix of 24 does not accommodate a host numbered 256/);
    refused('cidrhost', ['192.168.1.0/24', -257], /host numbered -257/);
    refused('cidrhost', ['192.168.1.0/30', 255], /does not accommodate/);
    refused('cidrhost', ['192.168.1.0/30', -255], /does not accommodate/);
    refused('cidrhost', ['not-a-cidr', 6], /invalid CIDR expression/);
    refused('cidrhost', ['10.0.0.0/8', '0.75'], /hostnum must be a whole number/);
  });
});

describe('cidrnetmask (cidrnetmask.mdx)', () => {
  it('writes an IPv4 prefix as a netmask', () => {
    assert.equal(tf('cidrnetmask', '172.16.0.0/12'), '255.240.0.0');
    assert.equal(tf('cidrnetmask', '192.168.1.0/24'), '255.255.255.0');
    assert.equal(tf('cidrnetmask', '192.168.1.0/32'), '255.255.255.255');
    assert.equal(tf('cidrnetmask', '0.0.0.0/0'), '0.0.0.0');
    assert.equal(tf('cidrnetmask', '010.001.0.0/24'), '255.255.255.0');
  });

  it('refuses IPv6 and bad prefixes', () => {
    refused('cidrnetmask', ['1::/64'], /IPv6 addresses cannot have a netmask/);
    refused('cidrnetmask', ['110.256.0.0/8'], /invalid CIDR expression/);
  });
});

describe('Terraform versus Bicep (landscape.md 4.4)', () => {
  const bicep = (name: string, ...args: unknown[]) =>
    plain(callBuiltin(name, args.map(lit), { source: CALL, callLambda: () => ({ kind: 'unknown', reason: 'no lambdas' }), loadText: () => undefined }));

  it("cidrhost(x, 1) is Bicep's cidrHost(x, 0); the first Azure-assignable address is cidrhost(x, 4) = cidrHost(x, 3)", () => {
    assert.equal(tf('cidrhost', '192.168.1.0/24', 1), '192.168.1.1');
    assert.equal(bicep('cidrHost', '192.168.1.0/24', 0), '192.168.1.1');
    assert.equal(tf('cidrhost', '10.144.3.0/24', 4), bicep('cidrHost', '10.144.3.0/24', 3));
    // The same index means different addresses.
    assert.notEqual(tf('cidrhost', '10.144.3.0/24', 0), bicep('cidrHost', '10.144.3.0/24', 0));
    // Terraform's negative hosts have no Bicep counterpart.
    assert.equal(tf('cidrhost', '10.144.3.0/24', -2), '10.144.3.254');
    assert.equal((bicep('cidrHost', '10.144.3.0/24', -2) as Record<symbol, string>)[UNKNOWN] !== undefined, true);
  });

  it('cidrsubnet takes new bits where cidrSubnet takes the absolute prefix length', () => {
    assert.equal(tf('cidrsubnet', '10.144.0.0/20', 4, 1), bicep('cidrSubnet', '10.144.0.0/20', 24, 1));
    // Bicep's argument passed to Terraform: /20 + 24 bits is no IPv4 prefix.
    refused('cidrsubnet', ['10.144.0.0/20', 24, 1], /insufficient address space to extend prefix of 20 by 24/);
  });

  it('agree for every prefix, new length and index, IPv4 and IPv6 (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 6 }),
        fc.nat(),
        fc.nat(),
        (v6, prefix, newbits, netnumSeed, hostSeed) => {
          const base = v6 ? `fd00:1234::/${prefix + 16}` : `10.0.0.0/${Math.max(prefix, 8)}`;
          const parsed = parseCidr(base);
          assert.ok(parsed.ok);
          const bits = v6 ? 128 : 32;
          const length = Math.min(parsed.cidr.prefix + newbits, bits);
          const netnum = netnumSeed % 2 ** (length - parsed.cidr.prefix);
          assert.equal(tf('cidrsubnet', base, length - parsed.cidr.prefix, netnum), bicep('cidrSubnet', base, length, netnum));
          const hosts = 2 ** Math.min(bits - parsed.cidr.prefix, 30);
          const host = hostSeed % (hosts - 1);
          assert.equal(tf('cidrhost', base, host + 1), bicep('cidrHost', base, host));
        },
      ),
      { seed: 20261207, numRuns: 400 },
    );
  });
});

describe('collections', () => {
  it('concat joins lists; its items keep their sources (concat.mdx)', () => {
    assert.deepEqual(tf('concat', ['a', ''], ['b', 'c']), ['a', '', 'b', 'c']);
    const first = lit('10.0.0.0/16');
    const result = call('concat', [first], ['10.1.0.0/16']);
    assert.equal(result.kind, 'array');
    assert.equal(itemsOf(result)[0], first);
    assert.deepEqual(result.source, CALL);
    refused('concat', [['a'], 'b'], /argument 2 must be a list, not a string/);
  });

  it('merge: later keys win, nulls are skipped (merge.mdx)', () => {
    assert.deepEqual(tf('merge', { a: 'b', c: 'd' }, { e: 'f', c: 'z' }), { a: 'b', c: 'z', e: 'f' });
    assert.deepEqual(tf('merge', { a: 'b' }, { a: [1, 2], c: 'z' }, { d: 3 }), { a: [1, 2], c: 'z', d: 3 });
    assert.deepEqual(tf('merge', null, { a: 1 }), { a: 1 });
    assert.deepEqual(tf('merge'), {});
    assert.equal(tf('merge', null), null);
    refused('merge', [{ a: 1 }, ['x']], /argument 2 must be a map or object, not a list/);
    const cidrLiteral = lit('10.0.0.0/16');
    const merged = call('merge', { vnet: cidrLiteral }, { other: 'x' });
    assert.equal(propertiesOf(merged).get('vnet'), cidrLiteral);
  });

  it('lookup, with and without a default (lookup.mdx); the value found keeps its source', () => {
    assert.equal(tf('lookup', { a: 'ay', b: 'bee' }, 'a', 'what?'), 'ay');
    assert.equal(tf('lookup', { a: 'ay', b: 'bee' }, 'c', 'what?'), 'what?');
    assert.equal(tf('lookup', { a: 'ay' }, 'a'), 'ay');
    refused('lookup', [{ a: 'ay' }, 'c'], /lookup failed to find key "c"/);
    refused('lookup', [['a'], 'a'], /must be a map or object/);
    // Keys are case-sensitive in Terraform.
    refused('lookup', [{ AKS: '10.0.0.0/16' }, 'aks'], /failed to find key "aks"/);
    const literal = lit('10.1.0.0/16');
    assert.equal(call('lookup', { aks: literal, other: unset('x') }, 'aks'), literal);
  });

  it('coalesce: the first non-null, non-empty argument, converted to the common type (coalesce.mdx)', () => {
    assert.equal(tf('coalesce', 'a', 'b'), 'a');
    assert.equal(tf('coalesce', '', 'b'), 'b');
    assert.equal(tf('coalesce', 1, 2), 1);
    assert.equal(tf('coalesce', null, 'x'), 'x');
    assert.equal(tf('coalesce', 1, 'a'), '1');
    assert.deepEqual(tf('coalesce', [], ['a']), []);
    refused('coalesce', ['', null], /no non-null, non-empty-string arguments/);
    refused('coalesce', [1, true], /one type/);
    const pick = lit('10.2.0.0/16');
    assert.equal(call('coalesce', null, pick, 'x'), pick);
  });

  it('coalescelist: the first non-empty list (coalescelist.mdx)', () => {
    assert.deepEqual(tf('coalescelist', ['a', 'b'], ['c', 'd']), ['a', 'b']);
    assert.deepEqual(tf('coalescelist', [], ['c', 'd']), ['c', 'd']);
    refused('coalescelist', [[], []], /no non-empty list/);
    refused('coalescelist', ['a'], /must be a list/);
  });

  it('compact drops nulls and empty strings (compact.mdx)', () => {
    assert.deepEqual(tf('compact', ['a', '', 'b', null, 'c']), ['a', 'b', 'c']);
    assert.deepEqual(tf('compact', ['a', 1]), ['a', '1']);
    refused('compact', [[['a']]], /list of strings/);
  });

  it('element wraps the index around; its item keeps its source (element.mdx)', () => {
    assert.equal(tf('element', ['a', 'b', 'c'], 1), 'b');
    assert.equal(tf('element', ['a', 'b', 'c'], 3), 'a');
    assert.equal(tf('element', ['a', 'b', 'c'], 7), 'b');
    refused('element', [['a'], -1], /negative index/);
    refused('element', [[], 0], /empty list/);
    const item = lit('10.3.0.0/24');
    assert.equal(call('element', ['x', item], 3), item);
  });

  it('length of strings (in characters), lists and maps (length.mdx)', () => {
    assert.equal(tf('length', []), 0);
    assert.equal(tf('length', ['a', 'b']), 2);
    assert.equal(tf('length', { a: 'b' }), 1);
    assert.equal(tf('length', 'hello'), 5);
    assert.equal(tf('length', '👾🕹️'), 2);
    refused('length', [5], /must be a string, a collection type, or a structural type/);
    refused('length', [null], /must not be null/);
  });

  it('range with one, two and three arguments (range.mdx)', () => {
    assert.deepEqual(tf('range', 3), [0, 1, 2]);
    assert.deepEqual(tf('range', 1, 4), [1, 2, 3]);
    assert.deepEqual(tf('range', 1, 8, 2), [1, 3, 5, 7]);
    assert.deepEqual(tf('range', 4, 1), [4, 3, 2]);
    assert.deepEqual(tf('range', 10, 5, -2), [10, 8, 6]);
    assert.deepEqual(tf('range', -3), [0, -1, -2]);
    assert.deepEqual(tf('range', 1, 4, -1), []);
    assert.deepEqual(tf('range', 0), []);
    refused('range', [0, 5, 0], /step must not be zero/);
    refused('range', [1025], /more than 1024 values/);
    assert.equal((tf('range', 1024) as number[]).length, 1024);
  });

  it('tolist, toset (deduplicated, ordered as Terraform orders sets) and tomap (tolist.mdx, toset.mdx, tomap.mdx)', () => {
    assert.deepEqual(tf('tolist', ['a', 'b', 'c']), ['a', 'b', 'c']);
    assert.deepEqual(tf('tolist', ['a', 'b', 3]), ['a', 'b', '3']);
    assert.deepEqual(tf('toset', ['a', 'b', 'c']), ['a', 'b', 'c']);
    assert.deepEqual(tf('toset', ['a', 'b', 3]), ['3', 'a', 'b']);
    assert.deepEqual(tf('toset', ['c', 'b', 'b']), ['b', 'c']);
    assert.deepEqual(tf('toset', [3, 1, 3, 2]), [1, 2, 3]);
    assert.deepEqual(tf('tomap', { a: 1, b: 2 }), { a: 1, b: 2 });
    assert.deepEqual(tf('tomap', { a: 'foo', b: true }), { a: 'foo', b: 'true' });
    refused('tolist', [{ a: 1 }], /must be a list/);
    refused('tomap', [['a']], /must be a map or object/);
    refused('tolist', [[1, true]], /one type/);
  });

  it('flatten, keys and values (flatten.mdx, keys.mdx, values.mdx)', () => {
    assert.deepEqual(tf('flatten', [['a', 'b'], [], ['c']]), ['a', 'b', 'c']);
    assert.deepEqual(tf('flatten', [[['a', 'b'], []], ['c']]), ['a', 'b', 'c']);
    assert.deepEqual(tf('keys', { a: 1, c: 2, d: 3 }), ['a', 'c', 'd']);
    assert.deepEqual(tf('keys', { d: 1, a: 2 }), ['a', 'd']);
    assert.deepEqual(tf('values', { a: 3, c: 2, d: 1 }), [3, 2, 1]);
    assert.deepEqual(tf('values', { d: 1, a: 2 }), [2, 1]);
    const literal = lit('10.9.0.0/16');
    assert.equal(itemsOf(call('values', { x: literal }))[0], literal);
  });

  it('contains and distinct (contains.mdx, distinct.mdx)', () => {
    assert.equal(tf('contains', ['a', 'b', 'c'], 'a'), true);
    assert.equal(tf('contains', ['a', 'b', 'c'], 'd'), false);
    assert.equal(tf('contains', [1, 2], '1'), false);
    assert.equal(tf('contains', [['a']], ['a']), true);
    assert.deepEqual(tf('distinct', ['a', 'b', 'a', 'c', 'd', 'b']), ['a', 'b', 'c', 'd']);
    assert.deepEqual(tf('distinct', [{ a: 1 }, { a: 1 }, { a: 2 }]), [{ a: 1 }, { a: 2 }]);
  });

  it('min and max; the number picked keeps its source (min.mdx, max.mdx)', () => {
    assert.equal(tf('max', 12, 54, 3), 54);
    assert.equal(tf('min', 12, 54, 3), 3);
    assert.equal(tf('max', '7', 5), 7);
    refused('max', [], /at least 1 argument/);
    refused('min', ['x'], /not a number/);
    const picked = lit(26);
    assert.equal(call('max', 24, picked, 16), picked);
  });

  it('zipmap (zipmap.mdx)', () => {
    assert.deepEqual(tf('zipmap', ['a', 'b'], [1, 2]), { a: 1, b: 2 });
    refused('zipmap', [['a', 'b'], [1]], /number of keys \(2\) does not match number of values \(1\)/);
    refused('zipmap', [['a', null], [1, 2]], /null value at index 1/);
  });
});

describe('conversions and encoding', () => {
  it('tostring, tonumber and tobool (tostring.mdx, tonumber.mdx, tobool.mdx)', () => {
    assert.equal(tf('tostring', 'hello'), 'hello');
    assert.equal(tf('tostring', 1), '1');
    assert.equal(tf('tostring', true), 'true');
    assert.equal(tf('tostring', null), null);
    refused('tostring', [[]], /cannot convert a list to string/);
    assert.equal(tf('tonumber', 1), 1);
    assert.equal(tf('tonumber', '1'), 1);
    assert.equal(tf('tonumber', '-12.0'), -12);
    assert.equal(tf('tonumber', '1e3'), 1000);
    assert.equal(tf('tonumber', null), null);
    refused('tonumber', ['no'], /'no' is not a number/);
    refused('tonumber', [' 1'], /not a number/);
    // A fraction is a Terraform number, not one computed here: unknown, not wrong.
    assert.match(unknownReason('tonumber', '1.5'), /^tonumber\(\): 1\.5 is not a whole number/);
    assert.match(unknownReason('tonumber', '1e-400'), /not a whole number/);
    assert.equal(tf('tobool', true), true);
    assert.equal(tf('tobool', 'true'), true);
    assert.equal(tf('tobool', 'false'), false);
    assert.equal(tf('tobool', null), null);
    refused('tobool', ['no'], /must be a bool/);
    refused('tobool', [1], /must be a bool/);
  });

  it('jsonencode writes minified JSON, keys sorted, <>& escaped (jsonencode.mdx)', () => {
    assert.equal(tf('jsonencode', { hello: 'world' }), '{"hello":"world"}');
    assert.equal(tf('jsonencode', { b: [1, true, null], a: 'x<y>&z\u2028' }), '{"a":"x\\u003cy\\u003e\\u0026z\\u2028","b":[1,true,null]}');
    assert.equal(tf('jsonencode', 'a\nb'), '"a\\nb"');
  });

  it('jsondecode reads JSON into values pointing at the call (jsondecode.mdx)', () => {
    assert.deepEqual(tf('jsondecode', '{"hello": "world"}'), { hello: 'world' });
    assert.equal(tf('jsondecode', 'true'), true);
    assert.deepEqual(tf('jsondecode', '{"prefixes": ["10.0.0.0/16"], "count": 3, "none": null}'), { count: 3, none: null, prefixes: ['10.0.0.0/16'] });
    const decoded = call('jsondecode', '{"a": ["x"]}');
    assert.deepEqual(decoded.source, CALL);
    assert.deepEqual(itemsOf(propertiesOf(decoded).get('a')!)[0]!.source, CALL);
    const fraction = tf('jsondecode', '{"ratio": 0.5}') as { ratio: Record<symbol, string> };
    assert.match(fraction.ratio[UNKNOWN]!, /^jsondecode\(\): 0\.5 is not a whole number/);
    refused('jsondecode', ['{"a":'], /not valid JSON/);
    // jsonencode then jsondecode gives the value back.
    const value = { name: 'aks', prefixes: ['10.0.0.0/16', '10.1.0.0/16'], pods: 110, enabled: true };
    assert.deepEqual(tf('jsondecode', call('jsonencode', value)), value);
  });
});

describe('format and formatlist (format.mdx, formatlist.mdx)', () => {
  it('computes the documented examples', () => {
    assert.equal(tf('format', 'Hello, %s!', 'Ander'), 'Hello, Ander!');
    assert.equal(tf('format', 'There are %d lights', 4), 'There are 4 lights');
    // range.mdx's example: format("%s%02d", name, i).
    assert.equal(tf('format', '%s%02d', 'bar', 3), 'bar03');
    assert.equal(tf('format', '%9f|%.2f|%9.2f', 3, 3, 3), ' 3.000000|3.00|     3.00');
  });

  it('formats each verb of the table, with flags, width and precision', () => {
    assert.equal(tf('format', '100%% %v %v %v %v', 'text', 42, true, null), '100% text 42 true null');
    assert.equal(tf('format', '%v|%#v|%#v', ['a', 1], 'a', { b: 1, a: [true] }), '["a",1]|"a"|{"a":[true],"b":1}');
    assert.equal(tf('format', '%t %t', true, 'false'), 'true false');
    assert.equal(tf('format', '%b %o %x %X %#x %#o', 5, 8, 255, 255, 255, 8), '101 10 ff FF 0xff 010');
    assert.equal(tf('format', '%5d|%-5d|%05d|%+d|% d|%.3d', 42, 42, -42, 7, 7, 7), '   42|42   |-0042|+7| 7|007');
    assert.equal(tf('format', '%e %E %.2e %g %G %.3g', 1234567, 1234567, 1234567, 100000000, 100000000, 1234567), '1.234567e+06 1.234567E+06 1.23e+06 1e+08 1E+08 1.23e+06');
    assert.equal(tf('format', '%s|%5s|%-5s|%.2s|%q', 'ab', 'ab', 'ab', 'hello', 'a<"b'), 'ab|   ab|ab   |he|"a\\u003c\\"b"');
    // %v writes numbers as %g does: a million and over in exponent form.
    assert.equal(tf('format', '%v %v %v', 999999, 1000000, 1234567), '999999 1e+06 1.234567e+06');
    assert.equal(tf('format', '%[2]s %[1]s %s', 'a', 'b'), 'b a b');
  });

  it('refuses impossible conversions and miscounted arguments', () => {
    refused('format', ['%d', 'x'], /not a number/);
    refused('format', ['%s', ['a']], /must be a string, not a list/);
    refused('format', ['%s', null], /null value cannot be formatted/);
    refused('format', ['%s %s', 'a'], /not enough arguments/);
    refused('format', ['%s', 'a', 'b'], /too many arguments; only 1 used/);
    refused('format', ['plain', 'a'], /too many arguments; no verbs/);
    refused('format', ['%y', 1], /unsupported format verb "y"/);
    refused('format', ['50%'], /no verb letter/);
    refused('format', ['%d', '1.5'], /whole number/);
  });

  it('formatlist iterates lists and repeats other values', () => {
    assert.deepEqual(tf('formatlist', 'Hello, %s!', ['Valentina', 'Ander', 'Olivia', 'Sam']), ['Hello, Valentina!', 'Hello, Ander!', 'Hello, Olivia!', 'Hello, Sam!']);
    assert.deepEqual(tf('formatlist', '%s, %s!', 'Salutations', ['Valentina', 'Ander', 'Olivia', 'Sam']), [
      'Salutations, Valentina!',
      'Salutations, Ander!',
      'Salutations, Olivia!',
      'Salutations, Sam!',
    ]);
    assert.deepEqual(tf('formatlist', 'x'), ['x']);
    assert.deepEqual(tf('formatlist', '%s', []), []);
    refused('formatlist', ['%s%s', ['a', 'b'], ['c']], /inconsistent with argument 2 of length 2/);
    refused('formatlist', ['%d', ['a']], /error on format iteration 0/);
  });

  it('formatlist leaves only the items with an unknown part unknown', () => {
    const missing = unset('suffix');
    const result = call('formatlist', '%s-aks', ['a', missing, 'c']);
    assert.equal(result.kind, 'array');
    const items = itemsOf(result);
    assert.deepEqual(items.map(plain), ['a-aks', { [UNKNOWN]: 'variable "suffix" has no value' }, 'c-aks']);
    assert.equal(items[1], missing);
  });
});

describe('strings', () => {
  it('replace, plain and /regex/ (replace.mdx), with Go regexp semantics', () => {
    assert.equal(tf('replace', '1 + 2 + 3', '+', '-'), '1 - 2 - 3');
    assert.equal(tf('replace', 'hello world', '/w.*d/', 'everybody'), 'hello everybody');
    assert.equal(tf('replace', 'aks-dev-eastus', '/^(\\w+)-(?P<env>\\w+)-.*$/', '${env}/$1 $$'), 'dev/aks $');
    // Go: $1x names a group "1x" (none: empty), not $1 then x.
    assert.equal(tf('replace', 'ab', '/(a)/', '$1x'), 'b');
    // Go skips an empty match right after a match (JavaScript's replace would give -b--c-).
    assert.equal(tf('replace', 'baaac', '/a*/', '-'), '-b-c-');
    // Go's . stops only at \n; \s is ASCII.
    assert.equal(tf('replace', 'a\rb', '/a.b/', 'x'), 'x');
    assert.equal(tf('replace', 'a\u00a0b', '/\\s/', '_'), 'a\u00a0b');
    assert.equal(tf('replace', '10.0.0.0/16', '/\\./', '-'), '10-0-0-0/16');
    assert.equal(tf('replace', 'A-b', '/(?i)a\\-B/', 'x'), 'x');
    assert.equal(tf('replace', 'abc', '', '-'), '-a-b-c-');
    // A lone "/" is a plain substring.
    assert.equal(tf('replace', 'a/b', '/', '_'), 'a_b');
    refused('replace', ['abc', '/(?=b)/', 'x'], /lookaround is not RE2/);
    refused('replace', ['abc', '/(a)\\1/', 'x'], /backreference/);
    refused('replace', ['abc', '/(/', 'x'], /invalid regular expression/);
  });

  it('split and join (split.mdx, join.mdx)', () => {
    assert.deepEqual(tf('split', ',', 'foo,bar,baz'), ['foo', 'bar', 'baz']);
    assert.deepEqual(tf('split', ',', 'foo'), ['foo']);
    assert.deepEqual(tf('split', ',', ''), ['']);
    assert.equal(tf('join', '-', ['foo', 'bar', 'baz']), 'foo-bar-baz');
    assert.equal(tf('join', ', ', ['foo', 'bar', 'baz']), 'foo, bar, baz');
    assert.equal(tf('join', ', ', ['foo']), 'foo');
    assert.equal(tf('join', '.', ['10', 0], [0, '0']), '10.0.0.0');
    refused('join', [',', ['a', null]], /element 1 is null/);
    refused('join', [','], /takes at least 2 arguments/);
  });

  it('lower, upper, trimspace, trimprefix, trimsuffix, startswith, endswith', () => {
    assert.equal(tf('upper', 'hello'), 'HELLO');
    assert.equal(tf('upper', 'алло!'), 'АЛЛО!');
    assert.equal(tf('lower', 'HELLO'), 'hello');
    assert.equal(tf('lower', 'АЛЛО!'), 'алло!');
    // Go maps each character to one: ß stays ß.
    assert.equal(tf('upper', 'straße'), 'STRAßE');
    assert.equal(tf('trimspace', '  hello\n\n'), 'hello');
    assert.equal(tf('trimspace', '\u0085x\ufeff'), 'x\ufeff');
    assert.equal(tf('trimprefix', 'helloworld', 'hello'), 'world');
    assert.equal(tf('trimprefix', 'helloworld', 'cat'), 'helloworld');
    assert.equal(tf('trimsuffix', 'helloworld', 'world'), 'hello');
    assert.equal(tf('trimsuffix', 'helloworld', ''), 'helloworld');
    assert.equal(tf('startswith', 'hello world', 'hello'), true);
    assert.equal(tf('startswith', 'hello world', 'world'), false);
    assert.equal(tf('endswith', 'hello world', 'world'), true);
    assert.equal(tf('endswith', 'hello world', 'hello'), false);
    assert.equal(tf('upper', 12), '12');
    refused('upper', [['a']], /must be a string, not a list/);
  });

  it('substr counts characters; a negative offset counts from the end (substr.mdx)', () => {
    assert.equal(tf('substr', 'hello world', 1, 4), 'ello');
    assert.equal(tf('substr', '🤔🤷', 0, 1), '🤔');
    assert.equal(tf('substr', 'hello world', -5, -1), 'world');
    assert.equal(tf('substr', 'hello', 10, 2), '');
    assert.equal(tf('substr', 'hello', -10, 2), 'he');
  });
});

describe('sources and unknowns', () => {
  it('a computed result points at the call', () => {
    for (const [name, args] of [
      ['cidrsubnet', ['10.0.0.0/16', 8, 1]],
      ['cidrhost', ['10.0.0.0/24', 4]],
      ['cidrnetmask', ['10.0.0.0/24']],
      ['format', ['%s/%d', '10.0.0.0', 16]],
      ['replace', ['a', 'a', 'b']],
      ['length', [[1]]],
    ] as const) {
      assert.deepEqual(call(name, ...args).source, CALL, name);
    }
    const list = call('cidrsubnets', '10.0.0.0/16', 8, 8);
    assert.ok(itemsOf(list).every((item) => item.source === CALL));
  });

  it('an unknown argument the result depends on is the result, reason and source kept', () => {
    const cidr = unset('vnet_cidr');
    for (const [name, args] of [
      ['cidrsubnet', [cidr, 4, 1]],
      ['cidrsubnet', ['10.0.0.0/16', cidr, 1]],
      ['cidrsubnets', [cidr, 4, 4]],
      ['cidrhost', [cidr, 4]],
      ['cidrnetmask', [cidr]],
      ['format', ['%s', cidr]],
      ['format', ['%v', [cidr]]],
      ['jsonencode', [{ a: [cidr] }]],
      ['join', [',', ['a', cidr]]],
      ['concat', [['a'], cidr]],
      ['lookup', [cidr, 'a']],
      ['lookup', [{ a: 'x' }, cidr]],
      ['lookup', [{ a: cidr }, 'a']],
      ['lookup', [{ a: 'x' }, 'b', cidr]],
      ['element', [cidr, 0]],
      ['coalesce', [null, cidr, 'x']],
      ['coalescelist', [cidr, ['x']]],
      ['compact', [['a', cidr]]],
      ['toset', [['a', cidr]]],
      ['contains', [['a', cidr], 'b']],
      ['length', [cidr]],
      ['upper', [cidr]],
      ['tostring', [cidr]],
      ['merge', [{ a: 1 }, cidr]],
      ['flatten', [['a', cidr]]],
    ] as const) {
      assert.equal(call(name, ...args), cidr, `${name}(${JSON.stringify(args.map((a) => plain(lit(a))))})`);
    }
  });

  it('an unknown the result does not depend on is ignored', () => {
    const missing = unset('unused');
    assert.equal(tf('coalesce', 'x', missing), 'x');
    assert.deepEqual(tf('coalescelist', ['x'], missing), ['x']);
    assert.equal(tf('lookup', { a: 'x', b: missing }, 'a'), 'x');
    assert.equal(tf('lookup', { a: 'x' }, 'a', missing), 'x');
    assert.equal(tf('element', ['x', missing], 0), 'x');
    assert.equal(tf('length', ['x', missing]), 2);
    assert.equal(tf('contains', ['a', missing], 'a'), true);
    assert.equal(tf('contains', [], missing), false);
    assert.deepEqual(tf('keys', { a: missing }), ['a']);
    assert.deepEqual(plain(call('concat', ['x'], [missing])), ['x', { [UNKNOWN]: 'variable "unused" has no value' }]);
  });

  it("a resource's id passes through where its text is not needed, and is unknown where it is", () => {
    const id: ArmValue = { kind: 'resourceId', path: [{ type: 'virtualNetworks', name: 'vnet' }, { type: 'subnets', name: 'aks' }], source: place() };
    assert.equal(call('coalesce', '', id), id);
    assert.equal(call('element', [id], 0), id);
    assert.equal(call('tostring', id), id);
    assert.deepEqual(plain(call('compact', [id, ''])), [{ resourceId: true }]);
    assert.match(unknownReason('replace', id, '/subnets/', '/x/'), /^replace\(\): the text of a resource id is known after apply/);
    assert.match(unknownReason('jsonencode', [id]), /^jsonencode\(\): the resource id is known after apply/);
    const sameId: ArmValue = { ...id, source: place() };
    assert.equal((tf('toset', [id, sameId]) as unknown[]).length, 1);
  });

  it('never throws, and any unknown it makes names the function, whatever the arguments (property)', () => {
    const source = fc.record({ uri: fc.constant(URI), start: fc.nat(100), end: fc.nat(100) });
    const instance: ResourceInstance = {
      serial: 1,
      type: 'Microsoft.Network/virtualNetworks',
      name: { kind: 'string', value: 'vnet', source: CALL },
      parent: undefined,
      existing: false,
      body: undefined,
      source: CALL,
    };
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('10.0.0.0/16', '010.1.0.0/8', 'fd00::/64', '::ffff:10.0.0.0/104', '0.0.0.0/0', '::/0', '255.255.255.255/32', '%s %d %v %', '/a*/', '/(/', '$1', '{"a":[1,2.5]}', '1e3', 'true'),
    );
    const { value } = fc.letrec<{ value: ArmValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ kind: fc.constant('string' as const), value: text, source }),
        fc.record({ kind: fc.constant('int' as const), value: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60)), source }),
        fc.record({ kind: fc.constant('bool' as const), value: fc.boolean(), source }),
        fc.record({ kind: fc.constant('null' as const), source }),
        fc.record({ kind: fc.constant('unknown' as const), reason: fc.constant('variable "x" has no value'), source }),
        fc.record({ kind: fc.constant('resourceId' as const), path: fc.array(fc.record({ type: fc.constant('subnets'), name: fc.option(fc.string(), { nil: undefined }) }), { maxLength: 2 }), source }),
        fc.record({ kind: fc.constant('resource' as const), instance: fc.constant(instance), source }),
        fc.record({ kind: fc.constant('lambda' as const), parameters: fc.constant(['x']), body: fc.constant(null), scope: fc.constant({ locals: new Map() }), source }),
        fc.record({ kind: fc.constant('array' as const), items: fc.array(tie('value'), { maxLength: 4 }), source }),
        fc.record({
          kind: fc.constant('object' as const),
          properties: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'aks', '__proto__', ''), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
          source,
        }),
      ),
    }));
    const names = [...TERRAFORM_FUNCTIONS.keys()];
    const kinds = new Set(['string', 'int', 'bool', 'null', 'array', 'object', 'resourceId', 'resource', 'lambda', 'unknown']);

    /** Every unknown inside the arguments, by identity. */
    const unknownsIn = (values: readonly ArmValue[], found = new Set<ArmValue>()): Set<ArmValue> => {
      for (const v of values) {
        if (v.kind === 'unknown') found.add(v);
        if (v.kind === 'array') unknownsIn(v.items, found);
        if (v.kind === 'object') unknownsIn([...v.properties.values()], found);
      }
      return found;
    };

    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(value, { maxLength: 5 }), (name, args) => {
        const result = TERRAFORM_FUNCTIONS.get(name)!(args, CALL);
        assert.ok(result && kinds.has(result.kind), `${name} returned ${String(result?.kind)}`);
        if (result.kind === 'unknown') {
          assert.equal(typeof result.reason, 'string');
          assert.ok(unknownsIn(args).has(result) || result.reason.startsWith(`${name}(): `), `${name}: ${result.reason}`);
        }
      }),
      { seed: 20261207, numRuns: 3000 },
    );
  });
});

describe('regex and regexall (regex.mdx, regexall.mdx)', () => {
  it('gives the match, a list of unnamed groups or an object of named ones', () => {
    assert.equal(tf('regex', '[a-z]+', '53453453.345345aaabbbccc23454'), 'aaabbbccc');
    assert.deepEqual(tf('regex', '(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)', '2019-02-01'), ['2019', '02', '01']);
    assert.deepEqual(tf('regex', '^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?', 'https://terraform.io/docs/'), {
      scheme: 'https',
      authority: 'terraform.io',
    });
  });

  it('fails when nothing matches, so try() and can() see an error', () => {
    refused('regex', ['[a-z]+', '12345'], /does not match/);
  });

  it('regexall lists every match, none when nothing matches', () => {
    assert.deepEqual(tf('regexall', '[a-z]+', '1234abcd5678efgh9'), ['abcd', 'efgh']);
    assert.deepEqual(tf('regexall', '[a-z]+', '123'), []);
    assert.equal((tf('regexall', '^networkProfile$|^agentPoolProfiles$', 'networkProfile') as unknown[]).length, 1);
  });
});
