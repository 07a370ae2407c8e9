// Bicep files in the workspace: each file is parsed once per change; deployments are evaluated from their roots.
// A root is a file no other workspace file uses as a module: modules are evaluated with their callers' arguments.
import { emptyFileFacts, type FileFacts, joinModel, type ReadProblem } from '../../model/network';
import { unreadableReason } from '../fileText';
import type { ReadResult } from '../index';
import type { ParametersFile } from '../yaml/jsonManifest';
import type { ProjectHost, ProjectPass } from '../projectPass';
import { lowerDeployment } from '../arm/lowering';
import type { ArmValue, Deployment } from '../arm/values';
import { type BicepHost, FileEvaluator, resolveModulePath } from './evaluator';
import { parseBicep } from './parser';
import type { ModuleDeclaration, Program } from './syntax';

export interface ParsedBicepFile {
  readonly program: Program;
  /** Per-file facts: syntax errors and read problems only; resources come from deployment evaluation. */
  readonly facts: FileFacts;
}

const EMPTY_PROGRAM: Program = { statements: [], diagnostics: [] };

/** Parses a Bicep file; syntax errors become read problems. */
export function parseBicepFile(uri: string, text: string): ParsedBicepFile {
  const facts = emptyFileFacts(uri);
  const reason = unreadableReason(text);
  if (reason) {
    facts.problems.push({ kind: 'file-not-read', message: reason, source: { uri, start: 0, end: 0 } });
    return { program: EMPTY_PROGRAM, facts };
  }
  const program = parseBicep(text);
  for (const diagnostic of program.diagnostics) {
    facts.problems.push({
      kind: 'bicep-syntax',
      message: diagnostic.message,
      source: { uri, start: diagnostic.start, end: Math.max(diagnostic.end, diagnostic.start) },
    });
  }
  return { program, facts };
}

/** Nothing outside the file: a parameters file's values come from its own expressions (and `var`s). */
const NO_FILES: BicepHost = { program: () => undefined, text: () => undefined };

/**
 * Reads a `.bicepparam` file: syntax problems, the template its `using` names, and each `param x = value` evaluated
 * with the Bicep expressions the evaluator knows (`readEnvironmentVariable('X', 'd')` gives its default, `getSecret()`
 * is unknown). Each value keeps its place in this file, so a finding it causes is reported here.
 */
export function readBicepParams(uri: string, text: string): { facts: FileFacts; parameters: ParametersFile } {
  const facts = emptyFileFacts(uri);
  const reason = unreadableReason(text);
  if (reason) {
    facts.problems.push({ kind: 'file-not-read', message: reason, source: { uri, start: 0, end: 0 } });
    return { facts, parameters: { values: new Map() } };
  }
  const program = parseBicep(text, { parametersFile: true });
  for (const diagnostic of program.diagnostics) {
    facts.problems.push({ kind: 'bicep-syntax', message: diagnostic.message, source: { uri, start: diagnostic.start, end: Math.max(diagnostic.end, diagnostic.start) } });
  }
  const evaluator = new FileEvaluator(uri, program, NO_FILES, { instances: [] }, undefined);
  const values = new Map<string, ArmValue>();
  let template: string | undefined;
  let base: string | undefined;
  for (const statement of program.statements) {
    if (statement.kind === 'using' && statement.path !== undefined) template = statement.path;
    if (statement.kind === 'extends' && statement.path !== undefined) base = statement.path;
    if (statement.kind === 'param' && statement.name !== undefined) values.set(statement.name, evaluator.symbolValue(statement.name));
  }
  return { facts, parameters: { values, ...(template !== undefined ? { template } : {}), ...(base !== undefined ? { extends: base } : {}) } };
}

/** An environment's values: those of the files it extends first (a chain, cycles cut), then its own. */
function environmentValues(parameters: string, host: ProjectHost): Map<string, ArmValue> {
  const chain: ParametersFile[] = [];
  const seen = new Set<string>();
  for (let uri: string | undefined = parameters; uri !== undefined && !seen.has(uri) && chain.length < 16; ) {
    seen.add(uri);
    const read: ParametersFile | undefined = host.read(uri)?.parameters;
    if (!read) break;
    chain.unshift(read);
    uri = read.extends === undefined ? undefined : new URL(read.extends, uri).href;
  }
  return new Map(chain.flatMap((file) => [...file.values]));
}

/** Local module files a program refers to, with the declarations that name them. */
function moduleTargets(uri: string, program: Program): { target: string; declaration: ModuleDeclaration }[] {
  return program.statements.flatMap((statement) => {
    if (statement.kind !== 'module' || statement.path === undefined) return [];
    const target = resolveModulePath(uri, statement.path);
    return target === undefined ? [] : [{ target, declaration: statement }];
  });
}

