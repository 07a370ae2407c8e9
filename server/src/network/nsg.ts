// Network security group semantics: is this flow allowed by this NSG? Rules are taken lowest priority number first,
// after the group's own rules come Azure's default rules, and the first rule that matches decides. Addresses are
// CIDRs, IPs, `*` or service tags (VirtualNetwork, Internet and AzureLoadBalancer as named sets; any other tag is a list
// Azure publishes, unknown here). A rule the model could not read in full (an unknown prefix, port, priority, tag)
// makes the answer unknown when it could decide the flow, and only then: when it would decide it the same way as the
// rules after it, the answer stands.
import { type Cidr, type IpAddress, parseCidr, parseIp } from '../cidr/cidr';
import { AZURE_LOAD_BALANCER_PROBE_SOURCE, NSG_DEFAULT_RULES, NSG_SERVICE_TAGS, PRIVATE_ADDRESS_SPACES } from '../facts';
import type { NetworkSecurityGroup, SecurityRule } from '../model/network';
import type { Source, Value } from '../model/source';

export type Direction = 'Inbound' | 'Outbound';
export type Access = 'Allow' | 'Deny';
type Tri = 'yes' | 'no' | 'unknown';

/** One IPv4 flow as an NSG sees it. */
export interface Flow {
  readonly direction: Direction;
  /** Tcp, Udp, Icmp, … (case does not matter). */
  readonly protocol: string;
  readonly source: IpAddress;
  readonly destination: IpAddress;
  readonly destinationPort: number;
  /** The client's port; undefined: an ephemeral port, any of them. */
  readonly sourcePort?: number;
}

/** What the service tags stand for in the workspace. */
export interface TagContext {
  /** VirtualNetwork's members the workspace declares: the VNet's address space, peered VNets', user-defined routes' prefixes. */
  readonly virtualNetwork: readonly Cidr[];
  /** False when some member could not be read: an address outside the known members may then be in the tag. */
  readonly virtualNetworkComplete: boolean;
}

/** The rule that decides, or that made the answer unknown. */
export interface DecidingRule {
  readonly name: string;
  readonly priority: number | undefined;
  /** True for Azure's default rules (no source in the workspace). */
  readonly isDefault: boolean;
  /** Its access as written (what a user edits to change the decision), else the whole rule; none for a default rule. */
  readonly source?: Source;
}

export type Verdict =
  | {
      readonly known: true;
      readonly access: Access;
      readonly rule: DecidingRule;
      /** Rules before it that may match (an unknown entry) and would decide the same way. */
      readonly alsoPossible: readonly DecidingRule[];
    }
  | { readonly known: false; readonly reason: string; readonly rule?: DecidingRule };

type AddressEntry =
  | { readonly kind: 'range'; readonly lo: bigint; readonly hi: bigint }
  | { readonly kind: 'ipv6' }
  | { readonly kind: 'any' }
  | { readonly kind: 'tag'; readonly tag: 'virtualnetwork' | 'internet' | 'azureloadbalancer' | 'other' }
  | { readonly kind: 'unknown' };

type PortEntry = { readonly lo: number; readonly hi: number } | undefined;

/** A rule with its fields parsed; undefined fields could not be read. */
interface CompiledRule {
  readonly ref: DecidingRule;
  readonly direction: Direction | undefined;
  readonly access: Access | undefined;
  /** Lower-cased; `*` for any; undefined: unknown. */
  readonly protocol: string | undefined;
  readonly sources: readonly AddressEntry[];
  readonly destinations: readonly AddressEntry[];
  readonly sourcePorts: readonly PortEntry[];
  readonly destinationPorts: readonly PortEntry[];
}

const MAX_PORT = 65535;
const IPV4_TOP = (1n << 32n) - 1n;
const ANY = new Set(NSG_SERVICE_TAGS.value.any.map((text) => text.toLowerCase()));
const PROBE = parseIp(AZURE_LOAD_BALANCER_PROBE_SOURCE.value.address);
const PROBE_ADDRESS = PROBE.ok ? PROBE.ip.value : -1n;
const PRIVATE = PRIVATE_ADDRESS_SPACES.value.map((text) => parseCidr(text)).flatMap((parse) => (parse.ok ? [parse.cidr] : []));

