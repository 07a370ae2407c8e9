// NetworkPolicies compiled against a topology: which instances each policy selects, and for each rule which
// instances and which IPv4 intervals its peers match and which ports it opens.
import type { KubernetesNetworkPolicy, LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from '../model/network';
import { isNotSet, type Value } from '../model/source';
import { type IpInterval, ipBlockIntervals, mergeIntervals } from './ipBlocks';
import { isEmptySelector, selectorMatches } from './labels';
import { MAX_PORT, parseProtocol, PortSet, type Protocol } from './ports';
import { DEFAULT_NAMESPACE, type Instance, type Topology } from './topology';

export type Direction = 'ingress' | 'egress';

/** A named port of a rule, resolved against the destination pod's container ports. */
interface NamedRulePort {
  readonly name: string;
  readonly protocol: Protocol;
}

export interface CompiledRule {
  /** No peers written: every source (or destination), in the cluster or outside. */
  readonly allPeers: boolean;
  /** Instances some peer selects, as a list; empty when `anyPod` (every instance). */
  readonly matched: readonly number[];
  /** IPv4 addresses outside the cluster some ipBlock peer selects (merged). */
  readonly ipv4: readonly IpInterval[];
  /** Every pod of every namespace: no peers, or a peer `namespaceSelector: {}` without a narrower podSelector. */
  readonly anyPod: boolean;
  /** The numbered ports and whole protocols of the rule. */
  readonly fixedPorts: PortSet;
  readonly namedPorts: readonly NamedRulePort[];
}

export interface CompiledPolicy {
  readonly policy: KubernetesNetworkPolicy;
  readonly namespace: string;
  /** Instances the policy applies to. */
  readonly selects: readonly number[];
  /** Rules per direction, or undefined when the policy does not govern that direction. */
  readonly ingress: readonly CompiledRule[] | undefined;
  readonly egress: readonly CompiledRule[] | undefined;
}

/** The ports a rule opens on a destination instance: its numbered ports and its named ports resolved there. */
export function rulePortsFor(rule: CompiledRule, destination: Instance | undefined): PortSet {
  if (rule.namedPorts.length === 0 || destination === undefined) return rule.fixedPorts;
  let ports = rule.fixedPorts;
  for (const named of rule.namedPorts) {
    for (const port of destination.ports) {
      if (port.name === named.name && port.protocol === named.protocol) ports = ports.union(PortSet.ports(port.protocol, [port.port, port.port]));
    }
  }
  return ports;
}

/** The policy types a policy governs: as written, or Ingress plus Egress when it has egress rules. */
export function policyTypesOf(policy: KubernetesNetworkPolicy): Set<string> | undefined {
  if (policy.policyTypes.known) return new Set(policy.policyTypes.value);
  if (!isNotSet(policy.policyTypes)) return undefined;
  return new Set(policy.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
}

export class PolicyCompiler {
  private readonly selectorCache = new Map<string, number[]>();

  constructor(
    private readonly topology: Topology,
    private readonly warn: (message: string) => void,
  ) {}

  compile(policies: readonly KubernetesNetworkPolicy[]): CompiledPolicy[] {
    return policies.flatMap((policy) => {
      const compiled = this.compilePolicy(policy);
      return compiled ? [compiled] : [];
    });
  }

  private compilePolicy(policy: KubernetesNetworkPolicy): CompiledPolicy | undefined {
    const label = `NetworkPolicy ${policy.name}`;
    if (policy.namespaceUnknown) return this.skip(`${label}: its namespace is not known; left out of the flows.`);
    if (!policy.podSelector.known) return this.skip(`${label}: podSelector ${policy.podSelector.reason}; left out of the flows.`);
    const types = policyTypesOf(policy);
    if (!types) return this.skip(`${label}: policyTypes cannot be evaluated; left out of the flows.`);
    const namespace = policy.namespace ?? DEFAULT_NAMESPACE;
    const podSelector = policy.podSelector.value;
    const selects = this.topology
      .instancesIn(namespace)
      .filter((instance) => this.matches(podSelector, instance.labels, label))
      .map((instance) => instance.index);
    const rules = (rules: readonly NetworkPolicyRule[]) => rules.map((rule) => this.compileRule(rule, namespace, label));
    return {
      policy,
      namespace,
      selects,
      ingress: types.has('Ingress') ? rules(policy.ingress) : undefined,
      egress: types.has('Egress') ? rules(policy.egress) : undefined,
    };
  }

  private skip(message: string): undefined {
    this.warn(message);
    return undefined;
  }

  /** A selector match, where an answer that depends on an unknown label counts as no match (with a warning). */
  private matches(selector: LabelSelector, labels: ReadonlyMap<string, string | undefined>, label: string): boolean {
    const result = selectorMatches(selector, labels);
    if (result === undefined) this.warn(`${label}: a selector depends on a label whose value is not known; counted as not matching.`);
    return result === true;
  }

  private compileRule(rule: NetworkPolicyRule, namespace: string, label: string): CompiledRule {
    const { fixedPorts, namedPorts } = this.compilePorts(rule.ports, label);
    if (rule.peers.length === 0) return { allPeers: true, matched: [], ipv4: [], anyPod: true, fixedPorts, namedPorts };
    const matched = new Set<number>();
    const ipv4: IpInterval[] = [];
    let anyPod = false;
    for (const peer of rule.peers) {
      if (peer.ipBlock) {
        ipv4.push(...this.ipBlock(peer, label));
        continue;
      }
      const pod = this.selector(peer.podSelector, label);
      const ns = this.selector(peer.namespaceSelector, label);
      if (pod === null || ns === null || (pod === undefined && ns === undefined)) continue;
      if (ns !== undefined && isEmptySelector(ns) && (pod === undefined || isEmptySelector(pod))) anyPod = true;
      else if (!anyPod) for (const index of this.peerMatches(namespace, pod, ns, label)) matched.add(index);
    }
    return { allPeers: false, matched: anyPod ? [] : [...matched], ipv4: mergeIntervals(ipv4), anyPod, fixedPorts, namedPorts };
  }

  /** The selector of a peer field: undefined when absent, null when it cannot be evaluated. */
  private selector(value: Value<LabelSelector> | undefined, label: string): LabelSelector | undefined | null {
    if (value === undefined) return undefined;
    if (value.known) return value.value;
    this.warn(`${label}: a peer selector ${value.reason}; the peer matches nothing in the flows.`);
    return null;
  }

  private ipBlock(peer: NetworkPolicyPeer, label: string): IpInterval[] {
    const block = peer.ipBlock!;
    if (!block.cidr.known || block.except.some((except) => !except.known)) {
      this.warn(`${label}: an ipBlock cannot be evaluated; the peer matches nothing in the flows.`);
      return [];
    }
    if (block.cidr.value.family !== 4) return [];
    return ipBlockIntervals(block.cidr.value, block.except.flatMap((except) => (except.known ? [except.value] : [])));
  }

  /** Instances a pod/namespace selector pair matches, cached by what decides the answer. */
  private peerMatches(namespace: string, pod: LabelSelector | undefined, ns: LabelSelector | undefined, label: string): number[] {
    const key = JSON.stringify([ns ? null : namespace, pod && selectorKey(pod), ns && selectorKey(ns)]);
    let hits = this.selectorCache.get(key);
    if (!hits) {
      const nsHits = new Map<string, boolean>();
      const inNamespace = (name: string): boolean => {
        if (!ns) return name === namespace;
        let hit = nsHits.get(name);
        if (hit === undefined) {
          hit = this.matches(ns, this.topology.namespaceLabels(name), label);
          nsHits.set(name, hit);
        }
        return hit;
      };
      const candidates = ns ? this.topology.namespaces.filter(inNamespace).flatMap((name) => this.topology.instancesIn(name)) : this.topology.instancesIn(namespace);
      hits = candidates.filter((instance) => pod === undefined || this.matches(pod, instance.labels, label)).map((instance) => instance.index);
      this.selectorCache.set(key, hits);
    }
    return hits;
  }

  private compilePorts(ports: readonly NetworkPolicyPort[], label: string): { fixedPorts: PortSet; namedPorts: NamedRulePort[] } {
    if (ports.length === 0) return { fixedPorts: PortSet.ALL, namedPorts: [] };
    let fixedPorts = PortSet.EMPTY;
    const namedPorts: NamedRulePort[] = [];
    for (const entry of ports) {
      const protocol = entry.protocol.known ? parseProtocol(entry.protocol.value) : isNotSet(entry.protocol) ? 'TCP' : undefined;
      if (!protocol) {
        this.warn(`${label}: a port's protocol is not TCP, UDP or SCTP, or not known; the port opens nothing in the flows.`);
        continue;
      }
      if (isNotSet(entry.port)) {
        fixedPorts = fixedPorts.union(PortSet.protocol(protocol));
      } else if (!entry.port.known) {
        this.warn(`${label}: a port ${entry.port.reason}; it opens nothing in the flows.`);
      } else if (typeof entry.port.value === 'string') {
        namedPorts.push({ name: entry.port.value, protocol });
      } else {
        const first = entry.port.value;
        let last = first;
        if (entry.endPort.known) last = entry.endPort.value;
        else if (!isNotSet(entry.endPort)) {
          this.warn(`${label}: an endPort ${entry.endPort.reason}; the port range opens nothing in the flows.`);
          continue;
        }
        if (last < first || last > MAX_PORT) {
          this.warn(`${label}: port range ${first}-${last} is not valid; it opens nothing in the flows.`);
          continue;
        }
        fixedPorts = fixedPorts.union(PortSet.ports(protocol, [first, last]));
      }
    }
    return { fixedPorts, namedPorts };
  }
}

function selectorKey(selector: LabelSelector): string {
  return JSON.stringify([[...selector.matchLabels].sort(), selector.matchExpressions]);
}
