/**
 * Digests: the top briefs a destination got since its last digest, grouped by their top
 * actor, queued as one outbox message.
 */
import type { ChatLanguage, Config } from '../../config/index.js';
import { feedText, feedUrl, formatLocalDay, UNTITLED } from '../../core/render/index.js';
import type { ActorKind } from '../../core/types.js';
import type { Destination, DigestBriefRecord, DigestRecord, Store } from '../../store/port.js';
import { localName } from '../../store/search.js';
import { destinationLanguage, textsFor } from '../texts.js';
import type { OutboxMessage } from './outbox.js';

export const DEFAULT_DIGEST_BRIEFS = 10;
/** The window of a destination's first digest. */
const FIRST_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Briefs read for one digest at most (oldest first, so the newest would be cut). */
const READ_LIMIT = 5000;

/** A digest's briefs and actor names are feed text, made safe to show when grouped (feedText). */
export interface DigestGroup {
  /** The top actor the briefs share; null for briefs naming none. */
  actor: { id: string; name: string; kind: ActorKind } | null;
  briefs: {
    id: number;
    title: string;
    url: string | null;
    source: string | null;
    publishedAt: string | null;
  }[];
}

export interface DigestMessage extends OutboxMessage {
  kind: 'digest';
  destination: Destination;
  /** The language its words (heading, "other stories") are in. */
  language: ChatLanguage;
  /** The date in the heading, as the destination's time zone writes it. */
  date: string;
  /** ISO times of the window covered. */
  since: string;
  until: string;
  groups: DigestGroup[];
}

/** A digest as read back from the outbox (older payloads lack `language` and `date`). */
export type DigestPayload = Pick<DigestMessage, 'kind' | 'text' | 'groups'> &
  Partial<Pick<DigestMessage, 'language' | 'date'>>;

/**
 * Whether a queued payload is a digest an adapter can render from its groups. Payloads
 * queued before `language` and `date` were added lack them; the heading is in `text`.
 */
export function isDigestMessage(payload: unknown): payload is DigestPayload {
  const p = payload as Partial<DigestMessage> | null;
  return p?.kind === 'digest' && typeof p.text === 'string' && Array.isArray(p.groups);
}

/**
 * Picks the top `max` briefs and groups them by their top actor: the actors most written
 * about first (more briefs, then the newest), the briefs of a group newest first; briefs
 * naming no actor come last.
 */
export function groupBriefs(
  records: readonly DigestBriefRecord[],
  max: number,
  language: ChatLanguage = 'en',
): DigestGroup[] {
  const groups = new Map<
    string,
    { group: DigestGroup; latest: number; all: DigestBriefRecord[] }
  >();
  for (const record of records) {
    const top = record.brief.actors[0];
    const key = top ? `a:${top.id}` : '';
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        group: {
          // Headed by the actor's name in the chat's language when the lexicon has it.
          actor: top
            ? {
                id: top.id,
                name: localName(top.id, feedText(top.name), language) || top.id,
                kind: top.kind,
              }
            : null,
          briefs: [],
        },
        latest: 0,
        all: [],
      };
      groups.set(key, entry);
    }
    entry.all.push(record);
    entry.latest = Math.max(entry.latest, record.createdAt.getTime());
  }
  const ordered = [...groups.values()].sort(
    (a, b) =>
      Number(a.group.actor === null) - Number(b.group.actor === null) ||
      b.all.length - a.all.length ||
      b.latest - a.latest,
  );
  let left = Math.max(0, max);
  const out: DigestGroup[] = [];
  for (const entry of ordered) {
    if (left === 0) break;
    const newest = [...entry.all]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
      .slice(0, left);
    left -= newest.length;
    entry.group.briefs = newest.map((r) => ({
      id: r.id,
      title: feedText(r.brief.title) || UNTITLED,
      url: feedUrl(r.brief.url),
      source: feedText(r.brief.source) || null,
      publishedAt: r.brief.publishedAt,
    }));
    out.push(entry.group);
  }
  return out;
}

function formatDate(at: Date, timeZone: string, language: ChatLanguage): string {
  return formatLocalDay(at, { language, timeZone });
}

/** The digest as plain text: the `text` of its DigestMessage, for senders without markup. */
export function digestPlainText(
  groups: readonly DigestGroup[],
  at: Date,
  timeZone: string,
  language: ChatLanguage,
): string {
  const texts = textsFor(language);
  const count = groups.reduce((n, g) => n + g.briefs.length, 0);
  const lines = [texts.digestHeading(formatDate(at, timeZone, language), count)];
  for (const group of groups) {
    lines.push('', group.actor ? group.actor.name : texts.otherStories);
    for (const brief of group.briefs) {
      const source = brief.source ? ` (${brief.source})` : '';
      lines.push(`  • ${brief.title}${source}${brief.url ? ` — ${brief.url}` : ''}`);
    }
  }
  return lines.join('\n');
}

export interface DigestDeps {
  store: Store;
  config: Partial<Pick<Config, 'digests' | 'destinations'>>;
  now: () => Date;
}

/**
 * Queues the digest of one destination: its briefs since the last digest (the last day for
 * a first one). Nothing new: nothing is queued and the next digest covers this window too.
 * Returns the delivery id, or null.
 */
export async function sendDigest(
  deps: DigestDeps,
  digest: Pick<DigestRecord, 'destination' | 'timezone' | 'lastSentAt'>,
): Promise<number | null> {
  const { store } = deps;
  const at = deps.now();
  const since = digest.lastSentAt
    ? new Date(digest.lastSentAt.getTime() + 1)
    : new Date(at.getTime() - FIRST_WINDOW_MS);
  const records = (await store.briefs.sinceFor(digest.destination, since, READ_LIMIT)).filter(
    (r) => r.createdAt.getTime() <= at.getTime(),
  );
  if (records.length === 0) return null;
  const configured = deps.config.digests?.find((d) => d.destination === digest.destination);
  const max = configured?.maxBriefs ?? DEFAULT_DIGEST_BRIEFS;
  const language = await destinationLanguage(store, deps.config, digest.destination);
  const groups = groupBriefs(records, max, language);
  const message: DigestMessage = {
    kind: 'digest',
    destination: digest.destination,
    language,
    date: formatDate(at, digest.timezone, language),
    text: digestPlainText(groups, at, digest.timezone, language),
    since: since.toISOString(),
    until: at.toISOString(),
    groups,
  };
  const id = await store.outbox.enqueue(digest.destination, message);
  await store.digests.markSent(digest.destination, at);
  return id;
}
