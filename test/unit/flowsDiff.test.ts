// The connectivity diff (flows/diff.ts) on small hand-written connection lists: what counts as added, removed and
// changed, the workloads-diff-info, External intervals compared address by address, and each format's order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffFlows, type FlowChange, formatDiffCsv, formatDiffMd, formatDiffText, NO_CONNECTIONS } from '../../server/src/flows/diff.ts';
import type { Flow } from '../../server/src/flows/engine.ts';

const flow = (src: string, dst: string, conn: string): Flow => ({ src, dst, conn });
const version = (flows: Flow[], workloads: string[]) => ({ flows, workloads });
const brief = (changes: readonly FlowChange[]) =>
  changes.map((c) => `${c.type} ${c.src} -> ${c.dst}: ${c.ref1} | ${c.ref2}${c.newOrLostSrc ? ' (src)' : ''}${c.newOrLostDst ? ' (dst)' : ''}`).sort();

const A = 'ns/a[Deployment]';
const B = 'ns/b[Deployment]';
const C = 'ns/c[Deployment]';
const ALL = 'All Connections';

describe('diffFlows', () => {
  it('reports added, removed and changed pairs, and leaves out the unchanged', () => {
    const before = version([flow(A, B, 'TCP 80'), flow(B, A, ALL), flow(A, C, 'UDP 53')], [A, B, C]);
    const after = version([flow(A, B, 'TCP 80,443'), flow(B, A, ALL), flow(C, A, 'TCP 8080')], [A, B, C]);
    assert.deepEqual(brief(diffFlows(before, after)), [
      `added ${C} -> ${A}: ${NO_CONNECTIONS} | TCP 8080`,
      `changed ${A} -> ${B}: TCP 80 | TCP 80,443`,
      `removed ${A} -> ${C}: UDP 53 | ${NO_CONNECTIONS}`,
    ]);
  });

  it('finds no change between equal versions', () => {
    const same = version([flow(A, B, 'TCP 80'), flow('0.0.0.0-255.255.255.255[External]', A, ALL)], [A, B]);
    assert.deepEqual(diffFlows(same, same), []);
    assert.equal(formatDiffText([]), '');
    assert.equal(formatDiffCsv([]), '');
    assert.equal(formatDiffMd([]), '');
  });

  it('marks the workloads only one version has', () => {
    const before = version([flow(A, B, ALL), flow(B, C, ALL)], [A, B, C]);
    const after = version([flow(A, 'ns/d[Pod]', ALL), flow('ns/d[Pod]', 'ns/e[Pod]', ALL), flow(C, A, ALL)], [A, C, 'ns/d[Pod]', 'ns/e[Pod]']);
    const text = formatDiffText(diffFlows(before, after));
    assert.equal(
      text,
      [
        'Connectivity diff:',
        `diff-type: added, source: ${A}, destination: ns/d[Pod], ref1: No Connections, ref2: ${ALL}, workloads-diff-info: workload ns/d[Pod] added`,
        `diff-type: added, source: ${C}, destination: ${A}, ref1: No Connections, ref2: ${ALL}`,
        `diff-type: added, source: ns/d[Pod], destination: ns/e[Pod], ref1: No Connections, ref2: ${ALL}, workloads-diff-info: workload ns/d[Pod] and ns/e[Pod] added`,
        `diff-type: removed, source: ${A}, destination: ${B}, ref1: ${ALL}, ref2: No Connections, workloads-diff-info: workload ${B} removed`,
        `diff-type: removed, source: ${B}, destination: ${C}, ref1: ${ALL}, ref2: No Connections, workloads-diff-info: workload ${B} removed`,
        '',
      ].join('\n'),
    );
  });

  it('never marks External peers or the ingress controller as workloads', () => {
    const after = version([flow('0.0.0.0-255.255.255.255[External]', A, ALL), flow('{ingress-controller}', A, 'TCP 80')], [A]);
    const changes = diffFlows(version([], []), after);
    assert.deepEqual(brief(changes), [
      `added 0.0.0.0-255.255.255.255[External] -> ${A}: ${NO_CONNECTIONS} | ${ALL} (dst)`,
      `added {ingress-controller} -> ${A}: ${NO_CONNECTIONS} | TCP 80 (dst)`,
    ]);
  });
});

