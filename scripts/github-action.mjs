// The entry of the GitHub Action (action.yml): runs `netlens check --format github` on the inputs GitHub passes as
// INPUT_* variables, writes the SARIF log, sets the step's outputs and summary, and exits as netlens does. Node's
// standard library only: the Action runs from its repository as checked out, without npm install. netlens is this
// checkout's build when there is one (dist/cli.js), else the npm package of the same version (npx).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
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
const args = [...prefix, 'check', '--format', 'github', '--fail-on', failOn, '--sarif-file', sarifFile, ...(docs ? ['--docs-url', docs] : []), ...(paths.length > 0 ? paths : ['.'])];
const run = spawnSync(command, args, { cwd, stdio: 'inherit' });
if (run.error) {
  console.log(`::error title=netlens::could not run ${command}: ${run.error.message}`);
  process.exit(2);
}

if (existsSync(sarifFile)) {
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
