/**
 * The model path asks, for each of the model's spans, which lexicon matches hold it,
 * share a token with it or are exactly it. It asks LexCover, which finds them from the span's own tokens:
 * its answers must be those of reading every match, which cost time in proportion to the
 * article for every span (quadratic in the article's length).
 */
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../src/core/actors/document.js';
import { type LexMatch, matchLexicon } from '../../../src/core/actors/gazetteer.js';
import { LexCover, modelRuns } from '../../../src/core/actors/model-runs.js';
import { analyse } from '../../../src/core/actors/resolve.js';
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import type { NerTagger } from '../../../src/core/ner/tagger.js';
import { shippedTaggers } from '../../../src/ner/taggers.js';
import { FIXTURE_DIR, LATER_DIR, loadFixtures } from '../quality/score.js';

function answers(cover: LexCover, tokens: number) {
  const out: unknown[] = [];
  for (let first = 0; first < tokens; first++)
    for (let last = first + 1; last <= Math.min(tokens, first + 4); last++) {
      const shared = new Set<LexMatch>();
      cover.overlapping(first, last, shared);
      out.push([
        cover.holds(first, last),
        [...shared],
        cover.startingAt(first),
        cover.startsAtEndingAt(first, last),
      ]);
    }
  return out;
}

function readingAll(matches: readonly LexMatch[], tokens: number) {
  const out: unknown[] = [];
  for (let first = 0; first < tokens; first++)
    for (let last = first + 1; last <= Math.min(tokens, first + 4); last++)
      out.push([
        matches.some((m) => m.first <= first && last <= m.last),
        matches.filter((m) => m.first < last && first < m.last),
        matches.filter((m) => m.first === first),
        // The last match found there, as a map from first token to match keeps it.
        matches.filter((m) => m.first === first).at(-1)?.last === last,
      ]);
  return out;
}

describe('LexCover', () => {
  it('answers as reading every match does, on every fixture article', () => {
    for (const fixture of [...loadFixtures(FIXTURE_DIR), ...loadFixtures(LATER_DIR)]) {
      const doc = prepare(fixture.text, fixture.lang, defaultLexicon());
      const matches = matchLexicon(doc, { trustCapitals: false });
      const n = doc.tokens.length;
      expect(answers(new LexCover(n, matches), n), fixture.name).toEqual(readingAll(matches, n));
    }
  });

  it('answers the same when matches overlap', () => {
    const doc = prepare(
      'Pedro Sánchez met Ursula von der Leyen in Brussels.',
      'en',
      defaultLexicon(),
    );
    const matches = matchLexicon(doc, { trustCapitals: false });
    expect(matches.length).toBeGreaterThan(1);
    const [a, b] = matches as [LexMatch, LexMatch];
    const overlapping = [a, { ...b, first: a.last - 1 }, ...matches.slice(2)];
    const n = doc.tokens.length;
    expect(answers(new LexCover(n, overlapping), n)).toEqual(readingAll(overlapping, n));
  });
});

/**
 * With the entity model, the model decides where names start and end; the rules' chunker
 * does not run. What the lexicon and the word lists know is still asked of the model's
 * own spans, where the model alone cuts a name short or runs two together.
 */
const names = (ms: readonly { start: number; end: number }[], text: string) =>
  ms.map((m) => text.slice(m.start, m.end));

