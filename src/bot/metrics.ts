/**
 * Prometheus metrics (prom-client) for `/metrics`: what the scheduler did (feeds polled,
 * failed, paused; briefs made), what the outbox did per platform (sent, retried, failed),
 * what is waiting (outbox depth, oldest pending age) and the 429s each platform answered.
 * Counters are fed by the scheduler's hooks and a wrapper around each sender; gauges are
 * read from the store when scraped.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PollSummary, Sender, SendOutcome } from '../app/jobs/index.js';
import type { Store } from '../store/index.js';

export type PlatformName = 'console' | 'telegram' | 'discord';

export interface BotMetrics {
  readonly registry: Registry;
  /** The Prometheus text exposition, and its content type. */
  text(): Promise<{ body: string; contentType: string }>;
  polled(summary: PollSummary): void;
  /** How long one article took to brief, in seconds. */
  briefed(seconds: number): void;
  /** The sender, counting each outcome under its platform. */
  counting(platform: PlatformName, sender: Sender): Sender;
}

export interface MetricsSources {
  store: Pick<Store, 'outbox' | 'feeds'>;
  /** 429s answered by each platform so far (the adapters count them). */
  tooManyRequests: () => Partial<Record<PlatformName, number>>;
  now?: () => Date;
}

export function createMetrics(sources: MetricsSources): BotMetrics {
  const registry = new Registry();
  const now = sources.now ?? (() => new Date());
  collectDefaultMetrics({ register: registry, prefix: 'briefwire_' });

  const polls = new Counter({
    name: 'briefwire_feed_polls_total',
    help: 'Feed polls, by result: ok (new content), not_modified (304), failed.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const briefs = new Counter({
    name: 'briefwire_briefs_total',
    help: 'New feed items briefed and stored.',
    registers: [registry],
  });
  const briefFailures = new Counter({
    name: 'briefwire_brief_failures_total',
    help: 'New feed items the engine failed on, posted as headline and link (and briefed again later).',
    registers: [registry],
  });
  const heldBack = new Counter({
    name: 'briefwire_items_held_back_total',
    help: 'New feed items over the flood caps (polling.maxNewItemsPerPoll/PerHour): marked seen, not posted.',
    registers: [registry],
  });
  const paused = new Counter({
    name: 'briefwire_feeds_paused_total',
    help: 'Feeds paused after failing too many times in a row.',
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'briefwire_brief_seconds',
    help: 'Time to brief one article.',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'briefwire_deliveries_total',
    help: 'Outbox sends, by platform and outcome: sent, retried, failed, destination_gone.',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'briefwire_feeds_paused',
    help: 'Feeds paused now (after failures), waiting for /resume.',
    registers: [registry],
    async collect() {
      const feeds = await sources.store.feeds.list();
      this.set(feeds.filter((feed) => feed.paused).length);
    },
  });
  new Gauge({
    name: 'briefwire_outbox_pending',
    help: 'Deliveries waiting in the outbox.',
    registers: [registry],
    async collect() {
      this.set((await sources.store.outbox.stats()).pending);
    },
  });
  new Gauge({
    name: 'briefwire_outbox_oldest_pending_seconds',
    help: 'Age of the oldest pending delivery (0 when none).',
    registers: [registry],
    async collect() {
      const { oldestPendingAt } = await sources.store.outbox.stats();
      this.set(
        oldestPendingAt ? Math.max(0, (now().getTime() - oldestPendingAt.getTime()) / 1000) : 0,
      );
    },
  });
  new Counter({
    name: 'briefwire_rate_limited_total',
    help: 'HTTP 429 answers received from each platform (each one waited out, then retried).',
    labelNames: ['platform'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [platform, count] of Object.entries(sources.tooManyRequests())) {
        if (count !== undefined) this.inc({ platform }, count);
      }
    },
  });

  const outcomeName = (outcome: SendOutcome): string =>
    outcome.ok
      ? 'sent'
      : outcome.kind === 'destination-gone'
        ? 'destination_gone'
        : outcome.kind === 'retry'
          ? 'retried'
          : 'failed';

  return {
    registry,
    text: async () => ({ body: await registry.metrics(), contentType: registry.contentType }),
    polled: (summary) => {
      polls.inc({ result: 'ok' }, summary.ok);
      polls.inc({ result: 'not_modified' }, summary.notModified);
      polls.inc({ result: 'failed' }, summary.failed);
      briefs.inc(summary.stored);
      briefFailures.inc(summary.briefFailures);
      heldBack.inc(summary.heldBack);
      paused.inc(summary.paused);
    },
    briefed: (seconds) => latency.observe(seconds),
    counting: (platform, sender) => ({
      ...sender,
      accepts: (destination) => sender.accepts(destination),
      send: async (destination, delivery, context) => {
        let outcome: SendOutcome;
        try {
          outcome = await sender.send(destination, delivery, context);
        } catch (error) {
          deliveries.inc({ platform, outcome: 'retried' });
          throw error;
        }
        deliveries.inc({ platform, outcome: outcomeName(outcome) });
        return outcome;
      },
    }),
  };
}
