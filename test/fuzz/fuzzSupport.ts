// Shared pieces of the fuzz tests: the run budget and seed, real inputs (the shared corpus, examples/, the
// rule fixtures), mutations of them, generated address values, and the checks every property makes
// (offsets and LSP ranges inside the document, edits that apply cleanly).
//
// `npm test` runs every property with the fixed seed and a small budget; `npm run fuzz` runs the same
// properties with FUZZ_RUNS cases in total (102,000 by default there; each property reports its count).
// FUZZ_SEED picks another seed, FUZZ_PATH replays a failure.
//
// Work is bounded by counts, never by time (a time bound fails on a loaded machine): the evaluators' step budgets
// (readers/arm/budget.ts), the parser's token lookups per token, the size of what each step produces. Each run
// prints how long it took; nothing asserts on it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { type EvaluationBudget, meterEvaluations } from '../../server/src/readers/arm/budget.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { findWorkspaceFiles } from '../../server/src/service/workspaceFiles.ts';

/**
 * Cases `npm test` runs in total: the sum of the `defaultRuns` the properties pass to runProperty (a property's
 * share of any budget is its defaultRuns over this sum). Keep it the sum when a property is added or changed.
 */
const DEFAULT_TOTAL = 1_480;
/** Cases in total over all properties: 1,480 in `npm test`, 102,000 in `npm run fuzz`, or FUZZ_RUNS. */
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS) || (process.env.npm_lifecycle_event === 'fuzz' ? 102_000 : DEFAULT_TOTAL);
export const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_10);

/** Runs a property with the fixed seed and its share of the budget; reports the case count as a test diagnostic. */
export async function runProperty<Ts>(
  t: { diagnostic(message: string): void },
  defaultRuns: number,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
): Promise<void> {
  const numRuns = Math.max(1, Math.round((defaultRuns * TOTAL_RUNS) / DEFAULT_TOTAL));
  const started = performance.now();
  // FUZZ_PATH replays one failure: the seed and path that a failure report prints.
  const replay = process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH, endOnFailure: true } : {};
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, { seed: SEED, numRuns, ...replay });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  t.diagnostic(`fuzz cases: ${details.numRuns} in ${seconds} s (seed ${SEED})`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? (details.errorInstance.stack ?? details.errorInstance.message) : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay: FUZZ_SEED=${SEED} FUZZ_PATH="${details.counterexamplePath}"\n\n${cause}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Counted work

/** Runs `work` and returns what it returned with the evaluation budgets it used (every evaluation it started). */
export function metered<R>(work: () => R): { result: R; budgets: readonly EvaluationBudget[] } {
  const stop = meterEvaluations();
  try {
    const result = work();
    return { result, budgets: stop() };
  } catch (error) {
    stop();
    throw error;
  }
}

export async function meteredAsync<R>(work: () => Promise<R>): Promise<{ result: R; budgets: readonly EvaluationBudget[] }> {
  const stop = meterEvaluations();
  try {
    const result = await work();
    return { result, budgets: stop() };
  } catch (error) {
    stop();
    throw error;
  }
}

/** Every Unknown reason in a model (values the readers could not know, with why). */
function unknownReasons(model: NetworkModel): Set<string> {
  const reasons = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [model];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (record.known === false && typeof record.reason === 'string') reasons.add(record.reason);
    if (value instanceof Map) for (const item of value.values()) stack.push(item);
    else for (const key of Object.keys(record)) stack.push(record[key]);
  }
  return reasons;
}

/** How many things a model holds: what lowering produced and what the rules go through. */
export function modelSize(model: NetworkModel): number {
  let size = 0;
  for (const value of Object.values(model)) if (Array.isArray(value)) size += value.length;
  return size;
}

