// The CI integrations run as their hosts would run them, on this machine: the GitHub Action's entry script with the
// INPUT_* variables GitHub derives from action.yml and the example workflow's `with:`; the Azure Pipelines template's
// script with its parameters expanded; the pre-commit hook's entry and args. npx is a stand-in on PATH that checks the
// package it is asked for and runs the repository's build (the tests stay offline).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const ROOT = path.join(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const readYaml = (file: string) => parse(readFileSync(path.join(ROOT, file), 'utf8'));

/** A folder with an `npx` that requires `--yes <expected package>` and runs dist/cli.js with the rest. */
function fakeNpx(expected: string): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'netlens-npx-'));
  const npx = path.join(bin, 'npx');
  writeFileSync(
    npx,
    `#!/usr/bin/env bash\nif [ "$1" != "--yes" ] || [ "$2" != "${expected}" ]; then echo "npx stand-in: unexpected $1 $2" >&2; exit 97; fi\nshift 2\nexec "${process.execPath}" "${CLI}" "$@"\n`,
  );
  chmodSync(npx, 0o755);
  return bin;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(INPUT_|GITHUB_|NO_COLOR|FORCE_COLOR)/.test(key)));
  return { ...env, ...extra };
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  if?: string;
}

describe('the GitHub Action', () => {
  const action = readYaml('action.yml') as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown>; runs: { using: string; main: string } };
  const workflow = readYaml('examples/ci/github-workflow.yml') as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const step = steps.find((s) => s.uses === './')!;

  /** The variables the runner sets for a JavaScript action: each input, from `with:` or action.yml's default. */
  function inputsEnv(given: Record<string, string | number | boolean>): Record<string, string> {
    for (const name of Object.keys(given)) assert.ok(name in action.inputs, `the workflow passes '${name}', which action.yml does not declare`);
    return Object.fromEntries(
      Object.entries(action.inputs).map(([name, spec]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, String(given[name] ?? spec.default ?? '')]),
    );
  }

  function runAction(given: Record<string, string | number | boolean>) {
    const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-action-'));
    const files = { GITHUB_OUTPUT: path.join(scratch, 'output'), GITHUB_STEP_SUMMARY: path.join(scratch, 'summary') };
    for (const file of Object.values(files)) writeFileSync(file, '');
    const run = spawnSync(process.execPath, [path.join(ROOT, action.runs.main)], {
      cwd: scratch,
      encoding: 'utf8',
      env: cleanEnv({
        ...inputsEnv(given),
        ...files,
        GITHUB_WORKSPACE: ROOT,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'someone/aks-network-lens',
        GITHUB_SHA: '0123456789abcdef',
      }),
    });
    const outputs = Object.fromEntries(
      readFileSync(files.GITHUB_OUTPUT, 'utf8').split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { ...run, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
  }

  it('is a JavaScript action whose entry exists, and the example workflow runs it on examples/ and uploads its SARIF', () => {
    assert.match(action.runs.using, /^node\d+$/);
    assert.ok(existsSync(path.join(ROOT, action.runs.main)));
    assert.deepEqual(Object.keys(action.outputs).sort(), ['errors', 'notes', 'sarif-file', 'warnings']);
    assert.ok(step, 'a step uses the Action of this repository');
    assert.equal(step.with?.paths, 'examples/');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload.with?.sarif_file, `\${{ steps.${step.id}.outputs.sarif-file }}`);
    assert.match(upload.if ?? '', /always\(\)/, 'the upload runs when the check fails');
  });

  it('runs the check with the workflow\'s inputs: annotations, SARIF, outputs, summary, and fails on errors', () => {
    const run = runAction(step.with!);
    assert.equal(run.status, 1, run.stderr);
    const annotations = run.stdout.split('\n').filter((line) => /^::(error|warning|notice) /.test(line));
    assert.equal(annotations.length, 16);
    assert.ok(annotations.some((line) => line.startsWith('::error file=examples/staging/network.yaml,line=34,col=18,')), run.stdout);
    const sarifFile = path.join(ROOT, String(step.with!['sarif-file']));
    try {
      assert.equal(run.outputs['sarif-file'], sarifFile);
      const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
      assert.equal(sarif.runs[0].results.length, 16);
      assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.equal(
        sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'subnet-overlap').helpUri,
        'https://github.com/someone/aks-network-lens/blob/0123456789abcdef/docs/rules/subnet-overlap.md',
      );
    } finally {
      spawnSync('rm', ['-f', sarifFile]);
    }
    assert.deepEqual([run.outputs.errors, run.outputs.warnings, run.outputs.notes], ['12', '3', '1']);
    assert.match(run.summary, /^### AKS Network Lens\n\n12 error\(s\), 3 warning\(s\), 1 info\.\n/);
    assert.match(run.summary, /^\| `subnet-overlap` \| 2 \| 0 \| 0 \|$/m);
  });

  it('passes with fail-on none, checks several paths, and fails on warnings when asked', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-action-sarif-'));
    const none = runAction({ paths: 'examples/staging\nexamples/capz', 'fail-on': 'none', 'sarif-file': path.join(scratch, 'a.sarif') });
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /^::error file=examples\/capz\//m);
    assert.match(none.stdout, /^::error file=examples\/staging\//m);
    const clean = runAction({ paths: 'examples/platform examples/templates', 'sarif-file': path.join(scratch, 'b.sarif') });
    assert.deepEqual([clean.status, clean.outputs.errors], [0, '0']);
    const warnings = runAction({ paths: 'examples/bicep', 'fail-on': 'warning', 'sarif-file': path.join(scratch, 'c.sarif') });
    assert.equal(warnings.status, 1);
  });
});

