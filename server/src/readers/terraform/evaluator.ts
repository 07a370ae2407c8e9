// Terraform evaluation with provenance: a configuration (a folder of .tf files) with its variables bound, its locals,
// resources, data sources and local modules evaluated lazily, as Terraform's graph would order them, into the Azure
// resource layer's values (arm/values.ts). A literal keeps pointing at itself through variables, locals and module
// inputs; a computed value points at the expression that computes it. What Terraform learns only at apply time
// (a data source's attributes, an id Azure assigns, a registry module not downloaded) is unknown, never guessed.
import type { Source } from '../../model/source';
import { type EvaluationBudget, newBudget, spend } from '../arm/budget';
import { type ArmValue, arrayItems, type Deployment, recordUnknownUse, recordUse, type ResourceIdSegment, unknownValue } from '../arm/values';
import { TERRAFORM_FUNCTIONS } from './functions';
import { moduleAdapter } from './moduleAdapters';
import type { Attribute, Block, Body, Expr, Step } from './hclSyntax';

/** One file of a configuration, parsed. */
export interface ConfigFile {
  readonly uri: string;
  readonly body: Body;
}

/** What a configuration can reach: the files of a folder (another module's), through the deployment's host. */
export interface ConfigHost {
  /** The parsed .tf files of a folder (a URL ending in `/`), or undefined when the workspace has none there. */
  files(folder: string): readonly ConfigFile[] | undefined;
  /**
   * The folder `terraform init` downloaded a registry module to (`.terraform/modules/modules.json` of the root
   * configuration, by the module's key: `aks`, `aks.network` for a module it calls), or undefined.
   */
  downloaded(root: string, key: string): string | undefined;
}

/** What every module of one run shares: where to read, the resources evaluated, the uses of values. */
export interface Run {
  readonly host: ConfigHost;
  readonly identity: ResourceIdentity;
  /** Every resource instance evaluated, in the order they were reached. */
  readonly evaluated: EvaluatedResource[];
  /** Where variables and locals are used, with their values there (hovers). */
  readonly uses: Pick<Deployment, 'uses'>;
  /** The root configuration's folder (where `.terraform/` is). */
  readonly root: string;
  /** The run's budget of steps (MAX_EVALUATION_STEPS), made at its first expression. */
  budget?: EvaluationBudget;
  /** The current depth of evaluation. */
  depth?: number;
}

/** A resource (or data source) instance as evaluated: its attributes and nested blocks, with where it is declared. */
export interface EvaluatedResource {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  /** The block's name label, and for `count`/`for_each` its key (`["aks"]`, `[0]`). */
  readonly name: string;
  readonly key: string | number | undefined;
  /** Attributes and nested blocks (each nested block type a list of objects, as Terraform exposes them). */
  readonly value: ArmValue & { kind: 'object' };
  readonly source: Source;
  /** The module path it was declared in (`module.aks_network`), for telling instances apart. */
  readonly module: string;
}

/** Where each resource type's `id` comes from: the ARM type path and the attributes naming its parents. */
export type ResourceIdentity = (resource: { readonly type: string; readonly value: ArmValue & { kind: 'object' } }) => readonly ResourceIdSegment[] | undefined;

type Scope = ReadonlyMap<string, ArmValue>;

/** Module calls nested deeper are unknown. */
const MAX_DEPTH = 24;
/** Expressions nested deeper (through locals and references) are unknown: evaluation recurses. */
const MAX_EVALUATION_DEPTH = 200;
/**
 * Evaluation steps per run, modules included: count and for_each multiply through modules, and a hostile or mistaken
 * configuration could otherwise take hours (found by fuzzing). Every corpus configuration evaluates far within it;
 * past it, values are unknown. Building a value costs its size, so doubling strings or lists stays bounded too.
 */
const MAX_EVALUATION_STEPS = 1_000_000;
const TOO_LARGE = `evaluation stopped after ${MAX_EVALUATION_STEPS} steps: the configuration is too large to evaluate`;
/** Longer strings are unknown (as the Bicep evaluator's). */
const MAX_STRING_LENGTH = 1 << 20;
/** More instances of one block (count, for_each) than this are not evaluated: unknown, never a truncated list. */
const MAX_INSTANCES = 1_000;

/** Failures (a missing attribute, a bad index, a function's error) as opposed to values Terraform learns later: try() and can() tell them apart. */
const failures = new WeakSet<object>();

function failure(reason: string, source: Source): ArmValue {
  const value = unknownValue(reason, source);
  failures.add(value);
  return value;
}

/**
 * An unknown that stems from another: a failure stays a failure (try() skips it), a value Terraform learns later
 * stays one. A non-unknown operand that is the wrong kind is a failure.
 */
function unknownFrom(operand: ArmValue, source: Source, otherwise: string): ArmValue {
  if (operand.kind !== 'unknown') return failure(otherwise, source);
  return failures.has(operand) ? failure(operand.reason, source) : unknownValue(operand.reason, source);
}

/**
 * Unknowns Terraform knows are not null (its "refinements"): what Azure assigns at apply time (an id, a generated
 * name's `result`) and any string template. `x != null` is true of them (the AVM module filters its body so).
 */
const notNull = new WeakSet<object>();