function rangeOf(block: Cidr): { lo: bigint; hi: bigint } {
  const size = 1n << BigInt(32 - block.prefix);
  return { lo: block.network, hi: block.network + size - 1n };
}

function addressEntry(value: Value<string>): AddressEntry {
  if (!value.known) return { kind: 'unknown' };
  const text = value.value.trim();
  if (ANY.has(text.toLowerCase())) return { kind: 'any' };
  const block = text.includes('/') ? parseCidr(text) : undefined;
  if (block) {
    if (!block.ok) return { kind: 'unknown' };
    return block.cidr.family === 6 ? { kind: 'ipv6' } : { kind: 'range', ...rangeOf(block.cidr) };
  }
  const ip = parseIp(text);
  if (ip.ok) return ip.ip.family === 6 ? { kind: 'ipv6' } : { kind: 'range', lo: ip.ip.value, hi: ip.ip.value };
  if (/^\d/.test(text) || text.includes(':')) return { kind: 'unknown' };
  const tag = text.toLowerCase();
  const named = NSG_SERVICE_TAGS.value;
  if (tag === named.virtualNetwork.toLowerCase()) return { kind: 'tag', tag: 'virtualnetwork' };
  if (tag === named.internet.toLowerCase()) return { kind: 'tag', tag: 'internet' };
  if (tag === named.loadBalancer.toLowerCase()) return { kind: 'tag', tag: 'azureloadbalancer' };
  return { kind: 'tag', tag: 'other' };
}

function portEntry(value: Value<string>): PortEntry {
  if (!value.known) return undefined;
  const text = value.value.trim();
  if (text === '*' || text.toLowerCase() === 'any') return { lo: 0, hi: MAX_PORT };
  const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const lo = Number(match[1]);
  const hi = match[2] === undefined ? lo : Number(match[2]);
  return lo <= hi && hi <= MAX_PORT ? { lo, hi } : undefined;
}

function oneOf<T extends string>(value: Value<string>, options: readonly T[]): T | undefined {
  return value.known ? options.find((option) => option.toLowerCase() === value.value.trim().toLowerCase()) : undefined;
}

function compile(rule: SecurityRule): CompiledRule {
  const protocol = rule.protocol.known ? rule.protocol.value.trim().toLowerCase() : undefined;
  return {
    // Where a user changes what the rule decides: its access (`Deny`), else the rule.
    ref: { name: rule.name, priority: rule.priority.known ? rule.priority.value : undefined, isDefault: false, source: rule.access.known ? rule.access.source : rule.source },
    direction: oneOf(rule.direction, ['Inbound', 'Outbound'] as const),
    access: oneOf(rule.access, ['Allow', 'Deny'] as const),
    protocol: protocol === 'any' ? '*' : protocol,
    sources: rule.sourceAddresses.map(addressEntry),
    destinations: rule.destinationAddresses.map(addressEntry),
    // Not written means every port, as Azure's own rules write `*`.
    sourcePorts: rule.sourcePorts.length === 0 ? [{ lo: 0, hi: MAX_PORT }] : rule.sourcePorts.map(portEntry),
    destinationPorts: rule.destinationPorts.length === 0 ? [{ lo: 0, hi: MAX_PORT }] : rule.destinationPorts.map(portEntry),
  };
}

const DEFAULT_RULES: readonly CompiledRule[] = NSG_DEFAULT_RULES.value.map((rule) => ({
  ref: { name: rule.name, priority: rule.priority, isDefault: true },
  direction: rule.direction,
  access: rule.access,
  protocol: '*',
  sources: [addressEntry({ known: true, value: rule.source, source: { uri: '', start: 0, end: 0 } })],
  destinations: [addressEntry({ known: true, value: rule.destination, source: { uri: '', start: 0, end: 0 } })],
  sourcePorts: [{ lo: 0, hi: MAX_PORT }],
  destinationPorts: [{ lo: 0, hi: MAX_PORT }],
}));

