// Bicep files in the workspace: each file is parsed once per change; deployments are evaluated from their roots.
// A root is a file no other workspace file uses as a module: modules are evaluated with their callers' arguments.
import { emptyFileFacts, type FileFacts } from '../../model/network';
import { unreadableReason } from '../fileText';
import { lowerDeployment } from '../arm/lowering';
import type { Deployment } from '../arm/values';
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

/** Local module files a program refers to, with the declarations that name them. */
function moduleTargets(uri: string, program: Program): { target: string; declaration: ModuleDeclaration }[] {
  return program.statements.flatMap((statement) => {
    if (statement.kind !== 'module' || statement.path === undefined) return [];
    const target = resolveModulePath(uri, statement.path);
    return target === undefined ? [] : [{ target, declaration: statement }];
  });
}

/** Evaluates every deployment root among the workspace's Bicep files and lowers what they deploy. */
export function evaluateBicepWorkspace(files: ReadonlyMap<string, Program>, host: BicepHost): FileFacts {
  const facts = emptyFileFacts('bicep-deployments');
  const usedAsModule = new Set<string>();
  for (const [uri, program] of files) {
    for (const { target, declaration } of moduleTargets(uri, program)) {
      usedAsModule.add(target);
      // A module that exists but was not read (outside the workspace) is unknown, not missing.
      if (host.program(target) || host.notRead?.(target)) continue;
      facts.problems.push({
        kind: 'bicep-module-not-found',
        message: `Module file '${declaration.path}' does not exist (looked for ${decodeURIComponent(new URL(target).pathname)}).`,
        source: { uri, start: declaration.pathSpan.start, end: declaration.pathSpan.end },
      });
    }
  }
  for (const [uri, program] of files) {
    if (usedAsModule.has(uri)) continue;
    const deployment: Deployment = { instances: [] };
    new FileEvaluator(uri, program, host, deployment, undefined).evaluateAll();
    lowerDeployment(`bicep:${uri}`, deployment, facts);
  }
  return facts;
}
