import type { LexEntity, Lexicon } from '../lexicon/index.js';
import type { NerTagger } from '../ner/tagger.js';
import { cachedSlug, fold } from '../text/fold.js';
import type { ActorKind } from '../types.js';
import { type Doc, type DocToken, prepare } from './document.js';
import { type LexMatch, matchLexicon } from './gazetteer.js';
import { modelRuns } from './model-runs.js';
import { findNameRuns, type NameRun } from './names.js';
import { roleFor } from './roles.js';

/** One mention of an actor, tied to the cluster (actor) it belongs to. */
export interface ActorMention {
  start: number;
  end: number;
  text: string;
  first: number;
  last: number;
  actor: ActorCluster;
  /** A demonym ("nordcoreano") counts for its country but weighs less. */
  demonym: boolean;
}

export interface ActorCluster {
  key: string;
  kind: ActorKind;
  /** Stable id from the lexicon, or null for an actor found from context. */
  lexId: string | null;
  lexName: string | null;
  /** Folded name tokens of the fullest form: what bare surnames are matched against. */
  nameKeys: readonly string[];
  fullName: string;
  role: string | null;
  mentions: ActorMention[];
  /** Filled in by actorId. */
  id: string | undefined;
}

/** What a new cluster is made from (newCluster sets the rest). */
export type ClusterFields = Omit<ActorCluster, 'key' | 'mentions' | 'role' | 'id'>;

export interface Analysis {
  doc: Doc;
  mentions: ActorMention[];
  clusters: ActorCluster[];
}

/** The words a name is found by: its words without particles, hyphenated parts apart. */
export function nameKeys(doc: Doc, first: number, last: number): string[] {
  const keys: string[] = [];
  for (let k = first; k < last; k++) {
    const t = doc.tokens[k] as DocToken;
    if (t.word && !doc.words.nameParticles.has(t.key)) pushParts(keys, t.key);
  }
  return keys;
}

/**
 * Pushes the parts of a key between hyphens ('-' or '‐'), as `key.split(/[-‐]/)` would,
 * empty ones included. Most keys hold none: a split by a regex makes a regex object, an
 * array and a spread per key.
 */
function pushParts(keys: string[], key: string): void {
  let from = 0;
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    if (c === 45 || c === 0x2010) {
      keys.push(key.slice(from, k));
      from = k + 1;
    }
  }
  keys.push(from === 0 ? key : key.slice(from));
}

/**
 * A cluster without mentions yet. Its fields are written out: a spread of `fields` takes
 * V8's slow path for object copies, some microseconds per cluster.
 */
export function newCluster(key: string, fields: ClusterFields): ActorCluster {
  return {
    key,
    mentions: [],
    role: null,
    kind: fields.kind,
    lexId: fields.lexId,
    lexName: fields.lexName,
    nameKeys: fields.nameKeys,
    fullName: fields.fullName,
    // Present from the start, though actorId fills it in later: a cluster given the
    // property then changed hidden class, and the code reading clusters met both.
    id: undefined,
  };
}

/** What an actor the lexicon knows starts with: its id, its name in the text's language. */
export function lexClusterFields(e: LexEntity, lang: string): ClusterFields {
  return {
    kind: e.kind,
    lexId: e.id,
    lexName: (e.names as Record<string, string | undefined>)[lang] ?? e.names.en,
    // Known people are found by their surname too: "Sánchez" joins "Pedro Sánchez".
    nameKeys: e.kind === 'person' ? personKeys(e) : NO_KEYS,
    fullName: e.names.en,
  };
}

const NO_KEYS: readonly string[] = [];
const personKeysOf = new WeakMap<LexEntity, readonly string[]>();

/** A known person's name words, folded once per entity, not in every brief that names them. */
function personKeys(e: LexEntity): readonly string[] {
  let keys = personKeysOf.get(e);
  if (!keys) {
    keys = e.names.en.split(/[\s-]+/).map(fold);
    personKeysOf.set(e, keys);
  }
  return keys;
}

