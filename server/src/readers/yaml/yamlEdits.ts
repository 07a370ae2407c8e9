// Text edits on a YAML (or JSON) document that keep its style: indentation, line endings, block or flow maps.
// Builders throw CannotEdit when a shape is not one they can rewrite safely; `editsOrUndefined` turns that into
// "no fix" while the finding itself stays.
import { isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextEdit } from '../../model/network';
import type { ReadContext } from './yamlTree';

export class CannotEdit extends Error {}

/** Runs an edit builder; undefined when some part could not be rewritten safely. */
export function editsOrUndefined(build: () => TextEdit[]): TextEdit[] | undefined {
  try {
    return build();
  } catch (error) {
    if (error instanceof CannotEdit) return undefined;
    throw error;
  }
}

export function rangeOf(node: unknown): [number, number] {
  const range = (node as Node | undefined)?.range;
  if (!range) throw new CannotEdit();
  return [range[0], range[1]];
}

export function pairNamed(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key) as Pair | undefined;
}

/** How far an offset is from the start of its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The file's line break: CRLF when it uses one. */
export const lineBreak = (ctx: ReadContext): string => (ctx.text.includes('\r\n') ? '\r\n' : '\n');

/** Keys and string values as the file's language writes them: quoted in JSON, plain keys in YAML. */
export function writer(ctx: ReadContext) {
  const json = /\.json$/i.test(ctx.uri);
  return { key: (name: string) => (json ? `"${name}"` : name), string: (value: string) => (json ? `"${value}"` : value) };
}

/** Inserts `key: value` before the first pair of a map (block or flow), at that pair's indentation. */
export function insertFirstPair(ctx: ReadContext, map: YAMLMap, entry: string): TextEdit {
  const first = map.items[0];
  if (!first) throw new CannotEdit();
  const [start] = rangeOf(first.key);
  const newText = map.flow ? `${entry}, ` : `${entry}${lineBreak(ctx)}${' '.repeat(columnOf(ctx.text, start))}`;
  return { source: { uri: ctx.uri, start, end: start }, newText };
}

/** Removes a pair of a block map with its line and trailing comment; only for a pair alone on its line. */
export function removeBlockPair(ctx: ReadContext, map: YAMLMap, pair: Pair): TextEdit {
  const [start] = rangeOf(pair.key);
  const lineStart = start - columnOf(ctx.text, start);
  const valueEnd = rangeOf(pair.value)[1];
  const next = ctx.text.indexOf('\n', valueEnd);
  const lineEnd = next === -1 ? ctx.text.length : ctx.text[next - 1] === '\r' ? next - 1 : next;
  const alone = ctx.text.slice(lineStart, start).trim() === '' && /^[ \t]*(#.*)?$/.test(ctx.text.slice(valueEnd, lineEnd));
  if (map.flow || lineStart === 0 || !alone) throw new CannotEdit();
  const breakLength = ctx.text[lineStart - 2] === '\r' ? 2 : 1;
  return { source: { uri: ctx.uri, start: lineStart - breakLength, end: lineEnd }, newText: '' };
}