/**
 * Fails unless every evaluation did no more work than its budget allows, counted, never timed: the steps it spent
 * are within its limit, and once the budget was spent its loops ended at their next item, so the requests it
 * refused after the stop are fewer than the characters of the files (what was left of the expressions being
 * evaluated). An evaluation that stopped said so: its reason is an unknown value in the model, when the model is
 * given. The model itself is no larger than the steps spent and the text read (lowering does not multiply).
 */
export function assertWithinBudgets(what: string, budgets: readonly EvaluationBudget[], texts: Iterable<string>, model?: NetworkModel): void {
  let characters = 0;
  for (const text of texts) characters += text.length;
  let steps = 0;
  for (const budget of budgets) {
    const which = `${what}: ${budget.evaluator} evaluation of ${budget.root}`;
    assert.ok(budget.steps <= budget.limit, `${which} spent ${budget.steps} steps, over its budget of ${budget.limit}`);
    assert.ok(budget.refused <= characters, `${which} went on after its budget was spent: ${budget.refused} steps refused (${characters} characters of files)`);
    steps += budget.steps;
  }
  if (!model) return;
  const reasons = budgets.some((b) => b.stopped) ? unknownReasons(model) : new Set<string>();
  for (const budget of budgets) {
    if (budget.stopped) assert.ok(reasons.has(budget.reason), `${what}: the ${budget.evaluator} evaluation of ${budget.root} stopped, and no unknown value in the model says '${budget.reason}'`);
  }
  const size = modelSize(model);
  assert.ok(size <= steps + characters, `${what}: a model of ${size} things from ${steps} evaluation steps and ${characters} characters`);
}

/** Fails unless the parser's token lookups are linear in the tokens: at most PARSE_READS_PER_TOKEN each. */
export const PARSE_READS_PER_TOKEN = 16;
export function assertLinearParse(work: { tokens: number; reads: number }, text: string): void {
  assert.ok(work.tokens <= text.length + 1, `${work.tokens} tokens from ${text.length} characters`);
  assert.ok(work.reads <= PARSE_READS_PER_TOKEN * work.tokens, `the parser looked up ${work.reads} tokens for ${work.tokens} (bound ${PARSE_READS_PER_TOKEN} per token)`);
}

// ---------------------------------------------------------------------------------------------------------
// Real inputs

export const REPO = path.join(import.meta.dirname, '..', '..');
export const CORPUS = path.join(REPO, '..', 'shared', 'corpus');

export interface InputFile {
  readonly path: string;
  readonly uri: string;
  readonly text: string;
}

let inputs: InputFile[] | undefined;

/** Every file a reader understands in the shared corpus (when present), examples/ and the rule fixtures. */
export async function realInputs(): Promise<InputFile[]> {
  if (inputs) return inputs;
  const roots = [CORPUS, path.join(REPO, 'examples'), path.join(REPO, 'test', 'fixtures', 'rules')].filter((root) => existsSync(root));
  const found: InputFile[] = [];
  for (const root of roots) {
    for await (const file of findWorkspaceFiles(root)) {
      found.push({ path: file, uri: pathToFileURL(file).href, text: readFileSync(file, 'utf8') });
    }
  }
  inputs = found;
  return found;
}

/** The other files of the same folder, so cross-file findings, modules and fixes in other files are exercised. */
export function siblingsOf(all: readonly InputFile[], file: InputFile, count: number): InputFile[] {
  const folder = path.dirname(file.path);
  return all.filter((other) => other !== file && path.dirname(other.path) === folder).slice(0, count);
}

