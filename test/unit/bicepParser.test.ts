// The Bicep lexer and parser: token kinds and offsets, AST shapes and spans of the tricky
// constructs, one precise diagnostic per typo, the whole shared corpus, and fuzzing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lexBicep } from '../../server/src/readers/bicep/lexer.ts';
import { parseBicep } from '../../server/src/readers/bicep/parser.ts';
import type {
  Expression,
  ObjectExpression,
  Program,
  ResourceDeclaration,
  Span,
  Statement,
} from '../../server/src/readers/bicep/syntax.ts';

const CORPUS = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const STRAY_QUOTE_FILE = 'MicrosoftDocs__azure-aks-docs/articles/aks/automatic/quick-automatic-managed-network.bicepblock1.bicep';

/** Every `.bicep` file of the corpus, as paths relative to it. */
function corpusFiles(dir = CORPUS, prefix = ''): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...corpusFiles(full, `${prefix}${name}/`));
    else if (name.endsWith('.bicep')) files.push(`${prefix}${name}`);
  }
  return files;
}

const readCorpus = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8');

/** Parses and insists on a clean result. */
function parseClean(text: string): Program {
  const program = parseBicep(text);
  assert.deepEqual(program.diagnostics, [], `unexpected diagnostics for:\n${text}`);
  return program;
}

function only<T>(items: readonly T[]): T {
  assert.equal(items.length, 1, `expected one item, got ${items.length}`);
  return items[0]!;
}

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/** The value, default or body of a statement. */
function valueOf(statement: Statement): Expression {
  const value =
    statement.kind === 'param'
      ? statement.defaultValue
      : statement.kind === 'resource' || statement.kind === 'module' || statement.kind === 'func'
        ? statement.body
        : 'value' in statement
          ? statement.value
          : undefined;
  assert.ok(value !== undefined, `${statement.kind} ${statement.name} has no value`);
  return value;
}

/** A compact, readable rendering of an expression's shape. */
function sx(e: Expression): string {
  switch (e.kind) {
    case 'string':
      return e.holes.length === 0
        ? JSON.stringify(e.segments[0])
        : `(str ${e.segments.map((s, i) => JSON.stringify(s) + (i < e.holes.length ? ` ${sx(e.holes[i]!)}` : '')).join(' ')})`;
    case 'integer':
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'array':
      return `[${e.items.map((i) => (i.kind === 'spread' ? '...' : '') + sx(i.value)).join(' ')}]`;
    case 'object':
      return `{${e.members
        .map((m) =>
          m.kind === 'property' ? `${m.key ?? '?'}: ${sx(m.value)}` : m.kind === 'spread' ? `...${sx(m.value)}` : `resource ${m.declaration.name}`,
        )
        .join(', ')}}`;
    case 'identifier':
      return e.name;
    case 'call':
      return `(call ${e.target ? `${sx(e.target)}.` : ''}${e.name}${e.args.map((a) => ` ${sx(a)}`).join('')})`;
    case 'propertyAccess':
      return `(${e.safe ? '.?' : '.'} ${sx(e.object)} ${e.name})`;
    case 'index':
      return `([${e.safe ? '?' : ''}${e.fromEnd ? '^' : ''}] ${sx(e.object)} ${sx(e.index)})`;
    case 'nestedAccess':
      return `(:: ${sx(e.object)} ${e.name})`;
    case 'unary':
      return `(${e.operator} ${sx(e.operand)})`;
    case 'nonNull':
      return `(! ${sx(e.operand)})`;
    case 'binary':
      return `(${e.operator} ${sx(e.left)} ${sx(e.right)})`;
    case 'ternary':
      return `(? ${sx(e.condition)} ${sx(e.whenTrue)} ${sx(e.whenFalse)})`;
    case 'lambda':
      return `(=> (${e.parameters.join(' ')}) ${sx(e.body)})`;
    case 'for':
      return `(for ${e.itemName ?? '_'} ${e.indexName ?? '_'} ${sx(e.source)}${e.condition ? ` if ${sx(e.condition)}` : ''} ${sx(e.body)})`;
    case 'paren':
      return `(paren ${sx(e.expression)})`;
    case 'error':
      return '<error>';
  }
}

/** The shape of every `var`'s value, by name. */
function varShapes(text: string): Record<string, string> {
  const shapes: Record<string, string> = {};
  for (const s of parseClean(text).statements) if (s.kind === 'var') shapes[s.name!] = sx(s.value);
  return shapes;
}

/**
 * Visits every span-like object of the tree (nodes, name/key/type spans, spread spans) with its
 * nearest enclosing node span.
 */
function visitSpans(node: unknown, visit: (span: Span, parent: Span | undefined) => void, parent?: Span): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) visitSpans(item, visit, parent);
    return;
  }
  const record = node as Record<string, unknown>;
  let here = parent;
  if (typeof record.start === 'number' && typeof record.end === 'number') {
    visit(record as unknown as Span, parent);
    here = record as unknown as Span;
  }
  for (const value of Object.values(record)) visitSpans(value, visit, here);
}

/** All spans lie in [0, length] with start <= end, and every node lies inside its parent node. */
function assertSpansSound(text: string, program: Program): void {
  const check = (span: Span, what: string) => {
    assert.ok(
      Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length,
      `${what} span [${span.start}, ${span.end}) outside [0, ${text.length}]`,
    );
  };
  for (const d of program.diagnostics) check(d, `diagnostic '${d.message}'`);
  visitSpans(program.statements, (span, parent) => {
    check(span, 'node');
    if (parent !== undefined) {
      assert.ok(span.start >= parent.start && span.end <= parent.end, `span [${span.start}, ${span.end}) escapes its parent [${parent.start}, ${parent.end})`);
    }
  });
}

