// A Terraform file's syntax as plain data: blocks, attributes and expressions with UTF-16 offsets, converted from
// tree-sitter's tree (hclParser.ts) so that the evaluator never sees the parser's API, and a read can be kept, compared
// and sent between threads. Syntax errors are the tree's ERROR and MISSING nodes.
import type { Node } from 'web-tree-sitter';
import { parseHclTree } from './hclParser';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Expr = Span &
  (
    | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
    /** A quoted string or heredoc with interpolations; a directive (`%{ if }`) is an expression of kind `invalid`. */
    | { readonly kind: 'template'; readonly parts: readonly (string | Expr)[] }
    | { readonly kind: 'variable'; readonly name: string }
    | { readonly kind: 'attr'; readonly target: Expr; readonly name: string }
    | { readonly kind: 'index'; readonly target: Expr; readonly key: Expr }
    /** `target[*].a.b` or `target.*.a`: the steps after the splat apply to each item. */
    | { readonly kind: 'splat'; readonly target: Expr; readonly steps: readonly Step[] }
    | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly expand: boolean }
    | { readonly kind: 'tuple'; readonly items: readonly Expr[] }
    | { readonly kind: 'object'; readonly items: readonly { readonly key: Expr; readonly value: Expr }[] }
    | {
        readonly kind: 'for';
        readonly object: boolean;
        readonly keyVar: string | undefined;
        readonly valueVar: string;
        readonly collection: Expr;
        readonly key: Expr | undefined;
        readonly value: Expr;
        readonly condition: Expr | undefined;
        readonly grouping: boolean;
      }
    | { readonly kind: 'conditional'; readonly condition: Expr; readonly then: Expr; readonly otherwise: Expr }
    | { readonly kind: 'unary'; readonly operator: string; readonly operand: Expr }
    | { readonly kind: 'binary'; readonly operator: string; readonly left: Expr; readonly right: Expr }
    | { readonly kind: 'invalid'; readonly reason: string }
  );

export type Step = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: Expr };

export interface Attribute extends Span {
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: Expr;
}

export interface Block extends Span {
  readonly type: string;
  readonly labels: readonly string[];
  /** The header: type and labels (`resource "azurerm_subnet" "aks"`), where a finding on the whole block points. */
  readonly header: Span;
  readonly body: Body;
}

export interface Body {
  readonly attributes: readonly Attribute[];
  readonly blocks: readonly Block[];
}

export interface SyntaxError extends Span {
  readonly message: string;
}

export interface HclFile {
  readonly body: Body;
  readonly errors: readonly SyntaxError[];
}

const EMPTY_BODY: Body = { attributes: [], blocks: [] };

/** Parses a Terraform file; undefined before the parser is loaded (hclParser.ts). */
export function parseHcl(text: string): HclFile | undefined {
  const tree = parseHclTree(text);
  if (!tree) return undefined;
  try {
    const errors: SyntaxError[] = [];
    collectErrors(tree.rootNode, errors);
    for (let i = 0; i < errors.length; i++) errors[i] = visible(errors[i]!, text);
    const root = tree.rootNode.namedChildren.find((child) => child?.type === 'body');
    return { body: root ? body(root) : EMPTY_BODY, errors };
  } finally {
    tree.delete();
  }
}

/**
 * An error with text under it on one line, so an editor can underline it: a missing token (zero wide) takes the word
 * after it on its line, or else the one before it; an error over several lines keeps its first line.
 */
function visible(error: SyntaxError, text: string): SyntaxError {
  const lineEnd = (at: number) => (text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
  if (error.end > error.start) {
    const end = Math.min(error.end, lineEnd(error.start));
    return end > error.start ? { ...error, end } : error;
  }
  const after = /^[ \t]*(\S+)/.exec(text.slice(error.start, lineEnd(error.start)));
  if (after) {
    const start = error.start + after[0].length - after[1]!.length;
    return { ...error, start, end: start + after[1]!.length };
  }
  const lineStart = text.lastIndexOf('\n', error.start - 1) + 1;
  const before = /(\S+)[ \t]*$/.exec(text.slice(lineStart, error.start));
  return before ? { ...error, start: lineStart + before.index, end: lineStart + before.index + before[1]!.length } : error;
}

/** The ERROR and MISSING nodes, in order (a walk with its own stack: a file may nest deeper than the call stack). */
function collectErrors(root: Node, errors: SyntaxError[]): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isMissing) {
      errors.push({ start: node.startIndex, end: node.endIndex, message: `Expected ${JSON.stringify(node.type)} before this: Terraform cannot read the file as it is.` });
    } else if (node.isError) {
      const text = node.text.split('\n')[0]!.slice(0, 40);
      errors.push({ start: node.startIndex, end: node.endIndex, message: `Unexpected ${text ? JSON.stringify(text) : 'input'}: not valid Terraform here.` });
    } else if (node.hasError) {
      for (let i = node.childCount - 1; i >= 0; i--) {
        const child = node.child(i);
        if (child) stack.push(child);
      }
    }
  }
}

