/**
 * The part of a brief a digest shows (port.ts DigestBrief), as both stores keep it beside
 * the brief's JSON: written with the brief, read instead of it by BriefStore.sinceFor.
 */
import type { Brief } from '../core/types.js';
import type { DigestBrief } from './port.js';

export function digestBrief(brief: Brief): DigestBrief {
  const top = brief.actors[0];
  return {
    title: brief.title,
    url: brief.url,
    source: brief.source,
    publishedAt: brief.publishedAt,
    actors: top ? [{ id: top.id, name: top.name, kind: top.kind }] : [],
  };
}

/** The stored text of a brief's digest part. */
export function digestJson(brief: Brief): string {
  return JSON.stringify(digestBrief(brief));
}

/** A stored digest part, or a whole brief's JSON (a superset: rows stored without one). */
export function parseDigestBrief(text: string): DigestBrief {
  return JSON.parse(text) as DigestBrief;
}

/** The columns that read it (`b` is briefs), as `json`: the digest part, else the JSON. */
export const DIGEST_COLUMNS = 'b.id, b.feed_id, b.created_at, coalesce(b.digest, b.json) AS json';
