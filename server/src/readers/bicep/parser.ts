// The Bicep parser: tokens -> the syntax tree of syntax.ts, with precise, non-cascading errors.
// Recursive descent over newline-terminated declarations. Recovery follows the official parser:
// a broken declaration is skipped to its line end (its brackets whole), the next declaration
// starts fresh, and while recovering nothing more is reported (see ParserState.recovering).

import {
  parseDecorators,
  parseExpression,
  parseFor,
  isForAhead,
  parseListBody,
  parseObject,
  parseParenCondition,
  parseString,
} from './expressions';
import { ParserState } from './parserState';
import type {
  Decorator,
  Expression,
  ModuleDeclaration,
  OtherDeclaration,
  Program,
  ResourceDeclaration,
  Span,
  Statement,
  SyntaxDiagnostic,
} from './syntax';
import { canStartType, parseType } from './typeExpressions';

/** What parsing a file took, as counts: its tokens, and the parser's token lookups. */
export interface ParseWork {
  tokens: number;
  reads: number;
}

/** Parses a `.bicep` file (or a `.bicepparam` one); never throws, and reports each syntax error once, precisely. */
export function parseBicep(text: string, { parametersFile = false, work }: { parametersFile?: boolean; work?: ParseWork } = {}): Program {
  const statements: Statement[] = [];
  const diagnostics: SyntaxDiagnostic[] = [];
  let state: ParserState | undefined;
  try {
    // The parser pulls tokens from the lexer as it goes (see ParserState).
    const p = (state = new ParserState(text, parametersFile));
    p.nestedResource = (decorators) => parseResource(p, decorators, decorators[0]?.start ?? p.tok.start);
    try {
      parseStatements(p, statements);
    } finally {
      // The lexer's diagnostics come first, as when the whole file was lexed before parsing.
      p.finishLexing();
      // Not push(...all): a file of a million stray characters would overflow the argument list.
      for (const d of p.lexerDiagnostics) diagnostics.push(d);
      for (const d of p.diagnostics) diagnostics.push(d);
      if (work) {
        work.tokens = p.lexed;
        work.reads = p.reads;
      }
    }
  } catch (error) {
    // A lexer bug used to stop everything before parsing began: keep reporting it the same way.
    if (state?.lexerFailed) {
      statements.length = 0;
      diagnostics.length = 0;
    }
    // A bug must not take the language server down: keep what was parsed and say so.
    diagnostics.push({ start: 0, end: 0, message: `internal error in the Bicep parser: ${String(error)}` });
  }
  return { statements, diagnostics: firstPerLine(text, diagnostics) };
}

/**
 * Keeps the first diagnostic of each line (the lexer's on a tie). A broken string or stray
 * character usually confuses the parser later on the same line; the second message would only
 * repeat the first one's cause.
 */
function firstPerLine(text: string, diagnostics: SyntaxDiagnostic[]): SyntaxDiagnostic[] {
  const sorted = diagnostics
    .map((d, order) => ({ d, order }))
    .sort((a, b) => a.d.start - b.d.start || a.order - b.order)
    .map(({ d }) => d);
  const kept: SyntaxDiagnostic[] = [];
  let line = 0;
  let scanned = 0;
  let lastLine = -1;
  for (const d of sorted) {
    for (; scanned < d.start && scanned < text.length; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 10 || (c === 13 && text.charCodeAt(scanned + 1) !== 10)) line++;
    }
    if (line !== lastLine) kept.push(d);
    lastLine = line;
  }
  return kept;
}

