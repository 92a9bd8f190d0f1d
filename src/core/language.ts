import { codeUnitClasses } from './text/code-units.js';
/** The languages the engine knows words for; any other still gets a brief. */
export const KNOWN_LANGUAGES = ['it', 'en', 'fr', 'de', 'es'] as const;

/** About a paragraph: enough for a reliable answer, and detection cost stays flat. */
const SAMPLE = 600;

// The most frequent function words of each language. A paragraph of news carries dozens
// of them, so counting them names the five languages the engine reads without loading a
// general detector; close relatives are listed so that they are never mistaken for one
// of the five (Portuguese for Spanish, Catalan for Italian, Dutch for German).
const FUNCTION_WORDS: Record<string, string> = {
  it: 'il lo la le gli i di del della delle degli dei nel nella nei negli alla alle ai agli al che è e per non con una un sono anche più ha questo questa come ma si da dal dalla sul sulla hanno stato essere ed perché già in a',
  en: 'the of and to in is that for it with was on as by at from his her are be this have has which were said not but they been would a an',
  fr: 'le la les des du de et est une un que qui dans pour pas sur au aux avec ce il elle sont ont été par mais plus son ses cette leur ne nous aussi en à',
  de: 'der die das und ist den dem nicht ein eine zu mit sich auf für von im des auch es wird wurde sind bei nach aus am zum zur hat in',
  es: 'el la los las de del que y en un una por con para es se su sus al lo como más pero fue ha este esta son entre sobre muy también está ya hay desde cuando sin según tras a',
  pt: 'o os a as do da dos das de em no na não um uma com para que é ao pelo pela foi são mais como também já',
  ca: 'el els la les del de i que amb per és una un als dels també però més va seva molt',
  nl: 'de het een van en is dat op te niet met voor zijn er die ook werd naar bij in',
  ro: 'și în la cu pe care este un o din pentru că nu mai fost sunt de',
};

const languageOf = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
  for (const word of words.split(' '))
    languageOf.set(word, [...(languageOf.get(word) ?? []), lang]);
}
/** A longer word is no function word: rank makes no substring to look it up. */
const LONGEST_FUNCTION_WORD = Math.max(...[...languageOf.keys()].map((w) => w.length));

interface Detector {
  detect(text: string): { language: string; isReliable(): boolean };
}

let general: Detector | null = null;
let loading: Promise<void> | null = null;

/**
 * Loads the general detector (eld) for languages beyond the five and for texts too short
 * to judge by their function words. It is a large table, so it loads on demand:
 * long-running processes call this once at start; `briefwire brief` only when it must.
 */
export function loadLanguageDetector(): Promise<void> {
  loading ??= import('eld/extrasmall').then(({ eld }) => {
    general = eld;
  });
  return loading;
}

/**
 * Loads the general detector if detectLanguage would need it for this text (an article's
 * title and text): the function words do not place it and the detector is not loaded yet.
 * A long-running process calls it before each brief, so the ~30 MB detector is held only
 * once an article needs it, not from start.
 */
export async function loadLanguageDetectorFor(text: string): Promise<void> {
  if (general === null && knownLanguageOf(text) === null) await loadLanguageDetector();
}

/** Function-word scores of the languages the text's words belong to, best first. */
function rank(text: string): { ranked: [string, number][]; words: number } {
  const counts = new Map<string, number>();
  let words = 0;
  const lower = sample(text).toLowerCase();
  // The runs of letters and apostrophes (/[\p{L}']+/gu), scanned by hand: no match object
  // per word.
  let i = 0;
  while (i < lower.length) {
    const start = i;
    while (i < lower.length) {
      const width = wordCharWidth(lower, i);
      if (width === 0) break;
      i += width;
    }
    if (i === start) {
      i += codeWidth(lower, i);
      continue;
    }
    words++;
    if (i - start > LONGEST_FUNCTION_WORD) continue;
    // A word several languages share counts for each of them in proportion.
    const langs = languageOf.get(lower.slice(start, i));
    if (langs)
      for (const lang of langs) counts.set(lang, (counts.get(lang) ?? 0) + 1 / langs.length);
  }
  return { ranked: [...counts].sort((a, b) => b[1] - a[1]), words };
}

/** One letter or "'": what rank counts words of. */
const WORD_CHAR = /^[\p{L}']$/u;
/** WORD_CHAR per UTF-16 code unit outside the surrogates: 1 or 0. */
const wordChar = codeUnitClasses((ch) => (WORD_CHAR.test(ch) ? 1 : 0));

/** The width (1 or 2 code units) of the letter or apostrophe at `i`, or 0. */
function wordCharWidth(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdfff) {
    const width = codeWidth(text, i);
    return WORD_CHAR.test(text.slice(i, i + width)) ? width : 0;
  }
  return wordChar(code);
}

/** 2 for a surrogate pair at `i`, else 1. */
function codeWidth(text: string, i: number): number {
  return (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
}

const isKnown = (lang: string | undefined) =>
  lang !== undefined && (KNOWN_LANGUAGES as readonly string[]).includes(lang);

/** True when the function words alone name one of the five languages for this text. */
export function knownLanguageOf(text: string): string | null {
  const { ranked, words } = rank(text);
  const [top, second] = ranked;
  if (!top || !isKnown(top[0])) return null;
  const confident = top[1] >= 4 && top[1] >= 1.6 * (second?.[1] ?? 0) && top[1] >= 0.06 * words;
  return confident ? top[0] : null;
}

/** A weaker reading for short texts when the general detector is not loaded. */
function likelyKnownLanguage(text: string): string | null {
  const [top, second] = rank(text).ranked;
  if (!top || !isKnown(top[0])) return null;
  return top[1] >= 1.5 && top[1] > 1.2 * (second?.[1] ?? 0) ? top[0] : null;
}

/**
 * The article's language as an ISO 639-1 code, or "und". The five languages the engine
 * reads are recognised by their function words; anything else needs the general
 * detector (see loadLanguageDetector). A caller's hint (a feed's declared language)
 * decides only when the text itself cannot.
 */
export function detectLanguage(text: string, hint?: string | null): string {
  const known = knownLanguageOf(text);
  if (known) return known;
  const declared = normaliseHint(hint);
  if (general) {
    const result = general.detect(sample(text));
    if (result.language && (result.isReliable() || !declared)) return result.language;
    return declared ?? 'und';
  }
  return declared ?? likelyKnownLanguage(text) ?? 'und';
}

/**
 * The text detectLanguage reads of an article: its title, then as much of its text as the
 * sample can hold. Detection reads only the sample, so the answer is the same as for the
 * whole article, but the whole text is not joined to the title (a copy of the article,
 * made as the sample is cut from the joined string).
 */
export function articleSample(title: string, text: string): string {
  return `${title}\n${text.slice(0, SAMPLE)}`;
}

function sample(text: string): string {
  return text.length > SAMPLE ? text.slice(0, text.lastIndexOf(' ', SAMPLE)) : text;
}

function normaliseHint(hint: string | null | undefined): string | null {
  const code = hint?.trim().slice(0, 2).toLowerCase();
  return code && /^[a-z]{2}$/.test(code) ? code : null;
}
