// What the extension's own code may use, checked on its sources (server/src, client/src, client/webview) and
// package.json: no network, process or run-time compilation modules (save git, read-only, for `netlens flows --diff`
// and the map's Compare Policies with HEAD),
// worker threads only for the server's own reader and layout; no eval, Function constructor,
// or require/import of a computed name; no telemetry package or API; the server and CLI write no files; the
// client writes a file only where the user picked it in a save dialog, and changes files only through
// editor edits after asking. The run-time side of the same guarantees is test/protocol/sideEffects.test.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const REPO = path.join(import.meta.dirname, '..', '..');

function sources(folder: string): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name)) found.push({ file: path.relative(REPO, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(path.join(REPO, folder));
  return found;
}

/** The text without comments, so that a word in an explanation is not taken for code. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const SERVER = sources('server/src');
const CLIENT = [...sources('client/src'), ...sources('client/webview')];
const ALL = [...SERVER, ...CLIENT];

describe('source policy', () => {
  it('has sources to check', () => {
    assert.ok(SERVER.length > 50 && CLIENT.length > 3, `${SERVER.length} server and ${CLIENT.length} client files`);
  });

  it('imports no network, process or code-compiling module; worker threads only where the server starts its own threads', () => {
    const forbidden = /\b(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?(http|https|http2|net|tls|dgram|dns|child_process|cluster|worker_threads|vm|inspector)['"]/;
    const threads = /\b(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?worker_threads['"]/;
    // One module starts threads, each from a fixed file of the server's own bundle (its reader and its layout).
    const readerThreads = ['server/src/service/threadPool.ts'];
    // One module runs a process: git, read-only (rev-parse, ls-tree, cat-file), for `netlens flows --diff <revision>`
    // and, in the server, for Compare Policies with HEAD (service/gitBaseline.ts, only when the client asks).
    const gitRunner = 'server/src/cli/gitVersion.ts';
    const childProcess = /\b(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](?:node:)?child_process['"]/;
    for (const { file, text } of ALL) {
      if (readerThreads.includes(file)) assert.doesNotMatch(code(text).replace(threads, ''), forbidden, file);
      else if (file === gitRunner) assert.doesNotMatch(code(text).replace(childProcess, ''), forbidden, file);
      else assert.doesNotMatch(code(text), forbidden, file);
    }
    const runner = code(readFileSync(path.join(REPO, gitRunner), 'utf8'));
    const calls = [...runner.matchAll(/\b(spawn|spawnSync|exec|execSync|execFile|execFileSync|fork)\s*\(([^,)]*)/g)].map((m) => `${m[1]}(${m[2]}`);
    assert.ok(calls.length > 0 && calls.every((call) => /^(spawn|execFileSync)\('git'$/.test(call)), `${gitRunner} runs git alone, without a shell: ${calls.join('; ')}`);
    assert.doesNotMatch(runner, /\bshell\s*:/, gitRunner);
    assert.deepEqual(ALL.filter(({ text }) => /from\s+['"][./]*(?:cli\/)?gitVersion['"]/.test(code(text))).map(({ file }) => file).sort(), ['server/src/cli/flowsCommand.ts', 'server/src/service/gitBaseline.ts']);
    // The server reads HEAD only for a network map request that asks to compare with it.
    const serverShell = code(readFileSync(path.join(REPO, 'server', 'src', 'server.ts'), 'utf8'));
    assert.deepEqual([...serverShell.matchAll(/gitBaseline\.read\(/g)].length, 1);
    assert.match(serverShell, /const compare = params\?\.compareWith === 'HEAD' && \(view === undefined \|\| view === 'policies'\);/);
    assert.match(serverShell, /compare \? await gitBaseline\.read\(workspaceFolders\) : undefined/);
    assert.deepEqual(ALL.filter(({ text }) => threads.test(code(text))).map(({ file }) => file).sort(), readerThreads);
    const server = code(readFileSync(path.join(REPO, 'server', 'src', 'server.ts'), 'utf8'));
    assert.match(server, /ReaderPool\.create\(path\.join\(__dirname, 'readerWorker\.js'\)\)/);
    assert.match(server, /layOutOnThread\(path\.join\(__dirname, 'layoutWorker\.js'\)\)/);
    for (const { file, text } of ALL) assert.doesNotMatch(code(text), /\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon)\s*\(/, file);
  });

  it('evaluates no code: no eval, no Function constructor, no require or import of a computed name', () => {
    for (const { file, text } of ALL) {
      const body = code(text);
      assert.doesNotMatch(body, /\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(\s*['"`]/, file);
      for (const match of body.matchAll(/\b(require|import)\s*\(\s*([^)]*)\)/g)) {
        assert.match(match[2]!, /^['"][^'"]+['"]$/, `${file}: ${match[0]}`);
      }
    }
  });

  it('has no telemetry: no telemetry package, no telemetry API', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const packages = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    assert.deepEqual(packages.filter((name) => /telemetry|applicationinsights|analytics|sentry|segment|mixpanel|amplitude|opentelemetry/i.test(name)), []);
    for (const { file, text } of ALL) assert.doesNotMatch(code(text), /createTelemetryLogger|TelemetryReporter|telemetry\/event|applicationinsights/i, file);
  });

  it('declares full support for untrusted workspaces (it only reads), none for virtual ones (the server reads file: URIs)', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { capabilities?: unknown };
    assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: false });
  });

  it('the server and the CLI write, delete and rename no file', () => {
    for (const { file, text } of SERVER) {
      assert.doesNotMatch(code(text), /\b(writeFile|writeFileSync|appendFile|appendFileSync|mkdir|mkdirSync|mkdtemp|rm|rmSync|rmdir|unlink|unlinkSync|rename|renameSync|copyFile|cp|cpSync|truncate|createWriteStream|symlink|chmod)\s*\(/, file);
      assert.doesNotMatch(code(text), /\bopen(Sync)?\s*\([^)]*['"][wa]\+?['"]/, file);
    }
  });

  it('the client writes a file only where the user chose in a save dialog, and edits files only after asking', () => {
    const writes = CLIENT.flatMap(({ file, text }) => [...code(text).matchAll(/\bfs\.(writeFile|delete|rename|copy|createDirectory)\s*\(/g)].map((m) => `${file}: ${m[0]}`));
    assert.deepEqual(writes, ['client/src/networkMap.ts: fs.writeFile(']);
    const networkMap = code(readFileSync(path.join(REPO, 'client', 'src', 'networkMap.ts'), 'utf8'));
    const save = networkMap.slice(networkMap.indexOf('private async save('));
    assert.match(save, /const target = await vscode\.window\.showSaveDialog\([\s\S]*?\);\s*if \(!target\) return;\s*await vscode\.workspace\.fs\.writeFile\(target, content\);/);
    // Edits go through applyEdit (undoable, in the editor), each after the user picked "Apply" or "Record".
    for (const { file, text } of CLIENT) {
      const body = code(text);
      for (const match of body.matchAll(/vscode\.workspace\.applyEdit\(/g)) {
        const before = body.slice(Math.max(0, match.index! - 1500), match.index);
        assert.match(before, /const choice = await vscode\.window\.show(Information|Warning)Message\([\s\S]*if \(choice !== '[A-Z][a-z]+'\) return;/, `${file}: applyEdit without asking first`);
      }
    }
  });
});
