// Fuzzing the readers: the YAML/JSON reader, the workspace settings reader, the Bicep lexer and parser, the
// Bicep evaluator, and the Terraform parser and evaluator, on mutated real files and on generated ones. Nothing throws,
// no evaluation does more work than its step budget allows (counted, not timed: see assertWithinBudgets), the parser's
// work is linear in the tokens, and every offset a reader records lies inside the text it read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { readFile } from '../../server/src/readers/index.ts';
import { loadHclParser } from '../../server/src/readers/terraform/hclParser.ts';
import { lexBicep } from '../../server/src/readers/bicep/lexer.ts';
import { type ParseWork, parseBicep } from '../../server/src/readers/bicep/parser.ts';
import { Workspace } from '../../server/src/service/workspace.ts';
import { bicepWorkspace, manifestFile } from './generators.ts';
import {
  assertLinearParse,
  assertOffsetsInside,
  assertWithinBudgets,
  type InputFile,
  insertText,
  metered,
  mutations,
  mutateAll,
  realInputs,
  runProperty,
  siblingsOf,
  sourcesIn,
} from './fuzzSupport.ts';

/** Reads a file with the reader its name selects; checks the evaluation budgets it used and every recorded source. */
function checkRead(uri: string, text: string): void {
  const { result: read, budgets } = metered(() => readFile(uri, text));
  assertWithinBudgets(`reading ${uri}`, budgets, [text]);
  if (!read) return;
  for (const source of sourcesIn(read.facts)) {
    if (source.uri !== undefined && source.uri !== uri) continue;
    assertOffsetsInside(source, text, `${uri}: source ${JSON.stringify(source)}`);
  }
  if (read.program) checkProgram(text, read.program);
}

/** A parsed Bicep program: no internal error, every span and diagnostic inside the text. */
function checkProgram(text: string, program: ReturnType<typeof parseBicep>): void {
  for (const diagnostic of program.diagnostics) {
    assert.doesNotMatch(diagnostic.message, /internal error/, 'the parser threw and caught its own exception');
    assertOffsetsInside(diagnostic, text, `diagnostic ${diagnostic.message}`);
  }
  for (const span of sourcesIn(program.statements)) assertOffsetsInside(span, text, `span ${JSON.stringify(span).slice(0, 120)}`);
}

function checkLexer(text: string): void {
  const { tokens, diagnostics } = lexBicep(text);
  // Every token but the end of the file takes at least one character.
  assert.ok(tokens.length <= text.length + 1, `${tokens.length} tokens from ${text.length} characters`);
  assert.equal(tokens.at(-1)?.kind, 'EndOfFile');
  assert.equal(tokens.filter((t) => t.kind === 'EndOfFile').length, 1);
  let last = 0;
  for (const token of tokens) {
    assertOffsetsInside(token, text, `token ${token.kind}`);
    assert.ok(token.start >= last, `token ${token.kind} at ${token.start} before the previous token's end ${last}`);
    last = token.end;
  }
  for (const d of diagnostics) assertOffsetsInside(d, text, `lexer diagnostic ${d.message}`);
}

/**
 * Evaluates a set of files as one workspace: no rule fails, the evaluator and lowering do not throw, every evaluation
 * stays within its budget and says where it stopped, and the model is no larger than the work that made it.
 */
function checkWorkspace(files: Record<string, string>): void {
  const workspace = new Workspace((uri) => files[uri]);
  const { result: analysis, budgets } = metered(() => {
    for (const [uri, text] of Object.entries(files)) workspace.setFile(uri, text);
    return workspace.analyze();
  });
  assertWithinBudgets('analysis', budgets, Object.values(files), analysis.model);
  assert.deepEqual(analysis.failures, []);
  for (const finding of analysis.findings) {
    const text = files[finding.source.uri];
    if (text !== undefined) assertOffsetsInside(finding.source, text, `finding ${finding.rule}`);
  }
}

