/**
 * The bot's clockwork, on node-cron: poll the feeds that are due, drain the outbox (also
 * right after a poll or a digest queued something), send digests on each destination's
 * own cron and time zone, prune old rows daily. `stop()` stops the timers, cancels what can
 * be cancelled (fetches, rate-limit waits) and waits for the running jobs, so a SIGTERM
 * handler can close the store and exit cleanly.
 */
import { type Logger as CronLogger, type ScheduledTask, schedule } from 'node-cron';
import type { Config } from '../../config/index.js';
import type { Article, Brief } from '../../core/types.js';
import type { fetchFeed } from '../../feeds/fetch.js';
import { pollTickSeconds } from '../../feeds/schedule.js';
import { errorLine, type Log, silentLog } from '../../shared/log.js';
import type { Destination, Store } from '../../store/port.js';
import { sendDigest } from './digest.js';
import type { Instance } from './instance.js';
import { type DrainResult, drainOutbox, type Sender } from './outbox.js';
import { type PollSummary, pollDueFeeds } from './poller.js';
import type { Sleep } from './rate-limit.js';

export { type SyncResult, syncConfig } from './sync.js';

/** node-cron expressions; six fields put seconds first. */
export interface SchedulerSchedules {
  /** Poll the feeds that are due. */
  poll: string;
  /** Send what the outbox holds. */
  drain: string;
  /** Delete old rows (config prune.keepDays). */
  prune: string;
  /** Re-read the digest schedules (a chat may have changed one). */
  digests: string;
}

/** `poll` is the longest: a config with a short interval polls more often (pollSchedule). */
export const DEFAULT_SCHEDULES: Readonly<SchedulerSchedules> = Object.freeze({
  poll: '*/30 * * * * *',
  drain: '*/5 * * * * *',
  prune: '0 30 3 * * *',
  digests: '15 * * * * *',
});

export interface SchedulerOptions {
  store: Store;
  config: Config;
  senders: readonly Sender[];
  now?: () => Date;
  log?: Log;
  schedules?: Partial<SchedulerSchedules>;
  /** Poll and drain once right away, not only at the first tick; default true. */
  runAtStart?: boolean;
  /** For tests: the feed fetcher, the jitter's random numbers, the rate limiter's sleep. */
  fetch?: typeof fetchFeed;
  rng?: () => number;
  sleep?: Sleep;
  /** Told what each poll and each drain did (metrics). */
  onPoll?: (summary: PollSummary) => void;
  /** Told how long each article took to brief, in seconds. */
  onBriefed?: (seconds: number) => void;
  /** The engine; default the rules' briefArticle (the bot passes its entity models). */
  brief?: (article: Article) => Brief;
  onDrain?: (result: DrainResult) => void;
  /** This process's name on claims and leases, and how long they last (instances.lease). */
  instance?: Instance;
}

export interface Scheduler {
  /** Polls the due feeds now (or joins the poll under way). */
  pollNow(): Promise<void>;
  /** Drains the outbox now (or once more after the drain under way). */
  drainNow(): Promise<void>;
  /** Stops the timers, cancels fetches and waits, and waits for running jobs to finish. */
  stop(): Promise<void>;
  /** When a drain of the outbox last finished (readiness: the clock is ticking). */
  lastDrainAt(): Date | null;
}

/**
 * One kind of work: never two runs at once. A run asked for while one is under way joins
 * it, or, with `coalesce`, makes it go round once more (new deliveries were queued).
 */
class Job {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<void>,
    private readonly log: Log,
    private readonly stopped: () => boolean,
    private readonly coalesce = false,
  ) {}

  run(): Promise<void> {
    if (this.stopped()) return this.running ?? Promise.resolve();
    if (this.running) {
      if (this.coalesce) this.again = true;
      return this.running;
    }
    const loop = async (): Promise<void> => {
      do {
        this.again = false;
        try {
          await this.work();
        } catch (error) {
          if (!this.stopped()) this.log.error(`scheduler: ${this.name}: ${errorLine(error)}`);
        }
      } while (this.again && !this.stopped());
    };
    const running = loop().finally(() => {
      if (this.running === running) this.running = null;
    });
    this.running = running;
    return running;
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}

