// ARM JSON templates (`azuredeploy.json`, a module's compiled `main.json`): the template expression language in
// `[...]` strings, parameters and variables (with `copy`), resources with `copy` loops, `condition` and nested
// `resources`, property `copy`, and nested deployments (an inline template, or `templateLink.relativePath`).
// What only the deployment knows (reference() of a resource, listKeys(), uniqueString()) stays unknown; reference() of a
// nested deployment gives its outputs, as Bicep compiles a module's. The resources become
// the resource layer's instances, lowered by the same mapping as Bicep's.
import type { Source } from '../../model/source';
import { type EvaluationBudget, newBudget, spend } from './budget';
import { callBuiltin, type CallContext, equalValues } from './functions';
import { appendToResourceId, type ArmValue, arrayItems, asString, type Deployment, property, type ResourceInstance, unknownValue } from './values';

const TEMPLATE_SCHEMA = /deploymentTemplate\.json#?$/i;
const NESTED_DEPLOYMENT = 'microsoft.resources/deployments';
/** Nested deployments followed at most this deep (a template that links itself stops here). */
const MAX_NESTING = 8;
/** Loop items and expression steps per deployment: a hostile template ends with unknowns, not a hang. */
const MAX_COPIES = 2_000;
const MAX_STEPS = 500_000;
const TOO_LARGE = 'template too large to evaluate';

/** True for an ARM deployment template (its `$schema`), as opposed to a parameters file or a manifest. */
export function isArmTemplate(value: ArmValue | undefined): boolean {
  const schema = asString(property(value, '$schema'));
  return schema !== undefined && TEMPLATE_SCHEMA.test(schema);
}

/** True for a template Bicep compiled (`metadata._generator.name: bicep`): its `.bicep` source is the one to read. */
export function isBicepGenerated(value: ArmValue | undefined): boolean {
  return asString(property(property(property(value, 'metadata'), '_generator'), 'name'))?.toLowerCase() === 'bicep';
}

/** Other templates a deployment reads: linked by `templateLink.relativePath`. */
export interface TemplateHost {
  template(uri: string): ArmValue | undefined;
}

/** The relative paths of the templates a template links (for the workspace to tell roots from linked templates). */
export function linkedTemplates(uri: string, template: ArmValue): string[] {
  const found: string[] = [];
  for (const resource of resourcesOf(template)) {
    if (asString(property(resource, 'type'))?.toLowerCase() !== NESTED_DEPLOYMENT) continue;
    const relative = asString(property(property(property(resource, 'properties'), 'templateLink'), 'relativePath'));
    if (relative !== undefined) found.push(new URL(relative, uri).href);
  }
  return found;
}

/**
 * A template's resources: an array, or (languageVersion 2.0, which Bicep writes for user-defined types and other newer
 * features) an object of resources by symbolic name, in the order written.
 */
function resourcesOf(template: ArmValue | undefined): readonly ArmValue[] {
  const resources = property(template, 'resources');
  return resources?.kind === 'object' ? [...resources.properties.values()] : (arrayItems(resources) ?? []);
}

/** Evaluates a root template with its parameters' defaults (or the given values) into the deployment's instances. */
export function evaluateTemplate(uri: string, template: ArmValue, host: TemplateHost, deployment: Deployment, args?: ReadonlyMap<string, ArmValue>): void {
  new TemplateEvaluator(uri, template, host, deployment, args, 0, newBudget('arm-template', uri, MAX_STEPS, TOO_LARGE)).evaluateResources();
}

// ---- The expression language ----

type Expression =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[] }
  | { readonly kind: 'property'; readonly target: Expression; readonly name: string }
  | { readonly kind: 'index'; readonly target: Expression; readonly index: Expression };

