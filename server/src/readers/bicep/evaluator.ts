// Constant folding of a Bicep file with provenance: params (module arguments or defaults), vars,
// resources, modules and outputs, evaluated lazily with memoisation and cycle detection.
// Whatever depends on the deployment stays unknown; nothing is guessed.
import type { Source } from '../../model/source';
import { type EvaluationBudget, newBudget, spend } from '../arm/budget';
import { type CallContext, callBuiltin, equalValues, stringify } from '../arm/functions';
import type {
  Expression,
  ModuleDeclaration,
  ObjectExpression,
  Program,
  ResourceDeclaration,
  Span,
  Statement,
} from './syntax';
import {
  appendToResourceId,
  type ArmValue,
  type Deployment,
  EMPTY_SCOPE,
  property,
  type ResourceIdSegment,
  type ResourceInstance,
  recordUse,
  type Scope,
  unknownValue,
} from '../arm/values';

/** Access to other files: parsed Bicep modules and raw text for load*Content. */
export interface BicepHost {
  /** The parsed program of a Bicep file, or undefined when no such file exists (or it was not read). */
  program(uri: string): Program | undefined;
  /** The text of any file, or undefined when it does not exist (or it was not read). */
  text(uri: string): string | undefined;
  /** Why an existing file was not read (e.g. it is outside the workspace), or undefined. */
  notRead?(uri: string): string | undefined;
}

/** What evaluating a deployment produces besides values: every resource instance it deploys or references. */
const MAX_MODULE_DEPTH = 16;
const MAX_EVALUATION_DEPTH = 200;
/**
 * Evaluation steps per deployment, modules included: loops of loops and module calls in loops multiply, so a
 * hostile or mistaken file could otherwise take hours (found by fuzzing). Every deployment of the shared corpus
 * evaluates within 50,000 steps; past the limit, values are unknown.
 */
const MAX_EVALUATION_STEPS = 1_000_000;
const TOO_LARGE = `evaluation stopped after ${MAX_EVALUATION_STEPS} steps: the deployment is too large to evaluate`;
const budgets = new WeakMap<Deployment, EvaluationBudget>();
/** Longer strings are unknown: ARM refuses templates over 4 MB, Bicep loadTextContent files over 131,072 characters. */
const MAX_STRING_LENGTH = 1 << 20;
/** Expressions that build a new value: it costs its size in steps, so doubling strings or arrays stays bounded too. */
const BUILDS = new Set<Expression['kind']>(['string', 'array', 'object', 'call', 'for']);

function isRegistryPath(path: string): boolean {
  return /^(br[:/]|ts[:/])/.test(path);
}

/** Resolves a module path relative to the file that declares it. */
export function resolveModulePath(fromUri: string, path: string): string | undefined {
  if (isRegistryPath(path)) return undefined;
  try {
    return new URL(path, fromUri).href;
  } catch {
    return undefined;
  }
}

/** Strips the API version: `Microsoft.Network/virtualNetworks@2023-11-01` -> `Microsoft.Network/virtualNetworks`. */
function typeWithoutVersion(type: string | undefined): string {
  return (type ?? '').split('@')[0]!;
}

export class FileEvaluator {
  private readonly symbols = new Map<string, Statement>();
  private readonly memo = new Map<string, ArmValue>();
  private readonly evaluating = new Set<string>();
  /** Nested child resources of each instance, for `parent::child`. */
  private readonly childrenOf = new Map<ResourceInstance, Map<string, ArmValue>>();
  private depth = 0;

  constructor(
    readonly uri: string,
    private readonly program: Program,
    private readonly host: BicepHost,
    private readonly deployment: Deployment,
    /** Module arguments; undefined for a file deployed on its own (params take their defaults). */
    private readonly args: ReadonlyMap<string, ArmValue> | undefined,
    private readonly moduleDepth = 0,
    /** The files whose module calls led here: calling one of them again is a cycle, which Bicep rejects. */
    private readonly callers: readonly string[] = [],
  ) {
    for (const statement of program.statements) {
      // Metadata and outputs have names of their own namespace: `metadata name = …` must not hide `param name`.
      const referenceable = statement.kind !== 'metadata' && statement.kind !== 'output';
      if (referenceable && statement.name !== undefined && !this.symbols.has(statement.name)) this.symbols.set(statement.name, statement);
      if (statement.kind === 'import' || statement.kind === 'extension') {
        for (const name of statement.importedNames) this.symbols.set(name, statement);
      }
    }
  }

