// overlappingPairs (cidr/addressSpace.ts) finds the pairs that comparing every block with every earlier one finds,
// in the same order, without comparing every pair (the subnet-overlap rule on a VNet of thousands of subnets).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { overlappingPairs } from '../../server/src/cidr/addressSpace.ts';
import { type Cidr, cidr, overlaps } from '../../server/src/cidr/cidr.ts';

function everyPair(blocks: readonly Cidr[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < blocks.length; i++) for (let j = 0; j < i; j++) if (overlaps(blocks[i]!, blocks[j]!)) pairs.push([i, j]);
  return pairs;
}

describe('overlappingPairs', () => {
  it('pairs nested, equal and IPv4/IPv6 blocks, later index first, in index order', () => {
    const blocks = ['10.0.0.0/16', '10.1.0.0/24', '10.0.1.0/24', '::/0', '10.0.0.0/8', '10.0.1.0/24', 'fd00::/64'].map(cidr);
    assert.deepEqual(overlappingPairs(blocks), [
      [2, 0],
      [4, 0],
      [4, 1],
      [4, 2],
      [5, 0],
      [5, 2],
      [5, 4],
      [6, 3],
    ]);
    assert.deepEqual(overlappingPairs(blocks), everyPair(blocks));
    assert.deepEqual(overlappingPairs([]), []);
    // Single addresses: a block whose last address is the next one's first.
    assert.deepEqual(overlappingPairs(['10.9.9.9/32', '10.9.9.8/31', '10.9.9.9/32', '::1/128', '::1/128'].map(cidr)), [
      [1, 0],
      [2, 0],
      [2, 1],
      [4, 3],
    ]);
  });

  it('finds exactly what comparing every pair finds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 20 })), { maxLength: 40 }),
        (specs) => {
          // Small spaces, so that blocks often nest or repeat: 10.0.0.0/12 and fd00::/108, prefixes /12 to /32 (/108 to /128).
          const blocks = specs.map(([v6, offset, extra]): Cidr => {
            const bits = v6 ? 128 : 32;
            const prefix = bits - 20 + extra;
            const base = v6 ? cidr('fd00::/116').network : cidr('10.0.0.0/12').network;
            const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
            return { family: v6 ? 6 : 4, network: (base + (BigInt(offset) << 12n)) & mask, prefix };
          });
          assert.deepEqual(overlappingPairs(blocks), everyPair(blocks));
        },
      ),
      { seed: 20261125, numRuns: 500 },
    );
  });
});
