// Enum-like fields are put in the REST API's casing once, when lowering: rules compare with ===, whatever a file wrote.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonical, NETWORK_PLUGIN, OS_TYPE } from '../../server/src/model/enums.ts';
import { known, unknown } from '../../server/src/model/source.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const at = { uri: 'file:///w/x', start: 0, end: 1 };

describe('canonical enum values', () => {
  it("maps a value written in any case onto the API's casing, keeping its source", () => {
    assert.deepEqual(canonical(NETWORK_PLUGIN, known('Kubenet', at)), known('kubenet', at));
    assert.deepEqual(canonical(OS_TYPE, known(' windows', at)), known('Windows', at));
  });

  it('keeps a value that is none of the enum (a typo, a newer value) and an unknown as they are', () => {
    assert.deepEqual(canonical(NETWORK_PLUGIN, known('kubnet', at)), known('kubnet', at));
    assert.deepEqual(canonical(NETWORK_PLUGIN, unknown('param without default', at)), unknown('param without default', at));
  });

  const rulesOn = (files: Record<string, string>) => {
    const workspace = new Workspace();
    for (const [name, text] of Object.entries(files)) workspace.setFile(`file:///w/${name}`, text);
    return workspace.analyze().findings.map((f) => f.rule).sort();
  };

  it('a cluster written in other cases gets the findings of the same cluster in the API casing, from Bicep and CAPZ YAML', () => {
    const bicep = (plugin: string, os: string) => `
resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    networkProfile: { networkPlugin: '${plugin}', podCidr: '10.244.0.0/16' }
    agentPoolProfiles: [ { name: 'win', count: 1, osType: '${os}', mode: 'User' } ]
  }
}`;
    const expected = rulesOn({ 'main.bicep': bicep('kubenet', 'Windows') });
    assert.ok(expected.includes('plugin-feature-unsupported'), 'a Windows pool on kubenet is reported');
    assert.deepEqual(rulesOn({ 'main.bicep': bicep('KUBENET', 'windows') }), expected);

    const capz = (plugin: string, os: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedControlPlane
metadata:
  name: c
spec:
  networkPlugin: ${plugin}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedMachinePool
metadata:
  name: c-win
  labels:
    cluster.x-k8s.io/cluster-name: c
spec:
  mode: User
  name: win
  osType: ${os}
`;
    const capzExpected = rulesOn({ 'capz.yaml': capz('kubenet', 'Windows') });
    assert.ok(capzExpected.includes('plugin-feature-unsupported'));
    assert.deepEqual(rulesOn({ 'capz.yaml': capz('Kubenet', 'WINDOWS') }), capzExpected);
  });
});
