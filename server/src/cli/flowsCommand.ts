// `netlens flows`: the connections the Kubernetes NetworkPolicies allow, as netpol-analyzer lists them, and with
// --diff what changed from another version (a folder, or a git revision of the same paths), as its diff reports it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { diffFlows, type FlowChange, formatDiffCsv, formatDiffMd, formatDiffText } from '../flows/diff';
import { analyzeFlows } from '../flows/engine';
import { formatFlowsDot, formatFlowsJson, formatFlowsText } from '../flows/format';
import type { Workspace } from '../service/workspace';
import { readPaths } from './check';
import { type Command, type CommandIo, usageError } from './command';
import { readPathsAtRevision } from './gitVersion';

const FORMATS = ['txt', 'json', 'dot'] as const;
type FlowFormat = (typeof FORMATS)[number];
const DIFF_FORMATS = ['txt', 'csv', 'md'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];
const DIFF_FORMATTERS: Record<DiffFormat, (changes: readonly FlowChange[]) => string> = { txt: formatDiffText, csv: formatDiffCsv, md: formatDiffMd };

export const flowsCommand: Command = {
  name: 'flows',
  synopsis: 'flows [--format txt|json|dot] [--diff <folder or git ref> [--format txt|csv|md]] <paths...>',
  usage: `Usage: netlens flows [--format txt|json|dot] <paths...>
       netlens flows --diff <folder or git ref> [--format txt|csv|md] <paths...>

Lists the connections the NetworkPolicies allow between the workloads of the given Kubernetes manifests
(.yaml, .yml and .json files and folders, read as one cluster): one line per source and destination,
'<src> => <dst> : <connections>', in netpol-analyzer's connlist format.

  src, dst   <namespace>/<name>[<Kind>] (a Pod with an owner is shown as its owner),
             <first-last>[External] for IPv4 addresses outside the cluster, split at ipBlock bounds,
             {ingress-controller} for traffic that Ingresses and Routes send to their Services' pods
  --format   txt (default), json (an array of {src, dst, conn}) or dot (a Graphviz digraph)

  --diff     compare with another version and list the connections added, removed and changed from it
             (ref1) to the given paths (ref2), in netpol-analyzer's diff formats: txt (default), csv or md
             (netpol-analyzer has no JSON diff). The other version is a file or folder (the one before), or,
             when no such file or folder exists, a git revision (HEAD, main, a tag or a hash): the given paths
             as that revision holds them, read from git without checking anything out.

Values that cannot be evaluated (template placeholders) are left out and reported on stderr.

Exit codes: 0 listed, 2 usage or I/O error (also: --diff names neither a folder nor a git revision).`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'txt' }, diff: { type: 'string' } } });
    } catch (error) {
      return usageError(io, flowsCommand, error instanceof Error ? error.message : String(error));
    }
    const format = parsed.values.format as string;
    if (parsed.values.diff !== undefined) return runDiff(parsed.values.diff, format, parsed.positionals, io);
    if (!(FORMATS as readonly string[]).includes(format)) return usageError(io, flowsCommand, `unknown format '${format}': use txt, json or dot.`);
    if (parsed.positionals.length === 0) return usageError(io, flowsCommand, 'name at least one file or folder.');
    const log = (message: string) => io.err.write(`netlens: ${message}\n`);
    const { workspace, ioErrors } = await readPaths(parsed.positionals, io.cwd, log);
    for (const problem of ioErrors) log(problem);
    const { flows, warnings } = analyzeFlows(workspace.analyze().model);
    for (const warning of warnings) log(warning);
    const formatters: Record<FlowFormat, () => string> = {
      txt: () => formatFlowsText(flows),
      json: () => formatFlowsJson(flows),
      dot: () => formatFlowsDot(flows),
    };
    io.out.write(formatters[format as FlowFormat]());
    return ioErrors.length > 0 ? 2 : 0;
  },
};

/** Reads the given paths as one workspace; I/O problems are logged and counted. */
async function readVersion(paths: readonly string[], io: CommandIo, log: (message: string) => void): Promise<{ workspace: Workspace; failed: boolean }> {
  const { workspace, ioErrors } = await readPaths(paths, io.cwd, log);
  for (const problem of ioErrors) log(problem);
  return { workspace, failed: ioErrors.length > 0 };
}

/** `--diff <other>`: the other version (ref1) against the given paths (ref2). */
async function runDiff(other: string, format: string, paths: readonly string[], io: CommandIo): Promise<number> {
  if (format === 'json') return usageError(io, flowsCommand, 'netpol-analyzer has no JSON diff format: use --format txt, csv or md with --diff.');
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) return usageError(io, flowsCommand, `unknown diff format '${format}': use txt, csv or md.`);
  if (paths.length === 0) return usageError(io, flowsCommand, 'name at least one file or folder to compare.');
  if (other === '') return usageError(io, flowsCommand, '--diff needs a folder or a git revision.');
  const log = (message: string) => io.err.write(`netlens: ${message}\n`);
  const otherIsPath = await fs.access(path.resolve(io.cwd, other)).then(
    () => true,
    () => false,
  );
  let before: Workspace;
  let failed = false;
  if (otherIsPath) {
    const read = await readVersion([other], io, (message) => log(`${other}: ${message}`));
    before = read.workspace;
    failed = read.failed;
  } else {
    const read = await readPathsAtRevision(paths, io.cwd, other);
    for (const error of read.errors) log(error);
    if (read.errors.length > 0) return 2;
    for (const note of read.notes) log(note);
    before = read.workspace;
  }
  const after = await readVersion(paths, io, log);
  const ref1 = analyzeFlows(before.analyze().model);
  for (const warning of ref1.warnings) log(`${other}: ${warning}`);
  const ref2 = analyzeFlows(after.workspace.analyze().model);
  for (const warning of ref2.warnings) log(warning);
  io.out.write(DIFF_FORMATTERS[format as DiffFormat](diffFlows(ref1, ref2)));
  return failed || after.failed ? 2 : 0;
}
