import { mapped } from '../shared/arrays.js';
import { SUMMARY_MODEL, type SummaryModel } from './summary-model.js';
import type { Unit } from './text/quotes.js';
import type { Token } from './text/tokens.js';

/** What the summariser knows about one unit: a sentence, or a quotation spanning several. */
export interface UnitFacts {
  unit: Unit;
  text: string;
  /** Index of its first sentence in the article. */
  position: number;
  /** Index of its paragraph, and whether it opens it. */
  paragraph: number;
  opensParagraph: boolean;
  words: number;
  /**
   * A sentence too long to show whole, ended at its last clause boundary within
   * MAX_UNIT_WORDS (text/clauses.ts): `text`, `words` and `terms` are of the words kept, and
   * `text` ends with an ellipsis.
   */
  cut: boolean;
  /** Content-word stems. */
  terms: Set<string>;
  /** Ids of the actors the unit names, with their salience. */
  actors: ReadonlyMap<string, number>;
  /** Figures: amounts, dates, scores. */
  numbers: number;
  /** Holds a quotation. */
  quoted: boolean;
  /** Opens with a pronoun or connective that needs the unit before it. */
  pointer: boolean;
  /**
   * For an opening demonstrative + noun ("Questa riforma…"), the noun's stem: the unit
   * reads right once the reader has seen it, in the headline or a unit shown before it.
   */
  antecedent?: string | undefined;
}

/** What a summary is allowed to be: 2–3 units when the article has them, ≤ ~90 words. */
const MAX_UNITS = 3;
/**
 * A cap per brief, not a target: the learned cost of each word (`model.wordCost`) keeps the
 * average near LEAD-3's, while one brief may run longer when two units each earn a place —
 * a story of two parallel events needs both of its long sentences.
 */
export const MAX_SUMMARY_WORDS = 90;
/** The most words a bullet shows: a sentence over it reads as a run-on. */
export const MAX_UNIT_WORDS = 60;
/**
 * The fewest words a long sentence ended early keeps: a clause boundary sooner leaves a
 * bullet that says too little of what the sentence said.
 */
export const MIN_CLAUSE_WORDS = 20;
const MIN_UNIT_WORDS = 5;

/** A crude stem: enough to see "ratificare" and "ratificato" as one term. */
export function stem(key: string): string {
  return key.length > 6 ? key.slice(0, 6) : key;
}

/** The content-word stems of `tokens`, added to `terms` (a new set unless given). */
export function contentTerms(
  tokens: readonly Token[],
  stopwords: ReadonlySet<string>,
  terms = new Set<string>(),
): Set<string> {
  for (const t of tokens) {
    // Not /^\d/: asked of every token of the article.
    const c = t.key.charCodeAt(0);
    if (t.word && t.key.length > 2 && !(c >= 48 && c <= 57) && !stopwords.has(t.key))
      terms.add(stem(t.key));
  }
  return terms;
}

/** The names of the features, in the order `unitFeatures` gives them and weights hold. */
export const FEATURES = [
  'bias',
  'first',
  'third',
  'position',
  'relative',
  'opensParagraph',
  'length',
  'short',
  'severalSentences',
  'titleRecall',
  'titlePrecision',
  'centrality',
  'quoted',
  'question',
  'headlineActors',
  'ledeHeadline',
  'relativeCentrality',
] as const;

/** What the headline says the story is about: its content-word stems and the actors it names. */
export interface Headline {
  terms: ReadonlySet<string>;
  /** Ids of the actors the headline names. */
  actors: ReadonlySet<string>;
}

export interface ArticleContext {
  titleTerms: ReadonlySet<string>;
  /** Ids of the actors the headline names. */
  titleActors: ReadonlySet<string>;
  /** In how many units each term occurs. */
  unitFrequency: ReadonlyMap<string, number>;
  units: number;
  /** The highest centrality of a unit. */
  mostCentral: number;
  /** Each unit's headline words and centrality, counted once for both uses. */
  stats: ReadonlyMap<UnitFacts, TermStats>;
}

