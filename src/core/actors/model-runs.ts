import { mapped } from '../../shared/arrays.js';
import { isGivenName, type LexForm } from '../lexicon/index.js';
import { mostlyLowerCase } from '../ner/casing.js';
import { FeatureExtractor, type WordInfo } from '../ner/features.js';
import { hashString } from '../ner/hash.js';
import type { KeyTable } from '../ner/int-table.js';
import { type Span, spansOf } from '../ner/labels.js';
import type { NerTagger, SentenceConfidence } from '../ner/tagger.js';
import { truecaseCapitals, truecaseHeadline } from '../ner/truecase.js';
import type { ActorKind } from '../types.js';
import { type Doc, type DocToken, sentenceTexts } from './document.js';
import {
  casedLookup,
  formsStartingWith,
  type KnownFirstForms,
  type LexMatch,
  matchLexicon,
  NO_FORMS,
} from './gazetteer.js';
import { isOrganizationToken, isRoleToken, type NameRun, type RunSupport } from './names.js';

/**
 * Below this confidence (the smallest forward-backward mass of a span's labels and of the
 * label that closes it) a span the lexicon does not confirm needs a second mention or a
 * role to be shown. On the NER dev sets (bench/ner-confidence.ts) spans under it are right
 * about half as often as the rest.
 */
export const SURE_SPAN = 0.8;

const KIND = { PER: 'person', LOC: 'place', ORG: 'organization' } as const;

/** The entity type an actor kind is annotated as: a country is a place (LOC). */
function typeOfKind(kind: ActorKind): 'PER' | 'LOC' | 'ORG' {
  return kind === 'person' ? 'PER' : kind === 'organization' ? 'ORG' : 'LOC';
}

/**
 * The names the entity model finds, as the runs the resolver groups into actors. The
 * model decides where each name starts and ends; the lexicon keeps what it knows (ids,
 * kinds, cross-language names): a model span that is exactly a lexicon name is left to the
 * lexicon; a lexicon name inside a longer model span ("Tribunale di Milano") is absorbed by
 * it. The lexicon is read without trusting capitals (`matchLexicon`), from the forms the
 * tagger looked up for its features, unless the caller `given` that reading; it comes back
 * as `lexMatches`.
 */