export interface AnalyseOptions {
  /**
   * Every name the model reads, not only the brief's candidates: a name read once and
   * unsure stays a mention (the mention-level view, `briefwire tag`), where the brief
   * leaves it out as no key actor. Without a model it changes nothing: the rules read
   * every capitalised word, and their lone ones are more often not names.
   */
  everyMention?: boolean;
}

/** Finds every actor mention in a text and groups the mentions into actors. */
export function analyse(
  text: string,
  lang: string,
  lexicon: Lexicon,
  tagger?: NerTagger,
  options: AnalyseOptions = {},
): Analysis {
  return analyseDoc(prepare(text, lang, lexicon), tagger, options);
}

/** `analyse` of a text already prepared (the brief reads the Doc for its summary too). */
export function analyseDoc(doc: Doc, tagger?: NerTagger, options: AnalyseOptions = {}): Analysis {
  const { text, lang } = doc;
  const every = options.everyMention === true && tagger !== undefined;
  // With a model, the model decides which capitalised words belong to a longer name; the
  // lexicon only names what it knows, whatever the capitals say.
  const model = tagger ? modelRuns(doc, tagger, undefined, { mentionLevel: every }) : undefined;
  const allLex = model?.lexMatches ?? matchLexicon(doc, { trustCapitals: true });
  const found: { runs: NameRun[]; absorbed: Set<LexMatch>; named?: LexMatch[] } =
    model ?? findNameRuns(doc, allLex);
  const { runs, absorbed } = found;
  const lex = allLex.filter((m) => !absorbed.has(m));
  for (const m of found.named ?? []) lex.push(m);
  // The scan's matches come in text order, and the model rarely adds any.
  if (!ascending(lex, (m) => m.first)) lex.sort((a, b) => a.first - b.first);
  // Tokens that name a country, place or organisation may sit inside a role phrase.
  const named = new Set<number>();
  for (const m of lex)
    if (m.entity.kind !== 'person') for (let k = m.first; k < m.last; k++) named.add(k);

  const clusters = new Map<string, ActorCluster>();
  /** Person clusters nothing has confirmed yet: dropped unless the text names them again. */
  const weak = new Set<ActorCluster>();
  const people = new PersonIndex();
  // Clusters are found by key, and their fields made only for a new one: written out at
  // each call, not as a closure, which would capture the loop's variables (a context
  // allocated on every pass).
  const addCluster = (key: string, fields: ClusterFields): ActorCluster => {
    const c = newCluster(key, fields);
    clusters.set(key, c);
    people.add(c);
    return c;
  };
  const mention = (c: ActorCluster, first: number, last: number) => {
    const start = (doc.tokens[first] as DocToken).start;
    const end = (doc.tokens[last - 1] as DocToken).end;
    c.mentions.push({
      start,
      end,
      text: text.slice(start, end),
      first,
      last,
      actor: c,
      demonym: false,
    });
  };

  // An entity's cluster found by the entity, not by a key string made per mention.
  const byEntity = new Map<LexEntity, ActorCluster>();
  for (const m of lex) {
    const e = m.entity;
    let c = byEntity.get(e);
    if (!c) {
      const key = `lex:${e.id}`;
      c = clusters.get(key) ?? addCluster(key, lexClusterFields(e, lang));
      byEntity.set(e, c);
    }
    // A hyphen compound names only its first part: "Nato" of "Nato-Gipfel".
    c.mentions.push({
      start: m.start,
      end: m.end,
      text: text.slice(m.start, m.end),
      first: m.first,
      last: m.last,
      actor: c,
      demonym: m.form.type === 'demonym',
    });
    if (e.kind === 'person') c.role ??= roleFor(doc, m.first, m.last, named);
  }

  // Full names first, so that bare surnames can join them whatever the order in the text.
  // (The runs are this call's own: sorted in place.)
  const ordered = runs.sort((a, b) => b.last - b.first - (a.last - a.first) || a.first - b.first);
  const pending: NameRun[] = [];
  // A run's support is asked last, and only where it decides something: the model's runs
  // compute it on first read (forward-backward over the sentence).
  /** The run each place or organisation was first read in: what decides, if it stays alone. */
  const firstRuns = new Map<ActorCluster, NameRun>();
  for (const run of ordered) {
    const keys = nameKeys(doc, run.first, run.last);
    const joined = keys.join(' ');
    if (run.kind !== 'person') {
      const key = `${run.kind}:${joined}`;
      let c = clusters.get(key);
      if (!c) {
        c = addCluster(key, {
          kind: run.kind,
          lexId: null,
          lexName: null,
          nameKeys: keys,
          fullName: surfaceOf(doc, run),
        });
        firstRuns.set(c, run);
      }
      mention(c, run.first, run.last);
      continue;
    }
    // Roles are looked up only when they decide something: most runs join a known person.
    const known = people.find(clusters, keys, joined);
    if (known) {
      mention(known, run.first, run.last);
      known.role ??= roleFor(doc, run.first, run.last, named);
      if (
        weak.has(known) &&
        (keys.length === 1 || known.role !== null || run.support === 'evidence')
      )
        weak.delete(known);
      continue;
    }
    const role = roleFor(doc, run.first, run.last, named);
    const confirmed = role !== null || run.support === 'evidence';
    if (keys.length === 1 && !confirmed) {
      pending.push(run);
      continue;
    }
    const key = `person:${joined}`;
    const c =
      clusters.get(key) ??
      addCluster(key, {
        kind: 'person',
        lexId: null,
        lexName: null,
        nameKeys: keys,
        fullName: surfaceOf(doc, run),
      });
    mention(c, run.first, run.last);
    c.role ??= role;
    if (!confirmed) weak.add(c);
  }
  // A place or organisation only the model saw, once and unsure, is not a key actor. (Such a
  // cluster's one mention is the run that made it.)
  for (const c of clusters.values())
    if (
      !every &&
      c.kind !== 'person' &&
      !c.lexId &&
      c.mentions.length < 2 &&
      firstRuns.get(c)?.support !== 'evidence'
    )
      clusters.delete(c.key);
  // A lone capitalised word counts once the text has named that person another way.
  const unplaced: NameRun[] = [];
  for (const run of pending) {
    const keys = nameKeys(doc, run.first, run.last);
    const c = people.find(clusters, keys, keys.join(' '));
    if (!c) {
      unplaced.push(run);
      continue;
    }
    mention(c, run.first, run.last);
    weak.delete(c);
  }
  // Unconfirmed names right after "in", "à", "nach": places the lexicon does not know.
  // With every mention asked for, the model's reading stands and they stay people.
  if (!every)
    for (const c of weak) {
      clusters.delete(c.key);
      for (const m of c.mentions)
        if (afterLocative(doc, m.first))
          unplaced.push({ first: m.first, last: m.last, kind: 'place', support: 'weak' });
    }
  for (const run of unplaced) {
    const place = afterLocative(doc, run.first);
    if (!place && !every) continue;
    const keys = nameKeys(doc, run.first, run.last);
    const kind = place ? 'place' : 'person';
    const key = `${kind}:${keys.join(' ')}`;
    const c =
      clusters.get(key) ??
      addCluster(key, {
        kind,
        lexId: null,
        lexName: null,
        nameKeys: keys,
        fullName: surfaceOf(doc, run),
      });
    mention(c, run.first, run.last);
  }
  mergeDefinedAcronyms(doc, clusters);
  const kept = [...clusters.values()];
  const mentions: ActorMention[] = [];
  for (const c of kept) {
    if (!ascending(c.mentions, (m) => m.start)) c.mentions.sort((a, b) => a.start - b.start);
    for (const m of c.mentions) mentions.push(m);
  }
  mentions.sort((a, b) => a.start - b.start);
  return { doc, mentions, clusters: kept };
}

