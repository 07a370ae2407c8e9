// The Bicep lexer: text -> tokens with UTF-16 offsets, trivia dropped, never throws.
// Token kinds reuse the names of the official lexer so our output can be compared with its
// `.tokens.bicep` baselines. A mode stack tells a `}` that ends a string hole (`'a${x}b'`) from
// one that ends an object, so interpolated strings come out as left/middle/right pieces.

import type { SyntaxDiagnostic } from './syntax';

export type TokenKind =
  | 'Identifier'
  | 'Integer'
  | 'TrueKeyword'
  | 'FalseKeyword'
  | 'NullKeyword'
  | 'StringComplete'
  | 'StringLeftPiece'
  | 'StringMiddlePiece'
  | 'StringRightPiece'
  | 'MultilineString'
  | 'LeftBrace'
  | 'RightBrace'
  | 'LeftParen'
  | 'RightParen'
  | 'LeftSquare'
  | 'RightSquare'
  | 'Comma'
  | 'Dot'
  | 'Ellipsis'
  | 'Colon'
  | 'DoubleColon'
  | 'Semicolon'
  | 'Question'
  | 'DoubleQuestion'
  | 'Assignment'
  | 'Equals'
  | 'EqualsInsensitive'
  | 'Arrow'
  | 'NotEquals'
  | 'NotEqualsInsensitive'
  | 'Exclamation'
  | 'LessThan'
  | 'LessThanOrEqual'
  | 'GreaterThan'
  | 'GreaterThanOrEqual'
  | 'Plus'
  | 'Minus'
  | 'Asterisk'
  | 'Slash'
  | 'Modulo'
  | 'LogicalAnd'
  | 'LogicalOr'
  | 'Pipe'
  | 'Hat'
  | 'At'
  | 'NewLine'
  | 'Unrecognized'
  | 'EndOfFile';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** Identifier text, or a string piece's content with escapes decoded; '' for other tokens. */
  readonly value: string;
  /** The lexer already reported a problem with this token; the parser stays quiet about it. */
  readonly diagnosed: boolean;
}

export interface LexResult {
  /** Always ends with exactly one EndOfFile token. */
  readonly tokens: Token[];
  readonly diagnostics: SyntaxDiagnostic[];
}

/** Longest-match punctuators, three characters first. */
const PUNCTUATORS: readonly (readonly [string, TokenKind])[] = [
  ['...', 'Ellipsis'],
  ['::', 'DoubleColon'],
  ['??', 'DoubleQuestion'],
  ['==', 'Equals'],
  ['=~', 'EqualsInsensitive'],
  ['=>', 'Arrow'],
  ['!=', 'NotEquals'],
  ['!~', 'NotEqualsInsensitive'],
  ['<=', 'LessThanOrEqual'],
  ['>=', 'GreaterThanOrEqual'],
  ['&&', 'LogicalAnd'],
  ['||', 'LogicalOr'],
  ['{', 'LeftBrace'],
  ['}', 'RightBrace'],
  ['(', 'LeftParen'],
  [')', 'RightParen'],
  ['[', 'LeftSquare'],
  [']', 'RightSquare'],
  [',', 'Comma'],
  ['.', 'Dot'],
  [':', 'Colon'],
  [';', 'Semicolon'],
  ['?', 'Question'],
  ['=', 'Assignment'],
  ['!', 'Exclamation'],
  ['<', 'LessThan'],
  ['>', 'GreaterThan'],
  ['+', 'Plus'],
  ['-', 'Minus'],
  ['*', 'Asterisk'],
  ['/', 'Slash'],
  ['%', 'Modulo'],
  ['|', 'Pipe'],
  ['^', 'Hat'],
  ['@', 'At'],
];

/** The punctuators by the code of their first character (all ASCII), longest first: one array index per token. */
const PUNCTUATORS_BY_FIRST: (readonly (readonly [string, TokenKind])[] | undefined)[] = [];
for (const entry of PUNCTUATORS) {
  const first = entry[0].charCodeAt(0);
  PUNCTUATORS_BY_FIRST[first] = [...(PUNCTUATORS_BY_FIRST[first] ?? []), entry];
}

function punctuatorsStartingWith(c: number): readonly (readonly [string, TokenKind])[] | undefined {
  return c < PUNCTUATORS_BY_FIRST.length ? PUNCTUATORS_BY_FIRST[c] : undefined;
}

