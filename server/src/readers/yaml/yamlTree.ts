// Typed, range-keeping access to a YAML document's AST, and conversion of scalars to model values.
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import { type Cidr, parseCidr, parseIp, type IpAddress } from '../../cidr/cidr';
import type { AddressRole, FileFacts } from '../../model/network';
import { known, notSet, type Source, unknown, type Value } from '../../model/source';

/** What the readers of one file share: the file, its facts, the document being read. */
export interface ReadContext {
  readonly uri: string;
  readonly facts: FileFacts;
  readonly doc: Document;
  /** The text the document's offsets point into. */
  readonly text: string;
}

// Templating that leaves a value to be filled in later: envsubst, Helm/Go templates, shell, angle placeholders.
const PLACEHOLDER = /\$\{|\{\{|\$\(|<[^<>]*>/;

/** A whole value that is one envsubst variable with a plain default: `${WORKER_MACHINE_COUNT:=2}`, `${X:-a}`. */
const ENVSUBST_DEFAULT = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?[=-]([^${}<>"'()]*)\}$/;

/** True when the text is a template placeholder rather than a real value. */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

export function sourceOf(ctx: ReadContext, node: Node): Source {
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  return { uri: ctx.uri, start, end: valueEnd };
}

/** A workspace-unique key for an entity whose name is a placeholder: its file and offset. */
export function anonymousKey(ctx: ReadContext, node: Node): string {
  return `${ctx.uri}#${node.range?.[0] ?? 0}`;
}

/** Follows aliases (once: `yaml` already refuses alias cycles) so `*anchor` reads like the value it names. */
function resolve(ctx: ReadContext, node: unknown): Node | undefined {
  if (isAlias(node)) {
    try {
      return (node.resolve(ctx.doc) as Node | undefined) ?? undefined;
    } catch {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

/** The node at a path of map keys (strings) and sequence indexes (numbers), or undefined. */
export function nodeAt(ctx: ReadContext, root: unknown, ...path: (string | number)[]): Node | undefined {
  let node = resolve(ctx, root);
  for (const step of path) {
    if (node === undefined) return undefined;
    if (typeof step === 'number') {
      node = isSeq(node) ? resolve(ctx, node.items[step]) : undefined;
    } else {
      node = isMap(node) ? resolve(ctx, (node as YAMLMap).get(step, true)) : undefined;
    }
  }
  return node;
}

/** The source of a whole `key: value` entry of a map (for edits that remove or move it), or undefined. */
export function pairAt(ctx: ReadContext, root: unknown, ...path: string[]): Source | undefined {
  const parent = nodeAt(ctx, root, ...path.slice(0, -1));
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === path[path.length - 1]);
  const keyRange = (pair?.key as Node | undefined)?.range;
  const valueRange = (pair?.value as Node | undefined)?.range;
  if (!keyRange) return undefined;
  return { uri: ctx.uri, start: keyRange[0], end: valueRange ? valueRange[1] : keyRange[1] };
}

/** The items of a sequence at the path; [] when absent or not a sequence. */
export function itemsAt(ctx: ReadContext, root: unknown, ...path: (string | number)[]): Node[] {
  const node = nodeAt(ctx, root, ...path);
  if (!isSeq(node)) return [];
  return node.items.map((item) => resolve(ctx, item)).filter((item): item is Node => item !== undefined);
}

/** The key/value pairs of a map at the path, with string keys; [] when absent. */
export function entriesAt(ctx: ReadContext, root: unknown, ...path: (string | number)[]): [string, Node][] {
  const node = nodeAt(ctx, root, ...path);
  if (!isMap(node)) return [];
  const entries: [string, Node][] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? sharedText(String(pair.key.value)) : undefined;
    const value = resolve(ctx, pair.value);
    if (key !== undefined && value !== undefined) entries.push([key, value]);
  }
  return entries;
}

/** The plain text of a scalar node, or undefined for anything else (maps, sequences, null). */
export function scalarText(node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return sharedText(String(node.value));
}

/**
 * Short texts read from scalars, one copy each: the same names, kinds and values recur in every object of a
 * workspace, and the model keeps them. Bounded: the table starts over when full. Entries are copies, so that
 * none keeps a whole file's text alive (a substring of 13 characters or more points into its file).
 */
const SHARED_TEXTS_LIMIT = 20_000;
let sharedTexts = new Map<string, string>();

export function sharedText(text: string): string {
  if (text.length > 64) return text;
  const seen = sharedTexts.get(text);
  if (seen !== undefined) return seen;
  if (sharedTexts.size >= SHARED_TEXTS_LIMIT) sharedTexts = new Map();
  const copy = text.length >= 13 ? ` ${text}`.slice(1) : text;
  sharedTexts.set(copy, copy);
  return copy;
}

/** A string field: known when it is a scalar that is not a template placeholder. */
export function stringValue(ctx: ReadContext, node: Node | undefined): Value<string> {
  if (node === undefined) return notSet();
  const text = scalarText(node);
  const source = sourceOf(ctx, node);
  if (text === undefined) return unknown('not a plain value', source);
  if (isPlaceholder(text)) {
    // envsubst's `${VAR:=2}` (clusterctl templates): the default, when it is a plain value.
    const fallback = ENVSUBST_DEFAULT.exec(text)?.[1];
    return fallback !== undefined && fallback !== '' ? known(fallback, source) : unknown(`template placeholder ${text}`, source);
  }
  return known(text, source);
}

/** A true/false field. */
export function booleanValue(ctx: ReadContext, node: Node | undefined): Value<boolean> {
  const text = stringValue(ctx, node);
  if (!text.known) return text;
  if (text.value === 'true' || text.value === 'false') return known(text.value === 'true', text.source);
  return unknown(`'${text.value}' is not true or false`, text.source);
}

/** A whole-number field. */
export function numberValue(ctx: ReadContext, node: Node | undefined): Value<number> {
  const text = stringValue(ctx, node);
  if (!text.known) return text;
  const number = Number(text.value);
  if (!Number.isInteger(number)) return unknown(`'${text.value}' is not a whole number`, text.source);
  return known(number, text.source);
}

/** The number of items of a sequence field: not set when absent, unknown when it is not a sequence. */
export function lengthValue(ctx: ReadContext, node: Node | undefined): Value<number> {
  if (node === undefined) return notSet();
  const source = sourceOf(ctx, node);
  return isSeq(node) ? known(node.items.length, source) : unknown('not a list', source);
}

/** A name: the known text or undefined. */
export function nameAt(ctx: ReadContext, root: unknown, ...path: (string | number)[]): string | undefined {
  const value = stringValue(ctx, nodeAt(ctx, root, ...path));
  return value.known ? value.value : undefined;
}

/** A CIDR field. Every written literal is recorded for the address rules; invalid ones become unknown. */
export function cidrValue(ctx: ReadContext, node: Node | undefined, role: AddressRole): Value<Cidr> {
  const text = stringValue(ctx, node);
  if (!text.known) return text;
  const parse = parseCidr(text.value);
  ctx.facts.addressLiterals.push({ role, parse, source: text.source });
  return parse.ok ? known(parse.cidr, text.source) : unknown(parse.error, text.source);
}

/** An IP address field, recorded like a CIDR field. */
export function ipValue(ctx: ReadContext, node: Node | undefined, role: AddressRole): Value<IpAddress> {
  const text = stringValue(ctx, node);
  if (!text.known) return text;
  const parse = parseIp(text.value);
  ctx.facts.addressLiterals.push({ role, parse, source: text.source });
  return parse.ok ? known(parse.ip, text.source) : unknown(parse.error, text.source);
}

/** A list of CIDRs: a sequence, or a single scalar (some APIs accept both). */
export function cidrListValue(ctx: ReadContext, node: Node | undefined, role: AddressRole): Value<Cidr>[] {
  if (node === undefined) return [];
  if (isSeq(node)) return node.items.map((item) => cidrValue(ctx, resolve(ctx, item), role));
  if (isScalar(node) && node.value !== null) return [cidrValue(ctx, node, role)];
  return [unknown('not a list of CIDRs', sourceOf(ctx, node))];
}
