// A CIDR literal that does not parse, with the parser's explanation.
import { AZURE_CIDR_NOTATION } from '../facts';
import { defineRule } from './rule';
import { unparsedLiterals } from './unparsedLiterals';

export const invalidCidr = defineRule({
  id: 'invalid-cidr',
  title: 'Not a valid CIDR block',
  defaultSeverity: 'error',
  facts: [AZURE_CIDR_NOTATION],
  check: (model) => unparsedLiterals(model, 'cidr').map(({ error, literal }) => ({ message: `${error}.`, source: literal.source })),
});
