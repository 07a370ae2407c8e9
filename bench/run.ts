// `npm run bench`: times the language server and its engine against the parsing floor and a peer, in one
// run, on deterministic inputs, at 1x, 4x and 16x sizes. Prints a table; BENCHMARKS.md records a run.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { allocate } from '../server/src/cidr/addressSpace.ts';
import { cidr, type Cidr } from '../server/src/cidr/cidr.ts';
import { FreeList } from '../server/src/cidr/freeList.ts';
import { parseBicep } from '../server/src/readers/bicep/parser.ts';
import { loadFromDisk } from '../server/src/service/diskFiles.ts';
import { Workspace } from '../server/src/service/workspace.ts';
import { LspClient } from '../test/helpers/lspClient.ts';
import { bicepFile, yamlWorkload } from './generate.ts';

const ROOT = path.join(import.meta.dirname, '..');
const CORPUS = path.join(ROOT, '..', 'shared', 'corpus');
const PEER = [process.execPath, path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'];
const SCALES = [1, 4, 16];
const rows: string[][] = [];

function row(...cells: (string | number)[]): void {
  rows.push(cells.map(String));
  console.error(cells.join(' | '));
}

/** Best of `runs` timings of `work`, in ms (the minimum is the least noisy estimate on a shared machine). */
async function time(work: () => unknown | Promise<unknown>, runs = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The exponent k in t ~ n^k fitted from the smallest and largest size. */
function exponent(times: number[]): string {
  const k = Math.log(times[times.length - 1]! / times[0]!) / Math.log(SCALES[SCALES.length - 1]! / SCALES[0]!);
  return k.toFixed(2);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** didOpen to publishDiagnostics over stdio, for a server command. */
async function coldOpen(command: string[] | undefined, text: string, uri: string): Promise<number> {
  const client = command ? new LspClient(command) : new LspClient();
  await client.initialize(null);
  const start = performance.now();
  await client.open(uri, text);
  await client.waitForDiagnostics(uri, () => true, 120000);
  const elapsed = performance.now() - start;
  await client.shutdown().catch(() => undefined);
  return elapsed;
}

async function yamlCold(): Promise<void> {
  const ours: number[] = [];
  const floor: number[] = [];
  for (const scale of SCALES) {
    const text = yamlWorkload(625 * scale);
    const uri = 'file:///bench/workload.yaml';
    floor.push(await time(() => parseAllDocuments(text)));
    ours.push(Math.min(await coldOpen(undefined, text, uri), await coldOpen(undefined, text, uri)));
    if (scale === 4) {
      const peer = await coldOpen(PEER, text, uri);
      row(
        'Cold YAML 2,500 objects',
        `${(text.length / 1e6).toFixed(2)} MB`,
        ms(ours[ours.length - 1]!),
        `floor ${ms(floor[floor.length - 1]!)} (x${(ours[ours.length - 1]! / floor[floor.length - 1]!).toFixed(2)})`,
        `yaml-language-server ${ms(peer)} (syntax only offline; x${(ours[ours.length - 1]! / peer).toFixed(2)})`,
      );
    }
  }
  row('Cold YAML scaling 1x/4x/16x', '625 / 2,500 / 10,000 objects', ours.map(ms).join(' / '), `exponent ${exponent(ours)}`, `floor exponent ${exponent(floor)}`);
}

async function editLatency(): Promise<void> {
  const text = yamlWorkload(2500);
  const uri = 'file:///bench/edits.yaml';
  const client = new LspClient();
  await client.initialize(null);
  await client.open(uri, text);
  await client.waitForDiagnostics(uri, () => true, 120000);
  const latencies: number[] = [];
  let current = text;
  for (let i = 0; i < 200; i++) {
    // Change one character of a comment-free spot: a digit of a node count, spread through the file.
    const at = current.indexOf('count: ', Math.floor((current.length * i) / 200)) + 'count: '.length;
    current = current.slice(0, at) + String((i % 9) + 1) + current.slice(at + 1);
    client.forget(uri);
    const start = performance.now();
    await client.change(uri, current, i + 2);
    await client.waitForDiagnostics(uri, () => true, 60000);
    latencies.push(performance.now() - start);
  }
  // Typing: each edit inserts a character, so every document after it moves.
  const typed: number[] = [];
  for (let i = 0; i < 200; i++) {
    const at = current.indexOf('count: ', Math.floor((current.length * i) / 200)) + 'count: '.length;
    current = current.slice(0, at) + String((i % 9) + 1) + current.slice(at);
    client.forget(uri);
    const start = performance.now();
    await client.change(uri, current, i + 202);
    await client.waitForDiagnostics(uri, () => true, 60000);
    typed.push(performance.now() - start);
  }
  await client.shutdown().catch(() => undefined);
  latencies.sort((a, b) => a - b);
  typed.sort((a, b) => a - b);
  row('Edit latency, 200 edits in 2,500 objects', 'each edit to diagnostics', `p50 ${ms(latencies[99]!)}`, `p95 ${ms(latencies[189]!)}`, 'includes the 150 ms debounce');
  row('  200 insertions (later documents move)', 'each edit to diagnostics', `p50 ${ms(typed[99]!)}`, `p95 ${ms(typed[189]!)}`, 'includes the 150 ms debounce');
}

function corpusBicep(): { file: string; text: string }[] {
  const files: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.bicep')) files.push({ file: full, text: readFileSync(full, 'utf8') });
    }
  };
  walk(CORPUS);
  return files;
}

async function bicep(): Promise<void> {
  const corpus = corpusBicep();
  const bytes = corpus.reduce((sum, f) => sum + f.text.length, 0);
  const corpusTime = await time(() => corpus.forEach((f) => parseBicep(f.text)), 5);
  const times: number[] = [];
  for (const scale of SCALES) {
    const text = bicepFile(250_000 * scale);
    times.push(await time(() => parseBicep(text)));
  }
  row('Bicep parse, corpus', `${corpus.length} files, ${(bytes / 1e6).toFixed(2)} MB`, ms(corpusTime), `${(bytes / 1e6 / (corpusTime / 1000)).toFixed(1)} MB/s`, 'goal >= 10 MB/s');
  row('Bicep parse, generated 0.25/1/4 MB', '', times.map(ms).join(' / '), `${(1 / (times[1]! / 1000)).toFixed(1)} MB/s at 1 MB`, `exponent ${exponent(times)}`);
  const main = path.join(CORPUS, 'Azure__AKS-Construction', 'bicep', 'main.bicep');
  const analysis = await time(() => {
    const workspace = new Workspace(loadFromDisk);
    workspace.setFile(pathToFileURL(main).href, readFileSync(main, 'utf8'));
    workspace.analyze();
  });
  row('Bicep full analysis', 'AKS-Construction main.bicep + modules', ms(analysis), 'parse, evaluate, lower, all rules', '');
  const evalTimes: number[] = [];
  for (const scale of SCALES) {
    const text = bicepFile(100_000 * scale);
    evalTimes.push(
      await time(() => {
        const workspace = new Workspace();
        workspace.setFile('file:///bench/main.bicep', text);
        workspace.analyze();
      }),
    );
  }
  row('Bicep analysis scaling 0.1/0.4/1.6 MB', '', evalTimes.map(ms).join(' / '), `exponent ${exponent(evalTimes)}`, '');
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function workspaceIndex(): Promise<void> {
  const times: number[] = [];
  let rss = 0;
  let change = 0;
  for (const scale of SCALES) {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-bench-'));
    const files = Math.round(62.5 * scale);
    for (let i = 0; i < files; i++) {
      const dir = path.join(root, `team${i % 20}`);
      mkdirSync(dir, { recursive: true });
      if (i % 4 === 3) writeFileSync(path.join(dir, `infra${i}.bicep`), bicepFile(8_000, i));
      else writeFileSync(path.join(dir, `manifests${i}.yaml`), yamlWorkload(50, i));
    }
    // One planted mistake, so that the end of the first analysis shows as a publication for this file.
    const probeFile = path.join(root, 'team0', 'manifests0.yaml');
    writeFileSync(probeFile, `${readFileSync(probeFile, 'utf8')}---\napiVersion: containerservice.azure.com/v20250801\nkind: ManagedCluster\nmetadata:\n  name: probe\nspec:\n  networkProfile:\n    serviceCidr: 10.0.0.0/8\n`);
    const client = new LspClient();
    const start = performance.now();
    await client.initialize(pathToFileURL(root).href);
    for (let waited = 0; !client.logs.some((m) => m.startsWith('Read ')) && waited < 300000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The first publication follows the scan once the model is analysed.
    await client.waitForDiagnostics(pathToFileURL(probeFile).href, (d) => d.length > 0, 300000);
    times.push(performance.now() - start);
    if (scale === 16) {
      rss = rssOf(client.process.pid!);
      const target = path.join(root, 'team1', 'manifests1.yaml');
      // A second planted mistake, written to disk while the server runs.
      writeFileSync(target, `${readFileSync(target, 'utf8')}---\napiVersion: containerservice.azure.com/v20250801\nkind: ManagedCluster\nmetadata:\n  name: bad\nspec:\n  networkProfile:\n    serviceCidr: 10.0.0.0/8\n`);
      const uri = pathToFileURL(target).href;
      const changed = performance.now();
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'service-cidr-too-large'), 300000);
      change = performance.now() - changed;
      const size = readdirSync(root).reduce((sum, dir) => sum + readdirSync(path.join(root, dir)).reduce((s, f) => s + statSync(path.join(root, dir, f)).size, 0), 0);
      // The scan alone (the server's own log), and the parsing floor of the same files in this process.
      const scan = Number(/in (\d+) ms/.exec(client.logs.find((m) => m.startsWith('Read ')) ?? '')?.[1] ?? NaN);
      const texts = readdirSync(root).flatMap((dir) => readdirSync(path.join(root, dir)).map((f) => ({ f, text: readFileSync(path.join(root, dir, f), 'utf8') })));
      const floor = await time(() => texts.forEach(({ f, text }) => (f.endsWith('.bicep') ? parseBicep(text) : parseAllDocuments(text))), 2);
      const total = times[times.length - 1]!;
      row('Workspace cold index', `${files} files, ${(size / 1e6).toFixed(1)} MB`, ms(total), `server RSS ${rss.toFixed(0)} MB; scan ${ms(scan)}`, `parse floor ${ms(floor)} (x${(total / floor).toFixed(2)}); goal < 3 s, < 250 MB`);
      row('File change on disk to cross-file diagnostics', `${files} files`, ms(change), '', '');
    }
    await client.shutdown().catch(() => undefined);
  }
  row('Workspace index scaling', '62/250/1,000 files', times.map(ms).join(' / '), `exponent ${exponent(times)}`, '');
}

async function planner(): Promise<void> {
  const times: number[] = [];
  const stateless: number[] = [];
  for (const scale of SCALES) {
    const avoid: Cidr[] = [];
    for (let i = 0; i < 31 * scale; i++) avoid.push({ family: 4, network: cidr('10.0.0.0/8').network + BigInt(i) * 32768n, prefix: 21 });
    // The planner keeps the free list between allocations (cidr/freeList.ts).
    times.push(
      await time(() => {
        const free = new FreeList(cidr('10.0.0.0/8'), avoid);
        for (let i = 0; i < 62 * scale; i++) free.allocate(24 + (i % 4));
      }),
    );
    // The same allocations with the stateless allocate, which recomputes the free gaps for every block.
    stateless.push(
      await time(() => {
        const used = [...avoid];
        for (let i = 0; i < 62 * scale; i++) {
          const block = allocate(cidr('10.0.0.0/8'), 24 + (i % 4), used);
          if (block) used.push(block);
        }
      }, 1),
    );
  }
  row('Planner: allocate 1,000 subnets in a /8 around 500 ranges', '62..1,000 subnets', times.map(ms).join(' / '), `exponent ${exponent(times)}`, 'goal < 100 ms at 1,000');
  row('  (stateless allocate, gaps recomputed per block)', '62..1,000 subnets', stateless.map(ms).join(' / '), `exponent ${exponent(stateless)}`, `x${(stateless[2]! / times[2]!).toFixed(0)} the free list at 1,000`);
}

function bundles(): void {
  for (const name of ['client.js', 'server.js', 'cli.js', 'elk.js']) {
    const file = path.join(ROOT, 'dist', name);
    row(`Bundle dist/${name}`, `${(statSync(file).size / 1024).toFixed(0)} KB`, '', '', '');
  }
}

async function main(): Promise<void> {
  console.error('Benchmarks: best of several runs, same machine, same run.');
  await yamlCold();
  await editLatency();
  await bicep();
  await workspaceIndex();
  await planner();
  bundles();
  printTable();
}

function printTable(): void {
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
const header = ['Measure', 'Input', 'Time', 'Ratio / rate', 'Note'];
console.log(`| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
}

void main();
