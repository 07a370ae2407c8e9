// A worker thread of the language server (started by service/readerPool.ts during the workspace scan): reads
// the files' texts it is sent into facts and sends them back. It parses only: no file, network or process
// access, and it runs nothing from the workspace.
import { parentPort } from 'node:worker_threads';
import { readFile } from './readers';
import type { ReaderJob, ReaderReply } from './service/readerPool';

parentPort?.on('message', (jobs: readonly ReaderJob[]) => {
  const replies = jobs.map((job): ReaderReply => {
    try {
      const read = readFile(job.uri, job.text);
      return read ? { id: job.id, read } : { id: job.id, error: 'no reader for this file' };
    } catch (error) {
      return { id: job.id, error: error instanceof Error ? error.message : String(error) };
    }
  });
  parentPort?.postMessage(replies);
});
