// Layout arithmetic for the network map, without the DOM: address intervals cut into rows whose heights
// are proportional to their size on top of a minimum, lanes for overlapping blocks, address text.

/** A half-open address interval [start, end). */
export interface Span {
  readonly start: bigint;
  readonly end: bigint;
}

/** One row of a range's column: the addresses between two cuts, placed at y with height h. */
export interface Row extends Span {
  readonly y: number;
  readonly h: number;
}

/** The interval of a data item (inclusive decimal strings) as a half-open bigint span. */
export function spanOf(item: { readonly start: string; readonly end: string }): Span {
  return { start: BigInt(item.start), end: BigInt(item.end) + 1n };
}

/** The part of `span` inside `within`, or undefined when they do not meet. */
export function clip(span: Span, within: Span): Span | undefined {
  const start = span.start > within.start ? span.start : within.start;
  const end = span.end < within.end ? span.end : within.end;
  return start < end ? { start, end } : undefined;
}

/**
 * Cuts `whole` at every boundary of `spans` into rows. Each row gets `minHeight` plus its share of
 * `extraHeight` in proportion to its size: a /29 stays visible beside a /8, and larger rows stay larger.
 */
export function rowsOf(whole: Span, spans: readonly Span[], y0: number, minHeight: number, extraHeight: number): Row[] {
  const cuts = new Set<bigint>([whole.start, whole.end]);
  for (const span of spans) {
    const part = clip(span, whole);
    if (!part) continue;
    cuts.add(part.start);
    cuts.add(part.end);
  }
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const total = whole.end - whole.start;
  const rows: Row[] = [];
  let y = y0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    const share = total > 0n ? Number(((end - start) * 1_000_000n) / total) / 1_000_000 : 0;
    const h = Math.round(minHeight + extraHeight * share);
    rows.push({ start, end, y, h });
    y += h;
  }
  return rows;
}

/** The vertical extent of `span` over the rows (it must start and end on row boundaries after clipping). */
export function extentOf(rows: readonly Row[], span: Span): { y: number; h: number } | undefined {
  const covered = rows.filter((row) => row.start >= span.start && row.end <= span.end);
  if (covered.length === 0) return undefined;
  const first = covered[0]!;
  const last = covered[covered.length - 1]!;
  return { y: first.y, h: last.y + last.h - first.y };
}

/** Lanes for spans so that no two overlapping spans share one: greedy in start order. Returns a lane per span. */
export function assignLanes(spans: readonly Span[]): number[] {
  const order = spans.map((span, index) => ({ span, index })).sort((a, b) => (a.span.start < b.span.start ? -1 : a.span.start > b.span.start ? 1 : b.span.end > a.span.end ? 1 : -1));
  const laneEnds: bigint[] = [];
  const lanes = new Array<number>(spans.length).fill(0);
  for (const { span, index } of order) {
    let lane = laneEnds.findIndex((end) => end <= span.start);
    if (lane < 0) lane = laneEnds.push(span.end) - 1;
    else laneEnds[lane] = span.end;
    lanes[index] = lane;
  }
  return lanes;
}

export { formatAddress, formatCount } from '../../server/src/cidr/format';

/** required / usable as a percentage, "<1%" for small non-zero shares. */
export function utilisation(required: number, usable: bigint): { ratio: number; label: string } {
  if (usable <= 0n) return { ratio: required > 0 ? Infinity : 0, label: required > 0 ? 'no usable addresses' : '0%' };
  const ratio = required / Number(usable);
  const percent = ratio * 100;
  return { ratio, label: percent > 0 && percent < 1 ? '<1%' : `${Math.round(percent)}%` };
}
