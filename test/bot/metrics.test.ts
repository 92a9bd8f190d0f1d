import { describe, expect, it } from 'vitest';
import type { PollSummary } from '../../src/app/jobs/index.js';
import { createMetrics } from '../../src/bot/metrics.js';

/** A metrics registry over a store that holds nothing. */
function metrics() {
  return createMetrics({
    store: {
      outbox: { stats: async () => ({ pending: 0, oldestPendingAt: null }) },
      feeds: { list: async () => [] },
    } as never,
    tooManyRequests: () => ({}),
  });
}

const round = (extra: Partial<PollSummary>): PollSummary => ({
  polled: 1,
  ok: 1,
  notModified: 0,
  failed: 0,
  paused: 0,
  stored: 0,
  deliveries: 0,
  briefFailures: 0,
  heldBack: 0,
  notices: 0,
  results: [],
  ...extra,
});

describe('metrics of polls', () => {
  it('count items the engine failed on and items the flood caps held back', async () => {
    const m = metrics();
    m.polled(round({ stored: 5, briefFailures: 1, heldBack: 35, notices: 2 }));
    m.polled(round({ stored: 5, heldBack: 35 }));
    const { body } = await m.text();
    expect(body).toMatch(/^briefwire_briefs_total 10$/m);
    expect(body).toMatch(/^briefwire_brief_failures_total 1$/m);
    expect(body).toMatch(/^briefwire_items_held_back_total 70$/m);
  });
});
