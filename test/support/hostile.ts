/**
 * Feed text written to do harm wherever the bot shows it — /feeds, a pause notice, a digest,
 * an /actor page — for the platform tests: terminal escapes, a bidi override, a control
 * character, a lone surrogate (half an emoji, which Telegram refuses), an `@username` that
 * would notify its user on Telegram, and a link with credentials.
 */
import { expect } from 'vitest';
import type { Brief } from '../../src/core/types.js';
import type { Destination, FeedRecord, Store } from '../../src/store/port.js';

/** Half of 😀: what a feed cut in the middle of an emoji sends. */
const HALF_EMOJI = '\ud83d';

/** A feed's own title: a bell, an OSC that retitles a terminal, a bidi override, a ping. */
export const HOSTILE_NAME = `Wire\u0007 \u001b]0;owned\u0007\u001b[31mred \u202egnp.exe\u202c @jack_smith ${HALF_EMOJI}`;

export const HOSTILE_TITLE = `Talks in Seoul @jack_smith \u202eevil\u202c\u0007 ${HALF_EMOJI}`;

export const CREDENTIAL_URL = 'https://bank.example@evil.example/login';

/** A brief whose headline, source, link and actor all come from the hostile feed. */
export function hostileBrief(extra: Partial<Brief> = {}): Brief {
  return {
    title: HOSTILE_TITLE,
    url: CREDENTIAL_URL,
    source: HOSTILE_NAME,
    publishedAt: '2025-03-10T10:00:00.000Z',
    language: 'en',
    summary: ['Jack Smith met the minister in Seoul.'],
    actors: [
      {
        id: 'jack-smith',
        name: `Jack Smith @jack_smith \u202e${HALF_EMOJI}`,
        kind: 'person',
        role: `envoy @jack_smith\u0007 \u202e${HALF_EMOJI}`,
        mentions: 2,
        salience: 0.9,
        aliases: [],
      },
    ],
    tags: ['#Seoul'],
    ...extra,
  };
}

/**
 * The hostile feed in the store (as a poll would leave it: its title as its name, its last
 * error quoting its server), subscribed by `destinations`, with one hostile brief stored
 * for them (`deliver`: also queued to them, as a poll queues a new brief).
 */
export async function storeHostileFeed(
  store: Store,
  destinations: readonly Destination[],
  options: { url?: string; deliver?: boolean } = {},
): Promise<FeedRecord> {
  const { feed } = await store.feeds.add({
    url: options.url ?? 'https://news.example/hostile.xml',
    name: HOSTILE_NAME,
    intervalSeconds: 900,
    languageHint: null,
    origin: 'config',
    options: { allowPrivate: true },
  });
  await store.feeds.updatePollState(feed.id, {
    consecutiveFailures: 1,
    lastError: `HTTP 503 ${HOSTILE_NAME}`,
  });
  for (const destination of destinations) await store.subscriptions.add(feed.id, destination);
  await store.ingest(feed.id, [
    {
      keys: ['g:hostile'],
      brief: hostileBrief(),
      destinations: options.deliver === false ? [] : destinations,
    },
  ]);
  return feed;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text as a reader sees it: no control or bidi character, no half of a surrogate pair. */
export function expectCleanText(text: string): void {
  expect(text).not.toMatch(CONTROL);
  expect(text).not.toMatch(BIDI);
  expect(text).not.toMatch(LONE_SURROGATE);
  expect(text).not.toContain('evil.example');
}