describe('the Azure Pipelines template', () => {
  const template = readYaml('examples/ci/azure-pipelines/netlens.yml') as {
    parameters: { name: string; default: string; values?: string[] }[];
    steps: { bash?: string; workingDirectory?: string; env?: Record<string, string>; task?: string; inputs?: Record<string, string> }[];
  };
  const pipeline = readYaml('examples/ci/azure-pipelines.yml') as { steps: { template?: string; parameters?: Record<string, string> }[] };

  /** The template's script with `${{ parameters.x }}` expanded as Azure Pipelines expands it at compile time. */
  function expand(text: string, given: Record<string, string>): string {
    const values = Object.fromEntries(template.parameters.map((p) => [p.name, given[p.name] ?? p.default]));
    return text.replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, name: string) => {
      assert.ok(name in values, `unknown parameter ${name}`);
      return values[name]!;
    });
  }

  function runTemplate(given: Record<string, string>) {
    const script = template.steps.find((s) => s.bash)!;
    const cwd = expand(script.workingDirectory!, given);
    const run = spawnSync('bash', ['-c', expand(script.bash!, given)], {
      cwd,
      encoding: 'utf8',
      env: cleanEnv({ ...script.env, PATH: `${fakeNpx(`netlens@${given.version ?? 'latest'}`)}${path.delimiter}${process.env.PATH}` }),
    });
    return run;
  }

  it('offers the CLI\'s --fail-on levels, publishes the SARIF folder, and the example pipeline uses it on examples/', () => {
    assert.deepEqual(template.parameters.find((p) => p.name === 'failOn')!.values, ['error', 'warning', 'info', 'none']);
    const publish = template.steps.find((s) => s.task?.startsWith('PublishBuildArtifacts@'))!;
    assert.equal(publish.inputs!.ArtifactName, 'CodeAnalysisLogs');
    const sarifDefault = template.parameters.find((p) => p.name === 'sarifFile')!.default;
    assert.equal(path.posix.dirname(sarifDefault), publish.inputs!.PathtoPublish);
    const use = pipeline.steps.find((s) => s.template)!;
    assert.equal(path.join(ROOT, 'examples', 'ci', use.template!), path.join(ROOT, 'examples', 'ci', 'azure-pipelines', 'netlens.yml'));
    assert.equal(use.parameters!.paths, 'examples/');
  });

  it('runs netlens check with the pipeline\'s parameters, writes SARIF and fails on errors', () => {
    const use = pipeline.steps.find((s) => s.template)!;
    const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-azure-'));
    const sarifFile = path.join(scratch, 'CodeAnalysisLogs', 'netlens.sarif');
    const run = runTemplate({ ...use.parameters, sarifFile, workingDirectory: ROOT });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^examples\/staging\/network\.yaml:34:18: error subnet-overlap: /m);
    assert.doesNotMatch(run.stdout, /\u001b/);
    assert.equal(JSON.parse(readFileSync(sarifFile, 'utf8')).runs[0].results.length, 16);
    const pinned = runTemplate({ paths: 'examples/platform', version: '0.1.0', sarifFile, workingDirectory: ROOT });
    assert.equal(pinned.status, 0, pinned.stderr);
    const lenient = runTemplate({ paths: 'examples/', failOn: 'none', sarifFile, workingDirectory: ROOT });
    assert.equal(lenient.status, 0, lenient.stderr);
  });
});

describe('the pre-commit hook', () => {
  const [hook] = readYaml('.pre-commit-hooks.yaml') as { id: string; name: string; entry: string; language: string; files: string; pass_filenames: boolean; args: string[] }[];

  it('declares what pre-commit needs and runs on YAML, Bicep and JSON files', () => {
    for (const key of ['id', 'name', 'entry', 'language'] as const) assert.ok(hook![key], key);
    const files = new RegExp(hook!.files);
    for (const file of ['infra/main.bicep', 'k8s/app.yaml', 'k8s/app.yml', 'k8s/list.json', '.aksnetlens.yaml']) assert.ok(files.test(file), file);
    for (const file of ['README.md', 'main.bicepparam', 'a.yaml.bak']) assert.ok(!files.test(file), file);
    assert.equal(hook!.pass_filenames, false, 'cross-file rules need the whole workspace, not just the changed files');
  });

  it('fails the commit on error-level findings and passes on correct files', () => {
    const bin = fakeNpx('netlens');
    const run = (cwd: string) =>
      spawnSync('bash', ['-c', `${hook!.entry} ${hook!.args.join(' ')}`], { cwd, encoding: 'utf8', env: cleanEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}` }) });
    const bad = run(path.join(ROOT, 'examples'));
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /^staging\/network\.yaml:34:18: error subnet-overlap: /m);
    const good = run(path.join(ROOT, 'examples', 'platform'));
    assert.equal(good.status, 0, good.stderr);
  });
});
