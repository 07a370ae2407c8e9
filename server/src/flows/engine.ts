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
import { applyCilium, CiliumCompiler, type CiliumSideExtras, type CompiledCilium, HOST_PEER, namedPorts, ruleMatchesPod, type SidePolicy } from './cilium';
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
  /** Every workload peer's name, with flows or without (a diff tells a new or lost workload by it). */
  readonly workloads: string[];
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
  towards: ((destination: Instance) => PortSet) | undefined;
}

/** A side with nothing selected yet; every side has this shape, so property access stays monomorphic. */
function newSide(selected: boolean): Side {
  const nothing = selected ? PortSet.EMPTY : PortSet.ALL;
  return { selected, all: nothing, pods: nothing, byInstance: new Map(), external: new Map(), namedForPods: [], towards: undefined };
}

/** The IPv4 pieces the External peers of one direction are reported as: the space cut at that direction's ipBlocks and networks. */
function externalPieces(policies: readonly SidePolicy[], admin: CompiledAdminPolicies, direction: 'ingress' | 'egress'): IpInterval[] {
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
  policies: readonly SidePolicy[],
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
  // Policies that isolate the pods they select first; then those that only add allows (Cilium's enableDefaultDeny:
  // false), which change nothing for a pod nothing isolates.
  const isolating = (policy: SidePolicy) => policy.isolates === undefined || policy.isolates[direction];
  const ordered = policies.every(isolating) ? policies : [...policies.filter(isolating), ...policies.filter((policy) => !isolating(policy))];
  for (const policy of ordered) {
    const rules = policy[direction];
    if (rules === undefined) continue;
    const isolates = isolating(policy);
    for (const selected of policy.selects) {
      let side = sides[selected];
      if (!side) {
        if (!isolates) continue;
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
/** Cilium's additions per instance (undefined without Cilium policies): unknown flows and L7 rules. */
export interface PairNotes {
  readonly ingress: readonly (CiliumSideExtras | undefined)[];
  readonly egress: readonly (CiliumSideExtras | undefined)[];
}

/** The L7 kinds of the rules of a side that match a peer and filter some of the allowed ports. */
function l7Kinds(extras: CiliumSideExtras | undefined, allowed: PortSet, matches: (rule: CompiledRule, names: readonly string[], everyNamed: boolean) => boolean, into: Set<string>): void {
  if (!extras || extras.l7.length === 0) return;
  for (const entry of extras.l7) {
    if (matches(entry.rule, entry.names, entry.everyNamed) && !entry.ports.intersect(allowed).isEmpty()) for (const kind of entry.kinds) into.add(kind);
  }
}

function pairFlows(
  topology: Topology,
  ingress: readonly Side[],
  egress: readonly Side[],
  emit: (src: string, dst: string, ports: PortSet, unknown?: boolean, l7?: ReadonlySet<string>) => void,
  notes?: PairNotes,
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
  const unknownOut = notes ? notes.egress.map((extras) => extras?.unknown?.pods !== undefined) : undefined;
  const unknownBySource = notes ? new Array<boolean>(peers.length) : undefined;
  const l7BySource = notes ? new Array<Set<string> | undefined>(peers.length) : undefined;
  for (const [q, destination] of peers.entries()) {
    bySourcePeer.fill(PortSet.EMPTY);
    unknownBySource?.fill(false);
    l7BySource?.fill(undefined);
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
      if (notes) {
        const inExtras = notes.ingress[d];
        const unknownIn = inExtras?.unknown?.pods !== undefined;
        for (let s = 0; s < count; s++) {
          const p = instances[s]!.peer;
          if (unknownIn || unknownOut![s]) unknownBySource![p] = true;
          const allowed = rowOut[s]!.intersect(rowIn[s]!);
          if (allowed.isEmpty()) continue;
          bySourcePeer[p] = bySourcePeer[p]!.union(allowed);
          const outExtras = notes.egress[s];
          if (inExtras?.l7.length || outExtras?.l7.length) {
            const kinds = l7BySource![p] ?? new Set<string>();
            l7Kinds(inExtras, allowed, (rule) => ruleMatchesPod(rule, s), kinds);
            l7Kinds(outExtras, allowed, (rule) => ruleMatchesPod(rule, d), kinds);
            if (kinds.size > 0) l7BySource![p] = kinds;
          }
        }
        continue;
      }
      for (let s = 0; s < count; s++) {
        const allowed = rowOut[s]!.intersect(rowIn[s]!);
        if (allowed.isEmpty()) continue;
        const p = instances[s]!.peer;
        bySourcePeer[p] = bySourcePeer[p]!.union(allowed);
      }
    }
    bySourcePeer.forEach((ports, p) => p !== q && emit(peers[p]!.name, destination.name, ports, unknownBySource?.[p], l7BySource?.[p]));
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

/** The connection of a flow that something the engine could not evaluate may change. */
export const UNKNOWN_CONNECTION = 'unknown';

/**
 * externalRow with Cilium's additions: each piece's ports per instance (denies may cut a piece below the side's
 * `all`), unknown where a side's External flows are unknown, and the L7 rules that filter them.
 */
function ciliumExternalRow(
  instances: readonly number[],
  sides: readonly Side[],
  extras: readonly (CiliumSideExtras | undefined)[],
  pieces: readonly IpInterval[],
  each: (index: number, ports: PortSet, unknown: boolean, l7: ReadonlySet<string> | undefined) => void,
): void {
  const unknown = instances.some((instance) => extras[instance]?.unknown?.external !== undefined);
  for (let index = 0; index < pieces.length; index++) {
    let ports = PortSet.EMPTY;
    const kinds = new Set<string>();
    for (const instance of instances) {
      const side = sides[instance]!;
      const here = side.external.get(index) ?? side.all;
      ports = ports.union(here);
      const piece = pieces[index]!;
      l7Kinds(extras[instance], here, (rule) => rule.allPeers || rule.ipv4.some((interval) => interval.family === 4 && interval.start <= piece.start && piece.end <= interval.end), kinds);
    }
    each(index, ports, unknown, kinds);
  }
}

/** The flows between a peer's instances and one named peer (`{host}`, `api.example.com[FQDN]`). */
function namedRow(
  instances: readonly number[],
  sides: readonly Side[],
  extras: readonly (CiliumSideExtras | undefined)[],
  name: string,
  direction: 'ingress' | 'egress',
  each: (ports: PortSet, unknown: boolean, l7: ReadonlySet<string> | undefined) => void,
): void {
  let ports = PortSet.EMPTY;
  let unknown = false;
  const kinds = new Set<string>();
  for (const instance of instances) {
    const here = namedPorts(sides[instance]!, extras[instance], name, direction);
    ports = ports.union(here);
    if (extras[instance]?.unknown?.external !== undefined && !(direction === 'ingress' && name === HOST_PEER)) unknown = true;
    l7Kinds(extras[instance], here, (_rule, names, everyNamed) => everyNamed || names.includes(name), kinds);
  }
  each(ports, unknown, kinds);
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

/**
 * The engine's state for one model: the compiled policies of every kind and each instance's ingress and egress
 * side with every policy applied. analyzeFlows lists flows from it; explain (explain.ts) names the rules behind them.
 */
export interface CompiledFlows {
  readonly topology: Topology;
  readonly policies: readonly CompiledPolicy[];
  readonly admin: CompiledAdminPolicies;
  readonly cilium: CompiledCilium | undefined;
  readonly ingress: readonly Side[];
  readonly egress: readonly Side[];
  /** Cilium's unknowns and L7 rules per instance (undefined without Cilium policies). */
  readonly notes: PairNotes | undefined;
  /** The External pieces sources (ingress) and destinations (egress) are cut into. */
  readonly ingressPieces: readonly IpInterval[];
  readonly egressPieces: readonly IpInterval[];
  readonly warnings: ReadonlySet<string>;
}

/** What an egress side allows towards one destination pod (as the pairwise loop reads it). */
export function egressTowards(side: Side, destination: Instance): PortSet {
  if (side.towards) return side.towards(destination);
  let ports = (side.selected ? side.byInstance.get(destination.index) : undefined) ?? side.pods;
  for (const rule of side.namedForPods) ports = ports.union(rulePortsFor(rule, destination));
  return ports;
}

/** What an ingress side allows from one source pod. */
export function ingressFrom(side: Side, source: number): PortSet {
  return side.byInstance.get(source) ?? side.pods;
}

/** What a side allows with one External piece (by its index among the direction's pieces). */
export function externalPorts(side: Side, piece: number): PortSet {
  return side.external.get(piece) ?? side.all;
}

/** Compiles every policy of the model and builds each instance's sides. */
export function compileFlows(model: NetworkModel): CompiledFlows {
  const warnings = new Set<string>();
  const warn = (message: string) => warnings.add(message);
  const topology = buildTopology(model, warn);
  const policies = new PolicyCompiler(topology, warn).compile(model.policies);
  const admin = new AdminPolicyCompiler(topology, warn).compile(model.adminPolicies);
  const cilium: CompiledCilium | undefined = model.ciliumPolicies.length > 0 ? new CiliumCompiler(topology, warn).compile(model.ciliumPolicies) : undefined;
  // On the Cilium dataplane NetworkPolicies and Cilium's allow rules are one union; deny rules are cut out last.
  const sidePolicies: readonly SidePolicy[] = cilium ? [...policies, ...cilium.allow] : policies;
  const piecePolicies = cilium ? [...sidePolicies, ...cilium.deny] : sidePolicies;
  const ingressPieces = externalPieces(piecePolicies, admin, 'ingress');
  const egressPieces = externalPieces(piecePolicies, admin, 'egress');
  let ingress: readonly Side[] = buildSides(topology, sidePolicies, 'ingress', ingressPieces);
  let egress: readonly Side[] = buildSides(topology, sidePolicies, 'egress', egressPieces);
  if (admin.admin.length > 0 || admin.baseline) {
    // AdminNetworkPolicies before the NetworkPolicies, the BaselineAdminNetworkPolicy after them.
    ingress = applyAdminPolicies(topology, ingress, admin, 'ingress', ingressPieces);
    egress = applyAdminPolicies(topology, egress, admin, 'egress', egressPieces);
  }
  let notes: PairNotes | undefined;
  if (cilium) {
    const appliedIn = applyCilium(topology, ingress, cilium, 'ingress', ingressPieces);
    const appliedOut = applyCilium(topology, egress, cilium, 'egress', egressPieces);
    ingress = appliedIn.sides;
    egress = appliedOut.sides;
    notes = { ingress: appliedIn.extras, egress: appliedOut.extras };
  }
  return { topology, policies, admin, cilium, ingress, egress, notes, ingressPieces, egressPieces, warnings };
}

/** Every allowed flow of the model, with warnings about what could not be evaluated. */
export function analyzeFlows(model: NetworkModel): FlowAnalysis {
  const compiled = compileFlows(model);
  const { topology, cilium, ingress, notes, ingressPieces, egressPieces } = compiled;
  const warnings = new Set(compiled.warnings);
  const warn = (message: string) => warnings.add(message);
  const { peers } = topology;

  const flows: Flow[] = [];
  const emit = (src: string, dst: string, ports: PortSet, unknown?: boolean, l7?: ReadonlySet<string>) => {
    if (unknown) flows.push({ src, dst, conn: UNKNOWN_CONNECTION });
    else if (!ports.isEmpty()) flows.push({ src, dst, conn: l7 && l7.size > 0 ? `${ports.toString()} (with ${[...l7].sort().join(', ')} rules)` : ports.toString() });
  };

  pairFlows(topology, ingress, compiled.egress, emit, notes);

  const ingressNames = ingressPieces.map((piece) => `${formatInterval(piece)}[External]`);
  const egressNames = egressPieces.map((piece) => `${formatInterval(piece)}[External]`);
  for (const peer of peers) {
    if (notes) {
      ciliumExternalRow(peer.instances, ingress, notes.ingress, ingressPieces, (index, ports, unknown, l7) => emit(ingressNames[index]!, peer.name, ports, unknown, l7));
      ciliumExternalRow(peer.instances, compiled.egress, notes.egress, egressPieces, (index, ports, unknown, l7) => emit(peer.name, egressNames[index]!, ports, unknown, l7));
      for (const name of cilium!.named.ingress) namedRow(peer.instances, ingress, notes.ingress, name, 'ingress', (ports, unknown, l7) => emit(name, peer.name, ports, unknown, l7));
      for (const name of cilium!.named.egress) namedRow(peer.instances, compiled.egress, notes.egress, name, 'egress', (ports, unknown, l7) => emit(peer.name, name, ports, unknown, l7));
      continue;
    }
    externalRow(peer.instances, ingress, ingressNames.length, (index, ports) => emit(ingressNames[index]!, peer.name, ports));
    externalRow(peer.instances, compiled.egress, egressNames.length, (index, ports) => emit(peer.name, egressNames[index]!, ports));
  }

  for (const [peer, ports] of ingressControllerFlows(model, topology, ingress, warn)) emit(INGRESS_CONTROLLER, peers[peer]!.name, ports);

  return { flows: sortFlows(flows), warnings: [...warnings], workloads: peers.map((peer) => peer.name) };
}

/** Every allowed flow of the model, sorted as netpol-analyzer sorts its connection list. */
export function computeFlows(model: NetworkModel): Flow[] {
  return analyzeFlows(model).flows;
}
