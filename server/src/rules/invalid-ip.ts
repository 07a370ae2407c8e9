// An IP literal (DNS service IP, load balancer IP) that does not parse, with the parser's explanation.
import { AZURE_CIDR_NOTATION } from '../facts';
import { defineRule } from './rule';
import { unparsedLiterals } from './unparsedLiterals';

export const invalidIp = defineRule({
  id: 'invalid-ip',
  title: 'Not a valid IP address',
  defaultSeverity: 'error',
  facts: [AZURE_CIDR_NOTATION],
  check: (model) => unparsedLiterals(model, 'ip').map(({ error, literal }) => ({ message: `${error}.`, source: literal.source })),
});