function notNullUnknown(reason: string, source: Source): ArmValue {
  const value = unknownValue(reason, source);
  notNull.add(value);
  return value;
}

const assignedLater = notNullUnknown;

const str = (value: string, source: Source): ArmValue => ({ kind: 'string', value, source });
const num = (value: number, source: Source): ArmValue =>
  Number.isInteger(value) ? { kind: 'int', value, source } : unknownValue(`${value} is not a whole number (the model reads integers only)`, source);
const obj = (properties: Map<string, ArmValue>, source: Source): ArmValue & { kind: 'object' } => ({ kind: 'object', properties, source });

/** The text of a primitive for templates and keys; undefined for others. */
function primitiveText(value: ArmValue): string | undefined {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'int') return String(value.value);
  if (value.kind === 'bool') return String(value.value);
  return undefined;
}

/** The module a configuration instance belongs to: its folder, inputs, and the deployment it adds resources to. */
export class Configuration {
  private readonly variables = new Map<string, { block: Block; uri: string }>();
  private readonly locals = new Map<string, { attribute: Attribute; uri: string }>();
  private readonly resources = new Map<string, { block: Block; uri: string; mode: 'managed' | 'data' }>();
  private readonly modules = new Map<string, { block: Block; uri: string }>();
  private readonly outputs = new Map<string, { block: Block; uri: string }>();
  private readonly cache = new Map<string, ArmValue>();
  private readonly evaluating = new Set<string>();

  constructor(
    readonly folder: string,
    files: readonly ConfigFile[],
    /** Input values by variable name: a caller's arguments, or tfvars (later files win). */
    private readonly inputs: ReadonlyMap<string, ArmValue>,
    private readonly run: Run,
    /** The module path resources are named with (`module.aks.`), and the key modules.json knows it by (`aks`). */
    readonly path: string = '',
    private readonly key: string = '',
    private readonly depth: number = 0,
  ) {
    for (const file of files) {
      for (const block of file.body.blocks) {
        const [first, second] = block.labels;
        // A block declared twice (Terraform refuses it) is the first one.
        const declare = <V>(map: Map<string, V>, key: string, value: V) => map.has(key) || map.set(key, value);
        if (block.type === 'variable' && first) declare(this.variables, first, { block, uri: file.uri });
        else if (block.type === 'locals') for (const attribute of block.body.attributes) declare(this.locals, attribute.name, { attribute, uri: file.uri });
        else if (block.type === 'resource' && first && second) declare(this.resources, `${first}.${second}`, { block, uri: file.uri, mode: 'managed' as const });
        else if (block.type === 'data' && first && second) declare(this.resources, `data.${first}.${second}`, { block, uri: file.uri, mode: 'data' as const });
        else if (block.type === 'module' && first) declare(this.modules, first, { block, uri: file.uri });
        else if (block.type === 'output' && first) declare(this.outputs, first, { block, uri: file.uri });
      }
    }
  }

  /**
   * Evaluates every resource and module of the configuration (each once), adding their instances to `evaluated`, and
   * every local, as Terraform does (so that hovers have their uses).
   */
  evaluateAll(): void {
    for (const key of this.resources.keys()) this.resource(key);
    for (const name of this.modules.keys()) this.module(name);
    for (const [name, { attribute, uri }] of this.locals) this.local(name, { uri, start: attribute.start, end: attribute.end });
  }

  /** The variables declared, with whether each has a default. */
  declaredVariables(): { name: string; hasDefault: boolean }[] {
    return [...this.variables].map(([name, { block }]) => ({ name, hasDefault: block.body.attributes.some((a) => a.name === 'default') }));
  }

  // ---- memoised named values ----

