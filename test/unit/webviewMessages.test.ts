// What the network map webview may make the extension do. Every message is checked for its type and the
// type and shape of every field before the extension acts (parseWebviewMessage); a "reveal" opens a file
// only inside the workspace folders (isInsideFolders), checked on the URI as VS Code parses and prints it
// (vscode-uri is VS Code's own URI class), as client/src/networkMap.ts does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { URI } from 'vscode-uri';
import { isInsideFolders, parseWebviewMessage } from '../../client/src/networkMapView.ts';

const RANGE = { start: { line: 3, character: 2 }, end: { line: 3, character: 14 } };
/** One valid message of every type the webview may send, and the fields each needs. */
const VALID: Record<string, { message: Record<string, unknown>; fields: string[] }> = {
  ready: { message: { type: 'ready', view: 'addresses' }, fields: ['view'] },
  view: { message: { type: 'view', view: 'paths' }, fields: ['view'] },
  reveal: { message: { type: 'reveal', uri: 'file:///w/a.yaml', range: RANGE }, fields: ['uri', 'range'] },
  exportSvg: { message: { type: 'exportSvg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }, fields: ['svg'] },
  exportPng: { message: { type: 'exportPng', base64: 'iVBORw0KGgoAAAANSUhEUg==' }, fields: ['base64'] },
  filter: { message: { type: 'filter', text: 'web' }, fields: ['text'] },
  environment: { message: { type: 'environment', environment: 'file:///w/dev.bicepparam' }, fields: ['environment'] },
  compare: { message: { type: 'compare', revision: 'HEAD' }, fields: ['revision'] },
};
/** Values of the wrong type for any field; the string fields also get strings of the wrong form. */
const WRONG = [undefined, null, 0, -1, 1.5, Number.NaN, true, [], {}, [RANGE], { line: 1 }, ['file:///w/a.yaml']];
const WRONG_TEXT: Record<string, unknown[]> = {
  uri: [''],
  range: ['', 'x', RANGE.start, { start: RANGE.start }, { end: RANGE.end }],
  svg: ['', 'x', '<html><svg></svg></html>', ' <svg></svg>'],
  base64: ['', 'not base64!', 'a=b', '===='],
  text: ['x'.repeat(101), 'line\nbreak', '\u0007'],
  environment: [`file:///w/${'a'.repeat(9000)}.bicepparam`, 'file:///w/a\nb.bicepparam'],
  // One of the protocol's view ids, as written.
  view: ['', 'Addresses', 'map', 'paths '],
  // Only HEAD (or '' to stop): nothing the webview writes reaches git.
  revision: ['head', 'HEAD ', 'main', 'HEAD~1', '--output=/tmp/x', 'HEAD\n'],
};

/** The VS Code URI text that client/src/networkMap.ts checks: `vscode.Uri.parse(text, true).toString()`. */
function asVsCodeUri(text: string): string | undefined {
  try {
    return URI.parse(text, true).toString();
  } catch {
    return undefined;
  }
}

/** What networkMap.ts decides for a reveal of `text`. */
function revealAllowed(text: string, folders: readonly string[]): boolean {
  const uri = asVsCodeUri(text);
  return uri !== undefined && isInsideFolders(uri, folders);
}

describe('webview messages: type and shape', () => {
  it('knows exactly the message types the extension handles, and each is handled', () => {
    const source = readFileSync(path.join(import.meta.dirname, '..', '..', 'client', 'src', 'networkMap.ts'), 'utf8');
    const handler = source.slice(source.indexOf('private async onMessage('), source.indexOf('private async reveal('));
    // The raw message goes through the check first; the switch is over the checked message only.
    assert.match(handler, /^private async onMessage\(raw: unknown\): Promise<void> \{\s*const message = parseWebviewMessage\(raw\);\s*if \(!message\) \{/);
    assert.match(source, /onDidReceiveMessage\(\(raw: unknown\) => void this\.onMessage\(raw\)\)/);
    const handled = [...handler.matchAll(/case '([A-Za-z]+)':/g)].map((m) => m[1]!).sort();
    // The types the check lets through are exactly the types the extension handles.
    const view = readFileSync(path.join(import.meta.dirname, '..', '..', 'client', 'src', 'networkMapView.ts'), 'utf8');
    const parser = view.slice(view.indexOf('export function parseWebviewMessage('));
    const checked = [...parser.slice(0, parser.indexOf('\n}\n')).matchAll(/case '([A-Za-z]+)':/g)].map((m) => m[1]!).sort();
    assert.deepEqual(handled, checked);
    for (const [type, { message }] of Object.entries(VALID)) assert.deepEqual(parseWebviewMessage(message), message, type);
    // A type this table does not list must be one without fields (a new type with fields belongs in VALID).
    for (const type of checked.filter((t) => !(t in VALID))) assert.deepEqual(parseWebviewMessage({ type, extra: 1 }), { type }, `${type} has fields: add it to VALID`);
  });

  it('drops a message when any field it needs is missing or of the wrong type or shape', () => {
    for (const [type, { message, fields }] of Object.entries(VALID)) {
      for (const field of fields) {
        for (const wrong of [...WRONG, ...(WRONG_TEXT[field] ?? [])]) {
          assert.equal(parseWebviewMessage({ ...message, [field]: wrong }), undefined, `${type}.${field} = ${JSON.stringify(wrong)}`);
        }
        const { [field]: _missing, ...without } = message;
        assert.equal(parseWebviewMessage(without), undefined, `${type} without ${field}`);
      }
    }
    for (const position of ['start', 'end'] as const) {
      for (const wrong of [...WRONG, { line: -1, character: 0 }, { line: 0, character: 2 ** 53 }, { line: '1', character: 0 }, { line: 1, character: Number.POSITIVE_INFINITY }]) {
        assert.equal(parseWebviewMessage({ ...VALID.reveal!.message, range: { ...RANGE, [position]: wrong } }), undefined, `range.${position} = ${JSON.stringify(wrong)}`);
      }
    }
    for (const wrongType of [undefined, null, 1, 'Reveal', 'reveal ', 'runCommand', 'openExternal', 'executeCommand', '__proto__', 'constructor', 'toString']) {
      assert.equal(parseWebviewMessage({ ...VALID.reveal!.message, type: wrongType }), undefined, String(wrongType));
    }
    for (const notAnObject of [undefined, null, 'reveal', 42, [], [VALID.reveal!.message]]) assert.equal(parseWebviewMessage(notAnObject), undefined);
    // Content checks beyond the type: an SVG export is an SVG, a PNG export is base64, a filter is short printable text.
    assert.equal(parseWebviewMessage({ type: 'exportSvg', svg: '<script>alert(1)</script><svg></svg>' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'exportPng', base64: 'data:image/png;base64,iVBORw0KGgo=' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'filter', text: 'x'.repeat(101) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'filter', text: 'a\u0000b' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'reveal', uri: `file:///w/${'a'.repeat(9000)}.yaml`, range: RANGE }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'compare', revision: '' }), { type: 'compare', revision: '' });
  });

  it('never throws, and passes on only the fields of a known type, on any value (property)', () => {
    const field = fc.oneof(fc.anything(), fc.constant(RANGE), fc.string(), fc.record({ start: fc.anything(), end: fc.anything() }));
    const message = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.oneof(fc.constantFrom(...Object.keys(VALID)), fc.string()), uri: field, range: field, svg: field, base64: field, text: field, environment: field, revision: fc.oneof(field, fc.constantFrom('HEAD', '')), extra: fc.anything() }, { requiredKeys: ['type'] }),
    );
    fc.assert(
      fc.property(message, (raw) => {
        const parsed = parseWebviewMessage(raw);
        if (parsed === undefined) return;
        const expected = VALID[parsed.type] ? ['type', ...VALID[parsed.type]!.fields].sort() : ['type'];
        assert.deepEqual(Object.keys(parsed).sort(), expected);
        if (parsed.type === 'reveal') {
          assert.deepEqual(Object.keys(parsed.range).sort(), ['end', 'start']);
          for (const p of [parsed.range.start, parsed.range.end]) {
            assert.deepEqual(Object.keys(p).sort(), ['character', 'line']);
            assert.ok(Number.isSafeInteger(p.line) && p.line >= 0 && Number.isSafeInteger(p.character) && p.character >= 0);
          }
        }
      }),
      { seed: 0x5eed_10, numRuns: 2000 },
    );
  });
});

