// Fixture actor quality, rules vs model: `npx tsx bench/quality-model.ts [--extras]`.
import { briefArticle } from '../src/core/brief.js';
import { parsePlainText } from '../src/core/input/plain.js';
import { loadLanguageDetector } from '../src/core/language.js';
import { shippedTaggers } from '../src/ner/taggers.js';
import { LATER_DIR, loadFixtures, scoreBrief } from '../test/core/quality/score.js';

await loadLanguageDetector();
const tagger = shippedTaggers();
const showExtras = process.argv.includes('--extras');
for (const [set, dir] of [
  ['fixtures', undefined],
  ['later', LATER_DIR],
] as const) {
  for (const mode of ['rules', 'model'] as const) {
    const t = new Map<string, [number, number, number, number, number]>();
    for (const f of loadFixtures(dir)) {
      const brief = briefArticle(parsePlainText(f.text), mode === 'model' ? { tagger } : {});
      const s = scoreBrief(f, brief);
      if (showExtras && mode === 'model' && (s.extras.length || s.misses.length))
        console.log(`  ${f.name} extra ${s.extras.join(', ')} | miss ${s.misses.join(', ')}`);
      for (const k of [f.lang, 'all']) {
        const a = t.get(k) ?? [0, 0, 0, 0, 0];
        a[0] += s.truePositives;
        a[1] += s.expected;
        a[2] += s.predicted;
        a[3] += s.rolesRight;
        a[4] += s.rolesExpected;
        t.set(k, a);
      }
    }
    for (const [k, a] of t)
      console.log(
        `${set} ${mode} ${k.padEnd(3)} R ${(a[0] / a[1]).toFixed(3)} P ${(a[0] / a[2]).toFixed(3)} roles ${(a[3] / a[4]).toFixed(3)}`,
      );
  }
}