// ---------------------------------------------------------------------------------------------------------
// Generated values

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const ipv6 = fc.oneof(
  fc.array(hextet, { minLength: 8, maxLength: 8 }).map((parts) => parts.join(':')),
  fc.tuple(fc.array(hextet, { maxLength: 3 }), fc.array(hextet, { maxLength: 3 })).map(([a, b]) => `${a.join(':')}::${b.join(':')}`),
  fc.constantFrom('::', '::1', 'fd00::', 'fe80::', '2001:db8::', '::ffff:10.0.0.1', 'ff02::1'),
);
/** Address and CIDR text as files write it: valid, with host bits, edge prefixes, invalid, placeholders. */
export const addressText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`) },
  { weight: 2, arbitrary: fc.tuple(ipv4, fc.integer({ min: 8, max: 30 })).map(([ip, p]) => `10.${ip.split('.')[1]}.0.0/${p}`) },
  { weight: 2, arbitrary: ipv4 },
  { weight: 2, arbitrary: fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([ip, p]) => `${ip}/${p}`) },
  { weight: 1, arbitrary: ipv6 },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0.0.0.0/0', '255.255.255.255/32', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '/16', '10.0.0/16', '10.0.0.0.0/8',
      '256.0.0.0/8', '01.2.3.4/8', '10.0.0.0/08', '1e3.0.0.0/8', '10.0.0.0/16/16', '::/0', 'fd00::/200', ':::/64',
      'fe80::1%eth0/64', '10.0.0.0/ 8', '${cidr}', '{{ .Values.cidr }}', '<cidr>', '$(VNET_CIDR)', '"10.0.0.0/16"', '',
      '169.254.0.0/16', '172.17.0.0/16', '100.64.0.0/10', '224.0.0.0/4', '127.0.0.0/8', '10.0.0.0', '10.0.0.10', '10.0.0.1',
      '99999999999999999999.0.0.0/8', '10.0.0.0/99999999999999999999',
    ),
  },
);

/** Integers as files write them: ordinary, boundary, negative, huge, fractional, textual. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map(String),
  fc.constantFrom('0', '-1', '1', '10', '30', '110', '250', '251', '400', '1000', '5000', '30000', '32767', '32768', '65535', '2147483648',
    '1e309', '1.5', '0x10', 'NaN', '.inf', '-.inf', '~', 'null', "'3'", '99999999999999999999999', '1.7976931348623157e308', '9007199254740993',
    '-0', '10%', '33%', '100%', '-5%', '1.5%'),
);

/** Text that breaks things: line ends, BOM, tabs, unicode, YAML and Bicep syntax, anchors and aliases. */
const hostileSnippet = fc.constantFrom(
  '\t', '\r\n', '\r', '\n', '\uFEFF', '\u2028', '\u2029', '\u0085', '\u00A0', '\u200B', '\u202E', 'é', 'e\u0301', '😀', '𝟘', '\uD800', '\uDC00',
  '\u0000', '\u001B', '{', '}', '[', ']', "'", '"', '\\', '${', '}\'', '*a', '&a ', '<<: *a', '---\n', '...\n', '- ', ': ', '? ', '#', '!!binary ',
  '!!str ', '%YAML 1.2\n', '| \n', '>-\n', '@', '::', '/', '.', '..', '\n  ', '\n    - ', 'null', '~', 'cidrSubnet(', 'range(0, 100000)',
  "[for i in range(0, 3): ", "module m './m.bicep' = {\n", 'existing', '@batchSize(1)\n', 'if (true) ', '?', ' ? ', ' ?? ', '.?', '!', '=>',
  '/*', '*/', '//', "'''", 'resource r ', 'param p string = ', 'var v = ', 'output o string = ', 'import ', 'func f() string => ',
  'type t = ', 'metadata m = ', 'kind: List\nitems:\n', 'apiVersion: v1\n', 'kind: NetworkPolicy\n', 'kind: Service\n', 'kind: Ingress\n',
);

export const insertText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileSnippet },
  { weight: 2, arbitrary: addressText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.array(hostileSnippet, { minLength: 2, maxLength: 6 }).map((parts) => parts.join('')) },
);

// ---------------------------------------------------------------------------------------------------------
// Mutations

export type Mutation =
  | { readonly kind: 'flipBit'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'deleteLine'; readonly at: number }
  | { readonly kind: 'duplicateLine'; readonly at: number }
  | { readonly kind: 'swapLines'; readonly at: number; readonly other: number }
  | { readonly kind: 'indent'; readonly at: number; readonly by: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'replaceAddress'; readonly nth: number; readonly text: string }
  | { readonly kind: 'replaceNumber'; readonly nth: number; readonly text: string }
  | { readonly kind: 'splice'; readonly from: number; readonly at: number; readonly start: number; readonly length: number }
  | { readonly kind: 'crlf' }
  | { readonly kind: 'cr' }
  | { readonly kind: 'bom' }
  | { readonly kind: 'tabs' }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number };

const at = fc.nat();
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flipBit' as const), at, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteLine' as const), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicateLine' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapLines' as const), at, other: at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('indent' as const), at, by: fc.integer({ min: -4, max: 4 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: insertText }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replaceAddress' as const), nth: at, text: addressText }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replaceNumber' as const), nth: at, text: numberText }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), from: at, at, start: at, length: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cr' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tabs' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 60 }), times: fc.integer({ min: 2, max: 50 }) }) },
);

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

const ADDRESS_LIKE = /[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*(\/\d+)?/g;
const NUMBER_LIKE = /(?<=:\s*)-?\d+(?:\.\d+)?%?/g;

/** Replaces the nth match (modulo the number of matches) of a pattern. */
function replaceNth(text: string, pattern: RegExp, nth: number, replacement: string): string {
  const matches = [...text.matchAll(pattern)].filter((m) => m[0].length > 0 && /\d/.test(m[0]));
  if (matches.length === 0) return text;
  const match = matches[nth % matches.length]!;
  return text.slice(0, match.index) + replacement + text.slice(match.index! + match[0].length);
}

/** Applies one mutation; positions are taken modulo the text's length so any mutation fits any text. */
export function mutate(text: string, m: Mutation, others: readonly string[] = []): string {
  const pos = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'flipBit': {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      bytes[m.at % bytes.length]! ^= 1 << m.bit;
      // What the server sees of a file that is no longer UTF-8: replacement characters (fs.readFile 'utf8').
      return new TextDecoder('utf-8').decode(bytes);
    }
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'deleteLine':
    case 'duplicateLine':
    case 'swapLines':
    case 'indent': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      if (m.kind === 'deleteLine') lines.splice(i, 1);
      else if (m.kind === 'duplicateLine') lines.splice(i, 0, lines[i]!);
      else if (m.kind === 'swapLines') {
        const j = m.other % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      } else lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'insert': {
      const p = pos(m.at);
      return text.slice(0, p) + m.text + text.slice(p);
    }
    case 'delete': {
      const p = pos(m.at);
      return text.slice(0, p) + text.slice(p + m.length);
    }
    case 'replaceAddress':
      return replaceNth(text, ADDRESS_LIKE, m.nth, m.text);
    case 'replaceNumber':
      return replaceNth(text, NUMBER_LIKE, m.nth, m.text);
    case 'splice': {
      const source = others.length === 0 ? text : others[m.from % others.length]!;
      const start = source.length === 0 ? 0 : m.start % source.length;
      const p = pos(m.at);
      return text.slice(0, p) + source.slice(start, start + m.length) + text.slice(p);
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r?\n/g, '\r');
    case 'bom':
      return `\uFEFF${text}`;
    case 'tabs':
      return text.replace(/^( {2})+/gm, (indent) => '\t'.repeat(indent.length / 2));
    case 'repeat': {
      const p = pos(m.at);
      const chunk = text.slice(p, p + m.length);
      return text.slice(0, p) + chunk.repeat(m.times) + text.slice(p);
    }
  }
}

export function mutateAll(text: string, list: readonly Mutation[], others: readonly string[] = []): string {
  return list.reduce((current, m) => mutate(current, m, others), text);
}

// ---------------------------------------------------------------------------------------------------------
// Checks

export interface LspPosition {
  readonly line: number;
  readonly character: number;
}
export interface LspRange {
  readonly start: LspPosition;
  readonly end: LspPosition;
}

/** Line lengths (without their line break) as an LSP client counts lines: \n, \r\n and \r end a line. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

function before(a: LspPosition, b: LspPosition): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Fails unless the range is made of whole numbers, lies inside the text, starts before it ends and splits no surrogate pair. */
export function assertRangeInside(range: LspRange, text: string, what: string, lengths = lineLengths(text)): void {
  for (const [name, p] of [['start', range.start], ['end', range.end]] as const) {
    assert.ok(Number.isSafeInteger(p.line) && Number.isSafeInteger(p.character), `${what}: ${name} is not whole numbers: ${JSON.stringify(range)}`);
    assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: ${name} line ${p.line} outside 0..${lengths.length - 1}`);
    assert.ok(p.character >= 0 && p.character <= lengths[p.line]!, `${what}: ${name} ${p.line}:${p.character} past the line's end (${lengths[p.line]})`);
  }
  assert.ok(!before(range.end, range.start), `${what}: range ends before it starts: ${JSON.stringify(range)}`);
}