export function modelRuns(
  doc: Doc,
  tagger: NerTagger,
  given?: readonly LexMatch[],
  options: { mentionLevel?: boolean } = {},
): {
  runs: NameRun[];
  absorbed: Set<LexMatch>;
  named: LexMatch[];
  lexMatches: readonly LexMatch[];
} {
  // A text without sentences (no words) is read as one empty sentence.
  // The model reads each line of a sentence apart (linesOf): a headline or a dateline
  // without a stop is not the start of the sentence under it.
  const bySentence = doc.sentences.length > 0 ? linesOf(doc) : [doc.tokens];
  const { casing } = tagger.model.tables;
  // Sentences in capitals are read with the casing their words have elsewhere.
  // Confidence is read only where it decides something (a span kept as a run of its own).
  const texts = truecaseCapitals(
    bySentence === doc.sentenceTokens
      ? sentenceTexts(doc)
      : mapped(bySentence, (ts) => mapped(ts, (t) => t.text)),
    casing,
  );
  const { labels, confidence, words } = tagger.tagDocumentLazily(texts);
  // The lexicon read without trusting capitals, from the forms the tagger looked up.
  let known: KnownFirstForms | undefined;
  let lexMatches = given;
  if (!lexMatches) {
    known = firstForms(bySentence, texts, words, doc.tokens.length);
    lexMatches = matchLexicon(doc, { trustCapitals: false, firstForms: known });
  }
  // A sentence's tokens are consecutive: the token k words into sentence s.
  const at = (ts: readonly DocToken[], k: number) => (ts[k] as DocToken).index;
  const lex = new LexCover(doc.tokens.length, lexMatches);
  const runs: NameRun[] = [];
  const absorbed = new Set<LexMatch>();
  const named: LexMatch[] = [];
  bySentence.forEach((ts, s) => {
    // No span runs over a line's end: the model read each line apart (linesOf).
    const spans = spansOf(labels[s] as Uint8Array);
    let previousEnd = ts.length > 0 ? at(ts, 0) : 0;
    const sentenceEnd = ts.length > 0 ? at(ts, ts.length - 1) + 1 : 0;
    let covered = -1;
    for (const span of spans) {
      let first = at(ts, span.first);
      if (first < covered) continue;
      let last = at(ts, span.last - 1) + 1;
      // "No Kwang Chol": "no" is written in lower case almost always, so the model does not
      // believe its capital mid-sentence; such words right before a person's name are part
      // of it. Not before a place's ("Environnement Toulouse").
      if (span.type === 'PER') first = ordinaryCapitalsBefore(doc, first, previousEnd, casing, lex);
      previousEnd = last;
      // "Tribunale di Milano": an institution's name goes on over a connector and a place
      // the lexicon knows; the model's span for the place, if any, is part of it. Not a
      // company's ("Huawei para Europa Occidental").
      if (span.type === 'ORG' && institution(doc, first, last)) {
        const end = placeAfter(doc, last, sentenceEnd, lex);
        if (end > last) {
          last = end;
          covered = end;
        }
      }
      last = beforeDateline(doc, first, last);
      // "Comisión Europea Henna Virkkunen": a name that ends, then a person's, with no comma
      // between them. The person is a run of its own; the name before it goes on as a span.
      const person = personAfterName(doc, tagger, first, last, lex.startingAt(first), span.type);
      if (person > first) {
        runs.push(new ModelRun(person, last, 'person', { confidence, s, span }));
        last = person;
      }
      // A span without a capital ("banca centrale austriaca", "consiglio comunale") is a
      // description, not a name: the lexicon keeps what it knows inside it ("austriaca").
      // In the mention-level view the model's reading stands: annotated news (KIND) tags
      // "il governo" and "la polizia" as organisations, and the model learned to.
      if (!options.mentionLevel && !nameIn(doc, first, last)) continue;
      // "Dra." of "la epidemióloga Dra. Nerea Ugalde": a title alone names no one.
      if (onlyHonorifics(doc, first, last)) continue;
      // A name the lexicon knows is left to it (its id, its kind). With `mentionLevel` (the
      // mention-level view), not where the model is sure the name is another kind here:
      // "Siena" or "Somerset" the side that played, "Washington" the player; annotated news
      // reads such names by their role in the sentence, as the model does. A brief keeps
      // the lexicon's: its actors are the country with its id ("Italia" signing a deal is
      // Italy), and a metonym ("the Kremlin said") is read as the lexicon has it.
      const exact = lex.exactly(first, last);
      if (exact) {
        if (
          !options.mentionLevel ||
          exact.form.type === 'demonym' ||
          span.type === typeOfKind(exact.entity.kind) ||
          !sureSpan(confidence, s, span)
        )
          continue;
        absorbed.add(exact);
        runs.push(new ModelRun(first, last, KIND[span.type], { confidence, s, span }));
        continue;
      }
      // A span inside a longer name the lexicon knows ("Kim Jong" of "Kim Jong Un"): the
      // lexicon's name it is.
      if (lex.holds(first, last)) continue;
      lex.overlapping(first, last, absorbed);
      // A name the lexicon knows in another case ("PARIS" in a headline in capitals).
      const inLexicon = lexiconName(doc, first, last, known);
      if (inLexicon) named.push(inLexicon);
      // A lone word read as a person needs the text to name them again, or a role, as
      // the rules ask: "Kopri", "Natixis" alone are more often not people.
      else {
        const lone = span.type === 'PER' && last - first === 1;
        const asked = lone ? null : { confidence, s, span };
        runs.push(new ModelRun(first, last, KIND[span.type], asked));
      }
    }
  });
  // In the mention-level view a lexicon name on words the model read as no name is none
  // ("crudo Brent", "Esa operación", the "Hong Kong" of "Hong Kong Open"): the model has
  // read the lexicon too (its features), and the context. A brief keeps them: a country
  // the model missed is still an actor of the story.
  if (options.mentionLevel) {
    const labelled = new Uint8Array(doc.tokens.length);
    bySentence.forEach((ts, s) => {
      const ls = labels[s] as Uint8Array;
      for (let k = 0; k < ts.length; k++) if (ls[k] !== 0) labelled[at(ts, k)] = 1;
    });
    for (const m of lexMatches) {
      let any = false;
      for (let k = m.first; k < m.last; k++) if (labelled[k]) any = true;
      if (!any) absorbed.add(m);
    }
  }
  return { runs, absorbed, named, lexMatches };
}

