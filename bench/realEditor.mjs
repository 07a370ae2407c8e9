// The real-editor part of `npm run bench`, run by bench/run.ts in a child process of its own (so that the
// harness's exit handlers stop code-server and Chromium however it ends). Each attempt starts a fresh
// code-server (VS Code 1.139) with the packaged .vsix on a copy of examples/, opened in headless Chromium
// (test/e2e/harness.mjs), and measures:
//   - the extension's activation, as VS Code itself times it (Developer: Startup Performance, row of this
//     extension: loading its code, the activate() call, and until the promise activate() returned resolved,
//     which is once the language server has answered `initialize`);
//   - from opening a YAML file the server has not seen (outside the workspace folder, so the workspace scan
//     did not read it) through Quick Open to the first squiggle drawn in the editor: a small file, then a large one.
// Usage: node --import tsx bench/realEditor.mjs <vsix> <result.json> <samples> <label>
// (the label names the runs' temporary folders, /tmp/aks-e2e-<label>-<attempt>-*, so leftovers can be found)
// Writes { activation: [{ loadCode, callActivate, finishActivate, event }], open: { small: [{ text, squiggle }], large: [...] },
// files: { small, large: { objects, bytes } }, failures: [text] }.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXTENSION_ID, findFiles, Run, waitFor } from '../test/e2e/harness.mjs';
import { install } from '../test/e2e/install.mjs';
import { yamlWorkload } from './generate.ts';

const [vsix, resultFile, samplesArg, label] = process.argv.slice(2);
const SAMPLES = Number(samplesArg);
/** Attempts in all: an attempt can fail on a busy machine (a key press lost, the workbench slow to load). */
const MAX_ATTEMPTS = SAMPLES + 2;
/** Objects in the two files opened: a file of a few clusters, and the cold YAML bench's 2,500 objects. */
const OBJECTS = { small: 10, large: 2500 };
/** A planted mistake as the first document, so its squiggle is on the first screen of the file. */
const PLANTED = `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: planted
spec:
  networkProfile:
    serviceCidr: 10.0.0.0/8
---
`;

/** The "AKS Network Lens" output channel's log file of this run's window, once it exists. */
function outputLog(run) {
  return findFiles(path.join(run.dirs.userData, 'logs'), /^AKS Network Lens\.log$/).find((f) => f.includes(EXTENSION_ID));
}

/** Waits until the language server has read the workspace: activation has finished well before that. */
async function waitForServerScan(run) {
  await waitFor(
    () => {
      const log = outputLog(run);
      return log && /Read \d+ workspace file/.test(readFileSync(log, 'utf8'));
    },
    { timeoutMs: 60_000, intervalMs: 200, message: 'the language server to read the workspace ("Read N workspace file(s)" in its output)' },
  );
}

/**
 * This extension's row of "Extension Activation Stats" in Developer: Startup Performance: VS Code's own times
 * of loading the code, calling activate() and waiting for its promise. The row appears once activation ended.
 */
async function activationTimes(run) {
  await run.command('Developer: Startup Performance');
  await run.editor().locator('.view-lines .view-line').first().waitFor();
  // The report is a long text document: Find scrolls to the extension's row, then the rendered lines are read.
  await run.page.keyboard.press('Control+F');
  const find = run.page.locator('.find-widget textarea, .find-widget input').first();
  await find.waitFor();
  await find.fill(EXTENSION_ID);
  await run.page.keyboard.press('Enter');
  await run.page.keyboard.press('Escape');
  const row = await waitFor(
    async () => {
      const lines = await run.editor().locator('.view-lines .view-line').allInnerTexts();
      return lines.map((l) => l.replace(/\u00a0/g, ' ')).find((l) => new RegExp(`^\\|\\s*${EXTENSION_ID.replace(/\./g, '\\.')}\\s*\\|`).test(l));
    },
    { timeoutMs: 10_000, message: `the ${EXTENSION_ID} row of the Startup Performance report` },
  );
  // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
  const cells = row.split('|').map((c) => c.trim()).slice(1, -1);
  const [loadCode, callActivate, finishActivate] = cells.slice(2, 5).map(Number);
  if (![loadCode, callActivate, finishActivate].every((n) => Number.isFinite(n) && n >= 0)) throw new Error(`unexpected activation row: ${row}`);
  return { loadCode, callActivate, finishActivate, event: cells[5] };
}

/** Opens `file` (an absolute path outside the workspace) through Quick Open; ms from Enter to its text shown and to its first squiggle. */
async function openToFirstDiagnostic(run, file) {
  const page = run.page;
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    if (await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
    if (attempt === 3) throw new Error('Quick Open did not open after 3 tries of Ctrl+P');
  }
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: path.basename(file) }) }).first().waitFor();
  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor');
  const started = performance.now();
  const after = (locator) => locator.first().waitFor({ timeout: 60_000 }).then(() => performance.now() - started);
  await page.keyboard.press('Enter');
  // The file's text on screen (the planted cluster's name is in no other file), and its first squiggle.
  const [text, squiggle] = await Promise.all([
    after(editor.locator('.view-lines .view-line', { hasText: 'planted' })),
    after(editor.locator('.view-overlays [class*="squiggly-"]')),
  ]);
  const shown = await run.breadcrumbs();
  if (!shown.endsWith(path.basename(file))) throw new Error(`a squiggle appeared, but the active editor shows ${shown}, not ${path.basename(file)}`);
  return { text, squiggle };
}

/** One fresh code-server and browser: both measures, then everything stopped. */
async function attempt(index, texts) {
  const run = new Run(`${label}-${index}`);
  try {
    run.installExtension(vsix);
    run.ws = run.workspace();
    await run.startCodeServer({ folder: run.ws });
    await run.launchBrowser();
    await run.openWorkbench(run.ws);
    await waitForServerScan(run);
    const activation = await activationTimes(run);
    const outside = path.join(run.tmp, 'outside');
    mkdirSync(outside, { recursive: true });
    const open = {};
    for (const [size, text] of Object.entries(texts)) {
      const file = path.join(outside, `${size}-${index}.yaml`);
      writeFileSync(file, text);
      open[size] = await openToFirstDiagnostic(run, file);
      await run.screenshot(`first-diagnostic-${size}`);
    }
    return { activation, open };
  } catch (error) {
    await run.screenshot('FAILED').catch(() => {});
    throw error;
  } finally {
    await run.close();
  }
}

async function main() {
  if (!vsix || !resultFile || !(SAMPLES >= 1) || !label) throw new Error('usage: node --import tsx bench/realEditor.mjs <vsix> <result.json> <samples> <label>');
  install();
  const texts = { small: PLANTED + yamlWorkload(OBJECTS.small), large: PLANTED + yamlWorkload(OBJECTS.large) };
  const files = Object.fromEntries(Object.entries(texts).map(([size, text]) => [size, { objects: OBJECTS[size] + 1, bytes: Buffer.byteLength(text) }]));
  const result = { activation: [], open: { small: [], large: [] }, files, failures: [] };
  for (let i = 1; i <= MAX_ATTEMPTS && result.activation.length < SAMPLES; i++) {
    try {
      const { activation, open } = await attempt(i, texts);
      result.activation.push(activation);
      for (const size of Object.keys(texts)) result.open[size].push(open[size]);
      process.stdout.write(`[bench editor] attempt ${i}: activation ${JSON.stringify(activation)}, open to first squiggle ${JSON.stringify(open)} ms\n`);
    } catch (error) {
      result.failures.push(`attempt ${i}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      process.stdout.write(`[bench editor] attempt ${i} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[bench editor] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
