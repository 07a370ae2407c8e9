// The entry of the GitHub Action (action.yml): runs `netlens check` on the inputs GitHub passes as INPUT_* variables,
// writes its SARIF log, prints its annotations, sets the step's outputs and summary, and exits as netlens does. Node's
// standard library only: the Action runs from its repository as checked out, without npm install. netlens is this
// checkout's build when there is one (dist/cli.js), else the npm package of the same version (npx).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ACTION_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

/** An input as the runner passes it: INPUT_ and the name in capitals, spaces as underscores (hyphens stay). */
const input = (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();

function netlensCommand() {
  const built = path.join(ACTION_ROOT, 'dist', 'cli.js');
  if (existsSync(built)) return [process.execPath, [built]];
  const { version } = JSON.parse(readFileSync(path.join(ACTION_ROOT, 'package.json'), 'utf8'));
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', `netlens@${version}`]];
}

/** The rule pages on GitHub, at the Action's own repository and ref (this repository's when used as `uses: ./`). */
function docsUrl() {
  const repository = env.GITHUB_ACTION_REPOSITORY || env.GITHUB_REPOSITORY;
  const ref = env.GITHUB_ACTION_REF || env.GITHUB_SHA;
  if (!env.GITHUB_SERVER_URL || !repository || !ref) return undefined;
  return `${env.GITHUB_SERVER_URL}/${repository}/blob/${ref}/docs/rules`;
}

const paths = input('paths').split(/\s+/).filter((p) => p !== '');
const failOn = input('fail-on') || 'error';
const cwd = path.resolve(env.GITHUB_WORKSPACE || process.cwd(), input('working-directory') || '.');
const sarifFile = path.resolve(cwd, input('sarif-file') || 'netlens.sarif');
const docs = docsUrl();

const [command, prefix] = netlensCommand();
const targets = paths.length > 0 ? paths : ['.'];
// Two runs of netlens, which writes no file itself: the SARIF log (stdout, into the file), then the annotations
// and summaries to the job's log, whose exit code is the step's.
const sarifRun = spawnSync(command, [...prefix, 'check', '--format', 'sarif', '--fail-on', 'none', ...(docs ? ['--docs-url', docs] : []), ...targets], {
  cwd,
  encoding: 'utf8',
  maxBuffer: 1024 * 1024 * 1024,
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (sarifRun.error) {
  console.log(`::error title=netlens::could not run ${command}: ${sarifRun.error.message}`);
  process.exit(2);
}
if (sarifRun.status === 0) {
  mkdirSync(path.dirname(sarifFile), { recursive: true });
  writeFileSync(sarifFile, sarifRun.stdout);
}
const run = spawnSync(command, [...prefix, 'check', '--format', 'github', '--fail-on', failOn, ...targets], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

if (sarifRun.status === 0) {
  const results = JSON.parse(readFileSync(sarifFile, 'utf8')).runs[0].results;
  const count = (level) => results.filter((r) => r.level === level).length;
  if (env.GITHUB_OUTPUT) {
    appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\nerrors=${count('error')}\nwarnings=${count('warning')}\nnotes=${count('note')}\n`);
  }
  if (env.GITHUB_STEP_SUMMARY) {
    const byRule = new Map();
    for (const r of results) {
      const row = byRule.get(r.ruleId) ?? { error: 0, warning: 0, note: 0 };
      row[r.level]++;
      byRule.set(r.ruleId, row);
    }
    const rows = [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, c]) => `| \`${rule}\` | ${c.error} | ${c.warning} | ${c.note} |`);
    const summary = [
      '### AKS Network Lens',
      '',
      `${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} info.`,
      ...(rows.length > 0 ? ['', '| Rule | Errors | Warnings | Info |', '| --- | ---: | ---: | ---: |', ...rows] : []),
      '',
    ];
    appendFileSync(env.GITHUB_STEP_SUMMARY, summary.join('\n'));
  }
}
process.exit(run.status ?? 2);