/**
 * A run the model read, whose support is its confidence: asked only when the resolver
 * needs it (most runs join an actor that something else confirms), since reading it runs
 * forward-backward over the sentence (as far as its names) the first time.
 */
class ModelRun implements NameRun {
  /** Where the span's confidence is read; null for a run weak whatever the model's confidence. */
  readonly #span: SpanOfSentence | null;
  #support: RunSupport | undefined;

  constructor(
    readonly first: number,
    readonly last: number,
    readonly kind: NameRun['kind'],
    span: SpanOfSentence | null,
  ) {
    this.#span = span;
  }

  get support(): RunSupport {
    if (this.#support === undefined) {
      const at = this.#span;
      const sure = at !== null && sureSpan(at.confidence, at.s, at.span);
      this.#support = sure ? 'evidence' : 'weak';
    }
    return this.#support;
  }
}

/** A model span in sentence s, with the sentences' confidence. */
interface SpanOfSentence {
  confidence: SentenceConfidence;
  s: number;
  span: Span;
}

/** Whether tokens first..last are all titles ("Dra."), with no copy of their keys. */
function onlyHonorifics(doc: Doc, first: number, last: number): boolean {
  for (let k = first; k < last; k++)
    if (!doc.words.honorifics.has(doc.keys[k] as string)) return false;
  return true;
}

/**
 * Whether the model is sure of a span of sentence s: the smallest confidence of the span's
 * labels and of the label that closes it is SURE_SPAN or more. Asked only where it decides
 * something: a run's support, when the resolver reads it (ModelRun).
 */
function sureSpan(confidence: SentenceConfidence, s: number, span: Span): boolean {
  return confidence.span(s, span) >= SURE_SPAN;
}

/**
 * The lexicon forms each token starts, as the tagger looked them up for its features,
 * where that is the scan's own question: the same key in the index the scan's casing rule
 * picks. The tagger's rule differs on a word starting with a digit ("7G") or a titlecase
 * letter ("ǅemal"), and a truecased word ("MINISTRO" read as "ministro") may change
 * index: there the scan looks for itself.
 */
function firstForms(
  bySentence: readonly (readonly DocToken[])[],
  texts: readonly (readonly string[])[],
  words: readonly (readonly WordInfo[])[],
  tokens: number,
): KnownFirstForms {
  // Made at its full length at once: grown a token at a time it was copied over and over
  // (some 18 KB of garbage per brief).
  const known = new Array<readonly LexForm[] | undefined>(tokens);
  for (let s = 0; s < bySentence.length; s++) {
    const ts = bySentence[s] as readonly DocToken[];
    const read = texts[s] as readonly string[];
    const infos = words[s] as readonly WordInfo[];
    for (let k = 0; k < ts.length; k++) {
      const token = ts[k] as DocToken;
      // The scan looks only at words.
      if (!token.word) continue;
      const info = infos[k] as WordInfo;
      // A word the tagger read as written has the Doc's key (both fold the text): the
      // same string object says so without comparing the keys' characters.
      const sameKey = read[k] === token.text || info.key === token.key;
      if (sameKey && FeatureExtractor.casedForms(info) === casedLookup(token))
        known[token.index] = info.forms ?? NO_FORMS;
    }
  }
  return known;
}

/** A name the model reads in a headline: tokens first..last of the headline's own Doc. */
export interface HeadlineRun {
  first: number;
  last: number;
  kind: NameRun['kind'];
  /** The span's confidence, as modelRuns measures it. */
  score: number;
}

/** A headline as the model read it (headlineRuns). */
export interface HeadlineReading {
  /** The headline's tokens as the model read them (truecased). */
  cased: readonly string[];
  runs: HeadlineRun[];
  /** The lexicon forms the tagger looked up, per headline token (see matchLexicon). */
  firstForms: KnownFirstForms;
}