const PRAGMAS = ['#disable-next-line', '#disable-diagnostics', '#restore-diagnostics'];

const MAX_IDENTIFIER_LENGTH = 255;

/**
 * What an open `{` or `${` on the mode stack is waiting for. A hole remembers its string's start
 * (for the "unterminated" message) and, for `$'''` strings, how many dollars open a hole (0 for a
 * single-line string, where a newline ends the string).
 */
type Mode = { readonly kind: 'brace' } | Hole;

interface Hole {
  readonly kind: 'hole';
  readonly stringStart: number;
  readonly dollars: number;
  /** The string's "unterminated" error was already reported (by a string opened inside the hole). */
  reported: boolean;
}

const BRACE: Mode = { kind: 'brace' };

const isIdentifierStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentifierPart = (c: number) => isIdentifierStart(c) || isDigit(c);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNewline = (c: number) => c === 10 || c === 13;
const isHexDigit = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Where a lexer's tokens go, in order: an array (lexBicep) or the parser's lookahead window. */
export interface TokenSink {
  add(token: Token): void;
}

/** Splits Bicep source into tokens; unknown characters become Unrecognized tokens with a diagnostic. */
export function lexBicep(text: string): LexResult {
  const tokens: Token[] = [];
  const lexer = new Lexer(text, { add: (token) => tokens.push(token) });
  while (lexer.step()) {
    // Each step adds at least one token.
  }
  return { tokens, diagnostics: lexer.diagnostics };
}

/**
 * Lexes on demand: each step adds the next token(s) to the sink. The parser pulls tokens as it
 * needs them, so a token lives only while the parser looks at it. Lexed all at once, every token
 * of a big file (700,000 for 4 MB) lived to the end of the parse and the garbage collector copied
 * each one twice on its way to the old generation.
 */
export class Lexer {
  readonly diagnostics: SyntaxDiagnostic[] = [];
  private readonly modes: Mode[] = [];
  private pos = 0;
  /** Only whitespace so far on this line: where a `#disable-next-line` pragma may start. */
  private lineIsBlank = true;
  /** Lexer errors starting in [quietFrom, quietTo) are not reported (see quietNextLine). */
  private quietFrom = 0;
  private quietTo = 0;
  /** Something reported is still open at the end of the file: closers missing there are its consequence. */
  private openAtEnd = false;
  /** The last token added: whether the file ends in an Unrecognized run decides how EndOfFile is flagged. */
  private lastKind: TokenKind | undefined;
  private lastEnd = 0;
  private ended = false;

