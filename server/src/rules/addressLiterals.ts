// Address literals that are not valid: malformed CIDRs and IPs, CIDRs with host bits set.
import { formatCidr } from '../cidr/cidr';
import { AZURE_CIDR_NOTATION, CIDR_NETWORK_ADDRESS } from '../facts';
import type { AddressLiteral } from '../model/network';
import { replaceWith } from './fixes';
import type { Finding, Rule } from './rule';

const IP_ROLES: ReadonlySet<AddressLiteral['role']> = new Set(['dns-service-ip', 'load-balancer-ip']);

/** A rule reporting the literals of one kind (CIDR or IP) that do not parse, with the parser's explanation. */
function invalidLiteralRule(id: string, title: string, ipRoles: boolean): Rule {
  return {
    id,
    title,
    defaultSeverity: 'error',
    facts: [AZURE_CIDR_NOTATION],
    check: (model) =>
      model.addressLiterals.flatMap((literal): Finding[] =>
        !literal.parse.ok && IP_ROLES.has(literal.role) === ipRoles
          ? [{ rule: id, severity: 'error', message: `${literal.parse.error}.`, source: literal.source }]
          : [],
      ),
  };
}

export const invalidCidr = invalidLiteralRule('invalid-cidr', 'Not a valid CIDR block', false);
export const invalidIp = invalidLiteralRule('invalid-ip', 'Not a valid IP address', true);

export const cidrHostBits: Rule = {
  id: 'cidr-host-bits',
  title: 'CIDR block has host bits set',
  defaultSeverity: 'warning',
  facts: [CIDR_NETWORK_ADDRESS],
  check: (model) =>
    model.addressLiterals.flatMap((literal): Finding[] => {
      const parse = literal.parse;
      if (!parse.ok || !('cidr' in parse) || !parse.hostBitsSet) return [];
      const network = formatCidr(parse.cidr);
      return [
        {
          rule: 'cidr-host-bits',
          severity: 'warning',
          message: `${parse.text} has host bits set; the network address of this block is ${network}. Write ${network}.`,
          source: literal.source,
          fixes: [replaceWith(`Use the network address ${network}`, literal.source, network)],
        },
      ];
    }),
};
