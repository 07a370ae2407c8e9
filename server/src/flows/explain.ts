// Explain: for a connection between two peers, which policies and which rules allow it and which deny it (and, for a
// denied connection, which default deny), in the spirit of np-guard netpol-analyzer's `list --explain`.
//
// Explain is no second evaluator. The verdict of each direction is the engine's: the sides compileFlows builds with
// every policy applied (engine.ts). Explain reads the same compiled policies to name, for each part of the ports, the
// rules behind that verdict, layer by layer as the engine applies them (adminPolicies.ts, cilium.ts):
//   AdminNetworkPolicies by priority (the first rule that decides a port: Allow, Deny or Pass; admin `decide`),
//   then for what they leave or pass: the NetworkPolicies and Cilium's allow rules when one of them selects the pod
//   (each allowing rule; for the rest, each selecting policy's default deny), else the BaselineAdminNetworkPolicy
//   (its first deciding rule) and the system default (allow all),
//   then Cilium's deny rules, which take away from every allow.
// test/unit/explainAgreement.ts checks, on every netpol-analyzer case (test/corpus/netpolExplain.test.ts) and every
// model of test/unit/flowsExplain.test.ts, that the allowed ports are the engine's flows and that each allowed port
// has an allowing reason in both directions and each denied port a denying one.
import type { NetworkModel } from '../model/network';
import type { Source } from '../model/source';
import type { AdminNetworkPolicy } from '../model/adminNetworkPolicy';
import type { CiliumPolicy } from '../model/ciliumNetworkPolicy';
import { adminRulePorts, type CompiledAdminPolicy, type CompiledAdminRule, decide } from './adminPolicies';
import { type CiliumSideExtras, HOST_PEER, namedPorts, type SidePolicy } from './cilium';
import { compileFlows, type CompiledFlows, egressTowards, externalPorts, ingressFrom } from './engine';
import { formatInterval, intervalCovered, type IpInterval } from './ipBlocks';
import { type CompiledRule, type Direction, rulePortsFor } from './policies';
import { PortSet, PROTOCOLS } from './ports';
import type { Instance } from './topology';

export type PolicyKind = 'NetworkPolicy' | AdminNetworkPolicy['kind'] | CiliumPolicy['kind'];

/** A policy as explain names it, with where it is written. */
export interface PolicyReference {
  readonly kind: PolicyKind;
  readonly name: string;
  /** The namespace of a NetworkPolicy or CiliumNetworkPolicy; undefined for cluster-wide kinds. */
  readonly namespace: string | undefined;
  /** The policy object. */
  readonly source: Source;
  /** What makes it apply to the pod: podSelector, the Cilium rule's endpointSelector, the admin policy's subject. */
  readonly selector: Source | undefined;
  /** Cilium: the rule among `spec` and `specs` (1-based), when the policy has more than one. */
  readonly spec: number | undefined;
}

/** ingress/egress: allow rules (and admin policies' rules, whatever their action); ingressDeny/egressDeny: Cilium's. */
export type RuleSection = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

/** One rule of a policy, with where it is written. */
export interface RuleReference {
  readonly section: RuleSection;
  /** Its position in its section, from 1 (netpol-analyzer's `rule #1`). */
  readonly number: number;
  /** An admin policy rule's name. */
  readonly name: string | undefined;
  readonly action: 'Allow' | 'Deny' | 'Pass';
  readonly source: Source;
}

/**
 * Why a direction allows or denies some ports:
 * - `rule`: a rule decides them (an allow rule, an admin policy's Allow/Deny/Pass, a Cilium deny rule);
 * - `default-deny`: the policy selects the pod for this direction and none of its rules allows these ports for this
 *   peer (`detail` says how: no rules, no rule selects the peer, or `rule` selects it but not these ports);
 * - `system-default`: no policy selects the pod for this direction, so everything is allowed;
 * - `host`: Cilium always lets a node reach its own pods;
 * - `outside`: this end is outside the cluster (an External piece, a named peer): no policy of it applies here.
 */
export interface Reason {
  readonly kind: 'rule' | 'default-deny' | 'system-default' | 'host' | 'outside';
  readonly effect: 'allow' | 'deny' | 'pass';
  readonly policy: PolicyReference | undefined;
  readonly rule: RuleReference | undefined;
  readonly detail: DenyDetail | undefined;
}