/**
 * The names the model reads in a headline, as its own sentence. It is tagged apart from
 * the body, so the body's tags are what they were without it; a headline in capitals or
 * in title case is first given the casing its words have in the body (truecaseHeadline).
 * A span without a capital in the headline as written, or ending on a word in lower
 * case, is no name. Returns the tokens as the model read them too, and the lexicon
 * forms the tagger looked up for them (for the headline's own lexicon scan, as modelRuns
 * reads the body's).
 */
export function headlineRuns(headline: Doc, body: Doc, tagger: NerTagger): HeadlineReading {
  const tokens = mapped(headline.tokens, (t) => t.text);
  if (tokens.length === 0) return { cased: tokens, runs: [], firstForms: [] };
  const cased = truecaseHeadline(tokens, sentenceTexts(body), tagger.model.tables.casing, (i) =>
    isGivenName(headline.words, headline.tokens[i]?.key ?? ''),
  );
  const { labels, confidence, words } = tagger.tagDocumentLazily([cased]);
  const own = labels[0] as Uint8Array;
  const forms = firstForms([headline.tokens], [cased], words, tokens.length);
  const runs: HeadlineRun[] = [];
  for (const span of spansOf(own)) {
    // "Antarctic glacier losing ice…": a headline's name ends on a capital, as the body's
    // do when the chunker extends them (endsOnName).
    if (!nameIn(headline, span.first, span.last) || !endsOnName(headline, span.last)) continue;
    const score = confidence.span(0, span);
    runs.push({ first: span.first, last: span.last, kind: KIND[span.type], score });
  }
  return { cased, runs, firstForms: forms };
}

/**
 * Where a person's name starts inside the span first..last, right after a whole name of
 * something else: a place or organisation the lexicon knows ("Comisión Europea",
 * "Generalitat"), starting where the span starts. The words after it are a person's when they are two capitalised words or
 * more that the model, reading them alone, tags as one person. Within the span the model's
 * own marginals say nothing here: trained on text where an organisation's name runs on in
 * capitals, it is sure (≈ 1.0) of I-ORG across the person too. Returns -1 if no person.
 */
function personAfterName(
  doc: Doc,
  tagger: NerTagger,
  first: number,
  last: number,
  lexStarting: readonly LexMatch[],
  type: Span['type'],
): number {
  const ends: number[] = [];
  for (const m of lexStarting) if (m.last < last && m.entity.kind !== 'person') ends.push(m.last);
  // "Universidad Pompeu Fabra Andreu Vilaseca": in a name of something else, a given name
  // after a word that is none may start a person's.
  if (type !== 'PER') {
    const { tokens, words } = doc;
    for (let k = first + 1; k < last - 1; k++) {
      const before = tokens[k - 1] as DocToken;
      if (
        before.word &&
        isGivenName(words, (tokens[k] as DocToken).key) &&
        !isGivenName(words, before.key)
      )
        ends.push(k);
    }
  }
  for (const at of ends) {
    if (last - at < 2) continue;
    const words = doc.tokens.slice(at, last);
    if (!words.every((t) => t.capitalised && !t.allCaps)) continue;
    const [labels] = tagger.tagDocument([mapped(words, (t) => t.text)]);
    const spans = spansOf(labels as Uint8Array);
    const only = spans[0];
    if (
      spans.length === 1 &&
      only?.type === 'PER' &&
      only.first === 0 &&
      only.last === words.length
    )
      return at;
  }
  return -1;
}

/**
 * The lexicon's matches found from the tokens they cover, so that each of the model's
 * spans asks about its own tokens, not about every match of the text (which made the
 * model path quadratic in the article's length). The scan moves past each match, so
 * matches do not overlap; if some did, every question falls back to reading them all.
 */
export class LexCover {
  readonly #matches: readonly LexMatch[];
  readonly #at: (LexMatch | undefined)[] | null;

