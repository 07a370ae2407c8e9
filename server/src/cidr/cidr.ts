// CIDR blocks and IP addresses, IPv4 and IPv6, as exact bigint intervals.
// ip-num parses IPv6 addresses (IPv4 is four checked octets); the interval arithmetic is done here on bigints.
import { IPv6 } from 'ip-num';
import { formatAddress, formatCount } from './format';

export { formatCount };
import { AZURE_RESERVED_ADDRESSES, AZURE_RESERVED_PER_SUBNET } from '../facts';

export type IpFamily = 4 | 6;

/** A CIDR block: family, network address as a number, prefix length. Always normalised (no host bits). */
export interface Cidr {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
}

/** A single IP address. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export type CidrParse =
  | { ok: true; cidr: Cidr; hostBitsSet: boolean; text: string }
  | { ok: false; error: string; text: string };

export type IpParse = { ok: true; ip: IpAddress; text: string } | { ok: false; error: string; text: string };

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function addressBits(family: IpFamily): number {
  return BITS[family];
}

function familyOf(text: string): IpFamily {
  return text.includes(':') ? 6 : 4;
}

/** Explains what is wrong with an IPv4 dotted-quad, or returns undefined when it is fine. */
function ipv4Problem(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return `'${text}' is not an IPv4 address: it needs 4 dot-separated numbers, it has ${parts.length}`;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return `'${text}' is not an IPv4 address: '${part}' is not a number from 0 to 255`;
    // Leading zeros read as octal in some tools and are refused by Azure and Kubernetes (and by ip-num, which threw).
    if (part.length > 1 && part.startsWith('0')) return `'${text}' is not an IPv4 address: '${part}' has a leading zero`;
    if (Number(part) > 255) return `'${text}' is not an IPv4 address: ${part} is over 255`;
  }
  return undefined;
}

/** Parses an IPv4 or IPv6 address. */
export function parseIp(raw: string): IpParse {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'empty address', text };
  const family = familyOf(text);
  if (family === 4) {
    const problem = ipv4Problem(text);
    if (problem) return { ok: false, error: problem, text };
    // Four checked decimal octets: the value directly (ip-num's parser took about 5% of reading manifests).
    const value = text.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
    return { ok: true, ip: { family, value: BigInt(value) }, text };
  }
  if (!/^[0-9a-fA-F:.]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) {
    return { ok: false, error: `'${text}' is not an IPv6 address`, text };
  }
  try {
    return { ok: true, ip: { family, value: IPv6.fromString(text).getValue() }, text };
  } catch {
    return { ok: false, error: `'${text}' is not an IPv6 address`, text };
  }
}

/** Parses `address/prefix`, explaining precisely what is wrong. Host bits are reported, not fatal. */
export function parseCidr(raw: string): CidrParse {
  const text = raw.trim();
  const slash = text.indexOf('/');
  if (slash < 0) {
    return { ok: false, error: `'${text}' is not a CIDR block: it has no '/prefix' (for example 10.0.0.0/16)`, text };
  }
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const ip = parseIp(addressText);
  if (!ip.ok) return { ok: false, error: ip.error, text };
  const bits = BITS[ip.ip.family];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return {
      ok: false,
      error: `'/${prefixText}' is not a valid IPv${ip.ip.family} prefix length: it must be a whole number from 0 to ${bits}`,
      text,
    };
  }
  const prefix = Number(prefixText);
  const network = ip.ip.value & networkMask(ip.ip.family, prefix);
  return { ok: true, cidr: { family: ip.ip.family, network, prefix }, hostBitsSet: network !== ip.ip.value, text };
}

/** Parses a CIDR that the caller knows is valid (facts, tests). Throws on a bad literal. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.cidr;
}

function networkMask(family: IpFamily, prefix: number): bigint {
  const bits = BITS[family];
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Number of addresses in the block. */
export function totalAddresses(block: Cidr): bigint {
  return 1n << BigInt(BITS[block.family] - block.prefix);
}

/** Addresses left for resources in an Azure subnet of this size (Azure keeps 5 in every subnet). */
export function azureUsableAddresses(block: Cidr): bigint {
  const usable = totalAddresses(block) - AZURE_RESERVED_PER_SUBNET.value;
  return usable > 0n ? usable : 0n;
}

/** One of the addresses Azure keeps in an IPv4 subnet (the first four and the last); IPv6 subnets have none counted here. */
export function isAzureReservedAddress(subnet: Cidr, ip: IpAddress): boolean {
  if (subnet.family !== 4 || ip.family !== 4) return false;
  const { first, last } = AZURE_RESERVED_ADDRESSES.value;
  const offset = ip.value - subnet.network;
  return (offset >= 0n && offset < first) || (ip.value > lastAddress(subnet).value - last && ip.value <= lastAddress(subnet).value);
}

export function firstAddress(block: Cidr): IpAddress {
  return { family: block.family, value: block.network };
}

export function lastAddress(block: Cidr): IpAddress {
  return { family: block.family, value: block.network + totalAddresses(block) - 1n };
}

/** True when `inner` lies wholly inside `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    inner.network >= outer.network &&
    lastAddress(inner).value <= lastAddress(outer).value
  );
}

export function containsIp(block: Cidr, ip: IpAddress): boolean {
  return block.family === ip.family && ip.value >= block.network && ip.value <= lastAddress(block).value;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.network <= lastAddress(b).value && b.network <= lastAddress(a).value;
}

export function sameCidr(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.network === b.network && a.prefix === b.prefix;
}

export function formatIp(ip: IpAddress): string {
  return formatAddress(ip.value, ip.family);
}

export function formatCidr(block: Cidr): string {
  return `${formatIp(firstAddress(block))}/${block.prefix}`;
}

/** Orders blocks by family, then address, then larger blocks first. */
export function compareCidrs(a: Cidr, b: Cidr): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.network !== b.network) return a.network < b.network ? -1 : 1;
  return a.prefix - b.prefix;
}
