// `netlens check --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it: rules with their doc pages (helpUri,
// fullDescription, help) and configured levels, results at paths relative to %SRCROOT%, and fingerprints that follow a
// finding when lines move. test/unit/sarif.test.ts validates the output against the OASIS schema.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../rules/catalogue';
import type { Rule, Severity } from '../rules/rule';
import { ruleConfiguration, type RuleSetting } from '../rules/severity';
import { ruleDocUri } from '../service/diagnostics';
import type { CheckedFinding, CheckResult } from './check';

export interface SarifOptions {
  /** A rule's doc page (Markdown), for the rule's fullDescription and help; undefined where there is none. */
  readonly ruleDoc?: (ruleId: string) => string | undefined;
}

/** The uriBaseId of the folder netlens ran in; originalUriBaseIds gives its absolute URI. */
export const SOURCE_ROOT = '%SRCROOT%';
/** The partialFingerprints key of a finding's identity (rule, file, the text of its line and range). */
export const FINGERPRINT_KEY = 'netlensFindingHash/v1';

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/** A rule's defaultConfiguration as the workspace configures it, so it agrees with the levels of its results. */
function sarifConfiguration(rule: Rule, setting: RuleSetting | undefined): { level: string; enabled?: false } {
  const { level, enabled } = ruleConfiguration(rule, setting);
  return { level: SARIF_LEVEL[level], ...(enabled ? {} : { enabled: false as const }) };
}

/** The first paragraph of a rule page's "## What" section, on one line. */
export function whatSection(markdown: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => /^##\s+What\s*$/.test(line));
  if (start < 0) return undefined;
  const paragraph: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#/.test(line) || (line.trim() === '' && paragraph.length > 0)) break;
    if (line.trim() !== '') paragraph.push(line.trim());
  }
  return paragraph.length > 0 ? paragraph.join(' ') : undefined;
}

function ruleDescriptor(rule: Rule, docsBase: string, setting: RuleSetting | undefined, options: SarifOptions) {
  const doc = options.ruleDoc?.(rule.id);
  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: (doc && whatSection(doc)) ?? rule.title },
    ...(doc ? { help: { text: doc, markdown: doc } } : {}),
    helpUri: ruleDocUri(docsBase, rule.id),
    defaultConfiguration: sarifConfiguration(rule, setting),
  };
}

/** A relative path under the root with %SRCROOT% as its base; any other file as an absolute file: URI. */
function artifactLocation(file: string, root: string | undefined): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(root ?? '', file);
  const relative = root === undefined ? file : path.relative(root, absolute);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

/**
 * Fingerprints that do not change when lines are added or removed above a finding: a hash of the rule, the file, the
 * finding's line (whitespace collapsed) and the text of its range, with the occurrence number among equal hashes.
 */
function fingerprints(findings: readonly CheckedFinding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const line = (f.lineText ?? '').trim().replace(/\s+/g, ' ');
    const hash = createHash('sha256').update([f.rule, f.file.split(path.sep).join('/'), line, f.text ?? ''].join('\u0000')).digest('hex');
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

/** SARIF 2.1.0, for code-scanning UIs. Regions are 1-based, in UTF-16 code units. */
export function formatSarif(result: CheckResult, docsBase: string, version: string, options: SarifOptions = {}): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const hashes = fingerprints(result.findings);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'AKS Network Lens',
            version,
            semanticVersion: version,
            rules: RULES.map((rule) => ruleDescriptor(rule, docsBase, result.ruleSettings?.get(rule.id), options)),
          },
        },
        ...(result.root === undefined ? {} : { originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(result.root).href.replace(/\/?$/, '/') } } }),
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((f, i) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file, result.root),
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          partialFingerprints: { [FINGERPRINT_KEY]: hashes[i] },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