/** Looks for due feeds often enough for the shortest interval of the config (pollTickSeconds). */
export function pollSchedule(config: Pick<Config, 'polling' | 'feeds'>): string {
  const intervals = config.feeds.filter((f) => f.enabled).map((f) => f.intervalMs);
  const shortest = Math.min(config.polling.defaultIntervalMs, ...intervals);
  return `*/${pollTickSeconds(shortest)} * * * * *`;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { store, config, senders } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? silentLog;
  const schedules = { ...DEFAULT_SCHEDULES, poll: pollSchedule(config), ...options.schedules };
  const controller = new AbortController();
  const { signal } = controller;
  const stopped = (): boolean => signal.aborted;
  const tasks: ScheduledTask[] = [];
  const jobs: Job[] = [];

  const cronLogger: CronLogger = {
    info: (message) => log.debug(`node-cron: ${message}`),
    debug: (message) => log.debug(`node-cron: ${errorLine(message)}`),
    warn: (message) => log.warn(`node-cron: ${message}`),
    error: (message, error) => log.error(`node-cron: ${errorLine(error ?? message)}`),
  };
  const every = (expression: string, name: string, run: () => unknown, timezone?: string) => {
    const task = schedule(
      expression,
      () => {
        void run();
      },
      {
        name,
        noOverlap: true,
        logger: cronLogger,
        suppressMissedWarning: true,
        ...(timezone ? { timezone } : {}),
      },
    );
    tasks.push(task);
    return task;
  };
  const drop = async (task: ScheduledTask | null): Promise<void> => {
    if (!task) return;
    await task.destroy();
    const index = tasks.indexOf(task);
    if (index >= 0) tasks.splice(index, 1);
  };
  const job = (name: string, work: () => Promise<void>, coalesce = false): Job => {
    const made = new Job(name, work, log, stopped, coalesce);
    jobs.push(made);
    return made;
  };

  let lastDrain: Date | null = null;
  const drain = job(
    'drain',
    async () => {
      const result = await drainOutbox({
        store,
        senders,
        config,
        now,
        signal,
        log,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.instance ? { instance: options.instance } : {}),
      });
      lastDrain = new Date();
      options.onDrain?.(result);
      if (result.sent + result.failed + result.retried > 0) {
        log.debug(
          `outbox: ${result.sent} sent, ${result.retried} to retry, ${result.failed} failed`,
        );
      }
    },
    true,
  );

  const poll = job('poll', async () => {
    const summary = await pollDueFeeds({
      store,
      config,
      now,
      signal,
      log,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.rng ? { rng: options.rng } : {}),
      ...(options.onBriefed ? { onBriefed: options.onBriefed } : {}),
      ...(options.brief ? { brief: options.brief } : {}),
      ...(options.instance ? { instance: options.instance } : {}),
    });
    options.onPoll?.(summary);
    if (summary.polled > 0) {
      log.debug(
        `poll: ${summary.polled} feeds, ${summary.stored} new briefs, ${summary.failed} failed, ` +
          `${summary.briefFailures} headline-only, ${summary.heldBack} held back`,
      );
    }
    // New briefs (or notices) go out now, not at the next drain tick.
    if (summary.deliveries > 0 || summary.notices > 0) void drain.run();
  });

  const prune = job('prune', async () => {
    const pruned = await store.prune(config.prune.keepDays);
    log.info(
      `prune: ${pruned.briefs} briefs, ${pruned.items} items seen, ${pruned.deliveries} deliveries, ${pruned.actors} actors`,
    );
  });

  // One cron task per digest schedule in the store (the config's, synced there, and the
  // ones set from chats), re-read regularly so a changed schedule takes effect.
  const digestTasks = new Map<Destination, { key: string; task: ScheduledTask | null }>();
  const digestJobs = new Map<Destination, Job>();
  const digestJob = (destination: Destination): Job => {
    let made = digestJobs.get(destination);
    if (!made) {
      made = job(`digest ${destination}`, async () => {
        const record = await store.digests.get(destination);
        if (!record) return;
        const id = await sendDigest({ store, config, now }, record);
        if (id !== null) {
          log.info(`digest: queued for ${destination}`);
          void drain.run();
        }
      });
      digestJobs.set(destination, made);
    }
    return made;
  };
  const digests = job('digests', async () => {
    const records = await store.digests.list();
    if (stopped()) return;
    const current = new Set(records.map((r) => r.destination));
    for (const [destination, entry] of digestTasks) {
      if (current.has(destination)) continue;
      await drop(entry.task);
      digestTasks.delete(destination);
    }
    for (const record of records) {
      const key = `${record.cron}|${record.timezone}`;
      const existing = digestTasks.get(record.destination);
      if (existing?.key === key) continue;
      await drop(existing?.task ?? null);
      let task: ScheduledTask | null = null;
      try {
        const run = digestJob(record.destination);
        task = every(record.cron, `digest ${record.destination}`, () => run.run(), record.timezone);
      } catch (error) {
        log.warn(
          `digest: ${record.destination}: cannot schedule "${record.cron}" in ${record.timezone}: ${errorLine(error)}`,
        );
      }
      digestTasks.set(record.destination, { key, task });
    }
  });

  every(schedules.poll, 'poll feeds', () => poll.run());
  every(schedules.drain, 'drain outbox', () => drain.run());
  every(schedules.prune, 'prune', () => prune.run());
  every(schedules.digests, 'digest schedules', () => digests.run());
  void digests.run();
  if (options.runAtStart !== false) {
    void drain.run();
    void poll.run();
  }

  let stopping: Promise<void> | null = null;
  return {
    pollNow: () => poll.run(),
    drainNow: () => drain.run(),
    lastDrainAt: () => lastDrain,
    stop: () => {
      stopping ??= (async () => {
        controller.abort(new Error('scheduler stopped'));
        await Promise.allSettled(tasks.map(async (task) => task.destroy()));
        await Promise.allSettled(jobs.map((j) => j.idle()));
      })();
      return stopping;
    },
  };
}