/** Fails unless a model offset range lies inside the text. */
export function assertOffsetsInside(source: { start: number; end: number }, text: string, what: string): void {
  assert.ok(Number.isSafeInteger(source.start) && Number.isSafeInteger(source.end), `${what}: offsets are not whole numbers: ${JSON.stringify(source)}`);
  assert.ok(source.start >= 0 && source.start <= source.end && source.end <= text.length, `${what}: offsets ${source.start}..${source.end} outside 0..${text.length}`);
}

/** Every object reachable from `root` that looks like a source: `{ uri, start, end }` with numeric offsets. */
export function sourcesIn(root: unknown): { uri?: string; start: number; end: number }[] {
  const found: { uri?: string; start: number; end: number }[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) stack.push(k, v);
      continue;
    }
    if (Array.isArray(value) || value instanceof Set) {
      for (const item of value) stack.push(item);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') {
      found.push(record as { uri?: string; start: number; end: number });
    }
    for (const key of Object.keys(record)) stack.push(record[key]);
  }
  return found;
}

/** Every `{ uri, range }` in a value (the network map's sources). */
export function rangesIn(root: unknown): { uri: string; range: LspRange }[] {
  const found: { uri: string; range: LspRange }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.uri === 'string' && typeof record.range === 'object' && record.range !== null) found.push(record as { uri: string; range: LspRange });
    for (const key of Object.keys(record)) stack.push(record[key]);
  }
  return found;
}

