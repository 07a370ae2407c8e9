// `netlens flows --diff`: against a folder (netpol-analyzer's diff suite in the shared corpus) and against git
// revisions of a small repository made for the test, through the command object (no build needed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flowsCommand } from '../../server/src/cli/flowsCommand.ts';
import { runCommand } from '../helpers/runCommand.ts';

const SUITE = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'np-guard__netpol-analyzer');

const run = (args: string[], cwd = SUITE) => runCommand(flowsCommand, args, cwd);

const expected = (dir1: string, dir2: string, format: string) =>
  readFileSync(path.join(SUITE, 'test_outputs', 'diff', `diff_between_${dir2}_and_${dir1}.${format}`), 'utf8').trim();

describe('netlens flows --diff <folder>', () => {
  it('prints netpol-analyzer\'s diff in txt (default), csv and md', async () => {
    const [dir1, dir2] = ['anp_banp_core_test', 'anp_np_banp_core_test'].reverse() as [string, string];
    for (const format of ['txt', 'csv', 'md']) {
      const args = format === 'txt' ? ['--diff', `tests/${dir1}`, `tests/${dir2}`] : ['--diff', `tests/${dir1}`, '--format', format, `tests/${dir2}`];
      const result = await run(args);
      assert.equal(result.code, 0, result.err);
      assert.equal(result.out.trim(), expected(dir1, dir2, format), format);
    }
  });

  it('prints nothing when the versions connect alike', async () => {
    const same = await run(['--diff', 'tests/semanticDiff-orig-topologies-no-policy', 'tests/semanticDiff-orig-topologies-policy-a']);
    assert.equal(same.code, 0);
    assert.equal(same.out, '');
  });

  it('--fail-on-change exits 1 when the diff lists a change, 0 when the versions connect alike', async () => {
    const changed = await run(['--diff', 'tests/anp_test_10', '--fail-on-change', 'tests/anp_test_10_swapping_rules']);
    assert.equal(changed.code, 1, changed.err);
    assert.notEqual(changed.out, '', 'the changes are printed as without the flag');
    const same = await run(['--fail-on-change', '--diff', 'tests/semanticDiff-orig-topologies-no-policy', 'tests/semanticDiff-orig-topologies-policy-a']);
    assert.equal(same.code, 0);
    const alone = await run(['--fail-on-change', 'tests/anp_test_10']);
    assert.equal(alone.code, 2);
    assert.match(alone.err, /--fail-on-change goes with --diff/);
  });

  it('refuses JSON and dot with a reason, and other formats', async () => {
    const json = await run(['--diff', 'tests/anp_test_10', '--format', 'json', 'tests/anp_test_10_swapping_rules']);
    assert.equal(json.code, 2);
    assert.match(json.err, /netpol-analyzer has no JSON diff format: use --format txt, csv or md/);
    assert.equal(json.out, '');
    const dot = await run(['--diff', 'tests/anp_test_10', '-f', 'dot', 'tests/anp_test_10_swapping_rules']);
    assert.equal(dot.code, 2);
    assert.match(dot.err, /unknown diff format 'dot': use txt, csv or md/);
  });

  it('needs paths to compare', async () => {
    const none = await run(['--diff', 'tests/anp_test_10']);
    assert.equal(none.code, 2);
    assert.match(none.err, /name at least one file or folder to compare/);
  });
});

const POD = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: ${name}
spec:
  containers:
  - name: main
    image: nginx
    ports:
    - containerPort: 8080
`;

const DENY_TO_DB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web
    ports:
    - port: 5432
`;

