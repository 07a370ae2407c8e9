// Terraform's built-in functions over the Azure resource layer's values (`ArmValue`), with Terraform's semantics.
// The semantics are those of the function pages, hashicorp/terraform website/docs/language/functions/<name>.mdx
// (cidrsubnet, cidrsubnets, cidrhost, cidrnetmask, concat, merge, lookup, coalesce, coalescelist, compact,
// element, length, range, tolist, toset, tomap, tostring, tonumber, tobool, jsonencode, jsondecode, format,
// formatlist, replace, split, join, lower, upper, trimspace, trimprefix, trimsuffix, substr, flatten, keys,
// values, contains, distinct, min, max, zipmap, startswith, endswith), and where a page is silent, of the code
// behind it (internal/lang/funcs in hashicorp/terraform, cty's function/stdlib, apparentlymart/go-cidr).
// `try` and `can` are not here: they take expressions, not values, and the evaluator runs them lazily.
//
// Values: a Terraform number is an `int` (a fractional one is an unknown before it reaches here); lists, tuples
// and sets are `array`s; maps and objects are `object`s. A computed result points at the call; a value handed
// back as it was (lookup's find, element's item, coalesce's pick, concat's items) keeps its own source, so a
// finding points at the literal the user wrote. An unknown argument the result depends on is the result,
// reason and source kept (the parameter without a value stays the place to give one). Wrong arguments give an
// unknown whose reason names the function: these functions never throw.
import { addressBits, type Cidr, formatCidr, formatIp, parseCidr } from '../../cidr/cidr';
import type { Source } from '../../model/source';
import { type ArmValue, unknownValue } from '../arm/values';

export type TerraformFunction = (args: readonly ArmValue[], source: Source) => ArmValue;

// ---------------------------------------------------------------------------------------------------------
// Plumbing: an implementation throws Fail (wrong arguments) or Pending (an unknown it depends on); `define`
// turns both into the returned value.

class Fail extends Error {}

class Pending extends Error {
  constructor(readonly value: ArmValue) {
    super('pending');
  }
}

/** Unknowns made here (not an argument's own): `define` puts the function's name in front of their reason. */
const FRESH = new WeakSet<ArmValue>();

function fresh(reason: string, source: Source | undefined): ArmValue {
  const value = unknownValue(reason, source);
  FRESH.add(value);
  return value;
}

type Impl = (args: readonly ArmValue[], source: Source) => ArmValue;

function define(name: string, impl: Impl): TerraformFunction {
  return (args, source) => {
    try {
      if (!Array.isArray(args)) throw new Fail('arguments are not a list');
      return impl(args, source);
    } catch (error) {
      if (error instanceof Pending) return FRESH.has(error.value) ? named(name, error.value) : error.value;
      const message = error instanceof Error ? error.message : String(error);
      return unknownValue(`${name}(): ${message}`, source);
    }
  };
}

function named(name: string, value: ArmValue): ArmValue {
  return value.kind === 'unknown' ? unknownValue(`${name}(): ${value.reason}`, value.source) : value;
}

const str = (value: string, source: Source): ArmValue => ({ kind: 'string', value, source });
const int = (value: number, source: Source): ArmValue => ({ kind: 'int', value, source });
const bool = (value: boolean, source: Source): ArmValue => ({ kind: 'bool', value, source });
const arr = (items: readonly ArmValue[], source: Source): ArmValue => ({ kind: 'array', items, source });
const obj = (properties: ReadonlyMap<string, ArmValue>, source: Source): ArmValue => ({ kind: 'object', properties, source });

function arity(args: readonly ArmValue[], min: number, max = min): void {
  if (args.length >= min && args.length <= max) return;
  const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  throw new Fail(`takes ${wanted} argument${wanted === '1' ? '' : 's'}, got ${args.length}`);
}

/** Stops at a value whose content is not known here: an unknown, a resource reached whole, a lambda. */
function known(value: ArmValue | undefined): ArmValue {
  if (value === undefined || value === null || typeof value !== 'object') throw new Fail('an argument is missing');
  switch (value.kind) {
    case 'unknown':
      throw new Pending(value);
    case 'resource':
      throw new Pending(fresh('a resource referenced whole: its attributes are known after apply', value.source));
    case 'lambda':
      throw new Fail('a lambda is not a Terraform value');
    default:
      return value;
  }
}

