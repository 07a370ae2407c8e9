// The `netlens` npm package as a user gets it: laid out by scripts/pack-cli.mjs from the built bundles, packed with
// `npm pack`, installed from the tarball into an empty folder with no network (no dependencies: all is bundled), and
// run: check, plan, flows and explain give what the repository's own build gives.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

const ROOT = path.join(import.meta.dirname, '..', '..');
const ROOT_MANIFEST = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The environment without the npm_* variables of an enclosing `npm test`, so npm behaves as in a user's shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

const FLOWS_FIXTURE = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [ { name: web, image: nginx } ] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } }, spec: { containers: [ { name: api, image: nginx } ] } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-from-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Ingress, Egress]
  ingress: [ { from: [ { podSelector: { matchLabels: { app: web } } } ], ports: [ { port: 8080, protocol: TCP } ] } ]
`;

describe('the netlens npm package', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'netlens-package-'));
  let tarball = '';
  let packed: string[] = [];
  let bin = '';

  before(() => {
    const stage = path.join(work, 'stage');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'pack-cli.mjs'), stage], { env: cleanEnv() });
    const pack = JSON.parse(execFileSync(NPM, ['pack', '--json', '--pack-destination', work], { cwd: stage, env: cleanEnv(), encoding: 'utf8' })) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = path.join(work, pack[0]!.filename);
    packed = pack[0]!.files.map((file) => file.path).sort();
    const project = path.join(work, 'project');
    mkdirSync(project);
    execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, env: cleanEnv(), encoding: 'utf8' });
    bin = path.join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'netlens.cmd' : 'netlens');
  });

  /** The installed command (through npm's bin link, as npx runs it) and the repository's build, side by side. */
  const installed = (args: string[], cwd = ROOT) => spawnSync(bin, args, { cwd, encoding: 'utf8', env: cleanEnv() });
  const built = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8' });

  it('holds only the bundles, rule pages, schemas, README, licence and manifest', () => {
    const docs = readdirSync(path.join(ROOT, 'docs', 'rules')).filter((name) => name.endsWith('.md')).map((name) => `docs/rules/${name}`);
    const schemas = readdirSync(path.join(ROOT, 'schemas')).filter((name) => name.endsWith('.json')).map((name) => `schemas/${name}`);
    assert.ok(docs.length > 30 && schemas.includes('schemas/aksnetlens.schema.json'));
    assert.deepEqual(packed, ['LICENSE', 'README.md', 'dist/cli.js', 'dist/readerWorker.js', 'dist/tree-sitter-terraform.wasm', 'dist/web-tree-sitter.wasm', ...docs, ...schemas, 'package.json'].sort());
    assert.equal(path.basename(tarball), `netlens-${ROOT_MANIFEST.version}.tgz`);
  });

  it('has the repository version, a bin and no dependencies at all', () => {
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(bin), '..', 'netlens', 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'netlens');
    assert.equal(manifest.version, ROOT_MANIFEST.version);
    assert.equal(manifest.license, ROOT_MANIFEST.license);
    assert.deepEqual(manifest.bin, { netlens: 'dist/cli.js' });
    for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies', 'scripts']) assert.equal(manifest[key], undefined, key);
    assert.equal(readdirSync(path.join(path.dirname(bin), '..')).filter((name) => !name.startsWith('.')).join(), 'netlens');
    const version = installed(['--version']);
    assert.equal(version.stdout, `${ROOT_MANIFEST.version}\n`, version.stderr);
  });

  it('runs check on the examples as the repository build does, in every format', () => {
    for (const format of ['json', 'text', 'github']) {
      const [mine, reference] = [installed(['check', '--format', format, 'examples/']), built(['check', '--format', format, 'examples/'])];
      assert.equal(mine.status, 1, mine.stderr);
      assert.equal(mine.stdout, reference.stdout, format);
    }
    assert.equal((JSON.parse(installed(['check', '--format', 'json', 'examples/']).stdout) as { findings: unknown[] }).findings.length, 16);
  });

  it('writes SARIF whose rules carry the installed rule pages', () => {
    const sarif = JSON.parse(installed(['check', '--format', 'sarif', 'examples/staging']).stdout);
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'subnet-overlap');
    assert.match(rule.helpUri, /\/node_modules\/netlens\/docs\/rules\/subnet-overlap\.md$/);
    assert.equal(rule.help.markdown, readFileSync(path.join(ROOT, 'docs', 'rules', 'subnet-overlap.md'), 'utf8'));
    assert.match(rule.fullDescription.text, /^Two subnets of the same virtual network share addresses/);
  });

  it('runs plan, flows and explain', () => {
    const plan = installed(['plan', '--mode', 'azure-cni', '--nodes', '50', '--max-pods', '30', '--within', '10.50.0.0/16', '--format', 'json']);
    assert.equal(plan.status, 0, plan.stderr);
    assert.equal(plan.stdout, built(['plan', '--mode', 'azure-cni', '--nodes', '50', '--max-pods', '30', '--within', '10.50.0.0/16', '--format', 'json']).stdout);
    assert.ok(JSON.parse(plan.stdout));

    const manifests = path.join(work, 'manifests');
    mkdirSync(manifests, { recursive: true });
    writeFileSync(path.join(manifests, 'app.yaml'), FLOWS_FIXTURE);
    const flows = installed(['flows', manifests]);
    assert.equal(flows.status, 0, flows.stderr);
    assert.match(flows.stdout, /^shop\/web\[Deployment\] => shop\/api\[Deployment\] : TCP 8080$/m);

    const explain = installed(['explain', '--format', 'json', 'examples/']);
    assert.equal(explain.status, 0, explain.stderr);
    assert.equal(explain.stdout, built(['explain', '--format', 'json', 'examples/']).stdout);
    assert.ok((JSON.parse(explain.stdout) as { clusters: unknown[] }).clusters.length > 0);
  });

  it('reads a large workspace on its reader threads (the worker bundle is in the package)', () => {
    const many = path.join(work, 'many');
    mkdirSync(many, { recursive: true });
    // Past the count from which files are read on threads (READ_APART_FROM), each with one planted invalid CIDR.
    for (let i = 0; i < 80; i++) {
      writeFileSync(path.join(many, `subnet-${i}.yaml`), `apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: s${i}\nspec:\n  addressPrefix: 10.${i}.0.0/33\n`);
    }
    const run = installed(['check', '--format', 'json', many]);
    assert.equal(run.status, 1, run.stderr);
    const findings = (JSON.parse(run.stdout) as { findings: { rule: string }[] }).findings;
    assert.deepEqual([...new Set(findings.map((f) => f.rule))], ['invalid-cidr']);
    assert.equal(findings.length, 80);
  });
});
