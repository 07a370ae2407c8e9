// The pods the flow engine reasons about, and the peers they are reported as.
// Each workload is one pod "instance" (a controller stands for its pods through its pod template). Instances
// are grouped into peers named as netpol-analyzer names them: `<namespace>/<name>[<Kind>]`, where a Pod with an
// owner is reported as that owner (`default/web-5d8f[ReplicaSet]`; `[Pod]` when the owner kind is not written), except
// a Pod its Node owns (a static or mirror pod), which is a workload of its own.
import type { NetworkModel, Workload } from '../model/network';
import { isNotSet } from '../model/source';
import { type LabelSet, labelSet } from './labels';
import { parseProtocol, type Protocol } from './ports';

/** Objects without metadata.namespace live in `default`. */
export const DEFAULT_NAMESPACE = 'default';

/** The label Kubernetes puts on every namespace: its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamedPort {
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: Protocol;
}

/** One pod (or a controller's pod template). */
export interface Instance {
  readonly index: number;
  readonly namespace: string;
  readonly labels: LabelSet;
  readonly ports: readonly NamedPort[];
  /** Index of the peer it is reported as. */
  readonly peer: number;
}

/** A reported endpoint: one workload, or every pod of one owner. */
export interface Peer {
  readonly name: string;
  readonly instances: number[];
}

export interface Topology {
  readonly instances: readonly Instance[];
  readonly peers: readonly Peer[];
  /** Labels of every namespace the model names (Namespace objects, and namespaces of other objects). */
  readonly namespaceLabels: (namespace: string) => LabelSet;
  /** Every namespace with at least one instance. */
  readonly namespaces: readonly string[];
  /** The instances of one namespace. */
  readonly instancesIn: (namespace: string) => readonly Instance[];
}

/**
 * The peer name of a workload: its owner for an owned Pod; a Pod its Node owns (a static or mirror pod) is named after
 * itself, as netpol-analyzer reports it.
 */
export function peerName(workload: Workload, namespace: string): string {
  if (workload.kind === 'Pod' && workload.owner && workload.owner.kind !== 'Node') return `${namespace}/${workload.owner.name}[${workload.owner.kind ?? 'Pod'}]`;
  return `${namespace}/${workload.name}[${workload.kind}]`;
}

function containerPorts(workload: Workload): NamedPort[] {
  const ports: NamedPort[] = [];
  for (const port of workload.containerPorts) {
    if (!port.containerPort.known) continue;
    const protocol = port.protocol.known ? parseProtocol(port.protocol.value) : isNotSet(port.protocol) ? 'TCP' : undefined;
    if (protocol) ports.push({ name: port.name, port: port.containerPort.value, protocol });
  }
  return ports;
}

/** Instances, peers and namespace labels of the model; workloads whose namespace is unknown are left out. */
export function buildTopology(model: NetworkModel, warn: (message: string) => void): Topology {
  const namespaceObjects = new Map<string, Map<string, string | undefined>>();
  for (const namespace of model.namespaces) {
    const labels = namespaceObjects.get(namespace.name) ?? new Map<string, string | undefined>();
    for (const [key, value] of labelSet(namespace.labels)) labels.set(key, value);
    namespaceObjects.set(namespace.name, labels);
  }
  const labelCache = new Map<string, LabelSet>();
  const namespaceLabels = (namespace: string): LabelSet => {
    let labels = labelCache.get(namespace);
    if (!labels) {
      labels = new Map([...(namespaceObjects.get(namespace) ?? []), [NAMESPACE_NAME_LABEL, namespace]]);
      labelCache.set(namespace, labels);
    }
    return labels;
  };

  const instances: Instance[] = [];
  const peers: Peer[] = [];
  const peerIndex = new Map<string, number>();
  for (const workload of model.workloads) {
    if (workload.namespaceUnknown) {
      warn(`${workload.kind} ${workload.name}: its namespace is not known; left out of the flows.`);
      continue;
    }
    const namespace = workload.namespace ?? DEFAULT_NAMESPACE;
    const name = peerName(workload, namespace);
    let peer = peerIndex.get(name);
    if (peer === undefined) {
      peer = peers.length;
      peerIndex.set(name, peer);
      peers.push({ name, instances: [] });
    }
    const index = instances.length;
    instances.push({ index, namespace, labels: labelSet(workload.labels), ports: containerPorts(workload), peer });
    peers[peer]!.instances.push(index);
  }
  const byNamespace = new Map<string, Instance[]>();
  for (const instance of instances) {
    const list = byNamespace.get(instance.namespace);
    if (list) list.push(instance);
    else byNamespace.set(instance.namespace, [instance]);
  }
  const namespaces = [...byNamespace.keys()];
  return { instances, peers, namespaceLabels, namespaces, instancesIn: (namespace) => byNamespace.get(namespace) ?? [] };
}
