// Rule settings read from the client over workspace/configuration, and changed at run time.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../helpers/lspClient.ts';

const CLUSTER = `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks
spec:
  networkProfile:
    serviceCidr: 10.0.0.0/16
    dnsServiceIP: 10.0.0.1
    podCidr: 172.16.0.0/12
`;

describe('rule settings', () => {
  it('turns rules off and changes severities, also after a configuration change', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-settings-'));
    const client = new LspClient();
    client.settings = { aksNetworkLens: { rules: { 'reserved-range': 'off', 'dns-service-ip-first-address': 'warning' } } };
    try {
      await client.initialize(pathToFileURL(root).href);
      const uri = pathToFileURL(path.join(root, 'c.yaml')).href;
      await client.open(uri, CLUSTER);
      const first = await client.waitForDiagnostics(uri, (d) => d.length > 0);
      assert.deepEqual(first.map((d) => [d.code, d.severity]), [['dns-service-ip-first-address', 2]]);
      client.settings = { aksNetworkLens: { rules: {} } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const second = await client.waitForDiagnostics(uri, (d) => d.length === 2);
      assert.deepEqual(second.map((d) => [d.code, d.severity]).sort(), [['dns-service-ip-first-address', 1], ['reserved-range', 1]]);
    } finally {
      await client.shutdown();
    }
  });
});
