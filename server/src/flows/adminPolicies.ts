// AdminNetworkPolicies and the BaselineAdminNetworkPolicy compiled against a topology, and how they decide a
// connection together with the NetworkPolicies (as np-guard netpol-analyzer evaluates them):
//
// - The ANPs that select a pod (subject) are taken by priority, lowest number first, and each one's rules in the
//   order written; the first rule whose peer matches and whose ports hold a connection decides it: Allow, Deny or
//   Pass. Connections no rule decides are passed too.
// - Passed connections are decided by the NetworkPolicies when some NetworkPolicy selects the pod for that
//   direction (their union allows, the rest is denied), else by the BANP: its first matching rule denies or
//   allows; what it does not match is allowed.
// So, per peer: allowed = ANP-allowed + (NetworkPolicy-allowed, or everything but BANP-denied) - ANP-denied.
// (facts.ts ADMIN_NETWORK_POLICY; checked against netpol-analyzer's connlist cases in test/corpus.)
import { ADMIN_NETWORK_POLICY } from '../facts';
import type { AdminNetworkPolicy, AdminPolicyPods, AdminPolicyPort, AdminPolicyRule } from '../model/adminNetworkPolicy';
import type { LabelSelector } from '../model/network';
import { isNotSet, type Source, type Value } from '../model/source';
import type { Side } from './engine';
import { type IpInterval, ipBlockIntervals, mergeIntervals, piecesWithin } from './ipBlocks';
import { isEmptySelector, type LabelSet, selectorMatches } from './labels';
import { MAX_PORT, MIN_PORT, parseProtocol, PortSet } from './ports';
import { rulePortsFor } from './policies';
import type { Instance, Topology } from './topology';

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

export interface CompiledAdminRule {
  readonly action: AdminAction;
  /** Some peer matches every pod of every namespace. */
  readonly anyPod: boolean;
  /** Instances some peer matches (empty when `anyPod`). */
  readonly matched: ReadonlySet<number>;
  /** Egress `networks`: IPv4 addresses, merged. */
  readonly ipv4: readonly IpInterval[];
  /** portNumber and portRange entries; every port when the rule has no `ports`. */
  readonly fixedPorts: PortSet;
  /** namedPort entries: container port names of the destination pod. */
  readonly namedPorts: readonly string[];
  /** Where the rule is written, its name and its position in its section (1-based): what explain names. */
  readonly name: string | undefined;
  readonly number: number;
  readonly source: Source;
}

export interface CompiledAdminPolicy {
  readonly kind: AdminNetworkPolicy['kind'];
  readonly name: string;
  readonly priority: number;
  /** Instances the subject selects. */
  readonly selects: readonly number[];
  readonly ingress: readonly CompiledAdminRule[];
  readonly egress: readonly CompiledAdminRule[];
  /** The policy's object, and its subject (what makes it apply to a pod). */
  readonly source: Source;
  readonly subjectSource: Source;
}

export interface CompiledAdminPolicies {
  /** AdminNetworkPolicies in the order they are evaluated (priority, then name). */
  readonly admin: readonly CompiledAdminPolicy[];
  readonly baseline: CompiledAdminPolicy | undefined;
}

/** ANP priorities the API accepts. */
const { min: MIN_PRIORITY, max: MAX_PRIORITY } = ADMIN_NETWORK_POLICY.value.priority;

/** The BANP is a singleton: the API accepts only this name. */
export const BASELINE_NAME = ADMIN_NETWORK_POLICY.value.baselineName;

/** The ports a rule opens on a destination: its fixed ports and its named ports resolved on that pod (first port of that name). */
export function adminRulePorts(rule: CompiledAdminRule, destination: Instance | undefined): PortSet {
  if (rule.namedPorts.length === 0 || destination === undefined) return rule.fixedPorts;
  let ports = rule.fixedPorts;
  for (const name of rule.namedPorts) {
    const port = destination.ports.find((candidate) => candidate.name === name);
    if (port) ports = ports.union(PortSet.ports(port.protocol, [port.port, port.port]));
  }
  return ports;
}

/** What an ordered list of rules decides for one peer: the first matching rule decides each connection. */
export interface AdminVerdict {
  readonly allow: PortSet;
  readonly deny: PortSet;
}

export const NO_VERDICT: AdminVerdict = { allow: PortSet.EMPTY, deny: PortSet.EMPTY };

/**
 * Runs the rules that match a peer, in order; `portsOf` gives each rule's ports towards that peer. `decided`, when
 * given, hears each rule that decides some ports, with those ports (explain names the rules this way).
 */