/** The first part of a value that is not known here (a resource id's text counts: it is known after apply). */
function firstUnknownPart(value: ArmValue, depth = 0): ArmValue | undefined {
  if (depth > 64) return fresh('a value nested too deeply', value.source);
  switch (value.kind) {
    case 'unknown':
      return value;
    case 'resource':
    case 'resourceId':
      return fresh(`the ${value.kind === 'resource' ? 'resource' : 'resource id'} is known after apply`, value.source);
    case 'lambda':
      throw new Fail('a lambda is not a Terraform value');
    case 'array':
      for (const item of value.items) {
        const found = firstUnknownPart(item, depth + 1);
        if (found) return found;
      }
      return undefined;
    case 'object':
      for (const item of value.properties.values()) {
        const found = firstUnknownPart(item, depth + 1);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Requires every part of the value to be known (jsonencode, format, sets). */
function wholly(value: ArmValue | undefined): ArmValue {
  const checked = known(value);
  const part = firstUnknownPart(checked);
  if (part) throw new Pending(part);
  return checked;
}

const KIND_NAMES: Record<ArmValue['kind'], string> = {
  string: 'a string',
  int: 'a number',
  bool: 'a bool',
  null: 'null',
  array: 'a list',
  object: 'a map',
  resourceId: 'a resource id',
  resource: 'a resource',
  lambda: 'a lambda',
  unknown: 'an unknown value',
};

function kindName(value: ArmValue): string {
  return KIND_NAMES[value.kind] ?? 'a value';
}

// Terraform converts arguments to the parameter's type: a number or bool where a string is wanted becomes its
// text, a string where a number is wanted is parsed (a string "4" is a fine newbits).

function toText(value: ArmValue | undefined, what: string): string {
  const checked = known(value);
  switch (checked.kind) {
    case 'string':
      return checked.value;
    case 'int':
      return String(checked.value);
    case 'bool':
      return String(checked.value);
    case 'null':
      throw new Fail(`${what} must not be null`);
    case 'resourceId':
      throw new Pending(fresh('the text of a resource id is known after apply', checked.source));
    default:
      throw new Fail(`${what} must be a string, not ${kindName(checked)}`);
  }
}

const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A number's text as Terraform reads it (decimal, with an optional fraction and exponent), exactly: a whole
 * number, or undefined for a fraction. Fails when it is not a number or too large to compute exactly.
 */
function parseNumberText(text: string, what: string): number | undefined {
  const match = NUMBER_TEXT.exec(text);
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match ?? [];
  if (!match || whole + fraction === '') throw new Fail(`${what}: '${text}' is not a number`);
  const all = whole + fraction;
  const digits = all.replace(/^0+/, '');
  if (digits === '') return 0;
  // The decimal point's place, counted from the first significant digit.
  const point = whole.length + Number(exponent) - (all.length - digits.length);
  if (point < digits.replace(/0+$/, '').length) return undefined;
  if (point > 16) throw new Fail(`${what}: '${text}' is too large to compute exactly`);
  const value = Number(digits.replace(/0+$/, '').padEnd(point, '0')) * (sign === '-' ? -1 : 1);
  if (!Number.isSafeInteger(value)) throw new Fail(`${what}: '${text}' is too large to compute exactly`);
  return value === 0 ? 0 : value;
}

function toInt(value: ArmValue | undefined, what: string): number {
  const checked = known(value);
  let result: number;
  switch (checked.kind) {
    case 'int':
      result = checked.value;
      break;
    case 'string': {
      const parsed = parseNumberText(checked.value, what);
      if (parsed === undefined) throw new Fail(`${what} must be a whole number, not ${checked.value}`);
      result = parsed;
      break;
    }
    case 'null':
      throw new Fail(`${what} must not be null`);
    default:
      throw new Fail(`${what} must be a number, not ${kindName(checked)}`);
  }
  if (!Number.isSafeInteger(result)) throw new Fail(`${what} ${result} is too large to compute exactly`);
  return result;
}

function toBool(value: ArmValue | undefined, what: string): boolean {
  const checked = known(value);
  if (checked.kind === 'bool') return checked.value;
  if (checked.kind === 'string' && (checked.value === 'true' || checked.value === 'false')) return checked.value === 'true';
  if (checked.kind === 'null') throw new Fail(`${what} must not be null`);
  throw new Fail(`${what} must be a bool, not ${kindName(checked)}`);
}

function toList(value: ArmValue | undefined, what: string): readonly ArmValue[] {
  const checked = known(value);
  if (checked.kind === 'array') return checked.items;
  throw new Fail(`${what} must be a list, not ${kindName(checked)}`);
}

function toMap(value: ArmValue | undefined, what: string): ReadonlyMap<string, ArmValue> {
  const checked = known(value);
  if (checked.kind === 'object') return checked.properties;
  throw new Fail(`${what} must be a map or object, not ${kindName(checked)}`);
}

/** Go orders strings by their UTF-8 bytes, which is code point order (UTF-16 code units differ above U+FFFF). */
function compareStrings(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0)!);
  const right = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(left.length, right.length); i++) if (left[i] !== right[i]) return left[i]! - right[i]!;
  return left.length - right.length;
}

/** Maps and objects iterate in lexicographic key order in Terraform (cty); results are built that way. */
function sortedObject(entries: Iterable<[string, ArmValue]>, source: Source): ArmValue {
  const map = new Map(entries);
  return obj(new Map([...map].sort(([a], [b]) => compareStrings(a, b))), source);
}

/**
 * The common type Terraform unifies primitives to (a list, set or map holds one element type): mixed strings,
 * numbers and bools become strings; numbers with bools, or primitives with collections, do not unify.
 * Converted items keep their sources: `tolist(["a", 1])`'s 1 still points at the 1.
 */
function unifyPrimitives(items: readonly ArmValue[], what: string): readonly ArmValue[] {
  const kinds = new Set(
    items.filter((i) => i.kind !== 'null' && i.kind !== 'unknown' && i.kind !== 'resource').map((i) => (i.kind === 'resourceId' ? 'string' : i.kind)),
  );
  if (kinds.size <= 1) return items;
  const primitive = [...kinds].every((k) => k === 'string' || k === 'int' || k === 'bool');
  if (primitive && kinds.has('string')) {
    return items.map((i) => (i.kind === 'int' || i.kind === 'bool' ? str(String(i.value), i.source) : i));
  }
  if ([...kinds].every((k) => k === 'array' || k === 'object')) return items;
  throw new Fail(`${what} must all have one type (found ${[...kinds].join(', ')})`);
}

/** Deep equality, type-sensitive as cty's; undefined when an unknown part decides it. */
function equalValues(a: ArmValue, b: ArmValue, depth = 0): boolean | undefined {
  if (depth > 64) return undefined;
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'resource' || b.kind === 'resource') return undefined;
  if (a.kind === 'resourceId' || b.kind === 'resourceId') {
    if (a.kind !== 'resourceId' || b.kind !== 'resourceId') return a.kind === 'string' || b.kind === 'string' ? undefined : false;
    if (a.path.length !== b.path.length) return false;
    for (let i = 0; i < a.path.length; i++) {
      const [x, y] = [a.path[i]!, b.path[i]!];
      if (x.type.toLowerCase() !== y.type.toLowerCase()) return false;
      if (x.name === undefined || y.name === undefined) return undefined;
      if (x.name.toLowerCase() !== y.name.toLowerCase()) return false;
    }
    return true;
  }
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'string':
    case 'int':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'null':
      return true;
    case 'array': {
      const other = b as typeof a;
      if (a.items.length !== other.items.length) return false;
      let result: boolean | undefined = true;
      for (let i = 0; i < a.items.length; i++) {
        const same = equalValues(a.items[i]!, other.items[i]!, depth + 1);
        if (same === false) return false;
        if (same === undefined) result = undefined;
      }
      return result;
    }
    case 'object': {
      const other = b as typeof a;
      if (a.properties.size !== other.properties.size) return false;
      let result: boolean | undefined = true;
      for (const [key, item] of a.properties) {
        const match = other.properties.get(key);
        if (match === undefined) return false;
        const same = equalValues(item, match, depth + 1);
        if (same === false) return false;
        if (same === undefined) result = undefined;
      }
      return result;
    }
    default:
      return undefined;
  }
}

/** Items without repeats, first occurrence kept; Pending when an unknown part decides whether two are equal. */
function dedupe(items: readonly ArmValue[]): ArmValue[] {
  const kept: ArmValue[] = [];
  for (const item of items) {
    let repeat = false;
    for (const seen of kept) {
      const same = equalValues(seen, item);
      if (same === undefined) throw new Pending(firstUnknownPart(item) ?? firstUnknownPart(seen) ?? fresh('equality not decidable', item.source));
      if (same) {
        repeat = true;
        break;
      }
    }
    if (!repeat) kept.push(item);
  }
  return kept;
}

let graphemeSegmenter: Intl.Segmenter | undefined;