export type DenyDetail = 'no rules defined' | 'no rule selects the peer' | 'ports not referenced by the rule' | 'protocols not referenced by the rule';

export interface DirectionExplanation {
  readonly allowed: boolean;
  readonly reasons: readonly Reason[];
}

/** Ports with one verdict and one set of reasons per direction. */
export interface ExplainedPorts {
  readonly ports: PortSet;
  readonly allowed: boolean;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
}

export interface ConnectionExplanation {
  readonly src: string;
  readonly dst: string;
  /** What the engine allows: the flow's connection (PortSet.EMPTY when nothing). */
  readonly allowed: PortSet;
  /** Every port of TCP, UDP and SCTP, in groups of one verdict and one set of reasons: allowed groups first. */
  readonly groups: readonly ExplainedPorts[];
  /** Why the flow is `unknown` (something the engine could not evaluate could change it), or undefined. */
  readonly unknown: string | undefined;
}

/** Explains connections of one model; the policies are compiled once. */
export interface FlowExplainer {
  /** Every source explain knows: workloads, External pieces of ingress, Cilium's named peers of ingress. */
  readonly sources: readonly string[];
  /** Every destination: workloads, External pieces of egress, Cilium's named peers of egress. */
  readonly destinations: readonly string[];
  readonly warnings: readonly string[];
  /** The connection from one peer to another, by the names the flow list uses; undefined for an unknown name or a self-pair. */
  explain(src: string, dst: string): ConnectionExplanation | undefined;
  /** Every pair the flow list considers, sources then destinations in name order. */
  explainAll(): ConnectionExplanation[];
  /** The name of the source or destination peer a user means: a name as listed, `namespace/name` of a workload, or an IPv4 address. */
  resolve(text: string, role: 'source' | 'destination'): string | undefined;
}

/** The reasons of one (protocol, port) in an explanation, or undefined when the port is not TCP, UDP or SCTP 1-65535. */
export function explainPort(explanation: ConnectionExplanation, protocol: string, port: number): ExplainedPorts | undefined {
  const upper = protocol.toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(upper)) return undefined;
  return explanation.groups.find((group) => group.ports.has(upper as (typeof PROTOCOLS)[number], port));
}

// --- Partitions of the port space, each part labelled with reasons --------------------------------------------------

interface Part {
  readonly ports: PortSet;
  readonly reasons: readonly Reason[];
}

/** Splits every part at `ports`; the parts inside get `change(reasons)`. */
function overlay(parts: readonly Part[], ports: PortSet, change: (reasons: readonly Reason[]) => readonly Reason[]): Part[] {
  if (ports.isEmpty()) return [...parts];
  const result: Part[] = [];
  for (const part of parts) {
    const inside = part.ports.intersect(ports);
    if (inside.isEmpty()) {
      result.push(part);
      continue;
    }
    const outside = part.ports.minus(ports);
    if (!outside.isEmpty()) result.push({ ports: outside, reasons: part.reasons });
    result.push({ ports: inside, reasons: change(part.reasons) });
  }
  return result;
}

/** The parts of `parts` within `ports`. */
function within(parts: readonly Part[], ports: PortSet): Part[] {
  return parts.flatMap((part) => {
    const inside = part.ports.intersect(ports);
    return inside.isEmpty() ? [] : [{ ports: inside, reasons: part.reasons }];
  });
}

/** Every protocol the set names a port of, whole. */
function protocolsOf(ports: PortSet): PortSet {
  return PROTOCOLS.reduce((sum, protocol) => (ports.ranges[protocol].length > 0 ? sum.union(PortSet.protocol(protocol)) : sum), PortSet.EMPTY);
}

function reasonKey(reason: Reason): string {
  const { policy, rule } = reason;
  return [
    reason.kind,
    reason.effect,
    policy ? `${policy.kind}/${policy.namespace ?? ''}/${policy.name}/${policy.spec ?? ''}` : '',
    rule ? `${rule.section}#${rule.number}` : '',
    reason.detail ?? '',
  ].join('|');
}

