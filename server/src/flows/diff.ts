// The connectivity diff between two versions of a set of manifests, as netpol-analyzer's `diff` command reports it:
// per source and destination (named as the connection list names them), the connections that were added, removed
// or changed from the first version (ref1) to the second (ref2), in its txt, csv and md formats.
//
// External peers are address intervals that each version splits at its own ipBlock bounds, so they are compared
// address by address: per workload and direction, the intervals of both versions are cut at every bound of either,
// and neighbouring pieces with the same connections in both versions are joined again before reporting.
import { parseIp } from '../cidr/cidr';
import { INGRESS_CONTROLLER, type Flow } from './engine';
import { formatInterval, type IpInterval } from './ipBlocks';

/** One version's connection list and its workloads (those without any connection too). */
export interface FlowsVersion {
  readonly flows: readonly Flow[];
  readonly workloads: readonly string[];
}

export type DiffType = 'changed' | 'added' | 'removed';

/** One source and destination whose connections differ between the versions. */
export interface FlowChange {
  readonly type: DiffType;
  readonly src: string;
  readonly dst: string;
  /** The connections in each version; `No Connections` where the version allows none. */
  readonly ref1: string;
  readonly ref2: string;
  /** The source (destination) is a workload only one of the versions has. */
  readonly newOrLostSrc: boolean;
  readonly newOrLostDst: boolean;
}

/** How netpol-analyzer's diff shows a pair that one version does not connect. */
export const NO_CONNECTIONS = 'No Connections';

const EXTERNAL = /^(\d{1,3}(?:\.\d{1,3}){3})-(\d{1,3}(?:\.\d{1,3}){3})\[External\]$/;

/** The interval of an External peer's name, or undefined for any other peer. */
function externalInterval(name: string): IpInterval | undefined {
  const match = EXTERNAL.exec(name);
  if (!match) return undefined;
  const start = parseIp(match[1]!);
  const end = parseIp(match[2]!);
  if (!start.ok || !end.ok || start.ip.family !== 4 || end.ip.family !== 4) return undefined;
  return { family: 4, start: start.ip.value, end: end.ip.value };
}

/** The connections of one pair in each version; undefined where the version has no line for it. */
interface Pair {
  readonly src: string;
  readonly dst: string;
  ref1: string | undefined;
  ref2: string | undefined;
}

/** An External piece of one version towards (or from) one peer. */
interface Piece {
  readonly interval: IpInterval;
  readonly conn: string;
}

/** The External pieces of both versions for one peer and direction. */
interface ExternalGroup {
  readonly peer: string;
  /** The External interval is the source (else the destination). */
  readonly externalIsSource: boolean;
  readonly pieces: [Piece[], Piece[]];
}

const byStart = (a: Piece, b: Piece): number => (a.interval.start < b.interval.start ? -1 : a.interval.start > b.interval.start ? 1 : 0);

/**
 * The pairs of one External group: both versions' pieces cut at every bound of either, each cut piece given the
 * connection of each version that covers it, then runs of touching pieces with the same two connections joined.
 */
function externalPairs(group: ExternalGroup): Pair[] {
  const bounds = new Set<bigint>();
  for (const pieces of group.pieces) {
    pieces.sort(byStart);
    for (const { interval } of pieces) {
      bounds.add(interval.start);
      bounds.add(interval.end + 1n);
    }
  }
  const cuts = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const next = [0, 0];
  /** The connection of version `v` over the addresses from `start` (pieces sorted, starts ascending). */
  const connAt = (v: 0 | 1, start: bigint): string | undefined => {
    const pieces = group.pieces[v];
    while (next[v]! < pieces.length && pieces[next[v]!]!.interval.end < start) next[v]!++;
    const piece = pieces[next[v]!];
    return piece && piece.interval.start <= start ? piece.conn : undefined;
  };
  const runs: { start: bigint; end: bigint; ref1: string | undefined; ref2: string | undefined }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]! - 1n;
    const ref1 = connAt(0, start);
    const ref2 = connAt(1, start);
    if (ref1 === undefined && ref2 === undefined) continue;
    const last = runs[runs.length - 1];
    if (last && last.end + 1n === start && last.ref1 === ref1 && last.ref2 === ref2) last.end = end;
    else runs.push({ start, end, ref1, ref2 });
  }
  // Runs the versions agree on are no change: only the others are named (most runs, on a large cluster).
  return runs.filter((run) => run.ref1 !== run.ref2).map((run) => {
    const name = `${formatInterval({ family: 4, start: run.start, end: run.end })}[External]`;
    return group.externalIsSource ? { src: name, dst: group.peer, ref1: run.ref1, ref2: run.ref2 } : { src: group.peer, dst: name, ref1: run.ref1, ref2: run.ref2 };
  });
}

