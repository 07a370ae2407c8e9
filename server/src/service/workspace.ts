// The workspace as the language service sees it: file texts, what each contributes, and the joined model.
// Each file is read once per change; the model and findings are recomputed lazily from the cached facts.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type FileFacts, joinModel, type NetworkModel } from '../model/network';
import { readFile } from '../readers';
import { type RuleFailure, runRules } from '../rules/catalogue';
import type { Finding } from '../rules/rule';

interface WorkspaceFile {
  readonly document: TextDocument;
  readonly facts: FileFacts;
}

export interface Analysis {
  readonly model: NetworkModel;
  readonly findings: readonly Finding[];
  readonly failures: readonly RuleFailure[];
  /** Findings grouped by the file they are reported on. */
  readonly findingsByUri: ReadonlyMap<string, readonly Finding[]>;
}

export class Workspace {
  private readonly files = new Map<string, WorkspaceFile>();
  private analysis: Analysis | undefined;

  /** Sets a file's text; returns false when no reader handles the file. */
  setFile(uri: string, text: string, version = 0): boolean {
    const existing = this.files.get(uri);
    if (existing && existing.document.getText() === text) return true;
    const facts = readFile(uri, text);
    if (!facts) return false;
    this.files.set(uri, { document: TextDocument.create(uri, 'yaml', version, text), facts });
    this.analysis = undefined;
    return true;
  }

  removeFile(uri: string): void {
    if (this.files.delete(uri)) this.analysis = undefined;
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  document(uri: string): TextDocument | undefined {
    return this.files.get(uri)?.document;
  }

  /** The joined model and every rule's findings, computed once per change. */
  analyze(): Analysis {
    if (!this.analysis) {
      const model = joinModel([...this.files.values()].map((file) => file.facts));
      const { findings, failures } = runRules(model);
      const findingsByUri = new Map<string, Finding[]>();
      for (const finding of findings) {
        findingsByUri.set(finding.source.uri, [...(findingsByUri.get(finding.source.uri) ?? []), finding]);
      }
      this.analysis = { model, findings, failures, findingsByUri };
    }
    return this.analysis;
  }

  findingsFor(uri: string): readonly Finding[] {
    return this.analyze().findingsByUri.get(uri) ?? [];
  }
}
