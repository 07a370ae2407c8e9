// `netlens check`'s output for people and for CI logs: text (with the source line and a caret under the range, colours
// on a terminal, a summary per rule) and GitHub workflow annotations (`::error file=…,line=…::message`).
import * as path from 'node:path';
import type { Severity } from '../rules/rule';
import type { CheckedFinding, CheckResult } from './check';

export interface TextOptions {
  /** ANSI colours (see colorEnabled). */
  readonly color?: boolean;
  /** One line per finding and nothing else: no source lines, no summaries. */
  readonly quiet?: boolean;
}

/**
 * Whether to colour output written to `stream`: never when NO_COLOR is set to anything (no-color.org), always when
 * FORCE_COLOR is set to anything but 0 or false, otherwise when the stream is a terminal that has colours.
 */
export function colorEnabled(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const tty = stream as NodeJS.WritableStream & { isTTY?: boolean; hasColors?: (env?: object) => boolean };
  return tty.isTTY === true && (tty.hasColors?.(env) ?? true);
}

const ANSI = { bold: 1, dim: 2, red: 31, yellow: 33, blue: 34, cyan: 36 } as const;
type Style = keyof typeof ANSI;
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'blue' };

function painter(color: boolean) {
  return (text: string, ...styles: Style[]) =>
    color && text !== '' ? `${styles.map((style) => `\u001b[${ANSI[style]}m`).join('')}${text}\u001b[0m` : text;
}

const location = (f: CheckedFinding) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;

/** The finding's source line and a caret line under its range (to the end of the line when the range goes on). */
function excerpt(f: CheckedFinding, paint: ReturnType<typeof painter>): string[] {
  if (f.lineText === undefined) return [];
  const number = String(f.range.start.line + 1);
  const gutter = ' '.repeat(number.length);
  const start = Math.min(f.range.start.character, f.lineText.length);
  const end = f.range.end.line > f.range.start.line ? f.lineText.length : Math.min(f.range.end.character, f.lineText.length);
  // Tabs stay tabs under the text so the caret lines up whatever the terminal's tab width.
  const padding = f.lineText.slice(0, start).replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(Math.max(1, end - start));
  return [`  ${paint(number, 'dim')} ${paint('|', 'dim')} ${f.lineText}`, `  ${gutter} ${paint('|', 'dim')} ${padding}${paint(carets, SEVERITY_STYLE[f.severity], 'bold')}`];
}

const plural = (count: number, severity: Severity) => (severity === 'info' ? `${count} info` : `${count} ${severity}(s)`);

/** One line per rule that found something, most findings first: `  subnet-overlap  2: 2 error(s)`. */
export function summaryByRule(findings: readonly CheckedFinding[]): string[] {
  const byRule = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    const counts = byRule.get(f.rule) ?? { error: 0, warning: 0, info: 0 };
    counts[f.severity]++;
    byRule.set(f.rule, counts);
  }
  const total = (counts: Record<Severity, number>) => counts.error + counts.warning + counts.info;
  const rows = [...byRule].sort(([a, x], [b, y]) => total(y) - total(x) || a.localeCompare(b));
  const width = Math.max(0, ...rows.map(([rule]) => rule.length));
  return rows.map(([rule, counts]) => {
    const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => plural(counts[s], s));
    return `  ${rule.padEnd(width)}  ${total(counts)}: ${parts.join(', ')}`;
  });
}

function totals(result: CheckResult): string {
  const count = (severity: Severity) => result.findings.filter((f) => f.severity === severity).length;
  return `${result.files} file(s) checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info.`;
}

/**
 * Text for a terminal: `file:line:col: severity rule: message` per finding, then (unless quiet) its source line with a
 * caret under the range, a summary per rule and the totals.
 */
export function formatText(result: CheckResult, options: TextOptions = {}): string {
  const paint = painter(options.color === true);
  const lines: string[] = [];
  for (const f of result.findings) {
    lines.push(`${paint(location(f), 'bold')}: ${paint(f.severity, SEVERITY_STYLE[f.severity], 'bold')} ${paint(f.rule, 'dim')}: ${f.message}`);
    if (options.quiet) continue;
    const source = excerpt(f, paint);
    if (source.length > 0) lines.push(...source, '');
  }
  if (!options.quiet) {
    if (result.findings.length > 0) lines.push('Findings per rule:', ...summaryByRule(result.findings));
    lines.push(totals(result));
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

const ANNOTATION: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
// The escaping of GitHub's workflow commands: data escapes %, CR and LF; property values also : and ,.
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub Actions workflow commands, one annotation per finding (`::error file=…,line=…,col=…,title=rule::message`;
 * info findings are notices), then (unless quiet) the summary per rule and the totals as plain log lines.
 */
export function formatGithub(result: CheckResult, options: Pick<TextOptions, 'quiet'> = {}): string {
  const lines = result.findings.map((f) => {
    const { start, end } = f.range;
    const properties = [`file=${escapeProperty(f.file.split(path.sep).join('/'))}`, `line=${start.line + 1}`, `col=${start.character + 1}`];
    if (end.line > start.line) properties.push(`endLine=${end.line + 1}`);
    else if (end.character > start.character) properties.push(`endLine=${end.line + 1}`, `endColumn=${end.character}`);
    properties.push(`title=${escapeProperty(f.rule)}`);
    return `::${ANNOTATION[f.severity]} ${properties.join(',')}::${escapeData(f.message)}`;
  });
  if (!options.quiet) {
    if (result.findings.length > 0) lines.push('Findings per rule:', ...summaryByRule(result.findings));
    lines.push(totals(result));
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