  private source(span: Span): Source {
    return { uri: this.uri, start: span.start, end: span.end };
  }

  /** A parameter's or variable's use with a plain value: hovers show what it evaluates to there. Bounded per deployment. */
  private recordUse(source: Source, value: ArmValue): void {
    recordUse(this.deployment, source, value);
  }

  /** Evaluates every resource and module of the file, so that the deployment holds all instances. */
  evaluateAll(): void {
    for (const statement of this.program.statements) {
      if ((statement.kind === 'resource' || statement.kind === 'module') && statement.name !== undefined) {
        this.symbolValue(statement.name);
      }
    }
  }

  /** The outputs of the file, evaluated on demand. */
  outputs(): Map<string, ArmValue> {
    const outputs = new Map<string, ArmValue>();
    for (const statement of this.program.statements) {
      if (statement.kind === 'output' && statement.name !== undefined) {
        outputs.set(statement.name, this.evaluate(statement.value, EMPTY_SCOPE));
      }
    }
    return outputs;
  }

  /** The value a symbol (param, var, resource, module) stands for, computed once. */
  symbolValue(name: string): ArmValue {
    const cached = this.memo.get(name);
    if (cached) return cached;
    const statement = this.symbols.get(name);
    if (!statement) return unknownValue(`'${name}' is not declared in this file`);
    if (this.evaluating.has(name)) return unknownValue(`'${name}' refers to itself`, this.source(statement.nameSpan));
    this.evaluating.add(name);
    let value: ArmValue;
    try {
      value = this.evaluateStatement(statement);
    } finally {
      this.evaluating.delete(name);
    }
    this.memo.set(name, value);
    return value;
  }

  /** A parameter's value: the caller's argument (or environment's), else its default, else null if nullable in a module. */
  private paramValue(statement: Extract<Statement, { kind: 'param' }>): ArmValue {
    const argument = statement.name === undefined ? undefined : this.args?.get(statement.name);
    if (argument) return argument;
    if (statement.defaultValue) return this.evaluate(statement.defaultValue, EMPTY_SCOPE);
    // A nullable parameter (`string?`) that the calling module leaves out is null; a deployment root's caller is unknown.
    if (this.args && statement.typeText.trimEnd().endsWith('?')) return { kind: 'null', source: this.source(statement.nameSpan) };
    return unknownValue(`parameter '${statement.name}' has no default value`, this.source(statement.nameSpan));
  }

  private evaluateStatement(statement: Statement): ArmValue {
    switch (statement.kind) {
      case 'param': {
        const value = this.paramValue(statement);
        // Its declaration shows what it is in this deployment (an environment, a module call).
        this.recordUse(this.source(statement.nameSpan), value);
        return value;
      }
      case 'var':
        return this.evaluate(statement.value, EMPTY_SCOPE);
      case 'resource':
        return this.declareResource(statement, EMPTY_SCOPE, undefined);
      case 'module':
        return this.declareModule(statement);
      default:
        return unknownValue(`'${statement.name}' is a ${statement.kind} declaration`, this.source(statement.nameSpan));
    }
  }

  /** A resource declaration's instances: one, none (false condition), or one per loop item. */
  private declareResource(declaration: ResourceDeclaration, scope: Scope, parent: ResourceInstance | undefined): ArmValue {
    const declared = this.source(declaration);
    return this.expandBody(declaration.body, declaration.condition, scope, declared, (body, itemScope) =>
      this.createResource(declaration, body, itemScope, parent),
    );
  }