/** Parses the inside of a `[...]` string; undefined when it is not a well-formed expression. */
function parseExpression(text: string): Expression | undefined {
  let at = 0;
  const space = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const primary = (): Expression | undefined => {
    space();
    const char = text[at];
    if (char === "'") {
      let value = '';
      at++;
      while (at < text.length) {
        if (text[at] === "'" && text[at + 1] === "'") {
          value += "'";
          at += 2;
        } else if (text[at] === "'") break;
        else value += text[at++];
      }
      if (text[at] !== "'") return undefined;
      at++;
      return { kind: 'string', value };
    }
    const number = /^-?\d+/.exec(text.slice(at));
    if (number) {
      at += number[0].length;
      return { kind: 'int', value: Number(number[0]) };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(at));
    if (!name) return undefined;
    at += name[0].length;
    space();
    if (text[at] !== '(') return undefined;
    at++;
    const args: Expression[] = [];
    space();
    if (text[at] === ')') at++;
    else {
      for (;;) {
        const arg = expression();
        if (!arg) return undefined;
        args.push(arg);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ')') {
          at++;
          break;
        } else return undefined;
      }
    }
    return { kind: 'call', name: name[0], args };
  };
  const expression = (): Expression | undefined => {
    let target = primary();
    for (;;) {
      if (!target) return undefined;
      space();
      if (text[at] === '.') {
        at++;
        const member = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(at));
        if (!member) return undefined;
        at += member[0].length;
        target = { kind: 'property', target, name: member[0] };
      } else if (text[at] === '[') {
        at++;
        const index = expression();
        space();
        if (!index || text[at] !== ']') return undefined;
        at++;
        target = { kind: 'index', target, index };
      } else return target;
    }
  };
  const parsed = expression();
  space();
  return parsed && at === text.length ? parsed : undefined;
}

/** The expression of a template string (`[...]`, not the `[[` escape), or undefined for a literal string. */
function expressionText(value: string): string | undefined {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']') ? value.slice(1, -1) : undefined;
}

// ---- Evaluation ----

const str = (value: string, source: Source): ArmValue => ({ kind: 'string', value, source });
const bool = (value: boolean, source: Source): ArmValue => ({ kind: 'bool', value, source });
const int = (value: number, source: Source): ArmValue => ({ kind: 'int', value, source });

class TemplateEvaluator {
  private readonly variables = new Map<string, ArmValue>();
  private readonly evaluating = new Set<string>();
  /** copyIndex() values of the loops around what is being evaluated, by loop name ('' for the innermost). */
  private copies = new Map<string, number>();
  /** Nested deployments' outputs as reference() gives them, by deployment name (lower case). */
  private readonly nestedOutputs = new Map<string, ArmValue>();
  /** lambdaVariables() of the lambdas being called around what is being evaluated. */
  private lambdaLocals: ReadonlyMap<string, ArmValue> = new Map();

  constructor(
    private readonly uri: string,
    private readonly template: ArmValue,
    private readonly host: TemplateHost,
    private readonly deployment: Deployment,
    private readonly args: ReadonlyMap<string, ArmValue> | undefined,
    private readonly depth: number,
    private readonly budget: EvaluationBudget,
  ) {}

  /** A parameter: the deployment's value, else its default, else unknown. */
  private parameter(name: string, source: Source): ArmValue {
    const given = this.args?.get(name) ?? findKey(this.args, name);
    if (given) return given;
    const declared = property(property(this.template, 'parameters'), name);
    if (!declared || declared.kind !== 'object') return unknownValue(`parameter '${name}' is not declared`, source);
    const fallback = property(declared, 'defaultValue');
    if (fallback) return this.value(fallback);
    return unknownValue(`parameter '${name}' has no default value`, declared.source);
  }

