// The policy graph compared with another version of the workspace (Compare Policies with HEAD): which flows drawn
// now were added or changed since that version, and the flows only that version allowed, to be drawn as removed.
// What changed is flows/diff.ts's answer (the one `netlens flows --diff` prints); this only maps it onto the
// flows the graph draws. External peers are address intervals each version cuts at its own ipBlock bounds, so a
// piece drawn now is added when every part of it is an added piece of the diff, changed when any part changed.
import { parseIp } from '../cidr/cidr';
import { diffFlows, type FlowChange, type FlowsVersion } from '../flows/diff';
import type { Flow } from '../flows/engine';
import type { IpInterval } from '../flows/ipBlocks';
import type { MapFlowChange } from './networkMapData';

/** A flow as the graph draws it: now's connections (a removed flow: the other version's), and how it changed. */
export interface DrawnFlow extends Flow {
  readonly change?: MapFlowChange;
  /** A changed flow's connections in the other version. */
  readonly before?: string;
}

/** Now's flows marked by change, then the removed ones; the diff's counts; the workloads only one version has. */
export interface ComparedFlows {
  readonly flows: DrawnFlow[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly addedWorkloads: ReadonlySet<string>;
  readonly removedWorkloads: ReadonlySet<string>;
}

const EXTERNAL = /^(\d{1,3}(?:\.\d{1,3}){3})-(\d{1,3}(?:\.\d{1,3}){3})\[External\]$/;

/** The interval of an External peer's name ("10.0.0.0-10.255.255.255[External]"), else undefined. */
function intervalOf(peer: string): IpInterval | undefined {
  const match = EXTERNAL.exec(peer);
  if (!match) return undefined;
  const start = parseIp(match[1]!);
  const end = parseIp(match[2]!);
  if (!start.ok || !end.ok || start.ip.family !== 4 || end.ip.family !== 4) return undefined;
  return { family: 4, start: start.ip.value, end: end.ip.value };
}

/** The workload side and direction of a flow with an External end ("<peer": External is the source), else undefined. */
function externalGroup(flow: { readonly src: string; readonly dst: string }): { key: string; interval: IpInterval } | undefined {
  const fromOutside = intervalOf(flow.src);
  if (fromOutside) return { key: `<${flow.dst}`, interval: fromOutside };
  const toOutside = intervalOf(flow.dst);
  return toOutside ? { key: `>${flow.src}`, interval: toOutside } : undefined;
}

/** Compares now's flows (`after`) with another version's (`before`), as the graph draws them. */
export function compareFlows(before: FlowsVersion, after: FlowsVersion): ComparedFlows {
  const changes = diffFlows(before, after);
  const byPair = new Map<string, FlowChange>();
  const byGroup = new Map<string, { change: FlowChange; interval: IpInterval }[]>();
  for (const change of changes) {
    const group = externalGroup(change);
    if (!group) {
      byPair.set(`${change.src}\u0000${change.dst}`, change);
      continue;
    }
    const list = byGroup.get(group.key) ?? [];
    list.push({ change, interval: group.interval });
    byGroup.set(group.key, list);
  }
  const flows: DrawnFlow[] = after.flows.map((flow) => {
    const group = externalGroup(flow);
    if (!group) {
      const change = byPair.get(`${flow.src}\u0000${flow.dst}`);
      if (!change) return flow;
      return change.type === 'changed' ? { ...flow, change: 'changed', before: change.ref1 } : { ...flow, change: change.type };
    }
    // The diff's pieces lie each inside one of now's pieces or outside all of them (both versions' bounds cut them).
    const inside = (byGroup.get(group.key) ?? []).filter(({ interval }) => group.interval.start <= interval.start && interval.end <= group.interval.end);
    if (inside.length === 0) return flow;
    const size = (interval: IpInterval) => interval.end - interval.start + 1n;
    const addedSize = inside.filter(({ change }) => change.type === 'added').reduce((sum, { interval }) => sum + size(interval), 0n);
    if (addedSize === size(group.interval)) return { ...flow, change: 'added' };
    const whole = inside.length === 1 && size(inside[0]!.interval) === size(group.interval);
    const before = whole ? inside[0]!.change.ref1 : inside.map(({ change }) => `${intervalName(change, group.key)}: ${change.ref1}`).join('; ');
    return { ...flow, change: 'changed', before };
  });
  for (const change of changes) {
    if (change.type === 'removed') flows.push({ src: change.src, dst: change.dst, conn: change.ref1, change: 'removed' });
  }
  const beforeWorkloads = new Set(before.workloads);
  const afterWorkloads = new Set(after.workloads);
  return {
    flows,
    added: changes.filter((change) => change.type === 'added').length,
    removed: changes.filter((change) => change.type === 'removed').length,
    changed: changes.filter((change) => change.type === 'changed').length,
    addedWorkloads: new Set(after.workloads.filter((name) => !beforeWorkloads.has(name))),
    removedWorkloads: new Set(before.workloads.filter((name) => !afterWorkloads.has(name))),
  };
}

/** The External end of a change, without its "[External]" ("10.0.0.0-10.255.255.255"). */
function intervalName(change: FlowChange, groupKey: string): string {
  return (groupKey.startsWith('<') ? change.src : change.dst).replace(/\[External\]$/, '');
}
