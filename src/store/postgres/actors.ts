import type { Actor, ActorKind } from '../../core/types.js';
import type { ActorMatch, ActorProfile, ActorRole, ActorStore } from '../port.js';
import {
  actorTerms,
  type Candidate,
  CO_ACTOR_WINDOW,
  exactMatch,
  FUZZY_ROWS,
  HYDRATED,
  isShownHit,
  maxDistance,
  nearTerms,
  PREFIX_ROWS,
  ROLE_WINDOW,
  reverse,
  searchKey,
  searchNames,
  TOP,
} from '../search.js';
import { BRIEF_COLUMNS, toBrief } from './briefs.js';
import type { Context } from './context.js';
import { prepared, type Queryable } from './db.js';

/**
 * Locks the rows of these actors (creating the new ones) in id order, as a transaction's
 * first write to them: transactions that store briefs naming the same people then wait for
 * each other in one order instead of deadlocking (each locking one actor the other needs
 * next, through the upserts below and the brief_count trigger). Changes no existing row.
 */
export async function lockActors(tx: Queryable, actors: readonly Actor[], at: Date): Promise<void> {
  const byId = new Map(actors.map((actor) => [actor.id, actor]));
  if (byId.size === 0) return;
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await tx.run(
    `INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at)
     SELECT id, kind, name, $4, $4
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS a (id, kind, name, n)
     ORDER BY n
     ON CONFLICT (id) DO UPDATE SET last_seen_at = actors.last_seen_at`,
    [sorted.map((a) => a.id), sorted.map((a) => a.kind), sorted.map((a) => a.name), at],
  );
}

/**
 * Records a brief's actors, three statements whatever their number; ingest and complete
 * call it inside their transaction, after lockActors for every actor it will write. Like the SQLite store: the latest article's name and
 * kind win, a term once whole stays whole, a brief's first mention of an actor counts.
 */
export async function writeActors(
  tx: Queryable,
  briefId: number,
  actors: readonly Actor[],
  at: Date,
): Promise<void> {
  if (actors.length === 0) return;
  // One row per actor and per term: an upsert may not meet the same row twice.
  const latest = new Map(actors.map((actor) => [actor.id, actor]));
  const terms = new Map<string, { term: string; actorId: string; whole: boolean }>();
  for (const actor of actors) {
    for (const { term, whole } of actorTerms(searchNames(actor))) {
      const key = `${actor.id}\u0000${term}`;
      const known = terms.get(key);
      terms.set(key, { term, actorId: actor.id, whole: whole || (known?.whole ?? false) });
    }
  }
  const people = [...latest.values()];
  await tx.run(
    `INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at)
     SELECT id, kind, name, $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS a (id, kind, name)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
       last_seen_at = greatest(actors.last_seen_at, excluded.last_seen_at)`,
    [people.map((a) => a.id), people.map((a) => a.kind), people.map((a) => a.name), at],
  );
  const rows = [...terms.values()];
  await tx.run(
    `INSERT INTO actor_terms (term, actor_id, whole, reversed)
     SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[])
     ON CONFLICT (term, actor_id) DO UPDATE SET whole = true
     WHERE excluded.whole AND NOT actor_terms.whole`,
    [
      rows.map((r) => r.term),
      rows.map((r) => r.actorId),
      rows.map((r) => r.whole),
      rows.map((r) => reverse(r.term)),
    ],
  );
  await tx.run(
    `INSERT INTO brief_actors (actor_id, brief_id, role, mentions, salience)
     SELECT actor_id, $2, role, mentions, salience
     FROM unnest($1::text[], $3::text[], $4::integer[], $5::double precision[])
       WITH ORDINALITY AS m (actor_id, role, mentions, salience, n)
     ORDER BY n
     ON CONFLICT (actor_id, brief_id) DO NOTHING`,
    [
      actors.map((a) => a.id),
      briefId,
      actors.map((a) => a.role),
      actors.map((a) => a.mentions),
      actors.map((a) => a.salience),
    ],
  );
}

interface ActorRow {
  id: string;
  name: string;
  kind: ActorKind;
  first_seen_at: Date;
  last_seen_at: Date;
  brief_count: number;
}

function byRank(a: Candidate, b: Candidate): number {
  return a.rank - b.rank || a.distance - b.distance;
}

