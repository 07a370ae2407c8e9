// `netlens flows`: the connections the Kubernetes NetworkPolicies allow, as netpol-analyzer lists them.
import { parseArgs } from 'node:util';
import { analyzeFlows } from '../flows/engine';
import { formatFlowsDot, formatFlowsJson, formatFlowsText } from '../flows/format';
import { readPaths } from './check';
import { type Command, usageError } from './command';

const FORMATS = ['txt', 'json', 'dot'] as const;
type FlowFormat = (typeof FORMATS)[number];

export const flowsCommand: Command = {
  name: 'flows',
  synopsis: 'flows [--format txt|json|dot] <paths...>',
  usage: `Usage: netlens flows [--format txt|json|dot] <paths...>

Lists the connections the NetworkPolicies allow between the workloads of the given Kubernetes manifests
(.yaml, .yml and .json files and folders, read as one cluster): one line per source and destination,
'<src> => <dst> : <connections>', in netpol-analyzer's connlist format.

  src, dst   <namespace>/<name>[<Kind>] (a Pod with an owner is shown as its owner),
             <first-last>[External] for IPv4 addresses outside the cluster, split at ipBlock bounds,
             {ingress-controller} for traffic that Ingresses and Routes send to their Services' pods
  --format   txt (default), json (an array of {src, dst, conn}) or dot (a Graphviz digraph)

Values that cannot be evaluated (template placeholders) are left out and reported on stderr.

Exit codes: 0 listed, 2 usage or I/O error.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'txt' } } });
    } catch (error) {
      return usageError(io, flowsCommand, error instanceof Error ? error.message : String(error));
    }
    const format = parsed.values.format as string;
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
