// Loaded before every test file (`node --import tsx --import ./test/loadParsers.mjs --test …`): the Terraform parser is
// WebAssembly and loads asynchronously, once per process, as the server and the CLI load it before reading a file.
// Worker threads inherit this flag; they read no Terraform (and cannot load TypeScript), so they skip it.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const { loadHclParser } = await import('../server/src/readers/terraform/hclParser.ts');
  await loadHclParser();
}
