// The free list kept between allocations chooses exactly what the stateless allocate chooses when every earlier
// allocation is added to the ranges in use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocate } from '../../server/src/cidr/addressSpace.ts';
import { type Cidr, cidr, formatCidr } from '../../server/src/cidr/cidr.ts';
import { FreeList } from '../../server/src/cidr/freeList.ts';

/** Allocates the prefixes one after another both ways and checks every choice is the same. */
function sameAsAllocate(parent: Cidr, used: Cidr[], prefixes: number[]): (string | undefined)[] {
  const list = new FreeList(parent, used);
  const growing = [...used];
  return prefixes.map((prefix) => {
    const expected = allocate(parent, prefix, growing);
    const actual = list.allocate(prefix);
    assert.deepStrictEqual(actual, expected, `/${prefix} after ${growing.map(formatCidr).join(', ')}`);
    if (expected) growing.push(expected);
    return expected && formatCidr(expected);
  });
}

describe('free list', () => {
  it('allocates best fit, lowest address first, as allocate does', () => {
    const used = [cidr('10.0.0.0/24'), cidr('10.0.2.0/23')];
    assert.deepEqual(sameAsAllocate(cidr('10.0.0.0/16'), used, [24, 22, 24, 25, 16, 20]), [
      '10.0.1.0/24',
      '10.0.4.0/22',
      '10.0.8.0/24',
      '10.0.9.0/25',
      undefined,
      '10.0.16.0/20',
    ]);
    assert.deepEqual(sameAsAllocate(cidr('fd00::/48'), [cidr('fd00::/64')], [64, 56, 64]), ['fd00:0:0:1::/64', 'fd00:0:0:100::/56', 'fd00:0:0:2::/64']);
  });

  it('runs out of room and refuses prefixes outside the parent', () => {
    assert.deepEqual(sameAsAllocate(cidr('10.0.0.0/30'), [], [31, 31, 31, 16, 33]), ['10.0.0.0/31', '10.0.0.2/31', undefined, undefined, undefined]);
  });

  it('matches allocate for any parent, ranges in use and allocation sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 26 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 12, max: 32 })), { maxLength: 12 }),
        fc.array(fc.integer({ min: 14, max: 32 }), { maxLength: 40 }),
        (parentPrefix, used, prefixes) => {
          const parent = cidr(`10.20.0.0/${parentPrefix}`);
          const ranges = used.map(([offset, prefix]) => {
            const network = parent.network + BigInt(offset) * 4n;
            const mask = ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefix)) - 1n);
            return { family: 4 as const, network: network & mask, prefix };
          });
          sameAsAllocate(parent, ranges, prefixes);
        },
      ),
      { seed: 20261125, numRuns: 500 },
    );
  });
});
