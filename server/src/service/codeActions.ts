// Quick fixes: the fixes of the findings whose range meets the requested range.
import type { CodeAction, Range } from 'vscode-languageserver-types';
import { rangeOf } from './diagnostics';
import { renderEdit } from './fixRendering';
import type { Workspace } from './workspace';

function meets(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Quick fixes for the findings in a file that touch the range. */
export function codeActionsFor(workspace: Workspace, uri: string, range: Range): CodeAction[] {
  const document = workspace.document(uri);
  if (!document) return [];
  const actions: CodeAction[] = [];
  const model = workspace.analyze().model;
  for (const finding of workspace.findingsFor(uri)) {
    if (!finding.fixes || !meets(rangeOf(document, finding.source), range)) continue;
    for (const fix of finding.fixes) {
      const changes: Record<string, { range: Range; newText: string }[]> = {};
      for (const edit of fix.edits) {
        const target = workspace.document(edit.source.uri);
        if (!target) continue;
        const range = rangeOf(target, edit.source);
        const written = renderEdit(model, edit, target.getText(range));
        (changes[edit.source.uri] ??= []).push({ range, newText: written.newText });
      }
      actions.push({ title: fix.title, kind: 'quickfix', isPreferred: finding.fixes.length === 1, edit: { changes } });
    }
  }
  return actions;
}
