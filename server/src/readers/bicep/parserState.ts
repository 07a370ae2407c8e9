// The parser's cursor over the tokens, its diagnostics, and the error-recovery machinery
// shared by statements, expressions and types: cascade suppression, bracket-aware skipping,
// the stack of closers enclosing constructs wait for, and the nesting-depth cap.

import { Lexer, type Token, type TokenKind, type TokenSink } from './lexer';
import type { Decorator, ErrorExpression, ResourceDeclaration, Span, SyntaxDiagnostic } from './syntax';

/** Deeper nesting than this is reported and skipped, so `[[[[…` cannot overflow the stack. */
export const MAX_NESTING_DEPTH = 200;

/** What a bracket list allows at the start of a line besides its elements (see looksLikeDeclaration). */
export type LineStarts = 'none' | 'resources' | 'decorators';

/** A closing token an enclosing construct waits for; `hole` is a string's `}…${` or `}…'`. */
export type Closer = 'RightParen' | 'RightSquare' | 'RightBrace' | 'hole';

/** Words that start a declaration at the top of a file. */
const DECLARATION_KEYWORDS = new Set([
  'targetScope',
  'metadata',
  'param',
  'var',
  'output',
  'resource',
  'module',
  'type',
  'func',
  'import',
  'extension',
  'assert',
  'test',
]);

/** Words that start a declaration in a `.bicepparam` file besides those. */
const PARAMETERS_FILE_KEYWORDS = new Set([...DECLARATION_KEYWORDS, 'using', 'extends']);

/** The lookahead window's first size; it doubles when a lookahead reaches further (a long lambda head). */
const INITIAL_WINDOW = 64;

/** How far ahead of a token the parser asks for the lexer goes in one go. */
const LEX_AHEAD = 32;

export class ParserState implements TokenSink {
  /** The cursor: the index of the current token in the file's token sequence. */
  pos = 0;
  readonly diagnostics: SyntaxDiagnostic[] = [];
  /**
   * Set by every error (reported or not) and cleared only where the parser is surely back in
   * step: at the next line that starts a declaration. While set, errors are not reported, so one
   * typo gives one diagnostic even when it unbalances brackets for the rest of the declaration.
   */
  recovering = false;
  /** Parses a nested `resource` inside an object body; set by the statement parser. */
  nestedResource: (decorators: Decorator[]) => ResourceDeclaration = () => {
    throw new Error('nestedResource is not set');
  };
  private lastEnd = 0;
  private peekedFrom = -1;
  private peekedTo = -1;
  private depth = 0;
  private readonly waiting: Record<Closer, number> = { RightParen: 0, RightSquare: 0, RightBrace: 0, hole: 0 };

  // Tokens are lexed as the parser reaches them and kept in a ring from the one before the cursor
  // (looksLikeDeclaration looks one back) to the furthest lookahead: token i is in slot i & mask.
  // The parser never looks further back, so tokens die young instead of all living to the end.
  private readonly lexer: Lexer;
  private window: Token[] = new Array<Token>(INITIAL_WINDOW);
  private mask = INITIAL_WINDOW - 1;
  /** How many tokens have been lexed; those from the one before the cursor on are in the window. */
  private filled = 0;
  /**
   * The index of the EndOfFile token once lexed: lookahead past it answers EndOfFile. Until then
   * a bound no file reaches, kept a small integer so V8 keeps this field and its users unboxed.
   */
  private lastIndex = 2 ** 30;
  /** The lexer threw: parseBicep then reports it as it did when the whole file was lexed first. */
  lexerFailed = false;
  /** Token lookups so far: the parser's work as a count, which tests bound by the number of tokens. */
  reads = 0;

  /** The declaration words of the file's kind: a `.bicepparam` file also has `using` and `extends`. */
  private readonly keywords: ReadonlySet<string>;

