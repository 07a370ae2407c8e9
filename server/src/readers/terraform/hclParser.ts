// The HCL parser: tree-sitter's Terraform grammar (@tree-sitter-grammars/tree-sitter-hcl) run by web-tree-sitter, both
// WebAssembly, so nothing is built natively for the .vsix or in CI. Its trees are error-tolerant (a half-typed block
// keeps every other block) and carry UTF-16 offsets. WebAssembly loads asynchronously: every entry point (the server,
// the CLI, tests) awaits loadHclParser() once before it reads a Terraform file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/** The two WebAssembly files: beside the bundle in dist/ (scripts/build.mjs copies them), else from node_modules. */
const RUNTIME_WASM = { file: 'web-tree-sitter.wasm', module: 'web-tree-sitter/web-tree-sitter.wasm' };
const TERRAFORM_WASM = { file: 'tree-sitter-terraform.wasm', module: '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm' };

function wasmFile({ file, module }: { file: string; module: string }): string {
  const beside = path.join(__dirname, file);
  return fs.existsSync(beside) ? beside : require.resolve(module);
}

/**
 * The loaded parser, one per process: kept on the global object, so that every copy of this module shares it (a test
 * run loads it from an ES module before the test files require their own copy; test/loadParsers.mjs).
 */
const SLOT = Symbol.for('aks-network-lens.hclParser');
type Slot = { parser?: Parser; loading?: Promise<void> };
const slot: Slot = ((globalThis as Record<symbol, Slot | undefined>)[SLOT] ??= {});

/** Loads the parser once; later calls wait for the same load. */
export function loadHclParser(): Promise<void> {
  slot.loading ??= (async () => {
    const runtime = wasmFile(RUNTIME_WASM);
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(fs.readFileSync(wasmFile(TERRAFORM_WASM)));
    const loaded = new Parser();
    loaded.setLanguage(language);
    slot.parser = loaded;
  })();
  return slot.loading;
}

/** True once loadHclParser() has finished. */
export function hclParserLoaded(): boolean {
  return slot.parser !== undefined;
}

/** The syntax tree of a Terraform file, or undefined before the parser is loaded. The caller deletes the tree. */
export function parseHclTree(text: string): Tree | undefined {
  return slot.parser?.parse(text) ?? undefined;
}
