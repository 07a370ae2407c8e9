// Threads that read files into facts, so that the workspace scan and `netlens check` parse on several cores
// (parsing is most of a cold index: BENCHMARKS.md). Each runs the server's bundled reader (readerWorker.js next
// to the server bundle) and gets texts, never paths. Used for the scan only, and closed after it: later reads
// are single files.
import { availableParallelism } from 'node:os';
import { isNotSet, notSet } from '../model/source';
import type { ReadResult } from '../readers';
import { sharedText } from '../readers/yaml/yamlTree';
import { ThreadPool } from './threadPool';

export interface ReaderJob {
  readonly uri: string;
  readonly text: string;
}

/** More threads than this gain little: the main thread still receives every file's facts. */
const MAX_THREADS = 4;

export class ReaderPool {
  private constructor(private readonly threads: ThreadPool<ReaderJob, ReadResult>) {}

  /**
   * One thread per core (at most MAX_THREADS) running `script`; undefined on a single core, where threads would
   * only add copying, or when the script is not there (the server run from source in tests).
   */
  static create(script: string, size = Math.min(MAX_THREADS, availableParallelism())): ReaderPool | undefined {
    const threads = size >= 2 ? ThreadPool.create<ReaderJob, ReadResult>(script, size) : undefined;
    return threads && new ReaderPool(threads);
  }

  /** The threads it starts. */
  get size(): number {
    return this.threads.size;
  }

  /** The file's read, made on a thread; rejects when no thread could read it (the caller reads it itself). */
  async read(uri: string, text: string): Promise<ReadResult> {
    return shareAgain(await this.threads.run({ uri, text }), uri);
  }

  /** Stops the threads; reads not answered yet are rejected. */
  close(): Promise<void> {
    return this.threads.close();
  }
}

/**
 * The read with what the main thread's readers share shared again: structured clone copies every string and
 * every object it meets in another message, so each source would carry its own copy of the file's URI, each
 * name and kind its own text, each field not set its own object (a quarter more memory for the facts).
 */
function shareAgain<T>(value: T, uri: string): T {
  if (typeof value === 'string') return (value === uri ? uri : sharedText(value)) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = shareAgain(value[i], uri);
    return value;
  }
  if (value instanceof Map || value instanceof Set) return value;
  const record = value as Record<string, unknown>;
  if (record.known === false && record.source === undefined && isNotSet(record as never)) return notSet() as T;
  for (const key of Object.keys(record)) record[key] = shareAgain(record[key], uri);
  return value;
}
