// Finds the files of a folder that some reader understands, skipping tool and dependency folders.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isSupportedFile } from '../readers';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.vscode-test', '.hg', '.svn']);

/** Yields the supported files under a folder (or the path itself when it is a file), in a stable order. */
export async function* findWorkspaceFiles(root: string, log: (message: string) => void = () => {}): AsyncGenerator<string> {
  let stat;
  try {
    stat = await fs.stat(root);
  } catch (error) {
    log(`Cannot read ${root}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (stat.isFile()) {
    if (isSupportedFile(root)) yield root;
    return;
  }
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (error) {
    log(`Cannot list ${root}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) yield* findWorkspaceFiles(full, log);
    } else if (entry.isFile() && isSupportedFile(entry.name)) {
      yield full;
    }
  }
}
