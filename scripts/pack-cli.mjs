// Lays out the `netlens` npm package (the CLI alone; the extension stays a .vsix) in a folder of its own, from the
// built bundles: `node scripts/pack-cli.mjs [folder]` (default dist/cli-package), then `npm pack` in that folder.
// The package has no dependencies (everything is bundled) and takes its version and licence from package.json, the
// one place they are written. test/unit/cliPackage.test.ts packs it, installs it offline and runs it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** What the package holds, relative to the repository and to the package alike (dist/cli.js finds docs/ at ../docs). */
export function packageFiles() {
  const inFolder = (folder, ending) => readdirSync(path.join(ROOT, folder)).filter((name) => name.endsWith(ending)).sort().map((name) => `${folder}/${name}`);
  return [
    // The CLI and the reader threads it starts for many files (service/readerPool.ts); it draws no diagrams, so no layout thread or elk.
    'dist/cli.js',
    'dist/readerWorker.js',
    // Terraform's parser: WebAssembly loaded from beside the CLI (server/src/readers/terraform/hclParser.ts).
    'dist/web-tree-sitter.wasm',
    'dist/tree-sitter-terraform.wasm',
    // The rule pages: SARIF's rule help and helpUri, the links in the README.
    ...inFolder('docs/rules', '.md'),
    // The schema of .aksnetlens.yaml (and its rule settings), for editors of that file.
    ...inFolder('schemas', '.json'),
    'LICENSE',
  ];
}

/** The package's manifest: the CLI's name and bin, the repository's version, licence and links. */
export function packageManifest() {
  const links = Object.fromEntries(['repository', 'bugs', 'homepage'].filter((key) => root[key] !== undefined).map((key) => [key, root[key]]));
  return {
    name: 'netlens',
    version: root.version,
    description: 'Checks AKS network configuration (Bicep, Azure Service Operator and Cluster API specs, Kubernetes manifests) in CI: overlapping ranges, subnets too small, DNS service IP mistakes, NetworkPolicy flows. Text, JSON, SARIF and GitHub annotations.',
    license: root.license,
    keywords: [...new Set([...(root.keywords ?? []), 'bicep', 'sarif', 'networkpolicy', 'lint'])],
    ...links,
    bin: { netlens: 'dist/cli.js' },
    engines: { node: root.engines.node },
  };
}

export function stageCliPackage(folder) {
  for (const file of ['dist/cli.js', 'dist/readerWorker.js']) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run npm run build first.`);
  }
  rmSync(folder, { recursive: true, force: true });
  for (const file of packageFiles()) {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(folder, file));
  }
  copyFileSync(path.join(ROOT, 'scripts', 'cli-package', 'README.md'), path.join(folder, 'README.md'));
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify(packageManifest(), null, 2) + '\n');
  return folder;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const folder = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist', 'cli-package'));
  console.log(stageCliPackage(folder));
}
