// `netlens check`: reads files and folders into one workspace, runs the rules, reports in text, JSON, SARIF or as
// GitHub workflow annotations (the formatters are in terminal.ts and sarif.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Range } from 'vscode-languageserver-types';
import { canReadApart } from '../readers';
import type { Severity } from '../rules/rule';
import type { RuleSetting } from '../rules/severity';
import { rangeOf } from '../service/diagnostics';
import { loadFromDisk, readDiskFile } from '../service/diskFiles';
import { ReaderPool } from '../service/readerPool';
import { Workspace } from '../service/workspace';
import { findWorkspaceFiles } from '../service/workspaceFiles';
import { READ_APART_FROM } from '../service/workspaceScan';

export { formatSarif } from './sarif';
export { formatText } from './terminal';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';

export interface CheckedFinding {
  /** Relative to the folder netlens ran in, with the platform's separators. */
  readonly file: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  /** The text of the range's first line, without its line break (for source excerpts and fingerprints). */
  readonly lineText?: string;
  /** The text the range covers. */
  readonly text?: string;
}

export interface CheckResult {
  /** The folder netlens ran in: file paths are relative to it. */
  readonly root?: string;
  readonly files: number;
  readonly findings: CheckedFinding[];
  /** Paths that could not be read at all (I/O errors). */
  readonly ioErrors: string[];
  /** The rule settings of the workspace's .aksnetlens.yaml, which the findings' levels follow. */
  readonly ruleSettings?: ReadonlyMap<string, RuleSetting>;
}

/** Files and folders read into one workspace. */
export interface ReadPaths {
  readonly workspace: Workspace;
  /** Files found (read or not). */
  readonly files: number;
  /** Files found but not read (not a regular file, over the size limit), with why. */
  readonly notRead: { uri: string; message: string }[];
  /** Paths that could not be read at all (I/O errors). */
  readonly ioErrors: string[];
}

/** Reads every supported file under the paths into one workspace; many files are parsed on reader threads. */
export async function readPaths(paths: readonly string[], cwd: string, log: (message: string) => void): Promise<ReadPaths> {
  const workspace = new Workspace(loadFromDisk);
  const ioErrors: string[] = [];
  const notRead: { uri: string; message: string }[] = [];
  const found: string[] = [];
  for (const given of paths) {
    const root = path.resolve(cwd, given);
    try {
      await fs.access(root);
    } catch {
      ioErrors.push(`${given}: no such file or folder`);
      continue;
    }
    for await (const file of findWorkspaceFiles(root, (message) => ioErrors.push(message))) found.push(file);
  }
  const pool = found.length >= READ_APART_FROM ? ReaderPool.create(path.join(__dirname, 'readerWorker.js')) : undefined;
  let files = 0;
  // Files join the workspace in the order they were found, whichever thread reads them (as in the server's scan).
  let joined: Promise<void> = Promise.resolve();
  try {
    for (const file of found) {
      const uri = pathToFileURL(file).href;
      const read = await readDiskFile(file);
      if ('error' in read) {
        ioErrors.push(`${path.relative(cwd, file)}: ${read.error}`);
        continue;
      }
      files++;
      if ('skipped' in read) {
        notRead.push({ uri, message: read.skipped });
        log(read.skipped);
        continue;
      }
      // As the editor and the server read it: replacement characters where bytes are not UTF-8, lines intact.
      if (read.notUtf8) log(`${path.relative(cwd, file)}: not UTF-8 text; read with replacement characters.`);
      const { text } = read;
      const onThread = pool && canReadApart(uri) ? pool.read(uri, text).catch(() => undefined) : undefined;
      joined = joined.then(async () => void workspace.setFile(uri, text, 0, { read: await onThread }));
    }
    await joined;
  } finally {
    await pool?.close();
  }
  return { workspace, files, notRead, ioErrors };
}

/** Reads every supported file under the paths and checks them as one workspace. */
export async function checkPaths(paths: readonly string[], cwd: string, log: (message: string) => void): Promise<CheckResult> {
  const { workspace, files, notRead, ioErrors } = await readPaths(paths, cwd, log);
  const analysis = workspace.analyze();
  for (const failure of analysis.failures) log(`internal error in rule ${failure.rule}: ${failure.error}`);
  const relative = (uri: string) => path.relative(cwd, fileURLToPath(uri)) || path.basename(fileURLToPath(uri));
  const findings: CheckedFinding[] = [
    ...notRead.map(({ uri, message }) => ({
      file: relative(uri),
      rule: 'file-not-read',
      severity: 'info' as const,
      message,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    })),
    ...analysis.findings.map((finding) => {
      const document = workspace.document(finding.source.uri)!;
      const range = rangeOf(document, finding.source);
      const line = document.getText({ start: { line: range.start.line, character: 0 }, end: { line: range.start.line + 1, character: 0 } });
      return {
        file: relative(finding.source.uri),
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message,
        range,
        lineText: line.replace(/\r?\n$/, ''),
        text: document.getText(range),
      };
    }),
  ];
  findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { root: cwd, files, findings, ioErrors, ruleSettings: new Map(analysis.model.ruleSettings.map((s) => [s.rule, s.setting])) };
}

export function formatJson(result: CheckResult): string {
  const findings = result.findings.map(({ file, rule, severity, message, range }) => ({ file, rule, severity, message, range }));
  return JSON.stringify({ files: result.files, findings }, null, 2) + '\n';
}
