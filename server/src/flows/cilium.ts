// CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies (L3/L4) compiled against a topology, and applied to the
// sides the NetworkPolicies build (facts.ts CILIUM_*):
//
// - Each rule (`spec`, each of `specs`) selects pods with its endpointSelector (a CiliumNetworkPolicy: in its namespace
//   only). It isolates them per direction when it has rules of that direction (allow or deny; null and [] are none),
//   unless enableDefaultDeny says false. Its allow rules join the NetworkPolicies' allows (a union); then deny rules
//   take away from what any policy allows.
// - Peers: fromEndpoints/toEndpoints (in the policy's namespace unless the selector names one), CIDRs (outside the
//   cluster only: the External pieces), entities (world and cluster map onto External and the pods; host, remote-node,
//   kube-apiserver, ... are named peers `{host}`), toFQDNs and toServices (named peers, never resolved). A rule with
//   no peer field applies to every peer; a peer list written empty selects nothing.
// - L7 rules and serverNames are shown on the flows they filter; ICMP is not listed.
// - What cannot be evaluated (a placeholder selector, CIDR or port, fromRequires, an unknown label value) makes the
//   flows it could change unknown: the pods' pairs or External pieces of that direction, printed as `unknown`.
import { CILIUM_ENTITIES, CILIUM_NAMESPACES } from '../facts';
import type { CiliumPeerRule, CiliumPolicy, CiliumPortRule } from '../model/ciliumNetworkPolicy';
import type { LabelSelector } from '../model/network';
import { isNotSet, type Source, type Value } from '../model/source';
import { type IpInterval, IPV4_SPACE, ipBlockIntervals, mergeIntervals, piecesWithin } from './ipBlocks';
import { describeSelector, isEmptySelector, type LabelSet, selectorMatches } from './labels';
import type { Side } from './engine';
import { type CompiledRule, type Direction, rulePortsFor } from './policies';
import { MAX_PORT, PortSet, PROTOCOLS, type Protocol } from './ports';
import { DEFAULT_NAMESPACE, type Instance, type Topology } from './topology';

/** What the side builder takes: the instances a policy selects and its rules per direction. */
export interface SidePolicy {
  readonly selects: readonly number[];
  readonly ingress: readonly CompiledRule[] | undefined;
  readonly egress: readonly CompiledRule[] | undefined;
  /** Whether selecting an instance isolates it in that direction (NetworkPolicies: always; Cilium: enableDefaultDeny). */
  readonly isolates?: { readonly ingress: boolean; readonly egress: boolean };
  /** The Cilium policy and rule (`spec` or an item of `specs`) it was compiled from: what explain names. */
  readonly origin?: CiliumOrigin;
}

/** Where a compiled Cilium rule set comes from. */
export interface CiliumOrigin {
  readonly policy: CiliumPolicy;
  /** 1-based position of the rule among `spec` and `specs` (1 for `spec` alone). */
  readonly spec: number;
  /** The rule (`spec`, or the item of `specs`), and its endpointSelector. */
  readonly source: Source;
  readonly selector: Source | undefined;
}

/** A section of a Cilium rule: allow rules, deny rules. */
export type CiliumSection = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

/** What a Cilium rule adds to a CompiledRule. */
export interface CiliumRuleExtras {
  /** Peers that are no pod and no External piece: `{host}`, `api.example.com[FQDN]`, `default/db[Service]`. */
  readonly named: readonly string[];
  /** L7 kinds that filter what the rule's ports carry (`HTTP`, `DNS`, `TLS SNI`, ...). */
  readonly l7: readonly string[];
  /** Every peer, named ones included (a rule without peer fields). */
  readonly everyNamed: boolean;
  /** Where the rule is written: its section, its 1-based position there, its source. */
  readonly section: CiliumSection;
  readonly number: number;
  readonly source: Source;
}

/** Why flows of one direction of an instance are unknown: for pods, for External pieces and named peers. */
export interface Unknowns {
  pods: string | undefined;
  external: string | undefined;
}

export interface CompiledCilium {
  readonly allow: readonly SidePolicy[];
  readonly deny: readonly SidePolicy[];
  readonly extras: ReadonlyMap<CompiledRule, CiliumRuleExtras>;
  /** Per direction, instance -> what is unknown about its side. */
  readonly unknown: Record<Direction, Map<number, Unknowns>>;
  /** Named peers some rule of each direction names, in order of first mention. */
  readonly named: Record<Direction, readonly string[]>;
}

