// The real-editor rows of `npm run bench`: packages the built extension, runs bench/realEditor.mjs (code-server +
// headless Chromium, in a child process) and turns its measures into table rows. Never fails the bench: a machine
// where the editor cannot be installed or started gets rows that say why.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..');
const OUT = path.join(ROOT, '.vscode-test', 'bench');
/** The bench's own .vsix, apart from the one `npm run package` writes (an e2e run may be using that one). */
const VSIX = path.join(OUT, 'aks-network-lens.vsix');
const SAMPLES = 3;
/** Installing code-server on a fresh clone takes 2-3 minutes; the measures about 15 s an attempt. */
const TIMEOUT_MS = 7 * 60 * 1000;

interface Activation {
  loadCode: number;
  callActivate: number;
  finishActivate: number;
  event: string;
}

interface Opened {
  text: number;
  squiggle: number;
}

interface EditorResult {
  activation: Activation[];
  /** ms from Quick Open's Enter to the file's text on screen and to its first squiggle. */
  open: { small: Opened[]; large: Opened[] };
  files: { small: { objects: number; bytes: number }; large: { objects: number; bytes: number } };
  failures: string[];
}

/** `vsce package` of the built dist/, as `npm run package` does, into the bench's folder. */
function packageExtension(): void {
  mkdirSync(OUT, { recursive: true });
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', VSIX], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Runs bench/realEditor.mjs; its progress goes to stderr. Resolves with its exit code (or the signal that ended it). */
function runChild(resultFile: string, label: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'realEditor.mjs'), VSIX, resultFile, String(SAMPLES), label], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => process.stderr.write(chunk));
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  // On timeout: SIGTERM lets the harness stop code-server and Chromium; SIGKILL if it does not exit.
  const timer = setTimeout(() => {
    process.stderr.write(`[bench editor] no result after ${TIMEOUT_MS / 60000} min: stopping it\n`);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  }, TIMEOUT_MS);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? String(code));
    }),
  );
}

/**
 * Processes the runs left behind (their arguments name the runs' temporary folders), killed by pid. The harness
 * stops them itself; this is for a child that had to be killed.
 */
function stopLeftovers(label: string): number {
  const pattern = `aks-e2e-${label}-`;
  const leftovers = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[2]!.includes(pattern))
    .map((match) => Number(match[1]));
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return leftovers.length;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const activationTotal = (a: Activation) => a.loadCode + a.callActivate + a.finishActivate;

function rowsOf(result: EditorResult, leftovers: number): string[][] {
  const samples = result.activation.length;
  const failed = result.failures.length ? `; ${result.failures.length} attempt(s) failed, e.g. ${result.failures[0]}` : '';
  const stopped = leftovers ? `; ${leftovers} leftover process(es) killed` : '';
  const best = result.activation.reduce((a, b) => (activationTotal(b) < activationTotal(a) ? b : a));
  // The window where the squiggle came first, with the time its text appeared in that same window.
  const fastest = (opened: Opened[]) => opened.reduce((a, b) => (b.squiggle < a.squiggle ? b : a));
  const small = fastest(result.open.small);
  const large = fastest(result.open.large);
  const fileSize = (f: { objects: number; bytes: number }) => `${f.objects.toLocaleString('en-US')} objects, ${(f.bytes / 1e6).toFixed(2)} MB`;
  return [
    [
      'Extension activation (real editor: code-server 1.139 + Chromium)',
      `examples/ workspace, fresh window, best of ${samples}`,
      ms(activationTotal(best)),
      `load code ${best.loadCode} ms + activate() ${best.callActivate} ms + until its promise resolved ${best.finishActivate} ms (${result.activation.map((a) => ms(activationTotal(a))).join(', ')})`,
      `VS Code's own times (Developer: Startup Performance); event ${best.event}; resolves once the server answered initialize${failed}${stopped}`,
    ],
    [
      'Open a YAML file to its first squiggle (real editor)',
      `${fileSize(result.files.small)} / ${fileSize(result.files.large)}`,
      `${ms(small.squiggle)} / ${ms(large.squiggle)}`,
      `its text on screen after ${ms(small.text)} / ${ms(large.text)} in the same window; best of ${samples} windows (${result.open.large.map((o) => ms(o.squiggle)).join(', ')} for the large file)`,
      'from Enter in Quick Open; files outside the workspace folder, new to the server (the scan did not read them)',
    ],
  ];
}

/** Measures in the real editor; rows that say why when it could not. */
export async function realEditor(): Promise<string[][]> {
  const label = `bench-editor-${process.pid}`;
  const resultFile = path.join(OUT, `result-${process.pid}.json`);
  const notMeasured = (why: string) => [
    ['Extension activation (real editor)', '', 'not measured', why, ''],
    ['Open a YAML file to its first squiggle (real editor)', '', 'not measured', why, ''],
  ];
  try {
    packageExtension();
    const packaged: string[] = ['Packaged .vsix', `${(statSync(VSIX).size / 1024).toFixed(0)} KB`, '', '', 'vsce package --no-dependencies (the bundles and docs)'];
    rmSync(resultFile, { force: true });
    const exit = await runChild(resultFile, label);
    const leftovers = stopLeftovers(label);
    if (!existsSync(resultFile)) return [packaged, ...notMeasured(`bench/realEditor.mjs ended (${exit}) without a result${leftovers ? `; ${leftovers} leftover process(es) killed` : ''}`)];
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as EditorResult;
    rmSync(resultFile, { force: true });
    if (result.activation.length === 0) return [packaged, ...notMeasured(`every attempt failed: ${result.failures.join('; ')}`)];
    return [packaged, ...rowsOf(result, leftovers)];
  } catch (error) {
    stopLeftovers(label);
    return notMeasured(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}