export function decide(
  rules: readonly CompiledAdminRule[],
  matches: (rule: CompiledAdminRule) => boolean,
  portsOf: (rule: CompiledAdminRule) => PortSet,
  decidedBy?: (rule: CompiledAdminRule, ports: PortSet) => void,
): AdminVerdict {
  let decided = PortSet.EMPTY;
  let allow = PortSet.EMPTY;
  let deny = PortSet.EMPTY;
  for (const rule of rules) {
    if (decided.isAll()) break;
    if (!matches(rule)) continue;
    const ports = portsOf(rule);
    const fresh = decided.isEmpty() ? ports : ports.minus(decided);
    if (fresh.isEmpty()) continue;
    decidedBy?.(rule, fresh);
    if (rule.action === 'Allow') allow = allow.union(fresh);
    else if (rule.action === 'Deny') deny = deny.union(fresh);
    decided = decided.union(fresh);
  }
  return allow.isEmpty() && deny.isEmpty() ? NO_VERDICT : { allow, deny };
}

/** Compiles the workspace's admin policies; what cannot be evaluated is left out with a warning. */
export class AdminPolicyCompiler {
  constructor(
    private readonly topology: Topology,
    private readonly warn: (message: string) => void,
  ) {}

  compile(policies: readonly AdminNetworkPolicy[]): CompiledAdminPolicies {
    const admin: CompiledAdminPolicy[] = [];
    let baseline: CompiledAdminPolicy | undefined;
    const names = new Set<string>();
    for (const policy of policies) {
      const label = `${policy.kind} ${policy.name ?? '(name not known)'}`;
      if (policy.name === undefined) {
        this.warn(`${label}: its name is not known; left out of the flows.`);
        continue;
      }
      if (policy.kind === 'BaselineAdminNetworkPolicy') {
        if (policy.name !== BASELINE_NAME) {
          this.warn(`${label}: a BaselineAdminNetworkPolicy must be named "${BASELINE_NAME}"; left out of the flows.`);
        } else if (baseline) {
          this.warn(`${label}: more than one BaselineAdminNetworkPolicy; only the first is evaluated.`);
        } else {
          baseline = this.compilePolicy(policy, label, 0);
        }
        continue;
      }
      if (names.has(policy.name)) {
        this.warn(`${label}: more than one AdminNetworkPolicy of this name; only the first is evaluated.`);
        continue;
      }
      names.add(policy.name);
      if (!policy.priority.known) {
        this.warn(`${label}: priority ${isNotSet(policy.priority) ? 'is not set' : policy.priority.reason}; left out of the flows.`);
        continue;
      }
      const priority = policy.priority.value;
      if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
        this.warn(`${label}: priority ${priority} is outside ${MIN_PRIORITY}-${MAX_PRIORITY}; left out of the flows.`);
        continue;
      }
      const compiled = this.compilePolicy(policy, label, priority);
      if (compiled) admin.push(compiled);
    }
    admin.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < admin.length; i++) {
      if (admin[i]!.priority === admin[i - 1]!.priority) {
        this.warn(
          `AdminNetworkPolicies ${admin[i - 1]!.name} and ${admin[i]!.name} have the same priority ${admin[i]!.priority}: Kubernetes leaves their order undefined; evaluated here in name order.`,
        );
      }
    }
    return { admin, baseline };
  }

  private compilePolicy(policy: AdminNetworkPolicy, label: string, priority: number): CompiledAdminPolicy | undefined {
    const selects = this.podsMatching(policy.subject, `${label}: subject`);
    if (selects === undefined) {
      this.warn(`${label}: the subject must set exactly one of namespaces and pods, with known selectors; left out of the flows.`);
      return undefined;
    }
    const baseline = policy.kind === 'BaselineAdminNetworkPolicy';
    const rules = (list: readonly AdminPolicyRule[], direction: 'ingress' | 'egress') =>
      list.flatMap((rule, index) => {
        const compiled = this.compileRule(rule, `${label}: ${direction} rule ${rule.name ?? `#${index + 1}`}`, baseline, direction);
        return compiled ? [{ ...compiled, name: rule.name, number: index + 1, source: rule.source }] : [];
      });
    return {
      kind: policy.kind,
      name: policy.name!,
      priority,
      selects: [...selects],
      ingress: rules(policy.ingress, 'ingress'),
      egress: rules(policy.egress, 'egress'),
      source: policy.source,
      subjectSource: policy.subject.source,
    };
  }

  private compileRule(
    rule: AdminPolicyRule,
    label: string,
    baseline: boolean,
    direction: 'ingress' | 'egress',
  ): Omit<CompiledAdminRule, 'name' | 'number' | 'source'> | undefined {
    const action = rule.action.known ? rule.action.value : undefined;
    if (action !== 'Allow' && action !== 'Deny' && (action !== 'Pass' || baseline)) {
      this.warn(`${label}: action ${action === undefined ? 'is not known' : `'${action}' is not ${baseline ? 'Allow or Deny' : 'Allow, Deny or Pass'}`}; the rule is left out of the flows.`);
      return undefined;
    }
    if (rule.peers.length === 0) this.warn(`${label}: no ${direction === 'ingress' ? 'from' : 'to'} peers; the rule matches nothing.`);
    const matched = new Set<number>();
    const ipv4: IpInterval[] = [];
    let anyPod = false;
    for (const peer of rule.peers) {
      // Ingress peers have no networks or nodes fields: written there, the API would not keep them.
      const egressOnly = direction === 'egress' ? [peer.networks, peer.nodes || undefined] : [];
      const fields = [peer.namespaces, peer.pods, ...egressOnly].filter((field) => field !== undefined).length;
      if (fields !== 1) {
        this.warn(`${label}: a peer must set exactly one of namespaces, pods${direction === 'egress' ? ', networks and nodes' : ' and'}; it matches nothing.`);
        continue;
      }
      if (direction === 'ingress' && (peer.networks || peer.nodes)) {
        this.warn(`${label}: networks and nodes are egress peers only; ignored in an ingress rule.`);
      }
      if (peer.pods === undefined && peer.namespaces === undefined && peer.nodes) {
        this.warn(`${label}: nodes peers are not supported; the peer matches nothing in the flows.`);
        continue;
      }
      if (peer.pods === undefined && peer.namespaces === undefined && peer.networks) {
        for (const network of peer.networks) {
          if (!network.known) this.warn(`${label}: a network ${network.reason}; it matches nothing in the flows.`);
          else if (network.value.family === 4) ipv4.push(...ipBlockIntervals(network.value, []));
        }
        continue;
      }
      if (anyPod) continue;
      if (selectsEveryPod(peer)) {
        anyPod = true;
        continue;
      }
      for (const index of this.podsMatching(peer, `${label}: a peer`) ?? []) matched.add(index);
    }
    const { fixedPorts, namedPorts } = this.compilePorts(rule.ports, label);
    return { action, anyPod, matched: anyPod ? new Set() : matched, ipv4: mergeIntervals(ipv4), fixedPorts, namedPorts };
  }

  private compilePorts(ports: readonly AdminPolicyPort[] | undefined, label: string): { fixedPorts: PortSet; namedPorts: string[] } {
    if (ports === undefined) return { fixedPorts: PortSet.ALL, namedPorts: [] };
    let fixedPorts = PortSet.EMPTY;
    const namedPorts: string[] = [];
    const range = (protocolValue: Value<string>, first: Value<number>, last: Value<number>): void => {
      const protocol = protocolValue.known ? parseProtocol(protocolValue.value) : isNotSet(protocolValue) ? 'TCP' : undefined;
      if (!protocol || !first.known || !last.known) {
        this.warn(`${label}: a port cannot be evaluated (protocol TCP, UDP or SCTP, whole numbers); it opens nothing in the flows.`);
      } else if (first.value < MIN_PORT || last.value > MAX_PORT || last.value < first.value) {
        this.warn(`${label}: port range ${first.value}-${last.value} is not valid; it opens nothing in the flows.`);
      } else {
        fixedPorts = fixedPorts.union(PortSet.ports(protocol, [first.value, last.value]));
      }
    };
    for (const port of ports) {
      const forms = [port.portNumber, port.namedPort, port.portRange].filter((form) => form !== undefined).length;
      if (forms !== 1) {
        this.warn(`${label}: a port must set exactly one of portNumber, namedPort and portRange; it opens nothing in the flows.`);
      } else if (port.portNumber) {
        range(port.portNumber.protocol, port.portNumber.port, port.portNumber.port);
      } else if (port.portRange) {
        range(port.portRange.protocol, port.portRange.start, port.portRange.end);
      } else if (port.namedPort!.known) {
        namedPorts.push(port.namedPort!.value);
      } else {
        this.warn(`${label}: a named port ${port.namedPort!.reason}; it opens nothing in the flows.`);
      }
    }
    return { fixedPorts, namedPorts };
  }

  /** Instances a subject or peer selects; undefined when it does not set exactly one of namespaces and pods, or a selector is not known. */
  private podsMatching(pods: AdminPolicyPods, label: string): number[] | undefined {
    if ((pods.namespaces === undefined) === (pods.pods === undefined)) return undefined;
    const namespaceSelector = known(pods.namespaces ?? pods.pods!.namespaceSelector);
    const podSelector = pods.pods ? known(pods.pods.podSelector) : undefined;
    if (namespaceSelector === undefined || (pods.pods && podSelector === undefined)) {
      this.warn(`${label}: a selector cannot be evaluated; it matches nothing in the flows.`);
      return [];
    }
    const matches = (selector: LabelSelector, labels: LabelSet): boolean => {
      const result = selectorMatches(selector, labels);
      if (result === undefined) this.warn(`${label}: a selector depends on a label whose value is not known; counted as not matching.`);
      return result === true;
    };
    const hits: number[] = [];
    for (const namespace of this.topology.namespaces) {
      if (!matches(namespaceSelector, this.topology.namespaceLabels(namespace))) continue;
      for (const instance of this.topology.instancesIn(namespace)) {
        if (podSelector === undefined || matches(podSelector, instance.labels)) hits.push(instance.index);
      }
    }
    return hits;
  }
}