  /** A variable, evaluated once; `copy` variables are arrays built by their loops. */
  private variable(name: string, source: Source): ArmValue {
    const key = name.toLowerCase();
    const cached = this.variables.get(key);
    if (cached) return cached;
    if (this.evaluating.has(key)) return unknownValue(`variable '${name}' refers to itself`, source);
    this.evaluating.add(key);
    try {
      const variables = property(this.template, 'variables');
      const loop = arrayItems(property(variables, 'copy'))?.find((item) => asString(property(item, 'name'))?.toLowerCase() === key);
      const declared = loop ? undefined : property(variables, name);
      const value = loop ? this.copyArray(loop, 'input', source) : declared ? this.value(declared) : unknownValue(`variable '${name}' is not declared`, source);
      this.variables.set(key, value);
      return value;
    } finally {
      this.evaluating.delete(key);
    }
  }

  /** A `copy` entry's array: `count` items of its `input` (or of what `item` gives), each with its copyIndex. */
  private copyArray(loop: ArmValue, inputKey: string, source: Source): ArmValue {
    const name = asString(property(loop, 'name')) ?? '';
    const count = this.value(property(loop, 'count') ?? unknownValue('copy without count', source));
    if (count.kind !== 'int') return count.kind === 'unknown' ? count : unknownValue('copy count is not a number', count.source);
    if (count.value > MAX_COPIES) return unknownValue(`copy of ${count.value} items: more than this tool evaluates`, count.source);
    const input = property(loop, inputKey);
    if (!input) return unknownValue('copy without input', source);
    const items: ArmValue[] = [];
    for (let i = 0; i < count.value; i++) {
      if (this.budget.stopped) return unknownValue(TOO_LARGE, source);
      items.push(this.withCopy(name, i, () => this.value(input)));
    }
    return { kind: 'array', items, source: loop.source ?? source };
  }

  private withCopy<T>(name: string, index: number, work: () => T): T {
    const outer = this.copies;
    this.copies = new Map(outer).set(name.toLowerCase(), index).set('', index);
    try {
      return work();
    } finally {
      this.copies = outer;
    }
  }

  /** A JSON value of the template, evaluated: expression strings computed, objects' property `copy` expanded. */
  value(raw: ArmValue): ArmValue {
    if (!spend(this.budget, 1)) return unknownValue(TOO_LARGE, raw.source);
    switch (raw.kind) {
      case 'string': {
        const text = expressionText(raw.value);
        if (text === undefined) return raw.value.startsWith('[[') ? str(raw.value.slice(1), raw.source) : raw;
        const parsed = parseExpression(text);
        return parsed ? this.evaluate(parsed, raw.source) : unknownValue(`not a template expression: ${raw.value.slice(0, 60)}`, raw.source);
      }
      case 'array':
        return { ...raw, items: raw.items.map((item) => this.value(item)) };
      case 'object': {
        const properties = new Map<string, ArmValue>();
        for (const [key, item] of raw.properties) {
          if (key === 'copy' && item.kind === 'array') {
            for (const loop of item.items) {
              const name = asString(property(loop, 'name'));
              if (name !== undefined) properties.set(name, this.copyArray(loop, 'input', raw.source));
            }
          } else properties.set(key, this.value(item));
        }
        return { ...raw, properties };
      }
      default:
        return raw;
    }
  }

  private evaluate(expression: Expression, source: Source): ArmValue {
    switch (expression.kind) {
      case 'string':
        return str(expression.value, source);
      case 'int':
        return int(expression.value, source);
      case 'property': {
        const target = this.evaluate(expression.target, source);
        if (target.kind === 'unknown') return target;
        return property(target, expression.name) ?? unknownValue(`no property '${expression.name}'`, source);
      }
      case 'index': {
        const target = this.evaluate(expression.target, source);
        const index = this.evaluate(expression.index, source);
        if (target.kind === 'unknown') return target;
        if (target.kind === 'array' && index.kind === 'int') return target.items[index.value] ?? unknownValue('index out of range', source);
        if (target.kind === 'object' && index.kind === 'string') return property(target, index.value) ?? unknownValue(`no property '${index.value}'`, source);
        return index.kind === 'unknown' ? index : unknownValue('index', source);
      }
      case 'call':
        return this.call(expression.name, expression.args, source);
    }
  }