const { namespaceKey, namespaceLabelsPrefix } = CILIUM_NAMESPACES.value;
const IN_CLUSTER_ENTITIES = CILIUM_ENTITIES.value.inCluster;
/** Entities of the host where the pod runs: always allowed to send to it (allow-localhost). */
export const HOST_PEER = '{host}';

/** A selector key as Cilium reads it on a pod: `k8s:` and `any:` sources dropped; other sources (reserved:, cidr:) kept. */
function plainKey(key: string): string {
  if (key.startsWith('k8s:')) return key.slice(4);
  if (key.startsWith('any:')) return key.slice(4);
  return key;
}

function plainSelector(selector: LabelSelector): LabelSelector {
  return {
    matchLabels: new Map([...selector.matchLabels].map(([key, value]) => [plainKey(key), value])),
    matchExpressions: selector.matchExpressions.map((requirement) => ({ ...requirement, key: plainKey(requirement.key) })),
  };
}

const keysOf = (selector: LabelSelector): string[] => [...selector.matchLabels.keys(), ...selector.matchExpressions.map((e) => e.key)];

/** True when a (plain) selector names a namespace or namespace labels: then it is not limited to the policy's namespace. */
function namesNamespace(selector: LabelSelector): boolean {
  return keysOf(selector).some((key) => key === namespaceKey || key.startsWith(namespaceLabelsPrefix));
}

function portNumber(value: Value<number | string>): number | string | undefined {
  return value.known ? value.value : undefined;
}

function isDefaultDeny(flag: Value<boolean>, rules: readonly CiliumPeerRule[] | undefined, deny: readonly CiliumPeerRule[] | undefined): boolean | undefined {
  if (flag.known) return flag.value;
  if (!isNotSet(flag)) return undefined;
  return (rules?.length ?? 0) > 0 || (deny?.length ?? 0) > 0;
}

export class CiliumCompiler {
  private readonly labelCache = new Map<number, LabelSet>();
  private readonly extras = new Map<CompiledRule, CiliumRuleExtras>();
  private readonly unknown: Record<Direction, Map<number, Unknowns>> = { ingress: new Map(), egress: new Map() };
  private readonly named: Record<Direction, string[]> = { ingress: [], egress: [] };

  constructor(
    private readonly topology: Topology,
    private readonly warn: (message: string) => void,
  ) {}

