// Suppression comments and rule settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Workspace } from '../../server/src/service/workspace.ts';

const yaml = (pragma: string) => `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    serviceCidr: 10.0.0.0/16
${pragma}
    dnsServiceIP: 10.0.0.1
`;

const bicep = (pragma: string) => `resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks'
  properties: {
    networkProfile: {
      serviceCidr: '10.0.0.0/16'
${pragma}
      dnsServiceIP: '10.0.0.1'
    }
  }
}
`;

function rules(name: string, text: string, configure?: (w: Workspace) => void) {
  const workspace = new Workspace();
  configure?.(workspace);
  workspace.setFile(`file:///w/${name}`, text);
  return workspace.analyze().findings.map((f) => `${f.rule}:${f.severity}`);
}

describe('suppressions', () => {
  it('a comment on the line above silences the named rule only', () => {
    assert.deepEqual(rules('a.yaml', yaml('    # a comment')), ['dns-service-ip-first-address:error']);
    assert.deepEqual(rules('a.yaml', yaml('    # netlens-disable-next-line dns-service-ip-first-address')), []);
    assert.deepEqual(rules('a.yaml', yaml('    # netlens-disable-next-line subnet-overlap')), ['dns-service-ip-first-address:error']);
  });

  it('works in Bicep with our form and Bicep\'s own #disable-next-line, with a trailing reason', () => {
    assert.deepEqual(rules('a.bicep', bicep('      // nothing')), ['dns-service-ip-first-address:error']);
    assert.deepEqual(rules('a.bicep', bicep('      // netlens-disable-next-line dns-service-ip-first-address')), []);
    assert.deepEqual(rules('a.bicep', bicep('      #disable-next-line BCP036 dns-service-ip-first-address // legacy cluster')), []);
  });

  it('settings change a rule\'s severity or turn it off', () => {
    const text = yaml('');
    assert.deepEqual(rules('a.yaml', text, (w) => w.setRuleSettings(new Map([['dns-service-ip-first-address', 'warning']]))), [
      'dns-service-ip-first-address:warning',
    ]);
    assert.deepEqual(rules('a.yaml', text, (w) => w.setRuleSettings(new Map([['dns-service-ip-first-address', 'off']]))), []);
  });
});
