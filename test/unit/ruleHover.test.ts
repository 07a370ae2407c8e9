// Hover on a NetworkPolicy rule (issue 19, item 4 in the editor): the connections of the file that this rule allows,
// with the ports it allows, as the explain engine names the rules behind each flow; a peer's selector inside the
// rule keeps its own hover.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { hoverAt } from '../../server/src/service/hover.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const SHOP = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'network-map', 'shop.yaml'), 'utf8');
const URI = 'file:///w/shop/policies.yaml';

/** The hover's text at the first line (0-based) matching `line` after the line `after`, at column `column` of it. */
function hoverOn(text: string, after: string, line: RegExp, column: (found: string) => number): string {
  const workspace = new Workspace();
  workspace.setFile(URI, text);
  const lines = text.split('\n');
  const start = lines.indexOf(after);
  assert.ok(start >= 0, after);
  const index = lines.findIndex((l, i) => i > start && line.test(l));
  assert.ok(index >= 0, String(line));
  const hover = hoverAt(workspace, URI, { line: index, character: column(lines[index]!) });
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
}

describe('hover on a NetworkPolicy rule', () => {
  it("names the rule and the flows it allows, on its 'from' and on its ports", () => {
    const onFrom = hoverOn(SHOP, '  name: db-from-api', /- from:/, (l) => l.indexOf('from'));
    assert.match(onFrom, /^\*\*Ingress rule #1\*\* of NetworkPolicy shop\/db-from-api/);
    assert.match(onFrom, /Allows, among this file's workloads:\n- shop\/api\[Deployment\] → shop\/db\[StatefulSet\]: TCP 5432$/);
    const onPort = hoverOn(SHOP, '  name: db-from-api', /port: 5432/, (l) => l.indexOf('5432') + 1);
    assert.equal(onPort, onFrom);
  });

  it('lists only what this rule allows: the outside into web on 8080, not the other rules’ flows', () => {
    const text = hoverOn(SHOP, '  name: web-from-anywhere', /- from:/, (l) => l.indexOf('from'));
    assert.match(text, /^\*\*Ingress rule #1\*\* of NetworkPolicy shop\/web-from-anywhere/);
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('- ')), ['- 0.0.0.0-255.255.255.255[External] → shop/web[Deployment]: TCP 8080']);
  });

  it('gives the ports of this rule when another rule allows more of the same pair', () => {
    const wider = SHOP.replace(
      '      ports: [{ protocol: TCP, port: 5432 }]',
      '      ports: [{ protocol: TCP, port: 5432 }]\n    - from:\n        - podSelector:\n            matchLabels: { app: api }\n      ports: [{ protocol: TCP, port: 9187 }]',
    );
    const first = hoverOn(wider, '  name: db-from-api', /- from:/, (l) => l.indexOf('from'));
    assert.match(first, /^\*\*Ingress rule #1\*\*/);
    assert.match(first, /- shop\/api\[Deployment\] → shop\/db\[StatefulSet\]: TCP 5432$/);
    const lines = wider.split('\n');
    const second = lines.findIndex((l, i) => l === '    - from:' && lines.slice(0, i).filter((x) => x === '    - from:').length === 3);
    const workspace = new Workspace();
    workspace.setFile(URI, wider);
    const hover = hoverAt(workspace, URI, { line: second, character: 7 });
    const text = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(text, /^\*\*Ingress rule #2\*\* of NetworkPolicy shop\/db-from-api/);
    assert.match(text, /- shop\/api\[Deployment\] → shop\/db\[StatefulSet\]: TCP 9187$/);
  });

  it('says nothing is allowed by a rule no workload of the file meets, and keeps the peer selector its own hover', () => {
    const none = SHOP.replace(/(name: db-from-api[\s\S]*?matchLabels: \{ app: )api/, '$1cache');
    const text = hoverOn(none, '  name: db-from-api', /- from:/, (l) => l.indexOf('from'));
    assert.match(text, /Allows, among this file's workloads: nothing$/);
    const peer = hoverOn(SHOP, '  name: db-from-api', /- podSelector:/, (l) => l.indexOf('podSelector') + 2);
    assert.match(peer, /^\*\*Peer\*\*/);
  });
});
