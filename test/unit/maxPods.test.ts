// maxPods on static block pools: whole /28 blocks per node, so fixes and notes aim at 16n - 1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/service/workspace.ts';

function maxPodsFindings(maxPods: number, count: number, mode = 'StaticBlock') {
  const workspace = new Workspace();
  workspace.setFile(
    'file:///w/pool.yaml',
    `apiVersion: containerservice.azure.com/v1api20240901
kind: ManagedClustersAgentPool
metadata: { name: pool }
spec:
  owner: { name: aks }
  count: ${count}
  podIPAllocationMode: ${mode}
  maxPods: ${maxPods}
`,
  );
  return workspace
    .analyze()
    .findings.filter((f) => f.rule === 'max-pods-range')
    .map((f) => ({ severity: f.severity, message: f.message, fixes: (f.fixes ?? []).map((fix) => fix.edits[0]!.newText) }));
}

describe('max-pods-range on static block pools', () => {
  it('notes the unused addresses of the last block and offers the 16n - 1 values around it', () => {
    const [finding] = maxPodsFindings(32, 3);
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /3 \/28 block\(s\) \(48 addresses\) for maxPods 32 \+ 1, so 15 address\(es\) per node stay unused\. maxPods 47/);
    assert.deepEqual(finding!.fixes, ['47', '31']);
  });

  it('says nothing at 16n - 1, or in dynamic mode', () => {
    assert.deepEqual(maxPodsFindings(63, 3), []);
    assert.deepEqual(maxPodsFindings(32, 3, 'DynamicIndividual'), []);
  });

  it('fixes out-of-range values to a whole-block value inside the range', () => {
    assert.deepEqual(maxPodsFindings(300, 3)[0]!.fixes, ['239']);
    // One node must hold 30 pods: 31 is the first whole-block value that does.
    assert.deepEqual(maxPodsFindings(10, 1)[0]!.fixes, ['31']);
  });
});
