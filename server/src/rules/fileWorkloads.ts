// The workloads of one file by namespace, and whether a selector certainly selects none of them: what
// netpol-selects-nothing and netpol-peer-matches-nothing judge a NetworkPolicy's selectors against.
import { isEmptySelector, type LabelSet, labelSet, selectorMatches } from '../flows/labels';
import type { LabelSelector, NetworkModel, Workload } from '../model/network';
import { namespaceOf } from '../model/queries';

/**
 * The workloads of one file by known namespace, and those whose namespace is a placeholder. Selection is judged
 * only against the workloads of the policy's own file: the objects of one namespace are often deployed from
 * several places (folders, repositories, Helm charts), and unrelated files may share a namespace such as
 * `default`, so a pod elsewhere in the workspace is not evidence either way.
 */
export interface FileWorkloads {
  readonly byNamespace: ReadonlyMap<string, readonly Workload[]>;
  readonly unplaced: readonly Workload[];
  readonly labels: (workload: Workload) => LabelSet;
}

/** The workloads of each file, built once per check. */
export function workloadsByFile(model: NetworkModel): (uri: string) => FileWorkloads {
  const files = new Map<string, Workload[]>();
  for (const workload of model.workloads) {
    const list = files.get(workload.source.uri);
    if (list) list.push(workload);
    else files.set(workload.source.uri, [workload]);
  }
  const built = new Map<string, FileWorkloads>();
  return (uri) => {
    let workloads = built.get(uri);
    if (!workloads) built.set(uri, (workloads = workloadsOf(files.get(uri) ?? [])));
    return workloads;
  };
}

function workloadsOf(all: readonly Workload[]): FileWorkloads {
  const byNamespace = new Map<string, Workload[]>();
  const unplaced: Workload[] = [];
  for (const workload of all) {
    if (workload.namespaceUnknown) {
      unplaced.push(workload);
      continue;
    }
    const namespace = namespaceOf(workload);
    const list = byNamespace.get(namespace);
    if (list) list.push(workload);
    else byNamespace.set(namespace, [workload]);
  }
  const cache = new Map<Workload, LabelSet>();
  const labels = (workload: Workload): LabelSet => {
    let set = cache.get(workload);
    if (!set) cache.set(workload, (set = labelSet(workload.labels)));
    return set;
  };
  return { byNamespace, unplaced, labels };
}

/**
 * True when the selector certainly selects none of the workloads of these namespaces, and each namespace holds
 * some: a workload whose labels or namespace are unknown and that might match keeps the answer open.
 */
export function selectsNone(workloads: FileWorkloads, namespaces: readonly string[], selector: LabelSelector): boolean {
  if (namespaces.length === 0 || isEmptySelector(selector)) return false;
  for (const namespace of namespaces) {
    const here = workloads.byNamespace.get(namespace) ?? [];
    if (here.length === 0) return false;
    if (here.some((workload) => selectorMatches(selector, workloads.labels(workload)) !== false)) return false;
  }
  return !workloads.unplaced.some((workload) => selectorMatches(selector, workloads.labels(workload)) !== false);
}

/** "namespace a" or "namespaces a, b". */
export const listed = (namespaces: readonly string[]): string =>
  namespaces.length === 1 ? `namespace ${namespaces[0]}` : `namespaces ${namespaces.join(', ')}`;