function parseStatements(p: ParserState, statements: Statement[]): void {
  // The indentation of the last declaration: recovery resumes at a declaration no deeper.
  let indent = 0;
  for (;;) {
    p.skipNewlines();
    if (p.at('EndOfFile')) return;
    const before = p.pos;
    const t = p.tok;
    if (t.kind === 'At' || p.isDeclarationKeyword(t)) {
      // After an error, only a line that clearly starts a declaration, at the indentation of
      // the broken one or less, ends the recovery: the lines of a broken declaration's body
      // (`name: x`, `type: 'y'`, `}`, an indented `@description(…)`) are skipped quietly.
      if (p.recovering && (!p.looksLikeDeclaration(p.pos, 'none') || column(p.text, t.start) > indent)) p.skipUntil();
      else {
        p.recovering = false;
        indent = column(p.text, t.start);
        const statement = parseStatement(p);
        if (statement !== undefined) statements.push(statement);
        endStatement(p);
      }
    } else {
      p.error(
        t,
        t.kind === 'Identifier'
          ? `unknown declaration '${t.value}': expected param, var, resource, module, output, type, func, import, metadata or targetScope`
          : 'expected a declaration (param, var, resource, module, output, …)',
      );
      p.skipUntil();
    }
    if (p.pos === before) p.advance();
  }
}

function column(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return offset - start;
}

/** A declaration ends at its line end; anything else on the line is one error and is skipped. */
function endStatement(p: ParserState): void {
  if (p.at('NewLine') || p.at('EndOfFile')) return;
  if (p.at('Semicolon')) p.expected("Bicep statements end at the end of the line: remove the ';'");
  else p.expected('expected a new line after the declaration');
  p.skipUntil();
}

function parseStatement(p: ParserState): Statement | undefined {
  const decorators = parseDecorators(p);
  const start = decorators[0]?.start ?? p.tok.start;
  if (!p.isDeclarationKeyword(p.tok)) {
    p.expected('expected a declaration after the decorators');
    return undefined;
  }
  switch (p.tok.value) {
    case 'using':
    case 'extends':
      return parseUsing(p, decorators, start);
    case 'param':
      return parseParam(p, decorators, start);
    case 'var':
      return parseVar(p, decorators, start);
    case 'output':
      return parseOutput(p, decorators, start);
    case 'resource':
      return parseResource(p, decorators, start);
    case 'module':
      return parseModule(p, decorators, start);
    case 'func':
      return parseFunc(p, decorators, start);
    case 'import':
      return parseImport(p, decorators, start);
    case 'extension':
      return parseExtension(p, decorators, start);
    case 'type':
      return parseTypeDeclaration(p, decorators, start);
    default:
      return parseValueDeclaration(p, decorators, start);
  }
}

interface Name {
  readonly name: string | undefined;
  readonly nameSpan: Span;
}

/** The declared identifier, or undefined with a zero-width span and an error. */
function expectName(p: ParserState, message: string): Name {
  const t = p.tok;
  if (t.kind === 'Identifier') {
    p.advance();
    return { name: t.value, nameSpan: { start: t.start, end: t.end } };
  }
  const at = p.missing();
  p.expected(message);
  return { name: undefined, nameSpan: { start: at.start, end: at.end } };
}

/** `= value`, or a placeholder after reporting `message`. */
function expectValue(p: ParserState, message: string): Expression {
  if (!p.at('Assignment')) {
    p.expected(message);
    return p.missing();
  }
  p.advance();
  return parseExpression(p);
}

function isString(p: ParserState): boolean {
  return p.at('StringComplete') || p.at('StringLeftPiece') || p.at('MultilineString');
}

/** `using './main.bicep'`, `using none`, `extends './base.bicepparam'` (a `.bicepparam` file). */
function parseUsing(p: ParserState, decorators: Decorator[], start: number): Statement {
  const keyword = p.advance();
  const kind = keyword.value === 'extends' ? 'extends' : 'using';
  let path: string | undefined;
  let pathSpan: Span = { start: p.prevEnd, end: p.prevEnd };
  if (isString(p)) {
    const s = parseString(p);
    pathSpan = { start: s.start, end: s.end };
    path = s.holes.length === 0 ? s.segments[0] : undefined;
  } else if (kind === 'using' && p.atWord('none')) {
    const none = p.advance();
    pathSpan = { start: none.start, end: none.end };
  } else p.expected(kind === 'using' ? "expected the template path after using, e.g. './main.bicep', or none" : "expected the base parameters file after extends, e.g. './base.bicepparam'");
  return { kind, decorators, name: undefined, nameSpan: pathSpan, path, pathSpan, start, end: p.prevEnd };
}

