// The initial scan of the workspace folders: lists the files first (so progress can say how many), then reads
// them from disk in batches of concurrent reads, parsing each file once as its text arrives. Analysis is left
// to the caller, once, after the scan.
import { promises as fs } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MAX_FILE_BYTES } from '../readers/fileText';
import type { Workspace } from './workspace';
import { findWorkspaceFiles } from './workspaceFiles';

/** Files read from disk at the same time; between batches the caller's event loop runs (messages, progress). */
export const SCAN_BATCH = 32;

export interface ScanHooks {
  /** True when the file must not be read from disk (an open document wins over disk). */
  readonly skip?: (uri: string) => boolean;
  /** Called once the files are listed (done = 0), then after each batch. */
  readonly progress?: (done: number, total: number) => void;
  readonly log?: (message: string) => void;
  readonly warn?: (message: string) => void;
}

/** What a file on disk gave: its text, or why it was not read. */
type DiskText = { text: string } | { skipped: string } | { error: string };

async function readText(file: string): Promise<DiskText> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return { skipped: `Skipped ${file}: ${stat.size} bytes is over the ${MAX_FILE_BYTES}-byte limit.` };
    // Editors drop a byte order mark from the text they show: so does the scan, or columns on line 1 would be one off.
    return { text: (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '') };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads every supported file under the folders into the workspace; returns how many files were read. */
export async function scanWorkspace(workspace: Workspace, folders: readonly string[], hooks: ScanHooks = {}): Promise<number> {
  const log = hooks.log ?? (() => {});
  const files: string[] = [];
  for (const folder of folders) for await (const file of findWorkspaceFiles(folder, log)) files.push(file);
  hooks.progress?.(0, files.length);
  let count = 0;
  for (let first = 0; first < files.length; first += SCAN_BATCH) {
    const batch = files.slice(first, first + SCAN_BATCH).map((file) => ({ file, uri: pathToFileURL(file).href }));
    const texts = await Promise.all(batch.map(({ file, uri }) => (hooks.skip?.(uri) ? undefined : readText(file))));
    batch.forEach(({ uri }, i) => {
      const read = texts[i];
      // An open document wins over disk, also when it was opened while this batch was being read.
      if (!read || hooks.skip?.(uri)) return;
      if ('text' in read) {
        if (workspace.setFile(uri, read.text)) count++;
      } else if ('skipped' in read) {
        log(read.skipped);
      } else {
        (hooks.warn ?? log)(`Could not read ${uri}: ${read.error}`);
      }
    });
    hooks.progress?.(Math.min(first + SCAN_BATCH, files.length), files.length);
  }
  return count;
}
