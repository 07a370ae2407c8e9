// The layers of ARCHITECTURE.md, enforced: rules read the model only, readers never judge or serve.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const SOURCE = path.join(import.meta.dirname, '..', '..', 'server', 'src');

/** Every module under a folder of server/src, with the server/src-relative paths it imports. */
function importsUnder(folder: string): { file: string; imports: string[] }[] {
  const root = path.join(SOURCE, folder);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => {
      const absolute = path.join(root, file);
      const text = readFileSync(absolute, 'utf8');
      const imports = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)].map((match) =>
        path.relative(SOURCE, path.resolve(path.dirname(absolute), match[1]!)).split(path.sep).join('/'),
      );
      return { file: `${folder}/${file.split(path.sep).join('/')}`, imports };
    });
}

/** The imports of a layer that reach into a forbidden one. */
function crossings(folder: string, forbidden: readonly string[]): string[] {
  return importsUnder(folder).flatMap(({ file, imports }) =>
    imports.filter((target) => forbidden.some((layer) => target === layer || target.startsWith(`${layer}/`))).map((target) => `${file} -> ${target}`),
  );
}

describe('layers', () => {
  it('finds the imports it checks (the scan reads real modules)', () => {
    const rules = importsUnder('rules');
    assert.ok(rules.length > 10);
    assert.ok(rules.some(({ imports }) => imports.includes('model/network')), 'rules import the model');
  });

  it('rules never import readers: they see the model only', () => {
    assert.deepEqual(crossings('rules', ['readers']), []);
  });

  it('readers never import rules or the service: they record, they do not judge or serve', () => {
    assert.deepEqual(crossings('readers', ['rules', 'service']), []);
  });

  it('a crossing is reported (the check can fail)', () => {
    const planted = crossings('service', ['rules']);
    assert.ok(planted.length > 0, 'the service imports rules, so this layer pair shows crossings');
  });
});
