// Hover on a CIDR or IP literal: its range, its size, Azure's usable count, and where it sits in the model;
// on a cluster's sizing field (clusterHover.ts): the cluster's capacity; on a selector (manifestHover.ts): what it selects;
// on a NetworkPolicy rule (manifestHover.ts): the connections it allows; on an NSG security rule (securityRuleHover.ts):
// the flows of the traffic paths it decides.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Position } from 'vscode-languageserver-types';
import {
  azureUsableAddresses,
  type Cidr,
  containsCidr,
  containsIp,
  firstAddress,
  formatCidr,
  formatCount,
  formatIp,
  type IpAddress,
  isAzureReservedAddress,
  lastAddress,
  overlaps,
  parseCidr,
  parseIp,
  sameCidr,
  totalAddresses,
} from '../cidr/cidr';
import { explainSubnetDemand, explainUsage } from '../capacity/explain';
import { aksDefaultRanges } from '../capacity/defaultRanges';
import { subnetDemands } from '../capacity/ipDemand';
import { explainRoutes, kubenetRoutes } from '../capacity/kubenetRoutes';
import { networkModeOf } from '../capacity/networkMode';
import { AZURE_RESERVED_PER_SUBNET } from '../facts';
import type { AddressRole } from '../model/network';
import { namedRanges, nodeSubnetsOf } from '../model/topology';
import { environmentName } from '../model/queries';
import { describeClusterCapacity, sizingFieldAt } from './clusterHover';
import { describeRuleAt, describeSelectorAt } from './manifestHover';
import { describeSecurityRuleAt } from './securityRuleHover';
import type { Workspace } from './workspace';

const ADDRESS_CHAR = /[0-9A-Fa-f:./]/;

/** The address-like token under the cursor, with its offsets. */
function tokenAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && ADDRESS_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && ADDRESS_CHAR.test(text[end]!)) end++;
  const token = text.slice(start, end).replace(/^[./]+|[./]+$/g, '');
  if (!/\d/.test(token) || !/[.:]/.test(token)) return undefined;
  const trimmedStart = text.indexOf(token, start);
  return { text: token, start: trimmedStart, end: trimmedStart + token.length };
}

/** Hover for the address literal at a position, or null when there is none. */
export function hoverAt(workspace: Workspace, uri: string, position: Position): Hover | null {
  const document = workspace.document(uri);
  if (!document) return null;
  const offset = document.offsetAt(position);
  const evaluated = evaluatedHover(workspace, uri, offset);
  const use = useHover(workspace, uri, offset);
  // The innermost wins: a parameter inside `cidrSubnet(vnetCidr, 24, 1)` is described apart from the whole call.
  if (use && (!evaluated || spanOf(document, use) <= spanOf(document, evaluated))) return use;
  if (evaluated) return evaluated;
  const token = tokenAt(document.getText(), offset);
  if (!token) return sizingHover(workspace, uri, offset);
  const range = { start: document.positionAt(token.start), end: document.positionAt(token.end) };
  const asCidr = parseCidr(token.text);
  if (asCidr.ok) return { contents: { kind: 'markdown', value: describeCidr(workspace, asCidr.cidr, token.text, roleAt(workspace, uri, token.start)) }, range };
  if (token.text.includes('/')) return null;
  const asIp = parseIp(token.text);
  if (asIp.ok) return { contents: { kind: 'markdown', value: describeIp(workspace, asIp.ip) }, range };
  return null;
}

/** Hover on a cluster's or pool's sizing field (the cluster's capacity), or on a policy's or Service's selector. */
function sizingHover(workspace: Workspace, uri: string, offset: number): Hover | null {
  const document = workspace.document(uri)!;
  const model = workspace.analyze().model;
  const field = sizingFieldAt(model, uri, offset);
  if (!field) {
    // A selector, else the policy rule around the offset (a peer's selector inside a rule is described as a selector).
    const selector = describeSelectorAt(model, uri, offset) ?? describeRuleAt(model, uri, offset) ?? describeSecurityRuleAt(model, uri, offset);
    if (!selector) return null;
    return {
      contents: { kind: 'markdown', value: selector.lines.join('\n') },
      range: { start: document.positionAt(selector.source.start), end: document.positionAt(selector.source.end) },
    };
  }
  return {
    contents: { kind: 'markdown', value: describeClusterCapacity(model, field.cluster, field.pool).join('\n') },
    range: { start: document.positionAt(field.range.start), end: document.positionAt(field.range.end) },
  };
}

/**
 * Hover on an expression the model evaluated to an address (`cidrSubnet(vnetCidr, 24, 2)`, a param
 * reference): its value or values (one per loop item or module call), each described.
 */
