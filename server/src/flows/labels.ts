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

/** Three-valued AND: false wins, then unknown. */
function and(results: Iterable<boolean | undefined>): boolean | undefined {
  let answer: boolean | undefined = true;
  for (const result of results) {
    if (result === false) return false;
    if (result === undefined) answer = undefined;
  }
  return answer;
}

function* requirements(selector: LabelSelector, labels: LabelSet): Generator<boolean | undefined> {
  for (const [key, wanted] of selector.matchLabels) {
    if (!labels.has(key)) {
      yield false;
      continue;
    }
    const value = labels.get(key);
    yield value === undefined ? undefined : value === wanted;
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const present = labels.has(key);
    const value = labels.get(key);
    switch (operator) {
      case 'Exists':
        yield present;
        break;
      case 'DoesNotExist':
        yield !present;
        break;
      case 'In':
        yield !present ? false : value === undefined ? undefined : values.includes(value);
        break;
      case 'NotIn':
        yield !present ? true : value === undefined ? undefined : !values.includes(value);
        break;
    }
  }
}

/** Whether the selector selects an object with these labels; undefined when an unknown label value decides it. */
export function selectorMatches(selector: LabelSelector, labels: LabelSet): boolean | undefined {
  return and(requirements(selector, labels));
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