/**
 * "Sociedad Española de Oncología Médica (SEOM)": an acronym defined in brackets right after
 * an organisation's name is that organisation, wherever else it appears.
 */
function mergeDefinedAcronyms(doc: Doc, clusters: Map<string, ActorCluster>): void {
  const { tokens } = doc;
  // Each mention's cluster by its first token, made only once a bracket asks (most texts
  // define no acronym), before any merge, as the clusters were.
  let byFirstToken: Map<number, ActorCluster> | undefined;
  for (const long of [...clusters.values()]) {
    if (long.kind !== 'organization') continue;
    for (const m of long.mentions) {
      if (tokens[m.last]?.text !== '(' || tokens[m.last + 2]?.text !== ')') continue;
      if (!byFirstToken) {
        byFirstToken = new Map();
        for (const c of clusters.values())
          for (const cm of c.mentions) byFirstToken.set(cm.first, c);
      }
      const short = byFirstToken.get(m.last + 1);
      if (!short || short === long || short.kind !== 'organization' || short.lexId) continue;
      for (const sm of short.mentions) {
        sm.actor = long;
        long.mentions.push(sm);
      }
      clusters.delete(short.key);
    }
  }
}

/**
 * Whether items are in order by `at` already, so that a stable sort by it would leave them
 * as they are. Asked before such a sort: a sort call allocates its work space (about 1 KB)
 * even for an array in order, and most lists here are.
 */