  compile(policies: readonly CiliumPolicy[]): CompiledCilium {
    const allow: SidePolicy[] = [];
    const deny: SidePolicy[] = [];
    for (const policy of policies) {
      const label = `${policy.kind} ${policy.namespace ? `${policy.namespace}/` : ''}${policy.name ?? '(name not known)'}`;
      const clusterwide = policy.kind === 'CiliumClusterwideNetworkPolicy';
      if (policy.rules.length === 0) this.warn(`${label}: no spec or specs; it selects nothing.`);
      for (const [index, rule] of policy.rules.entries()) {
        const at = policy.rules.length > 1 ? `${label} (rule ${index + 1})` : label;
        const namespace = clusterwide ? undefined : (policy.namespace ?? DEFAULT_NAMESPACE);
        if (rule.nodeSelector) {
          this.warn(`${at}: nodeSelector (a host policy) is not evaluated; the rule is left out of the flows.`);
          continue;
        }
        const defaultDeny = {
          ingress: isDefaultDeny(rule.enableDefaultDeny.ingress, rule.ingress, rule.ingressDeny),
          egress: isDefaultDeny(rule.enableDefaultDeny.egress, rule.egress, rule.egressDeny),
        };
        const directions: Direction[] = (['ingress', 'egress'] as const).filter(
          (d) => defaultDeny[d] !== false || (rule[d]?.length ?? 0) > 0 || (rule[d === 'ingress' ? 'ingressDeny' : 'egressDeny']?.length ?? 0) > 0,
        );
        // Which pods the rule selects; when that cannot be known, every pod it could select is unknown.
        const candidates = policy.namespaceUnknown ? this.topology.instances : namespace !== undefined ? this.topology.instancesIn(namespace) : this.topology.instances;
        const fail = (why: string) => {
          this.warn(`${at}: ${why}; the flows of the pods it could select are unknown.`);
          for (const d of directions) for (const instance of candidates) this.mark(d, instance.index, 'pods', why, 'external');
        };
        if (policy.namespaceUnknown) {
          fail('its namespace is not known');
          continue;
        }
        if (rule.endpointSelector === undefined) {
          this.warn(`${at}: no endpointSelector; the rule selects nothing.`);
          continue;
        }
        if (!rule.endpointSelector.known) {
          fail(`endpointSelector ${rule.endpointSelector.reason}`);
          continue;
        }
        if (defaultDeny.ingress === undefined || defaultDeny.egress === undefined) {
          fail('enableDefaultDeny cannot be evaluated');
          continue;
        }
        let selector = plainSelector(rule.endpointSelector.value);
        // The namespace of a CiliumNetworkPolicy's endpointSelector is always its own: a namespace match is replaced.
        if (namespace !== undefined) selector = { ...selector, matchLabels: new Map([...selector.matchLabels].filter(([key]) => key !== namespaceKey)) };
        const selects: number[] = [];
        for (const instance of candidates) {
          const hit = selectorMatches(selector, this.labels(instance));
          if (hit === true) selects.push(instance.index);
          else if (hit === undefined) {
            for (const d of directions) this.mark(d, instance.index, 'pods', 'the endpointSelector depends on a label whose value is not known', 'external');
          }
        }
        const compileSection = (rules: readonly CiliumPeerRule[] | undefined, direction: Direction, kind: CiliumSection) =>
          (rules ?? []).map((peerRule, number) =>
            this.compileRule(peerRule, direction, namespace, selects, `${at}: ${kind} rule ${number + 1}`, { section: kind, number: number + 1, source: peerRule.source }),
          );
        const origin: CiliumOrigin = { policy, spec: index + 1, source: rule.source, selector: rule.endpointSelector.source };
        const governs = (d: Direction) => defaultDeny[d] || (rule[d]?.length ?? 0) > 0;
        allow.push({
          selects,
          ingress: governs('ingress') ? compileSection(rule.ingress, 'ingress', 'ingress') : undefined,
          egress: governs('egress') ? compileSection(rule.egress, 'egress', 'egress') : undefined,
          isolates: { ingress: defaultDeny.ingress, egress: defaultDeny.egress },
          origin,
        });
        if (rule.ingressDeny?.length || rule.egressDeny?.length) {
          deny.push({
            selects,
            ingress: compileSection(rule.ingressDeny, 'ingress', 'ingressDeny'),
            egress: compileSection(rule.egressDeny, 'egress', 'egressDeny'),
            origin,
          });
        }
      }
    }
    return { allow, deny, extras: this.extras, unknown: this.unknown, named: this.named };
  }

  /** The labels Cilium sees on a pod: its own, its namespace, and its namespace's labels; service account and cluster not known. */
  private labels(instance: Instance): LabelSet {
    let labels = this.labelCache.get(instance.index);
    if (!labels) {
      const set = new Map(instance.labels);
      set.set(namespaceKey, instance.namespace);
      for (const [key, value] of this.topology.namespaceLabels(instance.namespace)) set.set(`${namespaceLabelsPrefix}${key}`, value);
      set.set('io.cilium.k8s.policy.serviceaccount', undefined);
      set.set('io.cilium.k8s.policy.cluster', undefined);
      labels = set;
      this.labelCache.set(instance.index, labels);
    }
    return labels;
  }

  private mark(direction: Direction, instance: number, part: keyof Unknowns, why: string, also?: keyof Unknowns): void {
    let entry = this.unknown[direction].get(instance);
    if (!entry) {
      entry = { pods: undefined, external: undefined };
      this.unknown[direction].set(instance, entry);
    }
    entry[part] ??= why;
    if (also) entry[also] ??= why;
  }

  private nameOnce(direction: Direction, name: string): void {
    if (!this.named[direction].includes(name)) this.named[direction].push(name);
  }

