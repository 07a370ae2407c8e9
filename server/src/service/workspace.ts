// The workspace as the language service sees it: file texts, what each contributes, and the joined model.
// Each file is read once per change; the model and findings are recomputed lazily from the cached facts.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { emptyFileFacts, type FileFacts, joinModel, type NetworkModel } from '../model/network';
import { PROJECT_PASSES, readFile, type ReadResult } from '../readers';
import { environmentName } from '../model/queries';
import { deploymentRoots, environmentsOf, parseRootKey } from '../readers/environments';
import type { ProjectHost, ProjectPass } from '../readers/projectPass';
import { type RuleFailure, runRules } from '../rules/catalogue';
import type { Finding, Severity } from '../rules/rule';
import { withRuleSetting } from '../rules/severity';
import { mergeEnvironments } from './environmentFindings';
import { type Signatures, signaturesOf, withoutRepeats } from './sharedFacts';
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

/** One deployment's facts, with the workspace files it was evaluated from. */
interface DeploymentEvaluation {
  readonly facts: FileFacts;
  /** Its VNets', subnets', route tables' and literals' content: what other deployments lowered too is joined once. */
  readonly signatures: Signatures;
  readonly reads: ReadonlySet<string>;
  /** It read files outside the workspace, whose changes it cannot see: evaluated again after every change. */
  readonly fromDisk: boolean;
}

/** A pass's deployments by root, and its cross-file problems (kept until one of the pass's files changes). */
interface PassState {
  readonly deployments: Map<string, DeploymentEvaluation>;
  problems: DeploymentEvaluation | undefined;
}

export class Workspace {
  private readonly files = new Map<string, WorkspaceFile>();
  /** The analysis of every environment together (key ''), and of one environment's world (key: its parameters file). */
  private readonly analyses = new Map<string, Analysis>();
  /** Per pass, deployments kept across changes to files they do not read (most edits). */
  private readonly passes = new Map<ProjectPass, PassState>(PROJECT_PASSES.map((pass) => [pass, { deployments: new Map(), problems: undefined }]));
  /** How many deployments have been evaluated, for tests and benchmarks that count work instead of timing it. */
  deploymentsEvaluated = 0;
  private ruleSettings: ReadonlyMap<string, RuleSetting> = new Map();

  constructor(private readonly loadFile: FileLoader = () => undefined) {}

  /** Changes rules' severities or turns them off (from settings); unknown rule ids are ignored. */
  setRuleSettings(settings: ReadonlyMap<string, RuleSetting>): void {
    this.ruleSettings = settings;
    this.analyses.clear();
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
    this.analyses.clear();
    this.deploymentsChanged(uri, existing?.read, read);
    return true;
  }

  removeFile(uri: string): void {
    const existing = this.files.get(uri);
    if (this.files.delete(uri)) {
      this.analyses.clear();
      this.deploymentsChanged(uri, existing?.read);
    }
  }

