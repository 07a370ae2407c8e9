// A user's severity setting for a rule (editor settings, .aksnetlens.yaml): it moves the rule's levels, it does not
// flatten them. Rules that grade their findings on purpose (service-cidr-too-large: error past /12, warning at exactly
// /12; max-pods-range; deprecated-network-setting) keep the grading. The one mapping for the workspace and SARIF.
import { ruleById } from './catalogue';
import type { Finding, Rule, Severity } from './rule';

/** A rule's severity as a user sets it, or off. */
export type RuleSetting = Severity | 'off';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
const BY_RANK: readonly Severity[] = ['info', 'warning', 'error'];

/**
 * The level of a finding when the user sets its rule to `setting`: findings at the rule's default severity take the
 * setting, the others keep their distance from it, and none goes above the setting (a rule set to warning never
 * reports an error). Clamped to info at the bottom.
 */
export function scaledSeverity(rule: Pick<Rule, 'defaultSeverity'>, found: Severity, setting: Severity): Severity {
  const shifted = RANK[found] + RANK[setting] - RANK[rule.defaultSeverity];
  return BY_RANK[Math.max(0, Math.min(shifted, RANK[setting]))]!;
}

/** A finding under the user's setting for its rule: undefined when the rule is off. */
export function withRuleSetting(finding: Finding, setting: RuleSetting | undefined): Finding | undefined {
  if (setting === undefined) return finding;
  if (setting === 'off') return undefined;
  const rule = ruleById(finding.rule);
  // A finding of no rule in the table (none today) takes the setting as it is.
  const severity = rule ? scaledSeverity(rule, finding.severity, setting) : setting;
  return severity === finding.severity ? finding : { ...finding, severity };
}

/** How a rule is configured under a setting: the level of its default-graded findings, and whether it runs at all. */
export function ruleConfiguration(rule: Rule, setting: RuleSetting | undefined): { level: Severity; enabled: boolean } {
  if (setting === 'off') return { level: rule.defaultSeverity, enabled: false };
  return { level: setting ? scaledSeverity(rule, rule.defaultSeverity, setting) : rule.defaultSeverity, enabled: true };
}
