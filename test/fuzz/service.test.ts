// Fuzzing every language-service handler the server calls (diagnostics, hover, code actions, inlay hints,
// code lenses, Plan IPs prefill and plan, network map data) on mutated real files (with their folder's other
// files, so cross-file findings, modules and fixes in other files take part) and on generated workspaces.
// Properties: nothing throws and no rule fails, each input is served with counted work inside its bounds (every
// evaluation within its step budget, one diagnostic per finding, one code action per fix, the network map within
// what it draws), every offset and LSP range lies inside its document, every quick fix and plan applies cleanly
// (valid, non-overlapping edits), and the fixed text analyses again without throwing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { codeActionsFor } from '../../server/src/service/codeActions.ts';
import { diagnosticsFor } from '../../server/src/service/diagnostics.ts';
import { hoverAt } from '../../server/src/service/hover.ts';
import { codeLensesFor, inlayHintsFor } from '../../server/src/service/lenses.ts';
import { MAX_DRAWN_CLUSTERS, MAX_DRAWN_VNETS, networkMap } from '../../server/src/service/networkMap.ts';
import { MAX_DRAWN_EDGES } from '../../server/src/service/policyGraph.ts';
import { MAX_EGRESS_DIAGRAMS } from '../../server/src/service/trafficPaths.ts';
import { planIps, planPrefill } from '../../server/src/service/planIps.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { bicepWorkspace, manifestFile } from './generators.ts';
import {
  applyEdits,
  assertOffsetsInside,
  assertRangeInside,
  assertWithinBudgets,
  type InputFile,
  lineLengths,
  type LspRange,
  metered,
  meteredAsync,
  mutations,
  mutateAll,
  rangesIn,
  realInputs,
  runProperty,
  siblingsOf,
} from './fuzzSupport.ts';

const DOCS = 'file:///docs/rules';
const MODES = ['overlay', 'azure-cni', 'azure-cni-pod-subnet', 'kubenet'] as const;

/** Where to ask for hovers: fractions of the line count and line length, plus positions past the end. */
const probes = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 6 });
/** A plan request's numbers, sometimes absurd. */
const planNumbers = fc.record({
  mode: fc.constantFrom(...MODES),
  nodes: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0, -1, 1e9, 0.5, Number.MAX_SAFE_INTEGER)),
  maxPods: fc.oneof(fc.integer({ min: 10, max: 250 }), fc.constantFrom(0, 1, 251, 1e6, 2.5)),
  surge: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
  dualStack: fc.boolean(),
});
type PlanNumbers = typeof planNumbers extends fc.Arbitrary<infer T> ? T : never;

function newWorkspace(files: Record<string, string>): Workspace {
  const workspace = new Workspace((uri) => files[uri]);
  for (const [uri, text] of Object.entries(files)) workspace.setFile(uri, text);
  return workspace;
}

/** Text of every document in the workspace, for range checks. */
function textOf(workspace: Workspace, uri: string): string | undefined {
  return workspace.document(uri)?.getText();
}

/** Applies a WorkspaceEdit's changes to the files; checks every edit; returns the new files. */
function applyWorkspaceEdit(workspace: Workspace, files: Record<string, string>, changes: Record<string, { range: LspRange; newText: string }[]> | undefined, what: string): Record<string, string> {
  const result = { ...files };
  for (const [uri, edits] of Object.entries(changes ?? {})) {
    const text = textOf(workspace, uri);
    assert.ok(text !== undefined, `${what}: edits a file the workspace does not have: ${uri}`);
    result[uri] = applyEdits(text, edits, `${what} in ${uri}`);
  }
  return result;
}

/** The fixed files analyse again: no exception, no rule failure. */
function reanalyse(files: Record<string, string>, what: string): void {
  const analysis = newWorkspace(files).analyze();
  assert.deepEqual(analysis.failures, [], `after ${what}`);
}