/** The pairs whose connections differ from `before` (ref1) to `after` (ref2), in no particular order. */
export function diffFlows(before: FlowsVersion, after: FlowsVersion): FlowChange[] {
  const pairs = new Map<string, Pair>();
  const groups = new Map<string, ExternalGroup>();
  const versions = [before, after] as const;
  // Peer names repeat across flows (each External piece with every workload): each is parsed once.
  const intervals = new Map<string, IpInterval | null>();
  const intervalOf = (name: string): IpInterval | undefined => {
    let interval = intervals.get(name);
    if (interval === undefined) intervals.set(name, (interval = externalInterval(name) ?? null));
    return interval ?? undefined;
  };
  versions.forEach((version, v) => {
    for (const flow of version.flows) {
      const srcInterval = intervalOf(flow.src);
      const dstInterval = srcInterval ? undefined : intervalOf(flow.dst);
      const interval = srcInterval ?? dstInterval;
      if (interval) {
        const externalIsSource = srcInterval !== undefined;
        const peer = externalIsSource ? flow.dst : flow.src;
        const key = `${externalIsSource ? '<' : '>'}${peer}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { peer, externalIsSource, pieces: [[], []] }));
        group.pieces[v]!.push({ interval, conn: flow.conn });
        continue;
      }
      const key = `${flow.src}\u0000${flow.dst}`;
      let pair = pairs.get(key);
      if (!pair) pairs.set(key, (pair = { src: flow.src, dst: flow.dst, ref1: undefined, ref2: undefined }));
      if (v === 0) pair.ref1 = flow.conn;
      else pair.ref2 = flow.conn;
    }
  });
  const all = [...pairs.values(), ...[...groups.values()].flatMap(externalPairs)];
  const workloads = versions.map((version) => new Set(version.workloads));
  // A workload only one version has: in the version of the pair's connections and not in the other one.
  const newOrLost = (name: string, from: 0 | 1) => workloads[from]!.has(name) && !workloads[1 - from]!.has(name);
  const changes: FlowChange[] = [];
  for (const { src, dst, ref1, ref2 } of all) {
    if (ref1 !== undefined && ref2 !== undefined) {
      if (ref1 !== ref2) changes.push({ type: 'changed', src, dst, ref1, ref2, newOrLostSrc: false, newOrLostDst: false });
    } else if (ref1 !== undefined) {
      changes.push({ type: 'removed', src, dst, ref1, ref2: NO_CONNECTIONS, newOrLostSrc: newOrLost(src, 0), newOrLostDst: newOrLost(dst, 0) });
    } else if (ref2 !== undefined) {
      changes.push({ type: 'added', src, dst, ref1: NO_CONNECTIONS, ref2, newOrLostSrc: newOrLost(src, 1), newOrLostDst: newOrLost(dst, 1) });
    }
  }
  return changes;
}

/** `workload a added`, `workload a and b removed`, or nothing when both peers are in both versions. */
export function workloadsDiffInfo(change: FlowChange): string {
  const names = [...(change.newOrLostSrc ? [change.src] : []), ...(change.newOrLostDst ? [change.dst] : [])];
  return names.length === 0 ? '' : `workload ${names.join(' and ')} ${change.type}`;
}

const CATEGORIES: readonly DiffType[] = ['changed', 'added', 'removed'];

/**
 * The changes in netpol-analyzer's order: changed, added, removed, each sorted byte-wise by its line in the format
 * at hand (`key`); the ingress controller's changes after all others, in the same three categories.
 */
function ordered(changes: readonly FlowChange[], key: (change: FlowChange) => string): FlowChange[] {
  const result: FlowChange[] = [];
  for (const ingress of [false, true]) {
    for (const type of CATEGORIES) {
      const group = changes.filter((change) => change.type === type && (change.src === INGRESS_CONTROLLER) === ingress).map((change) => ({ change, key: key(change) }));
      group.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      result.push(...group.map(({ change }) => change));
    }
  }
  return result;
}

/** `Connectivity diff:` and a line per change; nothing at all when the versions connect alike. */
export function formatDiffText(changes: readonly FlowChange[]): string {
  if (changes.length === 0) return '';
  const line = (change: FlowChange) => {
    const info = workloadsDiffInfo(change);
    const text = `diff-type: ${change.type}, source: ${change.src}, destination: ${change.dst}, ref1: ${change.ref1}, ref2: ${change.ref2}`;
    return info === '' ? text : `${text}, workloads-diff-info: ${info}`;
  };
  return ['Connectivity diff:', ...ordered(changes, line).map(line)].join('\n') + '\n';
}

const CSV_HEADER = ['diff-type', 'source', 'destination', 'ref1', 'ref2', 'workloads-diff-info'];

/** A CSV field, quoted when it holds a comma, a quote or a line break, or starts with a space or tab. */
function csvField(field: string): string {
  return /[",\r\n]|^[ \t]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const fields = (change: FlowChange): string[] => [change.type, change.src, change.dst, change.ref1, change.ref2, workloadsDiffInfo(change)];

/** A header row and a row per change; nothing at all when the versions connect alike. */
export function formatDiffCsv(changes: readonly FlowChange[]): string {
  if (changes.length === 0) return '';
  // netpol-analyzer sorts the rows as `;`-joined fields before writing them as CSV.
  const rows = ordered(changes, (change) => fields(change).join(';')).map(fields);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvField).join(',') + '\n').join('');
}

/** A Markdown table with a row per change; nothing at all when the versions connect alike. */
export function formatDiffMd(changes: readonly FlowChange[]): string {
  if (changes.length === 0) return '';
  const header = [`| ${CSV_HEADER.join(' | ')} |`, '|-----------|--------|-------------|------|------|---------------------|'];
  const row = (change: FlowChange) => `| ${fields(change).join(' | ')} |`;
  return [...header, ...ordered(changes, row).map(row)].join('\n') + '\n';
}
