import { mapped } from '../shared/arrays.js';
import { SUMMARY_MODEL, type SummaryModel } from './summary-model.js';
import { type TermId, type Terms, termMarks, termSpace } from './summary-terms.js';
import type { Unit } from './text/quotes.js';

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
  /** Content-word stems, numbered by the article's Vocabulary. */
  terms: Terms;
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
  antecedent?: TermId | undefined;
}

/** What a summary is allowed to be: 2–3 units when the article has them, ≤ ~90 words. */
const MAX_UNITS = 3;
// selectUnits keeps a bit per chosen unit in a byte (inChosen).
if (MAX_UNITS > 8) throw new Error(`selectUnits marks chosen units in a byte: ${MAX_UNITS} > 8`);
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
  /** Numbered by the Vocabulary of the article's units. */
  terms: Terms;
  /** Ids of the actors the headline names. */
  actors: ReadonlySet<string>;
}

export interface ArticleContext {
  titleTerms: Terms;
  /** Ids of the actors the headline names. */
  titleActors: ReadonlySet<string>;
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
 * What the units' terms alone tell about the article: each unit's headline words and
 * centrality (`stats[i]` for unit i). Counted before the entity model runs, while the
 * units' terms are still in the processor's cache (as unitTexts reads the tokens): after
 * the model's multi-MB tables they are not.
 */
export interface TermContext {
  /** The highest centrality of a unit. */
  mostCentral: number;
  stats: readonly TermStats[];
}

/**
 * How many of the headline's words a unit holds (`inTitle`: termMarks of the headline's),
 * and how central its words are: the mean share of the other units that hold each
 * (`unitFrequency[id]`: how many units hold term `id`, this one included).
 */
function termStats(
  terms: Terms,
  inTitle: Uint8Array,
  unitFrequency: Int32Array,
  units: number,
): TermStats {
  let titleHits = 0;
  let central = 0;
  for (const t of terms) {
    titleHits += inTitle[t] as number;
    central += ((unitFrequency[t] as number) - 1) / Math.max(1, units - 1);
  }
  return { titleHits, central: central / Math.max(3, terms.length) };
}

export function termContext(units: readonly { terms: Terms }[], titleTerms: Terms): TermContext {
  const space = termSpace(units, titleTerms);
  const unitFrequency = new Int32Array(space);
  for (const u of units)
    for (const t of u.terms) unitFrequency[t] = (unitFrequency[t] as number) + 1;
  const inTitle = termMarks(titleTerms, space);
  let mostCentral = 0;
  const stats = mapped(units, (u) => {
    const s = termStats(u.terms, inTitle, unitFrequency, units.length);
    mostCentral = Math.max(mostCentral, s.central);
    return s;
  });
  return { mostCentral, stats };
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
  const stats = ctx.stats.get(f);
  // Its term ids are another article's: counted against this one's they would mean nothing.
  if (stats === undefined) throw new Error('unitFeatures: a unit of another article');
  const { titleHits, central } = stats;
  let headlineActors = 0;
  for (const id of f.actors.keys()) if (ctx.titleActors.has(id)) headlineActors++;
  const titleRecall = titleHits / Math.max(3, ctx.titleTerms.length);
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
    titleHits / Math.max(3, f.terms.length),
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
 * The article's first unit, naming an actor the headline names or saying one of its words
 * (`titleTerms`, headlineTermsOf): a lede about what the headline is about (a title made of
 * the lede itself is no headline, see `summaryInputs`, so a lede is never kept for echoing
 * itself).
 */
function aboutHeadline(
  f: UnitFacts,
  index: number,
  headline: Headline,
  titleTerms: Terms,
): boolean {
  return index === 0 && (hardLede(f, index, headline) || titleTerms.length > 0);
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
  const space = termSpace(facts, headline.terms);
  const inTitle = termMarks(headline.terms, space);
  const pool = mapped(facts, (f, index) => {
    const titleTerms = headlineTermsOf(f.terms, inTitle);
    return {
      f,
      index,
      score: scores[index] ?? 0,
      lede: aboutHeadline(f, index, headline, titleTerms),
      // Its overlap with the first `seen` chosen units (the most it repeats of one): each
      // round adds only the units chosen since, not every chosen one again.
      repeat: 0,
      seen: 0,
      // The headline's words it says: novelty asks each round which are covered yet.
      titleTerms,
    };
  }).filter(({ f }) => showable(f));
  const chosen: typeof pool = [];
  const coveredActors = new Set<string>();
  /**
   * Per term id, a bit for each chosen unit that holds it (`1 << k` for `chosen[k]`, in the
   * order taken; MAX_UNITS bits fit a byte): one read says whether any chosen unit has the
   * term, and which. A headline term held by any is covered (novelty).
   */
  const inChosen = new Uint8Array(space);
  let words = 0;
  const take = (c: (typeof pool)[number]) => {
    const bit = 1 << chosen.length;
    chosen.push(c);
    words += c.f.words;
    for (const t of c.f.terms) inChosen[t] = (inChosen[t] as number) | bit;
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
      if (c.f.pointer && c.index > 0 && !readable(c, chosen, inTitle, inChosen)) continue;
      // A bullet that adds no word the chosen ones lack (a sentence the feed repeats, an
      // echo of the lede) tells the reader nothing: never shown, however well it scores.
      if (chosen.length > 0 && addsNothing(c.f.terms, inChosen)) continue;
      for (; c.seen < chosen.length; c.seen++) {
        const o = (chosen[c.seen] as typeof c).f.terms;
        c.repeat = Math.max(c.repeat, repeated(o, c.f.terms, inChosen, 1 << c.seen));
      }
      const gain =
        c.score -
        model.redundancy * c.repeat -
        model.wordCost * (c.f.words / MAX_UNIT_WORDS) +
        model.coverage * novelty(c.f, c.titleTerms, headline, inChosen, coveredActors);
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
 * shown, or it names what it points to ("Questa riforma…") and the headline (`inTitle`) or a
 * unit shown before it (`inChosen`, see selectUnits) has said that word.
 */
function readable(
  c: { f: UnitFacts; index: number },
  chosen: readonly { f: UnitFacts; index: number }[],
  inTitle: Uint8Array,
  inChosen: Uint8Array,
): boolean {
  if (chosen.some((o) => o.index === c.index - 1)) return true;
  const noun = c.f.antecedent;
  if (noun === undefined) return false;
  const holders = inChosen[noun] as number;
  return (
    inTitle[noun] === 1 || chosen.some((o, k) => o.index < c.index && ((holders >> k) & 1) === 1)
  );
}

/**
 * What a unit adds that the chosen ones lack: the share of the headline's words and of the
 * actors it names that no chosen unit has yet. The headline says what the story is about, so
 * a story of two parallel events, whose headline names both, gets a unit for each.
 */
function novelty(
  f: UnitFacts,
  titleTerms: Terms,
  headline: Headline,
  inChosen: Uint8Array,
  coveredActors: ReadonlySet<string>,
): number {
  let terms = 0;
  for (const t of titleTerms) if (inChosen[t] === 0) terms++;
  let actors = 0;
  for (const id of f.actors.keys()) if (headline.actors.has(id) && !coveredActors.has(id)) actors++;
  return terms / Math.max(3, headline.terms.length) + actors / Math.max(1, headline.actors.size);
}

/** The terms of a unit that the headline says, in the unit's order (most units have none). */
function headlineTermsOf(terms: Terms, inTitle: Uint8Array): TermId[] {
  const out: TermId[] = [];
  for (const t of terms) if (inTitle[t] === 1) out.push(t);
  return out;
}

/** Whether every one of a unit's terms is among the chosen units' terms (`inChosen`). */
function addsNothing(terms: Terms, inChosen: Uint8Array): boolean {
  for (const t of terms) if (inChosen[t] === 0) return false;
  return true;
}

/** How much of the smaller of two units' terms the other repeats (0..1). */
export function overlap(a: Terms, b: Terms): number {
  return repeated(a, b, termMarks(a, termSpace([{ terms: a }], b)), 1);
}

/** `overlap(a, b)`, where `marks` holds `bit` at each of a's terms. */
function repeated(a: Terms, b: Terms, marks: Uint8Array, bit: number): number {
  let shared = 0;
  for (const t of b) if (((marks[t] as number) & bit) !== 0) shared++;
  return shared / Math.max(1, Math.min(a.length, b.length));
}
