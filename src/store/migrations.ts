import type { Database } from 'better-sqlite3';

/** One schema step. Applied in order; a file records the last one applied in `user_version`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// A destination is stored as given; the check only keeps out what can never be a chat.
const DESTINATION_CHECK =
  'length(destination) BETWEEN 1 AND 200 AND destination = trim(destination)';

const V1_SCHEMA = `
CREATE TABLE feeds (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
  language_hint TEXT,
  origin TEXT NOT NULL CHECK (origin IN ('config', 'chat')),
  options TEXT NOT NULL DEFAULT '{}',
  etag TEXT,
  last_modified TEXT,
  last_polled_at INTEGER,
  next_poll_at INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  paused_reason TEXT,
  created_at INTEGER NOT NULL
);
-- due(now): only feeds that can be due are indexed.
CREATE INDEX feeds_due ON feeds (next_poll_at) WHERE paused = 0;

CREATE TABLE items_seen (
  feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
CREATE INDEX items_seen_at ON items_seen (seen_at);

-- AUTOINCREMENT: ids are never reused after a prune, so id order stays ingest order.
CREATE TABLE briefs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  feed_id INTEGER REFERENCES feeds (id) ON DELETE SET NULL,
  url TEXT,
  title TEXT NOT NULL,
  published_at INTEGER,
  language TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  json TEXT NOT NULL
);
-- latest / since per subscribed feed; also serves the feed_id foreign key.
CREATE INDEX briefs_feed_created ON briefs (feed_id, created_at, id);
CREATE INDEX briefs_created ON briefs (created_at);

CREATE TABLE actors (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'country', 'place')),
  name TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Folded names, aliases and their words, for /actor: exact and prefix lookups walk the
-- primary key; 'reversed' lets a typo near the start still find candidates by their end.
CREATE TABLE actor_terms (
  term TEXT NOT NULL,
  actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  whole INTEGER NOT NULL CHECK (whole IN (0, 1)),
  reversed TEXT NOT NULL,
  PRIMARY KEY (term, actor_id)
) WITHOUT ROWID;
CREATE INDEX actor_terms_actor ON actor_terms (actor_id);
CREATE INDEX actor_terms_reversed ON actor_terms (reversed);

CREATE TABLE brief_actors (
  actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  brief_id INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
  role TEXT,
  mentions INTEGER NOT NULL,
  salience REAL NOT NULL,
  PRIMARY KEY (actor_id, brief_id)
) WITHOUT ROWID;
CREATE INDEX brief_actors_brief ON brief_actors (brief_id, actor_id);

CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  destination TEXT NOT NULL CHECK (${DESTINATION_CHECK}),
  filters TEXT NOT NULL DEFAULT 'null',
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  paused_reason TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (feed_id, destination)
);
CREATE INDEX subscriptions_destination ON subscriptions (destination, feed_id);

CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  destination TEXT NOT NULL CHECK (${DESTINATION_CHECK}),
  brief_id INTEGER REFERENCES briefs (id) ON DELETE CASCADE,
  payload TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  CHECK ((brief_id IS NULL) <> (payload IS NULL))
);
-- A brief reaches a destination once, whatever the callers do.
CREATE UNIQUE INDEX deliveries_brief_destination ON deliveries (brief_id, destination);
-- The sender's queue: pending only, per destination in creation order.
CREATE INDEX deliveries_pending ON deliveries (destination, id) WHERE status = 'pending';
CREATE INDEX deliveries_created ON deliveries (created_at);

CREATE TABLE digests (
  destination TEXT PRIMARY KEY CHECK (${DESTINATION_CHECK}),
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  last_sent_at INTEGER,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

const V2_DESTINATION_OPTIONS = `
-- Options a chat sets for itself (/lang): one JSON object per destination.
CREATE TABLE destination_options (
  destination TEXT PRIMARY KEY CHECK (${DESTINATION_CHECK}),
  options TEXT NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

const V3_BRIEF_RETRIES_AND_FLOODS = `
-- Items the engine failed on: posted as headline and link, briefed again by later polls
-- while their feed lists them. One row per dedupe key of the item, all naming its brief.
CREATE TABLE brief_retries (
  feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  brief_id INTEGER NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
  error TEXT NOT NULL,
  failed_at INTEGER NOT NULL,
  PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
CREATE INDEX brief_retries_brief ON brief_retries (brief_id);

-- Since when the poller has been holding back a flood of new items from the feed: its
-- admins were told once, at the start; NULL once a poll holds nothing back.
ALTER TABLE feeds ADD COLUMN held_back_since INTEGER;
`;

const V4_CHAT_OVERRIDES = `
-- A chat's own change to a subscription the config file made (/unsubscribe, /filter): the
-- config's entry for it, by fingerprint, when the chat changed it. While the entry stays the
-- same, starting again does not undo the chat's change; a changed entry applies again.
CREATE TABLE chat_overrides (
  feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  destination TEXT NOT NULL CHECK (${DESTINATION_CHECK}),
  config_entry TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (feed_id, destination)
) WITHOUT ROWID;
`;

const V5_QUIET_FEEDS = `
-- When a poll last found a new item in the feed (filtered and held-back items count: the
-- feed is alive), and since when its chats were told it has gone quiet (NULL when not).
ALTER TABLE feeds ADD COLUMN last_new_item_at INTEGER;
ALTER TABLE feeds ADD COLUMN quiet_since INTEGER;
`;

const V6_FLAT_QUERY_COSTS = `
-- How many briefs name the actor, kept by the database itself on every path that adds or
-- removes a mention (ingest, a completed retry, prune's cascade): /actor and its search
-- read one row instead of counting every brief of a frequent actor.
ALTER TABLE actors ADD COLUMN brief_count INTEGER NOT NULL DEFAULT 0;
UPDATE actors SET brief_count = (SELECT count(*) FROM brief_actors WHERE actor_id = actors.id);
CREATE TRIGGER brief_actors_counted AFTER INSERT ON brief_actors BEGIN
  UPDATE actors SET brief_count = brief_count + 1 WHERE id = NEW.actor_id;
END;
CREATE TRIGGER brief_actors_uncounted AFTER DELETE ON brief_actors BEGIN
  UPDATE actors SET brief_count = brief_count - 1 WHERE id = OLD.actor_id;
END;
`;

const V7_INSTANCES = `
-- Several instances on one store: a due feed is claimed by the instance that polls it,
-- until the claim expires (an instance that died lets go of it that way).
ALTER TABLE feeds ADD COLUMN claimed_by TEXT;
ALTER TABLE feeds ADD COLUMN claimed_until INTEGER;
`;

const V8_DIGEST_BRIEFS = `
-- What a digest shows of a brief (store/digest-brief.ts), beside its JSON: a digest reads
-- hundreds of briefs, and their actors' roles and aliases are most of each JSON. Rows
-- without it (none after this step) are read from their JSON.
ALTER TABLE briefs ADD COLUMN digest TEXT;
UPDATE briefs SET digest = json_object(
  'title', json_extract(json, '$.title'),
  'url', json_extract(json, '$.url'),
  'source', json_extract(json, '$.source'),
  'publishedAt', json_extract(json, '$.publishedAt'),
  'actors', CASE WHEN json_type(json, '$.actors[0]') = 'object' THEN json_array(json_object(
    'id', json_extract(json, '$.actors[0].id'),
    'name', json_extract(json, '$.actors[0].name'),
    'kind', json_extract(json, '$.actors[0].kind'))) ELSE json_array() END);

-- /actor's company: a brief's other actors and their salience from the index alone, not
-- one look-up in the table per mention (a frequent actor's latest 500 briefs name 1,000).
DROP INDEX brief_actors_brief;
CREATE INDEX brief_actors_brief ON brief_actors (brief_id, actor_id, salience);
`;

const V9_NEWEST_BRIEFS = `
-- /brief and digests read the store's newest (or first since) briefs with their feed from
-- this index alone; prune's range by created_at is served as before.
DROP INDEX briefs_created;
CREATE INDEX briefs_created ON briefs (created_at, id, feed_id);
`;

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feeds, items, briefs, actors, subscriptions, outbox, digests',
    sql: V1_SCHEMA,
  },
  { version: 2, name: 'destination options (chat language)', sql: V2_DESTINATION_OPTIONS },
  {
    version: 3,
    name: 'brief retries (headline-and-link briefs), flood episodes',
    sql: V3_BRIEF_RETRIES_AND_FLOODS,
  },
  { version: 4, name: "chats' changes to config subscriptions", sql: V4_CHAT_OVERRIDES },
  { version: 5, name: 'quiet feeds: last new item, quiet episodes', sql: V5_QUIET_FEEDS },
  { version: 6, name: 'flat query costs: brief count on the actor row', sql: V6_FLAT_QUERY_COSTS },
  { version: 7, name: 'several instances: feed claims, shared rate limits', sql: V7_INSTANCES },
  { version: 8, name: 'flat query costs: what a digest shows of a brief', sql: V8_DIGEST_BRIEFS },
  { version: 9, name: 'flat query costs: the newest briefs by one index', sql: V9_NEWEST_BRIEFS },
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to the latest version, each step in its own transaction with its
 * version number, so a failing step leaves the file at the previous version.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new Error(
      `${db.name}: schema version ${current} is newer than this briefwire knows (${latest}); ` +
        'upgrade briefwire or use another data dir',
    );
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      // PRAGMA takes no bound parameters; the version is an integer from our own list.
      db.pragma(`user_version = ${Math.trunc(step.version)}`);
    })();
  }
  return schemaVersion(db);
}
