// The exact flow engine: which connections the NetworkPolicies allow between every ordered pair of peers, from
// and to the IPv4 space outside the cluster, and from the ingress controller to the workloads behind Ingresses.
//
// Kubernetes semantics: a pod is isolated for ingress (egress) when some policy of that type selects it; then
// only what the union of those policies' rules allows gets through, else everything does. A connection between
// two pods needs both the source's egress side and the destination's ingress side to allow it.
import type { NetworkModel } from '../model/network';
import { AdminPolicyCompiler, applyAdminPolicies, type CompiledAdminPolicies } from './adminPolicies';
import { formatInterval, type IpInterval, IPV4_SPACE, piecesWithin, splitIpv4Space } from './ipBlocks';
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
  /** Allowed for every peer, in the cluster or outside (rules without peers). */
  all: PortSet;
  /**
   * Allowed for every pod of every namespace (`all` included): rules without peers, or with a peer that selects
   * every pod. For ingress this is also what an arbitrary pod elsewhere, the ingress controller, may open.
   */
  pods: PortSet;
  /** Allowed per in-cluster peer instance (`pods` included once the side is built); others get `pods`. */
  readonly byInstance: Map<number, PortSet>;
  /** Allowed per External piece (`all` included once the side is built); pieces not in the map get `all`. */
  readonly external: Map<number, PortSet>;
  /** Egress rules for every pod whose named ports depend on the destination. */
  readonly namedForPods: CompiledRule[];
  /**
   * Egress with admin policies whose named ports depend on the destination: the whole answer towards one pod
   * (then `namedForPods` is empty, and `pods` and `byInstance` are not read for pods).
   */
  readonly towards: ((destination: Instance) => PortSet) | undefined;
}

/** A side with nothing selected yet; every side has this shape, so property access stays monomorphic. */
function newSide(selected: boolean): Side {
  const nothing = selected ? PortSet.EMPTY : PortSet.ALL;
  return { selected, all: nothing, pods: nothing, byInstance: new Map(), external: new Map(), namedForPods: [], towards: undefined };
}

/** The IPv4 pieces the External peers of one direction are reported as: the space cut at that direction's ipBlocks and networks. */
function externalPieces(policies: readonly CompiledPolicy[], admin: CompiledAdminPolicies, direction: 'ingress' | 'egress'): IpInterval[] {
  const intervals = policies.flatMap((policy) => (policy[direction] ?? []).flatMap((rule) => rule.ipv4));
  for (const policy of admin.baseline ? [...admin.admin, admin.baseline] : admin.admin) {
    for (const rule of policy[direction]) intervals.push(...rule.ipv4);
  }
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
      covered = piecesWithin(pieces, rule.ipv4);
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
        side = newSide(true);
        sides[selected] = side;
      }
      const self = topology.instances[selected]!;
      for (const rule of rules) {
        // Ingress: the destination is the selected pod. Egress: each matched peer; External has no named ports.
        const here = direction === 'ingress' ? rulePortsFor(rule, self) : rule.fixedPorts;
        if (rule.allPeers) side.all = side.all.union(here);
        if (rule.anyPod) {
          side.pods = side.pods.union(here);
          if (direction === 'egress' && rule.namedPorts.length > 0) side.namedForPods.push(rule);
        }
        for (const peer of rule.matched) {
          union(side.byInstance, peer, direction === 'ingress' ? here : rulePortsFor(rule, topology.instances[peer]));
        }
        for (const piece of coveredPieces(rule)) union(side.external, piece, here);
      }
    }
  }
  const open = newSide(false);
  return sides.map((side) => {
    if (!side) return open;
    side.pods = side.pods.union(side.all);
    for (const [piece, ports] of side.external) side.external.set(piece, ports.union(side.all));
    for (const [peer, ports] of side.byInstance) side.byInstance.set(peer, ports.union(side.pods));
    return side;
  });
}

/**
 * The connections between every ordered pair of peers, by destination: for each destination instance, one row
 * of what each source's egress allows towards it and one row of what its ingress allows from each source, so
 * the O(n^2) part is plain array reads and memoised port-set operations.
 */
function pairFlows(
  topology: Topology,
  ingress: readonly Side[],
  egress: readonly Side[],
  emit: (src: string, dst: string, ports: PortSet) => void,
): void {
  const { instances, peers } = topology;
  const count = instances.length;
  // Egress overrides by destination, and the sources whose every-pod egress rules name ports.
  const egressInto: [number, PortSet][][] = instances.map(() => []);
  egress.forEach((side, source) => {
    if (side.selected) for (const [destination, ports] of side.byInstance) egressInto[destination]!.push([source, ports]);
  });
  const namedSources = egress.flatMap((side, source) => (side.namedForPods.length > 0 ? [source] : []));
  const dependentSources = egress.flatMap((side, source) => (side.towards ? [source] : []));
  const egressDefault = egress.map((side) => side.pods);
  const rowIn = new Array<PortSet>(count);
  const rowOut = new Array<PortSet>(count);
  const bySourcePeer = new Array<PortSet>(peers.length);
  for (const [q, destination] of peers.entries()) {
    bySourcePeer.fill(PortSet.EMPTY);
    for (const d of destination.instances) {
      const inSide = ingress[d]!;
      rowIn.fill(inSide.pods);
      for (const [source, ports] of inSide.byInstance) rowIn[source] = ports;
      for (let s = 0; s < count; s++) rowOut[s] = egressDefault[s]!;
      for (const [source, ports] of egressInto[d]!) rowOut[source] = ports;
      for (const source of namedSources) {
        for (const rule of egress[source]!.namedForPods) rowOut[source] = rowOut[source]!.union(rulePortsFor(rule, instances[d]));
      }
      for (const source of dependentSources) rowOut[source] = egress[source]!.towards!(instances[d]!);
      for (let s = 0; s < count; s++) {
        const allowed = rowOut[s]!.intersect(rowIn[s]!);
        if (allowed.isEmpty()) continue;
        const p = instances[s]!.peer;
        bySourcePeer[p] = bySourcePeer[p]!.union(allowed);
      }
    }
    bySourcePeer.forEach((ports, p) => p !== q && emit(peers[p]!.name, destination.name, ports));
  }
}

