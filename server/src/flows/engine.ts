// The exact flow engine: which connections the NetworkPolicies allow between every ordered pair of peers, from
// and to the IPv4 space outside the cluster, and from the ingress controller to the workloads behind Ingresses.
//
// Kubernetes semantics: a pod is isolated for ingress (egress) when some policy of that type selects it; then
// only what the union of those policies' rules allows gets through, else everything does. A connection between
// two pods needs both the source's egress side and the destination's ingress side to allow it.
import type { NetworkModel } from '../model/network';
import { formatInterval, intervalCovered, type IpInterval, IPV4_SPACE, splitIpv4Space } from './ipBlocks';
import { ingressControllerFlows } from './ingressController';
import { type CompiledPolicy, type CompiledRule, PolicyCompiler, rulePortsFor } from './policies';
import { PortSet } from './ports';
import { buildTopology, type Instance, type Topology } from './topology';

/** One line of the flow list: a source, a destination and the allowed connection, as netpol-analyzer prints them. */
export interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

export interface FlowAnalysis {
  /** Sorted by the whole line, byte-wise; self-pairs and pairs with nothing allowed are left out. */
  readonly flows: Flow[];
  /** What the engine could not evaluate (placeholders, invalid values), and how it treated it. */
  readonly warnings: string[];
}

/** The pseudo-source of ingress controller traffic. */
export const INGRESS_CONTROLLER = '{ingress-controller}';

/** What the policies of one direction allow for one instance. */
export interface Side {
  /** Some policy of this direction selects the instance; if not, everything is allowed. */
  readonly selected: boolean;
  /** Allowed for every peer (rules without peers). */
  all: PortSet;
  /** Allowed per in-cluster peer instance (on top of `all`). */
  readonly byInstance: Map<number, PortSet>;
  /** Allowed per External piece (including `all`). */
  readonly external: PortSet[];
  /** Allowed for an arbitrary pod of an arbitrary namespace (the ingress controller); ingress only. */
  anyPod: PortSet;
  /** Egress rules without peers whose named ports depend on the destination. */
  readonly namedForAll: CompiledRule[];
}

const OPEN: Side = Object.freeze({
  selected: false,
  all: PortSet.ALL,
  byInstance: new Map(),
  external: [],
  anyPod: PortSet.ALL,
  namedForAll: [],
}) as Side;

/** The IPv4 pieces the External peers of one direction are reported as: the space cut at that direction's ipBlocks. */
function externalPieces(policies: readonly CompiledPolicy[], direction: 'ingress' | 'egress'): IpInterval[] {
  const intervals = policies.flatMap((policy) => (policy[direction] ?? []).flatMap((rule) => rule.ipv4));
  return intervals.length === 0 ? [IPV4_SPACE] : splitIpv4Space(intervals);
}

function union(map: Map<number, PortSet>, key: number, ports: PortSet): void {
  const current = map.get(key);
  map.set(key, current ? current.union(ports) : ports);
}

/** Builds the ingress or egress side of every instance. */
function buildSides(
  topology: Topology,
  policies: readonly CompiledPolicy[],
  direction: 'ingress' | 'egress',
  pieces: readonly IpInterval[],
): Side[] {
  const sides: (Side | undefined)[] = new Array(topology.instances.length).fill(undefined);
  const piecesOf = new Map<CompiledRule, number[]>();
  const coveredPieces = (rule: CompiledRule): number[] => {
    let covered = piecesOf.get(rule);
    if (!covered) {
      covered = [];
      pieces.forEach((piece, index) => intervalCovered(piece, rule.ipv4) && covered!.push(index));
      piecesOf.set(rule, covered);
    }
    return covered;
  };
  for (const policy of policies) {
    const rules = policy[direction];
    if (rules === undefined) continue;
    for (const selected of policy.selects) {
      let side = sides[selected];
      if (!side) {
        side = {
          selected: true,
          all: PortSet.EMPTY,
          byInstance: new Map(),
          external: pieces.map(() => PortSet.EMPTY),
          anyPod: PortSet.EMPTY,
          namedForAll: [],
        };
        sides[selected] = side;
      }
      const self = topology.instances[selected]!;
      for (const rule of rules) {
        // Ingress: the destination is the selected pod. Egress: each matched peer; External has no named ports.
        const here = direction === 'ingress' ? rulePortsFor(rule, self) : rule.fixedPorts;
        if (rule.allPeers) {
          side.all = side.all.union(here);
          side.anyPod = side.anyPod.union(here);
          if (direction === 'egress' && rule.namedPorts.length > 0) side.namedForAll.push(rule);
          continue;
        }
        if (rule.anyPod) side.anyPod = side.anyPod.union(here);
        for (const peer of rule.matched) {
          union(side.byInstance, peer, direction === 'ingress' ? here : rulePortsFor(rule, topology.instances[peer]));
        }
        for (const piece of coveredPieces(rule)) side.external[piece] = side.external[piece]!.union(here);
      }
    }
  }
  return sides.map((side) => {
    if (!side) return OPEN;
    side.external.forEach((ports, index) => (side.external[index] = ports.union(side.all)));
    return side;
  });
}

