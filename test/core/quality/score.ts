import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { briefArticle } from '../../../src/core/brief.js';
import { parsePlainText } from '../../../src/core/input/plain.js';
import { fold, slug } from '../../../src/core/text/fold.js';
import type { Actor, ActorKind, Brief } from '../../../src/core/types.js';
import { shippedTaggers } from '../../../src/ner/taggers.js';

export interface ExpectedActor {
  name: string;
  kind: ActorKind;
  role: string | null;
  also: string[];
}

export interface Fixture {
  lang: string;
  name: string;
  text: string;
  expected: { language: string; actors: ExpectedActor[]; summaryShouldMention: string[] };
}

export const FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/articles');
export const LATER_DIR = join(import.meta.dirname, '../../fixtures/later');

export function loadFixtures(dir = FIXTURE_DIR): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const lang of readdirSync(dir).sort()) {
    for (const file of readdirSync(join(dir, lang)).sort()) {
      if (!file.endsWith('.txt')) continue;
      const base = file.slice(0, -4);
      fixtures.push({
        lang,
        name: `${lang}/${base}`,
        text: readFileSync(join(dir, lang, file), 'utf8'),
        expected: JSON.parse(readFileSync(join(dir, lang, `${base}.expected.json`), 'utf8')),
      });
    }
  }
  return fixtures;
}

export interface Score {
  truePositives: number;
  expected: number;
  predicted: number;
  rolesRight: number;
  rolesExpected: number;
  misses: string[];
  extras: string[];
  wrongRoles: string[];
}

const words = (s: string) =>
  new Set(
    fold(s)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );

/** A predicted role is right when it holds the expected phrase's words, or most of them. */
export function roleMatches(expected: string, predicted: string | null): boolean {
  if (!predicted) return false;
  const e = words(expected);
  const p = words(predicted);
  let shared = 0;
  for (const w of e) if (p.has(w)) shared++;
  return shared / Math.max(1, e.size) >= 0.6 && shared / Math.max(1, p.size) >= 0.4;
}

function surfaceKeys(a: Actor): Set<string> {
  return new Set([a.name, ...a.aliases].map(fold).concat(a.id.replace(/-/g, ' ')));
}

function matches(e: ExpectedActor, a: Actor): boolean {
  if (e.kind !== a.kind) return false;
  const keys = surfaceKeys(a);
  return [e.name, ...e.also].some((s) => keys.has(fold(s)) || slug(s) === a.id);
}

/** Recall, precision and role accuracy of one brief against hand-written expectations. */
export function scoreBrief(fixture: Fixture, brief: Brief): Score {
  const matched = new Set<Actor>();
  const score: Score = {
    truePositives: 0,
    expected: 0,
    predicted: brief.actors.length,
    rolesRight: 0,
    rolesExpected: 0,
    misses: [],
    extras: [],
    wrongRoles: [],
  };
  for (const e of fixture.expected.actors) {
    score.expected++;
    const a = brief.actors.find((x) => !matched.has(x) && matches(e, x));
    if (e.kind === 'person' && e.role) score.rolesExpected++;
    if (!a) {
      score.misses.push(`${e.kind}:${e.name}`);
      continue;
    }
    matched.add(a);
    score.truePositives++;
    if (e.kind === 'person' && e.role) {
      if (roleMatches(e.role, a.role)) score.rolesRight++;
      else score.wrongRoles.push(`${e.name}: "${a.role}" ≠ "${e.role}"`);
    }
  }
  // Extra actors that are the same thing as a matched one (a second form) are not penalised twice.
  for (const a of brief.actors) if (!matched.has(a)) score.extras.push(`${a.kind}:${a.name}`);
  return score;
}

/** The shipped entity models: the briefs the app makes. */
const tagger = shippedTaggers();

export function briefFixture(f: Fixture): Brief {
  return briefArticle(parsePlainText(f.text), { tagger });
}
