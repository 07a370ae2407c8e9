// Another version of the files under some paths, as a git revision holds them: listed with `git ls-tree` and read
// with `git cat-file` (the objects `git show <ref>:<path>` prints), never by checking the revision out.
import { execFileSync, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isSupportedFile } from '../readers';
import { Workspace } from '../service/workspace';

/** Folders the workspace scan does not enter; a revision's listing skips them too. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.vscode-test', '.hg', '.svn']);

interface GitRun {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs git in a folder; a git that cannot be started is exit code 127 with the reason on stderr. */
function git(args: readonly string[], cwd: string, input?: string): Promise<GitRun> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ code: 127, stdout: Buffer.alloc(0), stderr: error.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** As the disk reader reads a file: UTF-8 with replacement characters, the byte order mark dropped. */
const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');

/** The nearest folder at or above `file` that exists in the working tree (the file may be gone since the revision). */
function existingFolder(file: string): string {
  for (let at = file; ; at = path.dirname(at)) {
    try {
      return statSync(at).isDirectory() ? at : path.dirname(at);
    } catch {
      if (path.dirname(at) === at) return at;
    }
  }
}

/** Whether git can be started at all (`git --version`); false when it is not installed or not on the PATH. */
export async function gitAvailable(folder: string): Promise<boolean> {
  return (await git(['--version'], folder)).code === 0;
}

/** The top folder of the repository `folder` is in, or undefined outside one. */
export async function repositoryTop(folder: string): Promise<string | undefined> {
  const run = await git(['rev-parse', '--show-toplevel'], folder);
  return run.code === 0 ? run.stdout.toString().trim() : undefined;
}

/** The commit a revision (`HEAD`, `main`, `v1.2`, a hash) names in the repository at `folder`, or undefined. */
export async function resolveRevision(revision: string, folder: string): Promise<string | undefined> {
  if (revision === '' || revision.startsWith('-')) return undefined;
  const run = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], folder);
  return run.code === 0 ? run.stdout.toString().trim() : undefined;
}

/** Orders paths as the workspace scan walks folders: each folder's entries by name (localeCompare), depth first. */
function scanOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]!.localeCompare(right[i]!);
  }
  return left.length - right.length;
}

export interface RevisionFiles {
  readonly workspace: Workspace;
  readonly files: number;
  /** Problems that stop the comparison: no repository, no such revision. */
  readonly errors: string[];
  /** What is worth saying but changes nothing: a path the revision does not have (all its flows are new). */
  readonly notes: string[];
}

/**
 * The files under `paths` (relative to `cwd`) as `revision` holds them, read into a workspace under the URIs the
 * working tree's files have, so that both versions name everything alike.
 */
export async function readPathsAtRevision(paths: readonly string[], cwd: string, revision: string): Promise<RevisionFiles> {
  const errors: string[] = [];
  const notes: string[] = [];
  /** Per repository top: its commit and the files (relative to the top, `/`-separated) with their object ids. */
  const repositories = new Map<string, { commit: string; files: Map<string, string> }>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const top = await repositoryTop(existingFolder(absolute));
    if (top === undefined) {
      errors.push(`${given}: not in a git repository, so it has no revision '${revision}'.`);
      continue;
    }
    let repository = repositories.get(top);
    if (!repository) {
      const commit = await resolveRevision(revision, top);
      if (commit === undefined) {
        errors.push(`'${revision}' is neither a file or folder nor a revision of the git repository at ${top}.`);
        continue;
      }
      repositories.set(top, (repository = { commit, files: new Map() }));
    }
    const relative = path.relative(top, absolute).split(path.sep).join('/') || '.';
    const listing = await git(['ls-tree', '-r', '-z', '--full-name', repository.commit, '--', relative], top);
    if (listing.code !== 0) {
      errors.push(`${given}: git ls-tree failed: ${listing.stderr.trim()}`);
      continue;
    }
    const entries = listing.stdout.toString('utf8').split('\0').filter((entry) => entry !== '');
    if (entries.length === 0) notes.push(`${given}: not in ${revision}; every connection it has is new.`);
    for (const entry of entries) {
      const tab = entry.indexOf('\t');
      const [mode, type, object] = entry.slice(0, tab).split(' ');
      const name = entry.slice(tab + 1);
      if (type !== 'blob' || mode === '120000' || !isSupportedFile(name)) continue;
      if (name.split('/').slice(0, -1).some((folder) => SKIPPED_FOLDERS.has(folder))) continue;
      repository.files.set(name, object!);
    }
  }

  // Bicep modules and load*Content() outside the listed files are read from the same revision.
  const loader = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    const file = fileURLToPath(uri);
    for (const [top, { commit }] of repositories) {
      const relative = path.relative(top, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      try {
        return decode(execFileSync('git', ['cat-file', 'blob', `${commit}:${relative.split(path.sep).join('/')}`], { cwd: top, stdio: ['ignore', 'pipe', 'ignore'] }));
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  const workspace = new Workspace(loader);
  let files = 0;
  for (const [top, repository] of repositories) {
    const names = [...repository.files.keys()].sort(scanOrder);
    if (names.length === 0) continue;
    // One `git cat-file --batch` for all: per object `<id> blob <size>\n`, the bytes, `\n`.
    const batch = await git(['cat-file', '--batch'], top, names.map((name) => repository.files.get(name)).join('\n') + '\n');
    if (batch.code !== 0) {
      errors.push(`git cat-file failed in ${top}: ${batch.stderr.trim()}`);
      continue;
    }
    let at = 0;
    for (const name of names) {
      const newline = batch.stdout.indexOf(0x0a, at);
      const header = batch.stdout.subarray(at, newline).toString().split(' ');
      const size = Number(header[2]);
      if (header[1] !== 'blob' || !Number.isInteger(size)) {
        errors.push(`${name} at ${revision}: git cat-file gave '${header.join(' ')}'.`);
        break;
      }
      const text = decode(batch.stdout.subarray(newline + 1, newline + 1 + size));
      at = newline + 1 + size + 1;
      workspace.setFile(pathToFileURL(path.join(top, ...name.split('/'))).href, text);
      files++;
    }
  }
  return { workspace, files, errors, notes };
}
