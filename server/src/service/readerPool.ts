// Worker threads that read files into facts, so that the workspace scan parses on several cores (parsing is
// most of a cold index: BENCHMARKS.md). Each thread runs the server's own bundled reader (readerWorker.js
// next to the server bundle) and gets texts, never paths: it touches no file. Facts are plain data and come
// back by structured clone. Used for the scan only, and closed after it: later reads are single files.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isNotSet, notSet } from '../model/source';
import type { ReadResult } from '../readers';
import { sharedText } from '../readers/yaml/yamlTree';

export interface ReaderJob {
  readonly id: number;
  readonly uri: string;
  readonly text: string;
}

export type ReaderReply = { readonly id: number; readonly read: ReadResult } | { readonly id: number; readonly error: string };

/** Files sent to a thread in one message (fewer, larger messages), and messages a thread holds (no idle gap). */
const JOBS_PER_MESSAGE = 8;
const MESSAGES_PER_THREAD = 2;
/** More threads than this gain little: the main thread still receives every file's facts. */
const MAX_THREADS = 4;

interface Thread {
  readonly worker: Worker;
  /** The jobs sent to it and not answered yet. */
  readonly holding: Set<number>;
  messages: number;
}

interface Waiting {
  readonly resolve: (read: ReadResult) => void;
  readonly reject: (error: Error) => void;
}

export class ReaderPool {
  private readonly threads: Thread[] = [];
  private readonly queue: ReaderJob[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  /** Threads are started once, by the first read: a thread that dies is not replaced (it would die again). */
  private started = false;
  private closed = false;

  private constructor(
    private readonly script: string,
    /** The threads it starts. */
    readonly size: number,
  ) {}

  /**
   * A pool of one thread per core (at most MAX_THREADS) running `script`; undefined on a single core, where
   * threads would only add copying, or when the script is not there (the server run from source in tests).
   */
  static create(script: string, size = Math.min(MAX_THREADS, availableParallelism())): ReaderPool | undefined {
    if (size < 2 || !existsSync(script)) return undefined;
    return new ReaderPool(script, size);
  }

  /** The file's read, made on a thread; rejects when no thread could read it (the caller reads it itself). */
  read(uri: string, text: string): Promise<ReadResult> {
    if (this.closed) return Promise.reject(new Error('the reader threads are closed'));
    const id = this.nextId++;
    const result = new Promise<ReadResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queue.push({ id, uri, text });
    this.dispatch();
    return result;
  }

  /** Stops the threads; reads not answered yet are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    this.fail([...this.waiting.keys()], 'the reader threads were closed');
    this.queue.length = 0;
    await Promise.all(this.threads.splice(0).map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    if (!this.started) {
      this.started = true;
      this.start();
    }
    for (const thread of this.threads) {
      while (thread.messages < MESSAGES_PER_THREAD && this.queue.length > 0) {
        const jobs = this.queue.splice(0, JOBS_PER_MESSAGE);
        for (const job of jobs) thread.holding.add(job.id);
        thread.messages++;
        thread.worker.postMessage(jobs);
      }
    }
    if (this.threads.length === 0) this.fail(this.queue.splice(0).map((job) => job.id), 'no reader thread is running');
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      let worker: Worker;
      try {
        // stdout and stderr are the thread's own streams, drained here: the server's stdout carries the protocol.
        worker = new Worker(this.script, { stdout: true, stderr: true });
      } catch {
        continue;
      }
      worker.stdout.resume();
      worker.stderr.resume();
      const thread: Thread = { worker, holding: new Set(), messages: 0 };
      worker.on('message', (replies: readonly ReaderReply[]) => {
        thread.messages--;
        for (const reply of replies) {
          thread.holding.delete(reply.id);
          const waiting = this.waiting.get(reply.id);
          this.waiting.delete(reply.id);
          if ('read' in reply) waiting?.resolve(shareAgain(reply.read, reply.read.facts.uri));
          else waiting?.reject(new Error(reply.error));
        }
        this.dispatch();
      });
      const lost = (why: string) => {
        const index = this.threads.indexOf(thread);
        if (index < 0) return;
        this.threads.splice(index, 1);
        this.fail([...thread.holding], why);
        // Its queued share goes to the threads left, or is rejected when none is.
        this.dispatch();
      };
      worker.on('error', (error) => lost(`a reader thread failed: ${error.message}`));
      worker.on('exit', (code) => lost(`a reader thread stopped (exit code ${code})`));
      this.threads.push(thread);
    }
  }

  private fail(ids: readonly number[], why: string): void {
    for (const id of ids) {
      const waiting = this.waiting.get(id);
      this.waiting.delete(id);
      waiting?.reject(new Error(why));
    }
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