  constructor(tokens: number, matches: readonly LexMatch[]) {
    this.#matches = matches;
    let at: (LexMatch | undefined)[] | null = new Array<LexMatch | undefined>(tokens);
    for (const m of matches) {
      for (let k = m.first; k < m.last && at; k++) {
        if (at[k] !== undefined) at = null;
        else at[k] = m;
      }
      if (!at) break;
    }
    this.#at = at;
  }

  /** Whether one match holds the whole of first..last. */
  holds(first: number, last: number): boolean {
    if (!this.#at) return this.#matches.some((m) => m.first <= first && last <= m.last);
    const m = this.#at[first];
    return m !== undefined && last <= m.last;
  }

  /** Adds to `out` the matches that share a token with first..last. */
  overlapping(first: number, last: number, out: Set<LexMatch>): void {
    if (!this.#at) {
      for (const m of this.#matches) if (m.first < last && first < m.last) out.add(m);
      return;
    }
    for (let k = first; k < last; k++) {
      const m = this.#at[k];
      if (m) out.add(m);
    }
  }

  /** Whether the last match found that starts at `first` ends at `last`. */
  startsAtEndingAt(first: number, last: number): boolean {
    return this.exactly(first, last) !== undefined;
  }

  /** The match that is exactly first..last (the last one found there), if any. */
  exactly(first: number, last: number): LexMatch | undefined {
    if (!this.#at) {
      let found: LexMatch | undefined;
      for (const m of this.#matches) if (m.first === first) found = m;
      return found?.last === last ? found : undefined;
    }
    const m = this.#at[first];
    return m !== undefined && m.first === first && m.last === last ? m : undefined;
  }

  /** The matches that start at token `first`, in the order found. */
  startingAt(first: number): readonly LexMatch[] {
    if (!this.#at) return this.#matches.filter((m) => m.first === first);
    const m = this.#at[first];
    return m !== undefined && m.first === first ? [m] : [];
  }
}

/** Does the run ending before `last` end on a capitalised word ("di Milano", not "publicó")? */
function endsOnName(doc: Doc, last: number): boolean {
  const t = doc.tokens[last - 1];
  return t !== undefined && (t.capitalised || t.allCaps);
}

/** What follows a dateline's place: "WILMINGTON, Del. (Reuters) -", "ROMA –", "PARIS (AFP)". */
const DATELINE_MARKS = new Set([',', '-', '–', '—', '(', ':']);

/**
 * Where a name glued to a dateline ends: a photo credit or byline ("Lucy Nicholson") run
 * into the dateline's place in capitals ("WILMINGTON, Del. (Reuters) -"). A name of two
 * words or more in ordinary case does not go on in capitals before a dateline mark; a
 * single word may ("Emmanuel MACRON," as French writes surnames), so that stays whole.
 */
function beforeDateline(doc: Doc, first: number, last: number): number {
  let caps = last;
  while (caps > first && (doc.tokens[caps - 1] as DocToken).allCaps) caps--;
  if (caps === last || caps - first < 2) return last;
  for (let k = first; k < caps; k++)
    if (!(doc.tokens[k] as DocToken).capitalised || (doc.tokens[k] as DocToken).allCaps)
      return last;
  const next = doc.tokens[last];
  return next !== undefined && DATELINE_MARKS.has(next.text) ? caps : last;
}

/**
 * The doc's sentences, each cut where a line begins inside it: the splitter joins a line
 * without a stop to the next ("BOXING - DURAN FIGHTS ⏎ PANAMA CITY 1996-08-30 ⏎ Panamanian
 * boxing legend…"), but a line is where a headline, a dateline or a byline ends. The
 * doc's own list when no sentence holds a line break.
 */
function linesOf(doc: Doc): readonly (readonly DocToken[])[] {
  const { text, tokens, sentenceTokens: sentences } = doc;
  // The tokens that open a line inside their sentence, found from the text's line breaks
  // (a token never holds one): a text has a few dozen breaks and hundreds of tokens, and
  // the gap before every token was read to find them.
  const opening: number[] = [];
  let next = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
    while (next < tokens.length && (tokens[next] as DocToken).start < at) next++;
    const t = tokens[next];
    if (t === undefined) break;
    const opensSentence = (sentences[t.sentence] as readonly DocToken[])[0] === t;
    if (!opensSentence && opening[opening.length - 1] !== next) opening.push(next);
  }
  if (opening.length === 0) return sentences;
  const out: DocToken[][] = [];
  let o = 0;
  for (let s = 0; s < sentences.length; s++) {
    const ts = sentences[s] as DocToken[];
    const first = ts.length > 0 ? (ts[0] as DocToken).index : 0;
    let from = 0;
    for (; o < opening.length && (tokens[opening[o] as number] as DocToken).sentence === s; o++) {
      const k = (opening[o] as number) - first;
      out.push(ts.slice(from, k));
      from = k;
    }
    out.push(from === 0 ? ts : ts.slice(from));
  }
  return out;
}

/** Does first..last hold an organisation's head word ("Tribunale", "Prefettura")? */
function institution(doc: Doc, first: number, last: number): boolean {
  for (let k = first; k < last; k++)
    if (isOrganizationToken(doc.words, doc.tokens[k] as DocToken)) return true;
  return false;
}

/**
 * Where a name ending at `last` ends once a connector and a place or country the lexicon
 * knows right after it ("di Milano", "de Chile") are taken in, within the sentence; `last`
 * if none follows.
 */
function placeAfter(doc: Doc, last: number, sentenceEnd: number, lex: LexCover): number {
  const connector = doc.words.connectors.matchAt(doc.keys, last);
  if (connector === 0) return last;
  const [place] = lex.startingAt(last + connector);
  const kind = place?.entity.kind;
  if (!place || (kind !== 'place' && kind !== 'country') || place.last > sentenceEnd) return last;
  return place.last;
}

/**
 * Where a span starts once the words right before it (from `floor` on, the end of the
 * span before) that are capitalised mid-sentence but written mostly in lower case (the
 * model's casing table) are taken in. A role, a title or a word the lexicon holds is no
 * such word ("Minister", "President" before a name stay out).
 */
function ordinaryCapitalsBefore(
  doc: Doc,
  first: number,
  floor: number,
  casing: KeyTable,
  lex: LexCover,
): number {
  const { tokens, keys, words } = doc;
  let from = first;
  while (from > floor) {
    const t = tokens[from - 1] as DocToken;
    if (!t.word || t.initial || !t.capitalised || t.allCaps) break;
    if (!mostlyLowerCase(casing.get(hashString(t.key)) ?? 0)) break;
    if (words.honorifics.has(t.key) || words.notNames.has(t.key) || words.portfolios.has(t.key))
      break;
    if (isRoleToken(words, keys, from - 1) > 0 || lex.holds(from - 1, from)) break;
    from--;
  }
  return from;
}

function nameIn(doc: Doc, first: number, last: number): boolean {
  for (let k = first; k < last; k++) {
    const t = doc.tokens[k] as DocToken;
    if (t.capitalised || t.allCaps) return true;
  }
  return false;
}

function lexiconName(
  doc: Doc,
  first: number,
  last: number,
  known: KnownFirstForms | undefined,
): LexMatch | undefined {
  const form = formAt(doc, first, last, known);
  if (!form) return undefined;
  return {
    first,
    last,
    start: (doc.tokens[first] as DocToken).start,
    end: (doc.tokens[last - 1] as DocToken).end,
    entity: form.entity,
    form,
  };
}

/** The first lexicon name form that is exactly the keys of tokens first..last. */
function formAt(
  doc: Doc,
  first: number,
  last: number,
  known: KnownFirstForms | undefined,
): LexForm | undefined {
  const { keys } = doc;
  // The cased index's forms, as the tagger looked them up for a capitalised word: the
  // index's own probe misses the cache once the tagger has run.
  const token = doc.tokens[first] as DocToken;
  const forms =
    (casedLookup(token) ? known?.[first] : undefined) ??
    formsStartingWith(doc.lexicon.formsByFirst, keys[first] ?? '');
  if (!forms) return undefined;
  for (const f of forms) {
    if (f.type !== 'name' || f.keys.length !== last - first) continue;
    let same = true;
    for (let m = 1; m < f.keys.length && same; m++) same = keys[first + m] === f.keys[m];
    if (same) return f;
  }
  return undefined;
}