  private memo(key: string, source: Source, compute: () => ArmValue): ArmValue {
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.evaluating.has(key)) return unknownValue(`${key} refers to itself`, source);
    this.evaluating.add(key);
    try {
      const value = compute();
      this.cache.set(key, value);
      return value;
    } finally {
      this.evaluating.delete(key);
    }
  }

  private variable(name: string, source: Source): ArmValue {
    const declared = this.variables.get(name);
    if (!declared) return failure(`no variable "${name}" is declared in ${this.folder}`, source);
    return this.memo(`var.${name}`, source, () => {
      const attributes = new Map(declared.block.body.attributes.map((a) => [a.name, a]));
      const type = attributes.get('type')?.value;
      const given = this.inputs.get(name);
      const nullable = attributes.get('nullable')?.value;
      const fallback = attributes.get('default');
      const at = { uri: declared.uri, start: declared.block.header.start, end: declared.block.header.end };
      let value: ArmValue;
      // A caller's null is the variable's value, unless the variable says `nullable = false`: then its default applies.
      const nullableFalse = nullable?.kind === 'literal' && nullable.value === false;
      if (given && !(given.kind === 'null' && nullableFalse)) value = given;
      else if (fallback) value = this.expression(fallback.value, declared.uri, new Map());
      else value = unknownValue(`variable "${name}" has no value here (no default, not set by a caller or a .tfvars file)`, at);
      return type ? withTypeDefaults(type, value, this, declared.uri) : value;
    });
  }

  private local(name: string, source: Source): ArmValue {
    const declared = this.locals.get(name);
    if (!declared) return failure(`no local "${name}" in ${this.folder}`, source);
    return this.memo(`local.${name}`, source, () => this.expression(declared.attribute.value, declared.uri, new Map()));
  }

  /** A resource or data source: one object, a list (count) or a map (for_each) of instances. */
  private resource(key: string, source?: Source): ArmValue {
    const declared = this.resources.get(key);
    const at = source ?? { uri: this.folder, start: 0, end: 0 };
    if (!declared) return failure(`no ${key.replace(/^data\./, 'data source ')} in ${this.folder}`, at);
    return this.memo(key, at, () => {
      const { block, uri, mode } = declared;
      const [type, name] = block.labels as [string, string];
      return this.expand(block, uri, at, (scope, instanceKey) => {
        const written = this.blockValue(block.body, uri, scope, block.header);
        const address = `${this.path}${key}${instanceKey === undefined ? '' : `[${JSON.stringify(instanceKey)}]`}`;
        const value = mode === 'managed' ? withAddressName(written, address) : written;
        const resource: EvaluatedResource = {
          mode,
          type,
          name,
          key: instanceKey,
          value,
          source: { uri, start: block.header.start, end: block.header.end },
          module: this.path,
        };
        this.run.evaluated.push(resource);
        return withComputed(resource, this.run.identity);
      });
    });
  }

  /** A module call: its outputs, for each instance of its count or for_each. */
  /**
   * A module call: its outputs, for each instance of its count or for_each. A local source is read from the
   * workspace, a registry module from where `terraform init` downloaded it, else through the adapter of a module
   * most teams call (moduleAdapters.ts); anything else is unknown.
   */
  private module(name: string, source?: Source): ArmValue {
    const declared = this.modules.get(name);
    const at = source ?? { uri: this.folder, start: 0, end: 0 };
    if (!declared) return failure(`no module "${name}" in ${this.folder}`, at);
    return this.memo(`module.${name}`, at, () => {
      const { block, uri } = declared;
      const sourceAttribute = block.body.attributes.find((a) => a.name === 'source');
      const sourceValue = sourceAttribute && this.expression(sourceAttribute.value, uri, new Map());
      const header = { uri, start: block.header.start, end: block.header.end };
      if (sourceValue?.kind !== 'string') return unknownValue(`module "${name}" has no source that can be read`, header);
      const key = this.key === '' ? name : `${this.key}.${name}`;
      const local = /^\.\.?(\/|$)/.test(sourceValue.value);
      const folder = local ? new URL(sourceValue.value.endsWith('/') ? sourceValue.value : `${sourceValue.value}/`, this.folder).href : this.run.host.downloaded(this.run.root, key);
      const files = folder === undefined ? undefined : this.run.host.files(folder);
      const adapter = files ? undefined : moduleAdapter(sourceValue.value);
      if (!files && !adapter) {
        const where = local ? `no .tf files in ${sourceValue.value}` : `${sourceValue.value} is neither downloaded (.terraform/modules) nor a module this extension knows`;
        return unknownValue(`module "${name}": ${where}`, header);
      }
      if (this.depth >= MAX_DEPTH) return unknownValue(`module "${name}": modules nested too deep`, header);
      return this.expand(block, uri, header, (scope, instanceKey) => {
        const inputs = new Map<string, ArmValue>();
        for (const attribute of block.body.attributes) {
          if (['source', 'version', 'count', 'for_each', 'providers', 'depends_on'].includes(attribute.name)) continue;
          inputs.set(attribute.name, this.expression(attribute.value, uri, scope));
        }
        const path = `${this.path}module.${name}${instanceKey === undefined ? '' : `[${JSON.stringify(instanceKey)}]`}.`;
        if (adapter) {
          const rendered = adapter.render(inputs, header, path);
          this.run.evaluated.push(...rendered.resources);
          // Outputs the adapter cannot tell are known only after apply, as a resource's unwritten attributes are.
          return obj(new Map([...rendered.outputs, [RESOURCE_MARK, { kind: 'bool', value: true, source: header }]]), header);
        }
        const child = new Configuration(folder!, files!, inputs, this.run, path, key, this.depth + 1);
        child.evaluateAll();
        return child.outputValues(header);
      });
    });
  }

  private outputValues(source: Source): ArmValue {
    const properties = new Map<string, ArmValue>();
    for (const [name, { block, uri }] of this.outputs) {
      const value = block.body.attributes.find((a) => a.name === 'value');
      properties.set(name, value ? this.expression(value.value, uri, new Map()) : unknownValue(`output "${name}" has no value`, source));
    }
    return obj(properties, source);
  }

  /** One value per instance of a block with `count` or `for_each` (a list or a map of them), or the one instance. */
  private expand(block: Block, uri: string, source: Source, instance: (scope: Scope, key: string | number | undefined) => ArmValue): ArmValue {
    const count = block.body.attributes.find((a) => a.name === 'count');
    const forEach = block.body.attributes.find((a) => a.name === 'for_each');
    if (count) {
      const n = this.expression(count.value, uri, new Map());
      if (n.kind !== 'int') return unknownFrom(n, n.source ?? source, 'count is not a number');
      const items: ArmValue[] = [];
      if (n.value > MAX_INSTANCES) return unknownValue(`count = ${n.value}: more than ${MAX_INSTANCES} instances are not evaluated`, n.source);
      for (let i = 0; i < n.value; i++) {
        if (this.stopped()) return unknownValue(TOO_LARGE, source);
        items.push(instance(new Map([['count', obj(new Map([['index', num(i, n.source)]]), n.source)]]), i));
      }
      return { kind: 'array', items, source };
    }
    if (forEach) {
      const collection = this.expression(forEach.value, uri, new Map());
      const entries = eachEntries(collection);
      if (!entries) return unknownFrom(collection, collection.source ?? source, 'for_each is not a map or set');
      if (entries.length > MAX_INSTANCES) return unknownValue(`for_each over ${entries.length} items: more than ${MAX_INSTANCES} instances are not evaluated`, collection.source ?? source);
      const properties = new Map<string, ArmValue>();
      for (const [key, value] of entries) {
        if (this.stopped()) return unknownValue(TOO_LARGE, source);
        const at = value.source ?? source;
        const each = obj(new Map([['key', str(key, at)], ['value', value]]), at);
        properties.set(key, instance(new Map([['each', each]]), key));
      }
      return obj(properties, source);
    }
    return instance(new Map(), undefined);
  }

  /**
   * A block body as a value: attributes, and nested blocks (dynamic ones expanded) as lists of objects by type. Its
   * source is the block's header (`default_node_pool {`), one line, where a finding on the whole block points.
   */
  private blockValue(body: Body, uri: string, scope: Scope, whole: Span): ArmValue & { kind: 'object' } {
    const properties = new Map<string, ArmValue>();
    for (const attribute of body.attributes) {
      if (attribute.name === 'count' || attribute.name === 'for_each' || attribute.name === 'depends_on') continue;
      properties.set(attribute.name, this.expression(attribute.value, uri, scope));
    }
    const nested = new Map<string, ArmValue[]>();
    const add = (type: string, value: ArmValue) => nested.set(type, [...(nested.get(type) ?? []), value]);
    for (const block of body.blocks) {
      if (block.type === 'lifecycle' || block.type === 'precondition' || block.type === 'postcondition' || block.type === 'timeouts') continue;
      if (block.type === 'dynamic' && block.labels[0]) {
        const type = block.labels[0];
        const forEach = block.body.attributes.find((a) => a.name === 'for_each');
        const iterator = block.body.attributes.find((a) => a.name === 'iterator');
        const iteratorName = iterator?.value.kind === 'variable' ? iterator.value.name : type;
        const content = block.body.blocks.find((b) => b.type === 'content');
        const entries = forEach && eachEntries(this.expression(forEach.value, uri, scope));
        if (!content || !entries) {
          add(type, unknownValue(`dynamic "${type}" blocks cannot be expanded here`, { uri, start: block.start, end: block.end }));
          continue;
        }
        for (const [key, value] of entries) {
          const inner = new Map(scope);
          const at = value.source ?? { uri, start: block.start, end: block.end };
          inner.set(iteratorName, obj(new Map([['key', str(key, at)], ['value', value]]), at));
          add(type, this.blockValue(content.body, uri, inner, content.header));
        }
        continue;
      }
      add(block.type, this.blockValue(block.body, uri, scope, block.header));
    }
    for (const [type, items] of nested) properties.set(type, { kind: 'array', items, source: { uri, start: whole.start, end: whole.end } });
    return obj(properties, { uri, start: whole.start, end: whole.end });
  }

  // ---- expressions ----

  /** An expression's value, within the run's budget of steps, depth and string length; never throws. */
  expression(expr: Expr, uri: string, scope: Scope): ArmValue {
    const source: Source = { uri, start: expr.start, end: expr.end };
    const budget = this.budget();
    if (!spend(budget, 1)) return unknownValue(TOO_LARGE, source);
    const depth = this.run.depth ?? 0;
    if (depth >= MAX_EVALUATION_DEPTH) return unknownValue(`expressions nested more than ${MAX_EVALUATION_DEPTH} deep are not evaluated`, source);
    this.run.depth = depth + 1;
    let value: ArmValue;
    try {
      value = this.evaluate(expr, uri, scope, source);
    } catch (error) {
      // A value too large for the engine, or a bug: unknown, never an exception out of the reader.
      return unknownValue(`could not evaluate: ${error instanceof Error ? error.message : String(error)}`, source);
    } finally {
      this.run.depth = depth;
    }
    if (value.kind === 'string' && value.value.length > MAX_STRING_LENGTH) return unknownValue(`a string of ${value.value.length} characters is too long to evaluate`, source);
    const size = value.kind === 'array' ? value.items.length : value.kind === 'object' ? value.properties.size : value.kind === 'string' ? value.value.length >> 4 : 0;
    return size === 0 || spend(budget, size) ? value : unknownValue(TOO_LARGE, source);
  }

  /** The run's budget of steps, shared by its modules. */
  private budget(): EvaluationBudget {
    return (this.run.budget ??= newBudget('terraform', this.run.root, MAX_EVALUATION_STEPS, TOO_LARGE));
  }

  /** True once the run's budget is spent: loops stop at their next item (its value would be unknown). */
  private stopped(): boolean {
    return this.budget().stopped;
  }

  private evaluate(expr: Expr, uri: string, scope: Scope, source: Source): ArmValue {
    switch (expr.kind) {
      case 'literal':
        if (expr.value === null) return { kind: 'null', source };
        if (typeof expr.value === 'string') return str(expr.value, source);
        if (typeof expr.value === 'number') return num(expr.value, source);
        return { kind: 'bool', value: expr.value, source };
      case 'template':
        return this.template(expr.parts, uri, scope, source);
      case 'variable':
      case 'attr':
      case 'index':
        return this.traversal(expr, uri, scope, source);
      case 'splat': {
        const target = this.expression(expr.target, uri, scope);
        if (target.kind === 'unknown') return target;
        const items = target.kind === 'array' ? target.items : target.kind === 'null' ? [] : [target];
        return { kind: 'array', items: items.map((item) => this.steps(item, expr.steps, uri, scope, source)), source };
      }
      case 'call':
        return this.call(expr, uri, scope, source);
      case 'tuple':
        return { kind: 'array', items: expr.items.map((item) => this.expression(item, uri, scope)), source };
      case 'object': {
        const properties = new Map<string, ArmValue>();
        for (const item of expr.items) {
          const key = this.expression(item.key, uri, scope);
          const text = primitiveText(key);
          if (text === undefined) return unknownFrom(key, key.source ?? source, 'an object key is not a string');
          properties.set(text, this.expression(item.value, uri, scope));
        }
        return obj(properties, source);
      }
      case 'for':
        return this.forExpression(expr, uri, scope, source);
      case 'conditional': {
        const condition = this.expression(expr.condition, uri, scope);
        if (condition.kind !== 'bool') return unknownFrom(condition, condition.source ?? source, 'a condition is not a bool');
        return this.expression(condition.value ? expr.then : expr.otherwise, uri, scope);
      }
      case 'unary': {
        const operand = this.expression(expr.operand, uri, scope);
        if (operand.kind === 'unknown') return operand;
        if (expr.operator === '-' && operand.kind === 'int') return num(-operand.value, source);
        if (expr.operator === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value, source };
        return failure(`${expr.operator} cannot apply to ${operand.kind}`, source);
      }
      case 'binary':
        return this.binary(expr.operator, expr.left, expr.right, uri, scope, source);
      case 'invalid':
        return failure(expr.reason, source);
    }
  }

  private template(parts: readonly (string | Expr)[], uri: string, scope: Scope, source: Source): ArmValue {
    let text = '';
    let unknownPart: ArmValue | undefined;
    // A child's id written after its parent's ("${azurerm_virtual_network.spoke.id}/subnets/nodes"): the parent's path.
    let parentId: readonly ResourceIdSegment[] | undefined;
    for (const [i, part] of parts.entries()) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      const value = this.expression(part, uri, scope);
      if (i === 0 && value.kind === 'resourceId') {
        parentId = value.path;
        continue;
      }
      const piece = primitiveText(value);
      if (piece === undefined) {
        unknownPart ??= value.kind === 'unknown' ? value : failure(`a ${value.kind} cannot be written into a string`, value.source);
        text += '\u0000';
      } else text += piece;
    }
    if (parentId) {
      if (text === '' && !unknownPart) return { kind: 'resourceId', path: parentId, source };
      const children = unknownPart ? undefined : childSegments(text);
      return children ? { kind: 'resourceId', path: [...parentId, ...children], source } : notNullUnknown('a resource id followed by text that names no child resource', source);
    }
    if (!unknownPart) return str(text, source);
    // An id assembled by hand ("/subscriptions/${…}/…/virtualNetworks/${vnet}/subnets/${name}"): its known resource path.
    const path = resourcePathAfterUnknowns(text);
    if (path) return { kind: 'resourceId', path, source };
    if (unknownPart.kind === 'unknown' && !failures.has(unknownPart)) return notNullUnknown(unknownPart.reason, source);
    return unknownFrom(unknownPart, source, 'a value cannot be written into a string');
  }

  /** `var.x`, `local.y`, `azurerm_subnet.aks.id`, `module.net.subnet_ids["aks"]`, `each.value`, `count.index`. */
  private traversal(expr: Expr, uri: string, scope: Scope, source: Source): ArmValue {
    const steps: Step[] = [];
    let root: Expr = expr;
    while (root.kind === 'attr' || root.kind === 'index') {
      steps.unshift(root.kind === 'attr' ? { kind: 'attr', name: root.name } : { kind: 'index', key: root.key });
      root = root.target;
    }
    if (root.kind !== 'variable') return this.steps(this.expression(root, uri, scope), steps, uri, scope, source);
    const name = root.name;
    const local = scope.get(name);
    if (local) return this.steps(local, steps, uri, scope, source);
    const first = steps[0]?.kind === 'attr' ? steps[0].name : undefined;
    const second = steps[1]?.kind === 'attr' ? steps[1].name : undefined;
    const rootSource: Source = { uri, start: root.start, end: root.end };
    switch (name) {
      case 'var':
      case 'local': {
        if (!first) return failure(`${name} needs a name`, rootSource);
        const value = this.steps(name === 'var' ? this.variable(first, source) : this.local(first, source), steps.slice(1), uri, scope, source);
        recordUse(this.run.uses, source, value);
        return value;
      }
      case 'module':
        return first ? this.steps(this.module(first, source), steps.slice(1), uri, scope, source) : failure('module needs a name', rootSource);
      case 'data': {
        if (!first || !second) return failure('data needs a type and a name', rootSource);
        const value = this.steps(this.resource(`data.${first}.${second}`, source), steps.slice(2), uri, scope, source);
        if (value.kind === 'unknown') recordUnknownUse(this.run.uses, source, `data.${first}.${second} is read from Azure when Terraform plans; this extension does not read Azure, so its attributes are unknown here`);
        return value;
      }
      case 'path':
        return first === 'module' || first === 'root' ? str(this.folder, source) : unknownValue(`path.${first ?? ''} is known only when Terraform runs`, source);
      case 'terraform':
        return unknownValue('terraform.workspace is chosen when Terraform runs', source);
      case 'count':
      case 'each':
      case 'self':
        return failure(`${name} is not available here`, rootSource);
      default:
        if (first && this.resources.has(`${name}.${first}`)) return this.steps(this.resource(`${name}.${first}`, source), steps.slice(1), uri, scope, source);
        return failure(`no "${name}${first ? `.${first}` : ''}" is declared in ${this.folder}`, source);
    }
  }

  private steps(value: ArmValue, steps: readonly Step[], uri: string, scope: Scope, source: Source): ArmValue {
    let current = value;
    for (const step of steps) {
      if (current.kind === 'unknown') return current;
      if (step.kind === 'attr') {
        if (current.kind !== 'object') return failure(`.${step.name}: a ${current.kind} has no attributes`, source);
        const found = current.properties.get(step.name);
        if (!found) {
          const computed = COMPUTED_ATTRIBUTES.get(step.name);
          const mark = current.properties.get(RESOURCE_MARK);
          if (mark?.kind === 'string') return assignedLater(`${step.name} of ${mark.value} is read from Azure when Terraform plans`, source);
          if (computed && mark) return assignedLater(`${step.name} is ${computed}`, source);
          if (mark) return assignedLater(`${step.name} is known only after apply (or not written)`, source);
          return failure(`no attribute "${step.name}"`, source);
        }
        current = found;
        continue;
      }
      const key = this.expression(step.key, uri, scope);
      if (key.kind === 'unknown') return key;
      if (current.kind === 'array' && key.kind === 'int') {
        const item = current.items[key.value];
        if (!item) return failure(`index ${key.value} is outside a list of ${current.items.length}`, source);
        current = item;
      } else if (current.kind === 'object') {
        const text = primitiveText(key);
        const item = text === undefined ? undefined : current.properties.get(text);
        if (!item) return failure(`no key ${JSON.stringify(text ?? key.kind)}`, source);
        current = item;
      } else return failure(`a ${current.kind} cannot be indexed`, source);
    }
    return current;
  }

  private call(expr: Expr & { kind: 'call' }, uri: string, scope: Scope, source: Source): ArmValue {
    const name = expr.name.replace(/^provider::[^:]+::/, '');
    if (name === 'try') {
      let first: ArmValue | undefined;
      for (const arg of expr.args) {
        const value = this.expression(arg, uri, scope);
        if (!failures.has(value)) return value;
        first ??= value;
      }
      return first ?? failure('try needs arguments', source);
    }
    if (name === 'can') {
      const value = expr.args[0] ? this.expression(expr.args[0], uri, scope) : failure('can needs an argument', source);
      if (failures.has(value)) return { kind: 'bool', value: false, source };
      return value.kind === 'unknown' ? value : { kind: 'bool', value: true, source };
    }
    const fn = TERRAFORM_FUNCTIONS.get(name);
    let args = expr.args.map((arg) => this.expression(arg, uri, scope));
    if (expr.expand && args.length > 0) {
      const last = args[args.length - 1]!;
      const items = arrayItems(last);
      if (!items) return unknownFrom(last, source, `${name}(…): the expanded argument is not a list`);
      args = [...args.slice(0, -1), ...items];
    }
    if (!fn) return unknownValue(`the function ${name}() is not evaluated`, source);
    const result = fn(args, source);
    if (result.kind === 'unknown' && !args.some((arg) => arg.kind === 'unknown')) failures.add(result);
    return result;
  }

  private forExpression(expr: Expr & { kind: 'for' }, uri: string, scope: Scope, source: Source): ArmValue {
    const collection = this.expression(expr.collection, uri, scope);
    let entries: [ArmValue, ArmValue][];
    if (collection.kind === 'array') entries = collection.items.map((item, i) => [num(i, item.source ?? source), item]);
    else if (collection.kind === 'object') entries = [...collection.properties].map(([key, value]) => [str(key, value.source ?? source), value]);
    else if (collection.kind === 'null') return failure('for: the collection is null', source);
    else return unknownFrom(collection, source, `for: a ${collection.kind} is not a collection`);
    const items: ArmValue[] = [];
    const properties = new Map<string, ArmValue>();
    for (const [key, value] of entries) {
      if (this.stopped()) return unknownValue(TOO_LARGE, source);
      const inner = new Map(scope);
      if (expr.keyVar) inner.set(expr.keyVar, key);
      inner.set(expr.valueVar, value);
      if (expr.condition) {
        const keep = this.expression(expr.condition, uri, inner);
        if (keep.kind !== 'bool') return unknownFrom(keep, source, 'a for condition is not a bool');
        if (!keep.value) continue;
      }
      const item = this.expression(expr.value, uri, inner);
      if (!expr.object) {
        items.push(item);
        continue;
      }
      const keyValue = expr.key ? this.expression(expr.key, uri, inner) : key;
      const text = primitiveText(keyValue);
      if (text === undefined) return unknownFrom(keyValue, source, 'a for key is not a string');
      if (expr.grouping) {
        const group = properties.get(text);
        properties.set(text, { kind: 'array', items: [...(group?.kind === 'array' ? group.items : []), item], source });
      } else properties.set(text, item);
    }
    return expr.object ? obj(properties, source) : { kind: 'array', items, source };
  }

  private binary(operator: string, leftExpr: Expr, rightExpr: Expr, uri: string, scope: Scope, source: Source): ArmValue {
    const left = this.expression(leftExpr, uri, scope);
    // && and || decide on the left alone when they can.
    if (operator === '&&' && left.kind === 'bool' && !left.value) return { kind: 'bool', value: false, source };
    if (operator === '||' && left.kind === 'bool' && left.value) return { kind: 'bool', value: true, source };
    const right = this.expression(rightExpr, uri, scope);
    if (operator === '==' || operator === '!=') {
      const equal = sameValue(left, right);
      if (equal === undefined) return unknownFrom(left.kind === 'unknown' ? left : right, source, 'cannot compare');
      return { kind: 'bool', value: operator === '==' ? equal : !equal, source };
    }
    if (left.kind === 'unknown') return unknownFrom(left, source, '');
    if (right.kind === 'unknown') return unknownFrom(right, source, '');
    if (operator === '&&' || operator === '||') {
      if (left.kind !== 'bool' || right.kind !== 'bool') return failure(`${operator} needs bools`, source);
      return { kind: 'bool', value: operator === '&&' ? left.value && right.value : left.value || right.value, source };
    }
    const a = toNumber(left);
    const b = toNumber(right);
    if (a === undefined || b === undefined) return failure(`${operator} needs numbers`, source);
    switch (operator) {
      case '+':
        return num(a + b, source);
      case '-':
        return num(a - b, source);
      case '*':
        return num(a * b, source);
      case '/':
        return b === 0 ? failure('division by zero', source) : num(a / b, source);
      case '%':
        return b === 0 ? failure('division by zero', source) : num(a % b, source);
      case '<':
        return { kind: 'bool', value: a < b, source };
      case '<=':
        return { kind: 'bool', value: a <= b, source };
      case '>':
        return { kind: 'bool', value: a > b, source };
      case '>=':
        return { kind: 'bool', value: a >= b, source };
      default:
        return failure(`unknown operator ${operator}`, source);
    }
  }
}