/** The deployment roots among the workspace's Bicep files: those no other file uses as a module, in workspace order. */
export function rootFiles(files: ReadonlyMap<string, Program>): string[] {
  const usedAsModule = new Set<string>();
  for (const [uri, program] of files) for (const { target } of moduleTargets(uri, program)) usedAsModule.add(target);
  return [...files.keys()].filter((uri) => !usedAsModule.has(uri));
}

/** Module declarations whose file does not exist; one that exists but was not read (outside the workspace) is unknown, not missing. */
export function missingModules(files: ReadonlyMap<string, Program>, host: BicepHost): ReadProblem[] {
  const problems: ReadProblem[] = [];
  for (const [uri, program] of files) {
    for (const { target, declaration } of moduleTargets(uri, program)) {
      if (host.program(target) || host.notRead?.(target)) continue;
      problems.push({
        kind: 'bicep-module-not-found',
        message: `Module file '${declaration.path}' does not exist (looked for ${decodeURIComponent(new URL(target).pathname)}).`,
        source: { uri, start: declaration.pathSpan.start, end: declaration.pathSpan.end },
      });
    }
  }
  return problems;
}

/**
 * Evaluates the deployment of one root file and lowers what it deploys. `key` names the deployment (a root with an
 * environment is another deployment of the same file); `args`: an environment's parameter values.
 */
export function evaluateDeployment(root: string, program: Program, host: BicepHost, key = root, args?: ReadonlyMap<string, ArmValue>, environment?: string): FileFacts {
  const facts = emptyFileFacts(`bicep-deployment:${key}`);
  const deployment: Deployment = { instances: [], uses: new Map() };
  new FileEvaluator(root, program, host, deployment, args && new Map(args)).evaluateAll();
  lowerDeployment(`bicep:${key}`, deployment, facts, environment);
  for (const use of deployment.uses!.values()) facts.valueUses.push({ source: use.source, values: [...use.values], ...(environment !== undefined ? { environment } : {}) });
  return facts;
}

/** Every deployment of the workspace's Bicep files and the missing modules, as one set of facts. */
export function evaluateBicepWorkspace(files: ReadonlyMap<string, Program>, host: BicepHost): FileFacts {
  const facts = emptyFileFacts('bicep-deployments');
  facts.problems.push(...missingModules(files, host));
  const deployments = rootFiles(files).map((root) => evaluateDeployment(root, files.get(root)!, host));
  return { ...joinModel([facts, ...deployments]), uri: facts.uri };
}

/** The reads of Bicep files: their programs. */
function programs(files: ReadonlyMap<string, ReadResult>): Map<string, Program> {
  const found = new Map<string, Program>();
  for (const [uri, read] of files) if (read.program) found.set(uri, read.program);
  return found;
}

/** Bicep's module host over a project host. */
const bicepHost = (host: ProjectHost): BicepHost => ({
  program: (uri) => host.read(uri)?.program,
  text: (uri) => host.text(uri),
  notRead: (uri) => host.notRead(uri),
});

/** Bicep deployments: each file no other file uses as a module is a root, evaluated with its modules. */
export const bicepDeployments: ProjectPass = {
  id: 'bicep',
  takes: (read) => read.program !== undefined || read.parameters !== undefined,
  templates: (files) => rootFiles(programs(files)),
  isTemplate: (uri, files) => files.get(uri)?.program !== undefined,
  defaultsComplete: (template, files) =>
    (files.get(template)?.program?.statements ?? []).every(
      (statement) => statement.kind !== 'param' || statement.defaultValue !== undefined || statement.typeText.trimEnd().endsWith('?'),
    ),
  problems: (files, host) => missingModules(programs(files), bicepHost(host)),
  evaluate: (root, key, files, host) => {
    const program = files.get(root.template)?.program;
    if (!program) return emptyFileFacts(`bicep-deployment:${key}`);
    const given = root.parameters === undefined ? undefined : environmentValues(root.parameters, host);
    return evaluateDeployment(root.template, program, bicepHost(host), key, given && declaredNames(program, given), root.parameters);
  },
};

/** A parameters file's values under the names the template declares: ARM matches parameter names case-insensitively. */
function declaredNames(program: Program, given: ReadonlyMap<string, ArmValue>): Map<string, ArmValue> {
  const byLowerCase = new Map([...given].map(([name, value]) => [name.toLowerCase(), value]));
  const args = new Map<string, ArmValue>();
  for (const statement of program.statements) {
    const value = statement.kind === 'param' && statement.name !== undefined ? byLowerCase.get(statement.name.toLowerCase()) : undefined;
    if (value) args.set((statement as { name: string }).name, value);
  }
  return args;
}
