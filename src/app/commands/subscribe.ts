import { FilterError } from '../../core/filters/filters.js';
import { InputError } from '../../core/input/errors.js';
import { feedText } from '../../core/render/index.js';
import { FeedError } from '../../net/errors.js';
import type { Destination, FeedRecord, SubscriptionRecord } from '../../store/port.js';
import { keepChatChange, readFilters, withNote } from './changes.js';
import {
  ADMINS,
  type Context,
  defineCommand,
  error,
  localized,
  splitFirst,
  text,
  usage,
} from './define.js';
import type { CommandDeps, CommandInput, Reply } from './types.js';

/**
 * A subscription's `filters` column, as the scheduler reads it (src/app/routing.ts):
 * `{ filters: "<filter text>", origin: "chat" }`. Changing the filters of an existing
 * subscription keeps its other keys (a config subscription stays one).
 */
export function storedFilters(text: string, existing?: unknown): Record<string, unknown> {
  const base =
    existing !== null && typeof existing === 'object' && !Array.isArray(existing)
      ? (existing as Record<string, unknown>)
      : { origin: 'chat' };
  return { ...base, filters: text.trim() };
}

/**
 * The filter text ('' for none) of what a subscription's `filters` column holds: that
 * object, a bare filter string, a list of terms, or null.
 */
export function filterText(stored: unknown): string {
  if (typeof stored === 'string') return stored.trim();
  if (Array.isArray(stored)) {
    return stored
      .filter((f): f is string => typeof f === 'string')
      .join(' ')
      .trim();
  }
  if (stored !== null && typeof stored === 'object') {
    const inner = (stored as { filters?: unknown }).filters;
    if (inner !== undefined) return filterText(inner);
    const text = (stored as { text?: unknown }).text;
    if (typeof text === 'string') return text.trim();
  }
  return '';
}

/**
 * The one line a known failure says; null for an error that is a bug. It may quote what a
 * feed's server answered, so it is shown as feed text.
 */
export function userMessage(error: unknown): string | null {
  if (error instanceof FeedError || error instanceof InputError || error instanceof FilterError) {
    return feedText(error.message.split('\n')[0] ?? error.message) || error.name;
  }
  return null;
}

/** The URL or file a known failure's message starts with (`<source>: <detail>`), if any. */
function sourceOf(error: unknown): { source: string; detail: string } | null {
  if (error instanceof FeedError || error instanceof InputError) {
    return { source: error.source, detail: error.detail };
  }
  return null;
}

/** `url` as the URL parser writes it (a trailing slash, a lower-case host), or as it is. */
function normalUrl(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url.trim();
  }
}

/**
 * A failure's reason for a line that names `url` already (an /import list): without the
 * URL it would repeat; with it when the failure is about another one (a redirect's target).
 */
export function reasonBeside(url: string, failure: SubscribeFailure): string {
  if (failure.source !== null && normalUrl(failure.source) === normalUrl(url)) {
    return failure.detail;
  }
  return failure.reason;
}

/** A feed as messages name it: its title (feed text, see feedText), else its URL. */
export function feedLabel(feed: Pick<FeedRecord, 'name' | 'url'>): string {
  return feedText(feed.name, 200) || feed.url;
}

/** Whether a failure is about the URL itself (malformed, not http, a private address). */
export function isUrlProblem(error: unknown): boolean {
  return (
    (error instanceof FeedError && (error.code === 'bad-url' || error.code === 'refused')) ||
    (error instanceof InputError && error.code === 'bad-url')
  );
}

export interface SubscribeFailure {
  status: 'failed';
  code: 'bad-url' | 'failed';
  /** One line: `<source>: <detail>`, or the detail alone when it is about no URL. */
  reason: string;
  /** The URL or file the reason is about, when it names one. */
  source: string | null;
  detail: string;
}

export type SubscribeOutcome =
  | { status: 'added'; feed: FeedRecord; subscription: SubscriptionRecord; items: number | null }
  | { status: 'exists'; feed: FeedRecord; subscription: SubscriptionRecord }
  | SubscribeFailure;

/** A failure that names no URL (filters that cannot be read). */
export function failure(code: SubscribeFailure['code'], reason: string): SubscribeFailure {
  return { status: 'failed', code, reason, source: null, detail: reason };
}

/** A feed's name for people: its own title, else the URL's host. */
function feedName(title: string, url: URL): string {
  const name = title.replace(/\s+/g, ' ').trim();
  return (name.length > 200 ? `${name.slice(0, 199)}…` : name) || url.hostname;
}

/** `it-IT`, `IT` → `it`; anything else → null. */
function languageHint(language: string | null): string | null {
  const m = /^([a-z]{2})(?:[-_]|$)/i.exec(language?.trim() ?? '');
  return m?.[1] ? m[1].toLowerCase() : null;
}

/**
 * Subscribes a destination to the feed at a URL typed in a chat: the URL through the guard
 * (no private addresses), then — for a feed the store does not have yet — fetched and
 * parsed once to prove it is a feed, and stored with origin 'chat'. A feed already stored
 * (by the config or another chat) is subscribed without fetching it again.
 */
