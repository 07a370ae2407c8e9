// Bicep the parser could not read: its error, where it points.
import { BICEP_SYNTAX } from '../facts';
import { defineRule } from './rule';

export const bicepSyntax = defineRule({
  id: 'bicep-syntax',
  title: 'Bicep syntax error',
  defaultSeverity: 'error',
  facts: [BICEP_SYNTAX],
  check: (model) => model.problems.filter((problem) => problem.kind === 'bicep-syntax').map(({ message, source }) => ({ message, source })),
});
