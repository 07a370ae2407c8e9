// Reads files outside the open documents from disk, for Bicep modules and load*Content().
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MAX_FILE_BYTES } from '../readers/fileText';

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
