// YAML the reader could not parse: the parser's error, where it points.
import { YAML_SPEC } from '../facts';
import { defineRule } from './rule';

export const yamlSyntax = defineRule({
  id: 'yaml-syntax',
  title: 'YAML syntax error',
  defaultSeverity: 'error',
  facts: [YAML_SPEC],
  check: (model) => model.problems.filter((problem) => problem.kind === 'yaml-syntax').map(({ message, source }) => ({ message, source })),
});
