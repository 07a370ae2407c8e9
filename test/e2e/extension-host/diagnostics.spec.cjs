// Extension-host integration tests: the extension as VS Code runs it, checked through the vscode API.
// The workspace is a copy of examples/ (see test/e2e/extension-host.test.mjs or run-electron.mjs).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'aks-network-lens.aks-network-lens';
const SOURCE = 'aks-network-lens';

function file(relative) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

async function waitFor(fn, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (d) => String(typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
const ours = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
const describeAll = (uri) => ours(uri).map((d) => `${d.range.start.line + 1}: ${codeOf(d)} ${d.message}`).join('\n') || '(none)';

/** Range of `text` on the first line of `doc` containing `lineMarker`. */
function rangeOf(doc, lineMarker, text) {
  for (let i = 0; i < doc.lineCount; i++) {
    const line = doc.lineAt(i).text;
    if (line.includes(lineMarker)) {
      const c = line.indexOf(text);
      assert.ok(c >= 0, `${text} not on line ${i + 1}`);
      return new vscode.Range(i, c, i, c + text.length);
    }
  }
  throw new Error(`no line containing ${lineMarker} in ${doc.uri.fsPath}`);
}

async function replace(doc, range, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, range, text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit refused the edit');
}

describe('AKS Network Lens in the extension host', function () {
  const staging = () => file('staging/network.yaml');

  it('activates in a YAML workspace and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
    const doc = await vscode.workspace.openTextDocument(staging());
    await vscode.window.showTextDocument(doc);
    await waitFor(() => ext.isActive, 'the extension to activate');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('aksNetworkLens.restartServer'));
    assert.ok(commands.includes('aksNetworkLens.showLog'));
  });

  it('reports subnet-overlap on 10.10.8.0/24 (line 34 of staging/network.yaml), linking to its rule doc', async () => {
    const doc = await vscode.workspace.openTextDocument(staging());
    const d = await waitFor(
      () => ours(doc.uri).find((x) => codeOf(x) === 'subnet-overlap'),
      () => `a subnet-overlap diagnostic; have:\n${describeAll(doc.uri)}`,
    );
    assert.equal(d.source, SOURCE);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 33);
    assert.equal(doc.getText(d.range), '10.10.8.0/24');
    assert.match(d.message, /staging-nodes/);
    assert.ok(typeof d.code === 'object' && d.code.target, 'the code has no documentation link');
    assert.equal(path.basename(d.code.target.fsPath), 'subnet-overlap.md');
    assert.ok(fs.existsSync(d.code.target.fsPath), `${d.code.target.fsPath} does not exist`);
  });

  it('hover on 10.224.0.0/16 gives 65,536 addresses and 65,531 usable', async () => {
    const doc = await vscode.workspace.openTextDocument(file('platform/network.yaml'));
    const r = rangeOf(doc, 'addressPrefix: 10.224.0.0/16', '10.224.0.0/16');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, r.start.translate(0, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /65,536/);
    assert.match(text, /65,531/);
  });

  it('an edit that removes the overlap clears subnet-overlap, and undoing it brings it back', async () => {
    const doc = await vscode.workspace.openTextDocument(staging());
    await replace(doc, rangeOf(doc, 'addressPrefix: 10.10.8.0/24', '10.10.8.0/24'), '10.10.16.0/24');
    await waitFor(
      () => !ours(doc.uri).some((x) => codeOf(x) === 'subnet-overlap') && ours(doc.uri).some((x) => codeOf(x) === 'subnet-outside-vnet'),
      'subnet-overlap to go away while the other problems stay',
    );
    await replace(doc, rangeOf(doc, 'addressPrefix: 10.10.16.0/24', '10.10.16.0/24'), '10.10.8.0/24');
    await waitFor(() => ours(doc.uri).some((x) => codeOf(x) === 'subnet-overlap'), 'subnet-overlap to come back');
  });

  it('after "Restart Language Server", a newly typed overlap is reported', async () => {
    await vscode.commands.executeCommand('aksNetworkLens.restartServer');
    const doc = await vscode.workspace.openTextDocument(staging());
    await replace(doc, rangeOf(doc, 'addressPrefix: 10.10.8.0/24', '10.10.8.0/24'), '10.10.4.0/24');
    const d = await waitFor(
      () => ours(doc.uri).find((x) => codeOf(x) === 'subnet-overlap' && x.message.includes('10.10.4.0/24')),
      () => `a subnet-overlap diagnostic about 10.10.4.0/24; have:\n${describeAll(doc.uri)}`,
    );
    assert.equal(d.range.start.line, 33);
  });
});
