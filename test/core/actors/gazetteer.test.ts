/**
 * The model path reads the lexicon twice: trusting capitals (for the rules' chunker) and not
 * (for the model's runs). One pass gives both; each must be exactly what its own reading
 * finds, where the readings differ ("Milan Horvat": a place, or the start of a name) and
 * where a given name joins a known surname.
 */
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../src/core/actors/document.js';
import { matchLexicon, matchLexiconBoth } from '../../../src/core/actors/gazetteer.js';
import data from '../../../src/core/lexicon/data.generated.json' with { type: 'json' };
import { defaultLexicon } from '../../../src/core/lexicon/index.js';
import { FIXTURE_DIR, LATER_DIR, loadFixtures } from '../quality/score.js';

const read = (text: string, lang: string) => prepare(text, lang, defaultLexicon());
const names = (ms: { start: number; end: number }[], text: string) =>
  ms.map((m) => text.slice(m.start, m.end));

describe('both readings of the lexicon from one pass', () => {
  it('differ where a one-word place starts a longer name', () => {
    const text = 'Yesterday Milan Horvat met Dmitri Peskov and Nato-Gipfel delegates in Milan.';
    const { trusting, untrusting } = matchLexiconBoth(read(text, 'en'));
    expect(names(untrusting, text)).toContain('Milan');
    expect(names(untrusting, text).filter((n) => n === 'Milan')).toHaveLength(2);
    expect(names(trusting, text).filter((n) => n === 'Milan')).toHaveLength(1);
    expect(names(trusting, text)).toContain('Dmitri Peskov');
  });

  it('are each what the reading alone finds, on every fixture article', () => {
    for (const fixture of [...loadFixtures(FIXTURE_DIR), ...loadFixtures(LATER_DIR)]) {
      const doc = read(fixture.text, fixture.lang);
      const both = matchLexiconBoth(doc);
      expect(both.trusting, fixture.name).toEqual(matchLexicon(doc));
      expect(both.untrusting, fixture.name).toEqual(matchLexicon(doc, { trustCapitals: false }));
    }
  });
});

describe('the lexicon scan', () => {
  // Most tokens start no name, and the scan turns them away by a bitmap of the index's
  // first words before probing the index: no name may be turned away with them.
  it('finds every form of the lexicon in a text that is only that form', () => {
    const forms = (data as unknown as { forms: [string, number, string][] }).forms;
    const missed: string[] = [];
    for (const [text, , type] of forms) {
      if (type === 'demonym') continue;
      const doc = read(text, 'en');
      // "L'Aquila", "'s-Hertogenbosch": the scan starts names on words, not on elisions.
      if (!doc.tokens[0]?.word) continue;
      if (matchLexicon(doc, { trustCapitals: false })[0]?.first !== 0) missed.push(text);
    }
    expect(forms.length).toBeGreaterThan(10_000);
    expect(missed).toEqual([]);
  });
});
