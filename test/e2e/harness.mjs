// Real-editor harness: code-server (VS Code 1.139 in a browser) driven by headless Chromium through
// playwright-core. See /work/shared/docs/real-editor-testing.md for the recipe this follows.
//
// Every run gets its own temporary folder (user data, extensions, XDG dirs, Chromium profile and a
// copy of the example workspace, so edits never touch the repo) and its own artifacts folder
// test-results/e2e/<run>/ with a PNG screenshot per step, the code-server output, its log folder
// (extension host and "AKS Network Lens" output channel) and the browser console.
// Processes are stopped at the end, on failure too, and on exit as a last resort.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { CACHE, readTools, REPO } from './install.mjs';

export { REPO };
export const VSIX = path.join(CACHE, 'aks-network-lens.vsix');
export const RESULTS = path.join(REPO, 'test-results', 'e2e');
export const EXTENSION_ID = 'aks-network-lens.aks-network-lens';

const live = new Set(); // process groups still running, killed on exit if nobody else did
const tmpDirs = new Set(); // run folders not yet removed

process.on('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL');
  if (!process.env.AKS_E2E_KEEP_TMP) for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});
// code-server runs in its own process group, so Ctrl+C does not reach it: stop it here, unless
// the program has its own handler (the playground stops gracefully).
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    if (process.listenerCount(signal) > 0) return;
    process.exit(code); // runs the 'exit' handler above
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function stamp() {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `fn` until it returns a truthy value; throws `describe(last)` after `timeoutMs`. */
export async function waitFor(fn, { timeoutMs = 30_000, intervalMs = 250, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) {
      throw new Error(typeof message === 'function' ? message(last) : `timed out after ${timeoutMs / 1000} s waiting for ${message}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Formats console arguments as a console would. The extension host's output is forwarded as
 * ('%c INFO', <css>, '%s%s  ✔ %s', ...args): the part after the CSS is a format string of its own.
 */
function formatConsole(values) {
  const [first, ...rest] = values;
  if (typeof first === 'string' && /^%c[^%]*$/.test(first) && rest.length >= 1) {
    const head = first.slice(2);
    const tail = rest.slice(1);
    return tail.length ? `${head} ${format(...tail)}` : head;
  }
  return format(...values);
}

/** Environment without variables that would make code-server talk to an outer VS Code. */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Packages a .vsix like `npm run package` does, but from a staging copy of the packaged files
 * without `omit` (e.g. ['dist/server.js'] to simulate a broken build). dist/ must be built.
 */
export function packageVariant(out, { omit = [] } = {}) {
  const stage = mkdtempSync(path.join(tmpdir(), 'aks-e2e-vsix-'));
  try {
    const skip = new Set(['node_modules', '.git', '.vscode-test', 'test-results']);
    for (const f of readdirSync(REPO)) {
      if (!skip.has(f) && !f.endsWith('.vsix')) cpSync(path.join(REPO, f), path.join(stage, f), { recursive: true });
    }
    for (const f of omit) rmSync(path.join(stage, f), { force: true, recursive: true });
    const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], {
      cwd: stage,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`vsce package failed in ${stage}:\n${r.stdout}\n${r.stderr}`);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Lists the files inside a .vsix (a zip), with python3's zipfile (python3 is one of the installed packages). */
export function vsixEntries(file) {
  const out = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** Text of one file inside a .vsix. */
export function vsixRead(file, member) {
  return execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))', file, member], { encoding: 'utf8' });
}

/**
 * One test run: a temp folder, an artifacts folder, a code-server, a Chromium window.
 * Use `await run.close()` in an `after` hook: it stops everything and saves the logs.
 */
export class Run {
  /**
   * The usual start of a suite: the packaged extension installed in a fresh code-server on a copy of
   * examples/, opened in the browser. `settings` go into the user settings first; `beforeWorkbench(run)`
   * runs once the browser is up, before the workbench loads (e.g. to listen for dialogs).
   */
  static async open(label, { settings = {}, workspaceTrust = false, beforeWorkbench } = {}) {
    const run = new Run(label);
    run.installExtension(VSIX);
    run.writeUserSettings(settings);
    run.ws = run.workspace();
    await run.startCodeServer({ folder: run.ws, workspaceTrust });
    await run.launchBrowser();
    await beforeWorkbench?.(run);
    await run.openWorkbench(run.ws);
    return run;
  }

  constructor(label) {
    this.label = label;
    this.name = `${stamp()}-${label}`;
    this.artifacts = path.join(RESULTS, this.name);
    mkdirSync(this.artifacts, { recursive: true });
    this.tmp = mkdtempSync(path.join(tmpdir(), `aks-e2e-${label}-`));
    tmpDirs.add(this.tmp);
    this.tools = readTools();
    this.step = 0;
    this.closers = [];
    this.consoleLog = createWriteStream(path.join(this.artifacts, 'browser-console.log'));
    this.dirs = {
      userData: path.join(this.tmp, 'user-data'),
      extensions: path.join(this.tmp, 'extensions'),
      xdg: path.join(this.tmp, 'xdg'),
      profile: path.join(this.tmp, 'chromium-profile'),
      home: path.join(this.tmp, 'home'),
    };
    for (const d of Object.values(this.dirs)) mkdirSync(d, { recursive: true });
    this.env = cleanEnv({
      PATH: `${path.dirname(this.tools.node)}${path.delimiter}${process.env.PATH}`,
      XDG_DATA_HOME: path.join(this.dirs.xdg, 'data'),
      XDG_CONFIG_HOME: path.join(this.dirs.xdg, 'config'),
      XDG_CACHE_HOME: path.join(this.dirs.xdg, 'cache'),
    });
    const settings = {
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.enabled': false,
      'chat.disableAIFeatures': true,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.tips.enabled': false,
      'editor.minimap.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      // VS Code in a browser defaults to auto save after 1 s (desktop: off). Tests that edit expect the
      // files on disk to stay as they were until they save: editor.test.mjs's scenario d failed when
      // the edit of scenario c had been auto-saved in between.
      'files.autoSave': 'off',
      // The extension opens its walkthrough on its first activation unless this is off: off here, so that only
      // firstRun.test.mjs (which turns it on) starts on the walkthrough. (VS Code's own
      // workbench.welcomePage.walkthroughs.openOnInstall set to false here was not seen by the extension.)
      'aksNetworkLens.walkthrough.openOnFirstActivation': false,
    };
    mkdirSync(path.join(this.dirs.userData, 'User'), { recursive: true });
    writeFileSync(path.join(this.dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    this.log(`artifacts: ${path.relative(REPO, this.artifacts)}`);
  }

  log(msg) {
    process.stdout.write(`[e2e ${this.label}] ${msg}\n`);
  }

  /** Merges settings into the run's user settings.json (read by code-server at start and on a reload). */
  writeUserSettings(changes) {
    const file = path.join(this.dirs.userData, 'User', 'settings.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...changes }, null, 2));
  }

  /** Copies examples/ (or another folder) into the run's temp folder; returns the copy's path. */
  workspace(from = path.join(REPO, 'examples'), name = 'workspace') {
    const dest = path.join(this.tmp, name);
    cpSync(from, dest, { recursive: true });
    return dest;
  }

  codeServerArgs(extra = []) {
    return [
      this.tools.codeServerEntry,
      '--config', path.join(this.tmp, 'config.yaml'),
      '--user-data-dir', this.dirs.userData,
      '--extensions-dir', this.dirs.extensions,
      ...extra,
    ];
  }

  /** `code-server --install-extension <vsix>` into this run's extensions dir. */
  installExtension(vsix) {
    writeFileSync(path.join(this.tmp, 'config.yaml'), 'auth: none\ncert: false\n');
    const started = Date.now();
    const r = spawnSync(this.tools.node, this.codeServerArgs(['--install-extension', vsix, '--force']), {
      env: this.env,
      encoding: 'utf8',
    });
    writeFileSync(path.join(this.artifacts, 'install-extension.log'), `${r.stdout}\n${r.stderr}`);
    if (r.status !== 0 || !/was successfully installed/.test(r.stdout + r.stderr)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    this.log(`installed ${path.basename(vsix)} in ${Date.now() - started} ms`);
  }

  /** Starts code-server on a free 127.0.0.1 port; resolves once it listens. Workspace trust is off unless asked for. */
  async startCodeServer({ folder, smokeTestDriver = false, env = {}, port, workspaceTrust = false } = {}) {
    this.port = port ?? (await freePort());
    this.origin = `http://127.0.0.1:${this.port}`;
    writeFileSync(path.join(this.tmp, 'config.yaml'), `bind-addr: 127.0.0.1:${this.port}\nauth: none\ncert: false\n`);
    const args = this.codeServerArgs([
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...(folder ? [folder] : []),
    ]);
    const out = createWriteStream(path.join(this.artifacts, 'code-server.log'));
    const started = Date.now();
    const proc = spawn(this.tools.node, args, { env: { ...this.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.codeServer = proc;
    live.add(proc.pid);
    let output = '';
    const onData = (d) => {
      output += d;
      out.write(d);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    this.closers.push(async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        killGroup(proc.pid, 'SIGTERM');
        const t = setTimeout(() => killGroup(proc.pid, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      killGroup(proc.pid, 'SIGKILL'); // children that outlived their parent (extension host, language server)
      live.delete(proc.pid);
      await new Promise((r) => out.end(r));
    });
    const early = exited.then(({ code, signal }) => {
      throw new Error(`code-server exited (${code ?? signal}) before listening:\n${output}`);
    });
    await Promise.race([early, waitFor(() => output.includes('HTTP server listening'), { timeoutMs: 30_000, message: `code-server to listen; output:\n${output}` })]);
    early.catch(() => {});
    this.log(`code-server ${this.tools.codeServerVersion} listening on ${this.origin} after ${Date.now() - started} ms`);
    return this.origin;
  }

  /** Launches headless Chromium on this run's profile and returns the page. */
  async launchBrowser() {
    this.context = await chromium.launchPersistentContext(this.dirs.profile, {
      executablePath: this.tools.chromium,
      headless: true,
      viewport: { width: 1440, height: 960 },
      env: { ...this.env, HOME: this.dirs.home },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    this.closers.unshift(async () => {
      await this.context.close().catch(() => {});
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.on('console', (msg) => {
      const args = msg.args();
      // Extension-host output arrives as ('%c...%s', css, text): format it like a console would.
      Promise.all(args.map((a) => a.jsonValue().catch(() => String(a))))
        .then((values) => (values.length ? formatConsole(values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))) : msg.text()))
        .catch(() => msg.text())
        .then((text) => {
          this.consoleLog.write(`[${msg.type()}] ${text}\n`);
          this.onConsole?.(text, msg.type());
        });
    });
    this.page.on('pageerror', (err) => this.consoleLog.write(`[pageerror] ${err.stack ?? err}\n`));
    return this.page;
  }

  /** Opens the workbench on `folder` and waits until it is usable. */
  async openWorkbench(folder, { payload } = {}) {
    const page = this.page ?? (await this.launchBrowser());
    let url = `${this.origin}/?folder=${encodeURIComponent(folder)}`;
    if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const started = Date.now();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    this.log(`workbench ready after ${Date.now() - started} ms`);
    return page;
  }

  remoteUri(file) {
    return `vscode-remote://127.0.0.1:${this.port}${file}`;
  }

  async screenshot(name) {
    this.step += 1;
    const file = path.join(this.artifacts, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file, animations: 'disabled' }); // e.g. a hover still fading in
    return file;
  }

  /** Opens a file of the workspace through Quick Open (Ctrl+P), as a user would. */
  async openFile(relativePath) {
    const page = this.page;
    // Keys pressed while a webview (the network map) has focus go to the webview, not the workbench:
    // give the focus back to the workbench first, on the side bar's title, which does nothing when clicked.
    const sideBarTitle = page.locator('.part.sidebar .composite.title').first();
    const input = page.locator('.quick-input-widget input');
    // On a busy machine the first Ctrl+P can still land in the webview: try again, a few times.
    for (let attempt = 1; ; attempt++) {
      if (await sideBarTitle.isVisible().catch(() => false)) await sideBarTitle.click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+P');
      const opened = await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
      if (opened) break;
      if (attempt === 3) throw new Error('Quick Open did not open after 3 tries of Ctrl+P');
      this.log(`Quick Open did not open (try ${attempt}); trying again`);
    }
    await input.fill(relativePath);
    const base = path.basename(relativePath);
    const dir = path.dirname(relativePath);
    // Wait for the row of this very file: with several files of the same name, an early Enter
    // would open a recently used one.
    let row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: base }) });
    if (dir !== '.') row = row.filter({ has: page.locator('.label-description', { hasText: dir }) });
    await row.first().waitFor();
    await row.first().click();
    await this.restMouse();
    await waitFor(async () => (await this.breadcrumbs()) === relativePath, {
      timeoutMs: 15_000,
      message: () => `the editor to show ${relativePath}`,
    });
    await this.editor().locator('.view-lines .view-line').first().waitFor();
  }

  /** Moves the mouse to an empty spot (the activity bar below its icons), away from tooltips and hovers. */
  async restMouse() {
    const vp = this.page.viewportSize();
    await this.page.mouse.move(2, Math.round(vp.height * 0.6));
  }

  /** Path of the active editor's file as its breadcrumbs show it ("staging/network.yaml"). */
  async breadcrumbs() {
    const items = await this.page.locator('.part.editor .editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item').allInnerTexts();
    return items.map((t) => t.trim()).filter(Boolean).join('/');
  }

  /** The text editor of the active editor group. */
  editor() {
    return this.page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  }

  /** Runs a command from the command palette (F1) by its title. */
  async command(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator(`.quick-input-list .monaco-list-row:has-text("${title}")`).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Moves the cursor to line:column with Go to Line (Ctrl+G), which also scrolls it into view. */
  async goTo(line, column = 1) {
    // No click into the editor first: Monaco scrolls virtually, and a click relative to its
    // (scrolled) line layer can land outside it. Go to Line acts on the active editor anyway.
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Selects `length` characters at line:column with Shift+Right and types `text` over them. */
  async replaceAt(line, column, length, text) {
    await this.goTo(line, column);
    for (let i = 0; i < length; i++) await this.page.keyboard.press('Shift+ArrowRight');
    await this.page.keyboard.type(text, { delay: 20 });
  }

  /** Text of the rendered line `line` (must be in view), matched through the line-number gutter. */
  async lineText(line) {
    return this.editor().evaluate((ed, n) => {
      // Without injected text (inlay hints, color boxes): Monaco renders it in spans styled by
      // dynamic CSS rules ("dyn-rule-…"), inside the line, but it is not part of the document.
      const text = (row) => {
        const copy = row.cloneNode(true);
        for (const injected of copy.querySelectorAll('[class*="dyn-rule-"]')) injected.remove();
        return copy.textContent.replace(/\u00a0/g, ' ');
      };
      const num = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => e.textContent.trim() === String(n));
      if (!num) return undefined;
      const y = num.getBoundingClientRect().top + 2;
      const row = [...ed.querySelectorAll('.view-lines .view-line')].find((e) => {
        const r = e.getBoundingClientRect();
        return r.top <= y && y < r.bottom;
      });
      return row && text(row);
    }, line);
  }

  /** Line numbers (1-based) of the rendered squiggles of a kind ('error', 'warning', 'info'). */
  async squiggleLines(kind = 'error') {
    return this.editor().evaluate((ed, k) => {
      const nums = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({ n: Number(e.textContent.trim()), r: e.getBoundingClientRect() }));
      const lines = new Set();
      for (const s of ed.querySelectorAll(`.view-overlays .squiggly-${k}`)) {
        const y = (s.getBoundingClientRect().top + s.getBoundingClientRect().bottom) / 2;
        const hit = nums.find(({ r }) => r.top <= y && y < r.bottom);
        if (hit) lines.add(hit.n);
      }
      return [...lines].sort((a, b) => a - b);
    }, kind);
  }

  /** Opens the Problems panel (Ctrl+Shift+M) unless it is already showing. */
  async showProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ timeout: 10_000 });
    }
  }

  /** Sets the Problems panel's filter box (e.g. to a glob for one file), as a user would type it. */
  async filterProblems(text) {
    await this.showProblems();
    const input = this.page.locator('.part.panel .viewpane-filter input').first();
    if ((await input.inputValue()) === text) return;
    await input.fill(text);
  }

  /**
   * Rendered rows of the Problems panel, restricted to `file` (a workspace-relative path) when given:
   * { severity, message, source, code, line, column, file, text } for each problem.
   */
  async problems({ file, filter } = {}) {
    await this.filterProblems(filter ?? (file ? `**/${file}` : ''));
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => {
      const out = [];
      let current;
      for (const row of rows) {
        const fileLabel = /problems? in file (.+) of folder (.+)$/.exec(row.getAttribute('aria-label') ?? '');
        if (fileLabel) {
          current = `${fileLabel[2]}/${fileLabel[1]}`;
          continue;
        }
        const message = row.querySelector('.marker-message');
        if (!message) continue; // related information ("cluster.yaml [Ln 14, Col 11]: service CIDR")
        const icon = row.querySelector('.marker-icon');
        const pos = /Ln (\d+), Col (\d+)/.exec(row.querySelector('.marker-line')?.textContent ?? '');
        out.push({
          severity: ['error', 'warning', 'info'].find((k) => icon?.classList.contains(k)) ?? 'unknown',
          message: message.textContent.trim(),
          source: row.querySelector('.marker-source')?.textContent.trim(),
          code: row.querySelector('.marker-code')?.textContent.trim(),
          line: pos ? Number(pos[1]) : undefined,
          column: pos ? Number(pos[2]) : undefined,
          file: current,
          text: row.innerText.replace(/\s+/g, ' ').trim(),
        });
      }
      return out;
    });
  }

  /**
   * Texts of the notifications a user would find: the toasts on screen, or else the notification
   * center (opened through the command palette, as a user clicking the bell would see it).
   */
  async notifications() {
    const read = (sel) =>
      this.page
        .locator(sel)
        .evaluateAll((els) => [...new Set(els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()).filter(Boolean))])
        .catch(() => []);
    const toasts = await read('.notifications-toasts .notification-toast .notification-list-item-message');
    if (toasts.length) return toasts;
    try {
      await this.command('Notifications: Show Notifications');
      await this.page.locator('.notifications-center').waitFor({ timeout: 5000 });
      await this.page.waitForTimeout(300); // the list renders just after the center opens
    } catch {
      return [];
    }
    return read('.notifications-center .notification-list-item-message');
  }

  /**
   * Waits until the Problems panel shows an AKS Network Lens problem matching `want`
   * ({ code, line }); the error says what a user would have seen instead.
   */
  async waitForProblem(want, { timeoutMs = 30_000 } = {}) {
    const matches = (p) => p.source === 'aks-network-lens' && (!want.code || p.code === want.code) && (!want.line || p.line === want.line);
    let rows = [];
    try {
      return await waitFor(
        async () => {
          rows = await this.problems({ file: want.file, filter: want.filter });
          return rows.find(matches);
        },
        { timeoutMs, intervalMs: 300 },
      );
    } catch {
      const ours = rows.filter((p) => p.source === 'aks-network-lens');
      const seen = rows.length ? rows.map((r) => `    ${r.file}: ${r.text}`).join('\n') : `    (no problems listed${want.file ? ` for ${want.file}` : ''})`;
      const notes = await this.notifications();
      const what = `${want.code ?? 'any'}${want.line ? ` on line ${want.line}` : ''}${want.file ? ` in ${want.file}` : ''}`;
      const head = ours.length
        ? `AKS Network Lens diagnostics appeared, but none is ${what}, within ${timeoutMs / 1000} s`
        : `no AKS Network Lens diagnostics appeared in the Problems panel within ${timeoutMs / 1000} s (wanted ${what})`;
      throw new Error(`${head}.\n  Problems panel rows:\n${seen}\n  Notifications shown:\n${notes.length ? notes.map((n) => `    ${n}`).join('\n') : '    (none)'}`);
    }
  }

  /** Waits until no AKS Network Lens problem matching `want` remains in the Problems panel. */
  async waitForNoProblem(want, { timeoutMs = 30_000 } = {}) {
    const matches = (p) => p.source === 'aks-network-lens' && (!want.code || p.code === want.code) && (!want.line || p.line === want.line);
    let rows = [];
    await waitFor(
      async () => {
        rows = await this.problems({ file: want.file });
        return !rows.some(matches);
      },
      { timeoutMs, intervalMs: 300, message: () => `the ${want.code} problem${want.line ? ` on line ${want.line}` : ''} to go away; still shown after ${timeoutMs / 1000} s:\n${rows.filter(matches).map((r) => `    ${r.text}`).join('\n')}` },
    );
  }

  /**
   * Hovers the first rendered occurrence of `token` and returns the hover's text once it contains `expect`.
   * `at` (a part of `token`, default all of it) is where the mouse goes: e.g. the function name of a call.
   */
  async hover(token, { expect = '', at = token, timeoutMs = 20_000 } = {}) {
    const within = token.indexOf(at);
    if (within < 0) throw new Error(`hover: "${at}" is not part of "${token}"`);
    // Aim at the middle of the token's text (or its `at` part), whichever spans the tokenizer split it into.
    // Located again before each attempt: lines move when code lenses or inlay hints arrive.
    const locate = () => waitFor(
      () =>
        this.editor().evaluate((ed, [whole, skip, t]) => {
          for (const line of ed.querySelectorAll('.view-lines .view-line')) {
            // Monaco renders spaces as non-breaking spaces (same length, so offsets still match).
            const found = line.textContent.replace(/\u00a0/g, ' ').indexOf(whole);
            if (found < 0) continue;
            const i = found + skip;
            const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
            let pos = 0;
            let start;
            let end;
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const len = n.textContent.length;
              if (start === undefined && i < pos + len) start = [n, i - pos];
              if (i + t.length <= pos + len) {
                end = [n, i + t.length - pos];
                break;
              }
              pos += len;
            }
            const range = document.createRange();
            range.setStart(...start);
            range.setEnd(...end);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          return null;
        }, [token, within, at]),
      { timeoutMs: 10_000, message: `"${token}" to be rendered in the editor` },
    );
    const hoverBox = this.page.locator('.monaco-hover:not(.hidden)');
    let text = '';
    await waitFor(
      async () => {
        const offset = await locate();
        await this.page.mouse.move(offset.x - 3, offset.y);
        await this.page.mouse.move(offset.x, offset.y);
        try {
          await hoverBox.first().waitFor({ timeout: 3000 });
          text = (await hoverBox.allInnerTexts()).join('\n');
        } catch {
          text = '';
        }
        return text.includes(expect);
      },
      { timeoutMs, intervalMs: 500, message: () => `a hover on "${token}" containing "${expect}"; hover text was: ${JSON.stringify(text)}` },
    );
    return text;
  }

  /** PIDs of the AKS Network Lens language server processes started from this run's extensions dir. */
  serverPids(root = this.dirs.extensions) {
    const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l))
      .filter((m) => m && m[2].includes(root) && m[2].includes(path.join('dist', 'server.js')))
      .map((m) => Number(m[1]));
  }

  /** Stops the browser and code-server and keeps code-server's log folder with the artifacts. */
  async close() {
    for (const c of this.closers.splice(0)) {
      try {
        await c();
      } catch (e) {
        this.log(`cleanup: ${e.message}`);
      }
    }
    await new Promise((r) => this.consoleLog.end(r));
    const logs = path.join(this.dirs.userData, 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(this.artifacts, 'vscode-logs'), { recursive: true });
    if (!process.env.AKS_E2E_KEEP_TMP) rmSync(this.tmp, { recursive: true, force: true });
    else this.log(`kept ${this.tmp}`);
    tmpDirs.delete(this.tmp);
  }
}

/** Finds the files under `dir` whose name matches `re`. */
export function findFiles(dir, re) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, re));
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

/** `scenario(name, fn)`: a test that leaves a screenshot of the page behind when it fails. */
export function scenarios(currentRun) {
  return (name, fn) =>
    test(name, async () => {
      try {
        await fn();
      } catch (e) {
        await currentRun()?.screenshot(`FAILED-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {});
        throw e;
      }
    });
}
