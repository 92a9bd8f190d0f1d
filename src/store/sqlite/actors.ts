import type { Actor, ActorKind } from '../../core/types.js';
import type { ActorMatch, ActorProfile, ActorRole, ActorStore, CoActor } from '../port.js';
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
import { BRIEF_COLUMNS, type BriefRow, toBrief } from './briefs.js';
import { type Context, toDate } from './context.js';

/** Records a brief's actors; ingest calls it inside its transaction. */
export type ActorWriter = (briefId: number, actors: readonly Actor[], at: number) => void;

export function createActorWriter({ db }: Context): ActorWriter {
  // The latest article's name and kind win: names are in the article's language.
  const upsertActor = db.prepare(`
    INSERT INTO actors (id, kind, name, first_seen_at, last_seen_at)
    VALUES (@id, @kind, @name, @at, @at)
    ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
      last_seen_at = max(last_seen_at, excluded.last_seen_at)`);
  const upsertTerm = db.prepare<[string, string, number, string]>(`
    INSERT INTO actor_terms (term, actor_id, whole, reversed) VALUES (?, ?, ?, ?)
    ON CONFLICT (term, actor_id) DO UPDATE SET whole = 1
    WHERE excluded.whole = 1 AND actor_terms.whole = 0`);
  const mention = db.prepare(`
    INSERT INTO brief_actors (actor_id, brief_id, role, mentions, salience)
    VALUES (@actorId, @briefId, @role, @mentions, @salience)
    ON CONFLICT (actor_id, brief_id) DO NOTHING`);

  return (briefId, actors, at) => {
    for (const actor of actors) {
      upsertActor.run({ id: actor.id, kind: actor.kind, name: actor.name, at });
      for (const { term, whole } of actorTerms(searchNames(actor))) {
        upsertTerm.run(term, actor.id, Number(whole), reverse(term));
      }
      mention.run({
        actorId: actor.id,
        briefId,
        role: actor.role,
        mentions: actor.mentions,
        salience: actor.salience,
      });
    }
  };
}

interface TermRow {
  term: string;
  actor_id: string;
  whole: number;
}

interface ActorRow {
  id: string;
  name: string;
  kind: ActorKind;
  first_seen_at: number;
  last_seen_at: number;
  brief_count: number;
}

function better(a: Candidate, b: Candidate): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.distance < b.distance);
}

function byRank(a: Candidate, b: Candidate): number {
  return a.rank - b.rank || a.distance - b.distance;
}

/** Keeps each actor's best match. */
function bestPerActor(candidates: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const known = best.get(candidate.actorId);
    if (known === undefined || better(candidate, known)) best.set(candidate.actorId, candidate);
  }
  return [...best.values()].sort(byRank);
}