describe('webview messages: reveal opens only files inside the workspace', () => {
  const folders = ['file:///home/me/infra', 'file:///c%3A/work/repo'];

  it('opens files inside a folder, however VS Code prints their URI', () => {
    for (const uri of ['file:///home/me/infra/a.yaml', 'file:///home/me/infra/deep/er/b.bicep', 'file:///home/me/infra/./a.yaml', 'file:///home/me/infra/x/../a.yaml', 'file:///C:/work/repo/a.yaml', 'file:///c:/work/repo/sub/a.yaml', 'file:///home/me/infra/with%20space.yaml']) {
      assert.ok(revealAllowed(uri, folders), uri);
    }
  });

  it('refuses path traversal, other schemes, absolute paths outside, other hosts and look-alike folders', () => {
    const refused = [
      // traversal, plain and encoded, with slashes and (Windows) backslashes
      'file:///home/me/infra/../.ssh/id_rsa',
      'file:///home/me/infra/%2e%2e/.ssh/id_rsa',
      'file:///home/me/infra/%2E%2E%2F%2E%2E%2Fetc/passwd',
      'file:///home/me/infra/..%2f..%2fetc/passwd',
      'file:///home/me/infra/..\\..\\etc\\passwd',
      'file:///home/me/infra/..%5C..%5Csecret.yaml',
      'file:///c:/work/repo/..\\..\\Windows\\win.ini',
      'file:///c%3A/work/repo/%2e%2e%5C%2e%2e%5Csecret',
      // other schemes: a link to run code, a command, the network, another editor
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'command:workbench.action.terminal.new',
      'command:_workbench.downloadResource?%5B%22http%3A%2F%2Fevil%22%5D',
      'vscode:extension/evil.publisher',
      'vscode://vscode.git/clone?url=http://evil',
      'https://evil.example/home/me/infra/a.yaml',
      'http://localhost/home/me/infra/a.yaml',
      'data:text/html,<script>alert(1)</script>',
      'untitled:/home/me/infra/a.yaml',
      'vscode-remote://ssh-remote+evil/home/me/infra/a.yaml',
      'git:/home/me/infra/a.yaml',
      'FILE:/home/me/infra/a.yaml',
      // absolute paths outside the folders, as URIs and as bare paths
      'file:///etc/passwd',
      'file:///home/me/.ssh/id_rsa',
      'file:///c:/Windows/System32/drivers/etc/hosts',
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      '\\\\server\\share\\home\\me\\infra\\a.yaml',
      // other hosts (UNC paths on Windows), including localhost, which WHATWG URLs drop but VS Code keeps
      'file://evil.example/home/me/infra/a.yaml',
      'file://localhost/home/me/infra/a.yaml',
      'file://user@/home/me/infra/a.yaml',
      // look-alike folders and the folder itself
      'file:///home/me/infra-secrets/a.yaml',
      'file:///home/me/infra.bak/a.yaml',
      'file:///home/me/infra',
      'file:///home/me/infra/a%00.yaml',
      '',
      'not a uri',
    ];
    for (const uri of refused) {
      assert.equal(revealAllowed(uri, folders), false, `allowed: ${uri} (as VS Code prints it: ${asVsCodeUri(uri)})`);
      assert.equal(isInsideFolders(uri, folders), false, `allowed as written: ${uri}`);
    }
    assert.equal(revealAllowed('file:///home/me/infra/a.yaml', []), false, 'no workspace folder: nothing is revealed');
  });

  // Bugs found by the property below; each URI was revealed before the fix.
  it('refuses "infra///../../x" (a WHATWG URL resolved the dots before the slashes collapse, a file system the other way round)', () => {
    assert.equal(revealAllowed('file:///home/me/infra///../../.ssh/id_rsa', folders), false);
    assert.equal(revealAllowed('file:///home/me/infra/%2f/..%2f../.ssh/id_rsa', folders), false);
  });

  it('refuses "infra/..%5C..%5Cx": backslashes climb out of the folder on Windows', () => {
    assert.equal(revealAllowed('file:///c:/work/repo/..%5C..%5CWindows%5Cwin.ini', folders), false);
  });

  it('refuses file://localhost/…: a WHATWG URL drops the host, VS Code opens it as a UNC path', () => {
    assert.equal(revealAllowed('file://localhost/home/me/infra/a.yaml', folders), false);
  });

  it('allows a path only when the file it opens is inside a folder, and every file inside (property over traversal pieces)', () => {
    const piece = fc.constantFrom('a', 'b.yaml', '.', '..', '%2e%2e', '%2E.', '..%2f..', '..%5c..', '..\\..', '%5c', '%2f', 'infra', 'me', '', '%20');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const text = `file:///home/me/infra/${pieces.join('/')}`;
        const uri = URI.parse(text, true);
        // What Windows would open: backslashes are separators there.
        const opened = path.posix.resolve(uri.fsPath.replace(/\\/g, '/'));
        const allowed = revealAllowed(text, folders);
        if (allowed) assert.ok(opened === '/home/me/infra' || opened.startsWith('/home/me/infra/'), `${text} opens ${opened}, outside the folder`);
        if (opened.startsWith('/home/me/infra/')) assert.ok(allowed, `${text} opens ${opened}, inside, but is refused`);
      }),
      { seed: 0x5eed_10, numRuns: 2000 },
    );
  });
});
