// What a rule is and what it reports.
import type { Fact } from '../facts';
import type { NetworkModel, TextEdit } from '../model/network';
import type { Source } from '../model/source';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  readonly message: string;
  readonly source: Source;
}

/** The text edits that mend a finding: each replaces its source range with new text. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/** One problem found in the model, at the source a user would edit. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly source: Source;
  readonly related?: RelatedLocation[];
  readonly fixes?: readonly Fix[];
}

export interface Rule {
  /** Public, kebab-case id: used in docs, settings, suppressions and CI output. */
  readonly id: string;
  readonly title: string;
  readonly defaultSeverity: Severity;
  /** The facts the rule relies on; their sources go into the rule's doc page. */
  readonly facts: readonly Fact<unknown>[];
  check(model: NetworkModel): Finding[];
}
