// Bicep's built-in functions, as far as they can be computed before deployment.
// Anything that depends on the deployment (resourceGroup(), uniqueString(), reference()) is unknown.
import {
  addressBits,
  type Cidr,
  firstAddress,
  formatCidr,
  formatIp,
  lastAddress,
  parseCidr as parseCidrText,
  totalAddresses,
} from '../../cidr/cidr';
import type { Source } from '../../model/source';
import { type ArmValue, property, unknownValue } from './values';

/** What a built-in needs besides its arguments: the call's source, and a way to call lambdas. */
export interface CallContext {
  readonly source: Source;
  /** Calls a lambda value with arguments. */
  callLambda(lambda: ArmValue, args: ArmValue[]): ArmValue;
  /** Reads a file relative to the current Bicep file (loadTextContent, loadJsonContent). */
  loadText(relativePath: string): string | undefined;
}

type Builtin = (args: ArmValue[], ctx: CallContext) => ArmValue;

const str = (value: string, source: Source): ArmValue => ({ kind: 'string', value, source });
const int = (value: number, source: Source): ArmValue => ({ kind: 'int', value, source });
const bool = (value: boolean, source: Source): ArmValue => ({ kind: 'bool', value, source });
const arr = (items: readonly ArmValue[], source: Source): ArmValue => ({ kind: 'array', items, source });

/** The first unknown among the arguments, so a call on an unknown stays unknown with its reason. */
function firstUnknown(args: ArmValue[]): ArmValue | undefined {
  return args.find((arg) => arg.kind === 'unknown' || arg.kind === 'resource' || arg.kind === 'lambda');
}

/** Wraps a builtin so that any unknown argument makes the result unknown. */
function strict(fn: Builtin): Builtin {
  return (args, ctx) => firstUnknown(args) ?? fn(args, ctx);
}

/** Converts a value to the string ARM would produce in interpolation; undefined when not computable. */
export function stringify(value: ArmValue): string | undefined {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'int':
      return String(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'null':
      return '';
    case 'array':
    case 'object': {
      const json = toJson(value);
      return json === undefined ? undefined : JSON.stringify(json);
    }
    default:
      return undefined;
  }
}

/** The plain JSON of a fully known value. */
export function toJson(value: ArmValue): unknown {
  switch (value.kind) {
    case 'string':
    case 'int':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'array': {
      const items = value.items.map(toJson);
      return items.includes(undefined) ? undefined : items;
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of value.properties) {
        const json = toJson(item);
        if (json === undefined) return undefined;
        result[key] = json;
      }
      return result;
    }
    default:
      return undefined;
  }
}

/** A value from parsed JSON, all parts pointing at one source. */
export function fromJson(json: unknown, source: Source): ArmValue {
  if (json === null) return { kind: 'null', source };
  if (typeof json === 'string') return str(json, source);
  if (typeof json === 'number') return Number.isInteger(json) ? int(json, source) : unknownValue('not an integer', source);
  if (typeof json === 'boolean') return bool(json, source);
  if (Array.isArray(json)) return arr(json.map((item) => fromJson(item, source)), source);
  if (typeof json === 'object') {
    return {
      kind: 'object',
      properties: new Map(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, fromJson(v, source)])),
      source,
    };
  }
  return unknownValue('unsupported JSON value', source);
}

/** Deep equality of two fully known values; undefined when either has unknown parts. */
export function equalValues(a: ArmValue, b: ArmValue): boolean | undefined {
  const ja = toJson(a);
  const jb = toJson(b);
  if (ja === undefined || jb === undefined) return undefined;
  return JSON.stringify(ja) === JSON.stringify(jb);
}

function cidrArgument(value: ArmValue, ctx: CallContext): Cidr | ArmValue {
  if (value.kind !== 'string') return unknownValue('CIDR argument is not a string', ctx.source);
  const parsed = parseCidrText(value.value);
  return parsed.ok ? parsed.cidr : unknownValue(parsed.error, value.source);
}

function isCidr(value: Cidr | ArmValue): value is Cidr {
  return 'prefix' in value;
}