/** The 1-based line of an offset. */
const lineOf = (text: string, offset: number) => text.slice(0, offset).split(/\r\n|\r|\n/).length;

describe('Bicep lexer', () => {
  const kinds = (text: string) => lexBicep(text).tokens.map((t) => t.kind);

  it('splits an interpolated string into left, middle and right pieces with decoded values', () => {
    const text = "'a\\'${x}b\\n${ {c: 1}.c }\\u{1F600}'";
    const { tokens, diagnostics } = lexBicep(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.value]),
      [
        ['StringLeftPiece', "a'"],
        ['Identifier', 'x'],
        ['StringMiddlePiece', 'b\n'],
        ['LeftBrace', ''],
        ['Identifier', 'c'],
        ['Colon', ''],
        ['Integer', '1'],
        ['RightBrace', ''],
        ['Dot', ''],
        ['Identifier', 'c'],
        ['StringRightPiece', '\u{1F600}'],
        ['EndOfFile', ''],
      ],
    );
    // Offsets are UTF-16 code units: the pieces tile the text.
    assert.equal(slice(text, tokens[0]!), "'a\\'${");
    assert.equal(slice(text, tokens[10]!), "}\\u{1F600}'");
  });

  it("keeps '${' literal after a backslash and '$' without '{'", () => {
    const { tokens } = lexBicep("'\\${x} costs $5'");
    assert.deepEqual(tokens.map((t) => [t.kind, t.value]), [['StringComplete', '${x} costs $5'], ['EndOfFile', '']]);
  });

  it("lexes ''' strings raw, drops one leading line break, and keeps extra closing quotes", () => {
    const { tokens } = lexBicep("'''\nline ${x} \\n\n'it'''''");
    assert.deepEqual(tokens.map((t) => [t.kind, t.value]), [['MultilineString', "line ${x} \\n\n'it''"], ['EndOfFile', '']]);
  });

  it("opens holes in $$''' strings only at two or more dollars", () => {
    const text = "$$'''a ${x} $${y} $$${z}'''";
    const { tokens, diagnostics } = lexBicep(text);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.value]),
      [
        ['StringLeftPiece', 'a ${x} '],
        ['Identifier', 'y'],
        ['StringMiddlePiece', ' $'],
        ['Identifier', 'z'],
        ['StringRightPiece', ''],
        ['EndOfFile', ''],
      ],
    );
  });

  it('treats a BOM as trivia: offsets still index the original text', () => {
    const text = '\uFEFFparam x string';
    const { tokens } = lexBicep(text);
    assert.equal(tokens[0]!.start, 1);
    assert.equal(slice(text, tokens[0]!), 'param');
    const statement = only(parseClean(text).statements);
    assert.equal(slice(text, statement.nameSpan), 'x');
  });

  it('makes one NewLine token per run of line breaks; whitespace between runs splits them', () => {
    assert.deepEqual(kinds('a\r\n\n\rb\n  \nc'), ['Identifier', 'NewLine', 'Identifier', 'NewLine', 'NewLine', 'Identifier', 'EndOfFile']);
  });

  it('drops comments and pragmas; a multi-line comment hides its line breaks', () => {
    assert.deepEqual(kinds('a // x\n/* 1\n2 */ b\n  #disable-next-line BCP036 no-x // y\nc'), [
      'Identifier',
      'NewLine',
      'Identifier',
      'NewLine',
      'NewLine',
      'Identifier',
      'EndOfFile',
    ]);
  });

  it('accepts a pragma only at the start of a line', () => {
    const { tokens, diagnostics } = lexBicep('var x = 1 #disable-next-line foo');
    assert.ok(tokens.some((t) => t.kind === 'Unrecognized'));
    assert.match(only(diagnostics).message, /pragma .* must start its own line/);
  });

  it('lexes punctuators longest first', () => {
    assert.deepEqual(kinds('... :: ?? == =~ => != !~ <= >= && || ! = ? . : < > + - * / % | ^ @ ;'), [
      'Ellipsis',
      'DoubleColon',
      'DoubleQuestion',
      'Equals',
      'EqualsInsensitive',
      'Arrow',
      'NotEquals',
      'NotEqualsInsensitive',
      'LessThanOrEqual',
      'GreaterThanOrEqual',
      'LogicalAnd',
      'LogicalOr',
      'Exclamation',
      'Assignment',
      'Question',
      'Dot',
      'Colon',
      'LessThan',
      'GreaterThan',
      'Plus',
      'Minus',
      'Asterisk',
      'Slash',
      'Modulo',
      'Pipe',
      'Hat',
      'At',
      'Semicolon',
      'EndOfFile',
    ]);
    assert.deepEqual(kinds('x!=y'), ['Identifier', 'NotEquals', 'Identifier', 'EndOfFile']);
  });

  it('reports unknown characters once per run and never throws', () => {
    const { tokens, diagnostics } = lexBicep('a ~` b & c');
    assert.deepEqual(
      tokens.filter((t) => t.kind === 'Unrecognized').map((t) => t.value),
      ['~`', '&'],
    );
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ["unexpected characters '~`'", "unexpected character '&'; the logical and operator is '&&'"],
    );
  });
});

