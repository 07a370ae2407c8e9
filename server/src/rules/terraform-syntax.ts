// Terraform the parser could not read: where tree-sitter's grammar found an error or a missing token.
import { TERRAFORM_SYNTAX } from '../facts';
import { defineRule } from './rule';

export const terraformSyntax = defineRule({
  id: 'terraform-syntax',
  title: 'Terraform syntax error',
  defaultSeverity: 'error',
  facts: [TERRAFORM_SYNTAX],
  check: (model) => model.problems.filter((problem) => problem.kind === 'terraform-syntax').map(({ message, source }) => ({ message, source })),
});
