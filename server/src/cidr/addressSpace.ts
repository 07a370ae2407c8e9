// Operations on sets of CIDR blocks: merging, free gaps inside a parent, aligned allocation.
import { type Cidr, compareCidrs, containsCidr, lastAddress, overlaps, totalAddresses, addressBits } from './cidr';

interface Interval {
  start: bigint;
  end: bigint; // inclusive
}

function toInterval(block: Cidr): Interval {
  return { start: block.network, end: lastAddress(block).value };
}

/**
 * Every pair of overlapping blocks as indexes [i, j] with j < i, ordered by i then j: what comparing each block
 * with every earlier one finds, in O(n log n + pairs). Two CIDR blocks either nest or are disjoint, so after
 * sorting, the blocks that overlap one are exactly those still open around it (a stack of nested blocks).
 */
export function overlappingPairs(blocks: readonly Cidr[]): [number, number][] {
  const order = blocks.map((_, i) => i).sort((a, b) => compareCidrs(blocks[a]!, blocks[b]!));
  const pairs: [number, number][] = [];
  const open: { index: number; family: Cidr['family']; last: bigint }[] = [];
  for (const index of order) {
    const block = blocks[index]!;
    while (open.length > 0 && (open[open.length - 1]!.family !== block.family || open[open.length - 1]!.last < block.network)) open.pop();
    for (const outer of open) pairs.push(outer.index < index ? [index, outer.index] : [outer.index, index]);
    open.push({ index, family: block.family, last: lastAddress(block).value });
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Sorted copy of the blocks. */
export function sortCidrs(blocks: readonly Cidr[]): Cidr[] {
  return [...blocks].sort(compareCidrs);
}

/** Merges intervals of one family into disjoint, sorted, non-adjacent intervals. */
function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end + 1n) {
      if (next.end > last.end) last.end = next.end;
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}

/** Splits an interval into the fewest aligned CIDR blocks that cover it exactly. */
function intervalToCidrs(family: Cidr['family'], interval: Interval): Cidr[] {
  const bits = addressBits(family);
  const blocks: Cidr[] = [];
  let start = interval.start;
  while (start <= interval.end) {
    let size = 1n;
    let hostBits = 0;
    // Grow while the block stays aligned at `start` and inside the interval.
    while (hostBits < bits && start % (size * 2n) === 0n && start + size * 2n - 1n <= interval.end) {
      size *= 2n;
      hostBits++;
    }
    blocks.push({ family, network: start, prefix: bits - hostBits });
    start += size;
  }
  return blocks;
}

/** The smallest list of CIDR blocks that covers exactly the same addresses (per family). */
export function mergeCidrs(blocks: readonly Cidr[]): Cidr[] {
  const result: Cidr[] = [];
  for (const family of [4, 6] as const) {
    const intervals = blocks.filter((b) => b.family === family).map(toInterval);
    for (const interval of mergeIntervals(intervals)) result.push(...intervalToCidrs(family, interval));
  }
  return result;
}

/** The free space inside `parent` that none of `used` covers, as aligned CIDR blocks in address order. */
export function freeGaps(parent: Cidr, used: readonly Cidr[]): Cidr[] {
  const taken = mergeIntervals(used.filter((b) => overlaps(parent, b)).map(toInterval));
  const gaps: Cidr[] = [];
  const whole = toInterval(parent);
  let cursor = whole.start;
  for (const interval of taken) {
    if (interval.start > cursor) gaps.push(...intervalToCidrs(parent.family, { start: cursor, end: interval.start - 1n }));
    if (interval.end + 1n > cursor) cursor = interval.end + 1n;
  }
  if (cursor <= whole.end) gaps.push(...intervalToCidrs(parent.family, { start: cursor, end: whole.end }));
  return gaps;
}

/**
 * Allocates an aligned block of the given prefix inside `parent` that overlaps none of `used`.
 * Picks the lowest address inside the smallest free gap that fits (best fit), so large gaps stay whole.
 */
export function allocate(parent: Cidr, prefix: number, used: readonly Cidr[]): Cidr | undefined {
  if (prefix < parent.prefix || prefix > addressBits(parent.family)) return undefined;
  const candidates = freeGaps(parent, used).filter((gap) => gap.prefix <= prefix);
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((a, b) => (totalAddresses(b) < totalAddresses(a) ? b : a));
  const block: Cidr = { family: parent.family, network: best.network, prefix };
  return containsCidr(parent, block) ? block : undefined;
}