describe('Bicep parser: declarations', () => {
  it('parses params with decorators, types, defaults and resource types', () => {
    const text = `@sys.description('The pod CIDR.')
@minLength(9)
param podCidr string = '10.244.0.0/16'
param count int
param mode 'a' | 'b' = 'a'
param tags object?
param sa resource 'Microsoft.Storage/storageAccounts@2023-01-01'
param adv resourceInput<'Microsoft.ContainerService/managedClusters@2025-10-01'>.properties.networkProfile?
`;
    const statements = parseClean(text).statements;
    assert.deepEqual(
      statements.map((s) => (s.kind === 'param' ? [s.name, s.typeText, s.defaultValue && sx(s.defaultValue)] : s.kind)),
      [
        ['podCidr', 'string', '"10.244.0.0/16"'],
        ['count', 'int', undefined],
        ['mode', "'a' | 'b'", '"a"'],
        ['tags', 'object?', undefined],
        ['sa', "resource 'Microsoft.Storage/storageAccounts@2023-01-01'", undefined],
        ['adv', "resourceInput<'Microsoft.ContainerService/managedClusters@2025-10-01'>.properties.networkProfile?", undefined],
      ],
    );
    const pod = statements[0]!;
    assert.deepEqual(
      pod.decorators.map((d) => [d.name, d.args.map(sx), slice(text, d)]),
      [
        ['description', ['"The pod CIDR."'], "@sys.description('The pod CIDR.')"],
        ['minLength', ['9'], '@minLength(9)'],
      ],
    );
    // The declaration spans its decorators; the name span is the identifier; a string's span has its quotes.
    assert.equal(slice(text, pod), "@sys.description('The pod CIDR.')\n@minLength(9)\nparam podCidr string = '10.244.0.0/16'");
    assert.equal(slice(text, pod.nameSpan), 'podCidr');
    assert.equal(slice(text, valueOf(pod)), "'10.244.0.0/16'");
  });

  it('parses typed and untyped vars and outputs', () => {
    const statements = parseClean(`var a = 1
var b string = 'x'
output o string = a
output r resource = vnet
output s resource 'Microsoft.Network/virtualNetworks@2024-05-01' = vnet
`).statements;
    assert.deepEqual(
      statements.map((s) => [s.kind, s.name, sx(valueOf(s))]),
      [
        ['var', 'a', '1'],
        ['var', 'b', '"x"'],
        ['output', 'o', 'a'],
        ['output', 'r', 'vnet'],
        ['output', 's', 'vnet'],
      ],
    );
  });

  it('parses resources: existing, conditional, looped with index and filter, and nested children', () => {
    const text = `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' existing = {
  name: 'hub'

  @description('nodes')
  resource nodes 'subnets' existing = {
    name: 'snet-nodes'
  }
}
resource pip 'Microsoft.Network/publicIPAddresses@2023-04-01' =
  if (deployAppGw) {
    name: 'pip'
  }
@batchSize(2)
resource subnets 'Microsoft.Network/virtualNetworks/subnets@2023-11-01' = [for (s, i) in items: if (s.enabled) {
  name: s.name
}]
output nodesId string = vnet::nodes.id
`;
    const [vnet, pip, subnets] = parseClean(text).statements as ResourceDeclaration[];
    assert.equal(vnet!.type, 'Microsoft.Network/virtualNetworks@2023-11-01');
    assert.equal(slice(text, vnet!.typeSpan), "'Microsoft.Network/virtualNetworks@2023-11-01'");
    assert.equal(vnet!.existing, true);
    const members = (vnet!.body as ObjectExpression).members;
    assert.equal(members.length, 2);
    const nested = members[1]!;
    assert.ok(nested.kind === 'resource');
    assert.deepEqual(
      [nested.declaration.name, nested.declaration.type, nested.declaration.existing, nested.declaration.decorators.map((d) => d.name)],
      ['nodes', 'subnets', true, ['description']],
    );
    assert.equal(slice(text, nested.declaration), "@description('nodes')\n  resource nodes 'subnets' existing = {\n    name: 'snet-nodes'\n  }");
    assert.equal(sx(pip!.condition!), 'deployAppGw');
    assert.equal(sx(pip!.body), '{name: "pip"}');
    assert.equal(subnets!.decorators[0]!.name, 'batchSize');
    assert.equal(sx(subnets!.body), '(for s i items if (. s enabled) {name: (. s name)})');
  });

  it('parses modules with registry paths and loops', () => {
    const statements = parseClean(`module network './network.bicep' = if (custom_vnet) {
  name: 'network'
  params: {
    podCidr: podCidr
  }
}
module avm 'br/public:avm/res/network/virtual-network:0.5.0' = [
  for iteration in ['init', 'idem']: {
    name: iteration
  }
]
`).statements;
    assert.deepEqual(
      statements.map((s) => (s.kind === 'module' ? [s.name, s.path, s.condition && sx(s.condition), sx(s.body)] : s.kind)),
      [
        ['network', './network.bicep', 'custom_vnet', '{name: "network", params: {podCidr: podCidr}}'],
        ['avm', 'br/public:avm/res/network/virtual-network:0.5.0', undefined, '(for iteration _ ["init" "idem"] {name: iteration})'],
      ],
    );
  });

  it('parses type declarations: unions over lines, object types with decorated properties, tuples', () => {
    const text = `@export()
type subnet = {
  @description('The name.')
  name: string
  'address-prefix': string?
  mode: (
    | 'a'
    | 'b')?
  *: int
}
type frequency =
  | 'Day'
  | 'Week'
type pair = [
  @minValue(1)
  int
  string
]
type list = subnet[]
`;
    const statements = parseClean(text).statements;
    assert.deepEqual(
      statements.map((s) => [s.kind, s.name, s.decorators.map((d) => d.name)]),
      [
        ['type', 'subnet', ['export']],
        ['type', 'frequency', []],
        ['type', 'pair', []],
        ['type', 'list', []],
      ],
    );
    assert.ok(slice(text, statements[1]!).endsWith("| 'Week'"));
  });

  it('parses functions, imports, extensions, metadata, targetScope, assert and test', () => {
    const statements = parseClean(`targetScope = 'subscription'
metadata owner = 'network team'
import {subnetType, vnetType as vnet} from './types.bicep'
import {
  a
  'b.c' as c
} from './more.bicep'
import * as types from './types.bicep'
import 'az@1.0.0'
import 'kubernetes@1.0.0' with {
  namespace: 'default'
} as k8s
extension microsoftGraph
extension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview' as graph
func subnetName(prefix string, i int) string => '\${prefix}-\${i}'
assert small = length(subnets) < 10
test smoke './main.bicep' = {
  params: {}
}
`).statements;
    assert.deepEqual(
      statements.map((s) => [s.kind, s.name, s.kind === 'func' ? s.parameters : 'importedNames' in s ? s.importedNames : []]),
      [
        ['targetScope', 'targetScope', []],
        ['metadata', 'owner', []],
        ['import', undefined, ['subnetType', 'vnet']],
        ['import', undefined, ['a', 'c']],
        ['import', 'types', ['types']],
        ['import', undefined, []],
        ['import', 'k8s', ['k8s']],
        ['extension', 'microsoftGraph', ['microsoftGraph']],
        ['extension', 'graph', ['graph']],
        ['func', 'subnetName', ['prefix', 'i']],
        ['assert', 'small', []],
        ['test', 'smoke', []],
      ],
    );
    assert.equal(sx(valueOf(statements[0]!)), '"subscription"');
    assert.equal(sx(valueOf(statements[9]!)), '(str "" prefix "-" i "")');
    assert.equal(sx(valueOf(statements[10]!)), '(< (call length subnets) 10)');
  });

  it('accepts keywords as property names and names of nested declarations', () => {
    const shapes = varShapes(`var x = {
  type: 'SystemAssigned'
  resource: 1
  if: 2
  param: 3
  true: 4
}`);
    assert.equal(shapes.x, '{type: "SystemAssigned", resource: 1, if: 2, param: 3, true: 4}');
  });
});

