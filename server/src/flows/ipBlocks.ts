// Address intervals for ipBlocks: a CIDR minus its except blocks, and the split of the IPv4 space into the
// pieces that every ipBlock boundary cuts it into (the External peers of the flow list).
import { type Cidr, firstAddress, formatIp, type IpFamily, lastAddress } from '../cidr/cidr';

/** An inclusive interval of addresses of one family. */
export interface IpInterval {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

/** The whole IPv4 space, 0.0.0.0-255.255.255.255. */
export const IPV4_SPACE: IpInterval = { family: 4, start: 0n, end: (1n << 32n) - 1n };

export function cidrInterval(block: Cidr): IpInterval {
  return { family: block.family, start: firstAddress(block).value, end: lastAddress(block).value };
}

/** Sorts intervals and joins overlapping or adjacent ones (per family). */
export function mergeIntervals(intervals: readonly IpInterval[]): IpInterval[] {
  const sorted = [...intervals].sort((a, b) => a.family - b.family || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: IpInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === interval.family && interval.start <= last.end + 1n) {
      if (interval.end > last.end) merged[merged.length - 1] = { ...last, end: interval.end };
    } else {
      merged.push(interval);
    }
  }
  return merged;
}

/** The addresses of `block` that are in none of `except`. */
export function ipBlockIntervals(block: Cidr, except: readonly Cidr[]): IpInterval[] {
  let pieces: IpInterval[] = [cidrInterval(block)];
  for (const hole of except.filter((e) => e.family === block.family).map(cidrInterval)) {
    pieces = pieces.flatMap((piece): IpInterval[] => {
      if (hole.end < piece.start || hole.start > piece.end) return [piece];
      const kept: IpInterval[] = [];
      if (hole.start > piece.start) kept.push({ ...piece, end: hole.start - 1n });
      if (hole.end < piece.end) kept.push({ ...piece, start: hole.end + 1n });
      return kept;
    });
  }
  return pieces;
}

/** True when some address is in both lists. */
export function intervalsOverlap(a: readonly IpInterval[], b: readonly IpInterval[]): boolean {
  return a.some((x) => b.some((y) => x.family === y.family && x.start <= y.end && y.start <= x.end));
}

/** True when every address of `inner` is in one of the (merged) `outer` intervals. */
export function intervalCovered(inner: IpInterval, outer: readonly IpInterval[]): boolean {
  return outer.some((o) => o.family === inner.family && o.start <= inner.start && inner.end <= o.end);
}

/**
 * The IPv4 space cut at every boundary of the given intervals: each piece is either wholly inside or wholly
 * outside each interval. Without intervals, the whole space is one piece.
 */
export function splitIpv4Space(intervals: readonly IpInterval[]): IpInterval[] {
  const cuts = new Set<bigint>([IPV4_SPACE.start, IPV4_SPACE.end + 1n]);
  for (const interval of intervals) {
    if (interval.family !== 4) continue;
    cuts.add(interval.start);
    cuts.add(interval.end + 1n);
  }
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pieces: IpInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) pieces.push({ family: 4, start: sorted[i]!, end: sorted[i + 1]! - 1n });
  return pieces;
}

/** `10.0.0.0-10.255.255.255`. */
export function formatInterval(interval: IpInterval): string {
  return `${formatIp({ family: interval.family, value: interval.start })}-${formatIp({ family: interval.family, value: interval.end })}`;
}

/** Indexes of the pieces (sorted, disjoint, cut at every boundary) that lie inside the intervals. */
export function piecesWithin(pieces: readonly IpInterval[], intervals: readonly IpInterval[]): number[] {
  const indexes: number[] = [];
  for (const interval of intervals) {
    if (interval.family !== 4) continue;
    let low = 0;
    let high = pieces.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (pieces[middle]!.start < interval.start) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < pieces.length && pieces[i]!.end <= interval.end; i++) indexes.push(i);
  }
  return indexes;
}
