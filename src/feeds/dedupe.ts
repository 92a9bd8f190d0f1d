import { createHash } from 'node:crypto';
import type { FeedItem } from './parse.js';

/**
 * Dedupe keys of feed items. Every item has up to three keys:
 *
 * - `g:<guid>` — the feed's own id for it;
 * - `l:<link>` — its link, normalised: scheme-less (http = https), host lower-cased without
 *   `www.`, no fragment, no tracking parameters (utm_*, fbclid, gclid, mc_*…), the query
 *   sorted, no trailing slash;
 * - `h:<sha1>` — a hash of its title and text, normalised (case, accents, punctuation and
 *   spacing do not count).
 *
 * An item is seen when ANY of its keys was seen, so a re-dated item, a reordered feed, a
 * feed that drops or regenerates guids, links with new tracking parameters, and an edited
 * item (same guid or link, new text) are all posted once. Keys are per feed: the store
 * keeps them with the feed's id. Mark every key of every item of a poll as seen — posted
 * or not — so the keys of an edited item are learnt too.
 */
export type DedupeItem = Pick<FeedItem, 'guid' | 'link' | 'title' | 'text'>;

export interface KeyedItem<T> {
  item: T;
  keys: string[];
}

/** Query parameters that say where a click came from, never which page it is. */
const TRACKING = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'mkt_tok',
  '_hsenc',
  '_hsmi',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'wt.mc_id',
  'at_medium',
  'at_campaign',
]);

function isTracking(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('utm_') || n.startsWith('mc_') || TRACKING.has(n);
}

/**
 * A link as a dedupe key: `example.com/a/b?id=2&x=1` for
 * `https://www.Example.com/a/b/?x=1&utm_source=tw&id=2#comments`. Null for anything that
 * is not an http(s) URL.
 */
export function normalizeLink(link: string | null | undefined): string | null {
  if (!link) return null;
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : '';
  const params = [...url.searchParams].filter(([name]) => !isTracking(name));
  params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${host}${port}${path}${query}`;
}

/** Text as the hash sees it: lower case, no accents, words separated by one space. */
function hashText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The `h:` key of a title and text, or null when there is nothing to hash. */
export function contentHash(title: string, text: string): string | null {
  const t = hashText(title);
  const body = hashText(text);
  if (!t && !body) return null;
  return createHash('sha1').update(`${t}\n${body}`).digest('base64url');
}

/**
 * The dedupe keys of one item, strongest first: `g:` guid, `l:` normalised link, `h:` hash
 * of title + text. The hash is left out for an item with a guid or link but no text: a
 * recurring headline ("Live updates", "Daily briefing") must not hide the next one.
 */
export function itemKeys(item: DedupeItem): string[] {
  const keys: string[] = [];
  const guid = item.guid?.trim();
  if (guid) keys.push(`g:${guid}`);
  const link = normalizeLink(item.link);
  if (link) keys.push(`l:${link}`);
  if (item.text.trim() || keys.length === 0) {
    const hash = contentHash(item.title, item.text);
    if (hash) keys.push(`h:${hash}`);
  }
  return keys;
}

/**
 * The keys of every item of one poll. A key that two clearly different items share (they
 * have no other key in common: every item's link is the home page, or a feed gives every
 * item the same guid) says nothing about either, so it is dropped for them — otherwise
 * the second item would pass for the first and never be posted.
 */
export function keyItems<T extends DedupeItem>(items: readonly T[]): KeyedItem<T>[] {
  const keyed = items.map((item) => ({ item, keys: itemKeys(item) }));
  const holders = new Map<string, number[]>();
  keyed.forEach(({ keys }, index) => {
    for (const key of keys) {
      const list = holders.get(key);
      if (list) list.push(index);
      else holders.set(key, [index]);
    }
  });
  const ambiguous = new Set<string>();
  for (const [key, list] of holders) {
    if (list.length < 2) continue;
    outer: for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const left = keyed[list[a] as number]?.keys ?? [];
        const right = new Set(keyed[list[b] as number]?.keys ?? []);
        if (!left.some((k) => k !== key && right.has(k))) {
          ambiguous.add(key);
          break outer;
        }
      }
    }
  }
  if (ambiguous.size === 0) return keyed;
  return keyed.map(({ item, keys }) => ({ item, keys: keys.filter((k) => !ambiguous.has(k)) }));
}

/**
 * Items newest first: by date when every item has one, else in document order (feeds
 * list the newest first). Stable.
 */
export function newestFirst<T extends Pick<FeedItem, 'publishedAt'>>(items: readonly T[]): T[] {
  const times = items.map((i) => (i.publishedAt ? Date.parse(i.publishedAt) : Number.NaN));
  if (times.some((t) => Number.isNaN(t))) return [...items];
  return items
    .map((item, index) => ({ item, index, time: times[index] as number }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map((x) => x.item);
}

/** One entry per distinct item (items sharing a key), the newest kept, newest first. */
function distinctNewestFirst<T extends Pick<FeedItem, 'publishedAt'>>(
  keyed: readonly KeyedItem<T>[],
): KeyedItem<T>[] {
  const order = newestFirst(keyed.map((k) => ({ ...k, publishedAt: k.item.publishedAt })));
  const taken = new Set<string>();
  const out: KeyedItem<T>[] = [];
  for (const { item, keys } of order) {
    const duplicate = keys.some((k) => taken.has(k));
    for (const k of keys) taken.add(k);
    if (!duplicate) out.push({ item, keys });
  }
  return out;
}

/**
 * The items of a poll that were never seen, in posting order (oldest first), each with its
 * keys. `isSeen` asks the store about one key. An item listed twice in one document counts
 * once.
 */
export function newItems<T extends DedupeItem & Pick<FeedItem, 'publishedAt'>>(
  items: readonly T[],
  isSeen: (key: string) => boolean,
): KeyedItem<T>[] {
  return distinctNewestFirst(keyItems(items))
    .filter(({ keys }) => !keys.some((k) => isSeen(k)))
    .reverse();
}

/**
 * The first poll of a newly added feed: post at most `n` of its newest items (in posting
 * order, oldest first); `markSeen` is the rest of the backlog, only to be marked seen. Every
 * key of both lists is to be marked seen.
 */
export function firstPollPolicy<T extends DedupeItem & Pick<FeedItem, 'publishedAt'>>(
  items: readonly T[],
  n: number,
): { post: KeyedItem<T>[]; markSeen: KeyedItem<T>[] } {
  const keyed = keyItems(items);
  const count = Math.max(0, Math.floor(n));
  const post = distinctNewestFirst(keyed).slice(0, count);
  const posted = new Set(post.map((p) => p.item));
  return { post: post.reverse(), markSeen: keyed.filter((k) => !posted.has(k.item)) };
}
