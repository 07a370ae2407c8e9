// A Bicep module whose file is not there: the deployment cannot be evaluated past it.
import { BICEP_MODULES } from '../facts';
import { defineRule } from './rule';

export const bicepModuleNotFound = defineRule({
  id: 'bicep-module-not-found',
  title: 'Bicep module file not found',
  defaultSeverity: 'error',
  facts: [BICEP_MODULES],
  check: (model) => model.problems.filter((problem) => problem.kind === 'bicep-module-not-found').map(({ message, source }) => ({ message, source })),
});
