// The address literals that do not parse, split by what they should be: an IP (DNS service and load balancer IPs)
// or a CIDR block (everything else). invalid-cidr and invalid-ip report one side each.
import type { AddressLiteral, NetworkModel } from '../model/network';

const IP_ROLES: ReadonlySet<AddressLiteral['role']> = new Set(['dns-service-ip', 'load-balancer-ip']);

/** The literals of one kind that do not parse, with the parser's explanation. */
export function unparsedLiterals(model: NetworkModel, kind: 'ip' | 'cidr'): { error: string; literal: AddressLiteral }[] {
  return model.addressLiterals.flatMap((literal) =>
    !literal.parse.ok && IP_ROLES.has(literal.role) === (kind === 'ip') ? [{ error: literal.parse.error, literal }] : [],
  );
}
