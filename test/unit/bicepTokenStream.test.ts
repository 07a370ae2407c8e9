// The Bicep parser pulls tokens from the lexer as it goes, through a lookahead window that grows
// only when a lookahead reaches far; token values are kept once per file in a table looked up by
// their text's range. These cases look further ahead than the window's first size, and check
// values through the table's growth and its length limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lexBicep } from '../../server/src/readers/bicep/lexer.ts';
import { parseBicep } from '../../server/src/readers/bicep/parser.ts';
import type { Expression, ResourceDeclaration, Statement } from '../../server/src/readers/bicep/syntax.ts';

const names = (count: number, prefix = 'p') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

function valueOf(statement: Statement | undefined): Expression {
  assert.ok(statement !== undefined && (statement.kind === 'var' || statement.kind === 'output'));
  return statement.value;
}

describe('Bicep parser: tokens pulled on demand', () => {
  it('sees a lambda through a parameter list longer than the lookahead window', () => {
    const parameters = names(2000);
    const text = `var f = (${parameters.join(',\n')}) => p1999\nvar after = 1\n`;
    const program = parseBicep(text);
    assert.deepEqual(program.diagnostics, []);
    const lambda = valueOf(program.statements[0]);
    assert.equal(lambda.kind, 'lambda');
    assert.deepEqual(lambda.kind === 'lambda' ? lambda.parameters : [], parameters);
    assert.equal(program.statements[1]?.name, 'after');
  });

  it('looks past many decorator lines in a resource body to the declaration after them', () => {
    const decorators = "@description('x')\n".repeat(600);
    const nested = parseBicep(`resource r 'A/b@1' = {\n${decorators}resource c 'd' = {}\n}\n`);
    assert.deepEqual(nested.diagnostics, []);
    const body = (nested.statements[0] as ResourceDeclaration).body;
    assert.equal(body.kind === 'object' ? body.members[0]?.kind : undefined, 'resource');

    // A `param` after them cannot be in the body: the body's `}` is missing.
    const unclosed = parseBicep(`resource r 'A/b@1' = {\n${decorators}param p string\n`);
    assert.deepEqual(
      unclosed.diagnostics.map((d) => d.message),
      ["expected '}'"],
    );
    assert.deepEqual(
      unclosed.statements.map((s) => s.kind),
      ['resource', 'param'],
    );
  });

  it('parses a long file the same piece by piece as its declarations one at a time', () => {
    const declarations = Array.from({ length: 3000 }, (_, i) => `var v${i} = [for x in range(0, ${i}): { name: 'n-${i}-\${x}', id: x }]`);
    const whole = parseBicep(declarations.join('\n'));
    assert.deepEqual(whole.diagnostics, []);
    let offset = 0;
    declarations.forEach((declaration, i) => {
      const alone = parseBicep(declaration).statements[0]!;
      assert.deepEqual(shift(alone, offset), whole.statements[i]);
      offset += declaration.length + 1;
    });
  });

  it('keeps lexer diagnostics ahead of parser diagnostics on the same line', () => {
    // The lexer reports the double-quoted string; the parser's complaint on that line is dropped.
    const program = parseBicep('var a = "x" y\nvar b = 1');
    assert.deepEqual(
      program.diagnostics.map((d) => d.message),
      ["Bicep strings use single quotes: write '…' instead of \"…\""],
    );
  });
});

describe('Bicep lexer: token values', () => {
  it('gives every token of many distinct names its own text', () => {
    const words = names(5000, 'name');
    const { tokens } = lexBicep(words.join(' '));
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'Identifier').map((t) => t.value),
      words,
    );
  });

  it('decodes escaped strings to the same values as plain ones, at and beyond the shared length', () => {
    const long = 'x'.repeat(64);
    const longer = 'y'.repeat(65);
    const text = `'ab' 'a\\u{62}' 'a${long}' 'a${longer}' '${long}' '${long.slice(1)}\\u{78}' 'a\\'b' 12 012 12`;
    const values = lexBicep(text)
      .tokens.filter((t) => t.kind === 'StringComplete' || t.kind === 'Integer')
      .map((t) => t.value);
    assert.deepEqual(values, ['ab', 'ab', `a${long}`, `a${longer}`, long, long, "a'b", '12', '012', '12']);
  });

  it('keeps string pieces around holes and keywords apart from names that start like them', () => {
    const { tokens } = lexBicep("'a${truex}b${null}c' true nullable");
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.value]),
      [
        ['StringLeftPiece', 'a'],
        ['Identifier', 'truex'],
        ['StringMiddlePiece', 'b'],
        ['NullKeyword', 'null'],
        ['StringRightPiece', 'c'],
        ['TrueKeyword', 'true'],
        ['Identifier', 'nullable'],
        ['EndOfFile', ''],
      ],
    );
  });
});

/** A copy of a node with every offset moved by `by`: a declaration parsed alone, placed in the whole file. */
function shift<T>(node: T, by: number): T {
  if (Array.isArray(node)) return node.map((item) => shift(item, by)) as T;
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = (key === 'start' || key === 'end') && typeof value === 'number' ? value + by : shift(value, by);
  return copy as T;
}
