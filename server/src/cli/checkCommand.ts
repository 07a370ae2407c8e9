// `netlens check`: rule findings for files and folders, in text, JSON or SARIF.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkPaths, formatJson, formatSarif, formatText, type OutputFormat } from './check';
import { type Command, usageError } from './command';
import { VERSION } from './version';

export const checkCommand: Command = {
  name: 'check',
  synopsis: 'check [--format text|json|sarif] <paths...>',
  usage: `Usage: netlens check [--format text|json|sarif] <paths...>

Checks AKS network configuration (Bicep, YAML cluster specs and Kubernetes manifests) in the given
files and folders, as one workspace.

Exit codes: 0 no error-level finding, 1 error-level findings, 2 usage or I/O error.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'text' } } });
    } catch (error) {
      return usageError(io, checkCommand, error instanceof Error ? error.message : String(error));
    }
    const format = parsed.values.format as string;
    if (!['text', 'json', 'sarif'].includes(format)) return usageError(io, checkCommand, `unknown format '${format}': use text, json or sarif.`);
    if (parsed.positionals.length === 0) return usageError(io, checkCommand, 'name at least one file or folder to check.');
    const result = await checkPaths(parsed.positionals, io.cwd, (message) => io.err.write(`netlens: ${message}\n`));
    for (const problem of result.ioErrors) io.err.write(`netlens: ${problem}\n`);
    const docsBase = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href;
    const formatters: Record<OutputFormat, () => string> = {
      text: () => formatText(result),
      json: () => formatJson(result),
      sarif: () => formatSarif(result, docsBase, VERSION),
    };
    io.out.write(formatters[format as OutputFormat]());
    if (result.ioErrors.length > 0) return 2;
    return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
  },
};