  /** Runs `create` once per instance of a declaration body: plain, `if (…)`, or a `[for …]` loop. */
  private expandBody(
    body: Expression,
    condition: Expression | undefined,
    scope: Scope,
    declared: Source,
    create: (body: ObjectExpression, scope: Scope) => ArmValue,
  ): ArmValue {
    const included = (test: Expression | undefined, at: Scope): boolean | undefined => {
      if (!test) return true;
      const value = this.evaluate(test, at);
      return value.kind === 'bool' ? value.value : undefined;
    };
    if (body.kind === 'object') {
      const include = included(condition, scope);
      // A resource that may or may not be deployed is left out: unknown is not wrong.
      if (include !== true) return include === false ? { kind: 'null', source: declared } : unknownValue('deployed only under a condition that cannot be evaluated', declared);
      return create(body, scope);
    }
    if (body.kind === 'for') {
      const items = this.loopItems(body, scope);
      if (!items) return unknownValue('loop over values that cannot be evaluated', declared);
      const instances: ArmValue[] = [];
      for (const itemScope of items) {
        if (this.stopped()) return unknownValue(TOO_LARGE, declared);
        if (included(body.condition, itemScope) !== true) continue;
        if (body.body.kind === 'object') instances.push(create(body.body, itemScope));
      }
      return { kind: 'array', items: instances, source: declared };
    }
    return unknownValue('unsupported declaration body', declared);
  }

  /** Scopes for each item of a for-expression, or undefined when the source is not a known array. */
  private loopItems(loop: Extract<Expression, { kind: 'for' }>, scope: Scope): Scope[] | undefined {
    const source = this.evaluate(loop.source, scope);
    if (source.kind !== 'array') return undefined;
    return source.items.map((item, index) => {
      const locals = new Map(scope.locals);
      if (loop.itemName) locals.set(loop.itemName, item);
      if (loop.indexName) locals.set(loop.indexName, { kind: 'int', value: index, source: this.source(loop) });
      return { locals };
    });
  }

  private createResource(
    declaration: ResourceDeclaration,
    bodyExpression: ObjectExpression,
    scope: Scope,
    lexicalParent: ResourceInstance | undefined,
  ): ArmValue {
    const source = this.source(declaration);
    const body = declaration.existing && !lexicalParent ? this.evaluateExistingBody(bodyExpression, scope) : this.evaluate(bodyExpression, scope);
    const rawType = typeWithoutVersion(declaration.type);
    const parentValue = property(body, 'parent');
    let parent = lexicalParent ?? (parentValue?.kind === 'resource' ? parentValue.instance : undefined);
    let name = property(body, 'name') ?? unknownValue('no name', source);
    // A child declared at top level with a `/`-composed name: `vnet/subnet`.
    if (!parent && rawType.split('/').length > 2 && name.kind === 'string' && name.value.includes('/')) {
      const parts = name.value.split('/');
      const types = rawType.split('/');
      parent = {
        serial: this.deployment.instances.length,
        type: types.slice(0, types.length - 1).join('/'),
        name: { kind: 'string', value: parts.slice(0, -1).join('/'), source: name.source },
        parent: undefined,
        existing: true,
        body: undefined,
        source,
      };
      name = { kind: 'string', value: parts[parts.length - 1]!, source: name.source };
    }
    const type = lexicalParent ? `${lexicalParent.type}/${rawType}` : rawType;
    const apiVersion = (declaration.type ?? '').split('@')[1] ?? lexicalParent?.apiVersion;
    const instance: ResourceInstance = {
      serial: this.deployment.instances.length,
      type,
      ...(apiVersion ? { apiVersion } : {}),
      name,
      parent,
      existing: declaration.existing,
      body: declaration.existing ? undefined : body,
      source,
    };
    this.deployment.instances.push(instance);
    const children = new Map<string, ArmValue>();
    this.childrenOf.set(instance, children);
    for (const member of bodyExpression.members) {
      if (member.kind === 'resource' && member.declaration.name !== undefined) {
        children.set(member.declaration.name, this.declareResource(member.declaration, scope, instance));
      }
    }
    return { kind: 'resource', instance, source };
  }