  private call(name: string, argExpressions: readonly Expression[], source: Source): ArmValue {
    const lower = name.toLowerCase();
    const first = argExpressions[0];
    // Functions that decide what to evaluate, or read the template itself.
    if (lower === 'parameters' || lower === 'variables') {
      const key = first && this.evaluate(first, source);
      if (key?.kind !== 'string') return key?.kind === 'unknown' ? key : unknownValue(`${name}() needs a name`, source);
      return lower === 'parameters' ? this.parameter(key.value, source) : this.variable(key.value, source);
    }
    if (lower === 'copyindex') {
      const args = argExpressions.map((arg) => this.evaluate(arg, source));
      const loopName = args.find((arg) => arg.kind === 'string');
      const offset = args.find((arg) => arg.kind === 'int');
      const index = this.copies.get(loopName?.kind === 'string' ? loopName.value.toLowerCase() : '');
      if (index === undefined) return unknownValue('copyIndex() outside a copy loop', source);
      return int(index + (offset?.kind === 'int' ? offset.value : 0), source);
    }
    if (lower === 'if') {
      const condition = first && this.evaluate(first, source);
      if (condition?.kind !== 'bool') return condition?.kind === 'unknown' ? condition : unknownValue('if() condition is not a boolean', source);
      const chosen = argExpressions[condition.value ? 1 : 2];
      return chosen ? this.evaluate(chosen, source) : unknownValue('if() needs three arguments', source);
    }
    // lambda('x', 'i', body): the body is evaluated when map() or filter() calls it, with lambdaVariables('x') bound.
    if (lower === 'lambda') {
      const names = argExpressions.slice(0, -1).map((arg) => this.evaluate(arg, source));
      const body = argExpressions[argExpressions.length - 1];
      if (!body || names.some((n) => n.kind !== 'string')) return unknownValue('lambda() needs parameter names and a body', source);
      const parameters = names.map((n) => (n as ArmValue & { kind: 'string' }).value);
      return { kind: 'lambda', parameters, body, scope: { locals: this.lambdaLocals }, source };
    }
    if (lower === 'reference') {
      const target = first && this.evaluate(first, source);
      if (target?.kind === 'unknown') return target;
      return (target && this.deploymentReference(target, first!, source)) ?? unknownValue('reference() is computed at deployment', source);
    }
    if (lower === 'lambdavariables') {
      const key = first && this.evaluate(first, source);
      if (key?.kind !== 'string') return key?.kind === 'unknown' ? key : unknownValue('lambdaVariables() needs a name', source);
      return this.lambdaLocals.get(key.value) ?? unknownValue(`lambdaVariables('${key.value}') outside its lambda`, source);
    }
    const args = argExpressions.map((arg) => this.evaluate(arg, source));
    const own = OPERATORS[lower];
    if (own) return own(args, source);
    const builtin = BUILTIN_NAMES.get(lower);
    if (!builtin) return unknownValue(`${name}() is computed at deployment`, source);
    const ctx: CallContext = { source, callLambda: (lambda, values) => this.callLambda(lambda, values, source), loadText: () => undefined };
    return callBuiltin(builtin, args, ctx);
  }

  /** A lambda's body with its parameters bound to the values, over the variables of the lambdas around it. */
  private callLambda(lambda: ArmValue, values: readonly ArmValue[], source: Source): ArmValue {
    if (lambda.kind !== 'lambda') return lambda.kind === 'unknown' ? lambda : unknownValue('not a lambda', source);
    // Each call is a step of the evaluation's budget: map() over map() stays bounded.
    if (!spend(this.budget, 1)) return unknownValue(TOO_LARGE, source);
    const outer = this.lambdaLocals;
    this.lambdaLocals = new Map([...lambda.scope.locals, ...lambda.parameters.map((name, i): [string, ArmValue] => [name, values[i] ?? unknownValue(`no value for ${name}`, source)])]);
    try {
      return this.evaluate(lambda.body as Expression, source);
    } finally {
      this.lambdaLocals = outer;
    }
  }

