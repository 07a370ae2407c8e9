// `netlens explain`: for every cluster, what the engine knows of its network and what stays unknown, and why.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatCidr } from '../cidr/cidr';
import { clusterCoverage } from '../capacity/coverage';
import { NETWORK_MODE_NAMES } from '../capacity/networkMode';
import { networkCoverage } from '../network/coverage';
import type { Source } from '../model/source';
import { readPaths } from './check';
import { type Command, usageError } from './command';

/** One cluster as `netlens explain --format json` writes it (lines are 0-based). */
export interface ExplainedCluster {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly networkMode: string | null;
  readonly nodeSubnets: { name: string; cidr: string | null }[];
  readonly capacityChecked: boolean;
  readonly unknowns: { field: string; reason: string; file: string; line: number }[];
  /** The parameters file this deployment of the cluster is evaluated with; null: the template's own values. */
  readonly environment: string | null;
}

/** One virtual network as `netlens explain --format json` writes it: what the network rules know of it (null: unknown). */
export interface ExplainedNetwork {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly addressSpace: string | null;
  readonly subnets: { name: string; cidr: string | null; routeTable: string | null; networkSecurityGroup: string | null }[];
  readonly peerings: { name: string; remote: string | null; remoteAddressSpace: string | null }[];
  readonly firewalls: { name: string; privateIp: string | null; policy: string | null }[];
  readonly unknowns: { field: string; reason: string; file: string; line: number }[];
  /** The parameters files whose deployments declare it alike; empty: the template's own values. */
  readonly environments: string[];
}

const FORMATS = ['text', 'json'] as const;

