import { mapped } from '../shared/arrays.js';
import { type Doc, type DocToken, prepare } from './actors/document.js';
import { matchLexicon } from './actors/gazetteer.js';
import { headlineNames } from './actors/headline.js';
import { headlineRuns } from './actors/model-runs.js';
import {
  type ActorCluster,
  actorId,
  analyse,
  analyseDoc,
  lexClusterFields,
  newCluster,
} from './actors/resolve.js';
import { articleSample, detectLanguage } from './language.js';
import { defaultLexicon, type Lexicon } from './lexicon/index.js';
import type { NerTagger } from './ner/tagger.js';
import {
  type Headline,
  summarise,
  type TermContext,
  termContext,
  type UnitFacts,
} from './summary.js';
import { unitTexts, withActors } from './summary-facts.js';
import { SUMMARY_MODEL } from './summary-model.js';
import { Vocabulary } from './summary-terms.js';
import { hashtags } from './tags.js';
import { stripBoilerplate } from './text/boilerplate.js';
import { fold } from './text/fold.js';
import { letterDigitRuns } from './text/tokens.js';
import type { Actor, ActorKind, Article, Brief, Mention } from './types.js';

export interface EngineOptions {
  /** Another lexicon than the bundled one (tests, custom gazetteers). */
  lexicon?: Lexicon;
  /**
   * The entity tagger for a language, loaded once by the caller (core reads no files);
   * without one, or for a language without a model, the rules find the names.
   */
  tagger?: (lang: string) => NerTagger | undefined;
}

const KIND_WEIGHT: Record<ActorKind, number> = {
  person: 1.25,
  organization: 1,
  country: 0.9,
  place: 0.85,
};

/** What the summariser chooses from: the article's units, scored against its headline. */
export interface SummaryInputs {
  language: string;
  facts: UnitFacts[];
  headline: Headline;
  /** What the units' terms tell the summariser, counted before the entity model ran. */
  terms: TermContext;
  actors: Actor[];
}

/**
 * The article read for its brief: boilerplate out first (credits and bylines never reach
 * the actors), then language, actors, and the units a summary may hold. An item whose text
 * is only its headline, or only boilerplate, has no units.
 */
export function summaryInputs(article: Article, options: EngineOptions = {}): SummaryInputs {
  const lexicon = options.lexicon ?? defaultLexicon();
  const title = article.title.trim();
  const raw = article.text.trim();
  const body = raw === title ? '' : stripBoilerplate(raw);
  const language = detectLanguage(articleSample(title, body || raw), article.language);
  const tagger = options.tagger?.(language);
  const doc = prepare(body || title, language, lexicon);
  // One reading of the title, for its actors and for the summary's headline terms.
  const titleDoc = prepare(title, language, lexicon);
  // A headline that only repeats the opening (a title made from the text's first line)
  // says nothing the lead does not: its words would only pull the summary to the lead.
  const headline = repeatsOpening(title, raw) ? '' : title;
  // The summary's reading of the text comes before the entity model's (see unitTexts).
  // The units' and the headline's terms numbered alike: the summary compares them by id.
  const vocabulary = new Vocabulary(doc.words.stopwords);
  const units = body ? unitTexts(doc, vocabulary) : [];
  const headlineTerms = vocabulary.terms(headline ? [titleDoc.tokens] : []);
  const terms = termContext(units, headlineTerms);
  const analysis = analyseDoc(doc, tagger);
  // Without a body the title was the text analysed: the model has read it already.
  const titleHits = titleMentions(titleDoc, analysis.clusters, {
    tagger: body ? tagger : undefined,
    body: doc,
  });

  const actors = rankActors(analysis.clusters, titleHits, (body || title).length);
  const salience = new Map(actors.map((a) => [a.id, a.salience]));
  // A map only for the sentences that name an actor: most name none.
  const sentenceActors: (Map<string, number> | undefined)[] = [];
  for (const m of analysis.mentions) {
    const id = actorId(m.actor);
    const sentence = (doc.tokens[m.first] as DocToken).sentence;
    if (sentence >= doc.sentences.length) continue;
    let named = sentenceActors[sentence];
    if (!named) {
      named = new Map();
      sentenceActors[sentence] = named;
    }
    named.set(id, salience.get(id) ?? 0);
  }
  return {
    language,
    facts: withActors(units, sentenceActors),
    headline: {
      terms: headlineTerms,
      actors: new Set(headline ? titleHits.map((h) => actorId(h.cluster)) : []),
    },
    terms,
    actors,
  };
}

