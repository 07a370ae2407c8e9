// Bundles the extension client, the language server, the CLI and the network map webview with esbuild.
import { build } from 'esbuild';

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
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
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