const span = (node: Node): Span => ({ start: node.startIndex, end: node.endIndex });
const named = (node: Node): Node[] => node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');

function body(node: Node): Body {
  const attributes: Attribute[] = [];
  const blocks: Block[] = [];
  for (const child of named(node)) {
    if (child.type === 'attribute') {
      const [name, value] = named(child);
      if (name?.type === 'identifier') attributes.push({ ...span(child), name: name.text, nameSpan: span(name), value: value ? expression(value) : invalid(child, 'no value') });
    } else if (child.type === 'block') {
      blocks.push(block(child));
    }
  }
  return { attributes, blocks };
}

function block(node: Node): Block {
  const parts = named(node);
  const type = parts[0]?.text ?? '';
  const labels = parts.filter((part, i) => i > 0 && (part.type === 'string_lit' || part.type === 'identifier')).map(labelText);
  const start = parts.find((part) => part.type === 'block_start');
  const inner = parts.find((part) => part.type === 'body');
  return {
    ...span(node),
    type,
    labels,
    header: { start: node.startIndex, end: start?.startIndex ?? node.endIndex },
    body: inner ? body(inner) : EMPTY_BODY,
  };
}

function labelText(node: Node): string {
  return node.type === 'string_lit' ? (named(node).find((part) => part.type === 'template_literal')?.text ?? '') : node.text;
}

function invalid(node: Node, reason: string): Expr {
  return { kind: 'invalid', reason, ...span(node) };
}

const PRIMARY = new Set(['literal_value', 'template_expr', 'collection_value', 'variable_expr', 'function_call', 'for_expr', 'operation', 'expression', 'conditional']);

/** Deeper expressions are not converted (an unknown value): the conversion recurses, and real files nest a few levels. */
const MAX_NESTING = 200;
let nesting = 0;

/** An `expression` node: a conditional, or a term (a primary followed by attribute, index and splat steps). */
function expression(node: Node): Expr {
  if (nesting >= MAX_NESTING) return invalid(node, `nested more than ${MAX_NESTING} levels deep`);
  nesting++;
  try {
    return expressionAt(node);
  } finally {
    nesting--;
  }
}

function expressionAt(node: Node): Expr {
  if (node.type !== 'expression') return term([node], node);
  const children = named(node);
  if (children.length === 1 && children[0]!.type === 'conditional') return primary(children[0]!);
  return term(children, node);
}

/** A primary followed by steps, from a flat list of nodes (tree-sitter's `_expr_term` is hidden). */
function term(nodes: readonly Node[], whole: Node): Expr {
  const first = nodes[0];
  if (!first || !PRIMARY.has(first.type)) return invalid(whole, 'not an expression');
  let result = primary(first);
  for (const step of nodes.slice(1)) {
    const at = { start: result.start, end: step.endIndex };
    if (step.type === 'get_attr') result = { kind: 'attr', target: result, name: named(step)[0]?.text ?? '', ...at };
    else if (step.type === 'index') result = { kind: 'index', target: result, key: indexKey(step), ...at };
    else if (step.type === 'splat') result = { kind: 'splat', target: result, steps: splatSteps(step), ...at };
    else return invalid(whole, `unexpected ${step.type}`);
  }
  return result;
}

function indexKey(node: Node): Expr {
  const inner = named(node)[0];
  if (inner?.type === 'legacy_index') {
    const digits = /\d+/.exec(inner.text)?.[0] ?? '0';
    return { kind: 'literal', value: Number(digits), ...span(inner) };
  }
  const key = inner && named(inner)[0];
  return key ? expression(key) : invalid(node, 'empty index');
}

function splatSteps(node: Node): Step[] {
  const kind = named(node)[0];
  return (kind ? named(kind) : []).map((step): Step => (step.type === 'get_attr' ? { kind: 'attr', name: named(step)[0]?.text ?? '' } : { kind: 'index', key: indexKey(step) }));
}

function primary(node: Node): Expr {
  const at = span(node);
  switch (node.type) {
    case 'expression':
      return expression(node);
    case 'literal_value':
      return literal(named(node)[0] ?? node);
    case 'template_expr':
      return template(named(node)[0] ?? node);
    case 'variable_expr':
      return { kind: 'variable', name: node.text, ...at };
    case 'function_call': {
      const [name, args] = named(node);
      const list = args ? named(args) : [];
      return {
        kind: 'call',
        name: name?.text ?? '',
        args: list.filter((arg) => arg.type === 'expression').map(expression),
        expand: list.some((arg) => arg.type === 'ellipsis'),
        ...at,
      };
    }
    case 'collection_value':
      return collection(named(node)[0] ?? node);
    case 'for_expr':
      return forExpression(named(node)[0] ?? node);
    case 'conditional': {
      const [condition, then, otherwise] = named(node).filter((part) => part.type === 'expression');
      if (!condition || !then || !otherwise) return invalid(node, 'incomplete conditional');
      return { kind: 'conditional', condition: expression(condition), then: expression(then), otherwise: expression(otherwise), ...at };
    }
    case 'operation':
      return operation(named(node)[0] ?? node);
    default:
      return invalid(node, `unexpected ${node.type}`);
  }
}

