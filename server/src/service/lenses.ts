// Numbers in the text: inlay hints after CIDR literals ("/22 · 1,019 usable") and code lenses above subnets
// that clusters use ("651 / 1,019 IPs, 64%").
import type { CodeLens, InlayHint, Range } from 'vscode-languageserver-types';
import { explainUsage } from '../capacity/explain';
import { type ClusterCoverage, clusterCoverage } from '../capacity/coverage';
import { subnetDemands } from '../capacity/ipDemand';
import { azureUsableAddresses, formatCount, totalAddresses } from '../cidr/cidr';
import { rangeOf } from './diagnostics';
import type { Workspace } from './workspace';

/** Size hints after every CIDR the model read in the file, within the requested range. */
export function inlayHintsFor(workspace: Workspace, uri: string, range: Range): InlayHint[] {
  const document = workspace.document(uri);
  if (!document) return [];
  const first = document.offsetAt(range.start);
  const last = document.offsetAt(range.end);
  const seen = new Set<number>();
  const hints: InlayHint[] = [];
  for (const literal of workspace.analyze().model.addressLiterals) {
    const { source, parse } = literal;
    if (source.uri !== uri || source.end < first || source.start > last || seen.has(source.end)) continue;
    if (!parse.ok || !('cidr' in parse)) continue;
    seen.add(source.end);
    const block = parse.cidr;
    const size = block.family === 4 && (literal.role === 'subnet-prefix' || literal.role === 'vnet-address-space')
      ? `${formatCount(azureUsableAddresses(block))} usable`
      : `${formatCount(totalAddresses(block))} addresses`;
    hints.push({ position: document.positionAt(source.end), label: `/${block.prefix} · ${size}`, paddingLeft: true, kind: 1 });
  }
  return hints;
}

/** A lens above each subnet that clusters use (needed against usable addresses), and above each cluster (what was checked). */
export function codeLensesFor(workspace: Workspace, uri: string): CodeLens[] {
  const document = workspace.document(uri);
  if (!document) return [];
  const lenses: CodeLens[] = [];
  const model = workspace.analyze().model;
  for (const cluster of model.clusters) {
    if (cluster.source.uri !== uri) continue;
    const line = document.positionAt(cluster.source.start).line;
    lenses.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title: coverageTitle(clusterCoverage(model, cluster)), command: '' } });
  }
  for (const demand of subnetDemands(model)) {
    const prefix = demand.subnet.prefixes.find((p) => p.known && p.source.uri === uri);
    if (!prefix?.known || !demand.complete) continue;
    const range = rangeOf(document, prefix.source);
    lenses.push({
      range: { start: { line: range.start.line, character: 0 }, end: { line: range.start.line, character: 0 } },
      command: { title: `subnet ${demand.subnet.name}: ${explainUsage(demand)}`, command: '' },
    });
  }
  return lenses;
}

/** "cluster aks-1: subnet capacity checked" or why not, in the words of `netlens explain`. */
function coverageTitle(coverage: ClusterCoverage): string {
  const head = `cluster ${coverage.cluster.name}: subnet capacity`;
  if (coverage.capacityChecked) return `${head} checked`;
  const [first, ...more] = coverage.gaps;
  return `${head} not checked${first ? `: ${first.reason}` : ''}${more.length > 0 ? ` (+${more.length} more: netlens explain)` : ''}`;
}