function bestPerActor(candidates: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const known = best.get(candidate.actorId);
    if (known === undefined || byRank(candidate, known) < 0) best.set(candidate.actorId, candidate);
  }
  return [...best.values()].sort(byRank);
}

/** Distinct roles, the same words in other case or accents counted as one. */
function mergeRoles(
  rows: readonly { role: string; first: Date; last: Date; n: number }[],
): ActorRole[] {
  const merged = new Map<string, ActorRole>();
  for (const row of rows) {
    const key = searchKey(row.role);
    const known = merged.get(key);
    const [first, last] = [row.first.getTime(), row.last.getTime()];
    merged.set(key, {
      role: known !== undefined && known.lastSeenAt.getTime() > last ? known.role : row.role,
      firstSeenAt: new Date(Math.min(first, known?.firstSeenAt.getTime() ?? first)),
      lastSeenAt: new Date(Math.max(last, known?.lastSeenAt.getTime() ?? last)),
      briefCount: row.n + (known?.briefCount ?? 0),
    });
  }
  return [...merged.values()].sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

const toMatch = (row: ActorRow & { term: string }): ActorMatch => exactMatch(row, row.last_seen_at);

/** A row of exactWithProfile's union: its part (match, role, brief, co-actor) and place. */
interface UnionRow {
  part: 'm' | 'r' | 'b' | 'c';
  n: number | null;
  term: string | null;
  whole: boolean | null;
  id: string | null;
  name: string | null;
  kind: string | null;
  t1: Date | null;
  t2: Date | null;
  count: number | null;
  brief_id: number | null;
  feed_id: number | null;
  json: string | null;
}

const ACTOR_COLUMNS = 'id, name, kind, first_seen_at, last_seen_at, brief_count';

/**
 * A profile's parts as one union, after the CTEs `shown` (the hits, numbered n from 1) and
 * `chosen` (the id whose profile it reads): the hits ('m'), the roles of the latest briefs
 * ('r'), the latest briefs ('b') and the co-actors ('c'), each row tagged by its part and
 * its place. $3 briefs, $4 the role window, $5 the co-actor window, $6 co-actors.
 */
// The roles' window: the mentions from the window's oldest brief on (one read of the
// key's index finds it), each read by the key's range, then the brief's date of each one
// with a role. The actor is a subquery's value, unknown when the statement is planned: a
// plan that reads every mention (guessing an average actor's few hundred) would cost
// 0.4-0.6 s for an actor in 333,000 briefs, and one look-up per brief of the window reads
// seven times the buffers (2,300 against 330 for that actor).
const profileUnion = (head: string) => `WITH ${head}, roles AS MATERIALIZED (
         SELECT r.role, min(coalesce(b.published_at, b.created_at)) AS first,
           max(coalesce(b.published_at, b.created_at)) AS last, count(*)::integer AS n
         FROM brief_actors r JOIN briefs b ON b.id = r.brief_id
         WHERE r.actor_id = (SELECT id FROM chosen) AND r.role IS NOT NULL
           AND r.brief_id >= coalesce((
             SELECT brief_id FROM brief_actors WHERE actor_id = (SELECT id FROM chosen)
             ORDER BY brief_id DESC OFFSET greatest($4 - 1, 0) LIMIT 1
           ), 0)
         GROUP BY r.role
       ), latest AS MATERIALIZED (
         SELECT ${BRIEF_COLUMNS} FROM brief_actors ba JOIN briefs b ON b.id = ba.brief_id
         WHERE ba.actor_id = (SELECT id FROM chosen) ORDER BY ba.brief_id DESC LIMIT $3
       ), recent AS MATERIALIZED (
         SELECT brief_id FROM brief_actors WHERE actor_id = (SELECT id FROM chosen)
         ORDER BY brief_id DESC LIMIT $5
       ), counts AS MATERIALIZED (
         SELECT other.actor_id, count(*)::integer AS together, sum(other.salience) AS weight
         FROM recent JOIN brief_actors other
           ON other.brief_id = recent.brief_id AND other.actor_id <> (SELECT id FROM chosen)
         GROUP BY other.actor_id
       ), last AS MATERIALIZED (
         SELECT together, weight FROM counts ORDER BY together DESC, weight DESC
         OFFSET greatest($6 - 1, 0) LIMIT 1
       ), placed AS MATERIALIZED (
         SELECT * FROM counts WHERE NOT EXISTS (SELECT FROM last)
           OR (together, weight) >= (SELECT together, weight FROM last)
       ), company AS MATERIALIZED (
         -- OFFSET 0 keeps the lookup per placed actor: joined, the planner may read every actor.
         SELECT a.id, a.name, a.kind, c.together,
           row_number() OVER (ORDER BY c.together DESC, c.weight DESC, a.name COLLATE "C") AS n
         FROM placed c, LATERAL (SELECT id, name, kind FROM actors WHERE id = c.actor_id OFFSET 0) a
         ORDER BY c.together DESC, c.weight DESC, a.name COLLATE "C"
         LIMIT $6
       )
       SELECT 'm'::text AS part, n::bigint AS n, term::text AS term, whole::boolean AS whole,
         id::text AS id, name::text AS name, kind::text AS kind,
         first_seen_at::timestamptz AS t1, last_seen_at::timestamptz AS t2,
         brief_count::integer AS count, NULL::bigint AS brief_id, NULL::bigint AS feed_id,
         NULL::text AS json
       FROM shown
       UNION ALL
       SELECT 'r', NULL, NULL, NULL, NULL, role, NULL, first, last, n, NULL, NULL, NULL
       FROM roles
       UNION ALL
       SELECT 'b', row_number() OVER (ORDER BY id DESC), NULL, NULL, NULL, NULL, NULL,
         created_at, NULL, NULL, id, feed_id, json FROM latest
       UNION ALL
       SELECT 'c', n, NULL, NULL, id, name, kind, NULL, NULL, together, NULL, NULL, NULL
       FROM company
       ORDER BY part, n`;

const EXACT_WITH_PROFILE = prepared(
  'briefwire_actor_exact_profile',
  profileUnion(`hits AS MATERIALIZED (
         SELECT t.term, t.whole, a.id, a.name, a.kind, a.first_seen_at, a.last_seen_at, a.brief_count,
           row_number() OVER (ORDER BY t.whole DESC, a.brief_count DESC, a.last_seen_at DESC) AS n
         FROM actor_terms t JOIN actors a ON a.id = t.actor_id WHERE t.term = $1
       ), shown AS MATERIALIZED (
         SELECT * FROM hits WHERE n <= $2
       ), chosen AS MATERIALIZED (
         SELECT id FROM shown WHERE n = 1 AND ((SELECT count(*) FROM shown) = 1
           OR (whole AND (SELECT count(*) FROM shown WHERE whole) = 1))
       )`),
);

const PROFILE = prepared(
  'briefwire_actor_profile',
  profileUnion(`shown AS MATERIALIZED (
    SELECT NULL::text AS term, true AS whole, id, name, kind, first_seen_at, last_seen_at,
      brief_count, 1::bigint AS n
    FROM actors WHERE id = $1 LIMIT $2
  ), chosen AS MATERIALIZED (SELECT id FROM shown)`),
);

/** The profile statements, for a test of their plans. */
export const PROFILE_STATEMENTS = { exactWithProfile: EXACT_WITH_PROFILE, profile: PROFILE };

/** The hits of a profile union, as the actors' rows. */
function hitsOf(rows: readonly UnionRow[]): (ActorRow & { term: string; whole: boolean })[] {
  return rows
    .filter((row) => row.part === 'm')
    .map((row) => ({
      term: row.term ?? '',
      whole: row.whole === true,
      id: row.id ?? '',
      name: row.name ?? '',
      kind: row.kind as ActorKind,
      first_seen_at: row.t1 as Date,
      last_seen_at: row.t2 as Date,
      brief_count: row.count ?? 0,
    }));
}

/** The profile of `top` from the other parts of its union. */
function profileOf(top: ActorRow, rows: readonly UnionRow[]): ActorProfile {
  const of = (part: UnionRow['part']) => rows.filter((row) => row.part === part);
  return {
    id: top.id,
    name: top.name,
    kind: top.kind,
    firstSeenAt: top.first_seen_at,
    lastSeenAt: top.last_seen_at,
    briefCount: top.brief_count,
    roles: mergeRoles(
      of('r').map((row) => ({
        role: row.name ?? '',
        first: row.t1 as Date,
        last: row.t2 as Date,
        n: row.count ?? 0,
      })),
    ),
    latestBriefs: of('b').map((row) =>
      toBrief({
        id: row.brief_id ?? 0,
        feed_id: row.feed_id,
        created_at: row.t1 as Date,
        json: row.json ?? '',
      }),
    ),
    coActors: of('c').map((row) => ({
      id: row.id ?? '',
      name: row.name ?? '',
      kind: row.kind as ActorKind,
      together: row.count ?? 0,
    })),
  };
}

/** search's first statement: the exact hits, the prefix hits and the fuzzy candidates' terms. */
const CANDIDATES = prepared(
  'briefwire_actor_candidates',
  `SELECT 'e' AS part, term, actor_id, whole, NULL::json AS terms
   FROM actor_terms WHERE term = $1
   UNION ALL
   (SELECT 'p', term, actor_id, whole, NULL FROM actor_terms
    WHERE term > $1 AND term < $1 || $2 LIMIT $3)
   UNION ALL
   SELECT 'f', NULL, NULL, NULL, json_agg(term) FROM (
     (SELECT term FROM actor_terms
      WHERE term >= $4 AND term < $4 || $2 AND char_length(term) BETWEEN $6 AND $7 LIMIT $8)
     UNION ALL
     (SELECT term FROM actor_terms
      WHERE reversed >= $5 AND reversed < $5 || $2 AND char_length(term) BETWEEN $6 AND $7
      LIMIT $8)
   ) near`,
);

/**
 * search's second statement: the actors of the near terms, and the rows of every candidate.
 * The lists are read as subqueries' values: planned for the lists themselves (their
 * lengths), the statement would be planned anew at every run, as costly as running it.
 */
const CANDIDATE_ROWS = prepared(
  'briefwire_actor_candidate_rows',
  `SELECT t.term, a.id, a.name, a.kind, a.first_seen_at, a.last_seen_at, a.brief_count
   FROM actor_terms t JOIN actors a ON a.id = t.actor_id
   WHERE t.term = ANY((SELECT $1::text[])::text[])
   UNION ALL
   SELECT NULL, ${ACTOR_COLUMNS} FROM actors WHERE id = ANY((SELECT $2::text[])::text[])`,
);

/** search's statements, for a test of their plans. */
export const SEARCH_STATEMENTS = { candidates: CANDIDATES, candidateRows: CANDIDATE_ROWS };

export function createActorStore({ db }: Context): ActorStore {
  // One statement: the exact hits, the prefix hits, and the fuzzy candidates' terms (those
  // sharing the query's first two letters, or its last two, of a near length) as one JSON
  // array: thousands of one-field rows cost node-pg far more than one parse of their text.
  // Only the term is read (most are no match); the actors of the near ones come with the
  // rows search reads next.
  async function candidatesOf(
    key: string,
  ): Promise<{ exact: Candidate[]; near: Map<string, number> }> {
    const limit = maxDistance(key);
    const start = key.slice(0, 2);
    const end = reverse(key).slice(0, 2);
    const rows = await db.rows<{
      part: 'e' | 'p' | 'f';
      term: string | null;
      actor_id: string | null;
      whole: boolean | null;
      terms: string[] | null;
    }>(CANDIDATES, [
      key,
      TOP,
      PREFIX_ROWS,
      start,
      end,
      key.length - limit,
      key.length + limit,
      limit === 0 ? 0 : FUZZY_ROWS,
    ]);
    const exact = rows.flatMap((row): Candidate[] =>
      row.part === 'f' || row.term === null || row.actor_id === null
        ? []
        : [
            row.part === 'e'
              ? {
                  actorId: row.actor_id,
                  term: row.term,
                  match: 'exact',
                  rank: row.whole ? 0 : 1,
                  distance: 0,
                }
              : { actorId: row.actor_id, term: row.term, match: 'prefix', rank: 2, distance: 0 },
          ],
    );
    const terms = rows.find((row) => row.part === 'f')?.terms ?? [];
    return { exact, near: limit === 0 ? new Map() : nearTerms(key, terms, limit) };
  }

  // Two round trips: the exact, prefix and fuzzy terms at once; then, in one statement, the
  // actors of the near terms and the rows of every candidate.
  async function search(query: string, limit: number): Promise<ActorMatch[]> {
    const key = searchKey(query);
    if (key === '') return [];
    const { exact, near } = await candidatesOf(key);
    const known = bestPerActor(exact).slice(0, HYDRATED);
    if (known.length === 0 && near.size === 0) return [];
    const rows = await db.rows<ActorRow & { term: string | null }>(CANDIDATE_ROWS, [
      [...near.keys()],
      known.map((c) => c.actorId),
    ]);
    const fuzzy = rows.flatMap((row) =>
      row.term === null
        ? []
        : [
            {
              actorId: row.id,
              term: row.term,
              match: 'fuzzy' as const,
              rank: 3,
              distance: near.get(row.term) ?? maxDistance(key),
            },
          ],
    );
    const candidates = bestPerActor([...exact, ...fuzzy]).slice(0, HYDRATED);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return candidates
      .flatMap((candidate) => {
        const row = byId.get(candidate.actorId);
        if (row === undefined) return [];
        const match: ActorMatch = {
          id: row.id,
          name: row.name,
          kind: row.kind,
          match: candidate.match,
          distance: candidate.distance,
          matched: candidate.term,
          briefCount: row.brief_count,
          lastSeenAt: row.last_seen_at,
        };
        return [{ candidate, match }];
      })
      .sort(
        (a, b) =>
          byRank(a.candidate, b.candidate) ||
          b.match.briefCount - a.match.briefCount ||
          b.match.lastSeenAt.getTime() - a.match.lastSeenAt.getTime(),
      )
      .slice(0, limit)
      .map((hit) => hit.match);
  }

  // One statement, as exactWithProfile reads a profile: a statement is a write and a read
  // of the socket for the client, which cost more than the server's four parts in a row.
  async function profile(
    id: string,
    briefs: number,
    coLimit: number,
  ): Promise<ActorProfile | null> {
    const rows = await db.rows<UnionRow>(PROFILE, [
      id,
      1,
      briefs,
      ROLE_WINDOW,
      CO_ACTOR_WINDOW,
      Math.max(coLimit, 0),
    ]);
    const [top] = hitsOf(rows);
    return top === undefined ? null : profileOf(top, rows);
  }

  /** The exact hits and their actors in one statement, ranked as search ranks them. */
  async function exact(query: string, limit: number): Promise<ActorMatch[]> {
    const key = searchKey(query);
    if (key === '' || limit < 1) return [];
    const rows = await db.rows<ActorRow & { term: string; whole: boolean }>(
      prepared(
        'briefwire_actor_exact',
        `SELECT t.term, t.whole, a.id, a.name, a.kind, a.first_seen_at, a.last_seen_at, a.brief_count
       FROM actor_terms t JOIN actors a ON a.id = t.actor_id WHERE t.term = $1
       ORDER BY t.whole DESC, a.brief_count DESC, a.last_seen_at DESC LIMIT $2`,
      ),
      [key, limit],
    );
    return rows.map(toMatch);
  }

  // One statement, so one round trip: the exact hits (ranked as `exact` ranks them), and
  // for the one /actor shows (the only hit, or the only whole one) the profile's parts as
  // profile() reads them, each a row of the union tagged by its part and its place.
  async function exactWithProfile(
    query: string,
    limit: number,
    briefs: number,
    coLimit: number,
  ): Promise<{ matches: ActorMatch[]; profile: ActorProfile | null }> {
    const key = searchKey(query);
    if (key === '' || limit < 1) return { matches: [], profile: null };
    const rows = await db.rows<UnionRow>(EXACT_WITH_PROFILE, [
      key,
      limit,
      briefs,
      ROLE_WINDOW,
      CO_ACTOR_WINDOW,
      Math.max(coLimit, 0),
    ]);
    const hits = hitsOf(rows);
    const matches = hits.map(toMatch);
    const [top] = hits;
    if (top === undefined || !isShownHit(hits)) return { matches, profile: null };
    return { matches, profile: profileOf(top, rows) };
  }

  return {
    search: (query, limit = 5) => search(query, limit),
    exact: (query, limit = 5) => exact(query, limit),
    exactWithProfile: (query, limit, options = {}) =>
      exactWithProfile(query, limit, options.briefs ?? 5, options.coActors ?? 5),
    profile: (id, options = {}) => profile(id, options.briefs ?? 5, options.coActors ?? 5),
  };
}
