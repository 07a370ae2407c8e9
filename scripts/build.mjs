// Bundles the extension client, the language server, the CLI and the network map webview with esbuild.
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

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [yamlProcess] }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [yamlProcess] }),
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