describe('Bicep parser: expressions', () => {
  it('follows the precedence table and left associativity', () => {
    const shapes = varShapes(`var a = -1 + 2 * 3 - 4 / 2 % 5
var b = a || b && c == d
var c = a ?? b ?? c
var d = a < b == c >= d
var e = !a && -b < 0
var f = x =~ 'A' || x !~ 'B' && x != y
`);
    assert.deepEqual(shapes, {
      a: '(- (+ (- 1) (* 2 3)) (% (/ 4 2) 5))',
      b: '(|| a (&& b (== c d)))',
      c: '(?? (?? a b) c)',
      d: '(== (< a b) (>= c d))',
      e: '(&& (! a) (< (- b) 0))',
      f: '(|| (=~ x "A") (&& (!~ x "B") (!= x y)))',
    });
  });

  it('parses access chains: properties, safe access, indexes from the end, ::, non-null, calls', () => {
    const shapes = varShapes(`var a = x.?b[?0][^1]!::c.d
var b = sys.concat('a', 'b')
var c = az.resourceGroup().location
var d = kv.getSecret('s')
var e = vnet::snet.properties.addressPrefix
var f = x.true
`);
    assert.deepEqual(shapes, {
      a: '(. (:: (! ([^] ([?] (.? x b) 0) 1)) c) d)',
      b: '(call sys.concat "a" "b")',
      c: '(. (call az.resourceGroup) location)',
      d: '(call kv.getSecret "s")',
      e: '(. (. (:: vnet snet) properties) addressPrefix)',
      f: '(. x true)',
    });
  });

  it('parses ternaries over lines, right-associative', () => {
    const shapes = varShapes(`var a = x ? y : z
var b = !empty(p)
  ? p!
  : empty(q)
      ? null
      : [q]
var c = a ? b : c ? d : e
`);
    assert.deepEqual(shapes, {
      a: '(? x y z)',
      b: '(? (! (call empty p)) (! p) (? (call empty q) null [q]))',
      c: '(? a b (? c d e))',
    });
  });

  it('parses lambdas with one, several or no parameters, and parenthesised expressions', () => {
    const shapes = varShapes(`var a = map(xs, x => x.name)
var b = reduce(xs, 0, (acc, x) => acc + x)
var c = () => 1
var d = (a + b) * c
var e = map(range(0, 3), i => '\${i}')
var f = sort(xs, (a int, b int) => a < b)
`);
    assert.deepEqual(shapes, {
      a: '(call map xs (=> (x) (. x name)))',
      b: '(call reduce xs 0 (=> (acc x) (+ acc x)))',
      c: '(=> () 1)',
      d: '(* (paren (+ a b)) c)',
      e: '(call map (call range 0 3) (=> (i) (str "" i "")))',
      f: '(call sort xs (=> (a b) (< a b)))',
    });
  });

  it('parses arrays and objects with commas, line breaks, both mixed, spreads and a trailing comma on one line', () => {
    const shapes = varShapes(`var a = ['a', 'b'
  'c', 'd'
  'e']
var b = { a: 1, b: 2
  c: 3 }
var c = [1, 2,]
var d = { a: 1, }
var e = [
  ...base
  'x'
]
var f = { ...base, extra: true }
var g = {upgradeChannel: upgradeChannel}
var h = {
  CostOptimised : {}
}
var i = []
var j = {}
var k = union(
  a,
  b
)
`);
    assert.deepEqual(shapes, {
      a: '["a" "b" "c" "d" "e"]',
      b: '{a: 1, b: 2, c: 3}',
      c: '[1 2]',
      d: '{a: 1}',
      e: '[...base "x"]',
      f: '{...base, extra: true}',
      g: '{upgradeChannel: upgradeChannel}',
      h: '{CostOptimised: {}}',
      i: '[]',
      j: '{}',
      k: '(call union a b)',
    });
  });

  it('decodes string segments and keeps holes; an interpolated key has no key text', () => {
    const text = `var a = 'snet-\${name}-\${i + 1}'
var b = {
  '\${id}': {}
  'quoted-key': 1
}
var c = '''
raw \${x}'''
`;
    const statements = parseClean(text).statements;
    const a = valueOf(statements[0]!);
    assert.ok(a.kind === 'string');
    assert.deepEqual(a.segments, ['snet-', '-', '']);
    assert.deepEqual(a.holes.map(sx), ['name', '(+ i 1)']);
    assert.equal(slice(text, a), "'snet-${name}-${i + 1}'");
    const b = valueOf(statements[1]!) as ObjectExpression;
    const [interpolated, quoted] = b.members;
    assert.ok(interpolated?.kind === 'property' && quoted?.kind === 'property');
    assert.equal(interpolated.key, undefined);
    assert.equal(slice(text, interpolated.keySpan), "'${id}'");
    assert.equal(quoted.key, 'quoted-key');
    assert.equal(sx(valueOf(statements[2]!)), '"raw ${x}"');
  });

  it('parses for-expressions in vars and properties, with and without an index', () => {
    const shapes = varShapes(`var a = [for s in subnets: s.name]
var b = [for (s, i) in subnets: {
  name: s.name
  index: i
}]
var c = [
  for i in range(0, 3): cidrSubnet('10.0.0.0/16', 24, i)
]
`);
    assert.deepEqual(shapes, {
      a: '(for s _ subnets (. s name))',
      b: '(for s i subnets {name: (. s name), index: i})',
      c: "(for i _ (call range 0 3) (call cidrSubnet \"10.0.0.0/16\" 24 i))",
    });
  });

  it('gives every node the span of exactly its own text', () => {
    const text = `var x = {
  'key': vnet::snet.properties.?addressPrefix ?? '10.0.0.0/24'
  ...base
  list: [for (s, i) in subnets: cidrSubnet(s, 24, i)]
  pick: cond
    ? a
    : b
}`;
    const value = valueOf(only(parseClean(text).statements)) as ObjectExpression;
    assert.equal(slice(text, value), text.slice(text.indexOf('{')));
    const [key, spread, list, pick] = value.members;
    assert.ok(key?.kind === 'property' && spread?.kind === 'spread' && list?.kind === 'property' && pick?.kind === 'property');
    assert.equal(slice(text, key.keySpan), "'key'");
    assert.equal(slice(text, key.value), "vnet::snet.properties.?addressPrefix ?? '10.0.0.0/24'");
    assert.ok(key.value.kind === 'binary' && key.value.left.kind === 'propertyAccess');
    assert.equal(slice(text, key.value.left), 'vnet::snet.properties.?addressPrefix');
    assert.equal(slice(text, key.value.left.nameSpan), 'addressPrefix');
    assert.ok(key.value.left.object.kind === 'propertyAccess');
    assert.equal(slice(text, key.value.left.object.object), 'vnet::snet');
    assert.equal(slice(text, spread.span), '...base');
    assert.equal(slice(text, list.value), '[for (s, i) in subnets: cidrSubnet(s, 24, i)]');
    assert.ok(list.value.kind === 'for' && list.value.body.kind === 'call');
    assert.equal(slice(text, list.value.body), 'cidrSubnet(s, 24, i)');
    assert.equal(slice(text, list.value.body.nameSpan), 'cidrSubnet');
    assert.equal(slice(text, pick.value), 'cond\n    ? a\n    : b');
  });

  it('keeps a pragma inside an object out of the tree', () => {
    const shapes = varShapes(`var x = {
  #disable-next-line BCP036 // a comment
  networkPolicy: 'azure'
}`);
    assert.equal(shapes.x, '{networkPolicy: "azure"}');
  });
});

