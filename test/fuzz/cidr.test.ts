// Fuzzing the CIDR engine (server/src/cidr): parsing never throws and round-trips, the interval predicates
// agree with plain bigint arithmetic, and merge, free gaps and allocation keep exactly the addresses they should.
// Their work is bounded by counts: each produces at most 2 x (address bits) aligned blocks per interval it covers
// (and does a bounded amount of work per block), and a parse's message echoes the input at most once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate, freeGaps, mergeCidrs, sortCidrs } from '../../server/src/cidr/addressSpace.ts';
import {
  addressBits,
  azureUsableAddresses,
  type Cidr,
  containsCidr,
  containsIp,
  formatCidr,
  formatIp,
  lastAddress,
  overlaps,
  parseCidr,
  parseIp,
  sameCidr,
  totalAddresses,
} from '../../server/src/cidr/cidr.ts';
import { formatAddress, formatCount } from '../../server/src/cidr/format.ts';
import { addressText, runProperty } from './fuzzSupport.ts';

/** A CIDR of either family; IPv4 often inside 10.0.0.0/8 so that blocks meet. */
const family = fc.constantFrom(4 as const, 6 as const);
function cidrOf(fam: 4 | 6): fc.Arbitrary<Cidr> {
  const bits = addressBits(fam);
  return fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }), fc.integer({ min: 0, max: bits }), fc.boolean())
    .map(([value, prefix, near]) => {
      const base = near && fam === 4 ? (10n << 24n) | (value & 0xffffn) << 8n : value;
      const size = 1n << BigInt(bits - prefix);
      return { family: fam, network: base - (base % size), prefix };
    });
}
const anyCidr = family.chain(cidrOf);
/** A parent and blocks of its family, some inside it. */
const parentAndUsed = family.chain((fam) =>
  fc.tuple(cidrOf(fam), fc.array(fc.oneof(cidrOf(fam), cidrOf(fam === 4 ? 6 : 4)), { maxLength: 12 })).map(([parent, used]) => {
    // Pull most blocks into the parent so that gaps are interesting.
    const inside = used.map((block, i) => {
      if (block.family !== parent.family || i % 3 === 2 || block.prefix < parent.prefix) return block;
      const size = totalAddresses(block);
      const offset = (block.network % totalAddresses(parent)) - ((block.network % totalAddresses(parent)) % size);
      return { ...block, network: parent.network + offset };
    });
    return { parent, used: inside };
  }),
);

/** Address intervals of blocks of one family, merged: the reference model. */
function intervals(blocks: readonly Cidr[], fam: 4 | 6): [bigint, bigint][] {
  const sorted = blocks
    .filter((b) => b.family === fam)
    .map((b): [bigint, bigint] => [b.network, lastAddress(b).value])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1] + 1n) last[1] = e > last[1] ? e : last[1];
    else merged.push([s, e]);
  }
  return merged;
}

/**
 * The most aligned blocks that a set of `intervals` address intervals splits into: an interval is covered by at most
 * two blocks of each size (growing up to the largest aligned block, then shrinking), so 2 x bits each.
 */
function blockBound(intervals: number, fam: 4 | 6): number {
  return 2 * addressBits(fam) * intervals;
}

function aligned(block: Cidr): boolean {
  return block.prefix >= 0 && block.prefix <= addressBits(block.family) && block.network % totalAddresses(block) === 0n;
}