interface TermStats {
  titleHits: number;
  central: number;
}

/**
 * What the units' terms alone tell about the article: how many units hold each term, and
 * each unit's headline words and centrality (`stats[i]` for unit i). Counted before the
 * entity model runs, while the units' term sets are still in the processor's cache (as
 * unitTexts reads the tokens): after the model's multi-MB tables they are not.
 */
export interface TermContext {
  unitFrequency: ReadonlyMap<string, number>;
  /** The highest centrality of a unit. */
  mostCentral: number;
  stats: readonly TermStats[];
}

/** How many of the headline's words a unit holds, and how central its words are. */
function termStats(
  f: { terms: ReadonlySet<string> },
  titleTerms: ReadonlySet<string>,
  unitFrequency: ReadonlyMap<string, number>,
  units: number,
): TermStats {
  let titleHits = 0;
  let central = 0;
  for (const t of f.terms) {
    if (titleTerms.has(t)) titleHits++;
    central += ((unitFrequency.get(t) ?? 1) - 1) / Math.max(1, units - 1);
  }
  return { titleHits, central: central / Math.max(3, f.terms.size) };
}

export function termContext(
  units: readonly { terms: ReadonlySet<string> }[],
  titleTerms: ReadonlySet<string>,
): TermContext {
  const unitFrequency = new Map<string, number>();
  for (const u of units)
    for (const t of u.terms) unitFrequency.set(t, (unitFrequency.get(t) ?? 0) + 1);
  let mostCentral = 0;
  const stats = mapped(units, (u) => {
    const s = termStats(u, titleTerms, unitFrequency, units.length);
    mostCentral = Math.max(mostCentral, s.central);
    return s;
  });
  return { unitFrequency, mostCentral, stats };
}

/**
 * The context the units are scored in: `terms` from the same units' terms and headline
 * terms (termContext), counted here unless the caller did so earlier.
 */
export function articleContext(
  facts: readonly UnitFacts[],
  headline: Headline,
  terms: TermContext = termContext(facts, headline.terms),
): ArticleContext {
  const stats = new Map<UnitFacts, TermStats>();
  facts.forEach((f, i) => {
    stats.set(f, terms.stats[i] as TermStats);
  });
  return {
    titleTerms: headline.terms,
    titleActors: headline.actors,
    unitFrequency: terms.unitFrequency,
    units: facts.length,
    mostCentral: terms.mostCentral,
    stats,
  };
}

/**
 * What is known to pick news sentences, each in 0..1 or so: position (news is written lead
 * first), length, the headline's words, how central the unit's words are to the article,
 * the salience of the actors it names, figures, quotations, and openings that point back.
 */
export function unitFeatures(f: UnitFacts, ctx: ArticleContext): number[] {
  const { titleHits, central } =
    ctx.stats.get(f) ?? termStats(f, ctx.titleTerms, ctx.unitFrequency, ctx.units);
  let headlineActors = 0;
  for (const id of f.actors.keys()) if (ctx.titleActors.has(id)) headlineActors++;
  const titleRecall = titleHits / Math.max(3, ctx.titleTerms.size);
  const namesHeadline = headlineActors / Math.max(1, ctx.titleActors.size);
  const first = f.position === 0 ? 1 : 0;
  return [
    1,
    first,
    f.position === 2 ? 1 : 0,
    1 / (1 + f.position),
    ctx.units > 1 ? f.position / (ctx.units - 1) : 0,
    f.opensParagraph ? 1 : 0,
    Math.min(f.words, MAX_UNIT_WORDS) / MAX_UNIT_WORDS,
    f.words < 10 ? 1 : 0,
    f.unit.last > f.unit.first ? 1 : 0,
    titleRecall,
    titleHits / Math.max(3, f.terms.size),
    central,
    f.quoted ? 1 : 0,
    f.text.endsWith('?') ? 1 : 0,
    namesHeadline,
    // A lede is not one kind of sentence: a hard lede names who and what the headline is
    // about; a soft one ("It's the moment every pet owner dreads") sets a scene. Position
    // alone cannot tell them apart, so the lede's weight depends on what it holds.
    first * Math.max(titleRecall, namesHeadline),
    ctx.mostCentral > 0 ? central / ctx.mostCentral : 0,
  ];
}

