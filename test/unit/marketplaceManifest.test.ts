// package.json, README.md and CHANGELOG.md against what the two extension registries require, so that the
// .vsix `npm run package` builds can be published to the Visual Studio Marketplace (vsce) and to Open VSX (ovsx)
// without a prompt, a warning or a rejection. Where each requirement comes from:
// - [manifest]  VS Code's Extension Manifest reference, https://code.visualstudio.com/api/references/extension-manifest
//   (required name, version, publisher, engines.vscode not "*"; the allowed categories; galleryBanner).
// - [publish]   VS Code's Publishing Extensions page, https://code.visualstudio.com/api/working-with-extensions/publishing-extension:
//   the icon may not be an SVG; badges may not be SVGs unless from trusted badge providers; image URLs in
//   README.md and CHANGELOG.md must resolve to https URLs, and may not be SVGs unless from trusted badge providers.
// - [vsce]      what @vscode/vsce (a devDependency) checks when it packages: publisher/name/version/engines validated,
//   '*' activation warns and prompts, a missing LICENSE warns and prompts, a missing 'repository' warns and
//   prompts unless --allow-missing-repository, SVG tags in README/CHANGELOG refused, @types/vscode not newer than
//   engines.vscode.
// - [ovsx]      Open VSX's CLI (eclipse/openvsx cli/src/check-license.ts): publishing needs a LICENSE, LICENSE.md or
//   LICENSE.txt file, or a `license` field; without either it refuses ("All Open VSX Registry Content Offerings must
//   be licensed"). The `publisher` field is the Open VSX namespace.
// - [openvsx]   Open VSX's server validation (eclipse/openvsx server ExtensionValidator): namespace and extension
//   names of word characters, '-', '+', '$', '~' (at most 255); versions of letters, digits and $+-,.:;_ ; no control
//   characters in displayName, description, categories, keywords, license; description at most 2,048 characters;
//   galleryBanner.theme dark or light and its color at most 16 characters; repository, homepage and bugs URLs when set.
// vsce's own run over the real bundles (no warning in its output) is checked by test/e2e/package.test.mjs, which
// runs after `npm run package`.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** [manifest] The categories field's allowed values. */
const CATEGORIES = [
  'Programming Languages',
  'Snippets',
  'Linters',
  'Themes',
  'Debuggers',
  'Formatters',
  'Keymaps',
  'SCM Providers',
  'Other',
  'Extension Packs',
  'Language Packs',
  'Data Science',
  'Machine Learning',
  'Visualization',
  'Notebooks',
  'Education',
  'Testing',
];

/** [openvsx] Control, format, unassigned, private-use and line/paragraph separator characters are refused. */
const REFUSED_CHARACTER = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\u2028\u2029]/u;
const OPENVSX_NAME = /^[\w\-+$~]{1,255}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Width and height of a PNG, from its IHDR chunk; undefined when the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Image sources in Markdown: ![alt](src "title") and <img src="...">, and whether the text has an <svg> tag. */
function images(markdown: string): { sources: string[]; svgTag: boolean } {
  const sources = [
    ...[...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!),
  ];
  return { sources, svgTag: /<svg[\s>]/i.test(markdown) };
}

/** The arguments `npm run package` gives vsce package. */
function packageScriptArgs(): string[] {
  const script = manifest.scripts.package as string;
  const vsce = /\bvsce package\b([^&|;]*)/.exec(script);
  assert.ok(vsce, `the package script runs vsce package: ${script}`);
  return vsce[1]!.trim().split(/\s+/);
}

