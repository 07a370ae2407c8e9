// YAML nodes as Azure resource values (readers/arm): what lets ASO and CAPZ objects lower through the same mapping as
// Bicep. Scalars keep their YAML type; template placeholders are unknown (an envsubst default is taken, as stringValue does).
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { type ArmValue, unknownValue } from '../arm/values';
import { type ReadContext, sharedText, sourceOf, stringValue } from './yamlTree';

/** Nesting deeper than this is not followed (a hostile file); what lies below is unknown. */
const MAX_DEPTH = 128;
/** Nodes read into one value at most: aliases can make a small file an exponential tree (an alias bomb). */
const MAX_NODES = 20_000;

/** The resource value of a YAML node; undefined for an absent node. `maxNodes`: JSON has no aliases, so a whole template may be read. */
export function armValueOf(ctx: ReadContext, node: unknown, maxNodes = MAX_NODES): ArmValue | undefined {
  return valueOf(ctx, node, 0, { left: maxNodes });
}

function valueOf(ctx: ReadContext, node: unknown, depth: number, budget: { left: number }): ArmValue | undefined {
  const resolved = resolveAlias(ctx, node);
  if (resolved === undefined) return undefined;
  const source = sourceOf(ctx, resolved);
  if (depth > MAX_DEPTH) return unknownValue('nested too deeply to read', source);
  if (--budget.left < 0) return unknownValue('too many values to read (aliases expand to more than 20,000)', source);
  if (isMap(resolved)) {
    const properties = new Map<string, ArmValue>();
    for (const pair of resolved.items) {
      if (!isScalar(pair.key)) continue;
      const value = valueOf(ctx, pair.value, depth + 1, budget);
      if (value !== undefined) properties.set(sharedText(String(pair.key.value)), value);
    }
    return { kind: 'object', properties, source };
  }
  if (isSeq(resolved)) {
    const items = resolved.items.flatMap((item) => valueOf(ctx, item, depth + 1, budget) ?? []);
    return { kind: 'array', items, source };
  }
  if (isScalar(resolved)) {
    const value = resolved.value;
    if (value === null || value === undefined) return { kind: 'null', source };
    if (typeof value === 'boolean') return { kind: 'bool', value, source };
    if (typeof value === 'number') return Number.isSafeInteger(value) ? { kind: 'int', value, source } : unknownValue(`${value} is not a whole number`, source);
    const text = stringValue(ctx, resolved);
    return text.known ? { kind: 'string', value: text.value, source } : unknownValue(text.reason, source);
  }
  return unknownValue('not a plain value', source);
}

/** Follows an alias to the node it names (`yaml` refuses alias cycles); undefined when absent or unresolvable. */
function resolveAlias(ctx: ReadContext, node: unknown): Node | undefined {
  if (node === null || node === undefined) return undefined;
  if (!isAlias(node)) return node as Node;
  try {
    return (node.resolve(ctx.doc) as Node | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}