  /** For `existing` resources only the name and scope matter; the rest is not deployed here. */
  private evaluateExistingBody(body: ObjectExpression, scope: Scope): ArmValue {
    const properties = new Map<string, ArmValue>();
    for (const member of body.members) {
      if (member.kind === 'property' && (member.key === 'name' || member.key === 'parent')) {
        properties.set(member.key, this.evaluate(member.value, scope));
      }
    }
    return { kind: 'object', properties, source: this.source(body) };
  }

  private declareModule(declaration: ModuleDeclaration): ArmValue {
    const declared = this.source(declaration);
    const path = declaration.path ?? '';
    const target = resolveModulePath(this.uri, path);
    const program = target === undefined ? undefined : this.host.program(target);
    return this.expandBody(declaration.body, declaration.condition, EMPTY_SCOPE, declared, (bodyExpression, scope) => {
      const body = this.evaluate(bodyExpression, scope);
      const name = property(body, 'name') ?? unknownValue('module deployment name', declared);
      const cycle = target !== undefined && (target === this.uri || this.callers.includes(target));
      if (!program || target === undefined || this.moduleDepth >= MAX_MODULE_DEPTH || cycle) {
        const reason = isRegistryPath(path) ? `registry module ${path}` : cycle ? `module ${path} calls itself (a module cycle)` : `module ${path} is not available`;
        const outputs = () => new Map<string, ArmValue>();
        const instance: ResourceInstance = {
          serial: this.deployment.instances.length,
          type: 'module',
          name,
          parent: undefined,
          existing: true,
          body: unknownValue(reason, declared),
          source: declared,
          outputs,
        };
        return { kind: 'resource', instance, source: declared };
      }
      const params = property(body, 'params');
      const args = new Map(params?.kind === 'object' ? params.properties : []);
      const child = new FileEvaluator(target, program, this.host, this.deployment, args, this.moduleDepth + 1, [...this.callers, this.uri]);
      child.evaluateAll();
      let outputs: Map<string, ArmValue> | undefined;
      const instance: ResourceInstance = {
        serial: this.deployment.instances.length,
        type: 'module',
        name,
        parent: undefined,
        existing: false,
        body,
        source: declared,
        outputs: () => (outputs ??= child.outputs()),
      };
      return { kind: 'resource', instance, source: declared };
    });
  }

  /** The deployment's budget of steps, shared by its modules. */
  private budget(): EvaluationBudget {
    let budget = budgets.get(this.deployment);
    if (!budget) budgets.set(this.deployment, (budget = newBudget('bicep', this.uri, MAX_EVALUATION_STEPS, TOO_LARGE)));
    return budget;
  }

  /** True once the deployment's budget is spent: loops stop at their next item (its value would be unknown). */
  private stopped(): boolean {
    return this.budget().stopped;
  }

  /** Evaluates an expression in a scope. Never throws: failures are unknown values. */
  evaluate(expression: Expression, scope: Scope): ArmValue {
    if (this.depth > MAX_EVALUATION_DEPTH) return unknownValue('expression nested too deeply', this.source(expression));
    const budget = this.budget();
    const tooLarge = () => unknownValue(TOO_LARGE, this.source(expression));
    if (!spend(budget, 1)) return tooLarge();
    this.depth++;
    let value: ArmValue;
    try {
      value = this.evaluateInner(expression, scope);
    } catch (error) {
      // A value too large for the engine (a string past V8's limit) or a bug: unknown, never an exception out of the reader.
      return unknownValue(`could not evaluate: ${error instanceof Error ? error.message : String(error)}`, this.source(expression));
    } finally {
      this.depth--;
    }
    // Bicep numbers are whole: a decimal literal (a syntax error, still parsed), an overflow or a huge literal is unknown,
    // never a fraction or Infinity that counts and sizes would be computed from.
    if (value.kind === 'int' && !Number.isSafeInteger(value.value)) return unknownValue(`${value.value} is not a whole number Bicep can hold`, this.source(expression));
    if (!BUILDS.has(expression.kind)) return value;
    if (value.kind === 'string' && value.value.length > MAX_STRING_LENGTH) return unknownValue(`a string of ${value.value.length} characters is too long to evaluate`, this.source(expression));
    const size = value.kind === 'array' ? value.items.length : value.kind === 'object' ? value.properties.size : value.kind === 'string' ? value.value.length >> 4 : 0;
    if (size === 0) return value;
    return spend(budget, size) ? value : tooLarge();
  }