describe('fuzz: CIDR engine', () => {
  it('parses any text without throwing; a parse that succeeds round-trips through formatting', async (t) => {
    const text = fc.oneof(addressText, fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ unit: 'grapheme-ascii', maxLength: 50 }),
      fc.tuple(addressText, fc.constantFrom(' ', '\t', '\n', '/', '//', '%', '\uFEFF', '')).map(([a, b]) => `${b}${a}${b}`));
    await runProperty(t, 120, fc.property(text, (raw) => {
      const cidr = parseCidr(raw);
      const ip = parseIp(raw);
      // What a parse produces is linear in its input: an error quotes the text at most once, besides its fixed words.
      if (!cidr.ok) assert.ok(cidr.error.length <= 2 * raw.length + 200, `a ${cidr.error.length}-character error for ${raw.length} characters`);
      if (!ip.ok) assert.ok(ip.error.length <= 2 * raw.length + 200, `a ${ip.error.length}-character error for ${raw.length} characters`);
      if (cidr.ok) {
        assert.ok(aligned(cidr.cidr), `not aligned: ${raw}`);
        const again = parseCidr(formatCidr(cidr.cidr));
        assert.ok(again.ok && sameCidr(again.cidr, cidr.cidr) && !again.hostBitsSet, `round trip of ${raw}`);
        const written = parseIp(raw.trim().split('/')[0]!);
        assert.ok(written.ok, `a CIDR whose address does not parse: ${raw}`);
        assert.equal(cidr.hostBitsSet, written.ip.value !== cidr.cidr.network, `host bits of ${raw}`);
      } else {
        assert.equal(typeof cidr.error, 'string');
        assert.ok(cidr.error.length > 0);
      }
      if (ip.ok) {
        const again = parseIp(formatIp(ip.ip));
        assert.ok(again.ok && again.ip.value === ip.ip.value && again.ip.family === ip.ip.family, `round trip of ${raw}`);
        assert.ok(ip.ip.value >= 0n && ip.ip.value < 1n << BigInt(addressBits(ip.ip.family)));
      }
    }));
  });

  it('parses every address it formats, of both families', async (t) => {
    await runProperty(t, 60, fc.property(anyCidr, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (block, raw) => {
      const value = block.family === 4 ? raw & 0xffffffffn : raw;
      const text = formatAddress(value, block.family);
      const ip = parseIp(text);
      assert.ok(ip.ok && ip.ip.value === value, `${text} does not parse back to ${value}`);
      const parsed = parseCidr(formatCidr(block));
      assert.ok(parsed.ok && sameCidr(parsed.cidr, block), formatCidr(block));
      assert.match(formatCount(totalAddresses(block)), /^\d{1,3}(,\d{3})*$/);
      assert.ok(azureUsableAddresses(block) >= 0n);
    }));
  });

  it('containment and overlap agree with interval arithmetic', async (t) => {
    const pair = family.chain((fam) => fc.tuple(cidrOf(fam), fc.oneof(cidrOf(fam), cidrOf(fam === 4 ? 6 : 4))));
    await runProperty(t, 60, fc.property(pair, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), ([a, b], raw) => {
      const [as, ae, bs, be] = [a.network, lastAddress(a).value, b.network, lastAddress(b).value];
      const same = a.family === b.family;
      assert.equal(overlaps(a, b), same && as <= be && bs <= ae);
      assert.equal(overlaps(a, b), overlaps(b, a));
      assert.equal(containsCidr(a, b), same && as <= bs && be <= ae);
      if (containsCidr(a, b) && containsCidr(b, a)) assert.ok(sameCidr(a, b));
      const ip = { family: a.family, value: a.family === 4 ? raw & 0xffffffffn : raw };
      assert.equal(containsIp(a, ip), ip.value >= as && ip.value <= ae);
    }));
  });

  it('merging keeps exactly the same addresses in the fewest aligned, disjoint, sorted blocks', async (t) => {
    await runProperty(t, 60, fc.property(fc.array(anyCidr, { maxLength: 16 }), (blocks) => {
      const merged = mergeCidrs(blocks);
      for (const fam of [4, 6] as const) {
        const covered = intervals(blocks, fam);
        assert.deepEqual(intervals(merged, fam), covered);
        const count = merged.filter((b) => b.family === fam).length;
        assert.ok(count <= blockBound(covered.length, fam), `${count} IPv${fam} blocks for ${covered.length} intervals`);
      }
      for (const block of merged) assert.ok(aligned(block));
      for (let i = 1; i < merged.length; i++) assert.ok(!overlaps(merged[i - 1]!, merged[i]!));
      assert.deepEqual(sortCidrs(merged), merged);
    }));
  });

  it('free gaps are inside the parent, miss every used block, and with them cover the parent exactly', async (t) => {
    await runProperty(t, 60, fc.property(parentAndUsed, ({ parent, used }) => {
      const gaps = freeGaps(parent, used);
      // The gaps are the parent less the merged used intervals: at most one more interval than those.
      const taken = intervals(used.filter((b) => overlaps(b, parent)), parent.family).length;
      assert.ok(gaps.length <= blockBound(taken + 1, parent.family), `${gaps.length} gaps around ${taken} used intervals`);
      for (const gap of gaps) {
        assert.ok(aligned(gap) && containsCidr(parent, gap), `${formatCidr(gap)} outside ${formatCidr(parent)}`);
        for (const block of used) assert.ok(!overlaps(gap, block), `${formatCidr(gap)} overlaps used ${formatCidr(block)}`);
      }
      const inParent = used.filter((b) => overlaps(b, parent));
      const clipped = intervals(inParent, parent.family).map(([s, e]): [bigint, bigint] => [s < parent.network ? parent.network : s, e > lastAddress(parent).value ? lastAddress(parent).value : e]);
      const covered = intervals([...gaps], parent.family);
      const all = [...clipped, ...covered].sort((x, y) => (x[0] < y[0] ? -1 : 1));
      const union: [bigint, bigint][] = [];
      for (const [s, e] of all) {
        const last = union[union.length - 1];
        if (last && s <= last[1] + 1n) last[1] = e > last[1] ? e : last[1];
        else union.push([s, e]);
      }
      assert.deepEqual(union, [[parent.network, lastAddress(parent).value]]);
    }));
  });

  it('allocates an aligned free block inside the parent whenever a free gap can hold one', async (t) => {
    await runProperty(t, 60, fc.property(parentAndUsed, fc.integer({ min: -2, max: 130 }), ({ parent, used }, wanted) => {
      // allocate's work is freeGaps' (bounded above) and one pass over the gaps.
      const block = allocate(parent, wanted, used);
      const fits = wanted >= parent.prefix && wanted <= addressBits(parent.family) && freeGaps(parent, used).some((gap) => gap.prefix <= wanted);
      if (!block) {
        assert.ok(!fits, `no /${wanted} allocated in ${formatCidr(parent)} though a gap holds one`);
        return;
      }
      assert.equal(block.prefix, wanted);
      assert.ok(aligned(block) && containsCidr(parent, block));
      for (const other of used) assert.ok(!overlaps(block, other), `${formatCidr(block)} overlaps used ${formatCidr(other)}`);
    }));
  });
});
