// `netlens flows`: the connections the Kubernetes NetworkPolicies allow, as netpol-analyzer lists them, and with
// --diff what changed from another version (a folder, or a git revision of the same paths), as its diff reports it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { diffFlows, type FlowChange, formatDiffCsv, formatDiffMd, formatDiffText } from '../flows/diff';
import { analyzeFlows, compileFlows } from '../flows/engine';
import { type ConnectionExplanation, createExplainer, explainPort } from '../flows/explain';
import { formatExplainText } from '../flows/explainFormat';
import { analyzeExposure, formatExposureText } from '../flows/exposure';
import { formatFlowsDot, formatFlowsJson, formatFlowsText } from '../flows/format';
import type { Source } from '../model/source';
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
  synopsis: 'flows [--format txt|json|dot] [--exposure] [--diff <folder or git ref> [--format txt|csv|md] [--fail-on-change]] [--explain [--src <peer>] [--dst <peer>] [--port <port>]] <paths...>',
  usage: `Usage: netlens flows [--format txt|json|dot] [--exposure] <paths...>
       netlens flows --diff <folder or git ref> [--format txt|csv|md] [--fail-on-change] <paths...>
       netlens flows --explain [--src <peer>] [--dst <peer>] [--port [<protocol>/]<port>] <paths...>

Lists the connections the NetworkPolicies allow between the workloads of the given Kubernetes manifests
(.yaml, .yml and .json files and folders, read as one cluster): one line per source and destination,
'<src> => <dst> : <connections>', in netpol-analyzer's connlist format.

  src, dst   <namespace>/<name>[<Kind>] (a Pod with an owner is shown as its owner),
             <first-last>[External] for IPv4 addresses outside the cluster, split at ipBlock bounds,
             {ingress-controller} for traffic that Ingresses and Routes send to their Services' pods
  --format   txt (default), json (an array of {src, dst, conn}) or dot (a Graphviz digraph)
  --exposure after the list (txt only), netpol-analyzer's exposure analysis: per workload and direction what
             pods that do not exist yet could get: entire-cluster (any pod of any namespace), every address
             outside, and the pods a rule selects that the manifests do not have (all pods of a namespace, or
             a selector nothing matches: backend/[pod with {app=new}]); then the workloads no policy isolates

  --diff     compare with another version and list the connections added, removed and changed from it
             (ref1) to the given paths (ref2), in netpol-analyzer's diff formats: txt (default), csv or md
             (netpol-analyzer has no JSON diff). The other version is a file or folder (the one before), or,
             when no such file or folder exists, a git revision (HEAD, main, a tag or a hash): the given paths
             as that revision holds them, read from git without checking anything out.
  --fail-on-change  with --diff: exit 1 when some connection was added, removed or changed (for CI: a pull
             request that changes what may talk to what fails until a reviewer accepts it)

  --explain  for each pair, which policies and rules allow and deny which ports, per direction (egress of the
             source, ingress of the destination), in the manner of netpol-analyzer's --explain (txt only):
             allowing rules, admin policies' Allow/Deny/Pass rules, Cilium deny rules, and for denied ports the
             policies whose selection of the pod makes the direction default-deny; then the pairs nothing
             restricts. Each rule is named with its file and line.
  --src, --dst  only pairs from / to this peer: a name as listed, <namespace>/<name> of a workload, or an
             IPv4 address (the External piece holding it)
  --port     only the ports group holding this port: 8080 (TCP), udp/53, sctp/9000

Values that cannot be evaluated (template placeholders) are left out and reported on stderr.

Exit codes: 0 listed, 1 with --fail-on-change: the diff lists a change, 2 usage or I/O error (also: --diff
names neither a folder nor a git revision, --src or --dst names no peer).`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          format: { type: 'string', short: 'f', default: 'txt' },
          diff: { type: 'string' },
          explain: { type: 'boolean', default: false },
          src: { type: 'string' },
          dst: { type: 'string' },
          port: { type: 'string' },
          'fail-on-change': { type: 'boolean', default: false },
          exposure: { type: 'boolean', default: false },
        },
      });
    } catch (error) {
      return usageError(io, flowsCommand, error instanceof Error ? error.message : String(error));
    }
    const format = parsed.values.format as string;
    const { explain, src, dst, port } = parsed.values;
    if (!explain && (src !== undefined || dst !== undefined || port !== undefined)) return usageError(io, flowsCommand, '--src, --dst and --port go with --explain.');
    if (explain && parsed.values.diff !== undefined) return usageError(io, flowsCommand, '--explain and --diff cannot be combined.');
    const failOnChange = parsed.values['fail-on-change'];
    if (failOnChange && parsed.values.diff === undefined) return usageError(io, flowsCommand, '--fail-on-change goes with --diff.');
    const exposure = parsed.values.exposure;
    if (exposure && (parsed.values.diff !== undefined || explain)) return usageError(io, flowsCommand, '--exposure goes with the flow list, not with --diff or --explain.');
    if (parsed.values.diff !== undefined) return runDiff(parsed.values.diff, format, parsed.positionals, io, failOnChange);
    if (explain) return runExplain({ src, dst, port }, format, parsed.positionals, io);
    if (exposure && format !== 'txt') return usageError(io, flowsCommand, `--exposure writes txt only, not '${format}'.`);
    if (!(FORMATS as readonly string[]).includes(format)) return usageError(io, flowsCommand, `unknown format '${format}': use txt, json or dot.`);
    if (parsed.positionals.length === 0) return usageError(io, flowsCommand, 'name at least one file or folder.');
    const log = (message: string) => io.err.write(`netlens: ${message}\n`);
    const { workspace, ioErrors } = await readPaths(parsed.positionals, io.cwd, log);
    for (const problem of ioErrors) log(problem);
    const model = workspace.analyze().model;
    const { flows, warnings } = analyzeFlows(model);
    for (const warning of warnings) log(warning);
    if (exposure) {
      const analysis = analyzeExposure(compileFlows(model));
      for (const note of analysis.notes) log(note);
      io.out.write(`${formatFlowsText(flows)}\n${formatExposureText(analysis)}`);
      return ioErrors.length > 0 ? 2 : 0;
    }
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
async function runDiff(other: string, format: string, paths: readonly string[], io: CommandIo, failOnChange = false): Promise<number> {
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
  const changes = diffFlows(ref1, ref2);
  io.out.write(DIFF_FORMATTERS[format as DiffFormat](changes));
  if (failed || after.failed) return 2;
  return failOnChange && changes.length > 0 ? 1 : 0;
}