  /** Every resource of the template (and of its nested deployments) into the deployment. */
  evaluateResources(): void {
    for (const resource of resourcesOf(this.template)) this.resource(resource, undefined);
  }

  private resource(raw: ArmValue, parent: ResourceInstance | undefined): void {
    const loop = property(raw, 'copy');
    if (loop && loop.kind === 'object') {
      const count = this.value(property(loop, 'count') ?? unknownValue('copy without count', raw.source));
      if (count.kind !== 'int' || count.value > MAX_COPIES) return; // a loop over unknown values: its resources stay out
      const name = asString(property(loop, 'name')) ?? '';
      for (let i = 0; i < count.value && !this.budget.stopped; i++) this.withCopy(name, i, () => this.oneResource(raw, parent));
      return;
    }
    this.oneResource(raw, parent);
  }

  private oneResource(raw: ArmValue, parent: ResourceInstance | undefined): void {
    const condition = property(raw, 'condition');
    if (condition !== undefined) {
      const value = this.value(condition);
      // Deployed only under a condition that is false, or cannot be evaluated: left out (unknown is not wrong).
      if (value.kind !== 'bool' || !value.value) return;
    }
    const written = asString(property(raw, 'type'));
    if (written === undefined) return;
    const type = parent && !written.includes('/') ? `${parent.type}/${written}` : written;
    if (type.toLowerCase() === NESTED_DEPLOYMENT) return this.nestedDeployment(raw);
    const name = this.value(property(raw, 'name') ?? unknownValue('no name', raw.source));
    const segments = type.split('/');
    let owner = parent;
    let own = name;
    // A child declared at top level is named `parent/child`; so is one nested in its parent under its full type.
    if (segments.length > 2 && name.kind === 'string' && name.value.includes('/')) {
      const parts = name.value.split('/');
      owner ??= {
        serial: this.deployment.instances.length,
        type: segments.slice(0, -1).join('/'),
        name: str(parts.slice(0, -1).join('/'), name.source),
        parent: undefined,
        existing: true,
        body: undefined,
        source: raw.source ?? name.source!,
      };
      own = str(parts[parts.length - 1]!, name.source);
    }
    const apiVersion = asString(property(raw, 'apiVersion'));
    // `existing: true` (languageVersion 2.0) names a resource deployed elsewhere: a reference, as Bicep's `existing`.
    const existingField = property(raw, 'existing');
    const evaluated = existingField && this.value(existingField);
    const existing = evaluated?.kind === 'bool' && evaluated.value;
    // The body holds what the lowerings read: the name, the properties, and the SKU (a public IP's is top-level).
    const fields = (['properties', 'sku'] as const).flatMap((key): [string, ArmValue][] => {
      const value = property(raw, key);
      return value ? [[key, this.value(value)]] : [];
    });
    const body: ArmValue = { kind: 'object', properties: new Map<string, ArmValue>([['name', own], ...fields]), source: raw.source! };
    const instance: ResourceInstance = {
      serial: this.deployment.instances.length,
      type,
      ...(apiVersion ? { apiVersion } : {}),
      name: own,
      parent: owner,
      existing,
      body: existing ? undefined : body,
      source: raw.source!,
    };
    this.deployment.instances.push(instance);
    for (const child of arrayItems(property(raw, 'resources')) ?? []) this.resource(child, instance);
  }

  /** A `Microsoft.Resources/deployments`: its inline template, or the template its relativePath links. */
  private nestedDeployment(raw: ArmValue): void {
    if (this.depth >= MAX_NESTING) return;
    const properties = property(raw, 'properties');
    const inline = property(properties, 'template');
    // Outer scope (the default for inline templates): expressions read the parent's parameters and variables.
    if (inline && !isInnerScope(properties)) {
      for (const resource of resourcesOf(inline)) this.resource(resource, undefined);
      return;
    }
    this.nestedEvaluator(raw)?.evaluateResources();
  }

