// Worker threads that do one kind of job for the server: each runs a file of the server's own bundle (dist/),
// gets plain data and answers plain data by structured clone. A thread touches no file and runs nothing from
// the workspace (SECURITY.md). `ThreadPool` is the server's side, `serveJobs` the thread's.
import { existsSync } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';

type Request<Job> = { readonly id: number; readonly job: Job };
type Reply<Result> = { readonly id: number; readonly result: Result } | { readonly id: number; readonly error: string };

/** Jobs sent to a thread in one message (fewer, larger messages), and messages a thread holds (no idle gap). */
const JOBS_PER_MESSAGE = 8;
const MESSAGES_PER_THREAD = 2;

interface Thread {
  readonly worker: Worker;
  /** The jobs sent to it and not answered yet. */
  readonly holding: Set<number>;
  messages: number;
}

interface Waiting<Result> {
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
}

export class ThreadPool<Job, Result> {
  private readonly threads: Thread[] = [];
  private readonly queue: Request<Job>[] = [];
  private readonly waiting = new Map<number, Waiting<Result>>();
  private nextId = 0;
  /** Threads are started once, by the first job: a thread that dies is not replaced (it would die again). */
  private started = false;
  private closed = false;

  private constructor(
    private readonly script: string,
    /** The threads it starts. */
    readonly size: number,
  ) {}

  /** A pool of `size` threads running `script`; undefined without threads or script (the server run from source). */
  static create<Job, Result>(script: string, size: number): ThreadPool<Job, Result> | undefined {
    if (size < 1 || !existsSync(script)) return undefined;
    return new ThreadPool<Job, Result>(script, size);
  }

  /** The job's result from a thread; rejects when no thread could do it (the caller does it itself). */
  run(job: Job): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the threads are closed'));
    const id = this.nextId++;
    const result = new Promise<Result>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queue.push({ id, job });
    this.dispatch();
    return result;
  }

  /** Stops the threads; jobs not answered yet are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    this.fail([...this.waiting.keys()], 'the threads were closed');
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
        const requests = this.queue.splice(0, JOBS_PER_MESSAGE);
        for (const request of requests) thread.holding.add(request.id);
        thread.messages++;
        thread.worker.postMessage(requests);
      }
    }
    if (this.threads.length === 0) this.fail(this.queue.splice(0).map((request) => request.id), 'no thread is running');
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
      worker.on('message', (replies: readonly Reply<Result>[]) => {
        thread.messages--;
        for (const reply of replies) {
          thread.holding.delete(reply.id);
          const waiting = this.waiting.get(reply.id);
          this.waiting.delete(reply.id);
          if ('result' in reply) waiting?.resolve(reply.result);
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
      worker.on('error', (error) => lost(`a thread failed: ${error.message}`));
      worker.on('exit', (code) => lost(`a thread stopped (exit code ${code})`));
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

/** In a thread: answers every job the pool sends with `work`'s result, or the error it throws. */
export function serveJobs<Job, Result>(work: (job: Job) => Result | Promise<Result>): void {
  parentPort?.on('message', async (requests: readonly Request<Job>[]) => {
    const replies = await Promise.all(
      requests.map(async ({ id, job }): Promise<Reply<Result>> => {
        try {
          return { id, result: await work(job) };
        } catch (error) {
          return { id, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    parentPort?.postMessage(replies);
  });
}