export function dot(weights: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += (weights[k] ?? 0) * (x[k] as number);
  return s;
}

/** The article's first unit, naming an actor the headline names: a hard lede. */
function hardLede(f: UnitFacts, index: number, headline: Headline): boolean {
  if (index !== 0) return false;
  for (const id of f.actors.keys()) if (headline.actors.has(id)) return true;
  return false;
}

/**
 * The article's first unit, naming an actor the headline names or saying one of its words:
 * a lede about what the headline is about (a title made of the lede itself is no headline,
 * see `summaryInputs`, so a lede is never kept for echoing itself).
 */
function aboutHeadline(f: UnitFacts, index: number, headline: Headline): boolean {
  if (index !== 0) return false;
  if (hardLede(f, index, headline)) return true;
  for (const t of f.terms) if (headline.terms.has(t)) return true;
  return false;
}

/**
 * A unit a reader can take as it is: whole quotations, not a run-on (a sentence too long is
 * shown ended at a clause boundary, see UnitFacts.cut), not a fragment.
 */
function showable(f: UnitFacts): boolean {
  return !f.unit.brokenQuote && f.words >= MIN_UNIT_WORDS && f.words <= MAX_UNIT_WORDS;
}

/**
 * Picks up to three units, verbatim and in article order: a showable lede that names an
 * actor the headline names first, then the most relevant by the learned weights, each new
 * one discounted by how much it repeats the ones already chosen and by the words it costs,
 * raised by the headline words and actors it adds, within a word cap. A unit that opens
 * with a pointer ("He", "Mais") is taken only right after the unit it points back to, or,
 * when it names what it points to ("Questa riforma…"), once that word has been shown. An
 * article with nothing showable gets an empty summary: its headline says what there is.
 * `terms` is what the units' terms tell (termContext), if the caller counted it already.
 */
export function summarise(
  facts: readonly UnitFacts[],
  headline: Headline,
  model: SummaryModel = SUMMARY_MODEL,
  terms: TermContext = termContext(facts, headline.terms),
): UnitFacts[] {
  const ctx = articleContext(facts, headline, terms);
  const scores = mapped(facts, (f) => dot(model.weights, unitFeatures(f, ctx)));
  return selectUnits(facts, scores, headline, model);
}

/**
 * The selection of `summarise` given each unit's learned score (`scores[i]` for
 * `facts[i]`): apart so that training can score an article's units once per weight vector
 * without recomputing their features.
 */
