// The network map webview's HTML (its Content-Security-Policy above all) and the checks on the messages
// the webview sends back, without VS Code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, isInsideFolders, networkMapHtml, newNonce, parseWebviewMessage } from '../../client/src/networkMapView.ts';

const CSP_SOURCE = 'https://abc123.vscode-resource.vscode-cdn.net';
const RESOURCES = {
  cspSource: CSP_SOURCE,
  scriptUri: `${CSP_SOURCE}/ext/dist/webview.js`,
  styleUri: `${CSP_SOURCE}/ext/dist/webview.css`,
};

/** The CSP of the page's meta tag, as a map from directive to its sources. */
function cspOf(html: string): Map<string, string[]> {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'no CSP meta tag');
  const policy = match[1]!.replace(/&#39;|&apos;/g, "'");
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('network map webview HTML', () => {
  const nonce = newNonce();
  const html = networkMapHtml({ ...RESOURCES, nonce });

  it('has a strict CSP: nothing by default, our script by nonce, our stylesheet, images only from us or data:', () => {
    const csp = cspOf(html);
    assert.deepEqual([...csp.keys()].sort(), ['default-src', 'img-src', 'script-src', 'style-src']);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(csp.get('style-src'), [CSP_SOURCE]);
    assert.deepEqual(csp.get('img-src'), [CSP_SOURCE, 'data:']);
    for (const sources of csp.values()) {
      for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:']) assert.ok(!sources.includes(forbidden), `CSP allows ${forbidden}`);
    }
    assert.equal(contentSecurityPolicy(CSP_SOURCE, nonce), `default-src 'none'; img-src ${CSP_SOURCE} data:; style-src ${CSP_SOURCE}; script-src 'nonce-${nonce}'`);
  });

  it('loads exactly one script, by nonce and from the extension, and no inline script, style or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]![1]!, new RegExp(`nonce="${nonce}"`));
    assert.match(scripts[0]![1]!, new RegExp(`src="${RESOURCES.scriptUri.replace(/[.]/g, '\\.')}"`));
    assert.equal(scripts[0]![2]!.trim(), '', 'the script tag has no inline code');
    assert.doesNotMatch(html, /<style\b/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler');
    assert.doesNotMatch(html, /https?:\/\/(?!abc123\.vscode-resource)/, 'a remote resource');
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${RESOURCES.styleUri.replace(/[.]/g, '\\.')}">`));
  });

  it('carries no workspace data: the map arrives by message', () => {
    assert.doesNotMatch(html, /vnet|subnet|10\.\d+\./i);
  });

  it('uses a fresh nonce each time and rejects a nonce that could break out of the attribute', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9]{32}$/);
    assert.throws(() => networkMapHtml({ ...RESOURCES, nonce: `x" onload="alert(1)` }));
    assert.throws(() => networkMapHtml({ ...RESOURCES, nonce: 'short' }));
  });

  it('escapes the resource URIs it writes into attributes', () => {
    const odd = networkMapHtml({ ...RESOURCES, nonce, scriptUri: `${CSP_SOURCE}/a"><script>alert(1)</script>` });
    assert.equal([...odd.matchAll(/<script\b/g)].length, 1);
    assert.match(odd, /a&quot;&gt;&lt;script&gt;/);
  });

  it('the webview bundle uses no eval, no Function constructor and no innerHTML', () => {
    const folder = path.join(import.meta.dirname, '..', '..', 'client', 'webview');
    const files = readdirSync(folder).filter((f) => f.endsWith('.ts'));
    assert.ok(files.includes('main.ts') && files.includes('canvas.ts') && files.length >= 7, files.join(', '));
    const sources = files.map((f) => readFileSync(path.join(folder, f), 'utf8')).join('\n');
    assert.doesNotMatch(sources, /\beval\s*\(|new Function\b|\binnerHTML\b|outerHTML|insertAdjacentHTML|document\.write/);
  });
});

