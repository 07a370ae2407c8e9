// .aksnetlens.yaml: what a team declares about its network beyond the workspace, and its rule settings.
//   externalRanges: [{ name: on-premises, cidr: 192.168.0.0/16 }, ...]
//   rules: { max-pods-windows: off, reserved-range: warning }
//   deployments: [{ template: infra/main.bicep, parameters: [env/dev.parameters.json] }]
import { parseDocument } from 'yaml';
import { emptyFileFacts, type FileFacts } from '../model/network';
import { unreadableReason } from './fileText';
import { cidrValue, entriesAt, itemsAt, nameAt, nodeAt, type ReadContext, scalarText, sourceOf } from './yaml/yamlTree';
import { syntaxProblems } from './yaml/yamlReader';

const SETTINGS = new Set(['error', 'warning', 'info', 'off']);

export function readWorkspaceSettings(uri: string, text: string): FileFacts {
  const facts = emptyFileFacts(uri);
  const reason = unreadableReason(text);
  if (reason) {
    facts.problems.push({ kind: 'file-not-read', message: reason, source: { uri, start: 0, end: 0 } });
    return facts;
  }
  const doc = parseDocument(text, { prettyErrors: false });
  facts.problems.push(...syntaxProblems(uri, doc, text.length));
  const ctx: ReadContext = { uri, facts, doc, text };
  for (const item of itemsAt(ctx, doc.contents, 'externalRanges')) {
    facts.externalRanges.push({
      name: nameAt(ctx, item, 'name') ?? 'external range',
      range: cidrValue(ctx, nodeAt(ctx, item, 'cidr'), 'other'),
    });
  }
  // Plans written by Plan IPs: their ranges are reserved for the cluster they were made for.
  for (const plan of itemsAt(ctx, doc.contents, 'plans')) {
    const cluster = nameAt(ctx, plan, 'cluster') ?? 'a planned cluster';
    const add = (name: string, node: Parameters<typeof cidrValue>[1]) => {
      if (node) facts.plannedRanges.push({ plan: cluster, name, range: cidrValue(ctx, node, 'other') });
    };
    for (const field of ['vnet', 'podCidr', 'serviceCidr', 'vnetIpv6', 'podCidrIpv6', 'serviceCidrIpv6']) add(field, nodeAt(ctx, plan, field));
    for (const subnet of itemsAt(ctx, plan, 'subnets')) {
      const name = nameAt(ctx, subnet, 'name') ?? 'subnet';
      add(`subnet ${name}`, nodeAt(ctx, subnet, 'cidr'));
      add(`subnet ${name} (IPv6)`, nodeAt(ctx, subnet, 'cidrIpv6'));
    }
  }
  // Which template each parameters file feeds, where the names do not say it; paths relative to this file.
  for (const entry of itemsAt(ctx, doc.contents, 'deployments')) {
    const template = nameAt(ctx, entry, 'template');
    if (template === undefined) continue;
    const parameters = itemsAt(ctx, entry, 'parameters').flatMap((item) => {
      const path = scalarText(item);
      return path === undefined ? [] : [new URL(path, uri).href];
    });
    facts.declaredDeployments.push({ template: new URL(template, uri).href, parameters, source: sourceOf(ctx, entry) });
  }
  for (const [rule, value] of entriesAt(ctx, doc.contents, 'rules')) {
    const setting = scalarText(value);
    // The schema (schemas/aksnetlens.schema.json) flags anything else in the editor; here it is skipped.
    if (setting && SETTINGS.has(setting)) {
      facts.ruleSettings.push({ rule, setting: setting as 'error' | 'warning' | 'info' | 'off', source: sourceOf(ctx, value) });
    }
  }
  return facts;
}