  constructor(
    readonly text: string,
    /** A `.bicepparam` file: `using`, `extends`, and `param x = value` without a type. */
    readonly parametersFile = false,
  ) {
    this.lexer = new Lexer(text, this);
    this.keywords = parametersFile ? PARAMETERS_FILE_KEYWORDS : DECLARATION_KEYWORDS;
  }

  /** Tokens lexed so far (all of them once finishLexing has run, EndOfFile included). */
  get lexed(): number {
    return this.filled;
  }

  /** The lexer's diagnostics, complete once finishLexing has run. */
  get lexerDiagnostics(): readonly SyntaxDiagnostic[] {
    return this.lexer.diagnostics;
  }

  /** Lexes the rest of the file, for the lexer's diagnostics after the parser stopped early. */
  finishLexing(): void {
    // After a lexer exception its state is unknown: the exception is what gets reported.
    if (this.lexerFailed) return;
    while (this.filled <= this.lastIndex) {
      // The tokens are not needed: moving the cursor keeps the window from growing to hold them.
      this.pos = this.filled;
      this.lexUpTo(this.filled);
    }
  }

  /** Called by the lexer for each token. */
  add(token: Token): void {
    // Slots from the one before the cursor on are still needed: grow rather than overwrite them.
    if (this.filled - this.pos + 1 >= this.window.length) this.grow();
    this.window[this.filled & this.mask] = token;
    if (token.kind === 'EndOfFile') this.lastIndex = this.filled;
    this.filled++;
  }

  private grow(): void {
    const size = this.window.length * 2;
    const window = new Array<Token>(size);
    for (let i = Math.max(0, this.pos - 1); i < this.filled; i++) window[i & (size - 1)] = this.window[i & this.mask]!;
    this.window = window;
    this.mask = size - 1;
  }

  get tok(): Token {
    return this.token(this.pos);
  }

  /** Token i (at least the one before the cursor); past the end of the file, EndOfFile. */
  token(i: number): Token {
    this.reads++;
    if (i < this.filled) return this.window[i & this.mask]!;
    return this.lexUpTo(i);
  }

  private lexUpTo(i: number): Token {
    // A few tokens beyond i at a time (as many as the window holds without growing): the lexer's
    // loop stays hot, and the parser asks for tokens less often.
    const until = Math.max(i + 1, Math.min(i + LEX_AHEAD, this.pos + this.window.length - 1));
    try {
      while (this.filled < until && this.lexer.step()) {
        // Each step adds a token.
      }
    } catch (error) {
      this.lexerFailed = true;
      throw error;
    }
    return this.window[Math.min(i, this.lastIndex) & this.mask]!;
  }

  kindAt(i: number): TokenKind {
    return this.token(i).kind;
  }

  at(kind: TokenKind): boolean {
    return this.tok.kind === kind;
  }

  atWord(word: string): boolean {
    const t = this.tok;
    return t.kind === 'Identifier' && t.value === word;
  }

  /** Consumes the current token (never the end of file) and returns it. */
  advance(): Token {
    const t = this.tok;
    if (t.kind !== 'EndOfFile') {
      this.pos++;
      if (t.kind !== 'NewLine') this.lastEnd = t.end;
    }
    // A token the lexer reported (say, a string that swallowed a `{`) may unbalance the rest of
    // the declaration: what follows is its consequence, not news.
    if (t.diagnosed) this.recovering = true;
    return t;
  }

  /** The index of the first token at or after `i` that is not a NewLine. */
  afterNewlines(i = this.pos): number {
    // Every nesting level peeks past the same newlines at an expression's end; remembering the
    // last answer keeps that linear.
    if (i === this.peekedFrom) return this.peekedTo;
    this.peekedFrom = i;
    while (this.kindAt(i) === 'NewLine') i++;
    this.peekedTo = Math.min(i, this.lastIndex);
    return this.peekedTo;
  }

  /** Moves to `j`, which must only be past NewLine tokens. */
  skipNewlinesTo(j: number): void {
    this.pos = j;
  }

  skipNewlines(): void {
    this.pos = this.afterNewlines();
  }

