// Bicep expressions: lambdas, the conditional, binary operators by precedence climbing, one
// prefix operator, postfix access chains, literals, strings with holes, arrays, objects and
// for-expressions; plus the bracket-list loop and decorators, which types and statements share.

import type { Token, TokenKind } from './lexer';
import { canStartExpression, isCloser, isNameToken, type LineStarts, type ParserState } from './parserState';
import type {
  ArrayItem,
  BinaryOperator,
  Decorator,
  ErrorExpression,
  Expression,
  ForExpression,
  ObjectExpression,
  ObjectMember,
  StringExpression,
} from './syntax';

/** Binding strength of each binary operator (higher binds tighter); all are left-associative. */
const BINARY: Partial<Record<TokenKind, { readonly operator: BinaryOperator; readonly precedence: number }>> = {
  DoubleQuestion: { operator: '??', precedence: 1 },
  LogicalOr: { operator: '||', precedence: 2 },
  LogicalAnd: { operator: '&&', precedence: 3 },
  Equals: { operator: '==', precedence: 4 },
  NotEquals: { operator: '!=', precedence: 4 },
  EqualsInsensitive: { operator: '=~', precedence: 4 },
  NotEqualsInsensitive: { operator: '!~', precedence: 4 },
  LessThan: { operator: '<', precedence: 5 },
  LessThanOrEqual: { operator: '<=', precedence: 5 },
  GreaterThan: { operator: '>', precedence: 5 },
  GreaterThanOrEqual: { operator: '>=', precedence: 5 },
  Plus: { operator: '+', precedence: 6 },
  Minus: { operator: '-', precedence: 6 },
  Asterisk: { operator: '*', precedence: 7 },
  Slash: { operator: '/', precedence: 7 },
  Modulo: { operator: '%', precedence: 7 },
};

/** Tokens an "expected an expression" error leaves in place: some enclosing construct needs them. */
function endsExpression(kind: TokenKind): boolean {
  return (
    kind === 'NewLine' ||
    kind === 'EndOfFile' ||
    kind === 'Comma' ||
    kind === 'Colon' ||
    kind === 'Question' ||
    kind === 'At' ||
    isCloser(kind)
  );
}

/** Parses one expression; every path consumes at least one token or reports an error. */
export function parseExpression(p: ParserState): Expression {
  if (!p.enter()) return p.tooDeep();
  try {
    return isLambdaAhead(p) ? parseLambda(p) : parseConditional(p);
  } finally {
    p.leave();
  }
}

/** Tokens allowed between `(` and `) =>`: names, commas, line breaks and simple types (`a int`, `b string[]?`). */
const LAMBDA_HEAD: ReadonlySet<TokenKind> = new Set(['Identifier', 'Comma', 'NewLine', 'Question', 'LeftSquare', 'RightSquare', 'Dot']);

/** `x =>` or `(a, b) =>`, looking ahead no further than the parameter list. */
function isLambdaAhead(p: ParserState): boolean {
  const t = p.tok;
  if (t.kind === 'Identifier') return p.kindAt(p.pos + 1) === 'Arrow';
  if (t.kind !== 'LeftParen') return false;
  for (let i = p.pos + 1; ; i++) {
    const kind = p.kindAt(i);
    if (kind === 'RightParen') return p.kindAt(i + 1) === 'Arrow';
    if (!LAMBDA_HEAD.has(kind)) return false;
  }
}

function parseLambda(p: ParserState): Expression {
  const start = p.tok.start;
  const parameters: string[] = [];
  if (p.at('Identifier')) {
    parameters.push(p.advance().value);
  } else {
    p.advance();
    // Each comma-separated group is a name, then perhaps a type, which the tree does not keep.
    let expectName = true;
    while (!p.at('RightParen')) {
      const t = p.advance();
      if (t.kind === 'Comma') expectName = true;
      else if (t.kind === 'Identifier' && expectName) {
        parameters.push(t.value);
        expectName = false;
      }
    }
    p.advance();
  }
  p.advance(); // =>
  skipNewlinesBeforeValue(p);
  const body = parseExpression(p);
  return { kind: 'lambda', parameters, body, start, end: body.end };
}