/** Every handler on every file of the workspace, with every check; each request's work within its counted bounds. */
async function checkEveryHandler(files: Record<string, string>, hoverAt_: [number, number, boolean][], plan: PlanNumbers | undefined): Promise<void> {
  const { result: workspace, budgets } = metered(() => {
    const opened = newWorkspace(files);
    opened.analyze();
    return opened;
  });
  const analysis = workspace.analyze();
  assertWithinBudgets('reading the files and analysis', budgets, Object.values(files), analysis.model);
  assert.deepEqual(analysis.failures, [], 'a rule failed');
  for (const finding of analysis.findings) {
    const text = textOf(workspace, finding.source.uri);
    if (text === undefined) continue;
    assertOffsetsInside(finding.source, text, `finding ${finding.rule}`);
    for (const fix of finding.fixes ?? []) {
      for (const edit of fix.edits) {
        const target = textOf(workspace, edit.source.uri);
        if (target !== undefined) assertOffsetsInside(edit.source, target, `fix '${fix.title}'`);
      }
    }
  }
  for (const uri of workspace.uris()) {
    // Whatever a handler evaluates again (an environment's world, a fix's result) stays within its budgets too.
    const { budgets: handlerBudgets } = await meteredAsync(() => checkHandlersOn(workspace, files, uri, hoverAt_, plan));
    assertWithinBudgets(`the handlers on ${uri}`, handlerBudgets, Object.values(files));
  }
}

/** Every handler on one file of the workspace. */
async function checkHandlersOn(workspace: Workspace, files: Record<string, string>, uri: string, hoverAt_: [number, number, boolean][], plan: PlanNumbers | undefined): Promise<void> {
  const text = textOf(workspace, uri)!;
  const lengths = lineLengths(text);
  const whole: LspRange = { start: { line: 0, character: 0 }, end: { line: lengths.length - 1, character: lengths.at(-1)! } };

  const findings = workspace.findingsFor(uri);
  const diagnostics = diagnosticsFor(workspace, uri, DOCS);
  assert.equal(diagnostics.length, findings.length, 'one diagnostic per finding');
  for (const d of diagnostics) {
    assertRangeInside(d.range, text, `diagnostic ${d.code}`, lengths);
    assert.ok(typeof d.message === 'string' && d.message.length > 0, `diagnostic ${d.code} has no message`);
    for (const related of d.relatedInformation ?? []) {
      const other = textOf(workspace, related.location.uri);
      assert.ok(other !== undefined, `related information in a file the workspace does not have: ${related.location.uri}`);
      assertRangeInside(related.location.range, other, `related information of ${d.code}`);
    }
  }

  // Quick fixes at every diagnostic and over the whole file; each applies and the result analyses again.
  const fixes = findings.reduce((sum, finding) => sum + (finding.fixes?.length ?? 0), 0);
  for (const range of [whole, ...diagnostics.map((d) => d.range)]) {
    const actions = codeActionsFor(workspace, uri, range);
    assert.ok(actions.length <= fixes, `${actions.length} code actions from ${fixes} fixes`);
    for (const action of actions) {
      assert.ok(action.title.length > 0);
      const fixed = applyWorkspaceEdit(workspace, files, action.edit?.changes, `quick fix '${action.title}'`);
      reanalyse(fixed, `quick fix '${action.title}'`);
    }
  }

  for (const [lineSeed, charSeed, past] of hoverAt_) {
    const line = past ? lengths.length + (lineSeed % 3) : lineSeed % lengths.length;
    const character = past ? charSeed % 1000 : charSeed % (lengths[line]! + 2);
    const hover = hoverAt(workspace, uri, { line, character });
    if (hover?.range) assertRangeInside(hover.range, text, `hover at ${line}:${character}`, lengths);
  }
  for (const d of diagnostics) {
    const hover = hoverAt(workspace, uri, d.range.start);
    if (hover?.range) assertRangeInside(hover.range, text, `hover on ${d.code}`, lengths);
  }

  for (const hint of inlayHintsFor(workspace, uri, whole)) assertRangeInside({ start: hint.position, end: hint.position }, text, 'inlay hint', lengths);
  for (const lens of codeLensesFor(workspace, uri)) assertRangeInside(lens.range, text, 'code lens', lengths);

  const prefill = planPrefill(workspace, uri);
  if (plan) {
    const request = {
      uri,
      ...plan,
      ...(prefill.mode ? { mode: prefill.mode } : {}),
      ...(prefill.nodes !== undefined && plan.nodes > 0 && plan.nodes < 5000 ? { nodes: prefill.nodes } : {}),
      ...(prefill.within ? { within: prefill.within } : {}),
      settingsUri: uri.replace(/[^/]*$/, '.aksnetlens.yaml'),
    };
    const response = planIps(workspace, request, '2025-01-01');
    if (response.ok) {
      const planned = applyWorkspaceEdit(workspace, files, response.edit?.changes as Record<string, { range: LspRange; newText: string }[]>, 'Plan IPs');
      if (response.settingsEdit) planned[response.settingsEdit.uri] = response.settingsEdit.text;
      reanalyse(planned, 'Plan IPs');
    } else {
      assert.ok(typeof response.error === 'string' && response.error.length > 0, 'a failed plan says why');
    }
  }

  const map = await networkMap(workspace, uri);
  const { vnets, clusters } = map.addresses!;
  // The map draws at most so much, whatever the workspace holds: the layout's work is bounded by it.
  assert.ok(vnets.length <= MAX_DRAWN_VNETS && clusters.length <= MAX_DRAWN_CLUSTERS, `${vnets.length} VNets and ${clusters.length} clusters drawn`);
  assert.ok((map.policyGraph?.edges.length ?? 0) <= MAX_DRAWN_EDGES, `${map.policyGraph?.edges.length} policy graph edges drawn`);
  assert.ok((map.trafficPaths?.egress.length ?? 0) <= MAX_EGRESS_DIAGRAMS, `${map.trafficPaths?.egress.length} egress diagrams drawn`);
  for (const { uri: itemUri, range } of rangesIn(map)) {
    const itemText = textOf(workspace, itemUri);
    assert.ok(itemText !== undefined, `network map source in a file the workspace does not have: ${itemUri}`);
    assertRangeInside(range, itemText, 'network map source');
  }
  assert.doesNotThrow(() => JSON.stringify(map), 'the network map is plain JSON');
}

