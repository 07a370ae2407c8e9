// `netlens check`'s output for people and CI logs: source excerpts with carets, colours (TTY, NO_COLOR, FORCE_COLOR),
// the summary per rule, --quiet, --format github annotations and --fail-on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { CheckedFinding, CheckResult } from '../../server/src/cli/check.ts';
import { colorEnabled, formatGithub, formatText } from '../../server/src/cli/terminal.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function netlens(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const clean = { ...process.env };
  delete clean.NO_COLOR;
  delete clean.FORCE_COLOR;
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...clean, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const at = (line: number, start: number, endLine: number, end: number) => ({ start: { line, character: start }, end: { line: endLine, character: end } });

function finding(partial: Partial<CheckedFinding> & Pick<CheckedFinding, 'rule' | 'severity' | 'range'>): CheckedFinding {
  return { file: path.join('infra', 'net.yaml'), message: 'Something is wrong.', ...partial };
}

const RESULT: CheckResult = {
  files: 2,
  ioErrors: [],
  findings: [
    finding({ rule: 'subnet-overlap', severity: 'error', range: at(9, 17, 9, 29), lineText: '  addressPrefix: 10.10.8.0/24 # x', text: '10.10.8.0/24' }),
    // A tab before the range: the caret line keeps the tab so it lines up in any terminal.
    finding({ rule: 'cidr-host-bits', severity: 'warning', range: at(11, 2, 11, 5), lineText: '\t- 10.1', text: '10.' }),
    // A range over two lines: carets to the end of the first.
    finding({ rule: 'subnet-overlap', severity: 'error', range: at(99, 3, 100, 1), lineText: 'a: {b', text: '{b\n}' }),
    // No source text (a file not read): the location line alone.
    finding({ file: 'huge.yaml', rule: 'file-not-read', severity: 'info', range: at(0, 0, 0, 0), message: 'File skipped.' }),
  ],
};