/** Terraform counts, pads and cuts strings in grapheme clusters ("unicode characters": length.mdx, substr.mdx). */
function graphemes(text: string): string[] {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

// ---------------------------------------------------------------------------------------------------------
// IP network functions (cidrsubnet.mdx, cidrsubnets.mdx, cidrhost.mdx, cidrnetmask.mdx), on the CIDR engine.

/**
 * A prefix as Terraform reads it (its forked pre-Go-1.17 net.ParseCIDR, internal/ipaddr), which differs from
 * parseCidr in three ways handled here:
 * - "As a historical accident, this function interprets IPv4 address octets that have leading zeros as decimal
 *   numbers" (the note on all four pages): 010.001.0.0/24 is 10.1.0.0/24, where parseCidr refuses the zeros.
 * - Host bits are dropped: the functions work on the network, so cidrsubnet("10.1.2.3/16", 4, 1) is 10.1.16.0/20
 *   (the pages' own examples do it: cidrhost("fd00:fd12:3456:7890:00a2::/72", 34) is fd00:fd12:3456:7890::22).
 * - An IPv4 address written in IPv6 form (::ffff:192.168.0.0/112) is IPv4 (/16 here); the result is written as IPv4.
 * Surrounding spaces are refused, as Go refuses them (parseCidr trims).
 */
function terraformCidr(value: ArmValue | undefined, options: { mapped: boolean } = { mapped: true }): Cidr {
  const text = toText(value, 'prefix');
  if (text !== text.trim()) throw new Fail(`invalid CIDR expression: '${text}' has surrounding spaces`);
  const slash = text.indexOf('/');
  let normalised = text;
  if (slash >= 0) {
    let address = text.slice(0, slash);
    const prefix = text.slice(slash + 1);
    if (!address.includes(':') && /^\d+(\.\d+){3}$/.test(address)) address = address.split('.').map(stripZeros).join('.');
    normalised = `${address}/${/^\d+$/.test(prefix) ? stripZeros(prefix) : prefix}`;
  }
  const parsed = parseCidr(normalised);
  if (!parsed.ok) throw new Fail(`invalid CIDR expression: ${parsed.error}`);
  const block = parsed.cidr;
  if (options.mapped && block.family === 6 && block.prefix >= 96 && block.network >> 32n === 0xffffn) {
    return { family: 4, network: block.network & 0xffff_ffffn, prefix: block.prefix - 96 };
  }
  return block;
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

function cidrsubnet(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 3);
  const block = terraformCidr(args[0]);
  const newbits = toInt(args[1], 'newbits');
  const netnum = toInt(args[2], 'netnum');
  const bits = addressBits(block.family);
  if (newbits < 0) throw new Fail(`newbits ${newbits} is negative: it is the number of bits added to the prefix length`);
  const length = block.prefix + newbits;
  if (length > bits) throw new Fail(`insufficient address space to extend prefix of ${block.prefix} by ${newbits} (an IPv${block.family} prefix is at most /${bits})`);
  if (netnum < 0) throw new Fail(`netnum ${netnum} is negative`);
  if (BigInt(netnum) >= 1n << BigInt(newbits)) {
    throw new Fail(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum} (${newbits} new bits number 0 to ${(1n << BigInt(newbits)) - 1n})`);
  }
  const network = block.network + (BigInt(netnum) << BigInt(bits - length));
  return str(formatCidr({ family: block.family, network, prefix: length }), source);
}

function cidrsubnets(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1, Infinity);
  const block = terraformCidr(args[0]);
  const bits = addressBits(block.family);
  const end = block.network + (1n << BigInt(bits - block.prefix));
  const lengths = args.slice(1).map((arg, i) => toInt(arg, `newbits ${i + 1}`));
  const results: ArmValue[] = [];
  // Each range starts at the first address after the previous one that is aligned to its own size.
  let next = block.network;
  let previous: Cidr | undefined;
  for (const newbits of lengths) {
    if (newbits < 1) throw new Fail('must extend prefix by at least one bit');
    // "we only allow extension of 32 bits in one call" (internal/lang/funcs/cidr.go), which matters for IPv6.
    if (newbits > 32) throw new Fail('may not extend prefix by more than 32 bits');
    const length = block.prefix + newbits;
    if (length > bits) throw new Fail(`would extend prefix to ${length} bits, which is too long for an IPv${block.family} address`);
    const size = 1n << BigInt(bits - length);
    const start = ((next + size - 1n) / size) * size;
    // go-cidr's NextSubnet reports a rollover when the range after the last one wraps to address zero, which it
    // always does for a prefix starting at 0.0.0.0 or :: (its PreviousSubnet wraps below zero): Terraform refuses
    // (hashicorp/terraform#35486, open: cidrsubnets("0.0.0.0/1", 1, 1) fails "... after 192.0.0.0/2").
    const after =
      block.network === 0n ? { family: block.family, network: (1n << BigInt(bits)) - size, prefix: length } : start + size > end ? previous : undefined;
    if (after) throw new Fail(`not enough remaining address space for a subnet with a prefix of ${length} bits after ${formatCidr(after)}`);
    previous = { family: block.family, network: start, prefix: length };
    results.push(str(formatCidr(previous), source));
    next = start + size;
  }
  return arr(results, source);
}

function cidrhost(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2);
  const block = terraformCidr(args[0]);
  const hostnum = toInt(args[1], 'hostnum');
  const size = 1n << BigInt(addressBits(block.family) - block.prefix);
  // "If hostnum is negative, the count starts from the end of the range": -1 is the last address, -size the first.
  const offset = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
  if (offset < 0n || offset >= size) {
    throw new Fail(`prefix of ${block.prefix} does not accommodate a host numbered ${hostnum} (${formatCidr(block)} holds ${size} addresses: host numbers ${-size} to ${size - 1n})`);
  }
  return str(formatIp({ family: block.family, value: block.network + offset }), source);
}

function cidrnetmask(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const raw = terraformCidr(args[0], { mapped: false });
  const mapped = raw.family === 6 && raw.prefix >= 96 && raw.network >> 32n === 0xffffn;
  // "The cidrnetmask function only accepts IPv4 addresses in CIDR notation." Go's mask of an IPv4 address written
  // in IPv6 form is 16 bytes, and prints as such.
  if (raw.family === 6 && !mapped) throw new Fail(`IPv6 addresses cannot have a netmask: ${formatCidr(raw)}`);
  const bits = addressBits(raw.family);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - raw.prefix)) - 1n);
  return str(formatIp({ family: raw.family, value: mask }), source);
}

// ---------------------------------------------------------------------------------------------------------
// Collections.

function concat(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1, Infinity);
  const items: ArmValue[] = [];
  args.forEach((arg, i) => items.push(...toList(arg, `argument ${i + 1}`)));
  return arr(items, source);
}

function merge(args: readonly ArmValue[], source: Source): ArmValue {
  const entries: [string, ArmValue][] = [];
  let allNull = args.length > 0;
  args.forEach((arg, i) => {
    if (known(arg).kind === 'null') return;
    allNull = false;
    entries.push(...toMap(arg, `argument ${i + 1}`));
  });
  if (allNull) return { kind: 'null', source };
  return sortedObject(entries, source);
}

function lookup(args: readonly ArmValue[], _source: Source): ArmValue {
  arity(args, 2, 3);
  const map = toMap(args[0], 'the first argument');
  const key = toText(args[1], 'key');
  const found = map.get(key);
  if (found !== undefined) return found;
  if (args.length === 3) return args[2]!;
  throw new Fail(`lookup failed to find key "${key}" (keys: ${[...map.keys()].map((k) => `"${k}"`).join(', ') || 'none'})`);
}

function coalesce(args: readonly ArmValue[], _source: Source): ArmValue {
  arity(args, 1, Infinity);
  for (const arg of args) if (arg?.kind === 'lambda') throw new Fail('a lambda is not a Terraform value');
  // All arguments convert to one type first (so "" is skipped only when that type is string, and coalesce(1, "a")
  // is "1"); an unknown ahead of the pick decides the result, one after it does not.
  const unified = unifyPrimitives(args, 'the arguments');
  const isString = unified.some((a) => a.kind === 'string' || a.kind === 'resourceId');
  for (const [i, arg] of args.entries()) {
    if (known(arg).kind === 'null') continue;
    const pick = unified[i]!;
    if (isString && pick.kind === 'string' && pick.value === '') continue;
    return pick;
  }
  throw new Fail('no non-null, non-empty-string arguments');
}

function coalescelist(args: readonly ArmValue[], _source: Source): ArmValue {
  arity(args, 1, Infinity);
  for (const [i, arg] of args.entries()) {
    const value = known(arg);
    if (value.kind === 'null') continue;
    if (toList(value, `argument ${i + 1}`).length > 0) return value;
  }
  throw new Fail('no non-empty list among the arguments');
}

function compact(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const items = toList(args[0], 'the argument');
  for (const item of items) {
    const part = firstUnknownPart(item);
    if (part && item.kind !== 'resourceId') throw new Pending(part);
  }
  const strings = items.map((item) => {
    if (item.kind === 'int' || item.kind === 'bool') return str(String(item.value), item.source);
    if (item.kind === 'string' || item.kind === 'null' || item.kind === 'resourceId') return item;
    throw new Fail(`takes a list of strings; an element is ${kindName(item)}`);
  });
  return arr(strings.filter((item) => item.kind !== 'null' && !(item.kind === 'string' && item.value === '')), source);
}

function element(args: readonly ArmValue[], _source: Source): ArmValue {
  arity(args, 2);
  const index = toInt(args[1], 'index');
  if (index < 0) throw new Fail(`cannot use element function with a negative index (${index})`);
  const items = toList(args[0], 'the first argument');
  if (items.length === 0) throw new Fail('cannot use element function with an empty list');
  // "If the given index is greater than the length of the list then the index is wrapped around" (element.mdx).
  return items[index % items.length]!;
}

function length(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  switch (value.kind) {
    case 'string':
      return int(graphemes(value.value).length, source);
    case 'array':
      return int(value.items.length, source);
    case 'object':
      return int(value.properties.size, source);
    case 'resourceId':
      throw new Pending(fresh('the text of a resource id is known after apply', value.source));
    case 'null':
      throw new Fail('argument must not be null');
    default:
      throw new Fail(`argument must be a string, a collection type, or a structural type, not ${kindName(value)}`);
  }
}

/** "Terraform imposes an artificial limit of 1024 numbers in the resulting sequence" (range.mdx). */
const RANGE_LIMIT = 1024;

function range(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1, 3);
  const numbers = args.map((arg, i) => toInt(arg, ['start', 'limit', 'step'][args.length === 1 ? 1 : i]!));
  const [start, limit] = numbers.length === 1 ? [0, numbers[0]!] : [numbers[0]!, numbers[1]!];
  // "step defaults to either one or negative one depending on whether limit is greater than or less than start".
  const step = numbers.length === 3 ? numbers[2]! : limit < start ? -1 : 1;
  if (step === 0) throw new Fail('step must not be zero');
  const items: ArmValue[] = [];
  for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
    if (items.length >= RANGE_LIMIT) throw new Fail(`more than ${RANGE_LIMIT} values were generated; either decrease the difference between start and limit or use a larger step`);
    items.push(int(n, source));
  }
  return arr(items, source);
}

function tolist(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  if (value.kind === 'null') return value;
  return arr(unifyPrimitives(toList(value, 'the argument'), 'list elements'), source);
}

function setOrder(items: ArmValue[]): ArmValue[] {
  // A set of strings iterates in lexicographic order and one of numbers in numeric order (toset.mdx:
  // toset(["c", "b", "b"]) is ["b", "c"]); other element types keep the order given here.
  if (items.every((i) => i.kind === 'string')) return items.sort((a, b) => compareStrings((a as { value: string }).value, (b as { value: string }).value));
  if (items.every((i) => i.kind === 'int')) return items.sort((a, b) => (a as { value: number }).value - (b as { value: number }).value);
  return items;
}

function toset(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  if (value.kind === 'null') return value;
  const items = unifyPrimitives(toList(value, 'the argument'), 'set elements');
  for (const item of items) {
    const part = item.kind === 'resourceId' ? undefined : firstUnknownPart(item);
    if (part) throw new Pending(part);
  }
  return arr(setOrder(dedupe(items)), source);
}

function tomap(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  if (value.kind === 'null') return value;
  const map = toMap(value, 'the argument');
  const values = unifyPrimitives([...map.values()], 'map values');
  return sortedObject([...map.keys()].map((key, i) => [key, values[i]!]), source);
}

function tostring(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  switch (value.kind) {
    case 'string':
    case 'null':
    case 'resourceId':
      return value;
    case 'int':
    case 'bool':
      return str(String(value.value), source);
    default:
      throw new Fail(`cannot convert ${kindName(value)} to string`);
  }
}

function tonumber(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  if (value.kind === 'int' || value.kind === 'null') return value;
  if (value.kind !== 'string') throw new Fail(`cannot convert ${kindName(value)} to number`);
  const parsed = parseNumberText(value.value, 'the argument');
  if (parsed === undefined) return unknownValue(`tonumber(): ${value.value} is not a whole number (fractions are not computed here)`, source);
  return int(parsed, source);
}

function tobool(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const value = known(args[0]);
  if (value.kind === 'bool' || value.kind === 'null') return value;
  return bool(toBool(value, 'the argument'), source);
}

function flattenItems(items: readonly ArmValue[], out: ArmValue[], depth: number): void {
  if (depth > 64) throw new Fail('lists nested too deeply');
  for (const item of items) {
    // An unknown element may be a list itself: the result's length is not known then.
    const value = known(item);
    if (value.kind === 'array') flattenItems(value.items, out, depth + 1);
    else out.push(value);
  }
}

function flatten(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const out: ArmValue[] = [];
  flattenItems(toList(args[0], 'the argument'), out, 0);
  return arr(out, source);
}

function sortedEntries(map: ReadonlyMap<string, ArmValue>): [string, ArmValue][] {
  return [...map].sort(([a], [b]) => compareStrings(a, b));
}

function keys(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  return arr(sortedEntries(toMap(args[0], 'the argument')).map(([key]) => str(key, source)), source);
}

function values(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  return arr(sortedEntries(toMap(args[0], 'the argument')).map(([, value]) => value), source);
}

function contains(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2);
  const items = toList(args[0], 'the first argument');
  if (items.length === 0) return bool(false, source);
  const wanted = known(args[1]);
  let undecided: ArmValue | undefined;
  for (const item of items) {
    const same = equalValues(item, wanted);
    if (same === true) return bool(true, source);
    if (same === undefined) undecided ??= firstUnknownPart(item) ?? firstUnknownPart(wanted) ?? item;
  }
  if (undecided) throw new Pending(undecided);
  return bool(false, source);
}

function distinct(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const items = unifyPrimitives(toList(args[0], 'the argument'), 'list elements');
  return arr(dedupe(items), source);
}

function extreme(pickLarger: boolean): Impl {
  return (args, _source) => {
    arity(args, 1, Infinity);
    let best: { value: number; arg: ArmValue } | undefined;
    args.forEach((arg, i) => {
      const value = toInt(arg, `argument ${i + 1}`);
      if (!best || (pickLarger ? value > best.value : value < best.value)) best = { value, arg };
    });
    // The number picked keeps its source, as a value passed through.
    const { value, arg } = best!;
    return arg.kind === 'int' || arg.kind === 'unknown' ? arg : int(value, arg.source);
  };
}

function zipmap(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2);
  const keyItems = toList(args[0], 'keys');
  const valueItems = toList(args[1], 'values');
  const names = keyItems.map((key, i) => {
    if (known(key).kind === 'null') throw new Fail(`keys list has null value at index ${i}`);
    return toText(key, `key ${i}`);
  });
  if (names.length !== valueItems.length) throw new Fail(`number of keys (${names.length}) does not match number of values (${valueItems.length})`);
  return sortedObject(
    names.map((name, i) => [name, valueItems[i]!]),
    source,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Encoding.

/**
 * JSON as Terraform writes it (jsonencode.mdx): minified, object keys in lexicographic order, and "replacing <, >,
 * &, U+2028, and U+2029 with \u003c, \u003e, \u0026, \u2028, and \u2029". Go writes invalid UTF-16 as U+FFFD.
 */
function encodeJson(value: ArmValue, depth = 0): string {
  if (depth > 64) throw new Fail('a value nested too deeply');
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value)
        .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .replace(/\\ud[89a-f][0-9a-f]{2}/g, '\\ufffd');
    case 'int':
      return String(value.value);
    case 'bool':
      return String(value.value);
    case 'null':
      return 'null';
    case 'array':
      return `[${value.items.map((item) => encodeJson(item, depth + 1)).join(',')}]`;
    case 'object': {
      const at = value.source;
      return `{${sortedEntries(value.properties)
        .map(([key, item]) => `${encodeJson(str(key, at))}:${encodeJson(item, depth + 1)}`)
        .join(',')}}`;
    }
    default:
      throw new Fail(`${kindName(value)} cannot be encoded`);
  }
}

function jsonencode(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  return str(encodeJson(wholly(args[0])), source);
}

function fromJson(json: unknown, source: Source, depth: number): ArmValue {
  if (depth > 64) throw new Fail('JSON nested too deeply');
  if (json === null) return { kind: 'null', source };
  if (typeof json === 'string') return str(json, source);
  if (typeof json === 'boolean') return bool(json, source);
  if (typeof json === 'number') {
    if (Number.isSafeInteger(json)) return int(json === 0 ? 0 : json, source);
    return unknownValue(`jsondecode(): ${json} is ${Number.isInteger(json) ? 'too large to compute exactly' : 'not a whole number (fractions are not computed here)'}`, source);
  }
  if (Array.isArray(json)) return arr(json.map((item) => fromJson(item, source, depth + 1)), source);
  return sortedObject(
    Object.entries(json as Record<string, unknown>).map(([key, item]) => [key, fromJson(item, source, depth + 1)]),
    source,
  );
}

function jsondecode(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1);
  const text = toText(args[0], 'the argument');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Fail(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return fromJson(json, source, 0);
}

// ---------------------------------------------------------------------------------------------------------
// format and formatlist (format.mdx; cty's function/stdlib/format.go, which leans on Go's fmt for numbers).

interface Verb {
  readonly raw: string;
  readonly flags: string;
  readonly width: number | undefined;
  readonly precision: number | undefined;
  readonly verb: string;
}

function pad(verb: Verb, text: string): string {
  if (verb.width === undefined) return text;
  const missing = verb.width - graphemes(text).length;
  if (missing <= 0) return text;
  // cty pads with zeros under the 0 flag on either side (%-05s is "ab000").
  const fill = (verb.flags.includes('0') ? '0' : ' ').repeat(missing);
  return verb.flags.includes('-') ? text + fill : fill + text;
}

/** Go's formatting of an integer with %b %d %o %x %X and its flags, width and precision (math/big Int.Format). */
function formatInteger(verb: Verb, n: number): string {
  const base = { b: 2, d: 10, o: 8, x: 16, X: 16 }[verb.verb as 'b' | 'd' | 'o' | 'x' | 'X'];
  let digits = Math.abs(n).toString(base);
  if (verb.verb === 'X') digits = digits.toUpperCase();
  const sign = n < 0 ? '-' : verb.flags.includes('+') ? '+' : verb.flags.includes(' ') ? ' ' : '';
  const prefix = verb.flags.includes('#') ? ({ b: '0b', o: '0', x: '0x', X: '0X' } as Record<string, string>)[verb.verb] ?? '' : '';
  let zeros = 0;
  if (verb.precision !== undefined) {
    if (digits.length < verb.precision) zeros = verb.precision - digits.length;
    // Go prints nothing at all for zero with precision 0, not even the padding.
    else if (digits === '0' && verb.precision === 0) return '';
  }
  let left = 0;
  let right = 0;
  const size = sign.length + prefix.length + zeros + digits.length;
  if (verb.width !== undefined && size < verb.width) {
    const d = verb.width - size;
    if (verb.flags.includes('-')) right = d;
    else if (verb.flags.includes('0') && verb.precision === undefined) zeros = d;
    else left = d;
  }
  return `${' '.repeat(left)}${sign}${prefix}${'0'.repeat(zeros)}${digits}${' '.repeat(right)}`;
}

/** A whole number as Go's math/big decimal: significant digits (trailing zeros trimmed) and the point's place. */
interface Decimal {
  mant: string;
  exp: number;
}

function decimalOf(n: number): Decimal {
  const digits = Math.abs(n).toString();
  if (digits === '0') return { mant: '', exp: 0 };
  return { mant: digits.replace(/0+$/, ''), exp: digits.length };
}

/** Rounds to n significant digits as math/big does: half to even only on an exact half. */
function roundDecimal(d: Decimal, n: number): Decimal {
  if (n < 0 || n >= d.mant.length) return d;
  const next = d.mant[n]!;
  const exactHalf = next === '5' && n + 1 === d.mant.length;
  const up = exactHalf ? n > 0 && Number(d.mant[n - 1]) % 2 === 1 : next >= '5';
  if (!up) {
    const mant = d.mant.slice(0, n).replace(/0+$/, '');
    return { mant, exp: mant === '' ? 0 : d.exp };
  }
  let digits = d.mant.slice(0, n).split('').map(Number);
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 9) i--;
  if (i < 0) return { mant: '1', exp: d.exp + 1 };
  digits[i]! += 1;
  digits = digits.slice(0, i + 1);
  return { mant: digits.join(''), exp: d.exp };
}

function fmtE(d: Decimal, e: string, prec: number): string {
  let out = d.mant === '' ? '0' : d.mant[0]!;
  if (prec > 0) out += `.${d.mant.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = d.mant === '' ? 0 : d.exp - 1;
  return `${out}${e}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtF(d: Decimal, prec: number): string {
  let out = d.exp > 0 ? d.mant.slice(0, d.exp).padEnd(d.exp, '0') : '0';
  if (prec > 0) {
    let fraction = '';
    for (let i = 1; i <= prec; i++) fraction += d.mant[d.exp - 1 + i] ?? '0';
    out += `.${fraction}`;
  }
  return out;
}

/** Go's big.Float text of a whole number for %e %E %f %g %G (prec -1: the shortest form, as %v uses). */
function floatText(n: number, verb: string, precision: number | undefined): string {
  let d = decimalOf(n);
  const lower = verb.toLowerCase();
  let prec = precision ?? (lower === 'g' ? -1 : 6);
  const shortest = prec < 0;
  if (shortest) prec = lower === 'e' ? d.mant.length - 1 : lower === 'f' ? Math.max(d.mant.length - d.exp, 0) : d.mant.length;
  else if (lower === 'e') d = roundDecimal(d, 1 + prec);
  else if (lower === 'f') d = roundDecimal(d, d.exp + prec);
  else {
    if (prec === 0) prec = 1;
    d = roundDecimal(d, prec);
  }
  const e = verb === 'E' || verb === 'G' ? 'E' : 'e';
  const sign = n < 0 ? '-' : '';
  if (lower === 'e') return sign + fmtE(d, e, prec);
  if (lower === 'f') return sign + fmtF(d, prec);
  let eprec = prec;
  if (eprec > d.mant.length && d.mant.length >= d.exp) eprec = d.mant.length;
  if (shortest) eprec = 6;
  const exp = d.exp - 1;
  if (exp < -4 || exp >= eprec) return sign + fmtE(d, e, Math.min(prec, d.mant.length) - 1);
  return sign + fmtF(d, Math.max((prec > d.exp ? d.mant.length : prec) - d.exp, 0));
}

function formatFloat(verb: Verb, n: number): string {
  let text = floatText(n, verb.verb, verb.precision);
  let sign = '';
  if (text.startsWith('-')) {
    sign = '-';
    text = text.slice(1);
  } else if (verb.flags.includes('+')) sign = '+';
  else if (verb.flags.includes(' ')) sign = ' ';
  const padding = verb.width !== undefined ? Math.max(verb.width - sign.length - text.length, 0) : 0;
  if (verb.flags.includes('0')) return sign + '0'.repeat(padding) + text;
  if (verb.flags.includes('-')) return sign + text + ' '.repeat(padding);
  return ' '.repeat(padding) + sign + text;
}

function formatOne(verb: Verb, arg: ArmValue): string {
  if (verb.verb !== 'v' && arg.kind === 'null') throw new Fail(`unsupported value for "${verb.raw}": null value cannot be formatted`);
  switch (verb.verb) {
    case 'v':
      if (!verb.flags.includes('#')) {
        if (arg.kind === 'string') return pad(verb, arg.value);
        if (arg.kind === 'int') return pad(verb, floatText(arg.value, 'g', undefined));
      }
      return pad(verb, encodeJson(arg));
    case 't':
      return toBool(arg, `the value for "${verb.raw}"`) ? 'true' : 'false';
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
      return formatInteger(verb, toInt(arg, `the value for "${verb.raw}"`));
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      return formatFloat(verb, toInt(arg, `the value for "${verb.raw}"`));
    case 's':
    case 'q': {
      const at = arg.source ?? { uri: '', start: 0, end: 0 };
      let text = toText(arg, `the value for "${verb.raw}"`);
      // "For strings, precision limits the length of the input to be formatted", in grapheme clusters.
      if (verb.precision !== undefined && verb.precision > 0) text = graphemes(text).slice(0, verb.precision).join('');
      return pad(verb, verb.verb === 's' ? text : encodeJson(str(text, at)));
    }
    default:
      throw new Fail(`unsupported format verb "${verb.verb}" in "${verb.raw}"`);
  }
}

/** The specification's text with each verb applied to its argument, as cty's format FSM does. */
function formatText(spec: string, args: readonly ArmValue[]): string {
  let out = '';
  let next = 0;
  let highest = 0;
  const pattern = /%([ +\-#0]*)(?:\[(\d+)\])?(\d+)?(?:\.(\d+))?([A-Za-z%])?/y;
  let i = 0;
  while (i < spec.length) {
    const percent = spec.indexOf('%', i);
    if (percent < 0) {
      out += spec.slice(i);
      break;
    }
    out += spec.slice(i, percent);
    pattern.lastIndex = percent;
    const match = pattern.exec(spec)!;
    const [raw, flags = '', index, width, precision, letter] = match;
    if (letter === undefined) throw new Fail(`invalid format verb at offset ${percent}: "${raw}" has no verb letter`);
    i = percent + raw.length;
    if (letter === '%') {
      out += '%';
      continue;
    }
    if (index !== undefined) {
      const chosen = Number(index);
      if (chosen < 1) throw new Fail(`invalid argument index [${index}] in "${raw}"`);
      next = chosen - 1;
    }
    if (next >= args.length) throw new Fail(`not enough arguments for "${raw}" at ${percent}: need index ${next + 1} but have ${args.length} total`);
    const verb: Verb = {
      raw,
      flags,
      width: width === undefined ? undefined : Number(width),
      precision: precision === undefined ? undefined : Number(precision),
      verb: letter,
    };
    out += formatOne(verb, args[next]!);
    next++;
    highest = Math.max(highest, next);
  }
  if (highest < args.length) {
    throw new Fail(highest === 0 ? 'too many arguments; no verbs in format string' : `too many arguments; only ${highest} used by format string`);
  }
  return out;
}

function format(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1, Infinity);
  const spec = toText(args[0], 'the format');
  // Every value must be wholly known: a list or map is written as JSON (cty's FormatFunc).
  const values = args.slice(1).map((arg) => wholly(arg));
  return str(formatText(spec, values), source);
}

function formatlist(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 1, Infinity);
  const spec = toText(args[0], 'the format');
  const values = args.slice(1).map((arg) => known(arg));
  if (values.length === 0) return arr([str(formatText(spec, []), source)], source);
  let count = -1;
  let chooser = -1;
  values.forEach((value, i) => {
    if (value.kind !== 'array') return;
    if (count === -1) {
      count = value.items.length;
      chooser = i;
    } else if (value.items.length !== count) {
      throw new Fail(`argument ${i + 2} has length ${value.items.length}, which is inconsistent with argument ${chooser + 2} of length ${count}`);
    }
  });
  if (count === -1) count = 1;
  const results: ArmValue[] = [];
  for (let n = 0; n < count; n++) {
    const row = values.map((value) => (value.kind === 'array' ? value.items[n]! : value));
    const part = row.map((value) => (value.kind === 'lambda' ? undefined : firstUnknownPart(value))).find((p) => p !== undefined);
    if (part) {
      // That item alone is unknown; the others are still computed.
      results.push(FRESH.has(part) ? named('formatlist', part) : part);
      continue;
    }
    try {
      results.push(str(formatText(spec, row), source));
    } catch (error) {
      if (error instanceof Fail) throw new Fail(`error on format iteration ${n}: ${error.message}`);
      throw error;
    }
  }
  return arr(results, source);
}

// ---------------------------------------------------------------------------------------------------------
// Strings.

/**
 * A Go RE2 pattern (regexp/syntax) as a JavaScript pattern with Go's meaning, or a Fail for what it cannot carry
 * over. Go's `.` stops only at \n, its \s is ASCII, (?P<name>) names a group, a leading (?flags) group sets
 * flags, \A and \z anchor at the text's ends, any punctuation may be escaped; lookaround and backreferences are
 * not RE2 (Terraform refuses them).
 */
function goPattern(pattern: string): RegExp {
  let source = pattern;
  let flags = 'gu';
  let dotAll = false;
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    if (leading[1]!.includes('U')) throw new Fail('the ungreedy flag (?U) is not supported here');
    if (leading[1]!.includes('i')) flags += 'i';
    if (leading[1]!.includes('m')) flags += 'm';
    dotAll = leading[1]!.includes('s');
    source = source.slice(leading[0].length);
  }
  const posix: Record<string, string> = {
    alnum: '0-9A-Za-z',
    alpha: 'A-Za-z',
    ascii: '\\x00-\\x7F',
    blank: '\\t ',
    cntrl: '\\x00-\\x1F\\x7F',
    digit: '0-9',
    lower: 'a-z',
    space: '\\t\\n\\v\\f\\r ',
    upper: 'A-Z',
    word: '0-9A-Za-z_',
    xdigit: '0-9A-Fa-f',
  };
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) throw new Fail('trailing backslash at end of expression');
      i++;
      if (/[1-9]/.test(n)) throw new Fail(`backreference \\${n} is not RE2 syntax`);
      if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (n === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      else if (n === 'S' && !inClass) out += '[^\\t\\n\\f\\r ]';
      else if (n === 'Q' || n === 'C' || n === 'Z' || (n === 'S' && inClass)) throw new Fail(`\\${n} is not supported here`);
      else if (n === 'x' && source[i + 1] === '{') {
        const end = source.indexOf('}', i);
        if (end < 0) throw new Fail('unterminated \\x{...}');
        out += `\\u{${source.slice(i + 2, end)}}`;
        i = end;
      } else if ((n === 'p' || n === 'P') && source[i + 1] !== '{' && source[i + 1] !== undefined) {
        out += `\\${n}{${source[i + 1]}}`;
        i++;
      } else if (n === 'a') out += '\\x07';
      else if (/[!-/:-@[-`{-~]/.test(n) && !/[\^$\\.*+?()[\]{}|/]/.test(n) && !(n === '-' && inClass)) {
        // Go lets any punctuation be escaped; JavaScript's unicode mode only its syntax characters.
        out += `\\x${n.charCodeAt(0).toString(16).padStart(2, '0')}`;
      } else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === '[' && source[i + 1] === ':') {
        const end = source.indexOf(':]', i + 2);
        const name = end < 0 ? undefined : source.slice(i + 2, end);
        const negated = name?.startsWith('^');
        const set = name === undefined ? undefined : posix[negated ? name.slice(1) : name];
        if (set === undefined || negated) throw new Fail(`character class [:${name ?? ''}:] is not supported here`);
        out += set;
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith(':') || (rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!'))) {
        out += '(?';
        i += 1;
        continue;
      }
      throw new Fail(`group (?${rest.slice(0, 2)}... is not supported here (lookaround is not RE2 syntax)`);
    }
    if (c === '.' && !dotAll) {
      out += '[^\\n]';
      continue;
    }
    out += c;
  }
  if (dotAll) flags += 's';
  try {
    return new RegExp(out, flags);
  } catch (error) {
    throw new Fail(`invalid regular expression ${pattern}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}; $$ is a dollar; a malformed $ is itself. */
function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))?/g, (_whole, what: string | undefined, braced?: string, bare?: string) => {
    if (what === undefined) return '$';
    if (what === '$') return '$';
    const name = braced ?? bare!;
    // A number without leading zeros is a group's number; anything else a group's name (absent: empty).
    if (/^(0|[1-9]\d{0,7})$/.test(name)) return match[Number(name)] ?? '';
    return match.groups?.[name] ?? '';
  });
}

/** Go's Regexp.ReplaceAllString: an empty match right after a match is skipped; the search always advances. */
function replaceAllGo(text: string, pattern: RegExp, template: string): string {
  let out = '';
  let lastEnd = 0;
  let searchPos = 0;
  while (searchPos <= text.length) {
    pattern.lastIndex = searchPos;
    const match = pattern.exec(text);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += text.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expandTemplate(template, match);
    lastEnd = end;
    const width = searchPos < text.length ? String.fromCodePoint(text.codePointAt(searchPos)!).length : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + text.slice(lastEnd);
}

/**
 * One match as Terraform's regex() gives it (regex.mdx): the matched text when the pattern has no capture groups, a
 * list of the groups when they are unnamed, an object when they are named (groups that did not match are null).
 */
function matchValue(match: RegExpExecArray, source: Source): ArmValue {
  if (match.length === 1) return str(match[0], source);
  const group = (text: string | undefined): ArmValue => (text === undefined ? { kind: 'null', source } : str(text, source));
  if (match.groups && Object.keys(match.groups).length > 0) {
    if (Object.keys(match.groups).length !== match.length - 1) throw new Fail('a pattern mixes named and unnamed groups');
    return obj(new Map(Object.entries(match.groups).map(([name, text]) => [name, group(text)])), source);
  }
  return arr(match.slice(1).map(group), source);
}

function regex(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2);
  const pattern = goPattern(toText(args[0], 'the pattern'));
  const match = pattern.exec(toText(args[1], 'the string'));
  // "If the given pattern does not match at all, the regex raises an error" (regex.mdx).
  if (!match) throw new Fail('the pattern does not match the string');
  return matchValue(match, source);
}

function regexall(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2);
  const pattern = goPattern(toText(args[0], 'the pattern'));
  const text = toText(args[1], 'the string');
  const matches: ArmValue[] = [];
  for (const match of text.matchAll(pattern)) matches.push(matchValue(match as RegExpExecArray, source));
  return arr(matches, source);
}

function replace(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 3);
  const text = toText(args[0], 'the string');
  const substring = toText(args[1], 'the substring');
  const replacement = toText(args[2], 'the replacement');
  // "If substring is wrapped in forward slashes, it is treated as a regular expression" (replace.mdx).
  if (substring.length > 1 && substring.startsWith('/') && substring.endsWith('/')) {
    return str(replaceAllGo(text, goPattern(substring.slice(1, -1)), replacement), source);
  }
  // Go's strings.Replace with an empty substring inserts the replacement around every character.
  if (substring === '') return str(replacement + Array.from(text).join(replacement) + (text === '' ? '' : replacement), source);
  return str(text.split(substring).join(replacement), source);
}

function split(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2);
  const separator = toText(args[0], 'the separator');
  const text = toText(args[1], 'the string');
  const parts = separator === '' ? Array.from(text) : text.split(separator);
  return arr(
    parts.map((part) => str(part, source)),
    source,
  );
}

function join(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 2, Infinity);
  const separator = toText(args[0], 'the separator');
  const parts: string[] = [];
  args.slice(1).forEach((list, i) => {
    toList(list, `list ${i + 1}`).forEach((item, j) => {
      if (known(item).kind === 'null') throw new Fail(`element ${j} is null; cannot concatenate null values`);
      parts.push(toText(item, `element ${j}`));
    });
  });
  return str(parts.join(separator), source);
}

/** Go's strings.ToLower/ToUpper map each character to one character (ß stays ß; JavaScript would write SS). */
function mapCase(text: string, upper: boolean): string {
  return Array.from(text, (c) => {
    const mapped = upper ? c.toUpperCase() : c.toLowerCase();
    return Array.from(mapped).length === 1 ? mapped : c;
  }).join('');
}

function stringFunction(count: number, compute: (texts: string[]) => string | boolean): Impl {
  return (args, source) => {
    arity(args, count);
    const texts = args.map((arg, i) => toText(arg, count === 1 ? 'the argument' : `argument ${i + 1}`));
    const result = compute(texts);
    return typeof result === 'boolean' ? bool(result, source) : str(result, source);
  };
}

function substr(args: readonly ArmValue[], source: Source): ArmValue {
  arity(args, 3);
  const text = toText(args[0], 'the string');
  let offset = toInt(args[1], 'offset');
  const count = toInt(args[2], 'length');
  const characters = graphemes(text);
  // "The offset index may be negative, in which case it is relative to the end of the given string. The length may
  // be -1, in which case the remainder of the string after the given offset will be returned." (cty: any negative)
  if (offset < 0) offset = Math.max(offset + characters.length, 0);
  return str(characters.slice(offset, count < 0 ? undefined : offset + count).join(''), source);
}

// ---------------------------------------------------------------------------------------------------------

const IMPLEMENTATIONS: Record<string, Impl> = {
  cidrsubnet,
  cidrsubnets,
  cidrhost,
  cidrnetmask,
  concat,
  merge,
  lookup,
  coalesce,
  coalescelist,
  compact,
  element,
  length,
  range,
  tolist,
  toset,
  tomap,
  tostring,
  tonumber,
  tobool,
  jsonencode,
  jsondecode,
  format,
  formatlist,
  replace,
  split,
  join,
  lower: stringFunction(1, ([text]) => mapCase(text!, false)),
  upper: stringFunction(1, ([text]) => mapCase(text!, true)),
  // Go's strings.TrimSpace: Unicode White_Space (which has U+0085 and not U+FEFF, unlike String.prototype.trim).
  trimspace: stringFunction(1, ([text]) => text!.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '')),
  trimprefix: stringFunction(2, ([text, prefix]) => (text!.startsWith(prefix!) ? text!.slice(prefix!.length) : text!)),
  trimsuffix: stringFunction(2, ([text, suffix]) => (suffix !== '' && text!.endsWith(suffix!) ? text!.slice(0, text!.length - suffix!.length) : text!)),
  substr,
  flatten,
  keys,
  values,
  contains,
  distinct,
  min: extreme(false),
  max: extreme(true),
  zipmap,
  regex,
  regexall,
  startswith: stringFunction(2, ([text, prefix]) => text!.startsWith(prefix!)),
  endswith: stringFunction(2, ([text, suffix]) => text!.endsWith(suffix!)),
};

/** Terraform's built-in functions by name; the evaluator calls them with evaluated arguments and the call's source. */
export const TERRAFORM_FUNCTIONS: ReadonlyMap<string, TerraformFunction> = new Map(
  Object.entries(IMPLEMENTATIONS).map(([name, impl]) => [name, define(name, impl)]),
);
