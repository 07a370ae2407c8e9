// Findings as LSP diagnostics, with positions mapped from the model's UTF-16 offsets.
import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Source } from '../model/source';
import type { Finding, Severity } from '../rules/rule';
import type { Workspace } from './workspace';

export const DIAGNOSTIC_SOURCE = 'aks-network-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function rangeOf(document: TextDocument, source: Source): Range {
  return { start: document.positionAt(source.start), end: document.positionAt(source.end) };
}

/** Where a rule's doc page is: `<docsBase>/<id>.md`. */
export function ruleDocUri(docsBase: string, ruleId: string): string {
  return `${docsBase.replace(/\/$/, '')}/${ruleId}.md`;
}

/** The diagnostics of one file, including cross-file findings reported on it. */
export function diagnosticsFor(workspace: Workspace, uri: string, docsBase: string): Diagnostic[] {
  const document = workspace.document(uri);
  if (!document) return [];
  return workspace.findingsFor(uri).map((finding) => toDiagnostic(workspace, document, finding, docsBase));
}

function toDiagnostic(workspace: Workspace, document: TextDocument, finding: Finding, docsBase: string): Diagnostic {
  const related = (finding.related ?? []).flatMap((item) => {
    const other = workspace.document(item.source.uri);
    return other ? [{ location: { uri: item.source.uri, range: rangeOf(other, item.source) }, message: item.message }] : [];
  });
  return {
    range: rangeOf(document, finding.source),
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUri(docsBase, finding.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}
