// Explanations as text, modelled on np-guard netpol-analyzer's `list --explain` output: a section per pair with the
// allowed and denied ports and, per direction, the policies and rules behind each; then the pairs that nothing
// restricts, under "All Connections due to the system default". Connections are written as the flow list writes them.
import type { Source } from '../model/source';
import type { ConnectionExplanation, DirectionExplanation, ExplainedPorts, PolicyReference, Reason } from './explain';

const RULER = '-'.repeat(160);

const TAGS: Record<PolicyReference['kind'], string> = {
  NetworkPolicy: 'NP',
  AdminNetworkPolicy: 'ANP',
  BaselineAdminNetworkPolicy: 'BANP',
  CiliumNetworkPolicy: 'CNP',
  CiliumClusterwideNetworkPolicy: 'CCNP',
};

/** `[NP] ns/name`, `[ANP] name`, `[CNP] ns/name (specs item 2)`. */
export function policyLabel(policy: PolicyReference): string {
  const spec = policy.spec === undefined ? '' : ` (rule ${policy.spec} of spec/specs)`;
  return `[${TAGS[policy.kind]}] ${policy.namespace === undefined ? '' : `${policy.namespace}/`}${policy.name}${spec}`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** One reason as a line: `[NP] backend/web // Ingress rule #1`, `[BANP] default // Egress rule deny-all (Deny)`. */
export function describeReason(reason: Reason, direction: 'ingress' | 'egress'): string {
  switch (reason.kind) {
    case 'system-default':
      return 'the system default (Allow all)';
    case 'host':
      return "Cilium's host rule (a node always reaches its own pods)";
    case 'outside':
      return 'the system default (Allow all: the peer is outside the cluster, where no policy applies)';
    case 'rule': {
      const rule = reason.rule!;
      const admin = reason.policy!.kind === 'AdminNetworkPolicy' || reason.policy!.kind === 'BaselineAdminNetworkPolicy';
      const deny = rule.section.endsWith('Deny');
      const name = rule.name !== undefined ? rule.name : `#${rule.number}`;
      return `${policyLabel(reason.policy!)} // ${capitalised(rule.section)} rule ${name}${admin || deny ? ` (${rule.action})` : ''}`;
    }
    case 'default-deny': {
      const label = capitalised(direction);
      if (reason.rule) return `${policyLabel(reason.policy!)} // ${label} rule #${reason.rule.number} (${reason.detail})`;
      const noRules = reason.detail === 'no rules defined' ? ' - no rules defined' : '';
      return `${policyLabel(reason.policy!)} // ${label} (captured but not selected by any ${label} rule${noRules})`;
    }
  }
}

/** Where a reason points: the rule, else the selector that makes the policy apply, else the policy. */
export function reasonSource(reason: Reason): Source | undefined {
  return reason.rule?.source ?? reason.policy?.selector ?? reason.policy?.source;
}

function directionLines(name: 'ingress' | 'egress', direction: DirectionExplanation, locate: ((source: Source) => string) | undefined): string[] {
  const header = `\t${name.toUpperCase()} DIRECTION (${direction.allowed ? 'ALLOWED' : 'DENIED'})`;
  const [only] = direction.reasons;
  if (direction.reasons.length === 1 && only!.policy === undefined) return [`${header} due to ${describeReason(only!, name)}`];
  return [
    header,
    ...direction.reasons.map((reason, index) => {
      const source = reasonSource(reason);
      const where = source && locate ? ` (${locate(source)})` : '';
      return `\t\t${index + 1}) ${describeReason(reason, name)}${where}`;
    }),
  ];
}

function groupLines(group: ExplainedPorts, whole: boolean, locate: ((source: Source) => string) | undefined): string[] {
  const head = !group.allowed && whole ? 'No Connections' : `${group.allowed ? 'ALLOWED' : 'DENIED'} ${group.ports.toString()}`;
  return [`${head} due to the following policies // rules:`, ...directionLines('egress', group.egress, locate), ...directionLines('ingress', group.ingress, locate), ''];
}

/** True when nothing restricts the pair: every port allowed, by the system default (or outside the cluster) alone. */
export function isSystemDefault(explanation: ConnectionExplanation): boolean {
  const plain = (direction: DirectionExplanation) => direction.reasons.every((reason) => reason.kind === 'system-default' || reason.kind === 'outside');
  return explanation.unknown === undefined && explanation.allowed.isAll() && explanation.groups.every((group) => plain(group.egress) && plain(group.ingress));
}

/**
 * The text of `netlens flows --explain`: each pair some policy concerns, with its groups of ports; then the pairs
 * nothing restricts. `locate` turns a rule's source into `file:line` for the reader.
 */
export function formatExplainText(explanations: readonly ConnectionExplanation[], locate?: (source: Source) => string): string {
  const specific = explanations.filter((explanation) => !isSystemDefault(explanation));
  const open = explanations.filter(isSystemDefault);
  const lines: string[] = [];
  if (specific.length > 0) {
    lines.push('', '##########################################', '# Specific connections and their reasons #', '##########################################');
    for (const explanation of specific) {
      lines.push(RULER, `CONNECTIONS BETWEEN ${explanation.src} => ${explanation.dst}:`, '');
      if (explanation.unknown !== undefined) {
        lines.push(`UNKNOWN: ${explanation.unknown}; the flow list shows 'unknown'. What the policies that could be evaluated say:`, '');
      }
      for (const group of explanation.groups) lines.push(...groupLines(group, group.ports.isAll(), locate));
    }
  }
  if (open.length > 0) {
    lines.push('', '#########################################################', '# All Connections due to the system default (Allow all) #', '#########################################################');
    for (const explanation of open) lines.push(`${explanation.src} => ${explanation.dst}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