  /** The evaluator of a nested deployment of inner scope (inline or linked by relativePath), with the parameters it is given. */
  private nestedEvaluator(raw: ArmValue): TemplateEvaluator | undefined {
    if (this.depth >= MAX_NESTING) return undefined;
    const properties = property(raw, 'properties');
    const inline = property(properties, 'template');
    if (inline && !isInnerScope(properties)) return undefined;
    const relative = asString(this.value(property(property(properties, 'templateLink'), 'relativePath') ?? unknownValue('', raw.source)));
    const uri = relative !== undefined ? new URL(relative, this.uri).href : this.uri;
    const template = inline ?? (relative !== undefined ? this.host.template(uri) : undefined);
    if (!template) return undefined;
    const args = new Map<string, ArmValue>();
    const given = property(properties, 'parameters');
    if (given?.kind === 'object') {
      for (const [key, entry] of given.properties) {
        const value = property(entry, 'value');
        args.set(key, value ? this.value(value) : unknownValue(`parameter '${key}' is given by reference (a Key Vault secret)`, entry.source));
      }
    }
    return new TemplateEvaluator(uri, template, this.host, this.deployment, args, this.depth + 1, this.budget);
  }

  /**
   * reference() of a nested deployment of this template, named by its resource id, its name or (languageVersion 2.0) its
   * symbolic name: what
   * `reference(...).outputs.x.value` reads (Bicep compiles a module's outputs to that). Evaluated when first asked,
   * whether the deployment comes before or after the resource that asks; undefined for anything else.
   */
  private deploymentReference(target: ArmValue, written: Expression, source: Source): ArmValue | undefined {
    const segment = target.kind === 'resourceId' ? target.path[target.path.length - 1] : undefined;
    const isDeploymentId = segment?.type.toLowerCase() === 'deployments';
    const name = segment ? (isDeploymentId ? segment.name : undefined) : asString(target);
    // A name only the deployment knows (`format('{0}-network', deployment().name)`): the nested deployment whose name is
    // written as the same expression, which gives the same name in the same deployment.
    const nameWritten = name === undefined && isDeploymentId ? deploymentNameWritten(written) : undefined;
    if (name === undefined && nameWritten === undefined) return undefined;
    const key = name?.toLowerCase() ?? `=${nameWritten}`;
    const cached = this.nestedOutputs.get(key);
    if (cached) return cached;
    const isDeployment = (resource: ArmValue | undefined) => asString(property(resource, 'type'))?.toLowerCase() === NESTED_DEPLOYMENT;
    const named = (resource: ArmValue) => {
      const written = property(resource, 'name');
      if (nameWritten !== undefined) {
        const text = asString(written);
        const parsed = text === undefined ? undefined : expressionText(text);
        const expression = parsed === undefined ? undefined : parseExpression(parsed);
        return expression !== undefined && canonical(expression) === nameWritten;
      }
      return asString(this.value(written ?? unknownValue('', source)))?.toLowerCase() === key;
    };
    // languageVersion 2.0 names a resource by its symbolic name (`reference('network')`), else by its deployment name.
    const symbolic = target.kind === 'string' && name !== undefined ? property(property(this.template, 'resources'), name) : undefined;
    const raw = (isDeployment(symbolic) ? symbolic : undefined) ?? resourcesOf(this.template).find((resource) => isDeployment(resource) && named(resource));
    const nested = raw && this.nestedEvaluator(raw);
    if (!nested) return undefined;
    const outputs: ArmValue = { kind: 'object', properties: new Map([['outputs', nested.outputs(source)]]), source };
    this.nestedOutputs.set(key, outputs);
    return outputs;
  }

