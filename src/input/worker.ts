/**
 * Reading untrusted documents off the main thread. A page or a big feed is parsed in a
 * worker thread (worker-entry.ts) with a deadline and a memory cap: past the deadline the
 * worker is terminated, wherever it is, and the caller gets a typed error; meanwhile the
 * main thread goes on answering commands, health checks and polls.
 *
 * One worker per job (a job is rare and slow: a `/brief URL`, a big feed), at most
 * MAX_WORKERS at once; the others wait their turn.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { InputError, type InputErrorCode, type RawInput } from '../core/input/index.js';
import type { ParseFeedOptions } from '../feeds/parse.js';
import { FeedError, type FeedErrorCode } from '../net/errors.js';

/** What a worker is asked to do. */
export type Job =
  | { kind: 'article'; input: RawInput }
  | { kind: 'feed'; bytes: Uint8Array; options: ParseFeedOptions };

/** An error as it crosses from the worker: the typed ones keep their type. */
export type SentError =
  | { type: 'input'; code: InputErrorCode; source: string; detail: string }
  | {
      type: 'feed';
      code: FeedErrorCode;
      source: string;
      detail: string;
      status: number | null;
      retryAfterMs: number | null;
    }
  | { type: 'other'; message: string; stack: string | null };

export type Outcome = { ok: true; value: unknown } | { ok: false; error: SentError };

/** Workers running at once: each is one job, and the machine has other work. */
export const MAX_WORKERS = 2;
/** A worker's heap: a 10 MiB feed or a 5 MiB page parses in well under this. */
export const WORKER_HEAP_MB = 512;

export interface WorkerRunOptions {
  /** Milliseconds the job may run (not counting its wait for a free worker). */
  deadlineMs: number;
  /** The error for a job past its deadline, or one that ran out of memory. */
  tooMuch: (why: 'time' | 'memory') => Error;
  /** Stops the job (shutdown): a waiting one never starts, a running one is terminated. */
  signal?: AbortSignal | undefined;
}

function received(error: SentError): Error {
  switch (error.type) {
    case 'input':
      return new InputError(error.code, error.source, error.detail);
    case 'feed':
      return new FeedError(error.code, error.source, error.detail, {
        status: error.status,
        retryAfterMs: error.retryAfterMs,
      });
    case 'other': {
      const failure = new Error(error.message);
      if (error.stack) failure.stack = error.stack;
      return failure;
    }
  }
}

/**
 * The worker's code: the built worker-entry.js beside this file, or, when this file runs
 * as TypeScript (the tests, through vitest), worker-entry.ts through tsx.
 */
function startWorker(Worker: WorkerClass, job: Job): Worker {
  const options = { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker-entry.js', import.meta.url), options);
  }
  // tsx's ESM API (its `import` export; the CommonJS one cannot register from a worker).
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./worker-entry.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(pathToFileURL(api).href)})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

type WorkerClass = typeof import('node:worker_threads').Worker;

let running = 0;
const waiting: (() => void)[] = [];

/** Waits for a free worker slot; resolves to the function that gives it back. */
async function slot(signal: AbortSignal | undefined): Promise<() => void> {
  signal?.throwIfAborted();
  if (running >= MAX_WORKERS) {
    await new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      const abort = (): void => {
        const at = waiting.indexOf(go);
        if (at >= 0) waiting.splice(at, 1);
        reject(signal?.reason);
      };
      waiting.push(go);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
  running++;
  let given = false;
  return () => {
    if (given) return;
    given = true;
    running--;
    waiting.shift()?.();
  };
}

/** Runs `job` in a worker thread; rejects with its typed error, or `tooMuch`'s. */
export async function runInWorker(job: Job, options: WorkerRunOptions): Promise<unknown> {
  // Loaded on demand: `briefwire brief` of a text file starts no worker.
  const { Worker } = await import('node:worker_threads');
  const release = await slot(options.signal);
  try {
    return await new Promise<unknown>((resolve, reject) => {
      const worker = startWorker(Worker, job);
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        // Ended whatever it was doing: a worker past its answer has nothing left to do.
        void worker.terminate();
        settle();
      };
      const timer = setTimeout(
        () => finish(() => reject(options.tooMuch('time'))),
        options.deadlineMs,
      );
      const abort = (): void => finish(() => reject(options.signal?.reason));
      options.signal?.addEventListener('abort', abort, { once: true });
      worker.once('message', (outcome: Outcome) =>
        finish(() => (outcome.ok ? resolve(outcome.value) : reject(received(outcome.error)))),
      );
      worker.once('error', (error: Error & { code?: string }) =>
        finish(() =>
          reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? options.tooMuch('memory') : error),
        ),
      );
      worker.once('exit', (code) =>
        finish(() => reject(new Error(`the reading worker stopped (exit code ${code})`))),
      );
    });
  } finally {
    release();
  }
}