function evaluatedHover(workspace: Workspace, uri: string, offset: number): Hover | null {
  const document = workspace.document(uri)!;
  const text = document.getText();
  const here = workspace
    .analyze()
    .model.addressLiterals.filter((l) => l.source.uri === uri && l.source.start <= offset && offset <= l.source.end && l.parse.ok);
  if (here.length === 0) return null;
  const innermost = here.reduce((a, b) => (b.source.end - b.source.start < a.source.end - a.source.start ? b : a));
  const written = text.slice(innermost.source.start, innermost.source.end);
  const values = [...new Set(here.filter((l) => l.source.start === innermost.source.start && l.source.end === innermost.source.end).map((l) => l.parse.text))];
  // A plain literal is described by the token hover; only computed values need this one.
  if (values.length === 1 && written.replace(/^'|'$/g, '') === values[0]) return null;
  const sections = values.map((value) => {
    const asCidr = parseCidr(value);
    if (asCidr.ok) return describeCidr(workspace, asCidr.cidr, value, innermost.role);
    const asIp = parseIp(value);
    return asIp.ok ? describeIp(workspace, asIp.ip) : value;
  });
  const header = `\`${written.length > 80 ? `${written.slice(0, 77)}...` : written}\` evaluates to ${values.length === 1 ? values[0] : `${values.length} values`}`;
  return {
    contents: { kind: 'markdown', value: [header, '', ...sections.flatMap((section) => [section, '', '---', ''])].slice(0, -3).join('\n') },
    range: { start: document.positionAt(innermost.source.start), end: document.positionAt(innermost.source.end) },
  };
}

const spanOf = (document: TextDocument, hover: Hover) => (hover.range ? document.offsetAt(hover.range.end) - document.offsetAt(hover.range.start) : Infinity);

/** Hover on a use of a template parameter or variable (`addressPrefix: nodeSubnetCidr`): what it evaluates to there. */
function useHover(workspace: Workspace, uri: string, offset: number): Hover | null {
  const document = workspace.document(uri)!;
  const model = workspace.analyze().model;
  const here = model.valueUses.filter((use) => use.source.uri === uri && use.source.start <= offset && offset <= use.source.end);
  if (here.length === 0) return null;
  const innermost = here.reduce((a, b) => (b.source.end - b.source.start < a.source.end - a.source.start ? b : a));
  const uses = here.filter((u) => u.source.start === innermost.source.start && u.source.end === innermost.source.end);
  const values = [...new Set(uses.flatMap((u) => u.values))];
  const written = document.getText().slice(innermost.source.start, innermost.source.end);
  const range = { start: document.positionAt(innermost.source.start), end: document.positionAt(innermost.source.end) };
  if (values.length === 0) {
    const why = uses.find((u) => u.unknown !== undefined)?.unknown;
    return why === undefined ? null : { contents: { kind: 'markdown', value: `\`${written}\`: ${why}` }, range };
  }
  // Per environment, where parameters files give the template its values.
  const environments = uses.filter((u) => u.environment !== undefined);
  const perEnvironment = environments.length > 0 && environments.length === uses.length
    ? ['', ...uses.map((u) => `- ${environmentName(u.environment!)}: ${u.values.map((v) => `\`${v}\``).join(', ')}`)]
    : [];
  const sections = values.map((value) => {
    const asCidr = parseCidr(value);
    if (asCidr.ok) {
      const role = model.addressLiterals.find((l) => l.parse.ok && l.parse.text === value)?.role;
      return describeCidr(workspace, asCidr.cidr, value, role);
    }
    const asIp = parseIp(value);
    return asIp.ok ? describeIp(workspace, asIp.ip) : undefined;
  });
  const shown = values.length === 1 ? `\`${values[0]}\`` : `${values.length} values: ${values.map((v) => `\`${v}\``).join(', ')}`;
  const body = sections.filter((section): section is string => section !== undefined).flatMap((section) => ['', section, '', '---']).slice(0, -2);
  return {
    contents: { kind: 'markdown', value: [`\`${written}\` evaluates to ${shown}`, ...perEnvironment, ...body].join('\n') },
    range: { start: document.positionAt(innermost.source.start), end: document.positionAt(innermost.source.end) },
  };
}

/** The role of the address literal written at an offset of a file (a VNet's address space, a subnet's prefix, …). */
function roleAt(workspace: Workspace, uri: string, offset: number): AddressRole | undefined {
  return workspace.analyze().model.addressLiterals.find((l) => l.source.uri === uri && l.source.start <= offset && offset < l.source.end)?.role;
}