function parseParam(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  const name = expectName(p, 'expected a parameter name after param');
  let typeText = '';
  let defaultValue: Expression | undefined;
  if (name.name !== undefined) {
    if (p.atWord('resource') && p.kindAt(p.pos + 1) === 'StringComplete') {
      const keyword = p.advance();
      typeText = p.text.slice(keyword.start, p.advance().end);
    } else if (p.parametersFile && p.at('Assignment')) {
      // `param x = value` in a .bicepparam file: the type is the template's.
    } else if (canStartType(p.tok.kind)) {
      const span = parseType(p);
      typeText = p.text.slice(span.start, span.end);
    } else p.expected(`expected a type for the parameter '${name.name}' (string, int, bool, object, array or a declared type)`);
    if (p.at('Assignment')) {
      p.advance();
      defaultValue = parseExpression(p);
    }
  }
  return { kind: 'param', decorators, name: name.name, nameSpan: name.nameSpan, typeText, defaultValue, start, end: p.prevEnd };
}

function parseVar(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  const name = expectName(p, 'expected a variable name after var');
  let value: Expression = p.missing();
  if (name.name !== undefined) {
    // A typed variable: `var x string = …`.
    if (!p.at('Assignment') && canStartType(p.tok.kind)) parseType(p);
    value = expectValue(p, `expected '=' and a value for the variable '${name.name}'`);
  }
  return { kind: 'var', decorators, name: name.name, nameSpan: name.nameSpan, value, start, end: p.prevEnd };
}

function parseOutput(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  const name = expectName(p, 'expected an output name after output');
  let value: Expression = p.missing();
  if (name.name !== undefined) {
    if (p.atWord('resource')) {
      p.advance();
      if (p.at('StringComplete')) p.advance();
    } else if (canStartType(p.tok.kind)) parseType(p);
    else p.expected(`expected a type for the output '${name.name}'`);
    value = expectValue(p, `expected '=' and a value for the output '${name.name}'`);
  }
  return { kind: 'output', decorators, name: name.name, nameSpan: name.nameSpan, value, start, end: p.prevEnd };
}

/** A top-level or nested `resource name 'Type@version' [existing] = body`. */
function parseResource(p: ParserState, decorators: Decorator[], start: number): ResourceDeclaration {
  p.advance();
  const name = expectName(p, 'expected a resource name after resource');
  let type: string | undefined;
  let typeSpan: Span = { start: p.prevEnd, end: p.prevEnd };
  let existing = false;
  let condition: Expression | undefined;
  let body: Expression = p.missing();
  if (name.name !== undefined) {
    if (isString(p)) {
      const s = parseString(p);
      typeSpan = { start: s.start, end: s.end };
      type = s.holes.length === 0 ? s.segments[0] : undefined;
      if (p.atWord('existing')) {
        p.advance();
        existing = true;
      }
      if (assignment(p, "expected '=' after the resource type")) ({ condition, body } = parseBody(p, 'resource'));
    } else p.expected("expected the resource type after the name, e.g. 'Microsoft.Network/virtualNetworks@2024-05-01'");
  }
  return { kind: 'resource', decorators, name: name.name, nameSpan: name.nameSpan, type, typeSpan, existing, condition, body, start, end: p.prevEnd };
}

function parseModule(p: ParserState, decorators: Decorator[], start: number): ModuleDeclaration {
  p.advance();
  const name = expectName(p, 'expected a module name after module');
  let path: string | undefined;
  let pathSpan: Span = { start: p.prevEnd, end: p.prevEnd };
  let condition: Expression | undefined;
  let body: Expression = p.missing();
  if (name.name !== undefined) {
    if (isString(p)) {
      const s = parseString(p);
      pathSpan = { start: s.start, end: s.end };
      path = s.holes.length === 0 ? s.segments[0] : undefined;
      if (assignment(p, "expected '=' after the module path")) ({ condition, body } = parseBody(p, 'module'));
    } else p.expected("expected the module path after the name, e.g. './network.bicep'");
  }
  return { kind: 'module', decorators, name: name.name, nameSpan: name.nameSpan, path, pathSpan, condition, body, start, end: p.prevEnd };
}

