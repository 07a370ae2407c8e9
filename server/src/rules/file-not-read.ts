// Files skipped as too large or not text: said, so that silence is not taken for a clean file.
import { defineRule } from './rule';

export const fileNotRead = defineRule({
  id: 'file-not-read',
  title: 'File skipped: too large or not text',
  defaultSeverity: 'info',
  facts: [],
  check: (model) => model.problems.filter((problem) => problem.kind === 'file-not-read').map(({ message, source }) => ({ message, source })),
});
