// One template deployed in several environments (or one module called by several roots) lowers the same VNets,
// subnets, route tables and address literals again wherever their values do not depend on the environment. The
// workspace joins each of them once: the rules then see one subnet, not ten copies of it, and their cost does not
// grow with the number of environments. What differs (a subnet whose prefix an environment gives) stays apart.
import type { Cidr, IpAddress } from '../cidr/cidr';
import type { AddressLiteral, FileFacts, RouteTable, Subnet, VirtualNetwork } from '../model/network';
import type { Source, Value } from '../model/source';

const SHARED = ['vnets', 'subnets', 'routeTables', 'addressLiterals'] as const;
type SharedKind = (typeof SHARED)[number];

/** Each shared entity's content (its deployment stamp aside), per kind, in the order of the facts. */
export type Signatures = { readonly [kind in SharedKind]: readonly string[] };

/** A value with where it was written: two copies are the same when both agree. */
function valueKey(value: Value<unknown>): string {
  const at = value.source ? `@${value.source.uri}:${value.source.start}` : '';
  if (!value.known) return `?${value.reason}${at}`;
  const raw = value.value;
  const text = typeof raw === 'object' && raw !== null ? ('prefix' in raw ? `${(raw as Cidr).network}/${(raw as Cidr).prefix}` : `${(raw as IpAddress).value}`) : String(raw);
  return `${text}${at}`;
}

const at = (source: Source) => `${source.uri}:${source.start}:${source.end}`;

/** What makes each kind of entity the same entity with the same values. */
const SIGNATURE: { readonly [kind in SharedKind]: (entity: never) => string } = {
  vnets: (vnet: VirtualNetwork) => `${vnet.key}|${vnet.name}|${at(vnet.source)}|${vnet.addressSpace.map(valueKey).join(',')}|${vnet.azureName ?? ''}`,
  subnets: (subnet: Subnet) =>
    `${subnet.vnetKey}|${subnet.name}|${at(subnet.source)}|${subnet.prefixes.map(valueKey).join(',')}|${valueKey(subnet.routeTable)}|${valueKey(subnet.natGateway)}|${subnet.networkSecurityGroup ? valueKey(subnet.networkSecurityGroup) : ''}|${subnet.kubernetesName ?? ''}`,
  routeTables: (table: RouteTable) =>
    `${table.name}|${at(table.source)}|${table.routesComplete}|${table.routes.map((r) => `${r.name}:${valueKey(r.addressPrefix)}:${valueKey(r.nextHopType)}:${r.nextHopIpAddress ? valueKey(r.nextHopIpAddress) : ''}`).join(',')}`,
  addressLiterals: (literal: AddressLiteral) => `${literal.role}|${at(literal.source)}|${literal.parse.text}`,
};

/** Computed once per evaluated deployment. */
export function signaturesOf(facts: FileFacts): Signatures {
  const signatures = {} as { [kind in SharedKind]: string[] };
  for (const kind of SHARED) signatures[kind] = (facts[kind] as never[]).map((entity) => `${kind}:${SIGNATURE[kind](entity)}`);
  return signatures;
}

/** The facts without the shared entities already joined (`seen`, filled as it goes); the same object when none repeats. */
export function withoutRepeats(facts: FileFacts, signatures: Signatures, seen: Set<string>): FileFacts {
  let result: FileFacts | undefined;
  for (const kind of SHARED) {
    const list = facts[kind] as unknown[];
    const keep = signatures[kind].map((signature) => !seen.has(signature));
    signatures[kind].forEach((signature) => seen.add(signature));
    if (keep.every(Boolean)) continue;
    result ??= { ...facts };
    (result as unknown as Record<SharedKind, unknown[]>)[kind] = list.filter((_, i) => keep[i]);
  }
  return result ?? facts;
}