  private evaluateInner(expression: Expression, scope: Scope): ArmValue {
    const source = this.source(expression);
    switch (expression.kind) {
      case 'string':
        return this.interpolate(expression.segments, expression.holes, scope, source);
      case 'integer':
        return { kind: 'int', value: expression.value, source };
      case 'boolean':
        return { kind: 'bool', value: expression.value, source };
      case 'null':
        return { kind: 'null', source };
      case 'array': {
        const items: ArmValue[] = [];
        for (const item of expression.items) {
          const value = this.evaluate(item.value, scope);
          if (item.kind === 'spread') {
            if (value.kind !== 'array') return unknownValue('spread of a value that is not a known array', source);
            items.push(...value.items);
          } else {
            items.push(value);
          }
        }
        return { kind: 'array', items, source };
      }
      case 'object': {
        const properties = new Map<string, ArmValue>();
        for (const member of expression.members) {
          if (member.kind === 'property') {
            if (member.key === undefined) return unknownValue('object with a computed key', source);
            properties.set(member.key, this.evaluate(member.value, scope));
          } else if (member.kind === 'spread') {
            const value = this.evaluate(member.value, scope);
            if (value.kind !== 'object') return unknownValue('spread of a value that is not a known object', source);
            for (const [key, item] of value.properties) properties.set(key, item);
          }
        }
        return { kind: 'object', properties, source };
      }
      case 'identifier': {
        const value = scope.locals.get(expression.name) ?? this.symbolValue(expression.name);
        this.recordUse(source, value);
        return value;
      }
      case 'call':
        return this.call(expression, scope, source);
      case 'propertyAccess': {
        const target = this.evaluate(expression.object, scope);
        if (expression.safe && target.kind === 'null') return target;
        return this.member(target, expression.name, source, expression.safe);
      }
      case 'index': {
        const target = this.evaluate(expression.object, scope);
        if (expression.safe && target.kind === 'null') return target;
        const index = this.evaluate(expression.index, scope);
        if (target.kind === 'array' && index.kind === 'int') {
          const position = expression.fromEnd ? target.items.length - index.value : index.value;
          return target.items[position] ?? (expression.safe ? { kind: 'null', source } : unknownValue('index out of range', source));
        }
        if (index.kind === 'string') return this.member(target, index.value, source, expression.safe);
        return target.kind === 'unknown' ? target : index.kind === 'unknown' ? index : unknownValue('index', source);
      }
      case 'nestedAccess': {
        const target = this.evaluate(expression.object, scope);
        if (target.kind !== 'resource') return target.kind === 'unknown' ? target : unknownValue('nested access', source);
        return this.childrenOf.get(target.instance)?.get(expression.name) ?? unknownValue(`no nested resource '${expression.name}'`, source);
      }
      case 'unary': {
        const operand = this.evaluate(expression.operand, scope);
        if (expression.operator === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value, source };
        if (expression.operator === '-' && operand.kind === 'int') return { kind: 'int', value: -operand.value, source };
        return operand.kind === 'unknown' ? operand : unknownValue(`operator ${expression.operator}`, source);
      }
      case 'nonNull':
        return this.evaluate(expression.operand, scope);
      case 'binary':
        return this.binary(expression, scope, source);
      case 'ternary': {
        const condition = this.evaluate(expression.condition, scope);
        if (condition.kind !== 'bool') return condition.kind === 'unknown' ? condition : unknownValue('condition is not a boolean', source);
        return this.evaluate(condition.value ? expression.whenTrue : expression.whenFalse, scope);
      }
      case 'lambda':
        return { kind: 'lambda', parameters: expression.parameters, body: expression.body, scope, source };
      case 'for': {
        const items = this.loopItems(expression, scope);
        if (!items) return unknownValue('loop over values that cannot be evaluated', source);
        const values: ArmValue[] = [];
        for (const itemScope of items) {
          if (this.stopped()) return unknownValue(TOO_LARGE, source);
          values.push(this.evaluate(expression.body, itemScope));
        }
        return { kind: 'array', items: values, source };
      }
      case 'paren':
        return this.evaluate(expression.expression, scope);
      case 'error':
        return unknownValue('syntax error', source);
    }
  }