const inRanges = (address: bigint, ranges: readonly Cidr[]) => ranges.some((block) => block.family === 4 && rangeOf(block).lo <= address && address <= rangeOf(block).hi);

/** Whether a service tag holds an address: VirtualNetwork and Internet from the workspace, the probe address aside. */
function inTag(tag: (AddressEntry & { kind: 'tag' })['tag'], address: bigint, context: TagContext): Tri {
  if (tag === 'azureloadbalancer') return address === PROBE_ADDRESS ? 'yes' : 'no';
  if (tag === 'other') return 'unknown';
  const inVnet = inRanges(address, context.virtualNetwork);
  // The probe address is the host's virtual IP, which VirtualNetwork counts and Internet's definition leaves open.
  if (address === PROBE_ADDRESS) return 'unknown';
  if (tag === 'virtualnetwork') return inVnet ? 'yes' : context.virtualNetworkComplete ? 'no' : 'unknown';
  if (inVnet) return 'no';
  // Private space outside the VNet may be a connected on-premises network (VirtualNetwork), not Internet.
  if (inRanges(address, PRIVATE)) return 'unknown';
  return context.virtualNetworkComplete ? 'yes' : 'unknown';
}

/** The three-valued OR of a list's entries; an empty list (nothing written) is unknown. */
function anyOf<T>(entries: readonly T[], match: (entry: T) => Tri): Tri {
  if (entries.length === 0) return 'unknown';
  let result: Tri = 'no';
  for (const entry of entries) {
    const m = match(entry);
    if (m === 'yes') return 'yes';
    if (m === 'unknown') result = 'unknown';
  }
  return result;
}

function and(...values: Tri[]): Tri {
  if (values.includes('no')) return 'no';
  return values.includes('unknown') ? 'unknown' : 'yes';
}

function addressMatch(entries: readonly AddressEntry[], address: bigint, context: TagContext): Tri {
  return anyOf(entries, (entry) => {
    switch (entry.kind) {
      case 'any':
        return 'yes';
      case 'range':
        return entry.lo <= address && address <= entry.hi ? 'yes' : 'no';
      case 'ipv6':
        return 'no';
      case 'tag':
        return inTag(entry.tag, address, context);
      case 'unknown':
        return 'unknown';
    }
  });
}

function portMatch(entries: readonly PortEntry[], port: number | undefined): Tri {
  return anyOf(entries, (entry) => {
    if (entry === undefined) return 'unknown';
    if (port === undefined) return entry.lo === 0 && entry.hi === MAX_PORT ? 'yes' : 'unknown';
    return entry.lo <= port && port <= entry.hi ? 'yes' : 'no';
  });
}

/** Whether a rule applies to a flow, its priority aside. */
function matches(rule: CompiledRule, flow: Flow, context: TagContext): Tri {
  const direction: Tri = rule.direction === undefined ? 'unknown' : rule.direction === flow.direction ? 'yes' : 'no';
  const protocol: Tri = rule.protocol === undefined ? 'unknown' : rule.protocol === '*' || rule.protocol === flow.protocol.toLowerCase() ? 'yes' : 'no';
  return and(
    direction,
    protocol,
    addressMatch(rule.sources, flow.source.value, context),
    addressMatch(rule.destinations, flow.destination.value, context),
    portMatch(rule.sourcePorts, flow.sourcePort),
    portMatch(rule.destinationPorts, flow.destinationPort),
  );
}

/** First match over rules in priority order; a rule that may match decides unless it agrees with what follows. */
function firstMatch(rules: readonly CompiledRule[], from: number, flow: Flow, context: TagContext): Verdict {
  for (let i = from; i < rules.length; i++) {
    const rule = rules[i]!;
    const m = matches(rule, flow, context);
    if (m === 'no') continue;
    if (m === 'yes' && rule.access !== undefined) return { known: true, access: rule.access, rule: rule.ref, alsoPossible: [] };
    const rest = firstMatch(rules, i + 1, flow, context);
    if (rest.known && rule.access === rest.access) return { ...rest, alsoPossible: [rule.ref, ...rest.alsoPossible] };
    return { known: false, reason: m === 'unknown' ? `whether ${rule.ref.name} applies is not known` : `the access of ${rule.ref.name} is not known`, rule: rule.ref };
  }
  return { known: false, reason: 'no rule matches' };
}

