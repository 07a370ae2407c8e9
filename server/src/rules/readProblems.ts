// Problems the readers met: YAML syntax errors and files that could not be read.
import { BICEP_MODULES, BICEP_SYNTAX, type Fact, YAML_SPEC } from '../facts';
import type { ReadProblem } from '../model/network';
import type { Rule } from './rule';

function problemRule(
  id: string,
  kind: ReadProblem['kind'],
  title: string,
  severity: Rule['defaultSeverity'],
  facts: Fact<unknown>[],
): Rule {
  return {
    id,
    title,
    defaultSeverity: severity,
    facts,
    check: (model) =>
      model.problems
        .filter((problem) => problem.kind === kind)
        .map((problem) => ({ rule: id, severity, message: problem.message, source: problem.source })),
  };
}

export const yamlSyntax = problemRule('yaml-syntax', 'yaml-syntax', 'YAML syntax error', 'error', [YAML_SPEC]);
export const bicepSyntax = problemRule('bicep-syntax', 'bicep-syntax', 'Bicep syntax error', 'error', [BICEP_SYNTAX]);
export const bicepModuleNotFound = problemRule(
  'bicep-module-not-found',
  'bicep-module-not-found',
  'Bicep module file not found',
  'error',
  [BICEP_MODULES],
);
export const fileNotRead = problemRule('file-not-read', 'file-not-read', 'File skipped: too large or not text', 'info', []);
