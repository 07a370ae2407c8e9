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

/** What a rule's check reports: the rule adds its id, its default severity unless the finding is graded, and its fixes. */
export interface Reported<Subject = never> {
  readonly message: string;
  readonly source: Source;
  /** The level of a finding the rule grades (service-cidr-too-large's warning at exactly /12); else the rule's default. */
  readonly severity?: Severity;
  readonly related?: RelatedLocation[];
  /** What the rule's fixes work from: the range, pool or demand the finding is about. */
  readonly subject?: Subject;
}

/** A rule as it is written: data, a check that reports, and optionally the fixes of what it reports. */
export interface RuleDefinition<Subject = never> {
  readonly id: string;
  readonly title: string;
  readonly defaultSeverity: Severity;
  readonly facts: readonly Fact<unknown>[];
  check(model: NetworkModel): Reported<Subject>[];
  /** The quick fixes of a finding with a subject (`at`: the finding's source); a finding without one gets none. */
  fixes?(model: NetworkModel, subject: Subject, at: Source): readonly Fix[];
}

/** A rule from its definition: every finding carries the rule's id and level, and its fixes when there are any. */
export function defineRule<Subject = never>(definition: RuleDefinition<Subject>): Rule {
  const { check, fixes, ...rule } = definition;
  return {
    ...rule,
    check: (model) =>
      check(model).map(({ subject, severity, ...reported }): Finding => {
        const mended = fixes && subject !== undefined ? fixes(model, subject, reported.source) : [];
        return { rule: rule.id, severity: severity ?? rule.defaultSeverity, ...reported, ...(mended.length > 0 ? { fixes: mended } : {}) };
      }),
  };
}
