// A finding that holds in several environments at the same place (a template value every environment deploys) is
// reported once, naming them. The rules report it once per environment, each naming its own ("... (environment
// dev.bicepparam)"); here those with the same rule and place become one finding: "(environments dev.bicepparam,
// prod.bicepparam)" when they say the same, else each environment's message on a line of its own.
import type { Finding, Fix, RelatedLocation, Severity } from '../rules/rule';

/** "<message> (environment <name>)": how findings name the environment they hold in (rules and the workspace). */
const NAMED = /^([\s\S]*) \(environment ([^()\n]+)\)$/;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The message without its environment, and the environment's name; undefined when the message names none. */
export function environmentOf(message: string): { body: string; environment: string } | undefined {
  const match = NAMED.exec(message);
  return match ? { body: match[1]!, environment: match[2]! } : undefined;
}

/** The findings, with those of one rule at one place in several environments joined into one (in the first one's place). */
export function mergeEnvironments(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, { finding: Finding; body: string; environment: string }[]>();
  for (const finding of findings) {
    const named = environmentOf(finding.message);
    if (!named) continue;
    const key = `${finding.rule}|${finding.source.uri}|${finding.source.start}|${finding.source.end}`;
    const group = groups.get(key);
    if (group) group.push({ finding, ...named });
    else groups.set(key, [{ finding, ...named }]);
  }
  const merged = new Map<Finding, Finding | undefined>();
  for (const group of groups.values()) {
    const environments = [...new Set(group.map((entry) => entry.environment))];
    if (environments.length < 2) continue;
    const [first] = group;
    const bodies = new Set(group.map((entry) => entry.body));
    const message =
      bodies.size === 1
        ? `${first!.body} (environments ${environments.join(', ')})`
        : group.map((entry) => `${entry.body} (environment ${entry.environment})`).join('\n');
    const severity = group.map((entry) => entry.finding.severity).reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
    const related = unique(group.flatMap((entry) => entry.finding.related ?? []), (r: RelatedLocation) => `${r.source.uri}|${r.source.start}|${r.source.end}|${r.message}`);
    const fixes = mergeFixes(group.map((entry) => ({ environment: entry.environment, fixes: entry.finding.fixes ?? [] })));
    const { related: _, fixes: __, ...rest } = first!.finding;
    merged.set(first!.finding, { ...rest, severity, message, ...(related.length > 0 ? { related } : {}), ...(fixes.length > 0 ? { fixes } : {}) });
    for (const entry of group.slice(1)) merged.set(entry.finding, undefined);
  }
  if (merged.size === 0) return [...findings];
  return findings.flatMap((finding) => {
    if (!merged.has(finding)) return [finding];
    const replacement = merged.get(finding);
    return replacement ? [replacement] : [];
  });
}

/** The fixes of every environment, once each: a fix some environments do not share says which it is for. */
function mergeFixes(perEnvironment: readonly { environment: string; fixes: readonly Fix[] }[]): Fix[] {
  const byEdits = new Map<string, { fix: Fix; environments: string[] }>();
  for (const { environment, fixes } of perEnvironment) {
    for (const fix of fixes) {
      const key = `${fix.title}|${JSON.stringify(fix.edits)}`;
      const entry = byEdits.get(key);
      if (entry) entry.environments.push(environment);
      else byEdits.set(key, { fix, environments: [environment] });
    }
  }
  const all = new Set(perEnvironment.map((entry) => entry.environment)).size;
  return [...byEdits.values()].map(({ fix, environments }) =>
    new Set(environments).size === all ? fix : { ...fix, title: `${fix.title} (for ${[...new Set(environments)].join(', ')})` },
  );
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