/** An NSG's rules, parsed once, for many flows. */
export interface CompiledGroup {
  readonly ordered: readonly CompiledRule[];
  /** Rules whose priority is not known: they could sit anywhere. */
  readonly unordered: readonly CompiledRule[];
  readonly complete: boolean;
}

/** Parses the group's rules (several groups of one name, as ASO's separate rule objects give, are one group). */
export function compileGroup(groups: readonly NetworkSecurityGroup[]): CompiledGroup {
  const rules = groups.flatMap((group) => group.rules).map(compile);
  const ordered = [...rules.filter((rule) => rule.ref.priority !== undefined), ...DEFAULT_RULES].sort((a, b) => a.ref.priority! - b.ref.priority!);
  return { ordered, unordered: rules.filter((rule) => rule.ref.priority === undefined), complete: groups.length > 0 && groups.some((group) => group.rulesComplete) };
}

/** Whether the NSG allows the flow, and the rule that decides. */
export function evaluateFlow(group: CompiledGroup, flow: Flow, context: TagContext): Verdict {
  if (flow.source.family !== 4 || flow.destination.family !== 4) return { known: false, reason: 'only IPv4 flows are evaluated' };
  if (!group.complete) return { known: false, reason: 'some rules of the network security group cannot be read' };
  const verdict = firstMatch(group.ordered, 0, flow, context);
  if (!verdict.known) return verdict;
  const possible = group.unordered.filter((rule) => matches(rule, flow, context) !== 'no');
  if (possible.length === 0) return verdict;
  // Custom priorities are all below the defaults': a lone rule of unknown priority that surely matches, with no rule of
  // one's own that may, decides wherever it sits.
  const only = possible.length === 1 ? possible[0]! : undefined;
  const customMay = group.ordered.some((rule) => !rule.ref.isDefault && matches(rule, flow, context) !== 'no');
  if (only && only.access !== undefined && !customMay && matches(only, flow, context) === 'yes') return { known: true, access: only.access, rule: only.ref, alsoPossible: [] };
  // Else, wherever a rule of unknown priority sits, the flow gets its access or the verdict without it.
  const also = [...verdict.alsoPossible];
  for (const rule of possible) {
    if (rule.access !== verdict.access) return { known: false, reason: `the priority of ${rule.ref.name} is not known`, rule: rule.ref };
    also.push(rule.ref);
  }
  return also.length === verdict.alsoPossible.length ? verdict : { ...verdict, alsoPossible: also };
}

/** Flows that share everything but their destination address and port: the region a question covers. */
export interface FlowRegion {
  readonly direction: Direction;
  readonly protocol: string;
  readonly source: IpAddress;
  readonly sourcePort?: number;
  /** IPv4 destination blocks. */
  readonly destinations: readonly Cidr[];
  readonly ports: { readonly lo: number; readonly hi: number };
}

/**
 * Whether a rule may match some flow of a region by its direction, protocol and destination ports: a rule that cannot
 * decides nothing there, so its range edges need not cut the region.
 */
function mayApply(rule: CompiledRule, region: { direction: Direction; protocol: string; ports: { lo: number; hi: number } }): boolean {
  if (rule.direction !== undefined && rule.direction !== region.direction) return false;
  if (rule.protocol !== undefined && rule.protocol !== '*' && rule.protocol !== region.protocol.toLowerCase()) return false;
  return rule.destinationPorts.some((entry) => entry === undefined || (entry.lo <= region.ports.hi && region.ports.lo <= entry.hi));
}

/**
 * The verdicts over a whole region: rules are constant between the edges of their ranges, so one flow per piece
 * (cut at every range edge any rule or tag has inside the region) gives the answer for every flow of the region.
 */