describe('fuzz: readers', () => {
  let inputs: InputFile[] = [];
  let texts: string[] = [];
  let bicep: InputFile[] = [];
  before(async () => {
    await loadHclParser();
    inputs = await realInputs();
    texts = inputs.map((f) => f.text);
    bicep = inputs.filter((f) => f.uri.endsWith('.bicep'));
    assert.ok(inputs.length > 50 && bicep.length > 10, `${inputs.length} inputs, ${bicep.length} Bicep`);
  });

  it('reads mutated real files (YAML, JSON, Bicep, .aksnetlens.yaml) without throwing, within the evaluation budgets, with offsets inside', async (t) => {
    await runProperty(t, 260, fc.property(fc.nat(), mutations, fc.constantFrom('', '', '', 'json', 'settings'), (index, list, renameAs) => {
      const file = inputs[index % inputs.length]!;
      const text = mutateAll(file.text, list, texts);
      // The same text read as another format: YAML as JSON, anything as the workspace settings file.
      const uri = renameAs === 'json' ? `${file.uri}.json` : renameAs === 'settings' ? file.uri.replace(/[^/]*$/, '.aksnetlens.yaml') : file.uri;
      checkRead(uri, text);
    }));
  });

  it('lexes and parses mutated Bicep and token soup without an internal error, spans inside the text', async (t) => {
    const soup = fc.array(fc.oneof(insertText, fc.constantFrom('param', 'var', 'resource', 'module', 'for', 'in', 'if', '=', ':', ',', '(', ')', '{', '}', '[', ']', '\n', ' ', "'a'", '1', 'x', '.', '?', '::', '@d()', '=>', '!')), { maxLength: 80 }).map((parts) => parts.join(''));
    const input = fc.oneof(
      fc.tuple(fc.nat(), mutations).map(([index, list]) => mutateAll(bicep[index % bicep.length]!.text, list, texts)),
      soup,
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    await runProperty(t, 220, fc.property(input, (text) => {
      checkLexer(text);
      const work: ParseWork = { tokens: 0, reads: 0 };
      checkProgram(text, parseBicep(text, { work }));
      assertLinearParse(work, text);
    }));
  });

  it('parses and evaluates generated Bicep workspaces (loops, conditions, module cycles, every builtin)', async (t) => {
    await runProperty(t, 160, fc.property(bicepWorkspace, fc.array(fc.record({ file: fc.boolean(), list: mutations }), { maxLength: 1 }), (files, extra) => {
      const byUri: Record<string, string> = {};
      for (const [name, text] of Object.entries(files)) byUri[`file:///fuzz/${name}`] = text;
      for (const { file, list } of extra) {
        const uri = file && byUri['file:///fuzz/mod.bicep'] !== undefined ? 'file:///fuzz/mod.bicep' : 'file:///fuzz/main.bicep';
        byUri[uri] = mutateAll(byUri[uri]!, list);
      }
      for (const text of Object.values(byUri)) {
        const work: ParseWork = { tokens: 0, reads: 0 };
        checkProgram(text, parseBicep(text, { work }));
        assertLinearParse(work, text);
      }
      checkWorkspace(byUri);
    }));
  });

  it('evaluates hostile Bicep within its step budget, saying where it stopped: module cycles and fan-out in loops, loops of loops, doubling strings and arrays, long chains', async (t) => {
    const vnet = (prefixes: string, name = "'v'") =>
      `resource vn 'Microsoft.Network/virtualNetworks@2023-11-01' = {\n  name: ${name}\n  properties: { addressSpace: { addressPrefixes: ${prefixes} } }\n}\n`;
    const n = fc.integer({ min: 1, max: 10_000 });
    const levels = fc.integer({ min: 1, max: 40 });
    const hostile: fc.Arbitrary<Record<string, string>> = fc.oneof(
      n.map((count) => ({ 'a.bicep': `module self 'a.bicep' = [for i in range(0, ${count}): { name: 'm\${i}' }]\n${vnet("['10.0.0.0/16']")}` })),
      n.map((count) => ({
        'a.bicep': `module b 'b.bicep' = [for i in range(0, ${count}): { name: 'b\${i}' }]\n`,
        'b.bicep': `module a 'a.bicep' = [for i in range(0, ${count}): { name: 'a\${i}' }]\n${vnet("['10.1.0.0/16']")}`,
        'main.bicep': `module a 'a.bicep' = { name: 'a' }\n`,
      })),
      fc.tuple(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 2, max: 8 })).map(([count, depth]) =>
        Object.fromEntries(Array.from({ length: depth }, (_, i) => [
          `f${i}.bicep`,
          `param cidr string = '10.${i}.0.0/16'\n${i + 1 < depth ? `module next 'f${i + 1}.bicep' = [for i in range(0, ${count}): { name: 'n\${i}', params: { cidr: cidrSubnet(cidr, 24, i % 256) } }]\n` : ''}${vnet('[ cidr ]')}`,
        ])),
      ),
      fc.tuple(n, n).map(([a, b]) => ({ 'a.bicep': vnet(`[for i in range(0, ${a}): [for j in range(0, ${b}): cidrSubnet('10.0.0.0/8', 24, j % 65536)]]`) })),
      levels.map((k) => ({ 'a.bicep': `var s0 = '10.0.0.0/8'\n${Array.from({ length: k }, (_, i) => `var s${i + 1} = '\${s${i}}\${s${i}}'`).join('\n')}\n${vnet(`[ s0 ]`, `s${k}`)}` })),
      levels.map((k) => ({ 'a.bicep': `var a0 = ['10.0.0.0/8']\n${Array.from({ length: k }, (_, i) => `var a${i + 1} = concat(a${i}, a${i})`).join('\n')}\n${vnet(`a${k}`)}` })),
      levels.map((k) => ({ 'a.bicep': `var a0 = range(0, 100)\n${Array.from({ length: k }, (_, i) => `var a${i + 1} = [for x in a${i}: a${i}]`).join('\n')}\n${vnet(`[ string(length(a${k})) ]`)}` })),
      fc.integer({ min: 1, max: 5000 }).map((k) => ({ 'a.bicep': `var v0 = '10.0.0.0/16'\n${Array.from({ length: k }, (_, i) => `var v${i + 1} = v${i}`).join('\n')}\n${vnet(`[ v${k} ]`)}` })),
      fc.integer({ min: 1, max: 20_000 }).map((k) => ({ 'a.bicep': vnet(`[ ${'('.repeat(k)}'10.0.0.0/16'${')'.repeat(k)} ]`) })),
      fc.integer({ min: 1, max: 20_000 }).map((k) => ({ 'a.bicep': vnet(`[ ${'['.repeat(k)}${']'.repeat(k)} ]`) })),
    );
    await runProperty(t, 20, fc.property(hostile, (files) => {
      const byUri: Record<string, string> = {};
      for (const [name, text] of Object.entries(files)) byUri[`file:///fuzz/${name}`] = text;
      checkWorkspace(byUri);
    }));
  });

  it('evaluates mutated real Terraform configurations (a file with its folder) without a rule failure, within the step budget', async (t) => {
    const terraform = inputs.filter((f) => /\.tf(vars)?$/.test(f.uri));
    assert.ok(terraform.length > 100, `${terraform.length} Terraform files`);
    await runProperty(t, 40, fc.property(fc.nat(), mutations, (index, list) => {
      const file = terraform[index % terraform.length]!;
      const byUri: Record<string, string> = { [file.uri]: mutateAll(file.text, list, texts) };
      for (const sibling of siblingsOf(terraform, file, 6)) byUri[sibling.uri] = sibling.text;
      checkRead(file.uri, byUri[file.uri]!);
      checkWorkspace(byUri);
    }));
  });

  it('evaluates hostile Terraform within its step budget, saying where it stopped: a module calling itself, huge counts, cyclic locals, doubling strings, deep nesting', async (t) => {
    const vnet = (space: string) => `resource "azurerm_virtual_network" "v" {\n  name          = "v"\n  address_space = ${space}\n}\n`;
    const levels = fc.integer({ min: 1, max: 40 });
    const hostile: fc.Arbitrary<Record<string, string>> = fc.oneof(
      fc.integer({ min: 1, max: 100_000 }).map((n) => ({ 'main.tf': `module "self" {\n  source = "./"\n  count  = ${n}\n}\n${vnet('["10.0.0.0/16"]')}` })),
      fc.integer({ min: 1, max: 100_000 }).map((n) => ({ 'main.tf': `resource "azurerm_subnet" "s" {\n  count                = ${n}\n  name                 = "s\${count.index}"\n  virtual_network_name = "v"\n  address_prefixes     = [cidrsubnet("10.0.0.0/8", 16, count.index % 65536)]\n}\n${vnet('["10.0.0.0/8"]')}` })),
      levels.map((k) => ({ 'main.tf': `locals {\n${Array.from({ length: k }, (_, i) => `  l${i} = local.l${(i + 1) % k}`).join('\n')}\n}\n${vnet('[local.l0]')}` })),
      levels.map((k) => ({ 'main.tf': `locals {\n  s0 = "10.0.0.0/8"\n${Array.from({ length: k }, (_, i) => `  s${i + 1} = "\${local.s${i}}\${local.s${i}}"`).join('\n')}\n}\n${vnet(`[local.s${k}]`)}` })),
      levels.map((k) => ({ 'main.tf': `locals {\n  a0 = range(100)\n${Array.from({ length: k }, (_, i) => `  a${i + 1} = [for x in local.a${i} : local.a${i}]`).join('\n')}\n}\n${vnet(`[tostring(length(local.a${k}))]`)}` })),
      fc.integer({ min: 1, max: 20_000 }).map((k) => ({ 'main.tf': vnet(`[${'('.repeat(k)}"10.0.0.0/16"${')'.repeat(k)}]`) })),
      fc.integer({ min: 1, max: 20_000 }).map((k) => ({ 'main.tf': vnet(`${'['.repeat(k)}${']'.repeat(k)}`) })),
      fc.integer({ min: 2, max: 30 }).map((depth) =>
        Object.fromEntries(Array.from({ length: depth }, (_, i) => [`m${i}/main.tf`, `variable "cidr" {\n  default = "10.${i}.0.0/16"\n}\n${i + 1 < depth ? `module "next" {\n  source = "../m${i + 1}"\n  count  = 3\n  cidr   = cidrsubnet(var.cidr, 1, count.index % 2)\n}\n` : ''}${vnet('[var.cidr]')}`])),
      ),
    );
    await runProperty(t, 20, fc.property(hostile, (files) => {
      const byUri: Record<string, string> = {};
      for (const [name, text] of Object.entries(files)) byUri[`file:///fuzz/${name}`] = text;
      checkWorkspace(byUri);
    }));
  });

  it('reads generated YAML and JSON manifests and settings files', async (t) => {
    await runProperty(t, 160, fc.property(manifestFile, mutations, fc.boolean(), ({ name, text }, list, mutated) => {
      const input = mutated ? mutateAll(text, list, texts) : text;
      const uri = `file:///fuzz/${name}`;
      checkRead(uri, input);
      checkWorkspace({ [uri]: input });
    }));
  });

  it('reads hostile YAML shapes: deep nesting, alias bombs, anchors everywhere, long lines', async (t) => {
    const depth = fc.integer({ min: 1, max: 3000 });
    const hostile = fc.oneof(
      depth.map((n) => `spec: ${'['.repeat(n)}10.0.0.0/8${']'.repeat(n)}\n`),
      depth.map((n) => `spec: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`),
      fc.integer({ min: 1, max: 400 }).map((n) => `apiVersion: v1\nkind: Service\nspec:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 10.0.0.0/8\n`),
      fc.integer({ min: 1, max: 400 }).map((n) => `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n')}x\n`),
      fc.integer({ min: 2, max: 12 }).map((levels) => {
        let text = 'apiVersion: network.azure.com/v1api20240301\nkind: VirtualNetwork\nmetadata:\n  name: v\nx0: &a0 ["10.0.0.0/8", "10.0.0.0/8"]\n';
        for (let i = 1; i < levels; i++) text += `x${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
        return `${text}spec:\n  addressSpace:\n    addressPrefixes: *a${levels - 1}\n`;
      }),
      fc.integer({ min: 1, max: 200 }).map((n) => `a: &a [1]\n${Array.from({ length: n }, (_, i) => `b${i}: &b${i} { <<: *${i === 0 ? 'a' : `b${i - 1}`} }`).join('\n')}\n`),
      fc.integer({ min: 1, max: 200_000 }).map((n) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${'x'.repeat(n)}}\nspec: {loadBalancerIP: 10.0.0.1}\n`),
    );
    await runProperty(t, 60, fc.property(hostile, fc.constantFrom('a.yaml', 'a.json', '.aksnetlens.yaml'), (text, name) => {
      checkRead(`file:///fuzz/${name}`, text);
      checkWorkspace({ [`file:///fuzz/${name}`]: text });
    }));
  });
});
