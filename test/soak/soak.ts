// Soak test (`npm run soak`, not part of `npm test`): a real language server over stdio on a generated
// 1,000-file workspace, driven for a few minutes with what an editor does all day: open a file, type into
// it, hover, ask for code actions, look at the network map, close it, change files on disk. Every request
// must be answered, and the server's memory must stay flat: its resident size in the last third of the run
// may exceed the first third (after a warm-up) by at most 25%.
//   node --import tsx test/soak/soak.ts [--minutes 3] [--files 1000]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { bicepFile, random, yamlWorkload } from '../../bench/generate.ts';
import { LspClient } from '../helpers/lspClient.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '3' }, files: { type: 'string', default: '1000' } } });
const MINUTES = Number(values.minutes);
const FILES = Number(values.files);
const REQUEST_TIMEOUT_MS = 20_000;
const ALLOWED_GROWTH = 1.25;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A request that must be answered in time. */
async function answered<T>(what: string, request: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} was not answered within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<number> {
  const root = mkdtempSync(path.join(tmpdir(), 'netlens-soak-'));
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, `team${i % 20}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, i % 4 === 3 ? `infra${i}.bicep` : `manifests${i}.yaml`);
    writeFileSync(file, i % 4 === 3 ? bicepFile(8_000, i) : yamlWorkload(50, i));
    files.push(file);
  }
  const client = new LspClient();
  const pid = client.process.pid!;
  const rnd = random(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const samples: { at: number; rss: number }[] = [];
  let operations = 0;
  let requests = 0;
  const started = Date.now();
  try {
    await answered('initialize', client.initialize(pathToFileURL(root).href));
    for (let waited = 0; !client.logs.some((m) => m.startsWith('Read ')) && waited < 300_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    console.log(`indexed ${FILES} files in ${((Date.now() - started) / 1000).toFixed(1)} s; soaking for ${MINUTES} min`);
    const end = Date.now() + MINUTES * 60_000;
    let nextSample = Date.now();
    let version = 1;
    while (Date.now() < end) {
      const file = pick(files);
      const uri = pathToFileURL(file).href;
      let text = readFileSync(file, 'utf8');
      const lines = () => text.split('\n');
      await client.open(uri, text, ++version);
      for (let edit = 0; edit < 5; edit++) {
        // Type a comment line somewhere, as a user would, then look at what the editor asks for.
        const all = lines();
        const at = Math.floor(rnd() * all.length);
        all.splice(at, 0, file.endsWith('.bicep') ? `// note ${operations}` : `# note ${operations}`);
        text = all.join('\n');
        await client.change(uri, text, ++version);
        const line = Math.floor(rnd() * all.length);
        await answered('hover', client.hover(uri, line, Math.floor(rnd() * Math.max(1, all[line]!.length))));
        await answered(
          'codeAction',
          client.connection.sendRequest('textDocument/codeAction', {
            textDocument: { uri },
            range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
            context: { diagnostics: [] },
          }),
        );
        requests += 2;
      }
      if (operations % 10 === 0) {
        await answered('networkMap', client.connection.sendRequest('aksNetworkLens/networkMap', { uri }));
        requests += 1;
      }
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      if (operations % 7 === 0) {
        // A file changed on disk (a pull, a generator) while the server runs.
        const other = pick(files);
        writeFileSync(other, `${readFileSync(other, 'utf8')}\n${other.endsWith('.bicep') ? '//' : '#'} touched ${operations}\n`);
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(other).href, type: 2 }] });
      }
      operations += 1;
      if (Date.now() >= nextSample) {
        samples.push({ at: (Date.now() - started) / 1000, rss: rssMb(pid) });
        nextSample = Date.now() + 5_000;
      }
    }
  } finally {
    await client.shutdown().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
  // The first sample is taken right after indexing; the first quarter of the run is the warm-up.
  const warm = samples.filter((s) => s.at >= samples[samples.length - 1]!.at / 4);
  const third = Math.max(1, Math.floor(warm.length / 3));
  const early = median(warm.slice(0, third).map((s) => s.rss));
  const late = median(warm.slice(-third).map((s) => s.rss));
  console.log('time (s)  server RSS (MB)');
  for (const s of samples) console.log(`${s.at.toFixed(0).padStart(8)}  ${s.rss.toFixed(0)}`);
  console.log(`${operations} open/edit/close cycles, ${requests} requests, all answered; RSS ${early.toFixed(0)} MB early, ${late.toFixed(0)} MB late (x${(late / early).toFixed(2)})`);
  if (late > early * ALLOWED_GROWTH) {
    console.error(`FAIL: server memory grew by more than ${Math.round((ALLOWED_GROWTH - 1) * 100)}% over the run`);
    return 1;
  }
  console.log('PASS: memory flat, every request answered');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`FAIL: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
