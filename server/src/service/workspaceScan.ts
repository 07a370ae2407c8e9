// The initial scan of the workspace folders: lists the files first (so progress can say how many), then reads
// them from disk in batches of concurrent reads. Each file is parsed once as its text arrives: on a reader
// thread when the caller offers them (service/readerPool.ts) and the file's reader allows it, else here.
// Analysis is left to the caller, once, after the scan.
import { pathToFileURL } from 'node:url';
import { canReadApart, type ReadResult } from '../readers';
import { readDiskFile } from './diskFiles';
import type { Workspace } from './workspace';
import { findWorkspaceFiles } from './workspaceFiles';

/** Files read from disk at the same time; between batches the caller's event loop runs (messages, progress). */
export const SCAN_BATCH = 32;
/** Below this many files, starting reader threads costs more than it saves. */
export const READ_APART_FROM = 64;

export interface ScanHooks {
  /** True when the file must not be read from disk (an open document wins over disk). */
  readonly skip?: (uri: string) => boolean;
  /** Reads a file on another thread; a rejection means the file is read here after all. */
  readonly readApart?: (uri: string, text: string) => Promise<ReadResult>;
  /** Called once the files are listed (done = 0), then as files are read. */
  readonly progress?: (done: number, total: number) => void;
  readonly log?: (message: string) => void;
  readonly warn?: (message: string) => void;
}

/** What the scan did: the files read into the workspace, and how many of them were read on other threads. */
export interface ScanResult {
  readonly read: number;
  readonly onThreads: number;
}

/** Reads every supported file under the folders into the workspace. */
export async function scanWorkspace(workspace: Workspace, folders: readonly string[], hooks: ScanHooks = {}): Promise<ScanResult> {
  const log = hooks.log ?? (() => {});
  const files: string[] = [];
  for (const folder of folders) for await (const file of findWorkspaceFiles(folder, log)) files.push(file);
  hooks.progress?.(0, files.length);
  const readApart = files.length >= READ_APART_FROM ? hooks.readApart : undefined;
  let count = 0;
  let onThreads = 0;
  let done = 0;
  const step = () => {
    if (++done % SCAN_BATCH === 0 || done === files.length) hooks.progress?.(done, files.length);
  };
  const finish = (uri: string, text: string, read: ReadResult | undefined) => {
    // An open document wins over disk, also when it was opened while this file was being read.
    if (!hooks.skip?.(uri) && workspace.setFile(uri, text, 0, { read })) {
      count++;
      if (read) onThreads++;
    }
    step();
  };
  // Files join the workspace in the order they were listed, whichever thread reads them first: the model is
  // the same however the threads are scheduled. A thread's failure leaves the file to be read here.
  let joined: Promise<void> = Promise.resolve();
  for (let first = 0; first < files.length; first += SCAN_BATCH) {
    const batch = files.slice(first, first + SCAN_BATCH).map((file) => ({ file, uri: pathToFileURL(file).href }));
    const texts = await Promise.all(batch.map(({ file, uri }) => (hooks.skip?.(uri) ? undefined : readDiskFile(file))));
    batch.forEach(({ uri }, i) => {
      const read = texts[i];
      if (read && 'text' in read) {
        const { text } = read;
        const onThread = readApart && canReadApart(uri) ? readApart(uri, text).catch(() => undefined) : undefined;
        joined = joined.then(async () => finish(uri, text, await onThread));
      } else {
        joined = joined.then(() => {
          if (read && 'skipped' in read) log(read.skipped);
          else if (read) (hooks.warn ?? log)(`Could not read ${uri}: ${read.error}`);
          step();
        });
      }
    });
  }
  await joined;
  return { read: count, onThreads };
}