const wordsOf = (s: string) => letterDigitRuns(fold(s));

/** The title's words are the text's first words (up to a cut made with "…"). */
function repeatsOpening(title: string, text: string): boolean {
  // Cheap refusal first: the two rarely share even their first letters.
  const initial = (s: string) => /[\p{L}\p{N}]/u.exec(s)?.[0]?.toLowerCase();
  if (initial(title) !== initial(text)) return false;
  const titleWords = wordsOf(title);
  if (titleWords.length < 4) return false;
  const opening = wordsOf(text.slice(0, title.length + 80)).slice(0, titleWords.length + 4);
  return opening.join(' ').includes(titleWords.join(' '));
}

/** Turns one article into a Brief: language, 0–3 summary units, actors and hashtags. */
export function briefArticle(article: Article, options: EngineOptions = {}): Brief {
  const { language, facts, headline, terms, actors } = summaryInputs(article, options);
  const { nameParticles } = (options.lexicon ?? defaultLexicon()).words(language);
  return {
    title: article.title.trim(),
    url: article.url ?? null,
    source: article.source ?? null,
    publishedAt: article.publishedAt ?? null,
    language,
    summary: mapped(summarise(facts, headline, SUMMARY_MODEL, terms), (f) => f.text),
    actors,
    tags: hashtags(actors, nameParticles),
    ...imageOf(article),
  };
}

/**
 * The brief of an article the engine failed on: its headline and link, no summary, actors
 * or tags, so that the item is posted anyway (the poller briefs it again later). Its
 * language is the headline's, else the feed's hint, else "und".
 */
export function headlineBrief(article: Article): Brief {
  const title = article.title.trim();
  let language = 'und';
  try {
    language = detectLanguage(title, article.language);
  } catch {
    // The detector is part of what may have failed: "und" routes it all the same.
  }
  return {
    title,
    url: article.url ?? null,
    source: article.source ?? null,
    publishedAt: article.publishedAt ?? null,
    language,
    summary: [],
    actors: [],
    tags: [],
    ...imageOf(article),
  };
}

/** The Brief's optional `image`: present only when the article has one. */
function imageOf(article: Article): Pick<Brief, 'image'> {
  return article.image ? { image: article.image } : {};
}

/** Every actor mention in a text, in order, with JavaScript string offsets. */
export function tagText(
  text: string,
  lang?: string | null,
  options: EngineOptions = {},
): Mention[] {
  const lexicon = options.lexicon ?? defaultLexicon();
  const language = detectLanguage(text, lang);
  // Every name the model reads, as a mention-level view should; a demonym ("russo",
  // "Panamanian") is an adjective, not a name, though it counts for its country in a brief.
  const { mentions } = analyse(text, language, lexicon, options.tagger?.(language), {
    everyMention: true,
  });
  return mentions
    .filter((m) => !m.demonym)
    .map((m) => ({
      start: m.start,
      end: m.end,
      text: m.text,
      kind: m.actor.kind,
      id: actorId(m.actor),
    }));
}

interface TitleHit {
  cluster: ActorCluster;
  text: string;
}

/**
 * Headlines are often in title case, so a capital there proves nothing to the rules: the
 * title counts lexicon names, words that name an actor the body found and, with a model,
 * the names the model reads in it (headlineNames).
 */