function literal(node: Node): Expr {
  const at = span(node);
  switch (node.type) {
    case 'numeric_lit':
      return { kind: 'literal', value: Number(node.text), ...at };
    case 'bool_lit':
      return { kind: 'literal', value: node.text === 'true', ...at };
    case 'null_lit':
      return { kind: 'literal', value: null, ...at };
    case 'string_lit':
      return { kind: 'literal', value: unescape(named(node).find((part) => part.type === 'template_literal')?.text ?? ''), ...at };
    default:
      return invalid(node, `unexpected ${node.type}`);
  }
}

/** Template text as Terraform reads it: escapes, and `$${`/`%%{` for literal `${`/`%{`. */
function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (match, escape: string | undefined) => {
    if (match === '$${') return '${';
    if (match === '%%{') return '%{';
    switch (escape?.[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(escape.slice(1), 16));
      default:
        return escape ?? match;
    }
  });
}

function template(node: Node): Expr {
  const heredoc = node.type === 'heredoc_template';
  const parts: (string | Expr)[] = [];
  for (const part of named(node)) {
    if (part.type === 'template_literal') parts.push(heredoc ? part.text : unescape(part.text));
    else if (part.type === 'template_interpolation') {
      const inner = named(part).find((child) => child.type === 'expression');
      parts.push(inner ? expression(inner) : invalid(part, 'empty interpolation'));
    } else if (part.type === 'template_directive') parts.push(invalid(part, 'template directives (%{ }) are not evaluated'));
  }
  const at = span(node);
  if (parts.length === 0) return { kind: 'literal', value: '', ...at };
  if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: parts[0], ...at };
  return { kind: 'template', parts, ...at };
}

function collection(node: Node): Expr {
  const at = span(node);
  if (node.type === 'tuple') return { kind: 'tuple', items: named(node).filter((item) => item.type === 'expression').map(expression), ...at };
  if (node.type === 'object') {
    const items = named(node)
      .filter((item) => item.type === 'object_elem')
      .flatMap((item) => {
        const key = item.childForFieldName('key');
        const value = item.childForFieldName('val');
        return key && value ? [{ key: objectKey(key), value: expression(value) }] : [];
      });
    return { kind: 'object', items, ...at };
  }
  return invalid(node, `unexpected ${node.type}`);
}

/** An object key: a bare name is the name itself (`{ name = 1 }`), anything else an expression (`{ (var.k) = 1 }`). */
function objectKey(node: Node): Expr {
  const key = expression(node);
  if (key.kind === 'variable') return { kind: 'literal', value: key.name, start: key.start, end: key.end };
  return key;
}

function forExpression(node: Node): Expr {
  const parts = named(node);
  const intro = parts.find((part) => part.type === 'for_intro');
  const condition = parts.find((part) => part.type === 'for_cond');
  const bodies = parts.filter((part) => part.type === 'expression');
  const names = intro ? named(intro).filter((part) => part.type === 'identifier').map((part) => part.text) : [];
  const collectionNode = intro && named(intro).find((part) => part.type === 'expression');
  const object = node.type === 'for_object_expr';
  const value = object ? bodies[1] : bodies[0];
  if (!collectionNode || names.length === 0 || !value) return invalid(node, 'incomplete for expression');
  const conditionExpr = condition && named(condition).find((part) => part.type === 'expression');
  return {
    kind: 'for',
    object,
    keyVar: names.length > 1 ? names[0] : undefined,
    valueVar: names[names.length - 1]!,
    collection: expression(collectionNode),
    key: object && bodies[0] ? expression(bodies[0]) : undefined,
    value: expression(value),
    condition: conditionExpr ? expression(conditionExpr) : undefined,
    grouping: parts.some((part) => part.type === 'ellipsis'),
    ...span(node),
  };
}

function operation(node: Node): Expr {
  const at = span(node);
  const all = node.children.filter((child): child is Node => child !== null && child.type !== 'comment');
  if (node.type === 'unary_operation') {
    const operator = all[0]?.text ?? '';
    return { kind: 'unary', operator, operand: term(all.slice(1).filter((child) => child.isNamed), node), ...at };
  }
  // A binary operation's two terms are flat around the operator token (tree-sitter's `_expr_term` is hidden).
  const split = all.findIndex((child, i) => i > 0 && !child.isNamed && child.type !== '(' && child.type !== ')');
  if (split < 0) return invalid(node, 'incomplete operation');
  const side = (nodes: Node[]) => term(nodes.filter((child) => child.isNamed), node);
  return { kind: 'binary', operator: all[split]!.text, left: side(all.slice(0, split)), right: side(all.slice(split + 1)), ...at };
}