function known<T>(value: Value<T>): T | undefined {
  return value.known ? value.value : undefined;
}

/** A peer that matches every pod: `namespaces: {}`, or `pods` with two empty selectors. */
function selectsEveryPod(peer: AdminPolicyPods): boolean {
  const empty = (value: Value<LabelSelector>) => value.known && isEmptySelector(value.value);
  if (peer.namespaces !== undefined) return empty(peer.namespaces);
  return peer.pods !== undefined && empty(peer.pods.namespaceSelector) && empty(peer.pods.podSelector);
}

/** A number per instance, equal for instances whose container ports are the same. */
function portProfiles(instances: readonly Instance[]): number[] {
  const ids = new Map<string, number>();
  return instances.map((instance) => {
    const key = instance.ports.map((port) => `${port.name ?? ''}/${port.protocol}/${port.port}`).join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  });
}

/** The admin rules of one direction that apply to each instance, in evaluation order. */
function rulesPerInstance(count: number, policies: readonly CompiledAdminPolicy[], direction: 'ingress' | 'egress'): CompiledAdminRule[][] {
  const rules: CompiledAdminRule[][] = Array.from({ length: count }, () => []);
  for (const policy of policies) {
    const own = policy[direction];
    if (own.length === 0) continue;
    for (const instance of policy.selects) rules[instance]!.push(...own);
  }
  return rules;
}