/** What the egress side of `source` allows towards `destination`. */
function egressAllows(side: Side, destination: Instance): PortSet {
  if (!side.selected) return PortSet.ALL;
  let ports = side.all;
  const extra = side.byInstance.get(destination.index);
  if (extra) ports = ports.union(extra);
  for (const rule of side.namedForAll) ports = ports.union(rulePortsFor(rule, destination));
  return ports;
}

/** What the ingress side of a destination allows from `source`. */
function ingressAllows(side: Side, source: number): PortSet {
  if (!side.selected) return PortSet.ALL;
  const extra = side.byInstance.get(source);
  return extra ? side.all.union(extra) : side.all;
}

const compareLines = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every allowed flow of the model, with warnings about what could not be evaluated. */
export function analyzeFlows(model: NetworkModel): FlowAnalysis {
  const warnings = new Set<string>();
  const warn = (message: string) => warnings.add(message);
  const topology = buildTopology(model, warn);
  const policies = new PolicyCompiler(topology, warn).compile(model.policies);
  const ingressPieces = externalPieces(policies, 'ingress');
  const egressPieces = externalPieces(policies, 'egress');
  const ingress = buildSides(topology, policies, 'ingress', ingressPieces);
  const egress = buildSides(topology, policies, 'egress', egressPieces);
  const { instances, peers } = topology;

  const lines: { line: string; flow: Flow }[] = [];
  const emit = (src: string, dst: string, ports: PortSet) => {
    if (ports.isEmpty()) return;
    const flow = { src, dst, conn: ports.toString() };
    lines.push({ line: `${src} => ${dst} : ${flow.conn}`, flow });
  };

  for (const [p, source] of peers.entries()) {
    for (const [q, destination] of peers.entries()) {
      if (p === q) continue;
      let ports = PortSet.EMPTY;
      for (const s of source.instances) {
        const out = egress[s]!;
        for (const d of destination.instances) {
          const allowed = egressAllows(out, instances[d]!).intersect(ingressAllows(ingress[d]!, s));
          ports = ports.union(allowed);
        }
        if (ports.isAll()) break;
      }
      emit(source.name, destination.name, ports);
    }
  }

  for (const peer of peers) {
    ingressPieces.forEach((piece, index) => {
      let ports = PortSet.EMPTY;
      for (const d of peer.instances) ports = ports.union(ingress[d]!.selected ? ingress[d]!.external[index]! : PortSet.ALL);
      emit(`${formatInterval(piece)}[External]`, peer.name, ports);
    });
    egressPieces.forEach((piece, index) => {
      let ports = PortSet.EMPTY;
      for (const s of peer.instances) ports = ports.union(egress[s]!.selected ? egress[s]!.external[index]! : PortSet.ALL);
      emit(peer.name, `${formatInterval(piece)}[External]`, ports);
    });
  }

  for (const [peer, ports] of ingressControllerFlows(model, topology, ingress, warn)) emit(INGRESS_CONTROLLER, peers[peer]!.name, ports);

  lines.sort((a, b) => compareLines(a.line, b.line));
  return { flows: lines.map(({ flow }) => flow), warnings: [...warnings] };
}

/** Every allowed flow of the model, sorted as netpol-analyzer sorts its connection list. */
export function computeFlows(model: NetworkModel): Flow[] {
  return analyzeFlows(model).flows;
}