function describeCidr(workspace: Workspace, block: Cidr, written: string, role?: AddressRole): string {
  const lines = [`**${formatCidr(block)}** (IPv${block.family})`, ''];
  if (formatCidr(block) !== written) lines.push(`Written as \`${written}\`, which has host bits set.`, '');
  lines.push(`- Range: ${formatIp(firstAddress(block))} – ${formatIp(lastAddress(block))}`);
  lines.push(`- Addresses: ${formatCount(totalAddresses(block))}`);
  const reserved = AZURE_RESERVED_PER_SUBNET.value;
  if (block.family === 4 && role === 'vnet-address-space') {
    // A VNet's space is not a subnet: Azure's reserved addresses come out of each subnet carved from it.
    lines.push(`- A virtual network's address space: Azure keeps ${reserved} addresses of each subnet carved from it, not of the space itself`);
  } else if (block.family === 4) {
    lines.push(`- Usable in an Azure subnet: ${formatCount(azureUsableAddresses(block))} (Azure keeps ${reserved} addresses of every subnet)`);
  }
  const model = workspace.analyze().model;
  // Ranges a cluster leaves out are AKS's defaults: a block colliding with them collides as with written ones.
  const defaults = model.clusters.flatMap((cluster) =>
    aksDefaultRanges(model, cluster).map((d) => ({
      label: `${d.kind} CIDR of cluster ${cluster.name}`,
      value: d.range,
      note: ` (AKS's default: ${d.kind === 'service' ? 'serviceCidr' : 'podCidr'} is not set)`,
    })),
  );
  const named = namedRanges(model).map(({ label, range }) => ({ label, value: range.value, note: '' }));
  const relations = [...named, ...defaults].flatMap(({ label, value: other, note }) => {
    const where = `${label} ${formatCidr(other)}${note}`;
    if (sameCidr(block, other)) return [`is ${where}`];
    if (containsCidr(other, block)) return [`inside ${where}`];
    if (containsCidr(block, other)) return [`contains ${where}`];
    if (overlaps(block, other)) return [`overlaps ${where}`];
    return [];
  });
  if (relations.length > 0) lines.push('', 'In this workspace:', ...[...new Set(relations)].map((r) => `- ${r}`));
  lines.push(...capacityLines(workspace, block));
  return lines.join('\n');
}

/** For a subnet that clusters use: what it must hold at full scale, in numbers. */
function capacityLines(workspace: Workspace, block: Cidr): string[] {
  const model = workspace.analyze().model;
  const lines: string[] = [];
  for (const demand of subnetDemands(model)) {
    if (!demand.subnet.prefixes.some((p) => p.known && sameCidr(p.value, block))) continue;
    const status = demand.complete ? explainUsage(demand) : 'not all of its users could be counted';
    lines.push('', `Capacity of subnet ${demand.subnet.name}: ${status}`, ...explainSubnetDemand(demand).map((line) => `- ${line}`));
  }
  for (const cluster of model.clusters) {
    if (cluster.podCidrs.some((range) => range.known && sameCidr(range.value, block))) lines.push('', ...describeClusterCapacity(model, cluster));
  }
  for (const cluster of model.clusters) {
    if (networkModeOf(model, cluster) !== 'kubenet') continue;
    const routes = kubenetRoutes(model, cluster);
    const usesBlock = nodeSubnetsOf(model, cluster).some((subnet) => subnet.prefixes.some((p) => p.known && sameCidr(p.value, block)));
    if (!routes || !usesBlock) continue;
    lines.push(`- kubenet routes of cluster ${cluster.name}: ${explainRoutes(routes)}`);
  }
  return lines;
}

function describeIp(workspace: Workspace, ip: IpAddress): string {
  const lines = [`**${formatIp(ip)}** (IPv${ip.family} address)`];
  const relations = namedRanges(workspace.analyze().model)
    .filter(({ range }) => containsIp(range.value, ip))
    .map(({ label, range }) => {
      const note = ip.family === 4 && label.startsWith('subnet ') ? azureReservedNote(range.value, ip) : '';
      return `inside ${label} ${formatCidr(range.value)}${note}`;
    });
  if (relations.length > 0) lines.push('', 'In this workspace:', ...[...new Set(relations)].map((r) => `- ${r}`));
  return lines.join('\n');
}

/** Azure keeps the network address, .1, .2, .3 and the broadcast address of each subnet. */
function azureReservedNote(subnet: Cidr, ip: IpAddress): string {
  return isAzureReservedAddress(subnet, ip) ? ` — one of the ${AZURE_RESERVED_PER_SUBNET.value} addresses Azure reserves in that subnet` : '';
}