function ascending<T>(items: readonly T[], at: (item: T) => number): boolean {
  for (let k = 1; k < items.length; k++)
    if (at(items[k - 1] as T) > at(items[k] as T)) return false;
  return true;
}

/** The text of a run's tokens, as written. */
function surfaceOf(doc: Doc, run: NameRun): string {
  return doc.text.slice(
    (doc.tokens[run.first] as DocToken).start,
    (doc.tokens[run.last - 1] as DocToken).end,
  );
}

function afterLocative(doc: Doc, first: number): boolean {
  const { words, keys, tokens } = doc;
  // "in May", "in Folge": a month or a common word is no place.
  const t = tokens[first];
  if (!t || words.timeWords.has(t.key) || words.notNames.has(t.key)) return false;
  if (tokens[first + 1]?.text === "'s" || tokens[first + 1]?.text === '’s') return false;
  for (let n = 1; n <= 2; n++) {
    const at = first - n;
    if (at >= 0 && words.locatives.matchAt(keys, at) === n) return true;
  }
  return false;
}

/** Person clusters by each word of their names, so a bare name finds its person fast. */
class PersonIndex {
  readonly #byKey = new Map<string, ActorCluster[]>();

  add(c: ActorCluster): void {
    if (c.kind !== 'person' || c.nameKeys.length < 2) return;
    for (const key of new Set(c.nameKeys)) {
      const list = this.#byKey.get(key);
      if (list) list.push(c);
      else this.#byKey.set(key, [c]);
    }
  }

  /**
   * The person a bare name refers to: surname first ("Belousov"), then given or family
   * name. `joined` is `keys.join(' ')`, which the caller has made already.
   */
  find(
    clusters: ReadonlyMap<string, ActorCluster>,
    keys: readonly string[],
    joined: string,
  ): ActorCluster | undefined {
    const exact = clusters.get(`person:${joined}`);
    if (exact) return exact;
    const candidates = this.#byKey.get(keys[0] ?? '') ?? [];
    if (keys.length === 1) {
      const byLast = candidates.find((c) => c.nameKeys.at(-1) === keys[0]);
      if (byLast) return byLast;
    }
    return candidates.find((c) => keys.every((k) => c.nameKeys.includes(k)));
  }
}

/** The identifier of an actor: the lexicon's, or one made from its fullest name. */
export function actorId(c: ActorCluster): string {
  c.id ??= c.lexId ?? cachedSlug(c.fullName);
  return c.id;
}