  /** The template's outputs as reference() gives them: `{ name: { value } }`; a copy output is unknown. */
  outputs(source: Source): ArmValue {
    const declared = property(this.template, 'outputs');
    const properties = new Map<string, ArmValue>();
    if (declared?.kind === 'object') {
      for (const [key, output] of declared.properties) {
        const value = property(output, 'value');
        const evaluated = value ? this.value(value) : unknownValue(`output '${key}' is built by a copy loop`, output.source ?? source);
        properties.set(key, { kind: 'object', properties: new Map([['value', evaluated]]), source: output.source ?? source });
      }
    }
    return { kind: 'object', properties, source: declared?.source ?? source };
  }
}

/** An expression as text that ignores the case of function and property names, to compare two written alike. */
function canonical(expression: Expression): string {
  switch (expression.kind) {
    case 'string':
      return JSON.stringify(expression.value);
    case 'int':
      return String(expression.value);
    case 'call':
      return `${expression.name.toLowerCase()}(${expression.args.map(canonical).join(',')})`;
    case 'property':
      return `${canonical(expression.target)}.${expression.name.toLowerCase()}`;
    case 'index':
      return `${canonical(expression.target)}[${canonical(expression.index)}]`;
  }
}

/**
 * The name of `resourceId('Microsoft.Resources/deployments', <name>)` as written, when it gives one name per
 * deployment: not within a copy loop (copyIndex() gives each copy its own).
 */
function deploymentNameWritten(expression: Expression): string | undefined {
  if (expression.kind !== 'call' || expression.name.toLowerCase() !== 'resourceid') return undefined;
  const name = expression.args[expression.args.length - 1];
  const text = name && canonical(name);
  return text === undefined || text.includes('copyindex(') ? undefined : text;
}

/** Whether a nested deployment evaluates its template's expressions in its own scope (`expressionEvaluationOptions.scope: inner`). */
function isInnerScope(properties: ArmValue | undefined): boolean {
  return asString(property(property(properties, 'expressionEvaluationOptions'), 'scope'))?.toLowerCase() === 'inner';
}

/** A key of a map compared case-insensitively (ARM parameter names are). */
function findKey(map: ReadonlyMap<string, ArmValue> | undefined, name: string): ArmValue | undefined {
  if (!map) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of map) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** ARM's functions shared with Bicep, by lower-case name (ARM names are case-insensitive). */
const BUILTIN_NAMES = new Map(
  [
    'parseCidr', 'cidrSubnet', 'cidrHost', 'concat', 'format', 'split', 'join', 'first', 'last', 'length', 'empty', 'contains',
    'union', 'array', 'toLower', 'toUpper', 'replace', 'string', 'int', 'bool', 'json', 'take', 'skip', 'range', 'substring',
    'startsWith', 'endsWith', 'min', 'max', 'coalesce', 'items', 'map', 'filter', 'tryGet', 'resourceId', 'subscriptionResourceId',
    'tenantResourceId',
  ].map((name) => [name.toLowerCase(), name]),
);

