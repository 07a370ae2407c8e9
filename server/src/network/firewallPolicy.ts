// Firewall policy semantics, as far as the question "may these sources reach that" needs them: a policy's allowing
// rules (its rule collection groups' Allow filter collections, with those of its base policies), and whether one of
// them certainly allows an FQDN on HTTPS or a protocol and port, may allow it (a field the files do not give), or
// certainly does not. Deny collections and priorities are not weighed: the answers are about what is allowed at all,
// so a "no" is certain and a "yes" means an allowing rule exists.
import { type Cidr, overlaps, parseCidr } from '../cidr/cidr';
import type { FirewallPolicy, FirewallRule, FirewallRuleCollection, FirewallRuleCollectionGroup, NetworkModel } from '../model/network';
import type { Value } from '../model/source';

/** yes: certainly; maybe: a field that is not known could make it so; no: certainly not. */
export type Tri = 'yes' | 'maybe' | 'no';

const best = (a: Tri, b: Tri): Tri => (a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'no');
const both = (a: Tri, b: Tri): Tri => (a === 'no' || b === 'no' ? 'no' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes');
const anyOf = (values: Iterable<Tri>): Tri => [...values].reduce(best, 'no' as Tri);

/** A rule of an allowing (or possibly allowing) filter collection. */
export interface AllowingRule {
  readonly rule: FirewallRule;
  readonly collection: FirewallRuleCollection;
  readonly group: FirewallRuleCollectionGroup;
  /** 'maybe' when the collection's type or action is not known. */
  readonly allows: Tri;
}

/** The rules a policy enforces, with the policies they come from; undefined when the policy or a base of it is not in the workspace. */
export interface PolicyRules {
  /** The policy and its base policies, the policy first. */
  readonly policies: readonly FirewallPolicy[];
  readonly groups: readonly FirewallRuleCollectionGroup[];
  readonly rules: readonly AllowingRule[];
  /** False when some group's collections or some collection's rules could not be evaluated. */
  readonly complete: boolean;
}

const lower = (value: Value<string>) => (value.known ? value.value.toLowerCase() : undefined);

/**
 * A policy's rules by its name, with those it inherits from its base policies. Undefined when the policy, or a base
 * policy, is not declared exactly once in the workspace, or a base is not known: what it holds is then not known.
 */
export function policyRules(model: NetworkModel, name: string): PolicyRules | undefined {
  const policies: FirewallPolicy[] = [];
  for (let current: string | undefined = name; current !== undefined; ) {
    const matches = model.firewallPolicies.filter((policy) => policy.name === current);
    if (matches.length !== 1 || policies.includes(matches[0]!)) return undefined;
    const policy = matches[0]!;
    policies.push(policy);
    if (policy.basePolicy.known) current = policy.basePolicy.value;
    else if (policy.basePolicy.reason === 'not set') current = undefined;
    else return undefined;
  }
  const names = new Set(policies.map((policy) => policy.name));
  const groups = model.ruleCollectionGroups.filter((group) => names.has(group.policy));
  let complete = groups.every((group) => group.collectionsComplete);
  const rules: AllowingRule[] = [];
  for (const group of groups) {
    for (const collection of group.collections) {
      const type = lower(collection.collectionType);
      const action = lower(collection.action);
      if (type === 'firewallpolicynatrulecollection' || action === 'deny' || action === 'dnat') continue;
      const allows: Tri = type === undefined || action === undefined || type !== 'firewallpolicyfilterrulecollection' || action !== 'allow' ? 'maybe' : 'yes';
      complete &&= collection.rulesComplete;
      for (const rule of collection.rules) rules.push({ rule, collection, group, allows });
    }
  }
  return { policies, groups, rules, complete };
}

/** Whether a rule's sources take in traffic from these ranges (the cluster's node subnets): any written source overlapping one. */
export function fromRanges(rule: FirewallRule, ranges: readonly Cidr[] | undefined): Tri {
  if (rule.sourceIpGroups > 0) return 'maybe';
  let verdict: Tri = 'no';
  for (const entry of rule.sourceAddresses) {
    if (!entry.known) return 'maybe';
    const text = entry.value.trim();
    if (text === '*') return 'yes';
    const parse = parseCidr(text.includes('/') ? text : `${text}/32`);
    if (!parse.ok) verdict = best(verdict, 'maybe');
    else if (ranges === undefined) verdict = best(verdict, 'maybe');
    else if (ranges.some((range) => overlaps(range, parse.cidr))) return 'yes';
  }
  return verdict;
}

/** Whether a written port list (`443`, `1000-2000`, `*`) holds the port. */
function portsHold(ports: readonly Value<string>[], port: number): Tri {
  return anyOf(
    ports.map((entry): Tri => {
      if (!entry.known) return 'maybe';
      const text = entry.value.trim();
      if (text === '*') return 'yes';
      const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
      if (!range) return 'maybe';
      const lo = Number(range[1]);
      const hi = range[2] === undefined ? lo : Number(range[2]);
      return port >= lo && port <= hi ? 'yes' : 'no';
    }),
  );
}

/** Whether a network rule's protocols take in the protocol (TCP, UDP; Any takes every one). */
function protocolsHold(protocols: readonly Value<string>[], protocol: string): Tri {
  return anyOf(protocols.map((entry): Tri => (!entry.known ? 'maybe' : ['any', protocol.toLowerCase()].includes(entry.value.trim().toLowerCase()) ? 'yes' : 'no')));
}

const ruleType = (rule: FirewallRule) => lower(rule.ruleType);

/** Whether a network rule allows the protocol and port to some destination (which destination is not weighed). */
export function networkRuleAllowsPort(rule: FirewallRule, protocol: 'TCP' | 'UDP', port: number): Tri {
  const type = ruleType(rule);
  if (type !== undefined && type !== 'networkrule') return 'no';
  return both(type === undefined ? 'maybe' : 'yes', both(protocolsHold(rule.ipProtocols, protocol), portsHold(rule.destinationPorts, port)));
}

/** A label of a required name written as a placeholder (`<location>`) stands for any one label. */
const labelEquals = (written: string, required: string) => written === required || /^<[^>]+>$/.test(required);

/**
 * Whether a written name (`host.example.com`, or `*.example.com` for one or more labels before the suffix) covers every
 * name a required one stands for (`*.hcp.<location>.azmk8s.io` is any name under any location's hcp).
 */
function labelsMatch(written: string, required: string): boolean {
  const w = written.split('.');
  const r = required.split('.');
  if (w[0] === '*') {
    const suffix = w.slice(1);
    if (r.length <= suffix.length) return false;
    return suffix.every((label, i) => labelEquals(label, r[r.length - suffix.length + i]!));
  }
  if (r[0] === '*') return false;
  return w.length === r.length && w.every((label, i) => labelEquals(label, r[i]!));
}

/** Whether a target FQDN as a firewall writes it (`*`, `*.example.com`, `host.example.com`) covers a required name. */
export function fqdnCovers(target: string, required: string): boolean {
  const t = target.trim().toLowerCase();
  const r = required.trim().toLowerCase();
  if (t === '*') return true;
  return labelsMatch(t, r);
}

/** Whether a protocol list of an application rule takes in HTTPS on 443 (none written: not known). */
function httpsHeld(protocols: FirewallRule['protocols']): Tri {
  if (protocols.length === 0) return 'maybe';
  return anyOf(
    protocols.map(({ protocolType, port }): Tri => {
      if (!protocolType.known || !port.known) return 'maybe';
      return protocolType.value.toLowerCase() === 'https' && port.value === 443 ? 'yes' : 'no';
    }),
  );
}

const isAnyDestination = (text: string) => ['*', '0.0.0.0/0', 'internet'].includes(text.trim().toLowerCase());

/**
 * Whether a rule allows HTTPS to a required name: an application rule with the FQDN tag (`tag`, which stands for the
 * whole list) or a target FQDN that covers it; a network rule on TCP 443 to any address or an FQDN that covers it. A
 * service tag or IP group as a network rule's destination may hold the name's addresses: maybe.
 */
export function allowsFqdn(rule: FirewallRule, required: string, tag: string): Tri {
  const type = ruleType(rule);
  if (type === 'applicationrule' || type === undefined) {
    const tags = anyOf(rule.fqdnTags.map((entry): Tri => (!entry.known ? 'maybe' : entry.value.trim().toLowerCase() === tag.toLowerCase() ? 'yes' : 'no')));
    const targets = anyOf(rule.targetFqdns.map((entry): Tri => (!entry.known ? 'maybe' : fqdnCovers(entry.value, required) ? 'yes' : 'no')));
    // A rule whose type is not known may be either kind: never certain.
    return type === undefined ? 'maybe' : both(best(tags, targets), httpsHeld(rule.protocols));
  }
  if (type !== 'networkrule') return 'no';
  const port = both(protocolsHold(rule.ipProtocols, 'TCP'), portsHold(rule.destinationPorts, 443));
  if (port === 'no') return 'no';
  let destination: Tri = 'no';
  for (const entry of rule.destinationAddresses) {
    if (!entry.known) destination = best(destination, 'maybe');
    else if (isAnyDestination(entry.value)) destination = 'yes';
    // A service tag (AzureCloud, AzureContainerRegistry) may hold the name's addresses; a CIDR of one's own does not.
    else if (!parseCidr(entry.value.includes('/') ? entry.value : `${entry.value}/32`).ok) destination = best(destination, 'maybe');
  }
  if (rule.destinationIpGroups > 0) destination = best(destination, 'maybe');
  for (const entry of rule.destinationFqdns) destination = best(destination, !entry.known ? 'maybe' : fqdnCovers(entry.value, required) ? 'yes' : 'no');
  return both(port, destination);
}
