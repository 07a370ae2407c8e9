// `netlens check`: rule findings for files and folders, in text, JSON, SARIF or GitHub workflow annotations, on stdout
// (the CLI writes no file: test/unit/sourcePolicy.test.ts).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Severity } from '../rules/rule';
import { checkPaths, formatJson, type OutputFormat } from './check';
import { type Command, usageError } from './command';
import { formatSarif } from './sarif';
import { colorEnabled, formatGithub, formatText } from './terminal';
import { VERSION } from './version';

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];
/** `--fail-on`: the lowest severity that makes the exit code 1. */
const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const checkCommand: Command = {
  name: 'check',
  synopsis: 'check [--format text|json|sarif|github] [--quiet] [--fail-on LEVEL] <paths...>',
  usage: `Usage: netlens check [--format text|json|sarif|github] [--quiet] [--fail-on error|warning|info|none]
                     [--docs-url URL] <paths...>

Checks AKS network configuration (Bicep, YAML cluster specs and Kubernetes manifests) in the given
files and folders, as one workspace.

  --format      text (default): each finding with its source line, a summary per rule, colours on a
                terminal (NO_COLOR turns them off, FORCE_COLOR on); json; sarif (SARIF 2.1.0);
                github (GitHub Actions annotations: ::error file=...,line=...,col=...::message)
  --quiet       text and github: only the findings, one line each, no source lines or summaries
  --fail-on     the lowest severity that fails the check (default error; none: only usage and I/O
                errors fail)
  --docs-url    base URL of the rule pages for SARIF's helpUri (default: the installed pages)

Exit codes: 0 no finding at or above --fail-on (error-level by default), 1 such findings, 2 usage or
I/O error.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          format: { type: 'string', short: 'f', default: 'text' },
          quiet: { type: 'boolean', short: 'q', default: false },
          'fail-on': { type: 'string', default: 'error' },
          'docs-url': { type: 'string' },
        },
      });
    } catch (error) {
      return usageError(io, checkCommand, error instanceof Error ? error.message : String(error));
    }
    const { values } = parsed;
    const format = values.format as OutputFormat;
    if (!FORMATS.includes(format)) return usageError(io, checkCommand, `unknown format '${format}': use text, json, sarif or github.`);
    const failOn = values['fail-on'] as FailOn;
    if (!FAIL_ON.includes(failOn)) return usageError(io, checkCommand, `unknown --fail-on '${failOn}': use error, warning, info or none.`);
    if (values.quiet && format !== 'text' && format !== 'github') return usageError(io, checkCommand, '--quiet applies to the text and github formats.');
    const docsUrl = values['docs-url'];
    if (docsUrl !== undefined && !URL.canParse(docsUrl)) return usageError(io, checkCommand, `--docs-url '${docsUrl}' is not a URL.`);
    if (parsed.positionals.length === 0) return usageError(io, checkCommand, 'name at least one file or folder to check.');

    const result = await checkPaths(parsed.positionals, io.cwd, (message) => io.err.write(`netlens: ${message}\n`));
    // The rule pages sit beside the bundle: dist/cli.js and docs/rules/ in the repository and in the npm package.
    const docsDir = path.join(__dirname, '..', 'docs', 'rules');
    const sarif = () =>
      formatSarif(result, docsUrl ?? pathToFileURL(docsDir).href, VERSION, {
        ruleDoc: (id) => {
          try {
            return readFileSync(path.join(docsDir, `${id}.md`), 'utf8');
          } catch {
            return undefined;
          }
        },
      });
    const quiet = values.quiet;
    const formatters: Record<OutputFormat, () => string> = {
      text: () => formatText(result, { color: colorEnabled(io.out, io.env ?? {}), quiet }),
      json: () => formatJson(result),
      sarif,
      github: () => formatGithub(result, { quiet }),
    };
    for (const problem of result.ioErrors) io.err.write(`netlens: ${problem}\n`);
    io.out.write(formatters[format]());
    if (result.ioErrors.length > 0) return 2;
    if (failOn === 'none') return 0;
    return result.findings.some((finding) => RANK[finding.severity] >= RANK[failOn]) ? 1 : 0;
  },
};
