// The Bicep syntax tree the parser produces and the evaluator reads.
// Every node has a span of UTF-16 offsets [start, end) into the file's text.

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A syntax error: one precise message at one place. */
export interface SyntaxDiagnostic extends Span {
  readonly message: string;
}

export type Expression =
  | StringExpression
  | IntegerExpression
  | BooleanExpression
  | NullExpression
  | ArrayExpression
  | ObjectExpression
  | IdentifierExpression
  | CallExpression
  | PropertyAccessExpression
  | IndexExpression
  | NestedResourceAccessExpression
  | UnaryExpression
  | NonNullExpression
  | BinaryExpression
  | TernaryExpression
  | LambdaExpression
  | ForExpression
  | ParenthesizedExpression
  | ErrorExpression;

/** `'a${x}b'` has segments ['a', 'b'] and holes [x]; multi-line `'''…'''` strings have no holes. */
export interface StringExpression extends Span {
  readonly kind: 'string';
  /** Literal text between holes, escapes already decoded; always holes.length + 1 entries. */
  readonly segments: readonly string[];
  readonly holes: readonly Expression[];
}

export interface IntegerExpression extends Span {
  readonly kind: 'integer';
  readonly value: number;
}

export interface BooleanExpression extends Span {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullExpression extends Span {
  readonly kind: 'null';
}

export type ArrayItem =
  | { readonly kind: 'item'; readonly value: Expression }
  | { readonly kind: 'spread'; readonly value: Expression; readonly span: Span };

export interface ArrayExpression extends Span {
  readonly kind: 'array';
  readonly items: readonly ArrayItem[];
}

export type ObjectMember =
  | ObjectProperty
  | { readonly kind: 'spread'; readonly value: Expression; readonly span: Span }
  /** A nested child resource declared inside a resource body. */
  | { readonly kind: 'resource'; readonly declaration: ResourceDeclaration };

export interface ObjectProperty {
  readonly kind: 'property';
  /** The key's text: an identifier, or a string without holes (decoded). Undefined for an interpolated key. */
  readonly key: string | undefined;
  readonly keySpan: Span;
  readonly value: Expression;
}

export interface ObjectExpression extends Span {
  readonly kind: 'object';
  readonly members: readonly ObjectMember[];
}

export interface IdentifierExpression extends Span {
  readonly kind: 'identifier';
  readonly name: string;
}

/** `f(a, b)`, or `ns.f(a)` / `x.f(a)` when `target` is set (`sys.concat`, `az.resourceGroup`, `kv.getSecret`). */
export interface CallExpression extends Span {
  readonly kind: 'call';
  readonly target: Expression | undefined;
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly Expression[];
}

/** `x.name` or, when `safe`, `x.?name`. */
export interface PropertyAccessExpression extends Span {
  readonly kind: 'propertyAccess';
  readonly object: Expression;
  readonly name: string;
  readonly nameSpan: Span;
  readonly safe: boolean;
}

/** `x[i]`, `x[?i]` (safe), `x[^i]` (from the end). */
export interface IndexExpression extends Span {
  readonly kind: 'index';
  readonly object: Expression;
  readonly index: Expression;
  readonly safe: boolean;
  readonly fromEnd: boolean;
}

/** `vnet::subnet`. */
export interface NestedResourceAccessExpression extends Span {
  readonly kind: 'nestedAccess';
  readonly object: Expression;
  readonly name: string;
}

export interface UnaryExpression extends Span {
  readonly kind: 'unary';
  readonly operator: '!' | '-';
  readonly operand: Expression;
}

/** Postfix `x!`. */
export interface NonNullExpression extends Span {
  readonly kind: 'nonNull';
  readonly operand: Expression;
}

export type BinaryOperator =
  | '*'
  | '/'
  | '%'
  | '+'
  | '-'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '=~'
  | '!~'
  | '&&'
  | '||'
  | '??';

export interface BinaryExpression extends Span {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface TernaryExpression extends Span {
  readonly kind: 'ternary';
  readonly condition: Expression;
  readonly whenTrue: Expression;
  readonly whenFalse: Expression;
}

export interface LambdaExpression extends Span {
  readonly kind: 'lambda';
  readonly parameters: readonly string[];
  readonly body: Expression;
}

/**
 * `[for item in source: body]`, `[for (item, index) in source: body]`.
 * In resource and module loops the body may be `if (condition) {…}`: then `condition` is set.
 */
export interface ForExpression extends Span {
  readonly kind: 'for';
  readonly itemName: string | undefined;
  readonly indexName: string | undefined;
  readonly source: Expression;
  readonly condition: Expression | undefined;
  readonly body: Expression;
}

export interface ParenthesizedExpression extends Span {
  readonly kind: 'paren';
  readonly expression: Expression;
}

/** Where an expression was expected but could not be parsed; the diagnostic is in the program's list. */
export interface ErrorExpression extends Span {
  readonly kind: 'error';
}

export interface Decorator extends Span {
  /** The decorator's name without namespace: `description` for `@sys.description('…')`. */
  readonly name: string;
  readonly args: readonly Expression[];
}

interface DeclarationBase extends Span {
  readonly decorators: readonly Decorator[];
  /** The declared name; undefined when it is missing (a syntax error was reported). */
  readonly name: string | undefined;
  readonly nameSpan: Span;
}

export interface ParamDeclaration extends DeclarationBase {
  readonly kind: 'param';
  /** The type's text as written (`string`, `int`, `object`, `'a' | 'b'`, `resource 'T@v'`), for display only. */
  readonly typeText: string;
  readonly defaultValue: Expression | undefined;
}

export interface VarDeclaration extends DeclarationBase {
  readonly kind: 'var';
  readonly value: Expression;
}

export interface OutputDeclaration extends DeclarationBase {
  readonly kind: 'output';
  readonly value: Expression;
}

/**
 * `resource name 'Type@version' [existing] = body`. The body is an object, a for expression
 * (a resource loop), and `condition` is set for `= if (cond) {…}`.
 */
export interface ResourceDeclaration extends DeclarationBase {
  readonly kind: 'resource';
  /** The type string's text, e.g. `Microsoft.Network/virtualNetworks@2023-11-01` or `subnets` (nested). */
  readonly type: string | undefined;
  readonly typeSpan: Span;
  readonly existing: boolean;
  readonly condition: Expression | undefined;
  readonly body: Expression;
}

/** `module name 'path' = body`, with the same body forms as a resource. */
export interface ModuleDeclaration extends DeclarationBase {
  readonly kind: 'module';
  /** The module path's text: `./network.bicep`, `br/public:avm/…:1.0`, `ts:…`. */
  readonly path: string | undefined;
  readonly pathSpan: Span;
  readonly condition: Expression | undefined;
  readonly body: Expression;
}

export interface FunctionDeclaration extends DeclarationBase {
  readonly kind: 'func';
  readonly parameters: readonly string[];
  readonly body: Expression;
}

/** Declarations the evaluator does not need the inside of: targetScope, metadata, type, import, extension, assert, test. */
export interface OtherDeclaration extends DeclarationBase {
  readonly kind: 'targetScope' | 'metadata' | 'type' | 'import' | 'extension' | 'assert' | 'test';
  /** For `targetScope = …`, `metadata x = …`, `assert x = …`: the value. */
  readonly value: Expression | undefined;
  /** For `import … from 'x'` and `import * as ns from 'x'`: the names it brings into scope (aliases applied). */
  readonly importedNames: readonly string[];
}

/** `.bicepparam`: `using './main.bicep'` (the template it gives values to; `using none`: none) and `extends './base.bicepparam'`. */
export interface UsingDeclaration extends DeclarationBase {
  readonly kind: 'using' | 'extends';
  /** The path as written; undefined for `using none` or a path that is not a plain string. */
  readonly path: string | undefined;
  readonly pathSpan: Span;
}

export type Statement =
  | UsingDeclaration
  | ParamDeclaration
  | VarDeclaration
  | OutputDeclaration
  | ResourceDeclaration
  | ModuleDeclaration
  | FunctionDeclaration
  | OtherDeclaration;

export interface Program {
  readonly statements: readonly Statement[];
  readonly diagnostics: readonly SyntaxDiagnostic[];
}
