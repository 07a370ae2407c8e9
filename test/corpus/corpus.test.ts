// The engine over every file of the shared corpus of real third-party configuration:
// nothing throws, every rule runs, and no finding points at a value the readers could not evaluate.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isPlaceholder } from '../../server/src/readers/yaml/yamlTree.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { findWorkspaceFiles } from '../../server/src/service/workspaceFiles.ts';

const CORPUS = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

describe('shared corpus', () => {
  it('is present next to the repository', () => {
    assert.ok(existsSync(CORPUS), `expected the corpus at ${CORPUS}`);
  });

  it('reads every file without an exception or a rule failure, and judges no unknown value', async () => {
    const workspace = new Workspace();
    const texts = new Map<string, string>();
    for await (const file of findWorkspaceFiles(CORPUS)) {
      const uri = pathToFileURL(file).href;
      const text = readFileSync(file, 'utf8');
      texts.set(uri, text);
      assert.doesNotThrow(() => workspace.setFile(uri, text), file);
    }
    assert.ok(texts.size > 150, `read ${texts.size} YAML files`);
    const analysis = workspace.analyze();
    assert.deepEqual(analysis.failures, []);
    // The readers found what the corpus holds (category B specs, category C manifests).
    assert.ok(analysis.model.clusters.length >= 10, `${analysis.model.clusters.length} clusters`);
    assert.ok(analysis.model.services.length >= 50, `${analysis.model.services.length} services`);
    assert.ok(analysis.model.policies.length >= 50, `${analysis.model.policies.length} network policies`);
    for (const finding of analysis.findings) {
      const written = texts.get(finding.source.uri)!.slice(finding.source.start, finding.source.end);
      assert.ok(!isPlaceholder(written), `finding on a placeholder: ${JSON.stringify(finding)}`);
    }
  });
});