describe('Bicep parser: one typo, one diagnostic', () => {
  /** Parses `text`, expects exactly one diagnostic, and returns it with its line and text. */
  function oneDiagnostic(text: string, names: (string | undefined)[]) {
    const program = parseBicep(text);
    assert.equal(program.diagnostics.length, 1, `expected one diagnostic, got ${JSON.stringify(program.diagnostics)}`);
    assert.deepEqual(
      program.statements.map((s) => s.name),
      names,
    );
    assertSpansSound(text, program);
    const d = program.diagnostics[0]!;
    return { message: d.message, line: lineOf(text, d.start), text: slice(text, d), start: d.start, program };
  }

  it("reports a missing '=' before a resource body at the body, and still parses the body", () => {
    const text = `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' {
  name: 'vnet'
}
param p string
`;
    const d = oneDiagnostic(text, ['vnet', 'p']);
    assert.deepEqual([d.message, d.line, d.text], ["expected '=' after the resource type", 1, '{']);
    assert.equal(sx((d.program.statements[0] as ResourceDeclaration).body), '{name: "vnet"}');
  });

  it("names the property when ':' is missing", () => {
    const text = `var x = {
  name 'a'
  b: 2
}
var y = 1
`;
    const d = oneDiagnostic(text, ['x', 'y']);
    assert.deepEqual([d.message, d.line, d.text], ["expected ':' after the property name 'name'", 2, "'a'"]);
    assert.equal(sx(valueOf(d.program.statements[0]!)), '{name: "a", b: 2}');
  });

  it("puts a missing ')' at the end of the unfinished call", () => {
    const text = 'var x = concat(a, b\nvar y = 1\n';
    const d = oneDiagnostic(text, ['x', 'y']);
    assert.deepEqual([d.message, d.start], ["expected ')'", text.indexOf('b') + 1]);
  });

  it("reports a missing ']' before the next declaration", () => {
    const text = `var x = [
  'a'
  'b'

param p string
`;
    const d = oneDiagnostic(text, ['x', 'p']);
    assert.deepEqual([d.message, d.line], ["expected ']'", 3]);
  });

  it("reports a missing '}' once, however deep, and the next declarations still parse", () => {
    const text = `resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet'
  properties: {
    addressSpace: {
      addressPrefixes: ['10.0.0.0/16']

@description('x')
param p string
output o string = p
`;
    const d = oneDiagnostic(text, ['vnet', 'p', 'o']);
    assert.deepEqual([d.message, d.line], ["expected '}'", 5]);
  });

  it("reports a missing '}' at the end of the file once", () => {
    const d = oneDiagnostic("var x = {\n  a: {\n    b: [1\n", ['x']);
    assert.deepEqual([d.message, d.line], ["expected ']'", 3]);
  });

  it('reports an unterminated string once, and the next line is fine', () => {
    const text = "var a = 'abc\nvar b = 1\n";
    const d = oneDiagnostic(text, ['a', 'b']);
    assert.deepEqual([d.message, d.text], ["unterminated string: add the closing '", "'abc"]);
  });

  it('reports a string split by a line break once', () => {
    const text = "var a = {\n  location: 'west\neurope'\n  b: 2\n}\nvar c = 1\n";
    const d = oneDiagnostic(text, ['a', 'c']);
    assert.deepEqual([d.message, d.line], ["unterminated string: add the closing '", 2]);
  });

  it("reports an interpolation missing its '}' once", () => {
    const d = oneDiagnostic("var a = 'x-${name'\nvar b = 1\n", ['a', 'b']);
    assert.deepEqual([d.message, d.text], ["unterminated string: add the closing } and '", "'x-${name'"]);
  });

  it('says that Bicep strings use single quotes', () => {
    const d = oneDiagnostic('param p string = "x"\nvar b = 1\n', ['p', 'b']);
    assert.deepEqual([d.message, d.text], ['Bicep strings use single quotes: write \'…\' instead of "…"', '"x"']);
    assert.equal(sx(valueOf(d.program.statements[0]!)), '"x"');
  });

  it("points at a lone '&' and at a ';'", () => {
    assert.deepEqual(oneDiagnostic('var a = x & y\nvar b = 1', ['a', 'b']).text, '&');
    const semicolon = oneDiagnostic('var a = 1;\nvar b = 1', ['a', 'b']);
    assert.deepEqual([semicolon.message, semicolon.text], ["Bicep statements end at the end of the line: remove the ';'", ';']);
  });

  it('names an unknown declaration keyword, and skips its block quietly', () => {
    const text = `parm x string
resuorce r 'T@v' = {
  name: 'a'
}
var b = 1
`;
    const d = oneDiagnostic(text, ['b']);
    assert.deepEqual([d.message.split(':')[0], d.text], ["unknown declaration 'parm'", 'parm']);
  });

  it('reports a declaration without a name once', () => {
    const d = oneDiagnostic('param\nparam p string\n', [undefined, 'p']);
    assert.deepEqual([d.message, d.start], ['expected a parameter name after param', 5]);
  });

  it('reports the stray quote of the AKS docs snippet once, on its line, and keeps the declarations before it', () => {
    const text = readCorpus(STRAY_QUOTE_FILE);
    const d = oneDiagnostic(text, ['clusterName', 'location', 'aks']);
    assert.equal(d.message, "unterminated string: add the closing '");
    assert.equal(text.split('\n')[d.line - 1], "resource aks 'Microsoft.ContainerService/managedClusters@2026-02-01' ' = {");
  });

  it('flags stacked prefix operators, a comma ending a line, a float and an unknown escape', () => {
    assert.match(oneDiagnostic('var a = !!x\nvar b = 1', ['a', 'b']).message, /cannot be stacked/);
    assert.match(oneDiagnostic('var a = [1,\n2]\nvar b = 1', ['a', 'b']).message, /',' cannot end a line/);
    assert.match(oneDiagnostic('var a = 1.5\nvar b = 1', ['a', 'b']).message, /integers/);
    assert.match(oneDiagnostic("var a = 'a\\qb'\nvar b = 1", ['a', 'b']).message, /unknown escape sequence '\\q'/);
  });

  it('underlines only the opening of an unterminated comment or multi-line string', () => {
    assert.deepEqual(oneDiagnostic('var a = 1\n/* oops\nvar b = 2', ['a']).text, '/*');
    assert.deepEqual(oneDiagnostic("var a = {\n  b: '''\nvar c = 1\n", ['a']).text, "'''");
  });
});