/** Line breaks are allowed after `=>`, `?` and `:`; not when the next line is a declaration. */
function skipNewlinesBeforeValue(p: ParserState): void {
  const j = p.afterNewlines();
  if (j > p.pos && !p.looksLikeDeclaration(j, 'none')) p.skipNewlinesTo(j);
}

function parseConditional(p: ParserState): Expression {
  const condition = parseBinary(p, 1);
  // Line breaks may come before `?` and `:`, as in multi-line ternaries.
  let j = p.afterNewlines();
  if (p.kindAt(j) !== 'Question') return condition;
  p.skipNewlinesTo(j);
  p.advance();
  skipNewlinesBeforeValue(p);
  const whenTrue = parseExpression(p);
  j = p.afterNewlines();
  let whenFalse: Expression;
  if (p.kindAt(j) === 'Colon') {
    p.skipNewlinesTo(j);
    p.advance();
    skipNewlinesBeforeValue(p);
    whenFalse = parseExpression(p);
  } else {
    p.expected("expected ':' and the value for the false case of the conditional expression");
    whenFalse = p.missing();
  }
  return { kind: 'ternary', condition, whenTrue, whenFalse, start: condition.start, end: Math.max(whenFalse.end, whenTrue.end) };
}

function parseBinary(p: ParserState, minPrecedence: number): Expression {
  let left = parseUnary(p);
  for (;;) {
    const op = BINARY[p.tok.kind];
    if (op === undefined || op.precedence < minPrecedence) return left;
    p.advance();
    const right = parseBinary(p, op.precedence + 1);
    left = { kind: 'binary', operator: op.operator, left, right, start: left.start, end: Math.max(right.end, left.end) };
  }
}

function parseUnary(p: ParserState): Expression {
  const t = p.tok;
  if (t.kind !== 'Exclamation' && t.kind !== 'Minus') return parsePostfix(p);
  p.advance();
  let operand: Expression;
  if (p.at('Exclamation') || p.at('Minus')) {
    p.expected("prefix operators cannot be stacked: write !(…) or -(…)");
    if (!p.enter()) operand = p.tooDeep();
    else {
      try {
        operand = parseUnary(p);
      } finally {
        p.leave();
      }
    }
  } else operand = parsePostfix(p);
  return { kind: 'unary', operator: t.kind === 'Exclamation' ? '!' : '-', operand, start: t.start, end: Math.max(operand.end, t.end) };
}

/** A primary followed by `.name`, `.?name`, `.f(…)`, `[i]`, `[?i]`, `[^i]`, `::name` and postfix `!`. */
export function parsePostfix(p: ParserState): Expression {
  let expr = parsePrimary(p);
  for (;;) {
    const t = p.tok;
    switch (t.kind) {
      case 'Dot': {
        p.advance();
        const safe = p.at('Question');
        if (safe) p.advance();
        const name = p.tok;
        if (!isNameToken(name.kind)) {
          p.expected("expected a property name after '.'");
          const at = p.prevEnd;
          expr = { kind: 'propertyAccess', object: expr, name: '', nameSpan: { start: at, end: at }, safe, start: expr.start, end: at };
          continue;
        }
        p.advance();
        const nameSpan = { start: name.start, end: name.end };
        if (!safe && p.at('LeftParen')) {
          const { args, end } = parseArguments(p);
          expr = { kind: 'call', target: expr, name: name.value, nameSpan, args, start: expr.start, end };
        } else {
          expr = { kind: 'propertyAccess', object: expr, name: name.value, nameSpan, safe, start: expr.start, end: name.end };
        }
        continue;
      }
      case 'LeftSquare': {
        p.advance();
        p.pushCloser('RightSquare');
        const safe = p.at('Question');
        if (safe) p.advance();
        const fromEnd = p.at('Hat');
        if (fromEnd) p.advance();
        let index: Expression;
        if (p.at('RightSquare')) {
          p.expected("expected an index inside '[]'");
          index = p.missing();
        } else index = parseExpression(p);
        const end = close(p, 'RightSquare', "expected ']' after the index");
        p.popCloser('RightSquare');
        expr = { kind: 'index', object: expr, index, safe, fromEnd, start: expr.start, end };
        continue;
      }
      case 'DoubleColon': {
        p.advance();
        const name = p.tok;
        if (name.kind === 'Identifier') {
          p.advance();
          expr = { kind: 'nestedAccess', object: expr, name: name.value, start: expr.start, end: name.end };
        } else {
          p.expected("expected a nested resource name after '::'");
          expr = { kind: 'nestedAccess', object: expr, name: '', start: expr.start, end: p.prevEnd };
        }
        continue;
      }
      case 'Exclamation':
        p.advance();
        expr = { kind: 'nonNull', operand: expr, start: expr.start, end: t.end };
        continue;
      default:
        return expr;
    }
  }
}