export function selectUnits(
  facts: readonly UnitFacts[],
  scores: readonly number[],
  headline: Headline,
  model: SummaryModel = SUMMARY_MODEL,
): UnitFacts[] {
  const pool = mapped(facts, (f, index) => ({
    f,
    index,
    score: scores[index] ?? 0,
    lede: aboutHeadline(f, index, headline),
    // Its overlap with the first `seen` chosen units (the most it repeats of one): each
    // round adds only the units chosen since, not every chosen one again.
    repeat: 0,
    seen: 0,
    // The headline's words it says: novelty asks each round which are covered yet.
    titleTerms: headlineTermsOf(f.terms, headline.terms),
  })).filter(({ f }) => showable(f));
  const chosen: typeof pool = [];
  const coveredTerms = new Set<string>();
  const coveredActors = new Set<string>();
  /** Every term of the chosen units: one lookup per term says whether any of them has it. */
  const chosenTerms = new Set<string>();
  let words = 0;
  const take = (c: (typeof pool)[number]) => {
    chosen.push(c);
    words += c.f.words;
    for (const t of c.f.terms) chosenTerms.add(t);
    for (const t of c.f.terms) if (headline.terms.has(t)) coveredTerms.add(t);
    for (const id of c.f.actors.keys()) coveredActors.add(id);
  };
  // News is written lede first: a lede that names who or what the headline is about says
  // what happened, and no later sentence, however many of the story's words it repeats, stands
  // in for it (the context sentence after it names as many actors and tells the reader less).
  const lede = pool.find((c) => c.lede);
  if (lede) take(lede);
  while (chosen.length < MAX_UNITS) {
    let best: (typeof pool)[number] | undefined;
    let bestGain = Number.NEGATIVE_INFINITY;
    for (const c of pool) {
      if (chosen.includes(c)) continue;
      if (words + c.f.words > MAX_SUMMARY_WORDS) continue;
      if (c.f.pointer && c.index > 0 && !readable(c, chosen, headline)) continue;
      // A bullet that adds no word the chosen ones lack (a sentence the feed repeats, an
      // echo of the lede) tells the reader nothing: never shown, however well it scores.
      if (chosen.length > 0 && addsNothing(c.f.terms, chosenTerms)) continue;
      for (; c.seen < chosen.length; c.seen++)
        c.repeat = Math.max(c.repeat, overlap((chosen[c.seen] as typeof c).f.terms, c.f.terms));
      const gain =
        c.score -
        model.redundancy * c.repeat -
        model.wordCost * (c.f.words / MAX_UNIT_WORDS) +
        model.coverage * novelty(c.f, c.titleTerms, headline, coveredTerms, coveredActors);
      if (gain > bestGain) {
        best = c;
        bestGain = gain;
      }
    }
    if (!best || (chosen.length >= 2 && bestGain < model.third)) break;
    take(best);
  }
  return mapped(
    chosen.sort((a, b) => a.index - b.index),
    (c) => c.f,
  );
}

/**
 * Whether a unit that points back reads right beside the chosen ones: the unit before it is
 * shown, or it names what it points to ("Questa riforma…") and the headline or a unit shown
 * before it has said that word.
 */
function readable(
  c: { f: UnitFacts; index: number },
  chosen: readonly { f: UnitFacts; index: number }[],
  headline: Headline,
): boolean {
  if (chosen.some((o) => o.index === c.index - 1)) return true;
  const noun = c.f.antecedent;
  if (noun === undefined) return false;
  return headline.terms.has(noun) || chosen.some((o) => o.index < c.index && o.f.terms.has(noun));
}

/**
 * What a unit adds that the chosen ones lack: the share of the headline's words and of the
 * actors it names that no chosen unit has yet. The headline says what the story is about, so
 * a story of two parallel events, whose headline names both, gets a unit for each.
 */
function novelty(
  f: UnitFacts,
  titleTerms: readonly string[],
  headline: Headline,
  coveredTerms: ReadonlySet<string>,
  coveredActors: ReadonlySet<string>,
): number {
  let terms = 0;
  for (const t of titleTerms) if (!coveredTerms.has(t)) terms++;
  let actors = 0;
  for (const id of f.actors.keys()) if (headline.actors.has(id) && !coveredActors.has(id)) actors++;
  return terms / Math.max(3, headline.terms.size) + actors / Math.max(1, headline.actors.size);
}

/** The terms of a unit that the headline says, in the unit's order (most units have none). */
function headlineTermsOf(terms: ReadonlySet<string>, title: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (title.size > 0) for (const t of terms) if (title.has(t)) out.push(t);
  return out;
}

/** Whether every one of a unit's terms is among the chosen units' terms. */
function addsNothing(terms: ReadonlySet<string>, chosenTerms: ReadonlySet<string>): boolean {
  for (const t of terms) if (!chosenTerms.has(t)) return false;
  return true;
}

/** How much of the smaller of two units' terms the other repeats (0..1). */
export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}