describe('the model path’s reading of the lexicon', () => {
  // The scan takes the forms each token starts from the tagger, which looked them up for
  // its features; where the tagger read a token otherwise (truecased in a sentence in
  // capitals, another key or index), the scan looks for itself.
  it('finds what the scan finds looking every token up itself, on every fixture article', () => {
    const tagger = shippedTaggers();
    const texts = [
      ...[...loadFixtures(FIXTURE_DIR), ...loadFixtures(LATER_DIR)].map((f) => ({
        name: f.name,
        text: f.text,
        lang: f.lang,
      })),
      {
        name: 'capitals',
        text: 'IL MINISTRO GIANCARLO GIORGETTI INCONTRA A LA SPEZIA I SINDACATI DI ROMA. Giorgetti ha incontrato i sindacati la sera a Torino, poi a roma e nel 2024 a Milano.',
        lang: 'it',
      },
      {
        name: 'cases',
        text: 'NICE wins in Nice. The french prime minister met Pedro Sánchez and 3M in the Hague, and mer Rouge, and NATO-GIPFEL.',
        lang: 'en',
      },
    ];
    for (const { name, text, lang } of texts) {
      const model = tagger(lang);
      if (!model) throw new Error(`no model for ${lang}`);
      const doc = prepare(text, lang, defaultLexicon());
      const own = matchLexicon(doc, { trustCapitals: false });
      const fromTagger = modelRuns(doc, model);
      expect(fromTagger.lexMatches, name).toEqual(own);
      expect(fromTagger, name).toEqual(modelRuns(doc, model, own));
    }
    // "LA SPEZIA" in capitals: the tagger reads "la", whose forms the scan does not ask for.
    const doc = prepare(texts.at(-2)?.text ?? '', 'it', defaultLexicon());
    expect(names(modelRuns(doc, tagger('it') as NerTagger).lexMatches, doc.text)).toContain(
      'LA SPEZIA',
    );
  });
});

describe('the model path, on the model’s spans', () => {
  const tagger = shippedTaggers();
  const actors = (text: string, lang: string) =>
    analyse(text, lang, defaultLexicon(), tagger(lang)).clusters.map(
      (c) => `${c.kind}: ${c.fullName}`,
    );

  it('takes in a word capitalised mid-sentence that is mostly written in lower case', () => {
    // The model reads "Kwang Chol": it does not believe the capital of "no".
    const text = 'All’aeroporto è stato accolto dal suo omologo, No Kwang Chol, un mese dopo.';
    expect(actors(text, 'it')).toContain('person: No Kwang Chol');
  });

  it('keeps a role before a name out of it', () => {
    // "Sindaco" is capitalised mid-sentence and mostly written in lower case, but a role.
    const text = 'Il piano è stato difeso dal Sindaco Mario Rossi lunedì.';
    expect(actors(text, 'it')).toContain('person: Mario Rossi');
  });

  it('takes a place the lexicon knows into an institution’s name', () => {
    const text =
      'Il processo si è aperto ieri davanti al Tribunale di Milano, che deciderà a marzo.';
    expect(actors(text, 'it')).toContain('organization: Tribunale di Milano');
  });

  it('splits a person’s name from the institution’s before it', () => {
    const text =
      'Lo explicó ayer el politólogo de la Universidad Pompeu Fabra Andreu Vilaseca en una entrevista.';
    expect(actors(text, 'es')).toEqual(
      expect.arrayContaining(['organization: Universidad Pompeu Fabra', 'person: Andreu Vilaseca']),
    );
  });
});

describe('a model run’s support', () => {
  // The resolver asks for a run's support only where it decides something, and the run
  // reads the model's confidence then, after other texts may have been tagged: what it
  // reads must not depend on when it is asked.
  it('is the same whenever it is asked, on every fixture article', () => {
    const tagger = shippedTaggers();
    for (const fixture of [...loadFixtures(FIXTURE_DIR), ...loadFixtures(LATER_DIR)]) {
      const model = tagger(fixture.lang);
      if (!model) throw new Error(`no model for ${fixture.lang}`);
      const doc = prepare(fixture.text, fixture.lang, defaultLexicon());
      const atOnce = modelRuns(doc, model).runs.map((r) => r.support);
      const later = modelRuns(doc, model).runs;
      // Another text tagged in between reuses the tagger's buffers.
      model.tagDocumentLazily([['Sergio', 'Mattarella', 'ha', 'parlato', 'a', 'Roma', '.']]);
      const asked = later.map((_, k) => later[later.length - 1 - k]?.support).reverse();
      expect(asked, fixture.name).toEqual(atOnce);
      expect(atOnce, fixture.name).toContain('evidence');
    }
  });
});