describe('Bicep parser: shared corpus', () => {
  const files = corpusFiles();

  it('finds the corpus', () => {
    assert.ok(files.length >= 70, `found ${files.length} .bicep files under ${CORPUS}`);
    assert.ok(files.includes(STRAY_QUOTE_FILE));
  });

  it('parses every file with zero diagnostics, except the one with a stray quote; spans are sound', () => {
    for (const file of files) {
      const text = readCorpus(file);
      const program = parseBicep(text);
      assertSpansSound(text, program);
      if (file === STRAY_QUOTE_FILE) continue;
      assert.deepEqual(program.diagnostics, [], file);
      // Every column-0 declaration keyword of the file is one statement.
      const written = text.match(/^(targetScope|metadata|param|var|output|resource|module|type|func|import|extension|assert|test)\b/gm) ?? [];
      assert.equal(program.statements.length, written.length, file);
    }
  });

  it('parses the corpus the same with CRLF or CR line ends and a BOM', () => {
    for (const file of files) {
      const text = readCorpus(file);
      const expected = parseBicep(text);
      for (const variant of [text.replace(/\r?\n/g, '\r\n'), text.replace(/\r?\n/g, '\r'), `\uFEFF${text}`]) {
        const program = parseBicep(variant);
        assert.deepEqual(
          [program.diagnostics.length, program.statements.map((s) => `${s.kind} ${s.name}`)],
          [expected.diagnostics.length, expected.statements.map((s) => `${s.kind} ${s.name}`)],
          file,
        );
      }
    }
  });

  it('finds the declarations of the main files (counts checked by hand with grep)', () => {
    const expected: Record<string, Record<string, number>> = {
      'Azure__AKS-Construction/bicep/main.bicep': { param: 125, var: 57, resource: 28, module: 18, output: 25 },
      'Azure__AKS-Construction/bicep/network.bicep': { param: 34, var: 34, resource: 17, module: 7, output: 11 },
      'Azure__aks-baseline-automation/IaC/bicep/rg-spoke/cluster.bicep': { targetScope: 1, param: 12, var: 12, resource: 3, module: 31, output: 1 },
      'Azure__aks-baseline-automation/IaC/bicep/rg-spoke/spoke.bicep': { targetScope: 1, param: 6, var: 10, module: 8, output: 2 },
      'Azure__aks-baseline-automation/IaC/bicep/rg-hub/hub-default.bicep': { targetScope: 1, param: 8, var: 11, module: 9, output: 3 },
      'Azure__bicep-registry-modules/avm/res/container-service/managed-cluster/main.bicep': {
        metadata: 2,
        import: 4,
        param: 87,
        var: 5,
        resource: 9,
        module: 3,
        output: 16,
        type: 3,
      },
      'Azure__bicep-registry-modules/avm/res/network/virtual-network/main.bicep': { metadata: 2, import: 3, param: 20, var: 3, resource: 5, module: 3, output: 6, type: 2 },
    };
    for (const [file, counts] of Object.entries(expected)) {
      const found: Record<string, number> = {};
      for (const s of parseBicep(readCorpus(file)).statements) found[s.kind] = (found[s.kind] ?? 0) + 1;
      assert.deepEqual(found, counts, file);
    }
  });

  it('reads the network values of AKS-Construction main.bicep', () => {
    const program = parseBicep(readCorpus('Azure__AKS-Construction/bicep/main.bicep'));
    const param = (name: string) => program.statements.find((s) => s.kind === 'param' && s.name === name);
    assert.equal(sx(valueOf(param('podCidr')!)), '"10.240.100.0/22"');
    assert.equal(sx(valueOf(param('serviceCidr')!)), '"172.10.0.0/16"');
    assert.equal(sx(valueOf(param('maxPods')!)), '30');
    const network = program.statements.find((s) => s.kind === 'module' && s.name === 'network');
    assert.ok(network?.kind === 'module');
    assert.equal(network.path, './network.bicep');
    assert.equal(sx(network.condition!), 'custom_vnet');
    const conditional = program.statements.filter((s) => (s.kind === 'resource' || s.kind === 'module') && s.condition !== undefined);
    assert.equal(conditional.length, 45);
    assert.equal(program.statements.filter((s) => s.kind === 'resource' && s.existing).length, 2);
  });

  it('finds nested child resources and their parent', () => {
    const program = parseBicep(readCorpus('Azure__aks-baseline-automation/IaC/bicep/rg-spoke/acr.bicep'));
    const vnet = program.statements.find((s) => s.name === 'spokeVirtualNetwork');
    assert.ok(vnet?.kind === 'resource' && vnet.body.kind === 'object');
    const child = vnet.body.members.find((m) => m.kind === 'resource');
    assert.ok(child?.kind === 'resource');
    assert.deepEqual([child.declaration.name, child.declaration.type, child.declaration.existing], ['snetClusterNodes', 'subnets@2021-05-01', true]);
  });

  it('gives at most one diagnostic for a corpus file cut at a line end (a user typing)', () => {
    for (const file of files) {
      if (file === STRAY_QUOTE_FILE) continue;
      const text = readCorpus(file);
      const lines = text.split('\n');
      // Every 5th line keeps the test fast; the property holds at every offset (checked by fuzzing below).
      for (let n = 1; n < lines.length; n += 5) {
        const prefix = lines.slice(0, n).join('\n');
        const program = parseBicep(prefix);
        assert.ok(program.diagnostics.length <= 1, `${file} cut after line ${n}: ${JSON.stringify(program.diagnostics)}`);
      }
    }
  });
});

