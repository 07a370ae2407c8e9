// Values of Azure resources as the evaluators (Bicep today; ARM JSON and Terraform's azapi next) and the YAML
// readers (ASO's spec is ARM's properties) give them. Each remembers the source a user would edit to change it
// (a literal stays pointing at itself through params, vars and module boundaries).
import type { Source } from '../../model/source';

export type ArmValue =
  | { readonly kind: 'string'; readonly value: string; readonly source: Source }
  | { readonly kind: 'int'; readonly value: number; readonly source: Source }
  | { readonly kind: 'bool'; readonly value: boolean; readonly source: Source }
  | { readonly kind: 'null'; readonly source: Source }
  | { readonly kind: 'array'; readonly items: readonly ArmValue[]; readonly source: Source }
  | { readonly kind: 'object'; readonly properties: ReadonlyMap<string, ArmValue>; readonly source: Source }
  /** A resource's id: the types and names of its path, as far as they are known. */
  | {
      readonly kind: 'resourceId';
      readonly path: readonly ResourceIdSegment[];
      readonly source: Source;
      /** An ASO `{name}` reference: the path's one name is a Kubernetes object's, not an Azure name. */
      readonly kubernetes?: true;
    }
  /** A declared resource or module instance, reached through its symbol. */
  | { readonly kind: 'resource'; readonly instance: ResourceInstance; readonly source: Source }
  /** A lambda; its body is syntax of the evaluator that made it, which alone calls it (CallContext.callLambda). */
  | { readonly kind: 'lambda'; readonly parameters: readonly string[]; readonly body: unknown; readonly scope: Scope; readonly source: Source }
  /** Not computable here: deploy-time values, params without defaults, registry modules, unsupported functions. */
  | {
      readonly kind: 'unknown';
      readonly reason: string;
      readonly source?: Source;
      /** For `r.name` of a resource whose name cannot be evaluated: the resource, so a reference by that name still finds it. */
      readonly nameOf?: ResourceInstance;
    };

export interface ResourceIdSegment {
  /** The type segment, e.g. `virtualNetworks` or `subnets`. */
  readonly type: string;
  /** The name, when known. */
  readonly name: string | undefined;
}

/** One deployed (or referenced) resource: a declaration evaluated once, or once per loop item. */
export interface ResourceInstance {
  /** Tells instances of one declaration apart (loops, modules called twice). */
  readonly serial: number;
  /** Full type without the API version, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  readonly type: string;
  /** The API version of the declaration (`2024-09-01`), or of its parent for nested children without one. */
  readonly apiVersion?: string;
  /** The resource's evaluated `name` property (the last segment for child resources). */
  readonly name: ArmValue;
  readonly parent: ResourceInstance | undefined;
  readonly existing: boolean;
  /** The evaluated body (`properties`, `name`, …); undefined for `existing` references. */
  readonly body: ArmValue | undefined;
  /** Where it is declared. */
  readonly source: Source;
  /** ASO: the Kubernetes name other objects reference it by (its Azure name is `name`). */
  readonly kubernetesName?: string;
  /** Module outputs, for module instances. */
  readonly outputs?: () => ReadonlyMap<string, ArmValue>;
}

/** The resource instances of one deployment (a Bicep root and its modules; an ASO namespace), in declaration order. */
export interface Deployment {
  readonly instances: ResourceInstance[];
  /** Where parameters and variables are used, with what they evaluate to there (hovers on a use, never rules). */
  readonly uses?: Map<string, { readonly source: Source; readonly values: Set<string>; unknown?: string }>;
}

/** Names visible to an expression: loop variables and lambda parameters over the file's symbols. */
export interface Scope {
  readonly locals: ReadonlyMap<string, ArmValue>;
}

export const EMPTY_SCOPE: Scope = { locals: new Map() };

export function unknownValue(reason: string, source?: Source): ArmValue {
  return source ? { kind: 'unknown', reason, source } : { kind: 'unknown', reason };
}

/** The value as a string when it is a known string. */
export function asString(value: ArmValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

/** A property of an object value; undefined when absent, an unknown when the object itself is unknown. */
export function property(value: ArmValue | undefined, name: string): ArmValue | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'object') return value.properties.get(name) ?? findCaseInsensitive(value.properties, name);
  if (value.kind === 'unknown') return value;
  return undefined;
}

// ARM property names are case-insensitive.
function findCaseInsensitive(properties: ReadonlyMap<string, ArmValue>, name: string): ArmValue | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of properties) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** A property path through nested objects. */
export function propertyPath(value: ArmValue | undefined, ...path: string[]): ArmValue | undefined {
  let current = value;
  for (const name of path) current = property(current, name);
  return current;
}

/** The items of an array value; undefined when it is not a known array. */
export function arrayItems(value: ArmValue | undefined): readonly ArmValue[] | undefined {
  return value?.kind === 'array' ? value.items : undefined;
}

/** Truthiness for conditions: true, false, or undefined when unknown. */
export function asBoolean(value: ArmValue): boolean | undefined {
  return value.kind === 'bool' ? value.value : undefined;
}

/** A resource id with a path appended as written after it (`${vnet.id}/subnets/x`, `concat(vnetId, '/subnets/', name)`). */
export function appendToResourceId(id: ArmValue & { kind: 'resourceId' }, text: string, source: Source): ArmValue {
  const parts = text.split('/').filter((part) => part !== '');
  const path: ResourceIdSegment[] = [...id.path];
  for (let i = 0; i + 1 < parts.length; i += 2) path.push({ type: parts[i]!, name: parts[i + 1] });
  return { kind: 'resourceId', path, source };
}

/** Uses recorded per deployment, and values per use (a use in a loop has one per item). */
const MAX_USES = 20_000;
const MAX_VALUES_PER_USE = 16;

/** Records a use that has no value here, with why (a Terraform data source's attribute), for its hover. */
export function recordUnknownUse(deployment: Pick<Deployment, 'uses'>, source: Source, reason: string): void {
  const uses = deployment.uses;
  const key = `${source.uri}#${source.start}`;
  if (uses && !uses.has(key) && uses.size < MAX_USES) uses.set(key, { source, values: new Set(), unknown: reason });
}

/** Records a parameter's or variable's use with a plain value (hovers show what it is there), bounded per deployment. */
export function recordUse(deployment: Pick<Deployment, 'uses'>, source: Source, value: ArmValue): void {
  const uses = deployment.uses;
  if (!uses || (value.kind !== 'string' && value.kind !== 'int') || String(value.value).length > 200) return;
  const key = `${source.uri}#${source.start}`;
  const use = uses.get(key);
  if (use) {
    if (use.values.size < MAX_VALUES_PER_USE) use.values.add(String(value.value));
  } else if (uses.size < MAX_USES) uses.set(key, { source, values: new Set([String(value.value)]) });
}
