/** What the engine reads: one article, already reduced to plain text. */
export interface Article {
  title: string;
  /** Body as plain text; paragraphs separated by blank lines. */
  text: string;
  url?: string | null;
  source?: string | null;
  /** ISO 8601 timestamp. */
  publishedAt?: string | null;
  /** ISO 639-1 hint from the feed or the caller; detection still runs when absent. */
  language?: string | null;
  /**
   * The lead image: an absolute http(s) URL from the feed item (enclosure, media:content,
   * media:thumbnail) or the page (og:image); absent when there is none.
   */
  image?: string | null;
}

export type ActorKind = 'person' | 'organization' | 'country' | 'place';

export const ACTOR_KINDS: readonly ActorKind[] = ['person', 'organization', 'country', 'place'];

export interface Actor {
  /** Stable across articles and languages: "seoul", "north-korea", "andrei-belousov". */
  id: string;
  name: string;
  kind: ActorKind;
  /** The role the article gives a person, in the article's own words; null when none. */
  role: string | null;
  mentions: number;
  /** 0..1; actors are listed by falling salience. */
  salience: number;
  /** Other surface forms seen in the article. */
  aliases: string[];
}

/** The public Brief contract (see design.md): field names are read by integrations. */
export interface Brief {
  title: string;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  /** ISO 639-1 code, or "und" when unknown. */
  language: string;
  /** 0–3 units (a sentence, or a quotation spanning sentences), verbatim, in article order. */
  summary: string[];
  actors: Actor[];
  tags: string[];
  /**
   * The article's lead image, an absolute http(s) URL (optional: absent when the item and
   * its page have none). Posts show it when the subscription's `media` is on.
   */
  image?: string;
}

/** One mention of an actor in a text, as `briefwire tag` prints it. */
export interface Mention {
  /** JavaScript string offsets into the tagged text. */
  start: number;
  end: number;
  text: string;
  kind: ActorKind;
  id: string;
}