interface Span {
  readonly start: number;
  readonly end: number;
}

function toNumber(value: ArmValue): number | undefined {
  if (value.kind === 'int') return value.value;
  if (value.kind === 'string' && /^-?\d+$/.test(value.value)) return Number(value.value);
  return undefined;
}

/** Equality of values as Terraform compares them; undefined when an unknown decides it. */
function sameValue(a: ArmValue, b: ArmValue): boolean | undefined {
  // An unknown that cannot be null (assigned at apply time, a template) is not equal to null, whatever it will be.
  if ((a.kind === 'null' && notNull.has(b)) || (b.kind === 'null' && notNull.has(a))) return false;
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  if (a.kind === 'null' || b.kind === 'null') return a.kind === b.kind;
  const ta = primitiveText(a);
  const tb = primitiveText(b);
  if (ta !== undefined || tb !== undefined) return a.kind === b.kind && ta === tb;
  if (a.kind === 'array' && b.kind === 'array') {
    if (a.items.length !== b.items.length) return false;
    let result: boolean | undefined = true;
    a.items.forEach((item, i) => {
      const same = sameValue(item, b.items[i]!);
      if (same === false) result = false;
      else if (same === undefined && result) result = undefined;
    });
    return result;
  }
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.properties.size !== b.properties.size) return false;
    let result: boolean | undefined = true;
    for (const [key, value] of a.properties) {
      const other = b.properties.get(key);
      const same = other === undefined ? false : sameValue(value, other);
      if (same === false) return false;
      if (same === undefined) result = undefined;
    }
    return result;
  }
  return false;
}