  constructor(
    private readonly text: string,
    private readonly sink: TokenSink,
  ) {
    this.values = new ValueTable(text);
    // The BOM is trivia: offsets keep indexing the original text.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** Adds the next token (a few at a string's end) to the sink; false once EndOfFile has been added. */
  step(): boolean {
    if (this.ended) return false;
    const text = this.text;
    this.skipTrivia();
    if (this.pos >= text.length) {
      this.end();
      return false;
    }
    const c = text.charCodeAt(this.pos);
    if (isNewline(c)) {
      if (this.closeSingleLineHoleAtNewline()) return true;
      const start = this.pos;
      while (this.pos < text.length && isNewline(text.charCodeAt(this.pos))) this.pos++;
      this.push('NewLine', start, this.pos);
      this.lineIsBlank = true;
      return true;
    }
    this.lineIsBlank = false;
    this.lexToken(c);
    return true;
  }

  private end(): void {
    const text = this.text;
    this.closeHolesAtEndOfFile();
    // A reported problem that runs to the end (unterminated comment or string) explains whatever
    // the parser misses there, such as closing brackets: the parser stays quiet at this token.
    const endsInError = this.lastKind === 'Unrecognized' && this.lastEnd === text.length;
    this.push('EndOfFile', text.length, text.length, '', this.openAtEnd || endsInError);
    this.ended = true;
  }

  private push(kind: TokenKind, start: number, end: number, value = '', diagnosed = false): void {
    this.lastKind = kind;
    this.lastEnd = end;
    this.sink.add({ kind, start, end, value, diagnosed });
  }

  /** Token values seen in this file: a name written many times is kept once (programs stay in memory). */
  private readonly values: ValueTable;

  private report(start: number, end: number, message: string): void {
    if (start >= this.quietFrom && start < this.quietTo) return;
    this.diagnostics.push({ start, end, message });
  }

  /**
   * A string broken by a line break leaves its tail on the next line, where the closing quote
   * opens another string and the rest lexes as nonsense. One diagnostic is enough: the next
   * line's lexer errors are not reported (its tokens stay marked, so the parser is quiet too).
   */
  private quietNextLine(lineBreak: number): void {
    const text = this.text;
    let i = lineBreak;
    if (text.startsWith('\r\n', i)) i += 2;
    else if (i < text.length) i += 1;
    while (i < text.length && !isNewline(text.charCodeAt(i))) i++;
    this.quietFrom = lineBreak;
    this.quietTo = i;
  }

  private lexToken(c: number): void {
    const text = this.text;
    const start = this.pos;
    if (isIdentifierStart(c)) {
      let end = start + 1;
      while (end < text.length && isIdentifierPart(text.charCodeAt(end))) end++;
      this.pos = end;
      const word = this.values.range(start, end);
      if (word === 'true') this.push('TrueKeyword', start, end, word);
      else if (word === 'false') this.push('FalseKeyword', start, end, word);
      else if (word === 'null') this.push('NullKeyword', start, end, word);
      else if (word.length > MAX_IDENTIFIER_LENGTH) {
        this.report(start, end, `identifiers are limited to ${MAX_IDENTIFIER_LENGTH} characters; this one has ${word.length}`);
        this.push('Identifier', start, end, word, true);
      } else this.push('Identifier', start, end, word);
      return;
    }
    if (isDigit(c)) {
      let end = start + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      // `1.5` is a common slip; say so once instead of a confusing property access on `1`.
      if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) {
        end += 2;
        while (end < text.length && isDigit(text.charCodeAt(end))) end++;
        this.report(start, end, `Bicep numbers are integers: '${text.slice(start, end)}' is not allowed (use a string or json('…'))`);
        this.pos = end;
        this.push('Integer', start, end, this.values.value(text.slice(start, end)), true);
        return;
      }
      this.pos = end;
      this.push('Integer', start, end, this.values.range(start, end));
      return;
    }
    if (c === 39 /* ' */) {
      if (text.startsWith("'''", start)) this.lexMultilineString(start, start, 0);
      else this.lexSingleLineString(start, start, true);
      return;
    }
    if (c === 36 /* $ */) {
      let quote = start;
      while (text.charCodeAt(quote) === 36) quote++;
      if (text.startsWith("'''", quote)) {
        this.lexMultilineString(start, quote, quote - start);
        return;
      }
    }
    if (c === 34 /* " */) {
      this.lexDoubleQuotedString(start);
      return;
    }
    if (c === 123 /* { */ && this.modes.length > 0) this.modes.push(BRACE);
    if (c === 125 /* } */ && this.modes.length > 0) {
      const mode = this.modes[this.modes.length - 1]!;
      if (mode.kind === 'hole') {
        if (mode.dollars === 0) this.lexSingleLineString(start, mode.stringStart, false);
        else this.lexMultilineString(mode.stringStart, start, mode.dollars, true);
        return;
      }
      this.modes.pop();
    }
    const punctuators = punctuatorsStartingWith(c);
    if (punctuators !== undefined) {
      for (let i = 0; i < punctuators.length; i++) {
        const [punctuator, kind] = punctuators[i]!;
        if (punctuator.length === 1 || text.startsWith(punctuator, start)) {
          this.pos = start + punctuator.length;
          this.push(kind, start, this.pos);
          return;
        }
      }
    }
    this.lexUnrecognized(start);
  }

  /** A run of characters no token starts with becomes one Unrecognized token and one diagnostic. */
  private lexUnrecognized(start: number): void {
    const text = this.text;
    let end = start + 1;
    while (end < text.length && !this.startsSomething(end)) end++;
    this.pos = end;
    const chars = text.slice(start, end);
    let message = `unexpected character${end - start > 1 ? 's' : ''} '${chars}'`;
    if (chars === '&') message += "; the logical and operator is '&&'";
    else if (chars === '$') message += "; only an interpolated multi-line string ($'''…''') starts with '$'";
    else if (chars.startsWith('#')) message += '; a pragma (#disable-next-line …) must start its own line';
    this.report(start, end, message);
    this.push('Unrecognized', start, end, this.values.value(chars), true);
  }