/**
 * Consumes the closer the cursor should be at; otherwise reports `message`, skips the rest of the
 * line's junk and takes the closer if it follows. Returns the end of the construct.
 */
export function close(p: ParserState, kind: TokenKind, message: string): number {
  const j = p.afterNewlines();
  if (p.kindAt(j) === kind) {
    p.skipNewlinesTo(j);
    return p.advance().end;
  }
  p.expected(message);
  p.skipUntil();
  if (p.at(kind)) return p.advance().end;
  return p.prevEnd;
}

function parsePrimary(p: ParserState): Expression {
  const t = p.tok;
  switch (t.kind) {
    case 'Integer':
      p.advance();
      return { kind: 'integer', value: Number(t.value), start: t.start, end: t.end };
    case 'TrueKeyword':
    case 'FalseKeyword':
      p.advance();
      return { kind: 'boolean', value: t.kind === 'TrueKeyword', start: t.start, end: t.end };
    case 'NullKeyword':
      p.advance();
      return { kind: 'null', start: t.start, end: t.end };
    case 'StringComplete':
    case 'MultilineString':
    case 'StringLeftPiece':
      return parseString(p);
    case 'LeftSquare':
      return isForAhead(p) ? parseFor(p, false) : parseArray(p);
    case 'LeftBrace':
      return parseObject(p, false);
    case 'LeftParen':
      return parseParenthesized(p);
    case 'Identifier': {
      p.advance();
      if (p.at('LeftParen')) {
        const { args, end } = parseArguments(p);
        return { kind: 'call', target: undefined, name: t.value, nameSpan: { start: t.start, end: t.end }, args, start: t.start, end };
      }
      return { kind: 'identifier', name: t.value, start: t.start, end: t.end };
    }
    default: {
      p.expected('expected an expression');
      if (endsExpression(t.kind)) return p.missing();
      p.advance();
      return { kind: 'error', start: t.start, end: t.end };
    }
  }
}

/** A string literal: complete, multi-line, or interpolated pieces with holes between them. */
export function parseString(p: ParserState): StringExpression {
  const first = p.advance();
  if (first.kind !== 'StringLeftPiece') return { kind: 'string', segments: [first.value], holes: [], start: first.start, end: first.end };
  const segments = [first.value];
  const holes: Expression[] = [];
  p.pushCloser('hole');
  let end: number;
  for (;;) {
    holes.push(parseExpression(p));
    if (!p.at('StringMiddlePiece') && !p.at('StringRightPiece')) {
      p.expected("expected '}' to end the interpolation '${…}'");
      p.skipUntil();
    }
    const piece = p.tok;
    if (piece.kind === 'StringMiddlePiece') {
      segments.push(piece.value);
      p.advance();
      continue;
    }
    if (piece.kind === 'StringRightPiece') {
      segments.push(piece.value);
      end = p.advance().end;
      break;
    }
    // A line break or a closer of an enclosing construct: the string ends here.
    segments.push('');
    end = p.prevEnd;
    break;
  }
  p.popCloser('hole');
  return { kind: 'string', segments, holes, start: first.start, end };
}

