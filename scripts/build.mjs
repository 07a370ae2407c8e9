// Bundles the extension client, the language server, the CLI and the network map webview with esbuild.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Gives the `yaml` package a process object whose env is read once (see scripts/yamlProcess.cjs). */
const yamlProcess = {
  name: 'yaml-process',
  setup(build) {
    build.onResolve({ filter: /^process$/ }, (args) =>
      /[\\/]node_modules[\\/]yaml[\\/]/.test(args.importer) ? { path: fileURLToPath(new URL('yamlProcess.cjs', import.meta.url)) } : undefined,
    );
  },
};

/** The server bundle loads elkjs from dist/elk.js when it draws its first diagram (see server/src/service/elkLayout.ts). */
const elkApart = {
  name: 'elk-apart',
  setup(build) {
    build.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: './elk.js', external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // web-tree-sitter's ES module reads import.meta.url, which a CommonJS bundle lacks: take its CommonJS build.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [yamlProcess, elkApart] }),
  // The server's threads, started from dist/ beside it: readers (service/readerPool.ts) and layout (service/elkLayout.ts).
  build({ ...common, entryPoints: ['server/src/readerWorker.ts'], outfile: 'dist/readerWorker.js', plugins: [yamlProcess] }),
  build({ ...common, entryPoints: ['server/src/layoutWorker.ts'], outfile: 'dist/layoutWorker.js', plugins: [elkApart] }),
  build({ ...common, entryPoints: ['node_modules/elkjs/lib/elk.bundled.js'], outfile: 'dist/elk.js' }),
  // The CLI never lays out a diagram (`netlens paths` prints them unplaced): elkjs stays out of it.
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [yamlProcess, elkApart] }),
  // The network map webview runs in the browser: one script and the stylesheet it imports (dist/webview.css).
  build({
    bundle: true,
    platform: 'browser',
    target: 'chrome114',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: ['client/webview/main.ts'],
    outfile: 'dist/webview.js',
  }),
]);

// Terraform's parser is WebAssembly, loaded from beside the bundles (server/src/readers/terraform/hclParser.ts).
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
copyFileSync('node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'dist/tree-sitter-terraform.wasm');

// V8 keeps a script's source in memory, two bytes per character as soon as one character is outside Latin-1:
// one '…' in a doc comment doubles the server bundle's 4.4 MB. esbuild escapes such characters in code but
// keeps comments as written, so comment lines get \u escapes here (no code on them: the source map holds).
for (const file of ['dist/server.js', 'dist/readerWorker.js', 'dist/layoutWorker.js', 'dist/cli.js']) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const wide = /[^\u0000-\u00ff]/;
  let left = 0;
  const latin1 = lines.map((line) => {
    if (!wide.test(line)) return line;
    if (/^\s*(\/\/|\/\*|\*)/.test(line)) return line.replace(new RegExp(wide.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    left++;
    return line;
  });
  writeFileSync(file, latin1.join('\n'));
  if (left > 0) console.warn(`${file}: ${left} line(s) of code with characters outside Latin-1; its source takes two bytes a character in memory`);
}