describe('Bicep parser: robustness', () => {
  const files = corpusFiles().filter((f) => f !== STRAY_QUOTE_FILE);
  const texts = files.map(readCorpus);
  const fragments = [
    "'",
    '"',
    "'''",
    "$'''",
    '${',
    '}',
    '{',
    '[',
    ']',
    '(',
    ')',
    ',',
    ':',
    '::',
    '=',
    '=>',
    '?',
    '.?',
    '!',
    '@',
    '...',
    '&',
    '$',
    '#disable-next-line x',
    '/*',
    '*/',
    '//',
    '\n',
    '\r\n',
    ' ',
    'resource',
    'param',
    'var',
    'module',
    'existing',
    'if',
    'for',
    'in',
    'x',
    '1',
    '\uFEFF',
    '\u{1F600}',
  ];

  /** Parses without throwing and checks every span. */
  function parsesSoundly(text: string): Program {
    const program = parseBicep(text);
    assertSpansSound(text, program);
    assert.ok(!program.diagnostics.some((d) => d.message.startsWith('internal error')), JSON.stringify(program.diagnostics));
    return program;
  }

  it('survives mutated corpus files: deleted, duplicated and inserted spans', () => {
    const span = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 40 }));
    const mutation = fc.oneof(
      span.map(([at, len]) => (t: string) => t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + len)),
      span.map(([at, len]) => (t: string) => {
        const from = at % (t.length + 1);
        return t.slice(0, from + len) + t.slice(from, from + len) + t.slice(from + len);
      }),
      fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 }))).map(([at, insert]) => (t: string) => {
        const from = at % (t.length + 1);
        return t.slice(0, from) + insert + t.slice(from);
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (file, mutations) => {
        parsesSoundly(mutations.reduce((text, mutate) => mutate(text), texts[file]!));
      }),
      { seed: Number(process.env.BICEP_FUZZ_SEED ?? 20260821), numRuns: Number(process.env.BICEP_FUZZ_RUNS ?? 400) },
    );
  });

  it('gives at most one diagnostic for a corpus file cut at any offset', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.nat(), (file, at) => {
        const text = texts[file]!;
        const program = parsesSoundly(text.slice(0, at % (text.length + 1)));
        assert.ok(program.diagnostics.length <= 1, JSON.stringify(program.diagnostics));
      }),
      { seed: Number(process.env.BICEP_FUZZ_SEED ?? 20260822), numRuns: Number(process.env.BICEP_FUZZ_RUNS ?? 400) },
    );
  });

  it('survives random token soup', () => {
    const soup = fc
      .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 }), fc.string({ maxLength: 2, unit: 'binary' })), {
        maxLength: 200,
        size: 'max',
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(soup, (text) => {
        parsesSoundly(text);
      }),
      { seed: Number(process.env.BICEP_FUZZ_SEED ?? 20260823), numRuns: Number(process.env.BICEP_FUZZ_RUNS ?? 1000) },
    );
  });

  it('caps nesting depth instead of overflowing the stack', () => {
    const n = 10_000;
    const inputs = [
      'var x = ' + '['.repeat(n),
      'var x = ' + '('.repeat(n) + '1' + ')'.repeat(n),
      'var x = ' + '{a:'.repeat(n) + '1' + '}'.repeat(n),
      'var x = ' + "'${".repeat(n) + '1' + "}'".repeat(n),
      'var x = ' + '!-'.repeat(n) + 'a',
      'var x = ' + 'a => '.repeat(n) + 'a',
      'var x = ' + 'a ? b : '.repeat(n) + 'c',
      'var x = ' + 'f('.repeat(n),
      'param x ' + '('.repeat(n) + 'string' + ')'.repeat(n),
      'type x = ' + '{a:'.repeat(n) + 'string' + '}'.repeat(n),
      '@a\n'.repeat(n) + 'var x = 1',
      ')]}'.repeat(n) + '\nvar x = 1',
      "resource x 'T@v' = {\n".repeat(n),
      'var x = ' + '['.repeat(150) + 'a' + '\n '.repeat(n),
      '"'.repeat(n),
      '$'.repeat(n),
      "'" + '\\u{'.repeat(n),
    ];
    for (const input of inputs) {
      const program = parsesSoundly(`${input}\nvar last = 1`);
      assert.equal(program.statements.at(-1)?.name, 'last', input.slice(0, 30));
      assert.ok(program.diagnostics.length <= 2, `${input.slice(0, 30)}: ${JSON.stringify(program.diagnostics)}`);
    }
  });

  it('parses a ~1 MB file made of the corpus', (t) => {
    let text = '';
    for (let i = 0; text.length < 1_000_000; i++) text += `${texts[i % texts.length]}\n`;
    const started = performance.now();
    const program = parseBicep(text);
    const ms = performance.now() - started;
    t.diagnostic(`parsed ${(text.length / 1024).toFixed(0)} KiB into ${program.statements.length} statements in ${ms.toFixed(1)} ms`);
    assert.deepEqual(program.diagnostics, []);
    assertSpansSound(text, program);
  });
});
