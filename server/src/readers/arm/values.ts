// Values of the Bicep evaluator. Each remembers the source a user would edit to change it
// (a literal stays pointing at itself through params, vars and module boundaries).
import type { Source } from '../../model/source';
import type { Expression } from './syntax';

export type BicepValue =
  | { readonly kind: 'string'; readonly value: string; readonly source: Source }
  | { readonly kind: 'int'; readonly value: number; readonly source: Source }
  | { readonly kind: 'bool'; readonly value: boolean; readonly source: Source }
  | { readonly kind: 'null'; readonly source: Source }
  | { readonly kind: 'array'; readonly items: readonly BicepValue[]; readonly source: Source }
  | { readonly kind: 'object'; readonly properties: ReadonlyMap<string, BicepValue>; readonly source: Source }
  /** A resource's id: the types and names of its path, as far as they are known. */
  | { readonly kind: 'resourceId'; readonly path: readonly ResourceIdSegment[]; readonly source: Source }
  /** A declared resource or module instance, reached through its symbol. */
  | { readonly kind: 'resource'; readonly instance: ResourceInstance; readonly source: Source }
  | { readonly kind: 'lambda'; readonly parameters: readonly string[]; readonly body: Expression; readonly scope: Scope; readonly source: Source }
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
  readonly name: BicepValue;
  readonly parent: ResourceInstance | undefined;
  readonly existing: boolean;
  /** The evaluated body (`properties`, `name`, …); undefined for `existing` references. */
  readonly body: BicepValue | undefined;
  /** Where it is declared. */
  readonly source: Source;
  /** Module outputs, for module instances. */
  readonly outputs?: () => ReadonlyMap<string, BicepValue>;
}

/** Names visible to an expression: loop variables and lambda parameters over the file's symbols. */
export interface Scope {
  readonly locals: ReadonlyMap<string, BicepValue>;
}

export const EMPTY_SCOPE: Scope = { locals: new Map() };

export function unknownValue(reason: string, source?: Source): BicepValue {
  return source ? { kind: 'unknown', reason, source } : { kind: 'unknown', reason };
}

/** The value as a string when it is a known string. */
export function asString(value: BicepValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

/** A property of an object value; undefined when absent, an unknown when the object itself is unknown. */
export function property(value: BicepValue | undefined, name: string): BicepValue | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'object') return value.properties.get(name) ?? findCaseInsensitive(value.properties, name);
  if (value.kind === 'unknown') return value;
  return undefined;
}

// ARM property names are case-insensitive.
function findCaseInsensitive(properties: ReadonlyMap<string, BicepValue>, name: string): BicepValue | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of properties) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** A property path through nested objects. */
export function propertyPath(value: BicepValue | undefined, ...path: string[]): BicepValue | undefined {
  let current = value;
  for (const name of path) current = property(current, name);
  return current;
}

/** The items of an array value; undefined when it is not a known array. */
export function arrayItems(value: BicepValue | undefined): readonly BicepValue[] | undefined {
  return value?.kind === 'array' ? value.items : undefined;
}

/** Truthiness for conditions: true, false, or undefined when unknown. */
export function asBoolean(value: BicepValue): boolean | undefined {
  return value.kind === 'bool' ? value.value : undefined;
}
