// npm run new-rule <id> [-- --title "..." --severity error|warning|info]: scaffolds a rule: server/src/rules/<id>.ts
// (defineRule, a check that reports nothing yet), docs/rules/<id>.md, test/fixtures/rules/<id>/{bad,good}.yaml, the
// rule's entry at the end of the catalogue, then the settings sync. The rule's fixture and doc tests fail until the
// check reports what the bad files mark: write those first. `--root DIR` scaffolds into another copy of the project.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const SEVERITIES = ['error', 'warning', 'info'] as const;
type Severity = (typeof SEVERITIES)[number];

export interface NewRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
}

/** A rule id as a TypeScript name: `subnet-capacity` becomes `subnetCapacity`. */
export function exportName(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

const ruleFile = ({ id, title, severity }: NewRule) => `// ${title}: what the rule checks, and why it matters on AKS.
import { defineRule, type Reported } from './rule';

export const ${exportName(id)} = defineRule({
  id: '${id}',
  title: '${title.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}',
  defaultSeverity: '${severity}',
  // The facts.ts entries the rule relies on; their links go on docs/rules/${id}.md.
  facts: [],
  // Read the model only (never syntax), and stay silent on unknown values. A finding graded below the default
  // severity says its own \`severity\`; a finding with a \`subject\` gets the quick fixes \`fixes(model, subject, at)\` returns.
  check: (model) => model.clusters.flatMap((): Reported[] => []),
});
`;

/** The starting point of every example: an ASO cluster, to be changed into what the rule is about. */
const CLUSTER = `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    networkPlugin: azure`;

const docPage = ({ id, title, severity }: NewRule) => `# ${id}

**Severity:** ${severity} · **Title:** ${title}

## What
What the rule reports, in the words of the file a user edits.

## Why
What goes wrong on Azure or in the cluster when it is left as it is.

## Source
The document and section the rule's facts come from, with its link (one per fact in facts.ts).

## Bad
\`\`\`yaml
${CLUSTER}
\`\`\`

## Good
\`\`\`yaml
${CLUSTER}
\`\`\`
`;

const badFixture = ({ id }: NewRule) => `# Each line the rule must report ends with "# expect: ${id}" (add "<text>" in quotes to require it in the message).
${CLUSTER}   # expect: ${id}
`;

const goodFixture = () => `# The nearest case the rule must not report: no finding of it, and no error or warning at all.
${CLUSTER}
`;

/** The catalogue with the rule imported (in file order) and appended to the rule table. */
export function registered(catalogue: string, id: string): string {
  const name = exportName(id);
  const line = `import { ${name} } from './${id}';`;
  const lines = catalogue.split('\n');
  const imports = lines.flatMap((text, index) => (/^import \{ \w+ \} from '\.\/[a-z0-9-]+';$/.test(text) ? [index] : []));
  if (imports.length === 0) throw new Error('catalogue.ts: no rule imports found');
  const before = imports.find((index) => lines[index]!.slice(lines[index]!.indexOf("'")) > `'./${id}';`);
  lines.splice(before ?? imports[imports.length - 1]! + 1, 0, line);
  const text = lines.join('\n');
  const table = /(export const RULES: readonly Rule\[\] = \[\n(?: {2}\w+,\n)*)\];/;
  if (!table.test(text)) throw new Error('catalogue.ts: the RULES table is not where the scaffold expects it');
  return text.replace(table, `$1  ${name},\n];`);
}

/** Writes the rule's files under `root` and registers it; returns the files written, relative to root. */
export function scaffoldRule(root: string, rule: NewRule): string[] {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(rule.id)) throw new Error(`${rule.id}: a rule id is kebab-case, at least two words (subnet-capacity)`);
  if (!SEVERITIES.includes(rule.severity)) throw new Error(`${rule.severity}: the severity is one of ${SEVERITIES.join(', ')}`);
  const catalogue = path.join(root, 'server', 'src', 'rules', 'catalogue.ts');
  const files: [string, string][] = [
    [path.join('server', 'src', 'rules', `${rule.id}.ts`), ruleFile(rule)],
    [path.join('docs', 'rules', `${rule.id}.md`), docPage(rule)],
    [path.join('test', 'fixtures', 'rules', rule.id, 'bad.yaml'), badFixture(rule)],
    [path.join('test', 'fixtures', 'rules', rule.id, 'good.yaml'), goodFixture()],
  ];
  const taken = files.map(([file]) => file).filter((file) => existsSync(path.join(root, file)));
  if (taken.length > 0) throw new Error(`${rule.id} exists already: ${taken.join(', ')}`);
  const text = registered(readFileSync(catalogue, 'utf8'), rule.id);
  for (const [file, content] of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  writeFileSync(catalogue, text);
  return [...files.map(([file]) => file), path.relative(root, catalogue)];
}

/** Regenerates the settings schema and the README rule list of the project at root from its catalogue; returns what it says. */
export function syncRuleSettings(root: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'sync-rule-settings.ts')], { cwd: root, encoding: 'utf8' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { title: { type: 'string' }, severity: { type: 'string', default: 'warning' }, root: { type: 'string' } },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1) {
    console.error('usage: npm run new-rule <id> [-- --title "One-line title" --severity error|warning|info --root DIR]');
    process.exit(2);
  }
  const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
  const title = values.title ?? id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');
  try {
    for (const file of scaffoldRule(root, { id, title, severity: values.severity as Severity })) console.log(`wrote ${file}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  process.stdout.write(syncRuleSettings(root));
}