  /** `a${b}c`. A resource id at the start of an interpolation keeps its path: `'${vnet.id}/subnets/x'`. */
  private interpolate(segments: readonly string[], holes: readonly Expression[], scope: Scope, source: Source): ArmValue {
    if (holes.length === 0) return { kind: 'string', value: segments[0] ?? '', source };
    const values = holes.map((hole) => this.evaluate(hole, scope));
    const first = values[0]!;
    if (first.kind === 'resourceId' && segments[0] === '') {
      const rest = stringifyAll(values.slice(1), segments.slice(1));
      if (rest !== undefined) return appendToResourceId(first, rest, source);
    }
    const text = stringifyAll(values, segments);
    if (text === undefined) return values.find((v) => v.kind === 'unknown') ?? unknownValue('interpolation of a value that is not text', source);
    return { kind: 'string', value: text, source };
  }

  private call(expression: Extract<Expression, { kind: 'call' }>, scope: Scope, source: Source): ArmValue {
    const namespace = expression.target?.kind === 'identifier' ? expression.target.name : undefined;
    if (expression.target && namespace !== 'sys' && namespace !== 'az') {
      return unknownValue(`${expression.name}() is computed at deployment`, source);
    }
    const args = expression.args.map((arg) => this.evaluate(arg, scope));
    const declared = namespace === undefined ? this.symbols.get(expression.name) : undefined;
    if (declared?.kind === 'func') {
      const locals = new Map<string, ArmValue>();
      declared.parameters.forEach((name, i) => locals.set(name, args[i] ?? unknownValue('missing argument', source)));
      return this.evaluate(declared.body, { locals });
    }
    const ctx: CallContext = {
      source,
      callLambda: (lambda, lambdaArgs) => {
        if (lambda.kind !== 'lambda') return unknownValue('not a lambda', source);
        const locals = new Map(lambda.scope.locals);
        lambda.parameters.forEach((name, i) => locals.set(name, lambdaArgs[i] ?? unknownValue('missing argument', source)));
        return this.evaluate(lambda.body as Expression, { locals });
      },
      loadText: (relativePath) => {
        const target = resolveModulePath(this.uri, relativePath);
        return target === undefined ? undefined : this.host.text(target);
      },
    };
    return callBuiltin(expression.name, args, ctx);
  }

  /** `target.name` on any value: object properties, resource ids, names, bodies and module outputs. */
  private member(target: ArmValue, name: string, source: Source, safe: boolean): ArmValue {
    // `.?name` on an object without that property is null, as in Bicep; plain access is a deployment error.
    const missing = (): ArmValue => (safe ? { kind: 'null', source } : unknownValue(`no property '${name}'`, source));
    if (target.kind === 'object') return property(target, name) ?? missing();
    if (target.kind === 'resource') {
      const instance = target.instance;
      if (name === 'id') return { kind: 'resourceId', path: resourceIdPath(instance), source };
      if (name === 'name') return instance.name.kind === 'unknown' ? { ...instance.name, nameOf: instance } : instance.name;
      if (name === 'outputs' && instance.outputs) {
        return { kind: 'object', properties: instance.outputs(), source };
      }
      const value = property(instance.body, name);
      if (value && name.toLowerCase() === 'properties' && /\/virtualNetworks$/i.test(instance.type)) return withSubnetIds(value, instance);
      return value ?? unknownValue(`'${name}' of ${instance.type} is known only after deployment`, source);
    }
    if (target.kind === 'array') {
      // A looped resource's property on the whole collection is not a thing in Bicep.
      return unknownValue(`property '${name}' of an array`, source);
    }
    return target.kind === 'unknown' ? target : unknownValue(`property '${name}' of a ${target.kind}`, source);
  }

