// A CIDR block written with host bits set: Azure takes the network address, the file should say it.
import { formatCidr } from '../cidr/cidr';
import { CIDR_NETWORK_ADDRESS } from '../facts';
import { replaceWith } from './fixes';
import { defineRule, type Reported } from './rule';

/** Subject: the network address to write instead. */
export const cidrHostBits = defineRule<string>({
  id: 'cidr-host-bits',
  title: 'CIDR block has host bits set',
  defaultSeverity: 'warning',
  facts: [CIDR_NETWORK_ADDRESS],
  check: (model) =>
    model.addressLiterals.flatMap((literal): Reported<string>[] => {
      const parse = literal.parse;
      if (!parse.ok || !('cidr' in parse) || !parse.hostBitsSet) return [];
      const network = formatCidr(parse.cidr);
      return [
        {
          message: `${parse.text} has host bits set; the network address of this block is ${network}. Write ${network}.`,
          source: literal.source,
          subject: network,
        },
      ];
    }),
  fixes: (_model, network, at) => [replaceWith(`Use the network address ${network}`, at, network)],
});
