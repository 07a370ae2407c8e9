// The walkthrough: its example (opened as an untitled YAML document) has the one mistake the media page names,
// and every step's media file, command link and completion event exists in the manifest and the package.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE_OVERLAP_LINE, EXAMPLE_YAML } from '../../client/src/walkthroughExample.ts';
import { Workspace } from '../../server/src/service/workspace.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('the walkthrough example', () => {
  it('is checked as a never-saved YAML document: one subnet-overlap, on the line the walkthrough names, and nothing else', () => {
    const ws = new Workspace();
    assert.ok(ws.setFile('untitled:Untitled-1', EXAMPLE_YAML, 1, { open: true, languageId: 'yaml' }));
    const { findings, model } = ws.analyze();
    assert.deepEqual(findings.map((f) => f.rule), ['subnet-overlap']);
    const line = EXAMPLE_YAML.slice(0, findings[0]!.source.start).split('\n').length;
    assert.equal(line, EXAMPLE_OVERLAP_LINE);
    assert.equal(line, 29, 'the line the e2e test and the page expect');
    assert.equal(EXAMPLE_YAML.slice(findings[0]!.source.start, findings[0]!.source.end), '10.42.8.0/24');
    // The walkthrough's page names the line and the prefix.
    const page = readFileSync(path.join(ROOT, 'docs', 'walkthrough', 'see-squiggle.md'), 'utf8');
    assert.match(page, new RegExp(`prefix on line ${EXAMPLE_OVERLAP_LINE} is underlined`));
    assert.match(page, /`example-ingress` \(`10\.42\.8\.0\/24`\)/);
    assert.deepEqual(model.clusters.map((c) => c.name), ['aks-example'], 'Plan IPs and the map have a cluster to start from');
  });
});

describe('the walkthrough in package.json', () => {
  const [walkthrough, ...others] = manifest.contributes.walkthroughs;
  const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));

  it('has the four steps of the first run, each with a media page that exists and is packaged', () => {
    assert.deepEqual(others, []);
    assert.deepEqual(
      walkthrough.steps.map((s: { id: string }) => s.id),
      ['openExample', 'seeSquiggle', 'planIps', 'openMap'],
    );
    const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    for (const step of walkthrough.steps) {
      const media = step.media.markdown as string;
      assert.ok(existsSync(path.join(ROOT, media)), media);
      assert.ok(ignore.includes(`!${path.dirname(media)}/**`), `${media} is packaged`);
      assert.ok(step.completionEvents.length > 0, `${step.id} completes`);
    }
  });

  it("links only the extension's own commands and VS Code's Problems panel; completes on its own commands or a context key it sets", () => {
    const known = new Set([...commands, 'workbench.actions.view.problems']);
    // Context keys the client sets: `export const X_CONTEXT = '<key>'` in walkthrough.ts, passed to setContext there.
    const source = readFileSync(path.join(ROOT, 'client', 'src', 'walkthrough.ts'), 'utf8');
    const contextKeys = new Set<string>();
    for (const [, name, key] of source.matchAll(/export const (\w+_CONTEXT) = '([\w.]+)';/g)) {
      if (new RegExp(`executeCommand\\('setContext', ${name}, `).test(source)) contextKeys.add(key!);
    }
    assert.ok(contextKeys.has('aksNetworkLens.findingShown'), `context keys the client sets: ${[...contextKeys].join(', ')}`);
    for (const step of walkthrough.steps) {
      for (const [, command] of (step.description as string).matchAll(/\(command:([\w.]+)\)/g)) assert.ok(known.has(command!), `${step.id} links ${command}`);
      for (const event of step.completionEvents as string[]) {
        const [, kind, argument] = /^(onCommand|onContext):(.+)$/.exec(event) ?? [];
        if (kind === 'onCommand') assert.ok(commands.has(argument!), `${step.id} completes on ${event}, not one of the extension's commands`);
        else assert.ok(kind === 'onContext' && contextKeys.has(argument!), `${step.id} completes on ${event}, which the client does not set`);
      }
    }
    // "See a squiggle" is done by a squiggle on screen, not by opening the Problems panel (which the status bar item does).
    assert.deepEqual(walkthrough.steps.find((s: { id: string }) => s.id === 'seeSquiggle').completionEvents, ['onContext:aksNetworkLens.findingShown']);
  });

  it('every command has a category and a title without it; the palette shows those that make sense there', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'AKS Network Lens', command.command);
      assert.doesNotMatch(command.title, /AKS Network Lens/, command.command);
    }
    for (const entry of [...Object.values(manifest.contributes.menus).flat()] as { command: string; when?: string }[]) {
      assert.ok(commands.has(entry.command), entry.command);
      assert.ok(entry.when, `${entry.command} has a when clause`);
    }
  });
});
