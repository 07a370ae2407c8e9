// A reader thread of the language server (service/readerPool.ts): reads the file texts it is sent into facts
// and sends them back. It parses only: no file, network or process access, nothing from the workspace runs.
import { readFile } from './readers';
import type { ReaderJob } from './service/readerPool';
import { serveJobs } from './service/threadPool';

serveJobs(({ uri, text }: ReaderJob) => {
  const read = readFile(uri, text);
  if (!read) throw new Error(`no reader for ${uri}`);
  return read;
});
