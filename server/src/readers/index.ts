// Chooses the reader for a file by its name.
import type { FileFacts } from '../model/network';
import { readYamlFile } from './yaml/yamlReader';

const READERS: { pattern: RegExp; read: (uri: string, text: string) => FileFacts }[] = [
  { pattern: /\.ya?ml$/i, read: readYamlFile },
];

/** True when some reader understands files of this name. */
export function isSupportedFile(uriOrPath: string): boolean {
  return READERS.some((reader) => reader.pattern.test(uriOrPath));
}

/** Reads a file into model facts, or undefined when no reader handles it. */
export function readFile(uri: string, text: string): FileFacts | undefined {
  return READERS.find((reader) => reader.pattern.test(uri))?.read(uri, text);
}