describe('netlens check text output', () => {
  it('shows each finding with its source line and a caret under the range, then a summary per rule and the totals', () => {
    const file = path.join('infra', 'net.yaml');
    assert.equal(
      formatText(RESULT),
      [
        `${file}:10:18: error subnet-overlap: Something is wrong.`,
        '  10 |   addressPrefix: 10.10.8.0/24 # x',
        '     |                  ^^^^^^^^^^^^',
        '',
        `${file}:12:3: warning cidr-host-bits: Something is wrong.`,
        '  12 | \t- 10.1',
        '     | \t ^^^',
        '',
        `${file}:100:4: error subnet-overlap: Something is wrong.`,
        '  100 | a: {b',
        '      |    ^^',
        '',
        'huge.yaml:1:1: info file-not-read: File skipped.',
        'Findings per rule:',
        '  subnet-overlap  2: 2 error(s)',
        '  cidr-host-bits  1: 1 warning(s)',
        '  file-not-read   1: 1 info',
        '2 file(s) checked: 2 error(s), 1 warning(s), 1 info.',
        '',
      ].join('\n'),
    );
  });

  it('puts one caret under an empty range', () => {
    const text = formatText({ files: 1, ioErrors: [], findings: [finding({ rule: 'yaml-syntax', severity: 'error', range: at(0, 3, 0, 3), lineText: 'a: [' })] });
    assert.match(text, /\n {2}1 \| a: \[\n {4}\| {4}\^\n/);
  });

  it('--quiet keeps one line per finding and drops excerpts and summaries; a clean run prints nothing', () => {
    assert.equal(formatText(RESULT, { quiet: true }).split('\n').length, RESULT.findings.length + 1);
    assert.equal(formatText({ files: 3, ioErrors: [], findings: [] }, { quiet: true }), '');
    assert.equal(formatText({ files: 3, ioErrors: [], findings: [] }), '3 file(s) checked: 0 error(s), 0 warning(s), 0 info.\n');
  });

  it('colours severity, location, rule and carets only when asked', () => {
    const coloured = formatText(RESULT, { color: true });
    assert.match(coloured, /\u001b\[1m[^\u001b]*net\.yaml:10:18\u001b\[0m: \u001b\[31m\u001b\[1merror\u001b\[0m \u001b\[2msubnet-overlap\u001b\[0m/);
    assert.match(coloured, /\u001b\[33m\u001b\[1m\^\^\^\u001b\[0m/);
    assert.match(coloured, /\u001b\[34m\u001b\[1minfo\u001b\[0m/);
    // Without the codes, the same text.
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), formatText(RESULT));
    assert.doesNotMatch(formatText(RESULT), /\u001b/);
  });

  it('decides colours from the terminal, NO_COLOR and FORCE_COLOR', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, hasColors: () => true });
    const pipe = new PassThrough();
    assert.equal(colorEnabled(tty, {}), true);
    assert.equal(colorEnabled(pipe, {}), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count (no-color.org)');
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: '0' }), false);
    assert.equal(colorEnabled(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
    assert.equal(colorEnabled(Object.assign(new PassThrough(), { isTTY: true, hasColors: () => false }), {}), false);
  });

  it('the CLI: source lines and carets on the examples, colours only when forced, NO_COLOR winning', () => {
    const plain = netlens(['check', 'examples/staging/network.yaml']);
    assert.equal(plain.code, 1);
    assert.match(
      plain.stdout,
      /^examples\/staging\/network\.yaml:34:18: error subnet-overlap: .*\n {2}34 \| {3}addressPrefix: 10\.10\.8\.0\/24 .*\n {5}\| {18}\^{12}\n\n/m,
    );
    assert.match(plain.stdout, /\nFindings per rule:\n(  [a-z-]+ +\d+: .*\n)+1 file\(s\) checked: 3 error\(s\), 1 warning\(s\), 0 info\.\n$/);
    assert.doesNotMatch(plain.stdout, /\u001b/);
    const forced = netlens(['check', 'examples/staging/network.yaml'], { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\u001b\[31m/);
    assert.equal(forced.stdout.replace(/\u001b\[\d+m/g, ''), plain.stdout);
    assert.doesNotMatch(netlens(['check', 'examples/staging/network.yaml'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\u001b/);
    const quiet = netlens(['check', '--quiet', 'examples/staging/network.yaml']);
    assert.equal(quiet.code, 1, 'exit codes do not depend on --quiet');
    assert.deepEqual(quiet.stdout.split('\n').map((line) => line.split(': ')[0]), [
      'examples/staging/network.yaml:14:9',
      'examples/staging/network.yaml:34:18',
      'examples/staging/network.yaml:44:18',
      'examples/staging/network.yaml:54:18',
      '',
    ]);
    const clean = netlens(['check', '-q', 'examples/platform']);
    assert.deepEqual([clean.code, clean.stdout], [0, '']);
    assert.equal(netlens(['check', '--quiet', '--format', 'json', 'examples']).code, 2);
  });
});

describe('netlens check --format github', () => {
  it('writes one workflow annotation per finding, escaped as GitHub reads them, then the summaries', () => {
    const odd = finding({
      file: path.join('a,b', 'c:d%.yaml'),
      rule: 'subnet-overlap',
      severity: 'warning',
      range: at(2, 0, 2, 4),
      message: 'Line one\nline two: 100% sure, really',
    });
    assert.equal(
      formatGithub({ ...RESULT, findings: [...RESULT.findings, odd] }),
      [
        '::error file=infra/net.yaml,line=10,col=18,endLine=10,endColumn=29,title=subnet-overlap::Something is wrong.',
        '::warning file=infra/net.yaml,line=12,col=3,endLine=12,endColumn=5,title=cidr-host-bits::Something is wrong.',
        '::error file=infra/net.yaml,line=100,col=4,endLine=101,title=subnet-overlap::Something is wrong.',
        '::notice file=huge.yaml,line=1,col=1,title=file-not-read::File skipped.',
        '::warning file=a%2Cb/c%3Ad%25.yaml,line=3,col=1,endLine=3,endColumn=4,title=subnet-overlap::Line one%0Aline two: 100%25 sure, really',
        'Findings per rule:',
        '  subnet-overlap  3: 2 error(s), 1 warning(s)',
        '  cidr-host-bits  1: 1 warning(s)',
        '  file-not-read   1: 1 info',
        '2 file(s) checked: 2 error(s), 2 warning(s), 1 info.',
        '',
      ].join('\n'),
    );
    assert.equal(formatGithub(RESULT, { quiet: true }).split('\n').filter((line) => line.startsWith('::')).length, 4);
    assert.equal(formatGithub(RESULT, { quiet: true }).split('\n').length, 5);
  });

  it('the CLI annotates the examples at the ranges of the JSON output, with the same exit code', () => {
    const json = netlens(['check', '--format', 'json', 'examples/']);
    const github = netlens(['check', '--format', 'github', 'examples/']);
    assert.equal(github.code, json.code);
    const findings = (JSON.parse(json.stdout) as { findings: CheckedFinding[] }).findings;
    const annotations = github.stdout.split('\n').filter((line) => line.startsWith('::'));
    assert.equal(annotations.length, findings.length);
    findings.forEach((f, i) => {
      const level = { error: 'error', warning: 'warning', info: 'notice' }[f.severity];
      assert.ok(
        annotations[i]!.startsWith(`::${level} file=${f.file},line=${f.range.start.line + 1},col=${f.range.start.character + 1},`),
        `${annotations[i]} is ${f.file}:${f.range.start.line + 1}`,
      );
      // GitHub reads `%` as an escape: the message is written with `%25` (subnet-capacity's "(210%)").
      assert.ok(annotations[i]!.endsWith(`,title=${f.rule}::${f.message.replace(/%/g, '%25')}`), annotations[i]);
    });
  });
});

describe('netlens check --fail-on', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'netlens-failon-'));
  // One warning (host bits set) and nothing else.
  writeFileSync(
    path.join(folder, 'subnet.yaml'),
    'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetworksSubnet\nmetadata:\n  name: s\nspec:\n  addressPrefix: 10.0.0.5/24\n',
  );

  it('fails on the severity asked for', () => {
    assert.equal(netlens(['check', folder]).code, 0, 'a warning alone does not fail by default');
    assert.equal(netlens(['check', '--fail-on', 'warning', folder]).code, 1);
    assert.equal(netlens(['check', '--fail-on', 'info', folder]).code, 1);
    assert.equal(netlens(['check', '--fail-on', 'error', folder]).code, 0);
    assert.equal(netlens(['check', '--fail-on', 'none', 'examples/']).code, 0);
    assert.equal(netlens(['check', '--fail-on', 'none', 'no/such/folder']).code, 2, 'I/O errors still fail');
    const bad = netlens(['check', '--fail-on', 'fatal', folder]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --fail-on 'fatal'/);
  });
});