describe('fuzz: language service handlers', () => {
  let inputs: InputFile[] = [];
  let texts: string[] = [];
  before(async () => {
    await loadHclParser();
    inputs = await realInputs();
    texts = inputs.map((f) => f.text);
    // Compile elkjs (the network map's layout) once, so that its warm-up is not charged to the first input.
    const policies = inputs.find((f) => /kind: NetworkPolicy/.test(f.text) && /kind: Deployment/.test(f.text));
    if (policies) await networkMap(newWorkspace({ [policies.uri]: policies.text }));
  });

  it('serve mutated real files (with their folder) within bounds: ranges inside, fixes and plans apply cleanly', async (t) => {
    await runProperty(t, 110, fc.asyncProperty(fc.nat(), mutations, fc.integer({ min: 0, max: 3 }), probes, fc.option(planNumbers, { nil: undefined }), async (index, list, siblings, hovers, plan) => {
      const file = inputs[index % inputs.length]!;
      const files: Record<string, string> = { [file.uri]: mutateAll(file.text, list, texts) };
      for (const sibling of siblingsOf(inputs, file, siblings)) files[sibling.uri] = sibling.text;
      await checkEveryHandler(files, hovers, plan);
    }));
  });

  it('serve generated Bicep workspaces and YAML/JSON manifests', async (t) => {
    const generated = fc.oneof(
      bicepWorkspace.map((files) => Object.fromEntries(Object.entries(files).map(([name, text]) => [`file:///fuzz/${name}`, text]))),
      fc.array(manifestFile, { minLength: 1, maxLength: 3 }).map((list) => Object.fromEntries(list.map(({ name, text }, i) => [`file:///fuzz/${i}/${name}`, text]))),
    );
    await runProperty(t, 70, fc.asyncProperty(generated, fc.option(mutations, { nil: undefined }), probes, fc.option(planNumbers, { nil: undefined }), async (files, list, hovers, plan) => {
      if (list) {
        const [first] = Object.keys(files);
        files = { ...files, [first!]: mutateAll(files[first!]!, list, texts) };
      }
      await checkEveryHandler(files, hovers, plan);
    }));
  });
});
