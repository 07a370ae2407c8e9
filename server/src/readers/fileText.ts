// Decides whether a file's content can be read at all: size limit and text check, with a clear message.

/** Files larger than this are skipped with a notice; big generated files would slow every keystroke. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Why a file's text cannot be read, or undefined when it can. */
export function unreadableReason(text: string): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    return `File is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit of AKS Network Lens; it was not checked.`;
  }
  if (text.includes('\u0000')) return 'File looks binary (it contains NUL bytes); it was not checked.';
  return undefined;
}