  /** Whether a token, trivia or a line break can start at `at`: where an unrecognized run stops. */
  private startsSomething(at: number): boolean {
    const c = this.text.charCodeAt(at);
    if (isIdentifierStart(c) || isDigit(c) || isNewline(c) || c === 32 || c === 9) return true;
    if (c === 39 || c === 34) return true;
    // `$`, `&` and `#` are tokens only in combinations: `$'''`, `&&`, a pragma at a line start.
    if (c === 36) {
      // Only a run's first dollar can start `$'''` (checking each dollar would be quadratic).
      if (this.text.charCodeAt(at - 1) === 36) return false;
      let quote = at;
      while (this.text.charCodeAt(quote) === 36) quote++;
      return this.text.startsWith("'''", quote);
    }
    if (c === 38) return this.text.charCodeAt(at + 1) === 38;
    if (c === 35) return false;
    return punctuatorsStartingWith(c)?.some(([p]) => p.length === 1) ?? false;
  }

  /** Whitespace, comments and pragmas; inside a `$'''` hole also line breaks. */
  private skipTrivia(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9) {
        this.pos++;
      } else if (c === 47 /* / */ && text.charCodeAt(this.pos + 1) === 47) {
        this.lineIsBlank = false;
        while (this.pos < text.length && !isNewline(text.charCodeAt(this.pos))) this.pos++;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42 /* * */) {
        this.lineIsBlank = false;
        const close = text.indexOf('*/', this.pos + 2);
        if (close < 0) {
          // Underline the opening only: the rest of the file is not the mistake.
          this.report(this.pos, this.pos + 2, 'unterminated multi-line comment: add */');
          this.openAtEnd = true;
          this.pos = text.length;
        } else this.pos = close + 2;
      } else if (c === 35 /* # */ && this.lineIsBlank && this.atPragma()) {
        while (this.pos < text.length && !isNewline(text.charCodeAt(this.pos))) this.pos++;
      } else if (isNewline(c) && this.innermostHole()?.dollars) {
        this.pos++;
      } else return;
    }
  }

  private atPragma(): boolean {
    for (const pragma of PRAGMAS) {
      if (this.text.startsWith(pragma, this.pos)) {
        const after = this.text.charCodeAt(this.pos + pragma.length);
        if (Number.isNaN(after) || after === 32 || after === 9 || isNewline(after)) return true;
      }
    }
    return false;
  }

  private innermostHole(): Hole | undefined {
    for (let i = this.modes.length - 1; i >= 0; i--) {
      const mode = this.modes[i]!;
      if (mode.kind === 'hole') return mode;
    }
    return undefined;
  }

  /**
   * A line break inside a single-line string's hole ends the string: report it once and emit a
   * zero-width right piece so the parser can close the string without an error of its own.
   */
  private closeSingleLineHoleAtNewline(): boolean {
    const hole = this.innermostHole();
    if (hole === undefined || hole.dollars !== 0) return false;
    if (!hole.reported) this.report(hole.stringStart, this.pos, "unterminated string: add the closing } and '");
    this.quietNextLine(this.pos);
    this.popThroughHole();
    this.push('StringRightPiece', this.pos, this.pos, '', true);
    return true;
  }

  private closeHolesAtEndOfFile(): void {
    let reported = false;
    for (let hole = this.innermostHole(); hole !== undefined; hole = this.innermostHole()) {
      if (!reported && !hole.reported) {
        const what = hole.dollars === 0 ? 'string' : 'multi-line string';
        this.report(hole.stringStart, this.text.length, `unterminated ${what} at the end of the file`);
        this.openAtEnd = true;
        reported = true;
      }
      this.popThroughHole();
      this.push('StringRightPiece', this.text.length, this.text.length, '', true);
    }
    this.modes.length = 0;
  }

  private popThroughHole(): void {
    while (this.modes.length > 0 && this.modes.pop()!.kind !== 'hole') {
      // Braces opened inside the hole close with it.
    }
  }

  /**
   * `'…'`, `'…${`, `}…${` or `}…'` from `start` (a quote, or the `}` ending a hole). Escapes are
   * decoded into the token's value; a line break or the end of the file ends it with an error.
   */
  private lexSingleLineString(start: number, stringStart: number, opening: boolean): void {
    const text = this.text;
    let i = start + 1;
    // The decoded value so far, and where the characters not yet added to it start (added as one slice:
    // a value built a character at a time is a chain of one string per character).
    let value = '';
    let run = i;
    let diagnosed = false;
    // Without escapes the value is text[start + 1, i), looked up without slicing it.
    let escaped = false;
    for (;;) {
      if (i >= text.length || isNewline(text.charCodeAt(i))) {
        value = this.values.value(value + text.slice(run, i));
        // A quote inside a single-line hole that runs to the line end most likely meant to close
        // the outer string: `'${x'`. Report the outer string once, not both.
        const outer = opening ? this.innermostHole() : undefined;
        if (outer !== undefined && outer.dollars === 0) {
          if (!outer.reported) this.report(outer.stringStart, i, "unterminated string: add the closing } and '");
          outer.reported = true;
        } else this.report(stringStart, i, "unterminated string: add the closing '");
        if (i < text.length) this.quietNextLine(i);
        else this.openAtEnd = true;
        if (!opening) this.modes.pop();
        this.pos = i;
        this.push(opening ? 'StringComplete' : 'StringRightPiece', start, i, value, true);
        return;
      }
      const c = text.charCodeAt(i);
      if (c === 39 || (c === 36 && text.charCodeAt(i + 1) === 123)) {
        value = escaped ? this.values.value(value + text.slice(run, i)) : this.values.range(run, i);
      }
      if (c === 39) {
        if (!opening) this.modes.pop();
        this.pos = i + 1;
        this.push(opening ? 'StringComplete' : 'StringRightPiece', start, this.pos, value, diagnosed);
        return;
      }
      if (c === 36 && text.charCodeAt(i + 1) === 123) {
        if (opening) this.modes.push({ kind: 'hole', stringStart, dollars: 0, reported: false });
        this.pos = i + 2;
        this.push(opening ? 'StringLeftPiece' : 'StringMiddlePiece', start, this.pos, value, diagnosed);
        return;
      }
      if (c === 92 /* \ */) {
        const escape = this.decodeEscape(i);
        if (escape.error) diagnosed = true;
        value += text.slice(run, i) + escape.value;
        escaped = true;
        i = escape.end;
        run = i;
        continue;
      }
      i++;
    }
  }

  private decodeEscape(at: number): { value: string; end: number; error: boolean } {
    const text = this.text;
    const next = text[at + 1];
    switch (next) {
      case '\\':
      case "'":
      case '$':
        return { value: next, end: at + 2, error: false };
      case 'n':
        return { value: '\n', end: at + 2, error: false };
      case 'r':
        return { value: '\r', end: at + 2, error: false };
      case 't':
        return { value: '\t', end: at + 2, error: false };
      case 'u': {
        if (text[at + 2] === '{') {
          let end = at + 3;
          while (end < text.length && end - (at + 3) < 7 && isHexDigit(text.charCodeAt(end))) end++;
          const digits = text.slice(at + 3, end);
          if (text[end] === '}' && digits.length >= 1 && digits.length <= 6) {
            const code = parseInt(digits, 16);
            if (code <= 0x10ffff) return { value: String.fromCodePoint(code), end: end + 1, error: false };
          }
          const stop = text[end] === '}' ? end + 1 : end;
          this.report(at, stop, 'invalid unicode escape: write \\u{…} with 1 to 6 hex digits, at most 10FFFF');
          return { value: '', end: stop, error: true };
        }
        break;
      }
    }
    // A backslash before the end of the line or file: leave the line break to end the string.
    if (next === undefined || next === '\n' || next === '\r') {
      return { value: '', end: at + 1, error: false };
    }
    const width = next.length + (isHighSurrogate(next) && at + 2 < text.length ? 1 : 0);
    this.report(at, at + 1 + width, `unknown escape sequence '\\${text.slice(at + 1, at + 1 + width)}': use \\\\, \\', \\n, \\r, \\t, \\$ or \\u{…}`);
    return { value: text.slice(at + 1, at + 1 + width), end: at + 1 + width, error: true };
  }

  /**
   * `'''…'''` (raw) or `$'''…'''` with `dollars` dollars, where a hole opens at that many `$`
   * before `{`. `start` is the string's first character; `from` is the opening quotes, or the `}`
   * ending a hole when `resumed`. The string ends at the first run of three or more quotes.
   */
  private lexMultilineString(start: number, from: number, dollars: number, resumed = false): void {
    const text = this.text;
    let i = resumed ? from + 1 : from + 3;
    if (!resumed) {
      // One line break right after the opening quotes is not part of the value.
      if (text.startsWith('\r\n', i)) i += 2;
      else if (text[i] === '\n') i += 1;
    }
    const tokenStart = resumed ? from : start;
    let literal = '';
    const literalFrom = i;
    for (;;) {
      if (i >= text.length) {
        this.report(start, start + dollars + 3, "unterminated multi-line string: add the closing '''");
        this.openAtEnd = true;
        if (resumed) this.modes.pop();
        this.pos = text.length;
        literal += text.slice(literalFrom, text.length);
        this.push(resumed ? 'StringRightPiece' : 'MultilineString', tokenStart, this.pos, this.values.value(literal), true);
        return;
      }
      const c = text.charCodeAt(i);
      if (c === 39 && text.startsWith("'''", i)) {
        let run = i;
        while (text.charCodeAt(run) === 39) run++;
        // Extra quotes in the run belong to the content; the last three close the string.
        literal += text.slice(literalFrom, run - 3);
        this.pos = run;
        if (resumed) this.modes.pop();
        this.push(resumed ? 'StringRightPiece' : 'MultilineString', tokenStart, run, this.values.value(literal));
        return;
      }
      if (c === 36 && dollars > 0) {
        let run = i;
        while (text.charCodeAt(run) === 36) run++;
        if (run - i >= dollars && text.charCodeAt(run) === 123) {
          literal += text.slice(literalFrom, run - dollars);
          if (!resumed) this.modes.push({ kind: 'hole', stringStart: start, dollars, reported: false });
          this.pos = run + 1;
          this.push(resumed ? 'StringMiddlePiece' : 'StringLeftPiece', tokenStart, this.pos, this.values.value(literal));
          return;
        }
        i = run;
        continue;
      }
      i++;
    }
  }

  /** `"…"`: not Bicep, but lexed as a string so that one diagnostic covers it and parsing goes on. */
  private lexDoubleQuotedString(start: number): void {
    const text = this.text;
    let end = start + 1;
    while (end < text.length && !isNewline(text.charCodeAt(end)) && text.charCodeAt(end) !== 34) end++;
    const value = text.slice(start + 1, end);
    if (text.charCodeAt(end) === 34) end++;
    this.report(start, end, "Bicep strings use single quotes: write '…' instead of \"…\"");
    this.pos = end;
    this.push('StringComplete', start, end, this.values.value(value), true);
  }
}

