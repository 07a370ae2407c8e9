// The `netlens` command line: the same engine as the language server, for CI pipelines.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkPaths, formatJson, formatSarif, formatText, type OutputFormat } from './check';

const VERSION = '0.1.0';
const USAGE = `Usage: netlens check [--format text|json|sarif] <paths...>

Checks AKS network configuration (YAML cluster specs and Kubernetes manifests) in the given files
and folders, as one workspace.

Exit codes: 0 no error-level finding, 1 error-level findings, 2 usage or I/O error.`;

export async function main(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? err : out).write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    out.write(VERSION + '\n');
    return 0;
  }
  if (command !== 'check') {
    err.write(`netlens: unknown command '${command}'.\n\n${USAGE}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'text' } } });
  } catch (error) {
    err.write(`netlens: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const format = parsed.values.format as string;
  if (!['text', 'json', 'sarif'].includes(format)) {
    err.write(`netlens: unknown format '${format}': use text, json or sarif.\n`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    err.write(`netlens: name at least one file or folder to check.\n\n${USAGE}\n`);
    return 2;
  }
  const result = await checkPaths(parsed.positionals, process.cwd(), (message) => err.write(`netlens: ${message}\n`));
  for (const problem of result.ioErrors) err.write(`netlens: ${problem}\n`);
  const docsBase = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href;
  const formatters: Record<OutputFormat, () => string> = {
    text: () => formatText(result),
    json: () => formatJson(result),
    sarif: () => formatSarif(result, docsBase, VERSION),
  };
  out.write(formatters[format as OutputFormat]());
  if (result.ioErrors.length > 0) return 2;
  return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}

main(process.argv.slice(2), process.stdout, process.stderr).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`netlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