/**
 * Consumes the `=` before a resource or module body. When it is missing but a body follows on
 * the line, the error is reported and the body is still parsed.
 */
function assignment(p: ParserState, message: string): boolean {
  if (p.at('Assignment')) {
    p.advance();
    return true;
  }
  p.expected(p.at('Identifier') && !p.atWord('if') ? `${message}, not '${p.tok.value}'` : message);
  return p.at('LeftBrace') || (p.atWord('if') && p.kindAt(p.pos + 1) === 'LeftParen') || (p.at('LeftSquare') && isForAhead(p));
}

/** `{…}`, `if (condition) {…}` or `[for … : …]`; line breaks are allowed after the `=`. */
function parseBody(p: ParserState, what: 'resource' | 'module'): { condition: Expression | undefined; body: Expression } {
  const j = p.afterNewlines();
  if (j > p.pos && !p.looksLikeDeclaration(j, 'none')) p.skipNewlinesTo(j);
  if (p.at('LeftBrace')) return { condition: undefined, body: parseObject(p, true) };
  if (p.atWord('if')) {
    p.advance();
    const condition = parseParenCondition(p);
    if (p.at('LeftBrace')) return { condition, body: parseObject(p, true) };
    p.expected(`expected '{' and the ${what} body after the condition`);
    return { condition, body: p.missing() };
  }
  if (p.at('LeftSquare') && isForAhead(p)) return { condition: undefined, body: parseFor(p, true) };
  p.expected(`expected the ${what} body after '=': '{…}', 'if (…) {…}' or '[for … in …: {…}]'`);
  return { condition: undefined, body: p.missing() };
}

function parseFunc(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  const name = expectName(p, 'expected a function name after func');
  const parameters: string[] = [];
  let body: Expression = p.missing();
  if (name.name !== undefined) {
    if (p.at('LeftParen')) {
      p.advance();
      p.pushCloser('RightParen');
      for (;;) {
        p.skipNewlines();
        if (p.at('RightParen')) {
          p.advance();
          break;
        }
        if (!p.at('Identifier')) {
          p.expected("expected a parameter name or ')'");
          p.skipUntil((k) => k === 'RightParen');
          if (p.at('RightParen')) p.advance();
          break;
        }
        parameters.push(p.advance().value);
        parseType(p);
        p.skipNewlines();
        if (p.at('Comma')) p.advance();
        else if (!p.at('RightParen')) p.expected("expected ',' or ')' after the parameter");
      }
      p.popCloser('RightParen');
      parseType(p);
      if (p.at('Arrow')) {
        p.advance();
        p.skipNewlines();
        body = parseExpression(p);
      } else p.expected("expected '=>' and the function body");
    } else p.expected("expected '(' and the parameters after the function name");
  }
  return { kind: 'func', decorators, name: name.name, nameSpan: name.nameSpan, parameters, body, start, end: p.prevEnd };
}

function other(
  p: ParserState,
  kind: OtherDeclaration['kind'],
  decorators: Decorator[],
  start: number,
  name: Name,
  value: Expression | undefined,
  importedNames: string[] = [],
): OtherDeclaration {
  return { kind, decorators, name: name.name, nameSpan: name.nameSpan, value, importedNames, start, end: p.prevEnd };
}

/** `targetScope = …`, `metadata x = …`, `assert x = …`, `test x 'path' = …`. */
function parseValueDeclaration(p: ParserState, decorators: Decorator[], start: number): Statement {
  const keyword = p.advance();
  const kind = keyword.value as 'targetScope' | 'metadata' | 'assert' | 'test';
  if (kind === 'targetScope') {
    const name = { name: 'targetScope', nameSpan: { start: keyword.start, end: keyword.end } };
    return other(p, kind, decorators, start, name, expectValue(p, "expected '=' and a scope after targetScope"));
  }
  const name = expectName(p, `expected a name after ${kind}`);
  if (name.name === undefined) return other(p, kind, decorators, start, name, undefined);
  if (kind === 'test') {
    if (isString(p)) parseString(p);
    else p.expected("expected the path of the file to test, e.g. './main.bicep'");
  }
  return other(p, kind, decorators, start, name, expectValue(p, `expected '=' and a value for the ${kind} '${name.name}'`));
}