/**
 * The sides of one direction with the admin policies applied: for each instance an ANP or the BANP selects, the
 * NetworkPolicies' side is replaced by one that holds the final answer per peer (same shape: defaults for every
 * pod and every External piece, and the peers some rule names). Other instances keep their side.
 */
export function applyAdminPolicies(
  topology: Topology,
  sides: readonly Side[],
  compiled: CompiledAdminPolicies,
  direction: 'ingress' | 'egress',
  pieces: readonly IpInterval[],
): Side[] {
  const count = topology.instances.length;
  const admin = rulesPerInstance(count, compiled.admin, direction);
  const baseline = rulesPerInstance(count, compiled.baseline ? [compiled.baseline] : [], direction);
  const piecesOf = new Map<CompiledAdminRule, ReadonlySet<number>>();
  const covered = (rule: CompiledAdminRule): ReadonlySet<number> => {
    let set = piecesOf.get(rule);
    if (!set) {
      set = new Set(piecesWithin(pieces, rule.ipv4));
      piecesOf.set(rule, set);
    }
    return set;
  };
  // Pods with the same container ports resolve named ports alike (on the destination for egress, on the pod itself
  // for ingress): answers that depend on a pod only through them are computed once per port profile.
  const profiles = portProfiles(topology.instances);
  // Instances with the same NetworkPolicy side (the one side of every pod no NetworkPolicy selects), the same admin
  // policies and, for ingress (named ports resolve on the pod itself), the same ports get the same side: built once.
  const selectedBy = topology.instances.map(() => '');
  compiled.admin.forEach((policy, number) => {
    if (policy[direction].length > 0) for (const instance of policy.selects) selectedBy[instance] += `${number},`;
  });
  const sideIds = new Map<Side, number>();
  const built = new Map<string, Side>();
  return sides.map((side, index) => {
    const anp = admin[index]!;
    const banp = side.selected ? [] : baseline[index]!;
    if (anp.length === 0 && banp.length === 0) return side;
    let sideId = sideIds.get(side);
    if (sideId === undefined) {
      sideId = sideIds.size;
      sideIds.set(side, sideId);
    }
    const key = `${sideId}|${selectedBy[index]}|${banp.length > 0}|${direction === 'ingress' ? profiles[index] : ''}`;
    let combined = built.get(key);
    if (!combined) {
      combined = combine(side, anp, banp, topology.instances[index]!);
      built.set(key, combined);
    }
    return combined;
  });

  function combine(side: Side, anp: readonly CompiledAdminRule[], banp: readonly CompiledAdminRule[], self: Instance): Side {
    // Ingress rules open ports on this pod (one answer per rule); egress rules on each destination.
    const ingressPorts = new Map<CompiledAdminRule, PortSet>();
    const portsTowards = (destination: Instance | undefined) =>
      direction === 'ingress'
        ? (rule: CompiledAdminRule) => {
            let ports = ingressPorts.get(rule);
            if (!ports) {
              ports = adminRulePorts(rule, self);
              ingressPorts.set(rule, ports);
            }
            return ports;
          }
        : (rule: CompiledAdminRule) => adminRulePorts(rule, destination);
    const layered = [...anp, ...banp];
    /** What the ANPs decide, and what the BANP leaves open (undefined when the NetworkPolicies decide instead). */
    interface Verdicts {
      readonly anp: AdminVerdict;
      readonly open: PortSet | undefined;
    }
    const judge = (matches: (rule: CompiledAdminRule) => boolean, destination: Instance | undefined): Verdicts => {
      const ports = portsTowards(destination);
      return { anp: decide(anp, matches, ports), open: side.selected ? undefined : PortSet.ALL.minus(decide(banp, matches, ports).deny) };
    };
    /** ANP-allowed + (the NetworkPolicies' answer, or everything but what the BANP denies) - ANP-denied. */
    const settle = (networkPolicies: PortSet, { anp: { allow, deny }, open }: Verdicts): PortSet => {
      const below = open ?? networkPolicies;
      return allow.union(deny.isEmpty() ? below : below.minus(deny));
    };
    // Pods that the same rules match (and, for egress, with the same container ports) get the same verdicts.
    const verdicts = new Map<string, Verdicts>();
    const towardsPod = (destination: Instance): PortSet => {
      let ports = side.byInstance.get(destination.index) ?? side.pods;
      for (const rule of side.namedForPods) ports = ports.union(rulePortsFor(rule, destination));
      const at = destination.index;
      let key = direction === 'egress' ? `${profiles[at]}:` : '';
      for (const rule of layered) key += rule.anyPod || rule.matched.has(at) ? '1' : '0';
      let verdict = verdicts.get(key);
      if (!verdict) {
        verdict = judge((rule) => rule.anyPod || rule.matched.has(at), destination);
        verdicts.set(key, verdict);
      }
      return settle(ports, verdict);
    };
    const byInstance = new Map<number, PortSet>();
    const named = new Set<number>(side.byInstance.keys());
    for (const rule of layered) for (const instance of rule.matched) named.add(instance);
    for (const instance of named) byInstance.set(instance, towardsPod(topology.instances[instance]!));
    const external = new Map<number, PortSet>();
    const namedPieces = new Set<number>(side.external.keys());
    for (const rule of layered) for (const piece of covered(rule)) namedPieces.add(piece);
    for (const piece of namedPieces) external.set(piece, settle(side.external.get(piece) ?? side.all, judge((rule) => covered(rule).has(piece), undefined)));
    // Egress: named ports of rules for every pod resolve on each destination, so the answer depends on it.
    const dependent =
      direction === 'egress' && (side.namedForPods.length > 0 || layered.some((rule) => rule.anyPod && rule.namedPorts.length > 0));
    let towards: Side['towards'];
    if (dependent) {
      // Pods no rule names individually: only the rules for every pod match, and only the ports tell them apart.
      const byProfile = new Map<number, PortSet>();
      towards = (destination) => {
        const own = byInstance.get(destination.index);
        if (own) return own;
        const profile = profiles[destination.index]!;
        let ports = byProfile.get(profile);
        if (!ports) {
          ports = towardsPod(destination);
          byProfile.set(profile, ports);
        }
        return ports;
      };
    }
    return {
      selected: true,
      all: side.all,
      pods: settle(side.pods, judge((rule) => rule.anyPod, undefined)),
      byInstance,
      external,
      namedForPods: [],
      towards,
    };
  }
}