export const explainCommand: Command = {
  name: 'explain',
  synopsis: 'explain [--format text|json] <paths...>',
  usage: `Usage: netlens explain [--format text|json] <paths...>

For every AKS cluster in the given files and folders (read as one workspace): its network mode, its node
subnets, whether its subnet capacity could be checked, and each value the check needs that is unknown,
with why and where to give it.

  --format   text (default) or json: {"clusters":[{name, file, line, networkMode, nodeSubnets:[{name, cidr}],
             capacityChecked, unknowns:[{field, reason, file, line}]}], "networks":[{name, file, line,
             addressSpace, subnets:[{name, cidr, routeTable, networkSecurityGroup}], peerings:[{name, remote,
             remoteAddressSpace}], firewalls:[{name, privateIp, policy}], unknowns, environments}], "environments":[{parameters,
             template}]} with 0-based lines; null where a value is unknown

Then, for every virtual network: its subnets with their route tables and network security groups, its
peerings and the firewalls in it, and each value the rules on the network around the cluster need that is
unknown (a firewall's private IP that Azure assigns, a policy or route table in files not read).

A template fed by parameters files (X.parameters.json, X.parameters.<env>.json beside X.json or X.bicep) is
evaluated once per file, each an environment; its clusters are listed once per environment.


Exit codes: 0 explained, 2 usage or I/O error.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', short: 'f', default: 'text' } } });
    } catch (error) {
      return usageError(io, explainCommand, error instanceof Error ? error.message : String(error));
    }
    const format = parsed.values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) return usageError(io, explainCommand, `unknown format '${format}': use text or json.`);
    if (parsed.positionals.length === 0) return usageError(io, explainCommand, 'name at least one file or folder.');
    const log = (message: string) => io.err.write(`netlens: ${message}\n`);
    const { workspace, ioErrors } = await readPaths(parsed.positionals, io.cwd, log);
    for (const problem of ioErrors) log(problem);
    const model = workspace.analyze().model;
    const relative = (uri: string) => path.relative(io.cwd, fileURLToPath(uri)) || path.basename(fileURLToPath(uri));
    const lineOf = (source: Source) => workspace.document(source.uri)?.positionAt(source.start).line ?? 0;
    const clusters: ExplainedCluster[] = model.clusters.map((cluster) => {
      const coverage = clusterCoverage(model, cluster);
      return {
        name: cluster.name,
        file: relative(cluster.source.uri),
        line: lineOf(cluster.source),
        networkMode: coverage.mode ? NETWORK_MODE_NAMES[coverage.mode] : null,
        nodeSubnets: coverage.nodeSubnets.map((subnet) => {
          const prefixes = subnet.prefixes.flatMap((prefix) => (prefix.known ? [formatCidr(prefix.value)] : []));
          return { name: subnet.name, cidr: prefixes.length === subnet.prefixes.length && prefixes.length > 0 ? prefixes.join(', ') : null };
        }),
        capacityChecked: coverage.capacityChecked,
        unknowns: coverage.gaps.map((gap) => ({ field: gap.field, reason: gap.reason, file: relative(gap.source.uri), line: lineOf(gap.source) })),
        environment: cluster.environment === undefined ? null : relative(cluster.environment),
      };
    });
    const unknownAt = (gap: { field: string; reason: string; source: Source }) => ({ field: gap.field, reason: gap.reason, file: relative(gap.source.uri), line: lineOf(gap.source) });
    const networks: ExplainedNetwork[] = networkCoverage(model).map((coverage) => {
      return {
        name: coverage.vnet.name,
        file: relative(coverage.vnet.source.uri),
        line: lineOf(coverage.vnet.source),
        addressSpace: coverage.addressSpace ?? null,
        subnets: coverage.subnets.map((s) => ({ name: s.name, cidr: s.cidr ?? null, routeTable: s.routeTable ?? null, networkSecurityGroup: s.networkSecurityGroup ?? null })),
        peerings: coverage.peerings.map((p) => ({ name: p.name, remote: p.remote ?? null, remoteAddressSpace: p.remoteAddressSpace ?? null })),
        firewalls: coverage.firewalls.map((f) => ({ name: f.name, privateIp: f.privateIp ?? null, policy: f.policy ?? null })),
        unknowns: coverage.gaps.map(unknownAt),
        environments: coverage.environments.map(relative),
      };
    });
    const environments = workspace.environments().map(({ parameters, template }) => ({ parameters: relative(parameters), template: template === undefined ? null : relative(template) }));
    io.out.write(format === 'json' ? JSON.stringify({ clusters, networks, environments }, null, 2) + '\n' : formatExplainText(clusters, environments, networks));
    return ioErrors.length > 0 ? 2 : 0;
  },
};

/** A parameters file and the template it feeds (null: none found by the naming conventions). */
export interface ExplainedEnvironment {
  readonly parameters: string;
  readonly template: string | null;
}

/** One block per cluster: where it is, what was checked, what is missing and where to give it; then the environments. */
export function formatExplainText(clusters: readonly ExplainedCluster[], environments: readonly ExplainedEnvironment[] = [], networks: readonly ExplainedNetwork[] = []): string {
  const blocks = clusters.map((cluster) => {
    const environment = cluster.environment === null ? '' : `, environment ${cluster.environment}`;
    const lines = [`${cluster.file}:${cluster.line + 1}: cluster ${cluster.name} (${cluster.networkMode ?? 'network mode unknown'}${environment})`];
    for (const subnet of cluster.nodeSubnets) lines.push(`  node subnet ${subnet.name}: ${subnet.cidr ?? 'range unknown'}`);
    lines.push(`  subnet capacity: ${cluster.capacityChecked ? 'checked' : 'not checked'}`);
    for (const unknown of cluster.unknowns) lines.push(`  - ${unknown.reason} (${unknown.file}:${unknown.line + 1})`);
    return lines.join('\n');
  });
  for (const network of networks) {
    const environment = network.environments.length === 0 ? '' : `, environment${network.environments.length > 1 ? 's' : ''} ${network.environments.join(', ')}`;
    const lines = [`${network.file}:${network.line + 1}: virtual network ${network.name} (${network.addressSpace ?? 'address space unknown'}${environment})`];
    const unknown = (value: string | null) => value ?? 'unknown';
    for (const subnet of network.subnets) {
      lines.push(`  subnet ${subnet.name}: ${subnet.cidr ?? 'range unknown'}, route table ${unknown(subnet.routeTable)}, NSG ${unknown(subnet.networkSecurityGroup)}`);
    }
    for (const peering of network.peerings) lines.push(`  peering ${peering.name} to ${peering.remote ?? 'an unknown VNet'}: ${peering.remoteAddressSpace ?? 'remote ranges unknown'}`);
    for (const firewall of network.firewalls) lines.push(`  firewall ${firewall.name}: private IP ${unknown(firewall.privateIp)}, policy ${unknown(firewall.policy)}`);
    for (const gap of network.unknowns) lines.push(`  - ${gap.reason} (${gap.file}:${gap.line + 1})`);
    blocks.push(lines.join('\n'));
  }
  if (environments.length > 0) {
    blocks.push(
      ['Parameters files (environments):', ...environments.map((e) => `  ${e.parameters} feeds ${e.template ?? 'no template found (expected X.parameters[.env].json beside X.json or X.bicep)'}`)].join('\n'),
    );
  }
  const checked = clusters.filter((cluster) => cluster.capacityChecked).length;
  const complete = networks.filter((network) => network.unknowns.length === 0).length;
  blocks.push(`${clusters.length} cluster(s), subnet capacity checked for ${checked}.${networks.length > 0 ? ` ${networks.length} virtual network(s), ${complete} with nothing unknown.` : ''}`);
  return blocks.join('\n\n') + '\n';
}