function unique(reasons: readonly Reason[]): Reason[] {
  const seen = new Map<string, Reason>();
  for (const reason of reasons) if (!seen.has(reasonKey(reason))) seen.set(reasonKey(reason), reason);
  return [...seen.values()];
}

const SYSTEM_DEFAULT: Reason = { kind: 'system-default', effect: 'allow', policy: undefined, rule: undefined, detail: undefined };
const HOST: Reason = { kind: 'host', effect: 'allow', policy: undefined, rule: undefined, detail: undefined };
const OUTSIDE: Reason = { kind: 'outside', effect: 'allow', policy: undefined, rule: undefined, detail: undefined };

// --- The policies of the compiled model, with their names ------------------------------------------------------------

/** A NetworkPolicy or a Cilium rule set (allow or deny), as the side builder sees it, with its name. */
interface NamedSidePolicy {
  readonly side: SidePolicy;
  readonly reference: PolicyReference;
  /** The reference of its n-th rule (0-based) of a direction. */
  readonly rule: (direction: Direction, index: number, rule: CompiledRule) => RuleReference;
  readonly deny: boolean;
}

/** The other end of a direction: a pod, an External piece (by index among that direction's pieces), a named peer. */
type Other = { readonly kind: 'pod'; readonly instance: Instance } | { readonly kind: 'piece'; readonly index: number } | { readonly kind: 'named'; readonly name: string };

/** One end of a connection: every instance of a workload peer, an External piece, a named peer. */
type End = { readonly kind: 'pod'; readonly peer: number } | { readonly kind: 'piece'; readonly index: number } | { readonly kind: 'named'; readonly name: string };

/** Explains the connections of one model with the engine's compiled policies. */
export function createExplainer(model: NetworkModel): FlowExplainer {
  return explainerOf(compileFlows(model));
}

