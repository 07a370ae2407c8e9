// In-file suppressions: a comment on the line above a finding turns that rule off there.
//   YAML:  # netlens-disable-next-line subnet-overlap
//   Bicep: // netlens-disable-next-line subnet-overlap   (or Bicep's own  #disable-next-line subnet-overlap)
//   Terraform: # netlens-disable-next-line subnet-overlap   (or // …)
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../rules/rule';

const PRAGMA = /^\s*(?:(?:#|\/\/)\s*netlens-disable-next-line|#disable-next-line)\s+(.*)$/;

/** The rule ids a suppression comment on this line names (a trailing `// why` is allowed). */
function suppressedOn(line: string): string[] {
  const match = PRAGMA.exec(line);
  return match ? match[1]!.split('//')[0]!.split(/[\s,]+/).filter((id) => id !== '') : [];
}

/** True when the line above the finding's start carries a suppression for its rule. */
export function isSuppressed(document: TextDocument, finding: Finding): boolean {
  const line = document.positionAt(finding.source.start).line;
  if (line === 0) return false;
  const above = document.getText({ start: { line: line - 1, character: 0 }, end: { line, character: 0 } });
  return suppressedOn(above.replace(/\r?\n$/, '')).includes(finding.rule);
}
