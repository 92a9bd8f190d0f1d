import * as crypto from 'node:crypto';
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
 * A query whose every parameter is plainly (no escapes) a tracking one — the usual
 * `?utm_source=rss&utm_medium=feed` of a feed link —, so that it can go without parsing.
 */
function onlyTracking(search: string): boolean {
  for (const part of search.slice(1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name.includes('%') || name.includes('+') || !isTracking(name)) return false;
  }
  return true;
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
  let query = '';
  if (url.search !== '' && !onlyTracking(url.search)) {
    const params = [...url.searchParams].filter(([name]) => !isTracking(name));
    params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
    if (params.length > 0) query = `?${new URLSearchParams(params).toString()}`;
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${host}${port}${path}${query}`;
}

/**
 * Text as the hash sees it: lower case, no accents, words separated by one space — NFKD,
 * combining marks dropped, lower-cased, every run of what is neither letter nor digit one
 * space, trimmed. The definition of the `h:` key; contentHash gets the same bytes faster.
 */
export function referenceHashText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** contentHash by its definition: SHA-1 of the two referenceHashTexts. For tests. */
export function referenceContentHash(title: string, text: string): string | null {
  const t = referenceHashText(title);
  const body = referenceHashText(text);
  if (!t && !body) return null;
  return crypto.createHash('sha1').update(`${t}\n${body}`).digest('base64url');
}

/** ASCII: 0 a separator, 1 a digit or lower-case letter, 2 an upper-case letter. */
const ASCII_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_KIND[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_KIND[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_KIND[c] = 2;

/** What referenceHashText makes of one character, around its separators. */
interface Folded {
  /** Starts with a separator. */
  lead: boolean;
  /** Its letters and digits as UTF-8, single spaces between words; empty for a mark. */
  body: Uint8Array;
  /** Ends with a separator (a lone separator: lead and trail). */
  trail: boolean;
}

const MARK = /\p{M}/u;
const CAPITAL_SIGMA = '\u03a3';

/**
 * A character of a non-zero canonical combining class: NFD moves it past a mark of another
 * class (U+0301 is 230, U+0334 is 1). Only such characters are reordered by NFKD.
 */
function reorders(x: string): boolean {
  return (
    `\u0301${x}`.normalize('NFD') !== `\u0301${x}` || `${x}\u0334`.normalize('NFD') !== `${x}\u0334`
  );
}

/**
 * One character as referenceHashText treats it inside any text, or null when that depends
 * on its neighbours. NFKD decomposes each character on its own, then only reorders
 * characters of a non-zero combining class — marks, all dropped — unless one is not a
 * mark; lower-casing goes character by character except for capital sigma (ς or σ by
 * context). test/feeds/dedupe.test.ts checks every code point.
 */
function foldOne(char: string): Folded | null {
  const decomposed = char.normalize('NFKD');
  if (decomposed.includes(CAPITAL_SIGMA)) return null;
  for (const x of decomposed) if (!MARK.test(x) && reorders(x)) return null;
  const spaced = decomposed
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return {
    lead: spaced.startsWith(' '),
    body: Buffer.from(spaced.trim(), 'utf8'),
    trail: spaced.endsWith(' '),
  };
}

/**
 * Non-ASCII code points met so far → their fold (null: context matters). At most one entry
 * per code point; in practice a few hundred, those of the scripts the feeds are written in.
 */
const FOLDS = new Map<number, Folded | null>();

function fold(codePoint: number): Folded | null {
  let folded = FOLDS.get(codePoint);
  if (folded === undefined) {
    folded = foldOne(String.fromCodePoint(codePoint));
    FOLDS.set(codePoint, folded);
  }
  return folded;
}

/** The bytes contentHash hashes, reused from item to item (never held if large). */
let scratch = new Uint8Array(16 * 1024);
const SCRATCH_KEEP = 256 * 1024;

function room(at: number, more: number): Uint8Array {
  if (at + more > scratch.length) {
    const bigger = new Uint8Array(Math.max(2 * scratch.length, at + more));
    bigger.set(scratch.subarray(0, at));
    scratch = bigger;
  }
  return scratch;
}

/**
 * referenceHashText(s) as UTF-8, written into `scratch` from `at`: ASCII runs copied
 * (lower-cased), any other character through FOLDS. Returns the end offset, or -1 when s
 * has a character whose fold depends on its context (capital sigma, a lone surrogate…).
 */
function writeHashText(s: string, at: number): number {
  const n = s.length;
  let out = room(at, n + 1);
  let end = at;
  let gap = false;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      const kind = ASCII_KIND[c];
      i++;
      if (kind === 0) {
        gap = true;
        continue;
      }
      if (gap && end > at) out[end++] = 0x20;
      gap = false;
      out[end++] = kind === 2 ? c + 32 : c;
      continue;
    }
    let codePoint = c;
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (low < 0xdc00 || low > 0xdfff) return -1; // a lone surrogate
      codePoint = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
      i += 2;
    } else {
      i++;
    }
    const folded = fold(codePoint);
    if (folded === null) return -1;
    if (folded.lead) gap = true;
    const body = folded.body;
    if (body.length > 0) {
      // Every character left may still take a byte and a space.
      out = room(end, body.length + 1 + (n - i) + 1);
      if (gap && end > at) out[end++] = 0x20;
      gap = false;
      out.set(body, end);
      end += body.length;
    }
    if (folded.trail) gap = true;
  }
  return end;
}

/** SHA-1 in one call where Node has crypto.hash (20.12+), else through a Hash object. */
const oneShot: typeof crypto.hash | undefined = crypto.hash;
function sha1(bytes: Uint8Array): string {
  return oneShot
    ? oneShot('sha1', bytes, 'base64url')
    : crypto.createHash('sha1').update(bytes).digest('base64url');
}

/**
 * The `h:` key of a title and text, or null when there is nothing to hash: SHA-1 of
 * `referenceHashText(title) + "\n" + referenceHashText(text)`, computed without the
 * normalised strings (most of the cost of dedupe keys was normalising every item's text).
 */
export function contentHash(title: string, text: string): string | null {
  const titleEnd = writeHashText(title, 0);
  if (titleEnd < 0) return referenceContentHash(title, text);
  room(titleEnd, 1)[titleEnd] = 0x0a;
  const end = writeHashText(text, titleEnd + 1);
  if (end < 0) return referenceContentHash(title, text);
  const digest = titleEnd === 0 && end === 1 ? null : sha1(scratch.subarray(0, end));
  if (scratch.length > SCRATCH_KEEP) scratch = new Uint8Array(16 * 1024);
  return digest;
}

/**
 * The dedupe keys of one item, strongest first: `g:` guid, `l:` normalised link, `h:` hash
 * of title + text. The hash is left out for an item with a guid or link but no text: a
 * recurring headline ("Live updates", "Daily briefing") must not hide the next one.
 */
export function itemKeys(item: DedupeItem): string[] {
  return withContentKey(item, idKeys(item));
}

/** An item's `g:` and `l:` keys: what names it, without reading its content. */
export function idKeys(item: Pick<FeedItem, 'guid' | 'link'>): string[] {
  const keys: string[] = [];
  const guid = item.guid?.trim();
  if (guid) keys.push(`g:${guid}`);
  const link = normalizeLink(item.link);
  if (link) keys.push(`l:${link}`);
  return keys;
}

/** The id keys and, unless the item has ids and no text, the `h:` hash of its content. */
function withContentKey(item: DedupeItem, ids: string[]): string[] {
  const keys = [...ids];
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
export function keyItems<T extends DedupeItem>(
  items: readonly T[],
  isKnownId?: (key: string) => boolean,
): KeyedItem<T>[] {
  const keyed = isKnownId
    ? knownByIds(items, isKnownId)
    : items.map((item) => ({ item, keys: itemKeys(item) }));
  // The first holder of each key; the holders of the keys several items have.
  const first = new Map<string, number>();
  let shared: Map<string, number[]> | null = null;
  keyed.forEach(({ keys }, index) => {
    for (const key of keys) {
      const holder = first.get(key);
      if (holder === undefined) {
        first.set(key, index);
        continue;
      }
      shared ??= new Map();
      const list = shared.get(key);
      if (list) list.push(index);
      else shared.set(key, [holder, index]);
    }
  });
  if (shared === null) return keyed;
  const ambiguous = new Set<string>();
  for (const [key, list] of shared as Map<string, number[]>) {
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
 * keyItems' keys, hashing only what must be: an item whose guid or link the store already
 * knows (`isKnownId`) was seen, so its content is not hashed again poll after poll. The
 * ids that several items of this poll share (every link the home page, one guid for all)
 * name none of them: those items are hashed, as every item without ids is.
 */
function knownByIds<T extends DedupeItem>(
  items: readonly T[],
  isKnownId: (key: string) => boolean,
): KeyedItem<T>[] {
  const ids = items.map((item) => idKeys(item));
  const holders = new Map<string, number>();
  for (const keys of ids) for (const key of keys) holders.set(key, (holders.get(key) ?? 0) + 1);
  return items.map((item, index) => {
    const own = ids[index] as string[];
    const known = own.some(isKnownId) && own.every((key) => holders.get(key) === 1);
    return { item, keys: known ? own : withContentKey(item, own) };
  });
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
  return newKeyedItems(keyItems(items), isSeen);
}

/** newItems of items keyed already (keyItems), so that a poll keys each item once. */
export function newKeyedItems<T extends Pick<FeedItem, 'publishedAt'>>(
  keyed: readonly KeyedItem<T>[],
  isSeen: (key: string) => boolean,
): KeyedItem<T>[] {
  return distinctNewestFirst(keyed)
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
