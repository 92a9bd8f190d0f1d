/**
 * A reading worker's code: one job from workerData (an article's bytes → parseArticle, a
 * feed's bytes → parseFeed), its outcome posted back, then the thread ends. It runs the
 * same pure functions the main thread does; worker.ts gives it its deadline.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../core/input/errors.js';
import { FeedError } from '../net/errors.js';
import type { Job, Outcome, SentError } from './worker.js';

function sent(error: unknown): SentError {
  if (error instanceof InputError) {
    return { type: 'input', code: error.code, source: error.source, detail: error.detail };
  }
  if (error instanceof FeedError) {
    return {
      type: 'feed',
      code: error.code,
      source: error.source,
      detail: error.detail,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: 'other', message: e.message, stack: e.stack ?? null };
}

async function run(job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'article': {
      const { parseArticle } = await import('../core/input/index.js');
      return parseArticle(job.input);
    }
    case 'feed': {
      const { parseFeed } = await import('../feeds/parse.js');
      return parseFeed(job.bytes, job.options);
    }
  }
}

let outcome: Outcome;
try {
  outcome = { ok: true, value: await run(workerData as Job) };
} catch (error) {
  outcome = { ok: false, error: sent(error) };
}
parentPort?.postMessage(outcome);
