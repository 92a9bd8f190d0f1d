/** The languages the engine knows words for; any other still gets a brief. */
export const KNOWN_LANGUAGES = ['it', 'en', 'fr', 'de', 'es'] as const;

/** About a paragraph: enough for a reliable answer, and detection cost stays flat. */
const SAMPLE = 600;

// The most frequent function words of each language. A paragraph of news carries dozens
// of them, so counting them names the five languages the engine reads without loading a
// general detector; close relatives are listed so that they are never mistaken for one
// of the five (Portuguese for Spanish, Catalan for Italian, Dutch for German).
const FUNCTION_WORDS: Record<string, string> = {
  it: 'il gli della delle degli dei nel nella nei negli alla alle ai agli che è sono anche più questo questa dal dalla sul sulla hanno stato essere ed perché già',
  en: 'the of and to that for with was on as by at from his her are be this have has which were said not but they been would',
  fr: 'le les des du et est une qui dans pour pas sur au aux avec ce elle sont ont été par mais plus ses cette leur ne nous aussi',
  de: 'der die das und ist den dem nicht ein eine zu mit sich auf für von im des auch wird wurde sind bei nach aus zum zur hat',
  es: 'los las y por su sus más pero fue este esta muy también está ya hay desde cuando sin según tras ante durante',
  pt: 'o os do dos das em não um uma ao pelo pela foi são também já',
  ca: 'els i amb és als dels també però més va seva molt',
  nl: 'het een van dat op niet met voor zijn ook werd naar bij',
  ro: 'și în cu pe care este din pentru că fost sunt',
};

const languageOf = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
  for (const word of words.split(' '))
    languageOf.set(word, [...(languageOf.get(word) ?? []), lang]);
}

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

/** True when the function words alone name one of the five languages for this text. */
export function knownLanguageOf(text: string): string | null {
  const counts = new Map<string, number>();
  let words = 0;
  for (const m of sample(text)
    .toLowerCase()
    .matchAll(/[\p{L}']+/gu)) {
    words++;
    for (const lang of languageOf.get(m[0]) ?? []) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || !(KNOWN_LANGUAGES as readonly string[]).includes(top[0])) return null;
  const confident = top[1] >= 5 && top[1] >= 2 * (second?.[1] ?? 0) && top[1] >= 0.08 * words;
  return confident ? top[0] : null;
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
  }
  return declared ?? 'und';
}

function sample(text: string): string {
  return text.length > SAMPLE ? text.slice(0, text.lastIndexOf(' ', SAMPLE)) : text;
}

function normaliseHint(hint: string | null | undefined): string | null {
  const code = hint?.trim().slice(0, 2).toLowerCase();
  return code && /^[a-z]{2}$/.test(code) ? code : null;
}