export async function subscribeUrl(
  deps: CommandDeps,
  input: CommandInput,
  url: string,
  filters: string,
): Promise<SubscribeOutcome> {
  const destination: Destination = input.chat.destination;
  const failed = (error: unknown): SubscribeOutcome => {
    const reason = userMessage(error);
    if (reason === null) deps.onError?.(error, input);
    const code = isUrlProblem(error) ? 'bad-url' : 'failed';
    if (reason === null) {
      return failure(code, `unexpected error: ${String((error as Error)?.message ?? error)}`);
    }
    const about = sourceOf(error);
    return about === null ? failure(code, reason) : { ...failure(code, reason), ...about };
  };
  // A feed the store has and this chat follows: nothing to check or fetch. One the config
  // gave this chat, and the chat left: back without the guard, which is for URLs chats
  // bring (the config may list a file: feed, or one on a private address).
  const known =
    (await deps.store.feeds.getByUrl(url.trim())) ??
    (await deps.store.feeds.getByUrl(normalUrl(url)));
  if (known !== null) {
    const here = (await deps.store.subscriptions.listByDestination(destination)).find(
      (s) => s.feedId === known.id,
    );
    if (here) return { status: 'exists', feed: known, subscription: here };
    if ((await deps.store.subscriptions.overrideOf(known.id, destination)) !== null) {
      const { subscription } = await deps.store.subscriptions.add(
        known.id,
        destination,
        storedFilters(filters),
      );
      return { status: 'added', feed: known, subscription, items: null };
    }
  }
  let checked: URL;
  try {
    checked = await deps.checkFeedUrl(url);
  } catch (error) {
    return failed(error);
  }
  // As typed too: the config may spell a stored URL differently (no trailing slash).
  let feed =
    (await deps.store.feeds.getByUrl(checked.href)) ??
    (await deps.store.feeds.getByUrl(url.trim()));
  let items: number | null = null;
  if (feed === null) {
    try {
      const fetched = await deps.fetchFeed(checked.href);
      if (fetched.status !== 'ok') {
        throw new FeedError('unreachable', checked.href, 'the server sent nothing to read');
      }
      const parsed = await deps.parseFeed(fetched.bytes, {
        url: fetched.finalUrl,
        contentType: fetched.contentType,
        label: checked.href,
      });
      items = parsed.items.length;
      ({ feed } = await deps.store.feeds.add({
        url: checked.href,
        name: feedName(parsed.title, checked),
        intervalSeconds: Math.max(1, Math.round(deps.config.polling.defaultIntervalMs / 1000)),
        languageHint: languageHint(parsed.language),
        origin: 'chat',
      }));
    } catch (error) {
      return failed(error);
    }
  }
  const { subscription, created } = await deps.store.subscriptions.add(
    feed.id,
    destination,
    storedFilters(filters),
  );
  return created
    ? { status: 'added', feed, subscription, items }
    : { status: 'exists', feed, subscription };
}

// ── The command ──────────────────────────────────────────────────────────────────────────

async function subscribeChat(ctx: Context): Promise<Reply> {
  const [url, rest] = splitFirst(ctx.args);
  if (url === '') return usage(ctx);
  const filters = readFilters(ctx, rest);
  if (typeof filters !== 'string') return filters;
  const outcome = await subscribeUrl(ctx.deps, ctx.input, url, filters);
  const { m } = ctx;
  switch (outcome.status) {
    case 'failed':
      return error(ctx, outcome.code, m.subscribeFailed(outcome.reason));
    case 'exists': {
      const name = feedLabel(outcome.feed);
      if (rest === '' || filters === filterText(outcome.subscription.filters)) {
        return text(ctx, m.alreadySubscribed(name));
      }
      const { subscription } = outcome;
      const note = await keepChatChange(ctx, subscription);
      await ctx.deps.store.subscriptions.setFilters(
        subscription.id,
        storedFilters(filters, subscription.filters),
      );
      return text(ctx, withNote(m.filtersUpdated(name, filters), note));
    }
    case 'added': {
      const { feed, items } = outcome;
      const name = feedLabel(feed);
      const lines = [
        items === null ? m.subscribedExisting(name, feed.url) : m.subscribed(name, feed.url, items),
      ];
      if (filters) lines.push(m.withFilters(filters));
      return text(ctx, lines.join('\n'));
    }
  }
}

export const subscribe = defineCommand({
  name: 'subscribe',
  args: localized('command.subscribe.args'),
  policy: ADMINS,
  description: localized('command.subscribe'),
  options: [
    {
      name: 'url',
      type: 'string',
      required: true,
      description: localized('command.subscribe.option.url'),
    },
    {
      name: 'filters',
      type: 'string',
      required: false,
      description: localized('command.subscribe.option.filters'),
    },
  ],
  listed: true,
  run: subscribeChat,
});
