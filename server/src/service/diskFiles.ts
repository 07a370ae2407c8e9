// Files on disk, read one way for every caller: the server's scan and file watcher, `netlens check`, and the Bicep
// module loader (modules and load*Content() outside the open documents).
import { existsSync, promises as fs, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_FILE_BYTES } from '../readers/fileText';
import type { FileLoader } from './workspace';

/**
 * What reading a file gave: its text as an editor shows it (UTF-8; bytes that are not become replacement characters,
 * lines intact; the byte order mark dropped, or columns on line 1 would be one off), or why it was not read.
 */
export type DiskRead =
  | { readonly text: string; readonly notUtf8: boolean }
  | { readonly skipped: string }
  | { readonly error: string };

/** Why a file is not read: not a regular file (a FIFO would block the read forever), or over the size limit. */
function skipReason(file: string, stat: Stats): string | undefined {
  if (!stat.isFile()) return `Skipped ${file}: not a regular file.`;
  if (stat.size > MAX_FILE_BYTES) return `Skipped ${file}: ${stat.size} bytes is over the ${MAX_FILE_BYTES}-byte limit.`;
  return undefined;
}

function decode(bytes: Uint8Array): DiskRead {
  let text: string;
  let notUtf8 = false;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
    notUtf8 = true;
  }
  return { text: text.replace(/^\uFEFF/, ''), notUtf8 };
}

/** Reads a file of the workspace. */
export async function readDiskFile(file: string): Promise<DiskRead> {
  try {
    const skipped = skipReason(file, await fs.stat(file));
    return skipped ? { skipped } : decode(await fs.readFile(file));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The same, for the evaluator's synchronous module loads. */
export function readDiskFileSync(file: string): DiskRead {
  try {
    const skipped = skipReason(file, statSync(file));
    return skipped ? { skipped } : decode(readFileSync(file));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The text of a `file:` URI, or undefined when it is missing, too large or not a file. */
export function loadFromDisk(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const read = readDiskFileSync(fileURLToPath(uri));
  return 'text' in read ? read.text : undefined;
}

/** True when the file, with symbolic links resolved, lies inside one of the folders (also resolved). */
export function isInsideFolders(file: string, folders: readonly string[]): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return false;
  }
  return folders.some((folder) => {
    let root: string;
    try {
      root = realpathSync(folder);
    } catch {
      return false;
    }
    const relative = path.relative(root, real);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/**
 * A loader that reads only inside the given folders (the workspace): a Bicep module path or a loadTextContent()
 * argument that climbs out of the workspace (`../../.ssh/id_rsa`) or follows a link out of it reads nothing.
 * With no folders (a single file opened on its own) there is no workspace to stay in, and files load as asked.
 */
export function loadWithin(folders: () => readonly string[]): FileLoader {
  return (uri) => {
    const roots = folders();
    if (roots.length === 0 || !uri.startsWith('file:')) return loadFromDisk(uri);
    const file = fileURLToPath(uri);
    if (isInsideFolders(file, roots)) return loadFromDisk(uri);
    return existsSync(file) ? { notRead: `${file} is outside the workspace folders` } : undefined;
  };
}