/** `(a, b)` after a function name; commas are required, line breaks are free inside. */
export function parseArguments(p: ParserState): { args: Expression[]; end: number } {
  p.advance();
  p.pushCloser('RightParen');
  const args: Expression[] = [];
  let end: number;
  let j = p.afterNewlines();
  if (p.kindAt(j) === 'RightParen') {
    p.skipNewlinesTo(j);
    end = p.advance().end;
  } else {
    for (;;) {
      const k = p.kindAt(j);
      if (k === 'EndOfFile' || p.isAwaitedCloser(k) || (j > p.pos && p.looksLikeDeclaration(j, 'none'))) {
        // Bail before the line breaks so the error sits at the end of the unfinished call.
        p.expected("expected ')'");
        end = p.prevEnd;
        break;
      }
      p.skipNewlinesTo(j);
      if (p.at('Comma')) {
        p.expected("expected an argument before ','");
        args.push(p.missing());
      } else args.push(parseExpression(p));
      j = p.afterNewlines();
      const next = p.kindAt(j);
      if (next === 'RightParen') {
        p.skipNewlinesTo(j);
        end = p.advance().end;
        break;
      }
      if (next === 'Comma') {
        p.skipNewlinesTo(j);
        p.advance();
        j = p.afterNewlines();
        if (p.kindAt(j) === 'RightParen') {
          p.error({ start: p.prevEnd - 1, end: p.prevEnd }, "a trailing ',' is not allowed in function arguments");
          p.skipNewlinesTo(j);
          end = p.advance().end;
          break;
        }
        continue;
      }
      if (j === p.pos && canStartExpression(next)) {
        p.expected("expected ',' between arguments");
        continue;
      }
      p.expected("expected ')'");
      if (j === p.pos) {
        p.skipUntil();
        if (p.at('RightParen')) {
          end = p.advance().end;
          break;
        }
      }
      end = p.prevEnd;
      break;
    }
  }
  p.popCloser('RightParen');
  return { args, end };
}

function parseParenthesized(p: ParserState): Expression {
  const start = p.advance().start;
  p.pushCloser('RightParen');
  skipNewlinesBeforeValue(p);
  let expression: Expression;
  if (p.at('RightParen')) {
    p.expected("expected an expression inside '()'");
    expression = p.missing();
  } else expression = parseExpression(p);
  const end = close(p, 'RightParen', "expected ')'");
  p.popCloser('RightParen');
  return { kind: 'paren', expression, start, end };
}

/** `(condition)` after `if`: returns the condition itself. */
export function parseParenCondition(p: ParserState): Expression {
  if (!p.at('LeftParen')) {
    p.expected("expected '(' and a condition after 'if'");
    return p.missing();
  }
  const paren = parseParenthesized(p);
  return paren.kind === 'paren' ? paren.expression : paren;
}

/**
 * The elements of a bracket list after its opener, up to `close`. Elements are separated by a
 * comma or line breaks, freely mixed; a comma at the end of a line is an error, a trailing comma
 * on one line is not. A missing closer is reported where the list visibly ended: at the end of
 * the file, at a closer an enclosing construct waits for, or before a line that starts a new
 * declaration. Returns the list's end.
 */
