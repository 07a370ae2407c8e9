// Hover on a network security group's rule (Bicep, ARM JSON, Terraform or ASO YAML, wherever the model has its source):
// the flows of the workspace's traffic paths this rule decides, with the decision: a public LoadBalancer Service's
// clients, Azure Load Balancer's probes, the nodes' AKS egress (service/hopVerdicts.ts, the same judgements the map shows).
import type { NetworkModel, SecurityRule } from '../model/network';
import type { Source } from '../model/source';
import { nsgDecisions } from './hopVerdicts';

const within = (inner: Source, outer: Source) => inner.uri === outer.uri && outer.start <= inner.start && inner.end <= outer.end;

/**
 * Where a rule is written: its source with its fields' (a Terraform block's source is its keyword, its fields follow).
 */
function extentOf(rule: SecurityRule): Source {
  const fields = [rule.priority, rule.direction, rule.access, rule.protocol, ...rule.sourceAddresses, ...rule.destinationAddresses, ...rule.sourcePorts, ...rule.destinationPorts];
  const sources = [rule.source, ...fields.flatMap((field) => (field.known && field.source.uri === rule.source.uri ? [field.source] : []))];
  return { uri: rule.source.uri, start: Math.min(...sources.map((s) => s.start)), end: Math.max(...sources.map((s) => s.end)) };
}

/** The security rule written around an offset (the innermost), with its group's name and where it is written. */
function ruleAt(model: NetworkModel, uri: string, offset: number): { rule: SecurityRule; group: string; extent: Source } | undefined {
  let found: { rule: SecurityRule; group: string; extent: Source } | undefined;
  for (const group of model.networkSecurityGroups) {
    for (const rule of group.rules) {
      if (rule.source.uri !== uri) continue;
      const extent = extentOf(rule);
      if (offset < extent.start || offset > extent.end) continue;
      if (!found || extent.end - extent.start < found.extent.end - found.extent.start) found = { rule, group: group.name, extent };
    }
  }
  return found;
}

/** The hover's lines for the security rule at the offset, or undefined when the offset is in none. */
export function describeSecurityRuleAt(model: NetworkModel, uri: string, offset: number): { lines: string[]; source: Source } | undefined {
  const found = ruleAt(model, uri, offset);
  if (!found) return undefined;
  const { rule, group, extent } = found;
  const facts = [rule.priority, rule.direction, rule.access].flatMap((v) => (v.known ? [String(v.value)] : []));
  const header = `**Security rule ${rule.name}**${facts.length > 0 ? ` (${facts.join(', ')})` : ''} of NSG ${group}`;
  const lines = new Set<string>();
  for (const decision of nsgDecisions(model)) {
    if (decision.rule.source && within(decision.rule.source, extent)) lines.add(`- ${decision.flow}: ${decision.decision}`);
  }
  if (lines.size === 0) {
    return {
      lines: [header, '', "Decides none of the flows the workspace's traffic paths draw (public LoadBalancer Services' clients, Azure Load Balancer's probes, the nodes' AKS egress)."],
      source: extent,
    };
  }
  return { lines: [header, '', "Decides, on the workspace's traffic paths:", ...lines], source: extent };
}