/** The `sys` functions on CIDR blocks, with Bicep's semantics (bicep.md section 8). */
const CIDR_FUNCTIONS: Record<string, Builtin> = {
  parseCidr: strict(([network], ctx) => {
    const block = network && cidrArgument(network, ctx);
    if (!block || !isCidr(block)) return block ?? unknownValue('parseCidr needs a CIDR', ctx.source);
    const bits = addressBits(block.family);
    const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - block.prefix)) - 1n);
    const first = firstAddress(block);
    const last = lastAddress(block);
    const properties = new Map<string, ArmValue>([
      ['network', str(formatIp(first), ctx.source)],
      ['netmask', str(formatIp({ family: block.family, value: mask }), ctx.source)],
      ['cidr', int(block.prefix, ctx.source)],
    ]);
    if (block.family === 4) {
      properties.set('broadcast', str(formatIp(last), ctx.source));
      const small = block.prefix >= 31;
      properties.set('firstUsable', str(formatIp(small ? first : { ...first, value: first.value + 1n }), ctx.source));
      properties.set('lastUsable', str(formatIp(small ? last : { ...last, value: last.value - 1n }), ctx.source));
    } else {
      properties.set('firstUsable', str(formatIp(first), ctx.source));
      properties.set('lastUsable', str(formatIp(last), ctx.source));
    }
    return { kind: 'object', properties, source: ctx.source };
  }),
  cidrSubnet: strict(([network, newPrefix, index], ctx) => {
    const block = network && cidrArgument(network, ctx);
    if (!block || !isCidr(block)) return block ?? unknownValue('cidrSubnet needs a CIDR', ctx.source);
    if (newPrefix?.kind !== 'int' || index?.kind !== 'int') return unknownValue('cidrSubnet needs integer arguments', ctx.source);
    const bits = addressBits(block.family);
    if (newPrefix.value < block.prefix || newPrefix.value > bits) {
      return unknownValue(`cidrSubnet: new prefix /${newPrefix.value} must be between /${block.prefix} and /${bits}`, ctx.source);
    }
    const size = 1n << BigInt(bits - newPrefix.value);
    const count = totalAddresses(block) / size;
    if (index.value < 0 || BigInt(index.value) >= count) {
      return unknownValue(`cidrSubnet: index ${index.value} is outside 0..${count - 1n}`, ctx.source);
    }
    const subnet: Cidr = { family: block.family, network: block.network + BigInt(index.value) * size, prefix: newPrefix.value };
    return str(formatCidr(subnet), ctx.source);
  }),
  cidrHost: strict(([network, index], ctx) => {
    const block = network && cidrArgument(network, ctx);
    if (!block || !isCidr(block)) return block ?? unknownValue('cidrHost needs a CIDR', ctx.source);
    if (index?.kind !== 'int') return unknownValue('cidrHost needs an integer index', ctx.source);
    const value = block.network + 1n + BigInt(index.value);
    if (index.value < 0 || value > lastAddress(block).value) {
      return unknownValue(`cidrHost: index ${index.value} is outside ${formatCidr(block)}`, ctx.source);
    }
    return str(formatIp({ family: block.family, value }), ctx.source);
  }),
};

function unionValues(args: ArmValue[], source: Source): ArmValue {
  if (args.every((a) => a.kind === 'array')) {
    const seen = new Set<string>();
    const items: ArmValue[] = [];
    for (const item of args.flatMap((a) => (a.kind === 'array' ? a.items : []))) {
      // Known items are deduplicated as union() does; items with unknown parts are kept as they are.
      const json = toJson(item);
      const key = json === undefined ? undefined : JSON.stringify(json);
      if (key !== undefined && seen.has(key)) continue;
      if (key !== undefined) seen.add(key);
      items.push(item);
    }
    return arr(items, source);
  }
  if (args.every((a) => a.kind === 'object')) return args.reduce<ArmValue>((merged, next) => mergeObjects(merged, next, source), { kind: 'object', properties: new Map(), source });
  return firstUnknown(args) ?? unknownValue('union of mixed kinds', source);
}

/** union() of objects merges nested objects recursively; other values are replaced by the later one. */
function mergeObjects(base: ArmValue, next: ArmValue, source: Source): ArmValue {
  if (base.kind !== 'object' || next.kind !== 'object') return next;
  const properties = new Map(base.properties);
  for (const [key, value] of next.properties) {
    const existing = properties.get(key);
    properties.set(key, existing?.kind === 'object' && value.kind === 'object' ? mergeObjects(existing, value, source) : value);
  }
  return { kind: 'object', properties, source };
}