  private binary(expression: Extract<Expression, { kind: 'binary' }>, scope: Scope, source: Source): ArmValue {
    const left = this.evaluate(expression.left, scope);
    const { operator } = expression;
    // Short-circuit forms decide on the left operand alone when they can.
    if (operator === '&&' && left.kind === 'bool' && !left.value) return { kind: 'bool', value: false, source };
    if (operator === '||' && left.kind === 'bool' && left.value) return { kind: 'bool', value: true, source };
    if (operator === '??') return left.kind === 'null' ? this.evaluate(expression.right, scope) : left;
    const right = this.evaluate(expression.right, scope);
    const bool = (value: boolean): ArmValue => ({ kind: 'bool', value, source });
    const int = (value: number): ArmValue => ({ kind: 'int', value, source });
    switch (operator) {
      case '&&':
      case '||':
        if (left.kind === 'bool' && right.kind === 'bool') return bool(operator === '&&' ? left.value && right.value : left.value || right.value);
        break;
      case '==':
      case '!=': {
        const equal = equalValues(left, right);
        if (equal !== undefined) return bool(operator === '==' ? equal : !equal);
        break;
      }
      case '=~':
      case '!~':
        if (left.kind === 'string' && right.kind === 'string') {
          const equal = left.value.toLowerCase() === right.value.toLowerCase();
          return bool(operator === '=~' ? equal : !equal);
        }
        break;
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (left.kind === 'int' && right.kind === 'int') {
          const [a, b] = [left.value, right.value];
          return bool(operator === '<' ? a < b : operator === '<=' ? a <= b : operator === '>' ? a > b : a >= b);
        }
        break;
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        if (left.kind === 'int' && right.kind === 'int') {
          const [a, b] = [left.value, right.value];
          if ((operator === '/' || operator === '%') && b === 0) return unknownValue('division by zero', source);
          return int(operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : operator === '/' ? Math.trunc(a / b) : a % b);
        }
        break;
    }
    return left.kind === 'unknown' ? left : right.kind === 'unknown' ? right : unknownValue(`operator ${operator}`, source);
  }
}

/** The text of interpolation pieces, or undefined when a hole is not text. */
function stringifyAll(values: ArmValue[], segments: readonly string[]): string | undefined {
  let text = segments[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const piece = stringify(values[i]!);
    if (piece === undefined) return undefined;
    text += piece + (segments[i + 1] ?? '');
  }
  return text;
}

/**
 * A VNet's properties with an `id` on each subnet written inline, as ARM gives it after deployment:
 * `vnet.properties.subnets[0].id` is a common way to hand a node pool its subnet.
 */
function withSubnetIds(properties: ArmValue, vnet: ResourceInstance): ArmValue {
  const subnets = property(properties, 'subnets');
  if (properties.kind !== 'object' || subnets?.kind !== 'array') return properties;
  const items = subnets.items.map((item): ArmValue => {
    const name = property(item, 'name');
    if (item.kind !== 'object' || item.properties.has('id') || !item.source) return item;
    const id: ArmValue = { kind: 'resourceId', path: [...resourceIdPath(vnet), { type: 'subnets', name: name?.kind === 'string' ? name.value : undefined }], source: item.source };
    return { ...item, properties: new Map([...item.properties, ['id', id]]) };
  });
  return { ...properties, properties: new Map([...properties.properties, ['subnets', { ...subnets, items }]]) };
}

/** The id path of an instance: its type segments paired with its and its parents' names. */
function resourceIdPath(instance: ResourceInstance): ResourceIdSegment[] {
  const chain: ResourceInstance[] = [];
  for (let current: ResourceInstance | undefined = instance; current; current = current.parent) chain.unshift(current);
  return chain.map((item) => ({
    type: item.type.split('/').pop() ?? item.type,
    name: item.name.kind === 'string' ? item.name.value : undefined,
  }));
}