describe('package.json for the Visual Studio Marketplace and Open VSX', () => {
  it('has the required identity: a lowercase name, a publisher (the Open VSX namespace), a SemVer version, engines.vscode', () => {
    // [manifest] name: all lowercase with no spaces; [openvsx] names of word characters, - + $ ~.
    assert.match(manifest.name, /^[a-z0-9][a-z0-9-]*$/);
    assert.match(manifest.name, OPENVSX_NAME);
    assert.match(manifest.publisher, OPENVSX_NAME);
    // [vsce] the publisher is an identifier, not a display name.
    assert.doesNotMatch(manifest.publisher, /\s/);
    // [manifest] SemVer; [openvsx] only letters, digits and $+-,.:;_ (SemVer fits).
    assert.match(manifest.version, SEMVER);
    assert.match(manifest.version, /^[\p{L}\p{N}$+\-,.:;_]+$/u);
    // [manifest] engines.vscode is required and cannot be "*".
    assert.equal(typeof manifest.engines?.vscode, 'string');
    assert.notEqual(manifest.engines.vscode, '*');
    assert.match(manifest.engines.vscode, /^\^?\d+\.\d+\.\d+$/);
  });

  it('@types/vscode is not newer than engines.vscode (vsce refuses an API the declared VS Code lacks)', () => {
    const version = (range: string) => /(\d+)\.(\d+)\.(\d+)/.exec(range)!.slice(1).map(Number);
    const [engineMajor, engineMinor] = version(manifest.engines.vscode);
    const [typesMajor, typesMinor] = version(manifest.devDependencies['@types/vscode']);
    assert.ok(typesMajor! < engineMajor! || (typesMajor === engineMajor && typesMinor! <= engineMinor!), `@types/vscode ${manifest.devDependencies['@types/vscode']} vs engines.vscode ${manifest.engines.vscode}`);
  });

  it('is licensed: an SPDX license field and the LICENSE file it names, packaged (ovsx refuses an unlicensed extension, vsce warns)', () => {
    // [ovsx] a LICENSE file or a license field; both here, and they agree.
    assert.equal(manifest.license, 'MIT');
    assert.ok(existsSync(path.join(ROOT, 'LICENSE')), 'LICENSE');
    assert.match(read('LICENSE'), /^MIT License\b|Permission is hereby granted, free of charge/m);
    // [vsce] "LICENSE not found" unless the file is packaged.
    assert.match(read('.vscodeignore'), /^!LICENSE$/m);
  });

  it('has a PNG icon of at least 128 x 128 pixels, square, that exists; a valid gallery banner', () => {
    // [publish] the icon may not be an SVG: checked by its bytes, not only its name.
    assert.equal(typeof manifest.icon, 'string');
    assert.doesNotMatch(manifest.icon, /\.svg$/i);
    const file = path.join(ROOT, manifest.icon);
    assert.ok(existsSync(file), manifest.icon);
    const size = pngSize(readFileSync(file));
    assert.ok(size, `${manifest.icon} is not a PNG`);
    assert.equal(size.width, size.height, `${manifest.icon} is ${size.width} x ${size.height}`);
    assert.ok(size.width >= 128, `${manifest.icon} is ${size.width} x ${size.height}`);
    // That the .vsix holds it: test/e2e/package.test.mjs (every file package.json refers to).
    // [openvsx] theme dark or light, color at most 16 characters; [manifest] the color is a hex value.
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme), manifest.galleryBanner.theme);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$/);
    assert.ok(manifest.galleryBanner.color.length <= 16);
  });

  it('has no "*" activation and no badge that is an SVG or not https', () => {
    // [vsce] '*' activation warns and asks to continue.
    assert.ok(Array.isArray(manifest.activationEvents) && manifest.activationEvents.length > 0);
    assert.ok(!manifest.activationEvents.includes('*'), 'activationEvents contains "*"');
    // [publish] badges may not be SVGs (none here is from a trusted badge provider), and come over https.
    for (const badge of (manifest.badges ?? []) as { url: string }[]) {
      assert.match(badge.url, /^https:\/\//);
      assert.doesNotMatch(new URL(badge.url).pathname, /\.svg$/i);
    }
  });

  it('uses only allowed categories, and text Open VSX accepts in displayName, description, keywords', () => {
    assert.ok(manifest.categories.length > 0);
    for (const category of manifest.categories) assert.ok(CATEGORIES.includes(category), `category "${category}" is not one the manifest reference allows`);
    for (const [field, values] of Object.entries({
      displayName: [manifest.displayName],
      description: [manifest.description],
      categories: manifest.categories,
      keywords: manifest.keywords,
      license: [manifest.license],
    })) {
      for (const value of values as string[]) {
        assert.equal(typeof value, 'string', field);
        assert.ok(value.length > 0 && value.length <= 255 || field === 'description', `${field}: ${value}`);
        assert.doesNotMatch(value, REFUSED_CHARACTER, `${field}: ${JSON.stringify(value)}`);
      }
    }
    assert.ok(manifest.description.length <= 2048);
  });

  it('sets repository, homepage and bugs only as URLs, and vsce is told to allow a missing repository exactly while there is none', () => {
    // [openvsx] URLs when set. The project's public URL is not known yet, so none is written in; then vsce would
    // stop to ask about the missing repository unless `npm run package` passes --allow-missing-repository.
    const urlOf = (value: unknown) => (typeof value === 'string' ? value : (value as { url?: string } | undefined)?.url);
    for (const field of ['repository', 'homepage', 'bugs']) {
      const value = urlOf(manifest[field]);
      if (manifest[field] !== undefined) assert.ok(value && new URL(value.replace(/^git\+/, '')).host, `${field}: ${JSON.stringify(manifest[field])}`);
    }
    const args = packageScriptArgs();
    assert.equal(args.includes('--allow-missing-repository'), manifest.repository === undefined, `vsce package ${args.join(' ')}`);
    assert.ok(!args.includes('--allow-star-activation'), 'vsce is not told to allow "*" activation');
    assert.ok(!args.includes('--skip-license'), 'vsce is not told to skip the license');
  });
});