  /** Forgets the deployments that read a changed file (and a pass's cross-file problems when the file is one of its own). */
  private deploymentsChanged(uri: string, ...reads: (ReadResult | undefined)[]): void {
    for (const [pass, state] of this.passes) {
      // A deployment that read a folder (a Terraform configuration) also changes when a file is added to it.
      const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
      for (const [root, evaluation] of state.deployments) {
        if (evaluation.fromDisk || evaluation.reads.has(uri) || evaluation.reads.has(folder)) state.deployments.delete(root);
      }
      if (state.problems?.fromDisk || reads.some((read) => read && pass.takes(read))) state.problems = undefined;
    }
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

  /**
   * The joined model and every rule's findings, computed once per change. With `environment` (a parameters file that
   * feeds a template): that environment's world alone — its deployments, the deployments of no environment and every
   * other file, but no other environment's deployments (the network map's environment picker).
   */
  analyze(environment?: string): Analysis {
    const key = environment ?? '';
    let analysis = this.analyses.get(key);
    if (!analysis) {
      const facts: FileFacts[] = [...this.files.values()].map((file) => file.read.facts);
      facts.push(...this.evaluateDeployments(environment));
      const model = joinModel(facts);
      const { findings: raw, failures } = runRules(model);
      // Editor settings override the team's .aksnetlens.yaml.
      const settings = new Map<string, RuleSetting>([...model.ruleSettings.map((s): [string, RuleSetting] => [s.rule, s.setting]), ...this.ruleSettings]);
      const findings = mergeEnvironments(
        raw.flatMap((finding): Finding[] => {
          const setting = settings.get(finding.rule);
          if (setting === 'off') return [];
          const file = this.files.get(finding.source.uri);
          if (file && isSuppressed(file.document, finding)) return [];
          // A value a parameters file writes: the finding is on it, and says which environment it is.
          const named =
            file?.read.parameters && !finding.message.includes('(environment ')
              ? { ...finding, message: `${finding.message} (environment ${environmentName(finding.source.uri)})` }
              : finding;
          return [withRuleSetting(named, setting)!];
        }),
      );
      const findingsByUri = new Map<string, Finding[]>();
      for (const finding of findings) {
        const list = findingsByUri.get(finding.source.uri);
        if (list) list.push(finding);
        else findingsByUri.set(finding.source.uri, [finding]);
      }
      analysis = { model, findings, failures, findingsByUri };
      this.analyses.set(key, analysis);
    }
    return analysis;
  }

  findingsFor(uri: string): readonly Finding[] {
    return this.analyze().findingsByUri.get(uri) ?? [];
  }

  /** The environments of the workspace: the parameters files that feed a template, in workspace order. */
  environmentFiles(): string[] {
    return this.environments().flatMap((entry) => (entry.template !== undefined ? [entry.parameters] : []));
  }

  /** Which template each parameters file feeds (a file that feeds none is listed without a template). */
  environments(): { parameters: string; template: string | undefined }[] {
    return environmentsOf(this.reads());
  }

  /** Every file's read, by URI. */
  private reads(): Map<string, ReadResult> {
    return new Map([...this.files].map(([uri, file]) => [uri, file.read]));
  }

  /**
   * Every pass's deployments: kept ones as they are, the others evaluated now (modules outside the workspace are
   * loaded through the loader). Each records the workspace files it read, and whether it read the disk. With an
   * environment, only its deployments and those of no environment are returned.
   */
  private evaluateDeployments(environment?: string): FileFacts[] {
    const reads = this.reads();
    const facts: FileFacts[] = [];
    const shared = new Set<string>();
    for (const [pass, state] of this.passes) {
      if (!state.problems) {
        const { host, record } = this.projectHost();
        const problems = { ...emptyFileFacts(`${pass.id}-problems`), problems: pass.problems(reads, host) };
        state.problems = { facts: problems, signatures: signaturesOf(problems), reads: record.reads, fromDisk: record.fromDisk };
      }
      facts.push(state.problems.facts);
      const roots = deploymentRoots(
        pass.templates(reads),
        reads,
        (template) => pass.defaultsComplete(template, reads),
        (uri) => pass.isTemplate(uri, reads),
      );
      const live = new Set(roots);
      for (const root of state.deployments.keys()) if (!live.has(root)) state.deployments.delete(root);
      for (const key of roots) {
        let evaluation = state.deployments.get(key);
        if (!evaluation) {
          const { host, record } = this.projectHost();
          const root = parseRootKey(key);
          const evaluated = pass.evaluate(root, key, reads, host);
          this.deploymentsEvaluated++;
          evaluation = { facts: evaluated, signatures: signaturesOf(evaluated), reads: new Set([root.template, ...record.reads]), fromDisk: record.fromDisk };
          state.deployments.set(key, evaluation);
        }
        // One environment's world leaves the others' deployments out (all are evaluated and kept alike).
        const parameters = environment === undefined ? undefined : parseRootKey(key).parameters;
        if (parameters !== undefined && parameters !== environment) continue;
        facts.push(withoutRepeats(evaluation.facts, evaluation.signatures, shared));
      }
    }
    return facts;
  }

  /** A host for one evaluation: workspace files by their reads, other files through the loader, with what it read. */
  private projectHost(): { host: ProjectHost; record: { reads: Set<string>; fromDisk: boolean } } {
    const record = { reads: new Set<string>(), fromDisk: false };
    const outside = new Map<string, ReadResult | undefined>();
    const refusals = new Map<string, string>();
    const host: ProjectHost = {
      read: (uri) => {
        record.reads.add(uri);
        const own = this.files.get(uri)?.read;
        if (own) return own;
        record.fromDisk = true;
        if (!outside.has(uri)) {
          const loaded = this.loadFile(uri);
          if (typeof loaded === 'object') refusals.set(uri, loaded.notRead);
          const text = textOf(loaded);
          outside.set(uri, text === undefined ? undefined : readFile(uri, text));
        }
        return outside.get(uri);
      },
      text: (uri) => {
        record.reads.add(uri);
        const own = this.files.get(uri)?.document.getText();
        if (own !== undefined) return own;
        record.fromDisk = true;
        return textOf(this.loadFile(uri));
      },
      notRead: (uri) => refusals.get(uri),
    };
    return { host, record };
  }
}
