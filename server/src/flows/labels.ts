// Label selectors as Kubernetes evaluates them: matchLabels AND every matchExpressions requirement.
// A label whose value is unknown (a template placeholder) makes some answers unknown: `undefined`.
import type { LabelSelector } from '../model/network';
import type { Value } from '../model/source';

/** Labels as the flow engine sees them: the value, or undefined when it is unknown. */
export type LabelSet = ReadonlyMap<string, string | undefined>;

/** The model's labels (values that may be unknown) as a label set. */
export function labelSet(labels: ReadonlyMap<string, Value<string>>): Map<string, string | undefined> {
  const set = new Map<string, string | undefined>();
  for (const [key, value] of labels) set.set(key, value.known ? value.value : undefined);
  return set;
}

/** True when the selector has no requirement: it selects everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return selector.matchLabels.size === 0 && selector.matchExpressions.length === 0;
}

/** One requirement: true, false, or undefined when an unknown label value decides. */
function requirement(operator: LabelSelector['matchExpressions'][number]['operator'], values: readonly string[], labels: LabelSet, key: string): boolean | undefined {
  const present = labels.has(key);
  if (operator === 'Exists') return present;
  if (operator === 'DoesNotExist') return !present;
  if (!present) return operator === 'NotIn';
  const value = labels.get(key);
  if (value === undefined) return undefined;
  return operator === 'In' ? values.includes(value) : !values.includes(value);
}

/** Whether the selector selects an object with these labels; undefined when an unknown label value decides it. */
export function selectorMatches(selector: LabelSelector, labels: LabelSet): boolean | undefined {
  // Three-valued AND: a false requirement decides; an unknown one leaves the answer unknown unless one is false.
  let answer: boolean | undefined = true;
  for (const [key, wanted] of selector.matchLabels) {
    if (!labels.has(key)) return false;
    const value = labels.get(key);
    if (value === undefined) answer = undefined;
    else if (value !== wanted) return false;
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const result = requirement(operator, values, labels, key);
    if (result === false) return false;
    if (result === undefined) answer = undefined;
  }
  return answer;
}

/** Whether a Service selector (labels that must all be present with these values) selects the labels. */
export function mapSelectorMatches(selector: ReadonlyMap<string, string>, labels: LabelSet): boolean | undefined {
  return selectorMatches({ matchLabels: selector, matchExpressions: [] }, labels);
}

/** The selector for people: `app=web, tier in (a, b), !legacy`; `{}` when it selects everything. */
export function describeSelector(selector: LabelSelector): string {
  const parts = [...selector.matchLabels].map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values } of selector.matchExpressions) {
    if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(', ')})`);
  }
  return parts.length === 0 ? '{}' : parts.join(', ');
}
