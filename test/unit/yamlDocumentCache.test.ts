// Reading an edited multi-document YAML file with the unchanged documents' results reused gives exactly what
// reading the edited text from scratch gives: the same facts in the same order (so the same findings).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readYamlDocuments, type YamlDocumentCache } from '../../server/src/readers/yaml/yamlDocumentCache.ts';
import { readYamlFile } from '../../server/src/readers/yaml/yamlReader.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const URI = 'file:///w/edited.yaml';
const ROOT = path.join(import.meta.dirname, '..', '..');

/** Reads `text` reusing `cache`, checks it against a read from scratch, and returns the new cache. */
function readAndCompare(text: string, cache: YamlDocumentCache | undefined, what: string): YamlDocumentCache {
  const { facts, cache: next } = readYamlDocuments(URI, text, cache);
  assert.deepStrictEqual(facts, readYamlFile(URI, text), what);
  return next;
}

function edit(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

const VNET = (name: string, prefix: string) => `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: ${name}
spec:
  addressSpace:
    addressPrefixes: [${prefix}]
`;
const SUBNET = (name: string, vnet: string, prefix: string) => `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: ${name}
spec:
  owner:
    name: ${vnet}
  addressPrefix: ${prefix}
`;
const CAPI_CLUSTER = (pods: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: capz
spec:
  clusterNetwork:
    pods:
      cidrBlocks: [${pods}]
    services:
      cidrBlocks: [10.96.0.0/16]
  controlPlaneRef:
    kind: AzureManagedControlPlane
    name: capz-cp
`;
const CONTROL_PLANE = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedControlPlane
metadata:
  name: capz-cp
spec:
  networkPlugin: azure
  dnsServiceIP: 10.96.0.10
  virtualNetwork:
    cidrBlock: 10.30.0.0/16
    subnet:
      name: nodes
      cidrBlock: 10.30.0.0/20
`;
const ROUTE_TABLE = `apiVersion: network.azure.com/v1api20240301
kind: RouteTable
metadata:
  name: udr
spec:
  azureName: udr
`;
const ROUTE = `apiVersion: network.azure.com/v1api20240301
kind: RouteTablesRoute
metadata:
  name: default
spec:
  owner:
    name: udr
  addressPrefix: 0.0.0.0/0
  nextHopType: VirtualAppliance
`;

const join = (...documents: string[]) => documents.join('---\n');

describe('YAML document cache', () => {
  it('reuses unchanged documents: after an edit in one, the others keep their facts (same objects)', () => {
    const documents = Array.from({ length: 40 }, (_, i) => (i % 2 ? SUBNET(`s${i}`, 'vnet', `10.0.${i}.0/24`) : VNET(`v${i}`, `10.${i}.0.0/16`)));
    const text = join(...documents);
    const first = readYamlDocuments(URI, text);
    const edited = text.replace('10.0.21.0/24', '10.0.22.0/24');
    const second = readYamlDocuments(URI, edited, first.cache);
    assert.deepStrictEqual(second.facts, readYamlFile(URI, edited));
    assert.equal(second.facts.subnets[0], first.facts.subnets[0], 'an unchanged document is not read again');
    assert.notEqual(second.facts.subnets[10], first.facts.subnets[10], 'the edited document is read again');
    assert.equal(second.cache.documents?.[0], first.cache.documents?.[0]);
    // Text inserted at the top moves every later document; their sources move with them.
    const grown = `# a comment\n${edited}`;
    const third = readYamlDocuments(URI, grown, second.cache);
    assert.deepStrictEqual(third.facts, readYamlFile(URI, grown));
    assert.equal(third.facts.subnets[3]!.source.start, second.facts.subnets[3]!.source.start + '# a comment\n'.length);
  });

  it('joins CAPI control planes with the Cluster that names them in another document, after every edit', () => {
    let text = join(VNET('v', '10.1.0.0/16'), CONTROL_PLANE, SUBNET('s', 'v', '10.1.0.0/24'), CAPI_CLUSTER('192.168.0.0/16'));
    let cache = readAndCompare(text, undefined, 'cold');
    const before = readYamlDocuments(URI, text, cache).facts.clusters[0]!;
    assert.equal(before.podCidrs.length, 1);
    // The Cluster's pod range changes: the control plane (an unchanged document) takes the new network.
    text = text.replace('192.168.0.0/16', '172.16.0.0/16');
    cache = readAndCompare(text, cache, 'Cluster edited');
    // Text grows before both: the control plane's cluster points at the moved Cluster's pod range.
    text = `# top\n${text}`;
    cache = readAndCompare(text, cache, 'both moved');
    // The Cluster goes away, then comes back before the control plane.
    const withoutCluster = text.slice(0, text.lastIndexOf('---\n'));
    cache = readAndCompare(withoutCluster, cache, 'Cluster removed');
    text = join(CAPI_CLUSTER('10.244.0.0/16'), withoutCluster);
    cache = readAndCompare(text, cache, 'Cluster added first');
    // Two Clusters name the same control plane: the later one wins, in both reads.
    text = join(text, CAPI_CLUSTER('10.250.0.0/16'));
    readAndCompare(text, cache, 'two Clusters');
  });

  it('reads a route apart from its route table in another document: the model joins them by name, and documents stay reusable', () => {
    let text = join(ROUTE_TABLE, VNET('v', '10.2.0.0/16'), ROUTE);
    let cache = readAndCompare(text, undefined, 'route in another document');
    assert.equal(cache.documents?.length, 3, 'no reader looks across documents');
    text = text.replace('10.2.0.0/16', '10.3.0.0/16');
    cache = readAndCompare(text, cache, 'edited');
    // The table as declared (complete, no inline routes) and the route under its table's name (rules add them up by name).
    const tables = readYamlFile(URI, text).routeTables.map((t) => [t.name, t.routes.length, t.routesComplete]);
    assert.deepEqual(tables, [
      ['udr', 0, true],
      ['udr', 1, false],
    ]);
  });

  it('reads files with directives, document end markers or a changed line break style the same', () => {
    const base = join(VNET('v', '10.4.0.0/16'), SUBNET('s', 'v', '10.4.1.0/24'));
    let cache = readAndCompare(base, undefined, 'plain');
    cache = readAndCompare(`%YAML 1.2\n---\n${base}`, cache, 'directive');
    cache = readAndCompare(base.replace('---\n', '...\n---\n'), cache, 'document end');
    cache = readAndCompare(base, cache, 'plain again');
    assert.equal(cache.documents?.length, 2, 'read per document again once the directive and marker are gone');
    cache = readAndCompare(base.replace(/\n/g, '\r\n'), cache, 'CRLF');
    readAndCompare(base.replace(/\n/g, '\r\n').replace('10.4.1.0/24', '10.4.2.0/24'), cache, 'CRLF edited');
  });

  it('moves documents whose keys come from offsets (a VNet named by a placeholder) by reading them again', () => {
    let text = join(VNET('${VNET_NAME}', '10.5.0.0/16'), SUBNET('s', 'x', '10.5.0.0/24'));
    let cache = readAndCompare(text, undefined, 'cold');
    text = `# moved\n${text}`;
    cache = readAndCompare(text, cache, 'moved');
    readAndCompare(text.replace('10.5.0.0/24', '10.5.1.0/24'), cache, 'edited');
  });

  it('gives the same facts as a whole read for every YAML file of the corpus, the fixtures and the examples, through edits', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(entry.name)) files.push(full);
      }
    };
    for (const dir of [path.join(ROOT, '..', 'shared', 'corpus'), path.join(ROOT, 'test', 'fixtures'), path.join(ROOT, 'examples')]) walk(dir);
    assert.ok(files.length > 50, `${files.length} files`);
    for (const file of files) {
      const original = readFileSync(file, 'utf8');
      let text = original;
      let cache = readAndCompare(text, undefined, file);
      // Edits at a few places: a character typed, one removed, a line duplicated, a document marker broken and mended.
      for (const fraction of [0.1, 0.5, 0.9]) {
        const at = Math.floor(text.length * fraction);
        text = edit(text, at, 0, 'x');
        cache = readAndCompare(text, cache, `${file}: typed at ${at}`);
        text = edit(text, at, 1, '');
        cache = readAndCompare(text, cache, `${file}: removed at ${at}`);
        const lineStart = text.lastIndexOf('\n', at) + 1;
        const lineEnd = text.indexOf('\n', at);
        if (lineEnd !== -1) {
          text = edit(text, lineStart, 0, text.slice(lineStart, lineEnd + 1));
          cache = readAndCompare(text, cache, `${file}: line doubled at ${lineStart}`);
        }
      }
      const marker = text.indexOf('\n---', 1);
      if (marker !== -1) {
        text = edit(text, marker + 1, 1, '');
        cache = readAndCompare(text, cache, `${file}: marker broken`);
        text = edit(text, marker + 1, 0, '-');
        readAndCompare(text, cache, `${file}: marker mended`);
      }
    }
  });

  it('gives the same facts as a whole read after any sequence of edits (property)', () => {
    const pieces = [
      VNET('v1', '10.6.0.0/16'),
      SUBNET('s1', 'v1', '10.6.1.0/24'),
      CAPI_CLUSTER('192.168.0.0/16'),
      CONTROL_PLANE,
      ROUTE_TABLE,
      'kind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: a }\n    spec: { type: LoadBalancer, loadBalancerIP: 10.6.1.9 }\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "quoted\n---\n  still"\n',
      'key: [unclosed\n',
      'block: |\n  text\n---\n',
      '--- |\nroot block\n',
      "single: 'it''s\n  two lines'\nflow: {a: [1, 2,\n  3]}\n",
      'anchor: &a 10.6.3.0/24\nalias: *a\n? complex\n: key\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: "ns"}\nspec: {type: LoadBalancer, loadBalancerIP: "10.6.1.10"}\n',
      '# only a comment\n',
      '',
    ];
    const editArbitrary = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 12 }),
      insert: fc.constantFrom('', 'x', '\n', '---\n', '\n---\n', ' ', ': ', '- ', '"', "'", '[', '{', '|\n', '*a', '\t', '\r\n', '10.6.2.0/24', '...\n', '%TAG ! x\n', '  '),
    });
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }), fc.array(editArbitrary, { maxLength: 10 }), (documents, edits) => {
        let text = documents.join('---\n');
        let cache = readAndCompare(text, undefined, 'cold');
        for (const { at, remove, insert } of edits) {
          text = edit(text, at % (text.length + 1), remove, insert);
          cache = readAndCompare(text, cache, JSON.stringify(text));
        }
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('in the workspace: an edited open document gives the findings of a cold read of the edited text', () => {
    const documents = [VNET('vnet', '10.7.0.0/16'), ...Array.from({ length: 12 }, (_, i) => SUBNET(`s${i}`, 'vnet', `10.7.${i}.0/24`)), CONTROL_PLANE, CAPI_CLUSTER('10.7.0.0/16')];
    let text = join(...documents);
    const open = new Workspace();
    open.setFile(URI, text, 1, { open: true });
    const edits: [string, string][] = [
      ['10.7.5.0/24', '10.7.4.0/25'], // now overlaps s4
      ['10.7.0.0/16\n', '10.7.0.0/15\n'], // the Cluster's pod range (the last 10.7.0.0/16 is in the Cluster)
      ['name: s0', 'name: s0-renamed-longer'], // text grows before most documents
      ['10.7.4.0/25', '10.7.5.0/24'],
    ];
    edits.forEach(([from, to], i) => {
      const at = from === '10.7.0.0/16\n' ? text.lastIndexOf(from) : text.indexOf(from);
      text = edit(text, at, from.length, to);
      open.setFile(URI, text, i + 2, { open: true });
      const cold = new Workspace();
      cold.setFile(URI, text);
      assert.deepStrictEqual(open.analyze().findings, cold.analyze().findings, `after edit ${i}`);
    });
    assert.ok(open.analyze().findings.length > 0);
  });
});