function parseTypeDeclaration(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  const name = expectName(p, 'expected a type name after type');
  if (name.name !== undefined) {
    if (p.at('Assignment')) {
      p.advance();
      parseType(p);
    } else p.expected(`expected '=' and a type for the type '${name.name}'`);
  }
  return other(p, 'type', decorators, start, name, undefined);
}

/**
 * `import {a, b as c} from 'x'`, `import * as ns from 'x'`, and the legacy `import 'az@1.0.0'
 * [with {…}] [as ns]`. The declaration's name is the namespace alias when there is one.
 */
function parseImport(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  const importedNames: string[] = [];
  let name: Name = { name: undefined, nameSpan: { start: p.prevEnd, end: p.prevEnd } };
  const expectFrom = () => {
    if (!p.atWord('from')) p.expected("expected 'from' and the file to import from");
    else {
      p.advance();
      if (isString(p)) parseString(p);
      else p.expected('expected the path of the file to import from');
    }
  };
  if (p.at('LeftBrace')) {
    const open = p.advance();
    const end = parseListBody(p, 'RightBrace', 'imported names', 'none', () => {
      const t = p.tok;
      if (t.kind === 'Identifier' || isString(p)) {
        if (t.kind === 'Identifier') p.advance();
        else parseString(p);
        if (p.atWord('as')) {
          p.advance();
          const alias = expectName(p, "expected a name after 'as'");
          if (alias.name !== undefined) importedNames.push(alias.name);
        } else if (t.kind === 'Identifier') importedNames.push(t.value);
        else p.expected("a quoted name must be given a name: add 'as name'");
      } else {
        p.expected('expected a name to import');
        p.skipUntil((k) => k === 'Comma');
      }
    });
    name = { name: undefined, nameSpan: { start: open.start, end } };
    expectFrom();
  } else if (p.at('Asterisk')) {
    p.advance();
    if (p.atWord('as')) {
      p.advance();
      name = expectName(p, "expected a namespace name after 'as'");
      if (name.name !== undefined) {
        importedNames.push(name.name);
        expectFrom();
      }
    } else p.expected("expected 'as' and a namespace name after '*'");
  } else if (isString(p)) {
    parseString(p);
    name = withAndAlias(p, importedNames) ?? name;
  } else p.expected("expected '{', '*' or a string after import");
  return other(p, 'import', decorators, start, name, undefined, importedNames);
}

/** `extension kubernetes with {…} as k8s`, `extension 'br:…' as x`. */
function parseExtension(p: ParserState, decorators: Decorator[], start: number): Statement {
  p.advance();
  let name: Name = { name: undefined, nameSpan: { start: p.prevEnd, end: p.prevEnd } };
  const importedNames: string[] = [];
  if (p.at('Identifier')) {
    const t = p.advance();
    name = { name: t.value, nameSpan: { start: t.start, end: t.end } };
  } else if (isString(p)) parseString(p);
  else {
    p.expected('expected an extension name or reference after extension');
    return other(p, 'extension', decorators, start, name, undefined);
  }
  const alias = withAndAlias(p, importedNames);
  if (alias !== undefined) name = alias;
  else if (name.name !== undefined) importedNames.push(name.name);
  return other(p, 'extension', decorators, start, name, undefined, importedNames);
}

/** The optional `with {…}` and `as alias` tail of extension and legacy import declarations. */
function withAndAlias(p: ParserState, importedNames: string[]): Name | undefined {
  if (p.atWord('with')) {
    p.advance();
    if (p.at('LeftBrace')) parseObject(p, false);
    else p.expected("expected '{' and a configuration object after 'with'");
  }
  if (!p.atWord('as')) return undefined;
  p.advance();
  const alias = expectName(p, "expected a name after 'as'");
  if (alias.name !== undefined) importedNames.push(alias.name);
  return alias;
}