function titleMentions(
  doc: Doc,
  clusters: ActorCluster[],
  model: { tagger: NerTagger | undefined; body: Doc },
): TitleHit[] {
  const { text: title, lang } = doc;
  const hits: TitleHit[] = [];
  const byLexId = new Map(clusters.filter((c) => c.lexId).map((c) => [c.lexId, c]));
  const claimed = new Set<number>();
  // The model's reading first: its lexicon lookups serve the scan below (one scan, not two).
  const read = model.tagger ? headlineRuns(doc, model.body, model.tagger) : undefined;
  for (const m of matchLexicon(doc, { trustCapitals: false, firstForms: read?.firstForms ?? [] })) {
    for (let k = m.first; k < m.last; k++) claimed.add(k);
    let cluster = byLexId.get(m.entity.id);
    if (!cluster) {
      cluster = newCluster(`lex:${m.entity.id}`, lexClusterFields(m.entity, lang));
      clusters.push(cluster);
      byLexId.set(m.entity.id, cluster);
    }
    hits.push({ cluster, text: title.slice(m.start, m.end) });
  }
  if (read)
    for (const name of headlineNames(doc, read, clusters, claimed)) {
      for (let k = name.first; k < name.last; k++) claimed.add(k);
      if (hits.some((h) => h.cluster === name.cluster)) continue;
      const start = (doc.tokens[name.first] as DocToken).start;
      const end = (doc.tokens[name.last - 1] as DocToken).end;
      hits.push({ cluster: name.cluster, text: title.slice(start, end) });
    }
  for (const t of doc.tokens) {
    if (!t.word || !t.capitalised || claimed.has(t.index)) continue;
    const cluster = clusters.find(
      (c) => (c.kind === 'person' || c.kind === 'organization') && c.nameKeys.includes(t.key),
    );
    if (cluster && !hits.some((h) => h.cluster === cluster)) hits.push({ cluster, text: t.text });
  }
  return hits;
}

function rankActors(
  clusters: readonly ActorCluster[],
  titleHits: readonly TitleHit[],
  length: number,
): Actor[] {
  // Each cluster's title hits, grouped once: most clusters have none.
  const hitsOf = new Map<ActorCluster, TitleHit[]>();
  for (const h of titleHits) {
    const list = hitsOf.get(h.cluster);
    if (list) list.push(h);
    else hitsOf.set(h.cluster, [h]);
  }
  const scored = mapped(clusters, (c) => {
    const inTitle = hitsOf.get(c) ?? NO_HITS;
    const mentions = c.mentions.length + inTitle.length;
    if (mentions === 0) return null;
    const weight = c.mentions.reduce((s, m) => s + (m.demonym ? 0.5 : 1), 0);
    const firstAt = c.mentions[0] ? c.mentions[0].start / Math.max(1, length) : 1;
    const raw =
      (Math.log2(1 + weight) +
        (inTitle.length > 0 ? 1.5 : 0) +
        (1 - firstAt) +
        (c.role ? 0.75 : 0)) *
      KIND_WEIGHT[c.kind];
    return {
      c,
      raw,
      mentions,
      firstAt,
      inTitle,
    };
  }).filter((x): x is NonNullable<typeof x> => x !== null);
  const max = Math.max(...mapped(scored, (s) => s.raw), 1e-9);
  return mapped(
    scored.sort((a, b) => b.raw - a.raw || a.firstAt - b.firstAt),
    ({ c, raw, mentions, inTitle }) => {
      const name = displayName(c);
      return {
        id: actorId(c),
        name,
        kind: c.kind,
        role: c.kind === 'person' ? c.role : null,
        mentions,
        salience: Math.round((raw / max) * 100) / 100,
        aliases: aliases(name, c.mentions, inTitle),
      };
    },
  );
}

function displayName(c: ActorCluster): string {
  return c.lexName ?? c.fullName;
}

const NO_HITS: readonly TitleHit[] = [];

/**
 * The spellings of an actor other than its name, in the order met: its mentions' texts,
 * then its title hits'.
 */
function aliases(
  name: string,
  mentions: readonly { text: string }[],
  inTitle: readonly { text: string }[],
): string[] {
  // Most actors are met once: no sets for them.
  if (mentions.length + inTitle.length === 1) {
    const only = (mentions[0] ?? (inTitle[0] as { text: string })).text;
    // Most often the one mention is the name itself: no folding (two cache lookups) for it.
    return only === name || fold(only) === fold(name) ? [] : [only];
  }
  const seen = new Set([fold(name)]);
  // Most surfaces repeat one spelling: a spelling met before is not folded again.
  const met = new Set<string>();
  const out: string[] = [];
  const meet = (s: string) => {
    if (met.has(s)) return;
    met.add(s);
    const key = fold(s);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  for (const m of mentions) meet(m.text);
  for (const h of inTitle) meet(h.text);
  return out;
}
