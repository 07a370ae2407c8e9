// Every rule has a failing and a passing fixture (bad.yaml / good.yaml, or .bicep, or .tf). Lines marked
// `# expect: <rule-id>` (or `// expect:`) in the bad file must get exactly that finding on that line, and
// nothing else may be reported; `# expect: <rule-id> "<text>"` also requires that text in the finding's message
// (the numbers a message gives) (info-level advice of other rules, such as a kubenet retirement note,
// is allowed); the good file must get no finding of the rule and no error or warning at all.
// A fixture may also be a folder of files read together (`bad.bicep/` holding main.bicep and service.yaml, for a rule
// that joins infrastructure and manifests): the markers of all its files are checked, each on its own file's line,
// and a good folder must get no finding of the rule and no error or warning in any of its files.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { RULES } from '../../server/src/rules/catalogue.ts';
import { loadFromDisk } from '../../server/src/service/diskFiles.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'rules');

/** The fixtures of a rule: `bad.yaml`, `bad.bicep`, … or a folder `bad.<name>/` (or `good.*`), at least one. */
function fixtures(ruleId: string, kind: 'bad' | 'good'): string[] {
  const names = readdirSync(path.join(FIXTURES, ruleId)).filter((file) => file.startsWith(`${kind}.`));
  assert.ok(names.length > 0, `${ruleId} has a ${kind} fixture`);
  return names.map((name) => path.join(FIXTURES, ruleId, name));
}

/** A fixture's files: the file itself, or each file of a fixture folder. */
function filesOf(fixture: string): string[] {
  return statSync(fixture).isDirectory() ? readdirSync(fixture).sort().map((name) => path.join(fixture, name)) : [fixture];
}

/** A line of a fixture as findings and markers name it: its number, prefixed by its file's name in a fixture folder. */
const lineOf = (fixture: string, file: string, line: number) => (file === fixture ? `${line}` : `${path.relative(fixture, file)}:${line}`);

function check(fixture: string) {
  const files = new Map(filesOf(fixture).map((file) => [pathToFileURL(file).href, { file, text: readFileSync(file, 'utf8') }]));
  const workspace = new Workspace(loadFromDisk);
  for (const [uri, { text }] of files) workspace.setFile(uri, text);
  // A fixture folder may declare external ranges for its files, as a team does in .aksnetlens.yaml.
  const settings = path.join(path.dirname(fixture), '.aksnetlens.yaml');
  if (existsSync(settings)) workspace.setFile(pathToFileURL(settings).href, readFileSync(settings, 'utf8'));
  return workspace.analyze().findings.flatMap((finding) => {
    const read = files.get(finding.source.uri);
    if (!read) return [];
    const document = TextDocument.create(finding.source.uri, 'yaml', 0, read.text);
    return [{
      severity: finding.severity,
      rule: finding.rule,
      line: lineOf(fixture, read.file, document.positionAt(finding.source.start).line),
      text: read.text.slice(finding.source.start, finding.source.end),
      message: finding.message,
    }];
  });
}

// In a JSON fixture the marker sits in a string, its quotes escaped: `"_comment": "// expect: rule \"text\""`.
const EXPECT = /(?:#|\/\/) expect: ([a-z0-9-]+)(?: \\?"((?:[^"\\]|\\[^"])+)\\?")?/g;

/** The markers of a fixture's files: each as `<line>:<rule>` (`<file>:<line>:<rule>` in a fixture folder). */
function markers(fixture: string): { line: string; rule: string; text: string | undefined }[] {
  return filesOf(fixture).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => [...line.matchAll(EXPECT)].map((m) => ({ line: lineOf(fixture, file, index), rule: m[1]!, text: m[2] }))),
  );
}

function expectations(fixture: string): string[] {
  return markers(fixture).map((m) => `${m.line}:${m.rule}`).sort();
}

/** The message texts the bad fixture asks for: line, rule and the text its message must contain. */
function expectedMessages(fixture: string): { line: string; rule: string; text: string }[] {
  return markers(fixture).flatMap(({ line, rule, text }) => (text === undefined ? [] : [{ line, rule, text }]));
}

describe('rule fixtures', () => {
  before(() => loadHclParser());

  it('every rule has a fixture folder and every folder is a rule', () => {
    assert.deepEqual(readdirSync(FIXTURES).sort(), RULES.map((rule) => rule.id).sort());
  });

  // Rules on Azure resources are read from ASO/CAPZ YAML, from Bicep, from ARM JSON templates and from Terraform alike:
  // each has all four, failing and passing (a file, or a folder of files read together). Only rules about Kubernetes manifests (Services, Ingresses, NetworkPolicies) and read problems
  // of one format are exempt.
  const MANIFEST_OR_FORMAT = /^(lb-|load-balancer-|node-port-|service-selector-|ingress-|netpol-|cilium-|yaml-|file-not-read$|bicep-|terraform-)/;
  // A rule on a feature only ASO can express has no Terraform variant: its id and why. None today.
  const NOT_IN_TERRAFORM: ReadonlyMap<string, string> = new Map();
  it('every rule on Azure resources has bad and good fixtures in YAML, in Bicep, in ARM JSON and in Terraform', () => {
    for (const rule of RULES.filter((r) => !MANIFEST_OR_FORMAT.test(r.id))) {
      const names = readdirSync(path.join(FIXTURES, rule.id));
      const required = ['bad.yaml', 'good.yaml', 'bad.bicep', 'good.bicep', 'bad.json', 'good.json', ...(NOT_IN_TERRAFORM.has(rule.id) ? [] : ['bad.tf', 'good.tf'])];
      for (const name of required) assert.ok(names.includes(name), `${rule.id}/${name}`);
    }
    for (const id of NOT_IN_TERRAFORM.keys()) assert.ok(RULES.some((rule) => rule.id === id), `${id}, exempt from Terraform fixtures, is a rule`);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      for (const file of fixtures(rule.id, 'bad')) {
      it(`reports exactly the marked lines of ${path.basename(file)}`, () => {
        const expected = expectations(file);
        assert.ok(expected.some((e) => e.endsWith(`:${rule.id}`)), 'the bad fixture marks at least one finding of this rule');
        const findings = check(file).filter((f) => f.rule === rule.id || f.severity !== 'info' || expected.includes(`${f.line}:${f.rule}`));
        assert.deepEqual(findings.map((f) => `${f.line}:${f.rule}`).sort(), expected, JSON.stringify(findings, null, 1));
        for (const wanted of expectedMessages(file)) {
          const messages = findings.filter((f) => f.line === wanted.line && f.rule === wanted.rule).map((f) => f.message);
          assert.ok(messages.some((message) => message.includes(wanted.text)), `line ${wanted.line} (from 0): a ${wanted.rule} message with "${wanted.text}", got ${JSON.stringify(messages)}`);
        }
        for (const finding of findings.filter((f) => f.rule !== 'file-not-read')) {
          assert.ok(finding.text.length > 0 && !finding.text.includes('\n'), `range covers one line of text: ${JSON.stringify(finding)}`);
          assert.ok(finding.message.length > 20, 'message explains the problem');
        }
      });
      }

      for (const file of fixtures(rule.id, 'good')) {
        it(`reports nothing on ${path.basename(file)}`, () => {
          assert.deepEqual(check(file).filter((f) => f.rule === rule.id || f.severity !== 'info'), []);
        });
      }
    });
  }
});