  /** The end of the last consumed token that is not a NewLine: where a missing thing goes. */
  get prevEnd(): number {
    return this.lastEnd;
  }

  /** The token an "expected …" error is about, or a zero-width span after the last token at a line end. */
  offending(): Span {
    const t = this.tok;
    if (t.kind === 'NewLine' || t.kind === 'EndOfFile') return { start: this.lastEnd, end: this.lastEnd };
    return { start: t.start, end: t.end };
  }

  /** Reports an error unless one is already being recovered from or the lexer flagged this token. */
  error(span: Span, message: string): void {
    if (!this.recovering && !this.diagnosedHere()) this.diagnostics.push({ start: span.start, end: span.end, message });
    this.recovering = true;
  }

  /** The lexer reported the current token, or a problem running to the end of the file that follows. */
  private diagnosedHere(): boolean {
    const t = this.tok;
    if (t.kind === 'NewLine') {
      const next = this.token(this.afterNewlines());
      return next.kind === 'EndOfFile' && next.diagnosed;
    }
    return t.diagnosed;
  }

  expected(message: string): void {
    this.error(this.offending(), message);
  }

  /** A zero-width placeholder where an expression is missing: right after the last token, inside its parent. */
  missing(): ErrorExpression {
    return { kind: 'error', start: this.lastEnd, end: this.lastEnd };
  }

  // ---- Closers ----

  pushCloser(closer: Closer): void {
    this.waiting[closer]++;
  }

  popCloser(closer: Closer): void {
    this.waiting[closer]--;
  }

  /** Whether an enclosing construct waits for a token of this kind: lists stop there without consuming it. */
  isAwaitedCloser(kind: TokenKind): boolean {
    switch (kind) {
      case 'RightParen':
      case 'RightSquare':
      case 'RightBrace':
        return this.waiting[kind] > 0;
      case 'StringMiddlePiece':
      case 'StringRightPiece':
        return this.waiting.hole > 0;
      default:
        return false;
    }
  }

  // ---- Lookahead for recovery ----

  /**
   * Whether token `i` starts a line that can only be a new declaration (`param x`, `resource r`,
   * `targetScope =`, `@description`): a bracket list that meets one is missing its closer.
   * Nested resources and decorators are allowed at line starts inside resource bodies and types.
   */
  looksLikeDeclaration(i: number, allowed: LineStarts): boolean {
    if (i > 0 && this.kindAt(i - 1) !== 'NewLine') return false;
    const t = this.token(i);
    const next = this.kindAt(i + 1);
    if (t.kind === 'At') {
      if (next !== 'Identifier') return false;
      if (allowed === 'none') return true;
      // In a resource body, decorators may precede a nested resource; any other declaration
      // after them means the body's `}` is missing.
      if (allowed === 'resources') {
        const decorated = this.afterDecorators(i);
        return !(this.token(decorated).kind === 'Identifier' && this.token(decorated).value === 'resource') && this.looksLikeDeclaration(decorated, 'none');
      }
      return false;
    }
    if (t.kind !== 'Identifier' || !this.keywords.has(t.value)) return false;
    switch (t.value) {
      case 'using':
      case 'extends':
        return next === 'StringComplete' || next === 'Identifier';
      case 'targetScope':
        return next === 'Assignment';
      case 'import':
        return next === 'LeftBrace' || next === 'Asterisk' || next === 'StringComplete';
      case 'extension':
        return next === 'Identifier' || next === 'StringComplete';
      case 'resource':
        return allowed !== 'resources' && next === 'Identifier';
      default:
        return next === 'Identifier';
    }
  }

  /** The index of the first token after the decorator lines starting at `i`. */
  private afterDecorators(i: number): number {
    while (this.kindAt(i) === 'At') {
      while (this.kindAt(i) !== 'NewLine' && this.kindAt(i) !== 'EndOfFile') i++;
      i = this.afterNewlines(i);
    }
    return i;
  }