/** A --port value: `8080` (TCP), `udp/53`, `SCTP/9000`. */
function parsePort(text: string): { protocol: string; port: number } | undefined {
  const match = /^(?:(tcp|udp|sctp)\/)?(\d{1,5})$/i.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { protocol: (match[1] ?? 'TCP').toUpperCase(), port } : undefined;
}

/** `--explain`: every pair (or the pairs from --src / to --dst), with the rules behind each group of ports. */
async function runExplain(
  filter: { src: string | undefined; dst: string | undefined; port: string | undefined },
  format: string,
  paths: readonly string[],
  io: CommandIo,
): Promise<number> {
  if (format !== 'txt') return usageError(io, flowsCommand, `--explain writes txt only (as netpol-analyzer's explain does), not '${format}'.`);
  if (paths.length === 0) return usageError(io, flowsCommand, 'name at least one file or folder.');
  const port = filter.port === undefined ? undefined : parsePort(filter.port);
  if (filter.port !== undefined && !port) return usageError(io, flowsCommand, `--port '${filter.port}' is not a port: use 8080, tcp/8080, udp/53 or sctp/9000.`);
  const log = (message: string) => io.err.write(`netlens: ${message}\n`);
  const { workspace, failed } = await readVersion(paths, io, log);
  const explainer = createExplainer(workspace.analyze().model);
  for (const warning of explainer.warnings) log(warning);
  const resolve = (text: string | undefined, role: 'source' | 'destination'): string | null | undefined => {
    if (text === undefined) return undefined;
    return explainer.resolve(text, role) ?? null;
  };
  const src = resolve(filter.src, 'source');
  const dst = resolve(filter.dst, 'destination');
  if (src === null) return usageError(io, flowsCommand, `--src '${filter.src}' names no workload, External address or named peer of these files.`);
  if (dst === null) return usageError(io, flowsCommand, `--dst '${filter.dst}' names no workload, External address or named peer of these files.`);
  let explanations: ConnectionExplanation[];
  if (src !== undefined && dst !== undefined) {
    const one = explainer.explain(src, dst);
    explanations = one ? [one] : [];
  } else {
    // One end given: only its pairs are explained (every pair of a large cluster is many).
    const pairs =
      src !== undefined
        ? explainer.destinations.map((to) => explainer.explain(src, to))
        : dst !== undefined
          ? explainer.sources.map((from) => explainer.explain(from, dst))
          : explainer.explainAll();
    explanations = pairs.filter((explanation): explanation is ConnectionExplanation => explanation !== undefined);
  }
  if (port) {
    explanations = explanations.map((explanation) => {
      const group = explainPort(explanation, port.protocol, port.port);
      return { ...explanation, groups: group ? [group] : [] };
    });
  }
  const relative = (uri: string) => {
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    return path.relative(io.cwd, file) || file;
  };
  const locate = (source: Source) => `${relative(source.uri)}:${(workspace.document(source.uri)?.positionAt(source.start).line ?? 0) + 1}`;
  io.out.write(formatExplainText(explanations, locate));
  return failed ? 2 : 0;
}