describe('diffFlows on External intervals', () => {
  it('compares intervals split differently address by address, reporting only the pieces that changed', () => {
    const before = version([flow(A, '0.0.0.0-255.255.255.255[External]', ALL)], [A]);
    const after = version(
      [flow(A, '0.0.0.0-9.255.255.255[External]', ALL), flow(A, '10.0.0.0-10.255.255.255[External]', 'TCP 443'), flow(A, '11.0.0.0-255.255.255.255[External]', ALL)],
      [A],
    );
    assert.deepEqual(brief(diffFlows(before, after)), [`changed ${A} -> 10.0.0.0-10.255.255.255[External]: ${ALL} | TCP 443`]);
  });

  it('joins touching pieces with the same connections in both versions', () => {
    const before = version([flow('0.0.0.0-9.255.255.255[External]', A, 'UDP 53'), flow('10.0.0.0-255.255.255.255[External]', A, 'UDP 53')], [A]);
    const after = version([flow('0.0.0.0-255.255.255.255[External]', A, 'TCP 53')], [A]);
    assert.deepEqual(brief(diffFlows(before, after)), [`changed 0.0.0.0-255.255.255.255[External] -> ${A}: UDP 53 | TCP 53`]);
  });

  it('keeps pieces apart where a gap or another connection separates them', () => {
    const before = version([flow(A, '10.0.0.0-10.255.255.255[External]', 'TCP 80'), flow(A, '12.0.0.0-12.255.255.255[External]', 'TCP 80')], [A]);
    const after = version([flow(A, '10.0.0.0-10.127.255.255[External]', 'TCP 80'), flow(A, '11.0.0.0-11.255.255.255[External]', 'TCP 80')], [A]);
    assert.deepEqual(brief(diffFlows(before, after)), [
      `added ${A} -> 11.0.0.0-11.255.255.255[External]: ${NO_CONNECTIONS} | TCP 80`,
      `removed ${A} -> 10.128.0.0-10.255.255.255[External]: TCP 80 | ${NO_CONNECTIONS}`,
      `removed ${A} -> 12.0.0.0-12.255.255.255[External]: TCP 80 | ${NO_CONNECTIONS}`,
    ]);
  });

  it('keeps each direction and each workload apart', () => {
    const before = version([flow('0.0.0.0-255.255.255.255[External]', A, ALL), flow(B, '0.0.0.0-255.255.255.255[External]', ALL)], [A, B]);
    const after = version([flow(A, '0.0.0.0-255.255.255.255[External]', ALL), flow(B, '0.0.0.0-255.255.255.255[External]', ALL)], [A, B]);
    assert.deepEqual(brief(diffFlows(before, after)), [
      `added ${A} -> 0.0.0.0-255.255.255.255[External]: ${NO_CONNECTIONS} | ${ALL}`,
      `removed 0.0.0.0-255.255.255.255[External] -> ${A}: ${ALL} | ${NO_CONNECTIONS}`,
    ]);
  });
});

describe('diff formats', () => {
  const before = version([flow(B, A, 'TCP 80'), flow(A, B, ALL), flow('{ingress-controller}', A, 'TCP 80'), flow(A, C, 'TCP 1')], [A, B, C]);
  const after = version([flow(B, A, 'TCP 80,UDP 53'), flow(C, A, ALL), flow('{ingress-controller}', B, 'TCP 8080'), flow(A, C, 'TCP 2')], [A, B, C]);
  const changes = diffFlows(before, after);

  it('orders changed, added, removed, each sorted, then the ingress controller\'s changes', () => {
    assert.equal(
      formatDiffText(changes),
      [
        'Connectivity diff:',
        `diff-type: changed, source: ${A}, destination: ${C}, ref1: TCP 1, ref2: TCP 2`,
        `diff-type: changed, source: ${B}, destination: ${A}, ref1: TCP 80, ref2: TCP 80,UDP 53`,
        `diff-type: added, source: ${C}, destination: ${A}, ref1: No Connections, ref2: ${ALL}`,
        `diff-type: removed, source: ${A}, destination: ${B}, ref1: ${ALL}, ref2: No Connections`,
        `diff-type: added, source: {ingress-controller}, destination: ${B}, ref1: No Connections, ref2: TCP 8080`,
        `diff-type: removed, source: {ingress-controller}, destination: ${A}, ref1: TCP 80, ref2: No Connections`,
        '',
      ].join('\n'),
    );
  });

  it('writes CSV with a header, quoting fields that hold a comma', () => {
    const lines = formatDiffCsv(changes).split('\n');
    assert.equal(lines[0], 'diff-type,source,destination,ref1,ref2,workloads-diff-info');
    assert.equal(lines[2], `changed,${B},${A},TCP 80,"TCP 80,UDP 53",`);
    assert.equal(lines.length, 8);
    assert.equal(lines[7], '');
  });

  it('writes a Markdown table', () => {
    const lines = formatDiffMd(changes).split('\n');
    assert.equal(lines[0], '| diff-type | source | destination | ref1 | ref2 | workloads-diff-info |');
    assert.equal(lines[1], '|-----------|--------|-------------|------|------|---------------------|');
    assert.equal(lines[3], `| changed | ${B} | ${A} | TCP 80 | TCP 80,UDP 53 |  |`);
    assert.equal(lines[6], `| added | {ingress-controller} | ${B} | No Connections | TCP 8080 |  |`);
  });
});
