// Bicep type expressions (after `param`, `output`, `type`, typed `var`, `func`): parsed for their
// extent and their errors only. The syntax tree keeps a type as the text it spans.

import { close, parseDecorators, parseExpression, parseListBody, parseString } from './expressions';
import type { TokenKind } from './lexer';
import { canStartExpression, isNameToken, type ParserState } from './parserState';
import type { Span } from './syntax';

/** Token kinds a type can start with: those of an expression (literal types), and `|` of a leading union bar. */
export function canStartType(kind: TokenKind): boolean {
  return kind === 'Pipe' || canStartExpression(kind);
}

/**
 * A union `a | b | c` (a leading `|` and line breaks before each `|` are allowed) of members with
 * optional `-`/`!` prefixes and `?`/`!` suffixes. Returns the span it covers.
 */
export function parseType(p: ParserState): Span {
  if (!p.enter()) return p.tooDeep();
  try {
    const j = p.afterNewlines();
    if (p.kindAt(j) === 'Pipe') p.skipNewlinesTo(j);
    const start = p.offending().start;
    if (p.at('Pipe')) p.advance();
    parseUnionMember(p);
    for (;;) {
      const next = p.afterNewlines();
      if (p.kindAt(next) !== 'Pipe') break;
      p.skipNewlinesTo(next);
      p.advance();
      parseUnionMember(p);
    }
    return { start, end: Math.max(start, p.prevEnd) };
  } finally {
    p.leave();
  }
}

function parseUnionMember(p: ParserState): void {
  if (p.at('Minus') || p.at('Exclamation')) p.advance();
  parsePrimaryType(p);
  for (;;) {
    if (p.at('LeftSquare')) {
      // `T[]`, `T[*]` (item type), `T[0]` (tuple item type).
      p.advance();
      p.pushCloser('RightSquare');
      if (p.at('Asterisk') && p.kindAt(p.pos + 1) === 'RightSquare') p.advance();
      else if (!p.at('RightSquare')) parseExpression(p);
      close(p, 'RightSquare', "expected ']'");
      p.popCloser('RightSquare');
    } else if (p.at('Dot')) {
      // `T.*` (additional properties type) and `T.property`, `ns.T<…>`.
      p.advance();
      if (p.at('Asterisk')) p.advance();
      else if (isNameToken(p.tok.kind)) {
        p.advance();
        if (p.at('LessThan')) parseTypeArguments(p);
      } else p.expected("expected a property name after '.'");
    } else if (p.at('Question') || p.at('Exclamation')) {
      p.advance();
    } else return;
  }
}

function parsePrimaryType(p: ParserState): void {
  switch (p.tok.kind) {
    case 'Integer':
    case 'TrueKeyword':
    case 'FalseKeyword':
    case 'NullKeyword':
    case 'StringComplete':
    case 'MultilineString':
      p.advance();
      return;
    case 'StringLeftPiece':
      parseString(p);
      return;
    case 'Identifier':
      p.advance();
      if (p.at('LessThan')) parseTypeArguments(p);
      return;
    case 'LeftParen': {
      p.advance();
      p.pushCloser('RightParen');
      p.skipNewlines();
      parseType(p);
      close(p, 'RightParen', "expected ')'");
      p.popCloser('RightParen');
      return;
    }
    case 'LeftBrace':
      p.advance();
      parseListBody(p, 'RightBrace', 'properties', 'decorators', () => parseObjectTypeProperty(p));
      return;
    case 'LeftSquare':
      p.advance();
      parseListBody(p, 'RightSquare', 'items', 'decorators', () => {
        parseDecorators(p);
        parseType(p);
      });
      return;
    default:
      p.expected('expected a type');
  }
}

/** `name: type`, `'quoted name': type` or `*: type`, possibly after decorator lines. */
function parseObjectTypeProperty(p: ParserState): void {
  parseDecorators(p);
  const t = p.tok;
  if (isNameToken(t.kind) || t.kind === 'StringComplete' || t.kind === 'MultilineString' || t.kind === 'Asterisk') {
    p.advance();
  } else {
    p.expected('expected a property name');
    p.skipUntil((k) => k === 'Comma');
    return;
  }
  if (p.at('Colon')) p.advance();
  else {
    p.expected(`expected ':' after the property name '${p.text.slice(t.start, t.end)}'`);
    if (!canStartType(p.tok.kind)) return;
  }
  parseType(p);
}

/** `<T, U>` after a generic type such as `resourceInput<'Microsoft.Network/virtualNetworks@2024-05-01'>`. */
function parseTypeArguments(p: ParserState): void {
  p.advance();
  for (;;) {
    parseType(p);
    if (!p.at('Comma')) break;
    p.advance();
  }
  if (p.at('GreaterThan')) p.advance();
  else p.expected("expected '>' after the type arguments");
}