export function parseListBody(
  p: ParserState,
  close: 'RightSquare' | 'RightBrace',
  elements: string,
  lineStarts: LineStarts,
  element: () => void,
): number {
  const closeText = close === 'RightSquare' ? "']'" : "'}'";
  p.pushCloser(close);
  let needSeparator = false;
  let comma: Token | undefined;
  let end: number;
  for (;;) {
    const j = p.afterNewlines();
    const newline = j > p.pos;
    const t = p.token(j);
    if (newline && comma !== undefined) {
      p.error(comma, `a ',' cannot end a line: separate ${elements} with either ',' or a new line`);
      comma = undefined;
    }
    if (t.kind === close) {
      p.skipNewlinesTo(j);
      end = p.advance().end;
      break;
    }
    if (t.kind === 'EndOfFile' || p.isAwaitedCloser(t.kind) || (newline && p.looksLikeDeclaration(j, lineStarts))) {
      p.error({ start: p.prevEnd, end: p.prevEnd }, `expected ${closeText}`);
      end = p.prevEnd;
      break;
    }
    p.skipNewlinesTo(j);
    if (newline) needSeparator = false;
    if (t.kind === 'Comma') {
      if (!needSeparator) p.error(t, `expected an element before ','`);
      comma = p.advance();
      needSeparator = false;
      continue;
    }
    if (isCloser(t.kind)) {
      p.error(t, `unexpected '${p.text.slice(t.start, t.end) || '}'}' in a list: expected ${closeText}`);
      p.advance();
      continue;
    }
    if (needSeparator) p.expected(`expected ',' or a new line between ${elements}`);
    comma = undefined;
    const before = p.pos;
    element();
    needSeparator = true;
    if (p.pos === before) p.advance();
  }
  p.popCloser(close);
  return end;
}

function parseArray(p: ParserState): Expression {
  const start = p.advance().start;
  const items: ArrayItem[] = [];
  const end = parseListBody(p, 'RightSquare', 'items', 'none', () => {
    if (p.at('Ellipsis')) {
      const dots = p.advance();
      const value = parseExpression(p);
      items.push({ kind: 'spread', value, span: { start: dots.start, end: Math.max(value.end, dots.end) } });
    } else items.push({ kind: 'item', value: parseExpression(p) });
  });
  return { kind: 'array', items, start, end };
}

/**
 * `{ … }`; in a resource body, members may also be nested resource declarations. Guarded by the
 * nesting cap itself, since resource bodies nest through declarations, not expressions.
 */
export function parseObject(p: ParserState, resourceBody: boolean): ObjectExpression | ErrorExpression {
  if (!p.enter()) return p.tooDeep();
  try {
    const start = p.advance().start;
    const members: ObjectMember[] = [];
    const end = parseListBody(p, 'RightBrace', 'properties', resourceBody ? 'resources' : 'none', () => parseMember(p, members));
    return { kind: 'object', members, start, end };
  } finally {
    p.leave();
  }
}

function parseMember(p: ParserState, members: ObjectMember[]): void {
  const t = p.tok;
  if (t.kind === 'Ellipsis') {
    p.advance();
    const value = parseExpression(p);
    members.push({ kind: 'spread', value, span: { start: t.start, end: Math.max(value.end, t.end) } });
    return;
  }
  if (t.kind === 'At' || (p.atWord('resource') && p.kindAt(p.pos + 1) === 'Identifier')) {
    const decorators = parseDecorators(p);
    if (p.atWord('resource')) members.push({ kind: 'resource', declaration: p.nestedResource(decorators) });
    else {
      p.expected('expected a nested resource declaration after the decorators');
      p.skipUntil((k) => k === 'Comma');
    }
    return;
  }
  let key: string | undefined;
  let keySpan: { start: number; end: number };
  if (isNameToken(t.kind) || t.kind === 'StringComplete' || t.kind === 'MultilineString') {
    p.advance();
    key = t.value;
    keySpan = { start: t.start, end: t.end };
  } else if (t.kind === 'StringLeftPiece') {
    const s = parseString(p);
    keySpan = { start: s.start, end: s.end };
  } else {
    p.expected('expected a property name');
    p.skipUntil((k) => k === 'Comma');
    return;
  }
  if (p.at('Colon')) p.advance();
  else {
    const keyText = key ?? p.text.slice(keySpan.start, keySpan.end);
    p.expected(`expected ':' after the property name '${keyText}'`);
    if (p.at('Assignment')) p.advance();
    else if (!canStartExpression(p.tok.kind) || p.tok.diagnosed) {
      members.push({ kind: 'property', key, keySpan, value: p.missing() });
      p.skipUntil((k) => k === 'Comma');
      return;
    }
  }
  members.push({ kind: 'property', key, keySpan, value: parseExpression(p) });
}

