// `netlens paths`: the network map's traffic paths as text or JSON for CI: how traffic reaches the workloads and how it
// leaves each cluster, hop by hop, with the decision of the hops something decides: the node subnet's NSG (a public
// Service's clients, the load balancer's probes, the nodes' AKS egress), the default route taken, an egress firewall's policy.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Source } from '../model/source';
import { trafficDiagrams } from '../service/trafficPaths';
import { readPaths } from './check';
import { type Command, usageError } from './command';

/** One hop as `netlens paths --format json` writes it (lines are 0-based). */
export interface PathHop {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly assumed: boolean;
  readonly verdict: { decision: 'allowed' | 'denied' | 'unknown'; reason: string; file: string | null; line: number | null } | null;
}

const FORMATS = ['text', 'json'] as const;

export const pathsCommand: Command = {
  name: 'paths',
  synopsis: 'paths [--format text|json] <paths...>',
  usage: `Usage: netlens paths [--format text|json] <paths...>

The traffic paths of the given files and folders (read as one workspace), as the network map draws them: how
traffic reaches the workloads (load balancers, node ports, Ingresses, Services) and how it leaves each cluster by
its outbound type (load balancer SNAT, NAT gateway, route table to a firewall), hop by hop. A hop something decides
says allowed, denied or unknown, why (the deciding NSG rule, the route taken, the firewall policy) and where that is
written: a public LoadBalancer Service's clients and Azure Load Balancer's probes through the node subnet's NSG, the
nodes' AKS egress (HTTPS to the Internet) through it, the default route (denied where AKS rejects its next hop), and an
egress firewall's policy.

  --format   text (default) or json: {"diagrams":[{title, hops:[{from, to, text, assumed, verdict:{decision,
             reason, file, line}|null}], notes}]} with 0-based lines

Exit codes: 0 no hop denied, 1 a hop is denied, 2 usage or I/O error.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'text' } } });
    } catch (error) {
      return usageError(io, pathsCommand, error instanceof Error ? error.message : String(error));
    }
    const format = parsed.values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) return usageError(io, pathsCommand, `unknown format '${format}': use text or json.`);
    if (parsed.positionals.length === 0) return usageError(io, pathsCommand, 'name at least one file or folder.');
    const log = (message: string) => io.err.write(`netlens: ${message}\n`);
    const { workspace, ioErrors } = await readPaths(parsed.positionals, io.cwd, log);
    for (const problem of ioErrors) log(problem);
    const relative = (uri: string) => path.relative(io.cwd, fileURLToPath(uri)) || path.basename(fileURLToPath(uri));
    const lineOf = (source: Source) => workspace.document(source.uri)?.positionAt(source.start).line ?? 0;
    const diagrams = trafficDiagrams(workspace.analyze().model).map((diagram) => ({
      title: diagram.title,
      hops: diagram.hops.map((hop): PathHop => {
        const label = (id: string) => diagram.stops.get(id)?.label ?? id;
        const verdict = hop.verdict;
        return {
          from: label(hop.from),
          to: label(hop.to),
          text: hop.text,
          assumed: hop.assumed === true,
          verdict: verdict ? { decision: verdict.decision, reason: verdict.reason, file: verdict.at ? relative(verdict.at.uri) : null, line: verdict.at ? lineOf(verdict.at) : null } : null,
        };
      }),
      notes: [...diagram.notes],
    }));
    io.out.write(format === 'json' ? JSON.stringify({ diagrams }, null, 2) + '\n' : formatPathsText(diagrams));
    if (ioErrors.length > 0) return 2;
    return diagrams.some((d) => d.hops.some((hop) => hop.verdict?.decision === 'denied')) ? 1 : 0;
  },
};

/** One block per diagram: a line per hop, its decision and where it is decided under it, then the notes. */
export function formatPathsText(diagrams: readonly { title: string; hops: readonly PathHop[]; notes: readonly string[] }[]): string {
  const blocks = diagrams.map((diagram) => {
    const lines = [diagram.title];
    for (const hop of diagram.hops) {
      lines.push(`  ${hop.from} -> ${hop.to}${hop.text ? `: ${hop.text}` : ''}${hop.assumed ? ' (assumed)' : ''}`);
      const verdict = hop.verdict;
      if (verdict) lines.push(`      ${verdict.decision}: ${verdict.reason}${verdict.file !== null ? ` (${verdict.file}:${(verdict.line ?? 0) + 1})` : ''}`);
    }
    for (const note of diagram.notes) lines.push(`  note: ${note}`);
    return lines.join('\n');
  });
  const denied = diagrams.flatMap((d) => d.hops).filter((hop) => hop.verdict?.decision === 'denied').length;
  blocks.push(`${diagrams.length} diagram(s), ${denied} hop(s) denied.`);
  return blocks.join('\n\n') + '\n';
}