/** An explainer over an engine state already compiled. */
export function explainerOf(compiled: CompiledFlows): FlowExplainer {
  const { topology, admin, cilium, notes } = compiled;
  const count = topology.instances.length;
  const byInstance = (list: readonly NamedSidePolicy[]): NamedSidePolicy[][] => {
    const result: NamedSidePolicy[][] = Array.from({ length: count }, () => []);
    for (const entry of list) for (const instance of entry.side.selects) result[instance]!.push(entry);
    return result;
  };
  const networkPolicies: NamedSidePolicy[] = compiled.policies.map((policy) => ({
    side: policy,
    reference: {
      kind: 'NetworkPolicy',
      name: policy.policy.name,
      namespace: policy.namespace,
      source: policy.policy.source,
      selector: policy.policy.podSelector.known ? policy.policy.podSelector.source : undefined,
      spec: undefined,
    },
    rule: (direction, index) => ({ section: direction, number: index + 1, name: undefined, action: 'Allow', source: policy.policy[direction][index]!.source }),
    deny: false,
  }));
  const ciliumEntry =
    (deny: boolean) =>
    (side: SidePolicy): NamedSidePolicy => {
      const origin = side.origin!;
      const { policy } = origin;
      return {
        side,
        reference: {
          kind: policy.kind,
          name: policy.name ?? '(name not known)',
          namespace: policy.kind === 'CiliumNetworkPolicy' ? (policy.namespace ?? 'default') : undefined,
          source: policy.source,
          selector: origin.selector,
          spec: policy.rules.length > 1 ? origin.spec : undefined,
        },
        rule: (direction, index, rule) => {
          const extras = cilium!.extras.get(rule);
          return {
            section: extras?.section ?? (deny ? (direction === 'ingress' ? 'ingressDeny' : 'egressDeny') : direction),
            number: extras?.number ?? index + 1,
            name: undefined,
            action: deny ? 'Deny' : 'Allow',
            source: extras?.source ?? origin.source,
          };
        },
        deny,
      };
    };
  const allowPolicies = byInstance([...networkPolicies, ...(cilium?.allow ?? []).map(ciliumEntry(false))]);
  const denyPolicies = byInstance((cilium?.deny ?? []).map(ciliumEntry(true)));
  const adminReference = (policy: CompiledAdminPolicy): PolicyReference => ({
    kind: policy.kind,
    name: policy.name,
    namespace: undefined,
    source: policy.source,
    selector: policy.subjectSource,
    spec: undefined,
  });
  const adminByInstance: CompiledAdminPolicy[][] = Array.from({ length: count }, () => []);
  for (const policy of admin.admin) for (const instance of policy.selects) adminByInstance[instance]!.push(policy);
  const baselineSelects = new Set(admin.baseline?.selects ?? []);

  const piecesOf = (direction: Direction) => (direction === 'ingress' ? compiled.ingressPieces : compiled.egressPieces);
  const sidesOf = (direction: Direction) => (direction === 'ingress' ? compiled.ingress : compiled.egress);
  const extrasOf = (direction: Direction, instance: number): CiliumSideExtras | undefined => notes?.[direction][instance];
  const pieceCovered = (direction: Direction, index: number, intervals: readonly IpInterval[]) => intervalCovered(piecesOf(direction)[index]!, intervals);

  /** Whether a NetworkPolicy or Cilium rule matches the other end, and the ports it opens (or denies) there. */
  const rulePorts = (rule: CompiledRule, direction: Direction, self: Instance, other: Other): PortSet | undefined => {
    if (other.kind === 'pod') {
      if (!(rule.allPeers || rule.anyPod || rule.matched.includes(other.instance.index))) return undefined;
      return rulePortsFor(rule, direction === 'ingress' ? self : other.instance);
    }
    if (other.kind === 'piece') {
      if (!(rule.allPeers || pieceCovered(direction, other.index, rule.ipv4))) return undefined;
    } else {
      const extras = cilium?.extras.get(rule);
      if (!(rule.allPeers || extras?.everyNamed || extras?.named.includes(other.name))) return undefined;
    }
    return direction === 'ingress' ? rulePortsFor(rule, self) : rule.fixedPorts;
  };

  const adminMatches = (rule: CompiledAdminRule, direction: Direction, other: Other): boolean =>
    other.kind === 'pod' ? rule.anyPod || rule.matched.has(other.instance.index) : other.kind === 'piece' && pieceCovered(direction, other.index, rule.ipv4);
  const adminPorts = (rule: CompiledAdminRule, direction: Direction, self: Instance, other: Other): PortSet =>
    adminRulePorts(rule, direction === 'ingress' ? self : other.kind === 'pod' ? other.instance : undefined);

  /** The admin rules of a list of policies for one direction, in order, each with its policy's reference. */
  const adminRules = (policies: readonly CompiledAdminPolicy[], direction: Direction) => {
    const owner = new Map<CompiledAdminRule, PolicyReference>();
    const rules: CompiledAdminRule[] = [];
    for (const policy of policies) {
      const reference = adminReference(policy);
      for (const rule of policy[direction]) {
        owner.set(rule, reference);
        rules.push(rule);
      }
    }
    return { rules, owner };
  };
  const adminReason = (rule: CompiledAdminRule, direction: Direction, policy: PolicyReference): Reason => ({
    kind: 'rule',
    effect: rule.action === 'Allow' ? 'allow' : rule.action === 'Deny' ? 'deny' : 'pass',
    policy,
    rule: { section: direction, number: rule.number, name: rule.name, action: rule.action, source: rule.source },
    detail: undefined,
  });

  /** The NetworkPolicies and Cilium allow rules, or when none selects the pod, the BANP and the system default. */
  const baseLayer = (direction: Direction, self: Instance, other: Other): Part[] => {
    const selecting = allowPolicies[self.index]!.filter((entry) => entry.side[direction] !== undefined);
    const isolating = selecting.filter((entry) => entry.side.isolates === undefined || entry.side.isolates[direction]);
    if (isolating.length === 0) {
      let parts: Part[] = [{ ports: PortSet.ALL, reasons: [SYSTEM_DEFAULT] }];
      if (admin.baseline && baselineSelects.has(self.index)) {
        const { rules, owner } = adminRules([admin.baseline], direction);
        const decided: [CompiledAdminRule, PortSet][] = [];
        decide(
          rules,
          (rule) => adminMatches(rule, direction, other),
          (rule) => adminPorts(rule, direction, self, other),
          (rule, ports) => decided.push([rule, ports]),
        );
        for (const [rule, ports] of decided) parts = overlay(parts, ports, () => [adminReason(rule, direction, owner.get(rule)!)]);
      }
      return parts;
    }
    let parts: Part[] = [{ ports: PortSet.ALL, reasons: [] }];
    for (const entry of selecting) {
      entry.side[direction]!.forEach((rule, index) => {
        const ports = rulePorts(rule, direction, self, other);
        if (!ports || ports.isEmpty()) return;
        const reason: Reason = { kind: 'rule', effect: 'allow', policy: entry.reference, rule: entry.rule(direction, index, rule), detail: undefined };
        parts = overlay(parts, ports, (reasons) => [...reasons, reason]);
      });
    }
    // What no rule allows: each selecting policy's default deny, with the rule that selects the peer where one does.
    for (const entry of isolating) {
      const rules = entry.side[direction]!;
      let matching: { index: number; rule: CompiledRule; ports: PortSet } | undefined;
      rules.forEach((rule, index) => {
        const ports = rulePorts(rule, direction, self, other);
        if (ports && !matching) matching = { index, rule, ports };
      });
      const denial = (detail: DenyDetail, rule?: RuleReference): Reason => ({ kind: 'default-deny', effect: 'deny', policy: entry.reference, rule, detail });
      if (!matching) {
        const reason = denial(rules.length === 0 ? 'no rules defined' : 'no rule selects the peer');
        parts = parts.map((part) => (part.reasons.some((r) => r.effect === 'allow') ? part : { ports: part.ports, reasons: [...part.reasons, reason] }));
        continue;
      }
      const rule = entry.rule(direction, matching.index, matching.rule);
      const named = protocolsOf(matching.ports);
      const denied = parts.filter((part) => !part.reasons.some((r) => r.effect === 'allow'));
      const allowedParts = parts.filter((part) => part.reasons.some((r) => r.effect === 'allow'));
      const withPorts = overlay(
        denied.map((part) => ({ ports: part.ports, reasons: [...part.reasons, denial('protocols not referenced by the rule', rule)] })),
        named,
        (reasons) => [...reasons.slice(0, -1), denial('ports not referenced by the rule', rule)],
      );
      parts = [...allowedParts, ...withPorts];
    }
    return parts;
  };

  /** Every reason of one direction of one instance towards the other end, as a partition of the ports. */
  const sideParts = (direction: Direction, self: Instance, other: Other): Part[] => {
    if (direction === 'ingress' && other.kind === 'named' && other.name === HOST_PEER) return [{ ports: PortSet.ALL, reasons: [HOST] }];
    const base = baseLayer(direction, self, other);
    let parts = base;
    if (adminByInstance[self.index]!.length > 0 && other.kind !== 'named') {
      const { rules, owner } = adminRules(adminByInstance[self.index]!, direction);
      const decided: [CompiledAdminRule, PortSet][] = [];
      decide(
        rules,
        (rule) => adminMatches(rule, direction, other),
        (rule) => adminPorts(rule, direction, self, other),
        (rule, ports) => decided.push([rule, ports]),
      );
      for (const [rule, ports] of decided) {
        const reason = adminReason(rule, direction, owner.get(rule)!);
        // A Pass hands the ports on to the layer below, whose reasons follow it; Allow and Deny decide them.
        parts = overlay(parts, ports, (reasons) => (rule.action === 'Pass' ? [reason, ...reasons] : [reason]));
      }
    }
    for (const entry of denyPolicies[self.index]!) {
      entry.side[direction]?.forEach((rule, index) => {
        const ports = rulePorts(rule, direction, self, other);
        if (!ports || ports.isEmpty()) return;
        const reason: Reason = { kind: 'rule', effect: 'deny', policy: entry.reference, rule: entry.rule(direction, index, rule), detail: undefined };
        parts = overlay(parts, ports, (reasons) => (reasons.some((r) => r.effect === 'deny') ? [...reasons, reason] : [reason]));
      });
    }
    return parts;
  };

  /** The engine's answer for one direction of one instance, and why it is unknown if it is. */
  const engineSide = (direction: Direction, self: Instance, other: Other): { allowed: PortSet; unknown: string | undefined } => {
    const side = sidesOf(direction)[self.index]!;
    const extras = extrasOf(direction, self.index);
    if (other.kind === 'pod') {
      return { allowed: direction === 'egress' ? egressTowards(side, other.instance) : ingressFrom(side, other.instance.index), unknown: extras?.unknown?.pods };
    }
    if (other.kind === 'piece') return { allowed: externalPorts(side, other.index), unknown: extras?.unknown?.external };
    const host = direction === 'ingress' && other.name === HOST_PEER;
    return { allowed: namedPorts(side, extras, other.name, direction), unknown: host ? undefined : extras?.unknown?.external };
  };

  interface PairAnswer {
    readonly allowed: PortSet;
    readonly groups: ExplainedPorts[];
    readonly unknown: string | undefined;
  }

  /** One direction: the engine's verdict on each part of the reasons' partition. */
  const direction = (dir: Direction, self: Instance, other: Other) => {
    const { allowed, unknown } = engineSide(dir, self, other);
    const parts = sideParts(dir, self, other);
    return { allowed, unknown, parts: [...within(parts, allowed).map((part) => ({ ...part, allowed: true })), ...within(parts, allowed.complement()).map((part) => ({ ...part, allowed: false }))] };
  };
  const outside = { allowed: PortSet.ALL, unknown: undefined, parts: [{ ports: PortSet.ALL, reasons: [OUTSIDE], allowed: true }] };

  /** One pair of instances (or an instance and an outside end). */
  const instancePair = (egress: ReturnType<typeof direction>, ingress: ReturnType<typeof direction>): PairAnswer => {
    const groups: ExplainedPorts[] = [];
    for (const out of egress.parts) {
      for (const into of ingress.parts) {
        const ports = out.ports.intersect(into.ports);
        if (ports.isEmpty()) continue;
        groups.push({
          ports,
          allowed: out.allowed && into.allowed,
          egress: { allowed: out.allowed, reasons: unique(out.reasons) },
          ingress: { allowed: into.allowed, reasons: unique(into.reasons) },
        });
      }
    }
    return { allowed: egress.allowed.intersect(ingress.allowed), groups, unknown: egress.unknown ?? ingress.unknown };
  };

  /** Joins the answers of several instance pairs (a peer of several pods): allowed where any allows, with its reasons. */
  const join = (src: string, dst: string, answers: readonly PairAnswer[]): ConnectionExplanation => {
    let allowed = PortSet.EMPTY;
    for (const answer of answers) allowed = allowed.union(answer.allowed);
    let atoms: PortSet[] = [PortSet.ALL];
    for (const answer of answers) {
      for (const group of answer.groups) {
        atoms = atoms.flatMap((atom) => [atom.intersect(group.ports), atom.minus(group.ports)].filter((ports) => !ports.isEmpty()));
      }
    }
    const byKey = new Map<string, ExplainedPorts>();
    for (const atom of atoms) {
      const hits = answers.flatMap((answer) => answer.groups.filter((group) => !group.ports.intersect(atom).isEmpty()));
      const chosen = hits.some((group) => group.allowed) ? hits.filter((group) => group.allowed) : hits;
      const merge = (pick: (group: ExplainedPorts) => DirectionExplanation): DirectionExplanation => ({
        allowed: chosen.some((group) => pick(group).allowed),
        reasons: unique(chosen.flatMap((group) => pick(group).reasons)),
      });
      const egress = merge((group) => group.egress);
      const ingress = merge((group) => group.ingress);
      const isAllowed = !allowed.intersect(atom).isEmpty();
      const key = `${isAllowed}|${egress.allowed}|${ingress.allowed}|${egress.reasons.map(reasonKey).join(';')}|${ingress.reasons.map(reasonKey).join(';')}`;
      const existing = byKey.get(key);
      byKey.set(key, existing ? { ...existing, ports: existing.ports.union(atom) } : { ports: atom, allowed: isAllowed, egress, ingress });
    }
    const groups = [...byKey.values()].sort((a, b) => Number(b.allowed) - Number(a.allowed) || comparePorts(a.ports, b.ports));
    const unknown = answers.find((answer) => answer.unknown !== undefined)?.unknown;
    return { src, dst, allowed, groups, unknown };
  };

  const { instances, peers } = topology;
  const ingressNames = compiled.ingressPieces.map((piece) => `${formatInterval(piece)}[External]`);
  const egressNames = compiled.egressPieces.map((piece) => `${formatInterval(piece)}[External]`);
  const namedSources = cilium?.named.ingress ?? [];
  const namedDestinations = cilium?.named.egress ?? [];
  const ends = (role: 'source' | 'destination'): Map<string, End> => {
    const map = new Map<string, End>();
    peers.forEach((peer, index) => map.set(peer.name, { kind: 'pod', peer: index }));
    (role === 'source' ? ingressNames : egressNames).forEach((name, index) => map.set(name, { kind: 'piece', index }));
    for (const name of role === 'source' ? namedSources : namedDestinations) map.set(name, { kind: 'named', name });
    return map;
  };
  const sourceEnds = ends('source');
  const destinationEnds = ends('destination');

  const explainEnds = (src: string, from: End, dst: string, to: End): ConnectionExplanation | undefined => {
    if (from.kind !== 'pod' && to.kind !== 'pod') return undefined;
    if (from.kind === 'pod' && to.kind === 'pod' && from.peer === to.peer) return undefined;
    const answers: PairAnswer[] = [];
    if (from.kind === 'pod' && to.kind === 'pod') {
      for (const s of peers[from.peer]!.instances) {
        for (const d of peers[to.peer]!.instances) {
          const source = instances[s]!;
          const destination = instances[d]!;
          answers.push(instancePair(direction('egress', source, { kind: 'pod', instance: destination }), direction('ingress', destination, { kind: 'pod', instance: source })));
        }
      }
    } else if (from.kind === 'pod') {
      const other: Other = to.kind === 'piece' ? { kind: 'piece', index: to.index } : { kind: 'named', name: (to as { name: string }).name };
      for (const s of peers[from.peer]!.instances) answers.push(instancePair(direction('egress', instances[s]!, other), outside));
    } else {
      const other: Other = from.kind === 'piece' ? { kind: 'piece', index: from.index } : { kind: 'named', name: from.name };
      for (const d of peers[(to as { peer: number }).peer]!.instances) answers.push(instancePair(outside, direction('ingress', instances[d]!, other)));
    }
    return join(src, dst, answers);
  };

  const byName = (names: Iterable<string>) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    sources: byName(sourceEnds.keys()),
    destinations: byName(destinationEnds.keys()),
    warnings: [...compiled.warnings],
    explain(src, dst) {
      const from = sourceEnds.get(src);
      const to = destinationEnds.get(dst);
      return from && to ? explainEnds(src, from, dst, to) : undefined;
    },
    explainAll() {
      const result: ConnectionExplanation[] = [];
      for (const src of this.sources) {
        for (const dst of this.destinations) {
          const explanation = explainEnds(src, sourceEnds.get(src)!, dst, destinationEnds.get(dst)!);
          if (explanation) result.push(explanation);
        }
      }
      return result;
    },
    resolve(text, role) {
      const known = role === 'source' ? sourceEnds : destinationEnds;
      if (known.has(text)) return text;
      const workloads = peers.filter((peer) => peer.name.slice(0, peer.name.lastIndexOf('[')) === text);
      if (workloads.length === 1) return workloads[0]!.name;
      const address = parseIpv4(text);
      if (address === undefined) return undefined;
      const pieces = role === 'source' ? compiled.ingressPieces : compiled.egressPieces;
      const index = pieces.findIndex((piece) => piece.start <= address && address <= piece.end);
      return index < 0 ? undefined : (role === 'source' ? ingressNames : egressNames)[index];
    },
  };
}

function parseIpv4(text: string): bigint | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

/** Orders port sets by their first protocol and port. */
function comparePorts(a: PortSet, b: PortSet): number {
  const first = (ports: PortSet): number => {
    for (const [index, protocol] of PROTOCOLS.entries()) {
      const range = ports.ranges[protocol][0];
      if (range) return index * 70000 + range[0];
    }
    return Number.MAX_SAFE_INTEGER;
  };
  return first(a) - first(b);
}
