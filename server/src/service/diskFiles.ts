// Reads files outside the open documents from disk, for Bicep modules and load*Content().
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_FILE_BYTES } from '../readers/fileText';
import type { FileLoader } from './workspace';

/** The UTF-8 text of a `file:` URI, or undefined when it is missing, too large or not a file. */
export function loadFromDisk(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const file = fileURLToPath(uri);
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
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