describe('README.md and CHANGELOG.md for the registries', () => {
  for (const file of ['README.md', 'CHANGELOG.md']) {
    it(`${file} exists, is packaged, and has no SVG image, no <svg> tag and no image but https or a packaged file`, () => {
      assert.ok(existsSync(path.join(ROOT, file)), file);
      const text = read(file);
      assert.ok(text.trim().length > 0, `${file} is empty`);
      assert.match(read('.vscodeignore'), new RegExp(`^!${file.replace('.', '\\.')}$`, 'm'), `${file} is packaged`);
      const { sources, svgTag } = images(text);
      // [vsce] SVG tags are not allowed in README.md / CHANGELOG.md.
      assert.equal(svgTag, false, `${file} has an <svg> tag`);
      for (const source of sources) {
        // [publish] no SVG images (this project uses no trusted badge provider), no SVG data URLs.
        assert.doesNotMatch(source, /\.svg(?:[?#]|$)/i, `${file}: ${source}`);
        assert.doesNotMatch(source, /^data:/i, `${file}: ${source}`);
        if (/^[a-z][a-z0-9+.-]*:/i.test(source)) {
          // [publish] image URLs resolve to https.
          assert.match(source, /^https:\/\//, `${file}: ${source}`);
        } else {
          // A relative image: `npm run package` keeps relative links (--no-rewrite-relative-links, no repository to
          // rewrite them to), so VS Code's extension page loads it from the installed extension. It must exist
          // and be a PNG; test/e2e/package.test.mjs checks that the .vsix holds it.
          assert.ok(packageScriptArgs().includes('--no-rewrite-relative-links'), `${file}: relative image ${source} needs --no-rewrite-relative-links`);
          const image = path.join(ROOT, decodeURI(source));
          assert.ok(existsSync(image), `${file}: ${source} does not exist`);
          assert.ok(pngSize(readFileSync(image)), `${file}: ${source} is not a PNG`);
        }
      }
    });
  }

  it('finds the images it checks (the README has its screenshots)', () => {
    // Guards the image pattern above: a pattern that matched nothing would pass every file.
    const { sources } = images(read('README.md'));
    assert.ok(sources.includes('docs/images/editor.png'), JSON.stringify(sources));
    assert.deepEqual(images('![a](x.svg) <img alt="b" src="https://h/y.png"> <svg></svg>'), { sources: ['x.svg', 'https://h/y.png'], svgTag: true });
  });
});
