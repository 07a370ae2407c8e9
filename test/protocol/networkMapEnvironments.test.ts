// The network map request per environment, over real JSON-RPC on stdio: examples/environments (one template,
// dev.bicepparam and prod.bicepparam) read from disk by the built server's scan. Without an environment the map
// lists both and draws both deployments; with one, only that environment's subnet, cluster and demand.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { MapSubnet, NetworkMapData } from '../../server/src/service/networkMapData.ts';
import { LspClient } from '../helpers/lspClient.ts';

describe('network map request per environment (built server over stdio)', () => {
  let client: LspClient;
  let root: string;
  const uri = (file: string) => pathToFileURL(path.join(root, file)).href;
  const map = (params: Record<string, unknown>) => client.connection.sendRequest('aksNetworkLens/networkMap', params) as Promise<NetworkMapData>;
  const shopSubnets = (data: NetworkMapData): MapSubnet[] =>
    data.addresses!.vnets.filter((v) => v.name === 'vnet-shop').flatMap((v) => [...v.spaces.flatMap((s) => s.subnets), ...v.outside]);

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'netlens-map-environments-'));
    cpSync(path.join(import.meta.dirname, '..', '..', 'examples', 'environments'), root, { recursive: true });
    client = new LspClient();
    await client.initialize(pathToFileURL(root).href);
    // The scan is over once dev.bicepparam's too-small subnet is reported.
    await client.waitForDiagnostics(uri('dev.bicepparam'), (d) => d.some((x) => x.code === 'subnet-capacity'), 30_000);
  });

  after(async () => {
    await client.shutdown();
  });

  it('lists both environments and draws both deployments when none is picked', async () => {
    const all = await map({ uri: uri('main.bicep') });
    assert.deepEqual(all.environments, [
      { uri: uri('dev.bicepparam'), name: 'dev.bicepparam' },
      { uri: uri('prod.bicepparam'), name: 'prod.bicepparam' },
    ]);
    assert.equal(all.environment, undefined);
    assert.deepEqual(shopSubnets(all).map((s) => s.cidr).sort(), ['10.70.0.0/22', '10.70.0.0/26']);
    assert.deepEqual(all.addresses!.clusters.map((c) => c.environment).sort(), ['dev.bicepparam', 'prod.bicepparam']);
  });

  it("draws dev's world alone: its /26 with 124 addresses needed and the finding, its cluster", async () => {
    const dev = await map({ uri: uri('main.bicep'), environment: uri('dev.bicepparam') });
    assert.equal(dev.environment, uri('dev.bicepparam'));
    const subnets = shopSubnets(dev);
    assert.deepEqual(subnets.map((s) => [s.cidr, s.demand?.required, s.findings.map((f) => f.rule)]), [['10.70.0.0/26', 124, ['subnet-capacity']]]);
    assert.deepEqual(dev.addresses!.clusters.map((c) => `${c.name} ${c.environment}`), ['aks-shop dev.bicepparam']);
  });

  it("draws prod's world alone: its /22 with 341 addresses needed, no finding", async () => {
    const prod = await map({ uri: uri('main.bicep'), environment: uri('prod.bicepparam') });
    // (10 + 1) x 31 = 341 of 1,019 usable.
    assert.deepEqual(shopSubnets(prod).map((s) => [s.cidr, s.demand?.required, s.findings.length]), [['10.70.0.0/22', 341, 0]]);
    assert.deepEqual(prod.addresses!.clusters.map((c) => `${c.name} ${c.environment}`), ['aks-shop prod.bicepparam']);
  });

  it('answers an environment it does not have, or of the wrong type, with every environment', async () => {
    for (const environment of [uri('staging.bicepparam'), 42, null, ['x']]) {
      const data = await map({ uri: uri('main.bicep'), environment });
      assert.equal(data.environment, undefined, JSON.stringify(environment));
      assert.equal(shopSubnets(data).length, 2);
    }
  });
});