/**
 * What a peer's instances allow with each External piece: the union, over its instances, of the piece's own ports
 * where the instance's side has them, else the side's `all`. Pieces no side names get the union of every `all`;
 * when that is nothing, only the pieces some side names are visited.
 */
function externalRow(instances: readonly number[], sides: readonly Side[], pieces: number, each: (index: number, ports: PortSet) => void): void {
  let base = PortSet.EMPTY;
  const named = new Set<number>();
  for (const instance of instances) {
    const side = sides[instance]!;
    base = base.union(side.all);
    for (const index of side.external.keys()) named.add(index);
  }
  // An admin policy's Deny can leave a piece less than the side's `all`: each instance counts with its own answer.
  const own = new Map<number, PortSet>();
  for (const index of named) {
    let ports = PortSet.EMPTY;
    for (const instance of instances) ports = ports.union(sides[instance]!.external.get(index) ?? sides[instance]!.all);
    own.set(index, ports);
  }
  if (base.isEmpty()) {
    for (const [index, ports] of own) each(index, ports);
    return;
  }
  for (let index = 0; index < pieces; index++) each(index, own.get(index) ?? base);
}

const compareLines = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts flows by their whole line `src => dst : conn`, byte-wise. Names never contain a character at or below a
 * space, and a pair has one line, so the order is that of (src, dst): it is computed from the ranks of the names
 * with a numeric sort, much faster than comparing half a million lines. Other names fall back to comparing lines.
 */
export function sortFlows(flows: Flow[]): Flow[] {
  const names = new Set<string>();
  for (const flow of flows) {
    names.add(flow.src);
    names.add(flow.dst);
  }
  const sorted = [...names].sort(compareLines);
  const bits = Math.max(1, Math.ceil(Math.log2(flows.length + 1)));
  if (sorted.some((name) => /[\u0000-\u0020]/.test(name)) || 2 * Math.log2(sorted.length + 1) + bits > 52) {
    const line = (flow: Flow) => `${flow.src} => ${flow.dst} : ${flow.conn}`;
    return flows.sort((a, b) => compareLines(line(a), line(b)));
  }
  const rank = new Map(sorted.map((name, index) => [name, index]));
  const keys = new Float64Array(flows.length);
  const scale = 2 ** bits;
  flows.forEach((flow, index) => (keys[index] = (rank.get(flow.src)! * sorted.length + rank.get(flow.dst)!) * scale + index));
  keys.sort();
  return Array.from(keys, (key) => flows[key % scale]!);
}

/** Every allowed flow of the model, with warnings about what could not be evaluated. */
export function analyzeFlows(model: NetworkModel): FlowAnalysis {
  const warnings = new Set<string>();
  const warn = (message: string) => warnings.add(message);
  const topology = buildTopology(model, warn);
  const policies = new PolicyCompiler(topology, warn).compile(model.policies);
  const admin = new AdminPolicyCompiler(topology, warn).compile(model.adminPolicies);
  const ingressPieces = externalPieces(policies, admin, 'ingress');
  const egressPieces = externalPieces(policies, admin, 'egress');
  let ingress = buildSides(topology, policies, 'ingress', ingressPieces);
  let egress = buildSides(topology, policies, 'egress', egressPieces);
  if (admin.admin.length > 0 || admin.baseline) {
    // AdminNetworkPolicies before the NetworkPolicies, the BaselineAdminNetworkPolicy after them.
    ingress = applyAdminPolicies(topology, ingress, admin, 'ingress', ingressPieces);
    egress = applyAdminPolicies(topology, egress, admin, 'egress', egressPieces);
  }
  const { peers } = topology;

  const flows: Flow[] = [];
  const emit = (src: string, dst: string, ports: PortSet) => {
    if (!ports.isEmpty()) flows.push({ src, dst, conn: ports.toString() });
  };

  pairFlows(topology, ingress, egress, emit);

  const ingressNames = ingressPieces.map((piece) => `${formatInterval(piece)}[External]`);
  const egressNames = egressPieces.map((piece) => `${formatInterval(piece)}[External]`);
  for (const peer of peers) {
    externalRow(peer.instances, ingress, ingressNames.length, (index, ports) => emit(ingressNames[index]!, peer.name, ports));
    externalRow(peer.instances, egress, egressNames.length, (index, ports) => emit(peer.name, egressNames[index]!, ports));
  }

  for (const [peer, ports] of ingressControllerFlows(model, topology, ingress, warn)) emit(INGRESS_CONTROLLER, peers[peer]!.name, ports);

  return { flows: sortFlows(flows), warnings: [...warnings] };
}

/** Every allowed flow of the model, sorted as netpol-analyzer sorts its connection list. */
export function computeFlows(model: NetworkModel): Flow[] {
  return analyzeFlows(model).flows;
}