  isDeclarationKeyword(t: Token): boolean {
    return t.kind === 'Identifier' && this.keywords.has(t.value);
  }

  /** A declaration at column 0 ends any skipping: brackets left open before it are lost causes. */
  private declarationAtColumnZero(i: number): boolean {
    const t = this.token(i);
    const before = this.text.charCodeAt(t.start - 1);
    const column0 = t.start === 0 || before === 10 || before === 13 || (t.start === 1 && before === 0xfeff);
    return column0 && this.looksLikeDeclaration(i, 'none');
  }

  /**
   * Skips tokens after an error, up to a NewLine or a `stop` kind at bracket depth 0, a closer an
   * enclosing construct waits for, or the end of the file. Brackets opened while skipping are
   * skipped whole, across lines, but never past a column-0 line that starts a declaration.
   */
  skipUntil(stop?: (kind: TokenKind) => boolean): void {
    let depth = 0;
    for (;;) {
      const t = this.tok;
      if (t.kind === 'EndOfFile') return;
      if (t.kind === 'NewLine') {
        if (depth === 0) return;
        if (this.declarationAtColumnZero(this.afterNewlines())) return;
      } else if (depth === 0 && (stop?.(t.kind) || this.isAwaitedCloser(t.kind))) {
        return;
      } else if (isOpener(t.kind)) {
        depth++;
      } else if (isCloser(t.kind) && t.kind !== 'StringMiddlePiece' && depth > 0) {
        depth--;
      }
      this.advance();
    }
  }

  // ---- Nesting depth ----

  /** Enters one nesting level; false when the cap is reached (then call tooDeep instead of recursing). */
  enter(): boolean {
    if (this.depth >= MAX_NESTING_DEPTH) return false;
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }

  /** Reports nesting beyond the cap and skips the bracketed group at the cursor without recursing. */
  tooDeep(): ErrorExpression {
    const start = this.offending().start;
    this.error(this.offending(), `nested too deeply: more than ${MAX_NESTING_DEPTH} levels of brackets or expressions`);
    let depth = 0;
    do {
      const t = this.tok;
      if (t.kind === 'EndOfFile' || (depth === 0 && (t.kind === 'NewLine' || this.isAwaitedCloser(t.kind)))) break;
      if (t.kind === 'NewLine' && this.declarationAtColumnZero(this.afterNewlines())) break;
      if (isOpener(t.kind)) depth++;
      else if (isCloser(t.kind) && t.kind !== 'StringMiddlePiece' && depth > 0) depth--;
      this.advance();
    } while (depth > 0);
    return { kind: 'error', start, end: Math.max(start, this.prevEnd) };
  }
}

export function isOpener(kind: TokenKind): boolean {
  return kind === 'LeftParen' || kind === 'LeftSquare' || kind === 'LeftBrace' || kind === 'StringLeftPiece';
}

export function isCloser(kind: TokenKind): boolean {
  return (
    kind === 'RightParen' ||
    kind === 'RightSquare' ||
    kind === 'RightBrace' ||
    kind === 'StringMiddlePiece' ||
    kind === 'StringRightPiece'
  );
}

/** Token kinds an expression can start with. */
export function canStartExpression(kind: TokenKind): boolean {
  switch (kind) {
    case 'Identifier':
    case 'Integer':
    case 'TrueKeyword':
    case 'FalseKeyword':
    case 'NullKeyword':
    case 'StringComplete':
    case 'StringLeftPiece':
    case 'MultilineString':
    case 'LeftSquare':
    case 'LeftBrace':
    case 'LeftParen':
    case 'Exclamation':
    case 'Minus':
      return true;
    default:
      return false;
  }
}

/** Identifier-like tokens usable as property names: `true`, `false` and `null` are names after `.` too. */
export function isNameToken(kind: TokenKind): boolean {
  return kind === 'Identifier' || kind === 'TrueKeyword' || kind === 'FalseKeyword' || kind === 'NullKeyword';
}
