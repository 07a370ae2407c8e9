// Loaded before every test file (`node --import tsx --import ./test/loadParsers.mjs --test …`): the Terraform parser is
// WebAssembly and loads asynchronously, once per process, as the server and the CLI load it before reading a file.
import { loadHclParser } from '../server/src/readers/terraform/hclParser.ts';

await loadHclParser();