/** The keys and values a `for_each` iterates: a map's entries, a set's (list's) strings as both. */
function eachEntries(collection: ArmValue): [string, ArmValue][] | undefined {
  if (collection.kind === 'object') return [...collection.properties];
  if (collection.kind === 'array') {
    const entries: [string, ArmValue][] = [];
    for (const item of collection.items) {
      const text = primitiveText(item);
      if (text === undefined) return undefined;
      entries.push([text, item]);
    }
    return entries;
  }
  return undefined;
}

/**
 * A managed resource whose `name` is known only at apply time (`"${random_id.prefix.hex}-aks"`) is named by its address
 * (`azurerm_subnet.test`), which is what identifies it within the configuration: references to it still join it, as
 * Bicep's `aks.name` of a name that cannot be evaluated still names `aks`.
 */
function withAddressName(value: ArmValue & { kind: 'object' }, address: string): ArmValue & { kind: 'object' } {
  const name = value.properties.get('name');
  if (name?.kind !== 'unknown' || failures.has(name) || !name.source) return value;
  return obj(new Map([...value.properties, ['name', str(address, name.source)]]), value.source);
}

/** Marks a resource's value, so that an attribute it does not write reads as known only after apply. */
const RESOURCE_MARK = '\u0000resource';
// (A data source's mark is its address, a string: what it has is read from Azure, not assigned at apply.)

