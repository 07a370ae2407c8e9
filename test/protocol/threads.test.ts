// The server's threads (server/src/service/threadPool.ts): the workspace scan's reader threads
// (service/readerPool.ts, dist/readerWorker.js) read what the server reads on its own thread, a thread that
// fails loses no file, and over real JSON-RPC a workspace read on threads is judged exactly as one read
// in-process; the layout thread (dist/layoutWorker.js) lays out a graph exactly as elkjs does in-process.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { checkPaths, formatJson } from '../../server/src/cli/check.ts';
import { canReadApart, isSupportedFile, readFile } from '../../server/src/readers/index.ts';
import { diagnosticsFor } from '../../server/src/service/diagnostics.ts';
import { type ElkNode, labelWidth, layOut } from '../../server/src/service/elkLayout.ts';
import { loadWithin } from '../../server/src/service/diskFiles.ts';
import { ReaderPool } from '../../server/src/service/readerPool.ts';
import { ThreadPool } from '../../server/src/service/threadPool.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { READ_APART_FROM } from '../../server/src/service/workspaceScan.ts';
import { LspClient, SERVER } from '../helpers/lspClient.ts';

const REPO = path.join(import.meta.dirname, '..', '..');
const WORKER = path.join(path.dirname(SERVER), 'readerWorker.js');