/** The comparison, logic and arithmetic functions ARM writes where Bicep has operators. */
const OPERATORS: Record<string, (args: ArmValue[], source: Source) => ArmValue> = {
  true: (_, source) => bool(true, source),
  false: (_, source) => bool(false, source),
  null: (_, source) => ({ kind: 'null', source }),
  equals: ([a, b], source) => known2(a, b) ?? bool(equalValues(a!, b!) ?? false, source),
  not: ([a], source) => (a?.kind === 'bool' ? bool(!a.value, source) : (unknownOf(a) ?? unknownValue('not() needs a boolean', source))),
  and: (args, source) => logic(args, source, true),
  or: (args, source) => logic(args, source, false),
  greater: (args, source) => compare(args, source, (d) => d > 0),
  greaterorequals: (args, source) => compare(args, source, (d) => d >= 0),
  less: (args, source) => compare(args, source, (d) => d < 0),
  lessorequals: (args, source) => compare(args, source, (d) => d <= 0),
  add: (args, source) => arithmetic(args, source, (a, b) => a + b),
  sub: (args, source) => arithmetic(args, source, (a, b) => a - b),
  mul: (args, source) => arithmetic(args, source, (a, b) => a * b),
  div: (args, source) => arithmetic(args, source, (a, b) => (b === 0 ? undefined : Math.trunc(a / b))),
  mod: (args, source) => arithmetic(args, source, (a, b) => (b === 0 ? undefined : a % b)),
  // A resource id followed by text keeps its path: concat(variables('vnetId'), '/subnets/', 'nodes').
  concat: (args, source) => {
    const [first, ...rest] = args;
    if (first?.kind === 'resourceId' && rest.every((arg) => arg.kind === 'string')) {
      return appendToResourceId(first, rest.map((arg) => (arg as { value: string }).value).join(''), source);
    }
    return callBuiltin('concat', args, { source, callLambda: () => unknownValue('no lambdas', source), loadText: () => undefined });
  },
  // Likewise format() with the id first, which Bicep compiles '${vnet.id}/subnets/nodes' into:
  // format('{0}/subnets/nodes', resourceId('Microsoft.Network/virtualNetworks', 'vnet')).
  format: (args, source) => {
    const [template, first, ...rest] = args;
    const ctx: CallContext = { source, callLambda: () => unknownValue('no lambdas', source), loadText: () => undefined };
    if (template?.kind === 'string' && template.value.startsWith('{0}') && first?.kind === 'resourceId') {
      // The rest of the text, formatted with the other arguments (an id used twice is left to the plain function).
      const after = template.value.slice(3);
      const text = /\{0[}:]/.test(after) ? undefined : callBuiltin('format', [str(after, template.source), str('', source), ...rest], ctx);
      if (text?.kind === 'string') return appendToResourceId(first, text.value, source);
    }
    return callBuiltin('format', args, ctx);
  },
  createarray: (args, source) => ({ kind: 'array', items: args, source }),
  createobject: (args, source) => {
    const properties = new Map<string, ArmValue>();
    for (let i = 0; i + 1 < args.length; i += 2) {
      const key = args[i]!;
      if (key.kind !== 'string') return unknownOf(key) ?? unknownValue('createObject() keys are strings', source);
      properties.set(key.value, args[i + 1]!);
    }
    return { kind: 'object', properties, source };
  },
};

const unknownOf = (value: ArmValue | undefined) => (value?.kind === 'unknown' ? value : undefined);
const known2 = (a: ArmValue | undefined, b: ArmValue | undefined) => unknownOf(a) ?? unknownOf(b) ?? (a && b ? undefined : unknownValue('missing argument'));

function logic(args: ArmValue[], source: Source, all: boolean): ArmValue {
  let unknown: ArmValue | undefined;
  for (const arg of args) {
    if (arg.kind === 'bool') {
      if (arg.value !== all) return bool(!all, source);
    } else unknown ??= unknownOf(arg) ?? unknownValue('a logical function needs booleans', source);
  }
  return unknown ?? bool(all, source);
}

function compare([a, b]: ArmValue[], source: Source, test: (difference: number) => boolean): ArmValue {
  if (a?.kind === 'int' && b?.kind === 'int') return bool(test(a.value - b.value), source);
  if (a?.kind === 'string' && b?.kind === 'string') return bool(test(a.value < b.value ? -1 : a.value > b.value ? 1 : 0), source);
  return known2(a, b) ?? unknownValue('comparison of values that are not numbers or strings', source);
}

function arithmetic([a, b]: ArmValue[], source: Source, op: (a: number, b: number) => number | undefined): ArmValue {
  if (a?.kind !== 'int' || b?.kind !== 'int') return known2(a, b) ?? unknownValue('arithmetic on values that are not numbers', source);
  const result = op(a.value, b.value);
  return result === undefined || !Number.isSafeInteger(result) ? unknownValue('arithmetic result out of range', source) : int(result, source);
}