/** Attributes Azure assigns, read through a resource. */
const COMPUTED_ATTRIBUTES = new Map([
  ['principal_id', 'assigned by Azure'],
  ['object_id', 'assigned by Azure'],
  ['fqdn', 'assigned by Azure'],
  ['ip_address', 'assigned by Azure when not written'],
]);

/** A resource's value with the attributes references read that the block does not write: `id`, and `name` as written. */
function withComputed(resource: EvaluatedResource, identity: ResourceIdentity): ArmValue {
  const properties = new Map(resource.value.properties);
  properties.set(
    RESOURCE_MARK,
    resource.mode === 'data' ? { kind: 'string', value: `data.${resource.type}.${resource.name}`, source: resource.source } : { kind: 'bool', value: true, source: resource.source },
  );
  if (!properties.has('id')) {
    const path = resource.mode === 'managed' || resource.type.startsWith('azurerm_') ? identity(resource) : undefined;
    properties.set('id', path ? { kind: 'resourceId', path, source: resource.source } : assignedLater(`the id of ${resource.type}.${resource.name} is assigned by Azure`, resource.source));
  }
  return obj(properties, resource.source);
}

/** The child segments of an id's tail (`/subnets/nodes`), or undefined when it names none. */
function childSegments(text: string): ResourceIdSegment[] | undefined {
  const parts = text.split('/');
  if (parts.length < 3 || parts.length % 2 !== 1 || parts[0] !== '' || parts.slice(1).some((part) => part === '')) return undefined;
  const path: ResourceIdSegment[] = [];
  for (let i = 1; i < parts.length; i += 2) path.push({ type: parts[i]!, name: parts[i + 1] });
  return path;
}

