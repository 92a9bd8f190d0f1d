import { beforeAll, describe, expect, it } from 'vitest';
import { defectsOf } from '../../../bench/summary/defects.js';
import { parsePlainText } from '../../../src/core/input/plain.js';
import { loadLanguageDetector } from '../../../src/core/language.js';
import { fold } from '../../../src/core/text/fold.js';
import {
  briefFixture,
  type Fixture,
  LATER_DIR,
  loadFixtures,
  type Score,
  scoreBrief,
} from './score.js';

interface Totals {
  found: number;
  expected: number;
  predicted: number;
  rolesRight: number;
  rolesExpected: number;
}

function total(fixtures: Fixture[]): { all: Totals; byLanguage: Map<string, Totals> } {
  const byLanguage = new Map<string, Totals>();
  const all: Totals = { found: 0, expected: 0, predicted: 0, rolesRight: 0, rolesExpected: 0 };
  for (const fixture of fixtures) {
    const s: Score = scoreBrief(fixture, briefFixture(fixture));
    const lang = byLanguage.get(fixture.lang) ?? {
      ...all,
      found: 0,
      expected: 0,
      predicted: 0,
      rolesRight: 0,
      rolesExpected: 0,
    };
    for (const t of [lang, all]) {
      t.found += s.truePositives;
      t.expected += s.expected;
      t.predicted += s.predicted;
      t.rolesRight += s.rolesRight;
      t.rolesExpected += s.rolesExpected;
    }
    byLanguage.set(fixture.lang, lang);
  }
  return { all, byLanguage };
}

const rates = (t: Totals) => ({
  recall: t.found / t.expected,
  precision: t.found / t.predicted,
  roles: t.rolesRight / t.rolesExpected,
});

function report(name: string, t: ReturnType<typeof total>): void {
  const line = (label: string, x: Totals) => {
    const r = rates(x);
    return `${label.padEnd(4)} recall ${r.recall.toFixed(3)}  precision ${r.precision.toFixed(3)}  roles ${r.roles.toFixed(3)}`;
  };
  const lines = [...t.byLanguage].map(([lang, x]) => line(lang, x));
  console.log(`${name}\n${lines.join('\n')}\n${line('all', t.all)}`);
}

beforeAll(() => loadLanguageDetector());

describe('actor tagging quality on hand-annotated articles in five languages', () => {
  it('finds the actors, only the actors, and their roles: 0.9 or better overall', () => {
    const scores = total(loadFixtures());
    report('fixtures (test/fixtures/articles)', scores);
    expect(scores.byLanguage.size).toBe(5);
    const r = rates(scores.all);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
    expect(r.precision).toBeGreaterThanOrEqual(0.9);
    expect(r.roles).toBeGreaterThanOrEqual(0.9);
  });

  it('holds up on a second set written later, by other hands, in other styles', () => {
    // Lower bars: these articles (culture, technology, health, local news) are harder. They
    // were read while the old rules were written, so they are a regression set, no holdout.
    const scores = total(loadFixtures(LATER_DIR));
    report('later set (test/fixtures/later)', scores);
    const r = rates(scores.all);
    expect(r.recall).toBeGreaterThanOrEqual(0.78);
    expect(r.precision).toBeGreaterThanOrEqual(0.84);
    expect(r.roles).toBeGreaterThanOrEqual(0.82);
  });

  it('shows summaries a reader can take as they are: no cut quotation, boilerplate, run-on or dangling opening', () => {
    // The summary evaluation's own detectors (bench/summary/defects.ts), written apart from
    // the engine; issue 12 asks for none of these defects on the fixtures.
    for (const dir of [undefined, LATER_DIR]) {
      for (const fixture of loadFixtures(dir)) {
        const article = parsePlainText(fixture.text);
        const brief = briefFixture(fixture);
        const found = defectsOf(
          { title: article.title, text: article.text, lang: fixture.lang },
          brief.summary,
        );
        expect([...found], `${fixture.name}: ${brief.summary.join(' ⏎ ')}`).toEqual([]);
      }
    }
  });

  it('detects every article’s language, and its summary names what the annotation says it should', () => {
    // 0.84 and 0.65 when the learned selector dropped the lede whatever it held; a lede
    // that names the headline's actors is now kept (docs/summary-model.md).
    for (const [dir, bar] of [
      [undefined, 0.845],
      [LATER_DIR, 0.67],
    ] as const) {
      let mentioned = 0;
      let mentions = 0;
      for (const fixture of loadFixtures(dir)) {
        const brief = briefFixture(fixture);
        expect(brief.language, fixture.name).toBe(fixture.expected.language);
        const summary = fold(brief.summary.join(' '));
        for (const name of fixture.expected.summaryShouldMention) {
          mentions++;
          if (summary.includes(fold(name))) mentioned++;
        }
      }
      expect(mentioned / mentions).toBeGreaterThanOrEqual(bar);
    }
  });
});
