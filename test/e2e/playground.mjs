// `npm run playground`: code-server with the packaged extension (.vscode-test/aks-network-lens.vsix,
// built by `npm run package`) installed, opened on the repo's examples/ folder. Prints the URL to
// open in a browser and runs until Ctrl+C. Edits you save change the files in examples/.
// PLAYGROUND_PORT=8080 picks the port (default: a free one); logs go to test-results/e2e/<run>/.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { REPO, Run, VSIX } from './harness.mjs';

if (!existsSync(VSIX)) {
  console.error(`${VSIX} missing: run \`npm run package\` (or \`npm run playground\`, which does it)`);
  process.exit(1);
}
const run = new Run('playground');
const folder = path.join(REPO, 'examples');
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping code-server...');
  await run.close();
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
try {
  run.installExtension(VSIX);
  await run.startCodeServer({ folder, port: process.env.PLAYGROUND_PORT ? Number(process.env.PLAYGROUND_PORT) : undefined });
  run.codeServer.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`code-server exited (${code ?? signal}); see ${path.join(run.artifacts, 'code-server.log')}`);
    stop(1);
  });
  console.log(`\nAKS Network Lens playground: ${run.origin}/?folder=${encodeURIComponent(folder)}\n(examples/ from this repo; press Ctrl+C to stop)\n`);
} catch (e) {
  console.error(e.message);
  await stop(1);
}