describe('netlens flows --diff <git revision>', () => {
  let repo = '';
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  before(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'netlens-diff-'));
    git('init', '-q', '-b', 'main');
    mkdirSync(path.join(repo, 'k8s'));
    writeFileSync(path.join(repo, 'k8s', 'web.yaml'), POD('web'));
    writeFileSync(path.join(repo, 'k8s', 'db.yaml'), POD('db'));
    git('add', '.');
    git('commit', '-q', '-m', 'open');
    git('checkout', '-q', '-b', 'feature');
    writeFileSync(path.join(repo, 'k8s', 'policy.yaml'), DENY_TO_DB);
    git('add', '.');
    git('commit', '-q', '-m', 'policy');
    // The working tree: a new workload, not committed.
    writeFileSync(path.join(repo, 'k8s', 'cache.yaml'), POD('cache'));
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('compares the working tree with HEAD, reading HEAD from git', async () => {
    const result = await run(['--diff', 'HEAD', 'k8s'], repo);
    assert.equal(result.code, 0, result.err);
    const lines = result.out.trim().split('\n');
    assert.equal(lines[0], 'Connectivity diff:');
    assert.ok(lines.length > 1);
    for (const line of lines.slice(1)) assert.match(line, /^diff-type: added, .*workloads-diff-info: workload .*shop\/cache\[Pod\].* added$/);
    // cache to web and back, both ways to the outside, and db to cache (db admits web alone).
    assert.equal(lines.length, 1 + 5, result.out);
    assert.ok(!result.out.includes('destination: shop/db[Pod]'), result.out);
    // The working tree is untouched: the new file is still there and nothing was checked out.
    assert.equal(git('status', '--porcelain').trim(), '?? k8s/cache.yaml');
  });

  it('compares with a branch, and with a path inside the repository from another folder', async () => {
    const result = await run(['--diff', 'main', '--format', 'csv', 'k8s/db.yaml', 'k8s/web.yaml', 'k8s/policy.yaml'], repo);
    assert.equal(result.code, 0, result.err);
    assert.match(result.err, /k8s\/policy\.yaml: not in main/);
    assert.equal(
      result.out,
      [
        'diff-type,source,destination,ref1,ref2,workloads-diff-info',
        'changed,shop/web[Pod],shop/db[Pod],All Connections,TCP 5432,',
        'removed,0.0.0.0-255.255.255.255[External],shop/db[Pod],All Connections,No Connections,',
        '',
      ].join('\n'),
    );
    const fromSub = await run(['--diff', 'main', '.'], path.join(repo, 'k8s'));
    assert.equal(fromSub.code, 0, fromSub.err);
    assert.match(fromSub.out, /diff-type: changed, source: shop\/web\[Pod\], destination: shop\/db\[Pod\], ref1: All Connections, ref2: TCP 5432/);
  });

  it('says so for a revision that does not exist, and outside a repository', async () => {
    const missing = await run(['--diff', 'no-such-branch', 'k8s'], repo);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /'no-such-branch' is neither a file or folder nor a revision of the git repository/);
    assert.equal(missing.out, '');
    const option = await run(['--diff', '--upload-pack=x', 'k8s'], repo);
    assert.equal(option.code, 2);
    const outside = mkdtempSync(path.join(os.tmpdir(), 'netlens-nogit-'));
    try {
      writeFileSync(path.join(outside, 'web.yaml'), POD('web'));
      const noRepo = await run(['--diff', 'HEAD', 'web.yaml'], outside);
      assert.equal(noRepo.code, 2);
      assert.match(noRepo.err, /web\.yaml: not in a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('treats a path the revision does not have as new', async () => {
    mkdirSync(path.join(repo, 'extra'));
    writeFileSync(path.join(repo, 'extra', 'one.yaml'), POD('one'));
    writeFileSync(path.join(repo, 'extra', 'two.yaml'), POD('two'));
    const result = await run(['--diff', 'HEAD', 'extra'], repo);
    assert.equal(result.code, 0, result.err);
    assert.match(result.err, /extra: not in HEAD; every connection it has is new/);
    assert.match(result.out, /diff-type: added, source: shop\/one\[Pod\], destination: shop\/two\[Pod\], ref1: No Connections, ref2: All Connections, workloads-diff-info: workload shop\/one\[Pod\] and shop\/two\[Pod\] added/);
  });
});