  private compileRule(
    rule: CiliumPeerRule,
    direction: Direction,
    namespace: string | undefined,
    selects: readonly number[],
    label: string,
    position: Pick<CiliumRuleExtras, 'section' | 'number' | 'source'>,
  ): CompiledRule {
    const unknownFor = (part: keyof Unknowns, why: string, also?: keyof Unknowns) => {
      this.warn(`${label}: ${why}; the flows it could change are unknown.`);
      for (const instance of selects) this.mark(direction, instance, part, why, also);
    };
    const matched = new Set<number>();
    const ipv4: IpInterval[] = [];
    const named: string[] = [];
    let anyPod = false;
    const l3Fields = [rule.endpoints, rule.cidrs, rule.entities, rule.fqdns, rule.services, rule.requires];
    const noPeerField = l3Fields.every((field) => field === undefined) && rule.unsupportedPeers.length === 0;
    for (const { field } of rule.unsupportedPeers) unknownFor('pods', `${field} is not evaluated`, 'external');
    // Requirements constrain every peer of the selected pods in this direction (outside the cluster too), whichever rule allows it.
    if (rule.requires !== undefined) unknownFor('pods', `${direction === 'ingress' ? 'fromRequires' : 'toRequires'} is not evaluated`, 'external');
    for (const endpoint of rule.endpoints ?? []) {
      if (!endpoint.known) {
        unknownFor('pods', `an endpoint selector ${endpoint.reason}`);
        continue;
      }
      const selector = plainSelector(endpoint.value);
      const everywhere = namespace === undefined || namesNamespace(selector);
      if (everywhere && isEmptySelector(selector)) {
        anyPod = true;
        continue;
      }
      const candidates = everywhere ? this.topology.instances : this.topology.instancesIn(namespace);
      let undecided = false;
      for (const instance of candidates) {
        const hit = selectorMatches(selector, this.labels(instance));
        if (hit === true) matched.add(instance.index);
        else if (hit === undefined) undecided = true;
      }
      if (undecided) unknownFor('pods', `the endpoint selector ${describeSelector(endpoint.value)} depends on a label whose value is not known`);
    }
    for (const block of rule.cidrs ?? []) {
      if (block.groupRef) {
        unknownFor('external', 'a CIDR group reference is not evaluated');
        continue;
      }
      if (!block.cidr.known || block.except.some((except) => !except.known)) {
        unknownFor('external', `a CIDR ${block.cidr.known ? 'except' : block.cidr.reason}`);
        continue;
      }
      if (block.cidr.value.family !== 4) continue;
      ipv4.push(...ipBlockIntervals(block.cidr.value, block.except.flatMap((except) => (except.known ? [except.value] : []))));
    }
    for (const entity of rule.entities ?? []) {
      const name = entity.known ? entity.value.toLowerCase() : undefined;
      if (name === 'world' || name === 'world-ipv4' || name === 'all') ipv4.push(IPV4_SPACE);
      if (name === 'cluster' || name === 'all') {
        anyPod = true;
        named.push(...IN_CLUSTER_ENTITIES.filter((entity) => entity !== 'kube-apiserver' || name === 'all').map((entity) => `{${entity}}`));
      } else if (name !== undefined && IN_CLUSTER_ENTITIES.includes(name)) {
        named.push(`{${name}}`);
      } else if (name !== 'world' && name !== 'world-ipv4' && name !== 'world-ipv6' && name !== 'all') {
        unknownFor('pods', `entity ${entity.known ? `'${entity.value}' is not a Cilium entity` : entity.reason}`, 'external');
      }
    }
    for (const fqdn of rule.fqdns ?? []) {
      if (fqdn.known) named.push(`${fqdn.value}[FQDN]`);
      else unknownFor('external', `a toFQDNs name ${fqdn.reason}`);
    }
    for (const service of rule.services ?? []) {
      if (service.known) named.push(`${service.value}[Service]`);
      else unknownFor('external', `a toServices entry ${service.reason}`);
    }
    if (noPeerField) for (const entity of IN_CLUSTER_ENTITIES) this.nameOnce(direction, `{${entity}}`);
    for (const name of named) this.nameOnce(direction, name);
    const { fixedPorts, namedPorts, l7 } = this.compilePorts(rule.toPorts, label, (why) => unknownFor('pods', why, 'external'));
    if (rule.icmps) this.warn(`${label}: ICMP (icmps) is not listed in the flows.`);
    // icmps alone: the rule allows ICMP only, which the flows do not list.
    const ports = rule.icmps && rule.toPorts === undefined ? PortSet.EMPTY : fixedPorts;
    const compiled: CompiledRule = {
      allPeers: noPeerField,
      matched: anyPod || noPeerField ? [] : [...matched],
      ipv4: noPeerField ? [] : mergeIntervals(ipv4),
      anyPod: anyPod || noPeerField,
      fixedPorts: ports,
      namedPorts: rule.icmps && rule.toPorts === undefined ? [] : namedPorts,
    };
    this.extras.set(compiled, { named: [...new Set(named)], l7, everyNamed: noPeerField, ...position });
    return compiled;
  }