function isHighSurrogate(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c >= 0xd800 && c <= 0xdbff;
}

/** FNV-1a over the UTF-16 code units of text[start, end). */
function hashOf(text: string, start = 0, end = text.length): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** Values longer than this are rare (long strings) and not worth a lookup. */
const MAX_SHARED_LENGTH = 64;

/**
 * The token values of one file, each kept once. Identifiers, integers and strings without
 * escapes are looked up by their range of the text, so a value seen before costs no new string;
 * only the first occurrence is sliced.
 */
class ValueTable {
  private values: (string | undefined)[];
  private mask: number;
  private count = 0;

  constructor(private readonly text: string) {
    // Sized for about one new value per 32 characters at half load, so a file rarely rehashes.
    let size = 256;
    while (size < text.length / 16) size *= 2;
    this.values = new Array<string | undefined>(size);
    this.mask = size - 1;
  }

  /** text[start, end). */
  range(start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > MAX_SHARED_LENGTH) return this.text.slice(start, end);
    for (let slot = hashOf(this.text, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const value = this.values[slot];
      if (value === undefined) return this.insert(slot, this.text.slice(start, end));
      if (value.length === length && this.text.startsWith(value, start)) return value;
    }
  }

  /** A value built from pieces (escapes decoded): the copy seen before, if any. */
  value(value: string): string {
    if (value.length === 0 || value.length > MAX_SHARED_LENGTH) return value;
    for (let slot = hashOf(value) & this.mask; ; slot = (slot + 1) & this.mask) {
      const seen = this.values[slot];
      if (seen === undefined) return this.insert(slot, value);
      if (seen === value) return seen;
    }
  }

  private insert(slot: number, value: string): string {
    this.values[slot] = value;
    // At most half full, so probe runs stay short.
    if (++this.count * 2 > this.values.length) this.grow();
    return value;
  }

  private grow(): void {
    const values = this.values;
    this.values = new Array<string | undefined>(values.length * 2);
    this.mask = values.length * 2 - 1;
    for (const value of values) {
      if (value === undefined) continue;
      let slot = hashOf(value) & this.mask;
      while (this.values[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.values[slot] = value;
    }
  }
}