/** `[for` (line breaks allowed after `[`) followed by a loop variable. */
export function isForAhead(p: ParserState): boolean {
  const j = p.afterNewlines(p.pos + 1);
  const t = p.token(j);
  if (t.kind !== 'Identifier' || t.value !== 'for') return false;
  const next = p.kindAt(j + 1);
  return next === 'Identifier' || next === 'LeftParen';
}

/**
 * `[for item in source: body]` or `[for (item, index) in source: body]`. In a resource or module
 * loop the body is an object, or `if (condition) {…}` which fills `condition`.
 */
export function parseFor(p: ParserState, resourceLoop: boolean): ForExpression {
  const start = p.advance().start;
  p.pushCloser('RightSquare');
  p.skipNewlines();
  p.advance(); // for
  let itemName: string | undefined;
  let indexName: string | undefined;
  if (p.at('Identifier')) itemName = p.advance().value;
  else if (p.at('LeftParen')) {
    p.advance();
    if (p.at('Identifier')) itemName = p.advance().value;
    else p.expected('expected the loop item name');
    if (p.at('Comma')) {
      p.advance();
      if (p.at('Identifier')) indexName = p.advance().value;
      else p.expected('expected the loop index name');
    }
    if (p.at('RightParen')) p.advance();
    else p.expected("expected ')' after the loop variables");
  }
  if (p.atWord('in')) p.advance();
  else p.expected("expected 'in' after the loop variable");
  const source = parseExpression(p);
  if (p.at('Colon')) p.advance();
  else p.expected("expected ':' after the loop source");
  skipNewlinesBeforeValue(p);
  let condition: Expression | undefined;
  let body: Expression;
  if (resourceLoop && p.atWord('if') && p.kindAt(p.pos + 1) === 'LeftParen') {
    p.advance();
    condition = parseParenCondition(p);
    if (p.at('LeftBrace')) body = parseObject(p, true);
    else {
      p.expected("expected '{' after the loop condition");
      body = p.missing();
    }
  } else if (resourceLoop && p.at('LeftBrace')) body = parseObject(p, true);
  else body = parseExpression(p);
  const end = close(p, 'RightSquare', "expected ']' to end the for-expression");
  p.popCloser('RightSquare');
  return { kind: 'for', itemName, indexName, source, condition, body, start, end };
}

/** `@name(…)` lines before a declaration (also namespaced: `@sys.description(…)`), each ending its line. */
export function parseDecorators(p: ParserState): Decorator[] {
  const decorators: Decorator[] = [];
  while (p.at('At')) {
    const start = p.advance().start;
    let expr: Expression;
    if (!p.enter()) expr = p.tooDeep();
    else {
      try {
        expr = parsePostfix(p);
      } finally {
        p.leave();
      }
    }
    let name = '';
    let args: readonly Expression[] = [];
    if (expr.kind === 'call') {
      name = expr.name;
      args = expr.args;
    } else if (expr.kind === 'identifier') name = expr.name;
    else if (expr.kind === 'propertyAccess') name = expr.name;
    else if (expr.kind !== 'error') p.error(expr, "expected a decorator name after '@'");
    decorators.push({ name, args, start, end: Math.max(expr.end, start + 1) });
    if (p.at('NewLine')) p.skipNewlines();
    else if (!p.at('EndOfFile')) p.expected('expected a new line after the decorator');
  }
  return decorators;
}