describe('messages from the network map webview', () => {
  const range = { start: { line: 33, character: 17 }, end: { line: 33, character: 29 } };

  it('accepts the messages it knows, with the right fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', view: 'policies' }), { type: 'ready', view: 'policies' });
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', uri: 'file:///w/a.yaml', range, extra: 1 }), { type: 'reveal', uri: 'file:///w/a.yaml', range });
    assert.deepEqual(parseWebviewMessage({ type: 'exportSvg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }), {
      type: 'exportSvg',
      svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'exportPng', base64: 'iVBORw0KGgo=' }), { type: 'exportPng', base64: 'iVBORw0KGgo=' });
  });

  it('drops anything else', () => {
    const bad: unknown[] = [
      null,
      'reveal',
      [],
      {},
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'reveal', uri: 'file:///w/a.yaml' },
      { type: 'reveal', uri: 42, range },
      { type: 'reveal', uri: '', range },
      { type: 'reveal', uri: 'file:///w/a.yaml', range: { start: { line: -1, character: 0 }, end: range.end } },
      { type: 'reveal', uri: 'file:///w/a.yaml', range: { start: { line: 1.5, character: 0 }, end: range.end } },
      { type: 'reveal', uri: 'file:///w/a.yaml', range: { start: { line: '1', character: 0 }, end: range.end } },
      { type: 'reveal', uri: 'x'.repeat(10_000), range },
      { type: 'exportSvg', svg: '<html><script>alert(1)</script></html>' },
      { type: 'exportSvg', svg: 42 },
      { type: 'exportPng', base64: 'not base64!' },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message)?.slice(0, 80));
  });
});

describe('the plan message', () => {
  it('takes dismissPlan with nothing else needed, and ignores extra fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'dismissPlan' }), { type: 'dismissPlan' });
    assert.deepEqual(parseWebviewMessage({ type: 'dismissPlan', plan: { evil: true } }), { type: 'dismissPlan' });
  });
});

describe('the workload filter message', () => {
  it('takes printable text up to 100 characters, trimmed, and an empty text to clear', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'filter', text: '  shop/web ' }), { type: 'filter', text: 'shop/web' });
    assert.deepEqual(parseWebviewMessage({ type: 'filter', text: '' }), { type: 'filter', text: '' });
    assert.deepEqual(parseWebviewMessage({ type: 'filter', text: 'x'.repeat(100) }), { type: 'filter', text: 'x'.repeat(100) });
  });

  it('drops a missing, non-string, over-long or control-character text', () => {
    for (const bad of [{ type: 'filter' }, { type: 'filter', text: 42 }, { type: 'filter', text: ['a'] }, { type: 'filter', text: 'x'.repeat(101) }, { type: 'filter', text: 'a\u0000b' }, { type: 'filter', text: 'a\nb' }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('the environment picker message', () => {
  it("takes a parameters file's URI, or '' for every environment", () => {
    assert.deepEqual(parseWebviewMessage({ type: 'environment', environment: 'file:///w/dev.bicepparam' }), { type: 'environment', environment: 'file:///w/dev.bicepparam' });
    assert.deepEqual(parseWebviewMessage({ type: 'environment', environment: '' }), { type: 'environment', environment: '' });
  });

  it('drops a missing, non-string, over-long or control-character environment', () => {
    for (const bad of [{ type: 'environment' }, { type: 'environment', environment: 1 }, { type: 'environment', environment: 'x'.repeat(8193) }, { type: 'environment', environment: 'a\u0000b' }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the page has the picker, hidden until the map lists environments', () => {
    const html = networkMapHtml({ cspSource: 'vscode-webview://x', scriptUri: 'a.js', styleUri: 'a.css', nonce: 'A'.repeat(32) });
    assert.match(html, /<select id="environment"[^>]* hidden><option value="">All environments<\/option><\/select>/);
  });
});

describe('revealing only files inside the workspace folders', () => {
  const folders = ['file:///home/me/infra', 'file:///home/me/other%20repo'];

  it('accepts files below a folder', () => {
    assert.ok(isInsideFolders('file:///home/me/infra/staging/network.yaml', folders));
    assert.ok(isInsideFolders('file:///home/me/other%20repo/a.bicep', folders));
    assert.ok(isInsideFolders('file:///home/me/other repo/a.bicep', folders));
  });

  it('rejects files elsewhere, look-alike folders, traversal, other schemes and hosts', () => {
    for (const uri of [
      'file:///home/me/infra',
      'file:///home/me/infra-secrets/key.yaml',
      'file:///home/me/infra/../.ssh/id_rsa',
      'file:///home/me/infra/%2e%2e/.ssh/id_rsa',
      'file:///etc/passwd',
      'file://evil.example/home/me/infra/a.yaml',
      'vscode-remote://host/home/me/infra/a.yaml',
      'untitled:Untitled-1',
      'not a uri',
      'file:///home/me/infra/a%00.yaml',
    ]) {
      assert.equal(isInsideFolders(uri, folders), false, uri);
    }
    assert.equal(isInsideFolders('file:///home/me/infra/a.yaml', []), false);
  });

  it('compares Windows drive letters without case', () => {
    assert.ok(isInsideFolders('file:///C:/work/infra/a.yaml', ['file:///c%3A/work/infra']));
  });
});