/** The resource path of an id whose leading parts are unknown: `…/providers/Microsoft.Network/virtualNetworks/v/subnets/s`. */
function resourcePathAfterUnknowns(text: string): ResourceIdSegment[] | undefined {
  const tail = text.slice(text.lastIndexOf('\u0000') + 1);
  const match = /\/providers\/[^/]+\/(.+)$/i.exec(tail);
  if (!match) return undefined;
  const parts = match[1]!.split('/').filter((part) => part !== '');
  if (parts.length < 2 || parts.length % 2 !== 0) return undefined;
  const path: ResourceIdSegment[] = [];
  for (let i = 0; i < parts.length; i += 2) path.push({ type: parts[i]!, name: parts[i + 1] });
  return path;
}

/**
 * A variable's value with the defaults its type declares (`optional(string, "azure")` in an `object(...)`), as
 * Terraform applies them to the caller's value: attributes the caller leaves out get their default or null.
 */
function withTypeDefaults(type: Expr, value: ArmValue, config: Configuration, uri: string): ArmValue {
  if (value.kind === 'unknown' || value.kind === 'null') return value;
  if (type.kind !== 'call') return value;
  const [inner] = type.args;
  switch (type.name) {
    case 'object': {
      if (value.kind !== 'object' || inner?.kind !== 'object') return value;
      const properties = new Map(value.properties);
      for (const item of inner.items) {
        const key = item.key.kind === 'literal' ? String(item.key.value) : undefined;
        if (key === undefined) continue;
        const attributeType = item.value.kind === 'call' && item.value.name === 'optional' ? item.value.args[0] : item.value;
        const given = properties.get(key);
        if (given !== undefined && given.kind !== 'null') {
          properties.set(key, attributeType ? withTypeDefaults(attributeType, given, config, uri) : given);
        } else if (item.value.kind === 'call' && item.value.name === 'optional') {
          const fallback = item.value.args[1];
          const filled = fallback ? config.expression(fallback, uri, new Map()) : { kind: 'null' as const, source: { uri, start: item.value.start, end: item.value.end } };
          properties.set(key, attributeType && fallback ? withTypeDefaults(attributeType, filled, config, uri) : filled);
        }
      }
      return { kind: 'object', properties, source: value.source };
    }
    case 'list':
    case 'set':
      return value.kind === 'array' && inner ? { kind: 'array', items: value.items.map((item) => withTypeDefaults(inner, item, config, uri)), source: value.source } : value;
    case 'map':
      return value.kind === 'object' && inner
        ? { kind: 'object', properties: new Map([...value.properties].map(([key, item]) => [key, withTypeDefaults(inner, item, config, uri)])), source: value.source }
        : value;
    case 'optional':
      return inner ? withTypeDefaults(inner, value, config, uri) : value;
    default:
      return value;
  }
}
