// `netlens flows`: formats, exit codes and warnings, through the command object (no build needed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { flowsCommand } from '../../server/src/cli/flowsCommand.ts';
import { runCommand } from '../helpers/runCommand.ts';

const CASES = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'np-guard__netpol-analyzer');

const run = (args: string[], cwd = CASES) => runCommand(flowsCommand, args, cwd);

const expected = (name: string, format: 'txt' | 'json') =>
  readFileSync(path.join(CASES, 'test_outputs', 'connlist', `${name}_connlist_output.${format}`), 'utf8').trim();

describe('netlens flows', () => {
  it('prints the connection list as text (default) and JSON', async () => {
    const text = await run(['tests/acs-security-demos']);
    assert.equal(text.code, 0);
    assert.equal(text.err, '');
    assert.equal(text.out.trim(), expected('acs-security-demos', 'txt'));
    const json = await run(['--format', 'json', 'tests/acs-security-demos']);
    assert.equal(json.out.trim(), expected('acs-security-demos', 'json'));
  });

  it('prints an empty list as nothing, or []', async () => {
    assert.equal((await run(['tests/acs_security_frontend_demos'])).out, '');
    assert.equal((await run(['-f', 'json', 'tests/acs_security_frontend_demos'])).out, '[]\n');
  });

  it('prints a Graphviz digraph', async () => {
    const dot = await run(['--format', 'dot', 'tests/one_ingress_multiple_ports']);
    assert.equal(dot.code, 0);
    assert.match(dot.out, /^digraph flows \{\n/);
    assert.match(dot.out, /"\{ingress-controller\}" -> "ingressworld\/ingress-world-multiple-ports\[Deployment\]" \[label="TCP 8000,8090"\];/);
  });

  it('exits 2 on usage and I/O errors', async () => {
    assert.equal((await run([])).code, 2);
    const badFormat = await run(['--format', 'csv', 'tests']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.err, /unknown format 'csv'/);
    const missing = await run(['no/such/folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no\/such\/folder: no such file or folder/);
  });
});