/** Every file under the folders that some reader handles. */
function networkFiles(...folders: string[]): { uri: string; text: string }[] {
  const found: { uri: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // Every file a reader takes, as the server's scan lists them (Terraform too).
      else if (isSupportedFile(entry.name)) found.push({ uri: pathToFileURL(full).href, text: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of folders) walk(folder);
  return found;
}

describe("the server's threads", () => {
  it('read every corpus, example and fixture file to the same facts as the main thread', async () => {
    const files = networkFiles(path.join(REPO, '..', 'shared', 'corpus'), path.join(REPO, 'examples'), path.join(REPO, 'test', 'fixtures')).filter((f) => canReadApart(f.uri));
    assert.ok(files.length > 200, `${files.length} files`);
    const pool = ReaderPool.create(WORKER, 2);
    assert.ok(pool, `no pool: is ${WORKER} built?`);
    try {
      const reads = await Promise.all(files.map((f) => pool.read(f.uri, f.text)));
      reads.forEach((read, i) => assert.deepStrictEqual(read, readFile(files[i]!.uri, files[i]!.text), files[i]!.uri));
    } finally {
      await pool.close();
    }
  });

  it('reject the reads of a thread that fails, so the scan reads those files itself; and the reads still waiting when closed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netlens-threads-'));
    const broken = path.join(dir, 'broken.js');
    writeFileSync(broken, "throw new Error('cannot start');\n");
    const failing = ReaderPool.create(broken, 2)!;
    await assert.rejects(failing.read('file:///a.yaml', 'kind: Service\n'), /thread failed: cannot start|no thread is running/);
    await failing.close();
    const pool = ReaderPool.create(WORKER, 2)!;
    const waiting = assert.rejects(pool.read('file:///b.yaml', 'kind: Service\n'), /closed/);
    await pool.close();
    await waiting;
    await assert.rejects(pool.read('file:///c.yaml', ''), /closed/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('no pool on one core, or without the bundled reader (the server run from source reads in-process)', () => {
    assert.equal(ReaderPool.create(WORKER, 1), undefined);
    assert.equal(ReaderPool.create(path.join(tmpdir(), 'no-such-reader.js'), 2), undefined);
  });

  it('over JSON-RPC: a workspace read on threads gets the diagnostics an in-process read gives', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'netlens-threads-ws-'));
    cpSync(path.join(REPO, 'examples'), path.join(root, 'examples'), { recursive: true });
    cpSync(path.join(REPO, 'test', 'fixtures'), path.join(root, 'fixtures'), { recursive: true });
    const files = networkFiles(root);
    assert.ok(files.length >= READ_APART_FROM, `${files.length} files: too few for the scan to use threads`);
    const expected = new Workspace(loadWithin(() => [root]));
    for (const { uri, text } of files) expected.setFile(uri, text);
    const docsBase = pathToFileURL(path.join(REPO, 'docs', 'rules')).href;
    const judged = files.map(({ uri }) => ({ uri, diagnostics: diagnosticsFor(expected, uri, docsBase) })).filter((f) => f.diagnostics.length > 0);
    assert.ok(judged.length > 20, `${judged.length} files with findings`);
    const client = new LspClient();
    try {
      await client.initialize(pathToFileURL(root).href);
      for (const { uri, diagnostics } of judged) {
        const got = await client.waitForDiagnostics(uri, (d) => d.length > 0, 30_000);
        assert.deepStrictEqual(got, diagnostics, uri);
      }
      const read = client.logs.find((m) => m.startsWith('Read '));
      assert.match(read ?? '', new RegExp(`^Read ${files.length} workspace file\\(s\\) in \\d+ ms \\(\\d+ on \\d+ reader threads\\)\\.$`), client.logs.join('\n'));
    } finally {
      await client.shutdown();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the built CLI reads many files on threads and finds what an in-process read finds', async () => {
    const corpus = path.join(REPO, '..', 'shared', 'corpus');
    const expected = await checkPaths([corpus], REPO, () => {});
    assert.ok(expected.files >= READ_APART_FROM && expected.findings.length > 50, `${expected.files} files, ${expected.findings.length} findings`);
    // Under the side-effects sentinel (test/helpers/sentinel.cjs), which notes the reader threads started.
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'netlens-cli-threads-')), 'sentinel.log');
    writeFileSync(log, '');
    const cli = spawnSync(process.execPath, ['--require', path.join(REPO, 'test', 'helpers', 'sentinel.cjs'), path.join(path.dirname(SERVER), 'cli.js'), 'check', '--format', 'json', corpus], {
      cwd: REPO,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, SENTINEL_LOG: log, SENTINEL_ALLOWED_DIR: path.dirname(SERVER) },
    });
    assert.equal(cli.status, 1, cli.stderr); // findings of error severity
    assert.equal(readFileSync(log, 'utf8'), '', 'side effects');
    assert.ok(readFileSync(`${log}.workers`, 'utf8').trim().split('\n').length >= 2, 'no reader threads started');
    rmSync(path.dirname(log), { recursive: true, force: true });
    const got = JSON.parse(cli.stdout) as { files: number; findings: unknown[] };
    assert.equal(got.files, expected.files);
    // As the CLI writes them (a finding in memory also carries its source line for the terminal).
    assert.deepStrictEqual(got.findings, (JSON.parse(formatJson(expected)) as { findings: unknown[] }).findings);
  });

  it('the layout thread lays out a graph as elkjs does on the main thread', async () => {
    const nodes = ['web', 'api', 'db', 'cache', 'queue'].map((id) => ({ id, width: labelWidth(id), height: 24 }));
    const edges = [['web', 'api'], ['api', 'db'], ['api', 'cache'], ['api', 'queue'], ['queue', 'db']].map(([from, to], i) => ({
      id: `e${i}`,
      sources: [from!],
      targets: [to!],
      labels: [{ text: `TCP ${8000 + i}`, width: labelWidth(`TCP ${8000 + i}`), height: 14 }],
    }));
    const graph = (): ElkNode => ({ id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }, children: structuredClone(nodes), edges: structuredClone(edges) });
    const thread = ThreadPool.create<ElkNode, ElkNode>(path.join(path.dirname(SERVER), 'layoutWorker.js'), 1);
    assert.ok(thread, 'dist/layoutWorker.js is built');
    try {
      const onThread = await thread.run(graph());
      assert.ok((onThread.children ?? []).every((node) => typeof node.x === 'number' && typeof node.y === 'number'));
      assert.deepStrictEqual(onThread, await layOut(graph()));
    } finally {
      await thread.close();
    }
  });
});