export function createActorStore({ db }: Context): ActorStore {
  const exact = db.prepare<[string], TermRow>(
    'SELECT term, actor_id, whole FROM actor_terms WHERE term = ?',
  );
  const prefixed = db.prepare<[string, string, number], TermRow>(
    'SELECT term, actor_id, whole FROM actor_terms WHERE term > ? AND term < ? LIMIT ?',
  );
  // Fuzzy candidates: terms sharing the query's first two letters, or its last two. Only
  // the term is read (most are no match); the actors of the near ones afterwards.
  const byStart = db
    .prepare<[string, string, number, number, number], string>(`
      SELECT term FROM actor_terms
      WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ? LIMIT ?`)
    .pluck();
  const byEnd = db
    .prepare<[string, string, number, number, number], string>(`
      SELECT term FROM actor_terms
      WHERE reversed >= ? AND reversed < ? AND length(term) BETWEEN ? AND ? LIMIT ?`)
    .pluck();
  const actorsOfTerms = db.prepare<[string], { term: string; actor_id: string }>(
    'SELECT term, actor_id FROM actor_terms WHERE term IN (SELECT value FROM json_each(?))',
  );
  const actor = db.prepare<[string], ActorRow>(`
    SELECT id, name, kind, first_seen_at, last_seen_at, brief_count FROM actors WHERE id = ?`);
  // The actor's latest briefs by the (actor_id, brief_id) key, then their roles.
  const roles = db.prepare<
    [string, number],
    { role: string; first: number; last: number; n: number }
  >(`
    SELECT role, min(at) AS first, max(at) AS last, count(*) AS n FROM (
      SELECT ba.role AS role, coalesce(b.published_at, b.created_at) AS at
      FROM brief_actors ba JOIN briefs b ON b.id = ba.brief_id
      WHERE ba.actor_id = ? ORDER BY ba.brief_id DESC LIMIT ?
    ) WHERE role IS NOT NULL GROUP BY role`);
  const latest = db.prepare<[string, number], BriefRow>(`
    SELECT ${BRIEF_COLUMNS} FROM brief_actors ba JOIN briefs b ON b.id = ba.brief_id
    WHERE ba.actor_id = ? ORDER BY ba.brief_id DESC LIMIT ?`);
  // Counted by actor id on the (brief_id, actor_id, salience) index alone; names are read
  // only for the actors at or above the last place's count and weight (ties included,
  // which the name orders), not for every actor of the window.
  const coActors = db.prepare<
    { id: string; window: number; limit: number },
    { id: string; name: string; kind: ActorKind; together: number }
  >(`
    WITH recent AS (
      SELECT brief_id FROM brief_actors WHERE actor_id = @id ORDER BY brief_id DESC LIMIT @window
    ), counts AS MATERIALIZED (
      SELECT other.actor_id, count(*) AS together, sum(other.salience) AS weight
      FROM recent JOIN brief_actors other
        ON other.brief_id = recent.brief_id AND other.actor_id <> @id
      GROUP BY other.actor_id
    ), last AS MATERIALIZED (
      SELECT together, weight FROM counts ORDER BY together DESC, weight DESC
      LIMIT 1 OFFSET @limit - 1
    )
    SELECT a.id, a.name, a.kind, c.together
    FROM counts c JOIN actors a ON a.id = c.actor_id
    WHERE NOT EXISTS (SELECT 1 FROM last)
      OR (c.together, c.weight) >= (SELECT together, weight FROM last)
    ORDER BY c.together DESC, c.weight DESC, a.name
    LIMIT @limit`);
  const exactActors = db.prepare<[string, number], ActorRow & { term: string; whole: number }>(`
    SELECT t.term, t.whole, a.id, a.name, a.kind, a.first_seen_at, a.last_seen_at, a.brief_count
    FROM actor_terms t JOIN actors a ON a.id = t.actor_id WHERE t.term = ?
    ORDER BY t.whole DESC, a.brief_count DESC, a.last_seen_at DESC LIMIT ?`);

  function exactAndPrefix(key: string): Candidate[] {
    const hits = exact.all(key).map((row) => ({
      actorId: row.actor_id,
      term: row.term,
      match: 'exact' as const,
      rank: row.whole ? 0 : 1,
      distance: 0,
    }));
    const prefixes = prefixed.all(key, key + TOP, PREFIX_ROWS).map((row) => ({
      actorId: row.actor_id,
      term: row.term,
      match: 'prefix' as const,
      rank: 2,
      distance: 0,
    }));
    return [...hits, ...prefixes];
  }

  function fuzzy(key: string): Candidate[] {
    const limit = maxDistance(key);
    if (limit === 0) return [];
    const [min, max] = [key.length - limit, key.length + limit];
    const start = key.slice(0, 2);
    const end = reverse(key).slice(0, 2);
    const near = nearTerms(
      key,
      [
        ...byStart.all(start, start + TOP, min, max, FUZZY_ROWS),
        ...byEnd.all(end, end + TOP, min, max, FUZZY_ROWS),
      ],
      limit,
    );
    if (near.size === 0) return [];
    return actorsOfTerms.all(JSON.stringify([...near.keys()])).map((row) => ({
      actorId: row.actor_id,
      term: row.term,
      match: 'fuzzy' as const,
      rank: 3,
      distance: near.get(row.term) ?? limit,
    }));
  }

  function hydrate(candidate: Candidate): { candidate: Candidate; match: ActorMatch } | null {
    const row = actor.get(candidate.actorId);
    if (row === undefined) return null;
    const match: ActorMatch = {
      id: row.id,
      name: row.name,
      kind: row.kind,
      match: candidate.match,
      distance: candidate.distance,
      matched: candidate.term,
      briefCount: row.brief_count,
      lastSeenAt: toDate(row.last_seen_at),
    };
    return { candidate, match };
  }

  const search = db.transaction((query: string, limit: number): ActorMatch[] => {
    const key = searchKey(query);
    if (key === '') return [];
    return bestPerActor([...exactAndPrefix(key), ...fuzzy(key)])
      .slice(0, HYDRATED)
      .map(hydrate)
      .filter((hit) => hit !== null)
      .sort(
        (a, b) =>
          byRank(a.candidate, b.candidate) ||
          b.match.briefCount - a.match.briefCount ||
          b.match.lastSeenAt.getTime() - a.match.lastSeenAt.getTime(),
      )
      .slice(0, limit)
      .map((hit) => hit.match);
  });

  /** Distinct roles, the same words in other case or accents counted as one. */
  function rolesOf(id: string): ActorRole[] {
    const merged = new Map<string, ActorRole>();
    for (const row of roles.all(id, ROLE_WINDOW)) {
      const key = searchKey(row.role);
      const known = merged.get(key);
      const role: ActorRole = {
        role: known !== undefined && known.lastSeenAt.getTime() > row.last ? known.role : row.role,
        firstSeenAt: new Date(Math.min(row.first, known?.firstSeenAt.getTime() ?? row.first)),
        lastSeenAt: new Date(Math.max(row.last, known?.lastSeenAt.getTime() ?? row.last)),
        briefCount: row.n + (known?.briefCount ?? 0),
      };
      merged.set(key, role);
    }
    return [...merged.values()].sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
  }

  const profile = db.transaction(
    (id: string, briefs: number, coLimit: number): ActorProfile | null => {
      const row = actor.get(id);
      if (row === undefined) return null;
      const company: CoActor[] =
        coLimit < 1 ? [] : coActors.all({ id, window: CO_ACTOR_WINDOW, limit: coLimit });
      return {
        id: row.id,
        name: row.name,
        kind: row.kind,
        firstSeenAt: toDate(row.first_seen_at),
        lastSeenAt: toDate(row.last_seen_at),
        briefCount: row.brief_count,
        roles: rolesOf(id),
        latestBriefs: latest.all(id, briefs).map(toBrief),
        coActors: company,
      };
    },
  );

  /** The exact hits and their actors in one statement, ranked as search ranks them. */
  function exactRows(query: string, limit: number) {
    const key = searchKey(query);
    return key === '' || limit < 1 ? [] : exactActors.all(key, limit);
  }

  const toMatch = (row: ActorRow & { term: string }): ActorMatch =>
    exactMatch(row, toDate(row.last_seen_at));

  function exactWithProfile(query: string, limit: number, briefs: number, coLimit: number) {
    const rows = exactRows(query, limit);
    const [top] = rows;
    const shown = top !== undefined && isShownHit(rows.map((row) => ({ whole: row.whole === 1 })));
    return {
      matches: rows.map(toMatch),
      profile: shown ? profile(top.id, briefs, coLimit) : null,
    };
  }

  return {
    search: async (query, limit = 5) => search(query, limit),
    exact: async (query, limit = 5) => exactRows(query, limit).map(toMatch),
    exactWithProfile: async (query, limit, options = {}) =>
      exactWithProfile(query, limit, options.briefs ?? 5, options.coActors ?? 5),
    profile: async (id, options = {}) => profile(id, options.briefs ?? 5, options.coActors ?? 5),
  };
}