  private compilePorts(
    rules: readonly CiliumPortRule[] | undefined,
    label: string,
    unknownPorts: (why: string) => void,
  ): { fixedPorts: PortSet; namedPorts: { name: string; protocol: Protocol }[]; l7: string[] } {
    const l7 = [...new Set((rules ?? []).flatMap((rule) => rule.l7))];
    if (rules === undefined || rules.every((rule) => rule.ports === undefined || rule.ports.length === 0)) return { fixedPorts: PortSet.ALL, namedPorts: [], l7 };
    let fixedPorts = PortSet.EMPTY;
    const namedPorts: { name: string; protocol: Protocol }[] = [];
    for (const rule of rules) {
      for (const port of rule.ports ?? []) {
        const protocolText = port.protocol.known ? port.protocol.value.toUpperCase() : isNotSet(port.protocol) ? 'ANY' : undefined;
        const protocols: Protocol[] | undefined =
          protocolText === 'ANY' || protocolText === '' ? [...PROTOCOLS] : (PROTOCOLS as readonly string[]).includes(protocolText ?? '') ? [protocolText as Protocol] : undefined;
        const value = portNumber(port.port);
        if (!protocols || (value === undefined && !isNotSet(port.port))) {
          unknownPorts(`a port or protocol ${!protocols ? 'is not TCP, UDP, SCTP or ANY, or not known' : 'cannot be evaluated'}`);
          continue;
        }
        if (typeof value === 'string') {
          for (const protocol of protocols) namedPorts.push({ name: value, protocol });
          continue;
        }
        const first = value ?? 0;
        if (first === 0) {
          for (const protocol of protocols) fixedPorts = fixedPorts.union(PortSet.protocol(protocol));
          continue;
        }
        let last = first;
        if (port.endPort.known && port.endPort.value > 0) last = port.endPort.value;
        else if (!port.endPort.known && !isNotSet(port.endPort)) {
          unknownPorts(`an endPort ${port.endPort.reason}`);
          continue;
        }
        if (last < first || last > MAX_PORT) {
          this.warn(`${label}: port range ${first}-${last} is not valid; it opens nothing in the flows.`);
          continue;
        }
        for (const protocol of protocols) fixedPorts = fixedPorts.union(PortSet.ports(protocol, [first, last]));
      }
    }
    return { fixedPorts, namedPorts, l7 };
  }
}

/** What one instance's side of one direction gets from Cilium beyond the NetworkPolicy side's shape. */
export interface CiliumSideExtras {
  /** Allowed per named peer; with `namedFinal` false the side's `all` is added to each (and is the answer for names not here). */
  readonly named: Map<string, PortSet>;
  namedFinal: boolean;
  /** Rules with L7 filters that apply to this side: whom they match and the ports they filter. */
  readonly l7: { readonly rule: CompiledRule; readonly ports: PortSet; readonly kinds: readonly string[]; readonly everyNamed: boolean; readonly names: readonly string[] }[];
  unknown: Unknowns | undefined;
}

/** The answer of a side towards a named peer. */
export function namedPorts(side: Side, extras: CiliumSideExtras | undefined, name: string, direction: Direction): PortSet {
  if (direction === 'ingress' && name === HOST_PEER) return PortSet.ALL;
  if (!extras) return side.all;
  const own = extras.named.get(name) ?? PortSet.EMPTY;
  return extras.namedFinal ? own : own.union(side.all);
}

function cloneSide(side: Side): Side {
  return { ...side, byInstance: new Map(side.byInstance), external: new Map(side.external), namedForPods: [...side.namedForPods] };
}

/**
 * The sides of one direction with Cilium's named peers, L7 rules, deny rules and unknowns applied. Deny rules take
 * away from every allow (NetworkPolicy, Cilium, admin policies alike); sides are copied before they change.
 */
