// Inlay hints after CIDRs and code lenses above used subnets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeLensesFor, inlayHintsFor } from '../../server/src/service/lenses.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const TEXT = `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes
spec:
  owner:
    name: vnet
  addressPrefix: 10.30.0.0/22
---
apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    networkPlugin: azure
    serviceCidr: 10.0.0.0/16
  agentPoolProfiles:
    - name: system
      count: 20
      maxPods: 30
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/nodes
`;

describe('inlay hints and code lenses', () => {
  const workspace = new Workspace();
  workspace.setFile('file:///w/a.yaml', TEXT);
  const whole = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

  it('show the size after each CIDR: usable for subnets, total for cluster ranges', () => {
    const hints = inlayHintsFor(workspace, 'file:///w/a.yaml', whole);
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.label]),
      [
        [7, '/22 · 1,019 usable'],
        [16, '/16 · 65,536 addresses'],
      ],
    );
    assert.deepEqual(inlayHintsFor(workspace, 'file:///w/a.yaml', { start: { line: 10, character: 0 }, end: { line: 12, character: 0 } }), []);
  });

  it('show the utilisation above a subnet a cluster uses', () => {
    const lenses = codeLensesFor(workspace, 'file:///w/a.yaml');
    // (20 + 1) x 31 = 651 of 1,019
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [
      [9, 'cluster aks: subnet capacity checked'],
      [7, 'subnet nodes: 651 addresses needed of 1,019 usable (64%)'],
    ]);
  });

  it('say above a cluster why its subnet capacity is not checked', () => {
    const managed = new Workspace();
    managed.setFile(
      'file:///w/c.yaml',
      'apiVersion: containerservice.azure.com/v1api20240901\nkind: ManagedCluster\nmetadata: { name: aks-m }\nspec:\n  networkProfile: { networkPlugin: azure }\n  agentPoolProfiles: [{ name: sys, count: 3 }]\n',
    );
    assert.deepEqual(
      codeLensesFor(managed, 'file:///w/c.yaml').map((l) => [l.range.start.line, l.command?.title]),
      [[0, 'cluster aks-m: subnet capacity not checked: AKS-managed virtual network: no pool names a subnet, so AKS creates and sizes it']],
    );
  });
});