const BUILTINS: Record<string, Builtin> = {
  ...CIDR_FUNCTIONS,
  // any() only relaxes type checking.
  any: ([value], ctx) => value ?? unknownValue('any', ctx.source),
  concat: (args, ctx) => {
    if (args.every((a) => a.kind === 'array')) return arr(args.flatMap((a) => (a.kind === 'array' ? a.items : [])), ctx.source);
    const parts = args.map(stringify);
    return parts.includes(undefined) ? (firstUnknown(args) ?? unknownValue('concat', ctx.source)) : str(parts.join(''), ctx.source);
  },
  format: strict(([template, ...rest], ctx) => {
    if (template?.kind !== 'string') return unknownValue('format needs a string', ctx.source);
    let missing = false;
    const text = template.value.replace(/\{(\d+)(?::[^}]*)?\}/g, (_m, index: string) => {
      const arg = rest[Number(index)];
      const text = arg && stringify(arg);
      if (text === undefined) missing = true;
      return text ?? '';
    });
    return missing ? unknownValue('format argument', ctx.source) : str(text, ctx.source);
  }),
  split: strict(([text, separator], ctx) => {
    if (text?.kind !== 'string') return unknownValue('split needs a string', ctx.source);
    const separators = separator?.kind === 'string' ? [separator.value] : separator?.kind === 'array' ? separator.items.map(stringify) : [];
    if (separators.length === 0 || separators.includes(undefined)) return unknownValue('split separator', ctx.source);
    const pattern = new RegExp((separators as string[]).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    return arr(text.value.split(pattern).map((part) => str(part, text.source)), ctx.source);
  }),
  join: strict(([items, separator], ctx) => {
    const parts = items?.kind === 'array' ? items.items.map(stringify) : [undefined];
    if (separator?.kind !== 'string' || parts.includes(undefined)) return unknownValue('join', ctx.source);
    return str(parts.join(separator.value), ctx.source);
  }),
  first: ([value], ctx) =>
    value?.kind === 'array'
      ? (value.items[0] ?? unknownValue('first of an empty array', ctx.source))
      : value?.kind === 'string'
        ? str(value.value.slice(0, 1), ctx.source)
        : (value ?? unknownValue('first', ctx.source)),
  last: ([value], ctx) =>
    value?.kind === 'array'
      ? (value.items[value.items.length - 1] ?? unknownValue('last of an empty array', ctx.source))
      : value?.kind === 'string'
        ? str(value.value.slice(-1), ctx.source)
        : (value ?? unknownValue('last', ctx.source)),
  length: ([value], ctx) => {
    if (value?.kind === 'array') return int(value.items.length, ctx.source);
    if (value?.kind === 'string') return int(value.value.length, ctx.source);
    if (value?.kind === 'object') return int(value.properties.size, ctx.source);
    return value ?? unknownValue('length', ctx.source);
  },
  empty: ([value], ctx) => {
    if (value?.kind === 'null') return bool(true, ctx.source);
    if (value?.kind === 'array') return bool(value.items.length === 0, ctx.source);
    if (value?.kind === 'string') return bool(value.value.length === 0, ctx.source);
    if (value?.kind === 'object') return bool(value.properties.size === 0, ctx.source);
    // A resource id (`vnet.id`, `resourceId(...)`) and a resource are never empty.
    if (value?.kind === 'resourceId' || value?.kind === 'resource') return bool(false, ctx.source);
    return value ?? unknownValue('empty', ctx.source);
  },
  contains: strict(([container, item], ctx) => {
    if (!container || !item) return unknownValue('contains', ctx.source);
    if (container.kind === 'string' && item.kind === 'string') return bool(container.value.includes(item.value), ctx.source);
    // Object keys compare case-insensitively (Bicep's contains()).
    if (container.kind === 'object' && item.kind === 'string') return bool(property(container, item.value) !== undefined, ctx.source);
    if (container.kind === 'array') {
      const matches = container.items.map((candidate) => equalValues(candidate, item));
      if (matches.includes(true)) return bool(true, ctx.source);
      return matches.includes(undefined) ? unknownValue('contains', ctx.source) : bool(false, ctx.source);
    }
    return unknownValue('contains', ctx.source);
  }),
  union: (args, ctx) => unionValues(args, ctx.source),
  array: ([value], ctx) => (value?.kind === 'array' ? value : value ? arr([value], ctx.source) : unknownValue('array', ctx.source)),
  toLower: strict(([value], ctx) => (value?.kind === 'string' ? str(value.value.toLowerCase(), ctx.source) : unknownValue('toLower', ctx.source))),
  toUpper: strict(([value], ctx) => (value?.kind === 'string' ? str(value.value.toUpperCase(), ctx.source) : unknownValue('toUpper', ctx.source))),
  replace: strict(([text, from, to], ctx) =>
    text?.kind === 'string' && from?.kind === 'string' && to?.kind === 'string'
      ? str(text.value.split(from.value).join(to.value), ctx.source)
      : unknownValue('replace', ctx.source),
  ),
  string: ([value], ctx) => {
    const text = value && stringify(value);
    return text === undefined ? (value ?? unknownValue('string', ctx.source)) : str(text, ctx.source);
  },
  int: strict(([value], ctx) => {
    if (value?.kind === 'int') return value;
    if (value?.kind === 'string' && /^-?\d+$/.test(value.value.trim())) return int(Number(value.value), ctx.source);
    return unknownValue('int', ctx.source);
  }),
  bool: strict(([value], ctx) => {
    if (value?.kind === 'bool') return value;
    if (value?.kind === 'string' && /^(true|false)$/i.test(value.value)) return bool(value.value.toLowerCase() === 'true', ctx.source);
    return unknownValue('bool', ctx.source);
  }),
  json: strict(([value], ctx) => {
    if (value?.kind !== 'string') return unknownValue('json needs a string', ctx.source);
    try {
      return fromJson(JSON.parse(value.value), ctx.source);
    } catch {
      return unknownValue('json: not valid JSON', ctx.source);
    }
  }),
  take: strict(([value, count], ctx) => {
    if (count?.kind !== 'int') return unknownValue('take', ctx.source);
    if (value?.kind === 'array') return arr(value.items.slice(0, Math.max(0, count.value)), ctx.source);
    if (value?.kind === 'string') return str(value.value.slice(0, Math.max(0, count.value)), ctx.source);
    return unknownValue('take', ctx.source);
  }),
  skip: strict(([value, count], ctx) => {
    if (count?.kind !== 'int') return unknownValue('skip', ctx.source);
    if (value?.kind === 'array') return arr(value.items.slice(Math.max(0, count.value)), ctx.source);
    if (value?.kind === 'string') return str(value.value.slice(Math.max(0, count.value)), ctx.source);
    return unknownValue('skip', ctx.source);
  }),
  range: strict(([start, count], ctx) => {
    if (start?.kind !== 'int' || count?.kind !== 'int' || count.value < 0 || count.value > 10000) return unknownValue('range', ctx.source);
    return arr(Array.from({ length: count.value }, (_, i) => int(start.value + i, ctx.source)), ctx.source);
  }),
  substring: strict(([text, start, length], ctx) => {
    if (text?.kind !== 'string' || start?.kind !== 'int') return unknownValue('substring', ctx.source);
    const end = length?.kind === 'int' ? start.value + length.value : undefined;
    return str(text.value.substring(start.value, end), ctx.source);
  }),
  startsWith: strict(([a, b], ctx) =>
    a?.kind === 'string' && b?.kind === 'string' ? bool(a.value.toLowerCase().startsWith(b.value.toLowerCase()), ctx.source) : unknownValue('startsWith', ctx.source),
  ),
  endsWith: strict(([a, b], ctx) =>
    a?.kind === 'string' && b?.kind === 'string' ? bool(a.value.toLowerCase().endsWith(b.value.toLowerCase()), ctx.source) : unknownValue('endsWith', ctx.source),
  ),
  min: strict((args, ctx) => {
    const numbers = (args.length === 1 && args[0]?.kind === 'array' ? args[0].items : args).map((a) => (a.kind === 'int' ? a.value : NaN));
    return numbers.some(Number.isNaN) || numbers.length === 0 ? unknownValue('min', ctx.source) : int(Math.min(...numbers), ctx.source);
  }),
  max: strict((args, ctx) => {
    const numbers = (args.length === 1 && args[0]?.kind === 'array' ? args[0].items : args).map((a) => (a.kind === 'int' ? a.value : NaN));
    return numbers.some(Number.isNaN) || numbers.length === 0 ? unknownValue('max', ctx.source) : int(Math.max(...numbers), ctx.source);
  }),
  coalesce: (args, ctx) => {
    for (const arg of args) {
      if (arg.kind === 'unknown') return arg;
      if (arg.kind !== 'null') return arg;
    }
    return { kind: 'null', source: ctx.source };
  },
  // tryGet(value, key, ...): what the keys (property names, array indexes) reach, or null where one is missing; what
  // Bicep's safe dereference (`a.?b`) compiles to.
  tryGet: ([value, ...keys], ctx) => {
    let current: ArmValue | undefined = value;
    for (const key of keys) {
      if (current === undefined || current.kind === 'null') return { kind: 'null', source: ctx.source };
      if (current.kind === 'unknown') return current;
      if (key.kind === 'unknown') return key;
      if (current.kind === 'object' && key.kind === 'string') current = property(current, key.value);
      else if (current.kind === 'array' && key.kind === 'int') current = current.items[key.value];
      else return unknownValue('tryGet', ctx.source);
    }
    return current ?? { kind: 'null', source: ctx.source };
  },
  items: strict(([value], ctx) => {
    if (value?.kind !== 'object') return unknownValue('items', ctx.source);
    const entries = [...value.properties].sort(([a], [b]) => a.localeCompare(b));
    return arr(
      entries.map(([key, item]) => ({
        kind: 'object' as const,
        properties: new Map<string, ArmValue>([
          ['key', str(key, ctx.source)],
          ['value', item],
        ]),
        source: ctx.source,
      })),
      ctx.source,
    );
  }),
  map: ([items, lambda], ctx) =>
    items?.kind === 'array' && lambda ? arr(items.items.map((item, i) => ctx.callLambda(lambda, [item, int(i, ctx.source)])), ctx.source) : (items ?? unknownValue('map', ctx.source)),
  filter: ([items, lambda], ctx) => {
    if (items?.kind !== 'array' || !lambda) return items ?? unknownValue('filter', ctx.source);
    const kept: ArmValue[] = [];
    for (const [i, item] of items.items.entries()) {
      const keep = ctx.callLambda(lambda, [item, int(i, ctx.source)]);
      if (keep.kind !== 'bool') return unknownValue('filter condition', ctx.source);
      if (keep.value) kept.push(item);
    }
    return arr(kept, ctx.source);
  },
  loadTextContent: strict(([path], ctx) => {
    const text = path?.kind === 'string' ? ctx.loadText(path.value) : undefined;
    return text === undefined ? unknownValue('file not found', ctx.source) : str(text, ctx.source);
  }),
  loadJsonContent: strict(([path], ctx) => {
    const text = path?.kind === 'string' ? ctx.loadText(path.value) : undefined;
    if (text === undefined) return unknownValue('file not found', ctx.source);
    try {
      return fromJson(JSON.parse(text.replace(/^\uFEFF/, '')), ctx.source);
    } catch {
      return unknownValue('loadJsonContent: not valid JSON', ctx.source);
    }
  }),
  // .bicepparam: the variable's value is read where the deployment runs; its default is what the file says.
  readEnvironmentVariable: ([name, fallback], ctx) =>
    fallback && fallback.kind !== 'unknown'
      ? fallback
      : unknownValue(`environment variable ${name?.kind === 'string' ? name.value : ''} is read when the deployment runs`, ctx.source),
  resourceId: (args, ctx) => resourceIdFromArgs(args, ctx.source),
  subscriptionResourceId: (args, ctx) => resourceIdFromArgs(args, ctx.source),
  tenantResourceId: (args, ctx) => resourceIdFromArgs(args, ctx.source),
};

/** `resourceId([sub], [rg], 'Ns/type/child', name, childName)`: the type segments paired with the names. */
function resourceIdFromArgs(args: ArmValue[], source: Source): ArmValue {
  const typeIndex = args.findIndex((a) => a.kind === 'string' && /^[A-Za-z]+\.[A-Za-z.]+\//.test(a.value));
  const typeArg = args[typeIndex];
  if (typeArg?.kind !== 'string') return unknownValue('resourceId type', source);
  const types = typeArg.value.split('/').slice(1);
  const names = args.slice(typeIndex + 1);
  return {
    kind: 'resourceId',
    path: types.map((type, i) => ({ type, name: names[i]?.kind === 'string' ? (names[i] as { value: string }).value : undefined })),
    source,
  };
}

/** Calls a built-in by name; unknown for functions that only the deployment can compute. */
export function callBuiltin(name: string, args: ArmValue[], ctx: CallContext): ArmValue {
  const builtin = BUILTINS[name];
  if (!builtin) return unknownValue(`${name}() is computed at deployment`, ctx.source);
  try {
    return builtin(args, ctx);
  } catch (error) {
    return unknownValue(`${name}(): ${error instanceof Error ? error.message : String(error)}`, ctx.source);
  }
}
