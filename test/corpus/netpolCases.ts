// np-guard/netpol-analyzer's test suite in the shared corpus: where its cases and expected outputs are, and the flow
// analysis of one case directory (every file under it, read as one cluster). Shared by the connlist and diff tests.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeFlows, type FlowAnalysis } from '../../server/src/flows/engine.ts';
import type { NetworkModel } from '../../server/src/model/network.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { findWorkspaceFiles } from '../../server/src/service/workspaceFiles.ts';

export const CORPUS = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
export const SUITE = path.join(CORPUS, 'np-guard__netpol-analyzer');
export const CASES = path.join(SUITE, 'tests');
export const OUTPUTS = path.join(SUITE, 'test_outputs');

/** The model of one case directory under `tests/`: every file under it, read as one cluster. */
export async function modelOf(caseName: string): Promise<NetworkModel> {
  const workspace = new Workspace();
  for await (const file of findWorkspaceFiles(path.join(CASES, caseName))) {
    workspace.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
  }
  return workspace.analyze().model;
}

/** The flow analysis of one case directory under `tests/`. */
export async function analysisOf(caseName: string): Promise<FlowAnalysis> {
  return analyzeFlows(await modelOf(caseName));
}