/** LSP position to offset, as an editor applies an edit (the position must be valid: checked before). */
function offsetOf(text: string, p: LspPosition): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const next = /\r\n|\r|\n/g;
    next.lastIndex = offset;
    const match = next.exec(text)!;
    offset = match.index + match[0].length;
  }
  return offset + p.character;
}

/**
 * Applies text edits as an editor does: every range valid and inside the text, no two overlapping
 * (two inserts at one point are allowed, as LSP allows). Returns the new text.
 */
export function applyEdits(text: string, edits: readonly { range: LspRange; newText: string }[], what: string): string {
  const lengths = lineLengths(text);
  const located = edits.map((edit, i) => {
    assertRangeInside(edit.range, text, `${what} edit ${i}`, lengths);
    assert.equal(typeof edit.newText, 'string', `${what} edit ${i}: newText`);
    return { start: offsetOf(text, edit.range.start), end: offsetOf(text, edit.range.end), newText: edit.newText };
  });
  located.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < located.length; i++) {
    const [a, b] = [located[i - 1]!, located[i]!];
    assert.ok(b.start >= a.end && !(a.start < a.end && b.start < a.end), `${what}: edits overlap: ${JSON.stringify([a, b])}`);
  }
  let result = text;
  for (const edit of [...located].reverse()) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