export function evaluateRegion(group: CompiledGroup, region: FlowRegion, context: TagContext): { flow: Flow; verdict: Verdict }[] {
  const all = [...group.ordered, ...group.unordered].filter((rule) => mayApply(rule, region));
  const portCuts = new Set<number>([region.ports.lo]);
  for (const rule of all) {
    for (const entry of rule.destinationPorts) {
      if (!entry) continue;
      for (const cut of [entry.lo, entry.hi + 1]) if (cut > region.ports.lo && cut <= region.ports.hi) portCuts.add(cut);
    }
  }
  const tagRanges = [...context.virtualNetwork, ...PRIVATE].filter((block) => block.family === 4).map(rangeOf);
  const edges = [
    ...all.flatMap((rule) => rule.destinations.flatMap((entry) => (entry.kind === 'range' ? [entry] : []))),
    ...tagRanges,
    { lo: PROBE_ADDRESS, hi: PROBE_ADDRESS },
  ];
  const results: { flow: Flow; verdict: Verdict }[] = [];
  for (const block of region.destinations) {
    if (block.family !== 4) continue;
    const { lo, hi } = rangeOf(block);
    const addressCuts = new Set<bigint>([lo]);
    for (const edge of edges) for (const cut of [edge.lo, edge.hi + 1n]) if (cut > lo && cut <= hi && cut <= IPV4_TOP) addressCuts.add(cut);
    for (const address of addressCuts) {
      for (const port of portCuts) {
        const flow: Flow = {
          direction: region.direction,
          protocol: region.protocol,
          source: region.source,
          destination: { family: 4, value: address },
          destinationPort: port,
          ...(region.sourcePort !== undefined ? { sourcePort: region.sourcePort } : {}),
        };
        results.push({ flow, verdict: evaluateFlow(group, flow, context) });
      }
    }
  }
  return results;
}

/** Every IPv4 address: a region to cut pieces from, kept to public addresses (`isPublicAddress`) where "the Internet" is meant. */
export const EVERY_IPV4: Cidr = { family: 4, network: 0n, prefix: 0 };

/** Flows between blocks of sources and blocks of destinations, over a range of destination ports. */
export interface BlockRegion {
  readonly direction: Direction;
  readonly protocol: string;
  /** IPv4 source blocks. */
  readonly sources: readonly Cidr[];
  readonly destinations: readonly Cidr[];
  readonly ports: { readonly lo: number; readonly hi: number };
}

/**
 * The verdicts over flows from many sources: each source block is cut at every edge a rule's source entry or a tag
 * has inside it, and each piece is one source of `evaluateRegion` (which cuts the destinations and ports alike).
 */
export function evaluateBlocks(group: CompiledGroup, region: BlockRegion, context: TagContext): { flow: Flow; verdict: Verdict }[] {
  const all = [...group.ordered, ...group.unordered].filter((rule) => mayApply(rule, region));
  const tagRanges = [...context.virtualNetwork, ...PRIVATE].filter((block) => block.family === 4).map(rangeOf);
  const edges = [
    ...all.flatMap((rule) => rule.sources.flatMap((entry) => (entry.kind === 'range' ? [entry] : []))),
    ...tagRanges,
    { lo: PROBE_ADDRESS, hi: PROBE_ADDRESS },
  ];
  const results: { flow: Flow; verdict: Verdict }[] = [];
  for (const block of region.sources) {
    if (block.family !== 4) continue;
    const { lo, hi } = rangeOf(block);
    const cuts = new Set<bigint>([lo]);
    for (const edge of edges) for (const cut of [edge.lo, edge.hi + 1n]) if (cut > lo && cut <= hi && cut <= IPV4_TOP) cuts.add(cut);
    for (const address of cuts) {
      const source: IpAddress = { family: 4, value: address };
      results.push(...evaluateRegion(group, { direction: region.direction, protocol: region.protocol, source, destinations: region.destinations, ports: region.ports }, context));
    }
  }
  return results;
}

/**
 * Whether an address stands for a public client or destination: IPv4 outside private space and other than the probe
 * address. The VirtualNetwork tag may still hold it (a user-defined route's prefix, 0.0.0.0/0 among them, joins the tag):
 * the rules decide with the tags as they are.
 */
export function isPublicAddress(address: IpAddress): boolean {
  return address.family === 4 && address.value !== PROBE_ADDRESS && !inRanges(address.value, PRIVATE);
}