export function applyCilium(
  topology: Topology,
  sides: readonly Side[],
  compiled: CompiledCilium,
  direction: Direction,
  pieces: readonly IpInterval[],
): { sides: Side[]; extras: (CiliumSideExtras | undefined)[] } {
  const result = sides.slice();
  const extras: (CiliumSideExtras | undefined)[] = new Array(sides.length).fill(undefined);
  const names = compiled.named[direction];
  const ensure = (instance: number): CiliumSideExtras => {
    let entry = extras[instance];
    if (!entry) {
      entry = { named: new Map(), namedFinal: false, l7: [], unknown: undefined };
      extras[instance] = entry;
    }
    return entry;
  };
  const here = (rule: CompiledRule, instance: number) => (direction === 'ingress' ? rulePortsFor(rule, topology.instances[instance]) : rule.fixedPorts);
  for (const policy of compiled.allow) {
    const rules = policy[direction];
    if (!rules) continue;
    for (const instance of policy.selects) {
      if (!result[instance]!.selected) continue;
      for (const rule of rules) {
        const extra = compiled.extras.get(rule);
        if (!extra) continue;
        const ports = here(rule, instance);
        if (ports.isEmpty() && rule.namedPorts.length === 0) continue;
        const entry = ensure(instance);
        for (const name of extra.everyNamed ? names : extra.named) entry.named.set(name, (entry.named.get(name) ?? PortSet.EMPTY).union(ports));
        if (extra.l7.length > 0) entry.l7.push({ rule, ports, kinds: extra.l7, everyNamed: extra.everyNamed, names: extra.named });
      }
    }
  }
  const piecesOf = new Map<CompiledRule, number[]>();
  const covered = (rule: CompiledRule): number[] => {
    let list = piecesOf.get(rule);
    if (!list) {
      list = piecesWithin(pieces, rule.ipv4);
      piecesOf.set(rule, list);
    }
    return list;
  };
  // Deny rules per instance, then each denied side copied once and cut.
  const denies = new Map<number, CompiledRule[]>();
  for (const policy of compiled.deny) {
    for (const rule of policy[direction] ?? []) {
      for (const instance of policy.selects) {
        const list = denies.get(instance);
        if (list) list.push(rule);
        else denies.set(instance, [rule]);
      }
    }
  }
  for (const [instance, rules] of denies) {
    const original = result[instance]!;
    const side = cloneSide(original);
    const entry = ensure(instance);
    for (const name of names) entry.named.set(name, namedPorts(original, entry, name, direction));
    entry.namedFinal = true;
    const cut = (ports: PortSet | undefined, deny: PortSet) => (ports ?? PortSet.EMPTY).minus(deny);
    for (const rule of rules) {
      const extra = compiled.extras.get(rule);
      const deny = here(rule, instance);
      if (rule.allPeers) {
        side.all = side.all.minus(deny);
        for (const [piece, ports] of side.external) side.external.set(piece, ports.minus(deny));
      }
      if (rule.anyPod) {
        side.pods = side.pods.minus(deny);
        for (const [peer, ports] of side.byInstance) side.byInstance.set(peer, ports.minus(deny));
      }
      for (const peer of rule.matched) side.byInstance.set(peer, cut(side.byInstance.get(peer) ?? side.pods, deny));
      for (const piece of covered(rule)) side.external.set(piece, cut(side.external.get(piece) ?? side.all, deny));
      for (const name of extra?.everyNamed ? names : (extra?.named ?? [])) entry.named.set(name, cut(entry.named.get(name), deny));
    }
    // Egress answers that depend on the destination (named ports): computed per destination from the side before the
    // denies, minus what the deny rules matching that destination deny there.
    if (direction === 'egress' && (original.towards || original.namedForPods.length > 0 || rules.some((rule) => rule.namedPorts.length > 0))) {
      const before = original;
      side.namedForPods.length = 0;
      side.towards = (destination) => {
        let ports = before.towards
          ? before.towards(destination)
          : before.namedForPods.reduce((sum, rule) => sum.union(rulePortsFor(rule, destination)), before.byInstance.get(destination.index) ?? before.pods);
        for (const rule of rules) if (ruleMatchesPod(rule, destination.index)) ports = ports.minus(rulePortsFor(rule, destination));
        return ports;
      };
    }
    result[instance] = side;
  }
  for (const [instance, unknowns] of compiled.unknown[direction]) ensure(instance).unknown = unknowns;
  return { sides: result, extras };
}

/** True when a compiled rule matches a pod instance. */
export function ruleMatchesPod(rule: CompiledRule, instance: number): boolean {
  return rule.allPeers || rule.anyPod || rule.matched.includes(instance);
}
