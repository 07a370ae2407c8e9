// The workspace as the language service sees it: file texts, what each contributes, and the joined model.
// Each file is read once per change; the model and findings are recomputed lazily from the cached facts.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type FileFacts, joinModel, type NetworkModel } from '../model/network';
import { readFile, type ReadResult } from '../readers';
import { evaluateBicepWorkspace, parseBicepFile } from '../readers/bicep/bicepReader';
import type { BicepHost } from '../readers/bicep/evaluator';
import type { Program } from '../readers/bicep/syntax';
import { type RuleFailure, runRules } from '../rules/catalogue';
import type { Finding, Severity } from '../rules/rule';
import { withRuleSetting } from '../rules/severity';
import { isSuppressed } from './suppressions';

interface WorkspaceFile {
  readonly document: TextDocument;
  readonly read: ReadResult;
}

export interface Analysis {
  readonly model: NetworkModel;
  readonly findings: readonly Finding[];
  readonly failures: readonly RuleFailure[];
  /** Findings grouped by the file they are reported on. */
  readonly findingsByUri: ReadonlyMap<string, readonly Finding[]>;
}

/** Reads a file that is not part of the workspace (a module or JSON file outside it); undefined when absent. */
/** Reads a file that is not open: its text, undefined when there is none, or why an existing file is not read. */
export type FileLoader = (uri: string) => string | undefined | NotRead;

/** An existing file the loader would not read (outside the workspace): its contents are unknown, not missing. */
export interface NotRead {
  readonly notRead: string;
}

const textOf = (loaded: string | undefined | NotRead): string | undefined => (typeof loaded === 'string' ? loaded : undefined);

/** A rule's severity as the user set it, or off. */
export type RuleSetting = Severity | 'off';

/** The Bicep deployments' facts, with the workspace files they were evaluated from. */
interface BicepEvaluation {
  readonly facts: FileFacts;
  readonly reads: ReadonlySet<string>;
  readonly fromDisk: boolean;
}

export class Workspace {
  private readonly files = new Map<string, WorkspaceFile>();
  private analysis: Analysis | undefined;
  /** Kept across changes to files the deployments do not read (most YAML edits). */
  private bicep: BicepEvaluation | undefined;
  private ruleSettings: ReadonlyMap<string, RuleSetting> = new Map();

  constructor(private readonly loadFile: FileLoader = () => undefined) {}

  /** Changes rules' severities or turns them off (from settings); unknown rule ids are ignored. */
  setRuleSettings(settings: ReadonlyMap<string, RuleSetting>): void {
    this.ruleSettings = settings;
    this.analysis = undefined;
  }

  /**
   * Sets a file's text; returns false when no reader handles the file. `open`: a document being edited, whose
   * next read reuses what its unchanged parts gave (kept until it is set again without `open`). `read`: what a
   * reader thread already made of this text (service/readerPool.ts), for a file that is not open. `languageId`:
   * the editor's language, which picks the reader for a document whose name does not (an untitled one).
   */
  setFile(
    uri: string,
    text: string,
    version = 0,
    { open = false, read: readApart, languageId }: { open?: boolean; read?: ReadResult; languageId?: string } = {},
  ): boolean {
    const existing = this.files.get(uri);
    if (existing && existing.document.getText() === text) {
      if (!open && existing.read.documents) this.files.set(uri, { ...existing, read: { ...existing.read, documents: undefined } });
      return true;
    }
    const read = (!open && readApart) || readFile(uri, text, { open, previous: open ? existing?.read : undefined, languageId });
    if (!read) return false;
    this.files.set(uri, { document: TextDocument.create(uri, read.languageId, version, text), read });
    this.analysis = undefined;
    this.bicepChanged(uri, existing?.read, read);
    return true;
  }

  removeFile(uri: string): void {
    const existing = this.files.get(uri);
    if (this.files.delete(uri)) {
      this.analysis = undefined;
      this.bicepChanged(uri, existing?.read);
    }
  }

  /** Forgets the Bicep deployments' facts when a file they were evaluated from (or a Bicep file) changes. */
  private bicepChanged(uri: string, ...reads: (ReadResult | undefined)[]): void {
    if (this.bicep && (this.bicep.fromDisk || this.bicep.reads.has(uri) || reads.some((read) => read?.program))) this.bicep = undefined;
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
      const facts: FileFacts[] = [...this.files.values()].map((file) => file.read.facts);
      this.bicep ??= this.evaluateBicep();
      facts.push(this.bicep.facts);
      const model = joinModel(facts);
      const { findings: raw, failures } = runRules(model);
      // Editor settings override the team's .aksnetlens.yaml.
      const settings = new Map<string, RuleSetting>([...model.ruleSettings.map((s): [string, RuleSetting] => [s.rule, s.setting]), ...this.ruleSettings]);
      const findings = raw.flatMap((finding): Finding[] => {
        const setting = settings.get(finding.rule);
        if (setting === 'off') return [];
        const document = this.files.get(finding.source.uri)?.document;
        if (document && isSuppressed(document, finding)) return [];
        return [withRuleSetting(finding, setting)!];
      });
      const findingsByUri = new Map<string, Finding[]>();
      for (const finding of findings) {
        const list = findingsByUri.get(finding.source.uri);
        if (list) list.push(finding);
        else findingsByUri.set(finding.source.uri, [finding]);
      }
      this.analysis = { model, findings, failures, findingsByUri };
    }
    return this.analysis;
  }

  findingsFor(uri: string): readonly Finding[] {
    return this.analyze().findingsByUri.get(uri) ?? [];
  }

  /**
   * Evaluates the Bicep deployments; modules outside the workspace are loaded through the loader. Records the
   * workspace files it read, and whether it read the disk (whose changes it cannot see: evaluated again each time).
   */
  private evaluateBicep(): BicepEvaluation {
    const programs = new Map<string, Program>();
    for (const [uri, file] of this.files) if (file.read.program) programs.set(uri, file.read.program);
    const outside = new Map<string, Program | undefined>();
    const refusals = new Map<string, string>();
    const reads = new Set<string>();
    let fromDisk = false;
    const host: BicepHost = {
      program: (uri) => {
        reads.add(uri);
        const own = this.files.get(uri)?.read.program;
        if (own) return own;
        fromDisk = true;
        if (!outside.has(uri)) {
          const loaded = this.loadFile(uri);
          if (typeof loaded === 'object') refusals.set(uri, loaded.notRead);
          const text = textOf(loaded);
          outside.set(uri, text === undefined ? undefined : parseBicepFile(uri, text).program);
        }
        return outside.get(uri);
      },
      text: (uri) => {
        reads.add(uri);
        const own = this.files.get(uri)?.document.getText();
        if (own !== undefined) return own;
        fromDisk = true;
        return textOf(this.loadFile(uri));
      },
      notRead: (uri) => refusals.get(uri),
    };
    const facts = evaluateBicepWorkspace(programs, host);
    return { facts, reads, fromDisk };
  }
}
