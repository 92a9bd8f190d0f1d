/**
 * The defects a reader notices in a brief, checked on its sentences alone (and, for a
 * dangling opening, the article). Written apart from the engine's own rules, from what the
 * issue lists, so that the evaluation does not grade the engine with its own code.
 */

export type Defect = 'cutQuote' | 'boilerplate' | 'runOn' | 'dangling';
export const DEFECTS: readonly Defect[] = ['cutQuote', 'boilerplate', 'runOn', 'dangling'];

export const RUN_ON_WORDS = 60;

const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/**
 * A quotation cut by the brief: a sentence whose quotation marks do not pair up, counted
 * by kind: straight double quotes must be even; “…” (English, Italian) and „…“ (German)
 * pair, as do «…» and »…« (French, Italian, Spanish, German) and ‹…›. Single quotes are
 * left out: they are apostrophes as often as quotes.
 */
export function cutsQuote(sentence: string): boolean {
  const count = (ch: string) => sentence.split(ch).length - 1;
  if (count('"') % 2 === 1) return true;
  const low = count('„');
  const curlyBalanced = low > 0 ? low === count('“') + count('”') : count('“') === count('”');
  return !curlyBalanced || count('«') !== count('»') || count('‹') !== count('›');
}

const BOILERPLATE: readonly RegExp[] = [
  /appeared first on/i,
  /\b(?:read more|related:|see also|click here|sign up for|subscribe to)\b/i,
  /\bleggi anche\b|\bleggi l'articolo\b|\biscriviti\b/i,
  /\blesen sie (?:auch|mehr)\b|\bmehr zum thema\b|\bnewsletter abonnieren\b/i,
  /\blire aussi\b|\bà lire aussi\b|\babonnez-vous\b/i,
  /\blee también\b|\blea también\b|\bsuscríbete\b/i,
  /share this|facebook\s*twitter|emailfacebook|whatsapp\s*(?:twitter|facebook|email)/i,
  /\((?:reuters|ap|afp|efe|ansa|dpa|cnn|epa)\)\.?\s*[-–—]/i,
  /^\s*\((?:cnn|reuters|ap|afp)\)/i,
  /\b(?:reporting|editing|writing) by\b/i,
  /\bREUTERS\s*\/|\bgetty images\b|\b(?:photo|foto|bild|image)\s*(?:credit)?\s*[:©]/i,
  /\bdetailansicht öffnen\b|\benlarge this image\b|\btoggle caption\b/i,
  /©|\bcopyright\b|\ball rights reserved\b/i,
  /\b(?:published|updated|last updated):/i,
  /^\s*by \.|daily mail reporter/i,
];

export function hasBoilerplate(sentence: string): boolean {
  return BOILERPLATE.some((re) => re.test(sentence));
}

// Words that point back: a sentence opening with one needs the one before it.
const DANGLING: Record<string, string[]> = {
  en: 'he she it they his her its their him them this these those that such but however also yet still meanwhile instead moreover furthermore besides nevertheless and so then there'.split(
    ' ',
  ),
  fr: "il elle ils elles lui leur leurs son sa ses ce cette ces celui celle ceux mais cependant toutefois pourtant néanmoins aussi ensuite puis alors donc or c' cela ça".split(
    ' ',
  ),
  it: 'lui lei loro egli ella esso essa questo questa questi queste quello quella ma però tuttavia inoltre anche poi quindi invece allora ciò suo sua suoi sue'.split(
    ' ',
  ),
  de: 'er sie es ihr ihre ihren ihm ihn dies diese dieser dieses jene aber doch jedoch auch dann daher deshalb trotzdem außerdem dabei damit darauf dort sein seine seinen'.split(
    ' ',
  ),
  es: 'él ella ellos ellas su sus este esta estos estas ese esa eso pero además también luego entonces así allí aquel aquella'.split(
    ' ',
  ),
};

/** The first word of a sentence, lower-cased, without opening quotes or brackets. */
function firstWord(sentence: string): string {
  const m = /^[\s"'«»“”„‘’([–—-]*([\p{L}]+(?:['’])?)/u.exec(sentence);
  return (m?.[1] ?? '').toLowerCase();
}

/** Demonstratives that may be determiners ("Cette réforme…", "Questa riforma…"). */
const DEMONSTRATIVES = new Set(
  'this these those that cette ces questa questo questi queste quella quello diese dieser dieses diesen este esta estos estas ese esa'.split(
    ' ',
  ),
);

/**
 * A brief sentence opening with a pronoun or connective whose antecedent is not shown:
 * the sentence just before it in the article is not in the brief. A demonstrative + noun
 * ("Ces plaintes concernent…") names what it points to: it dangles only when neither the
 * headline nor an earlier bullet (`shown`) has said that noun.
 */
export function dangles(
  sentence: string,
  lang: string,
  previousShown: boolean,
  shown = '',
): boolean {
  if (previousShown) return false;
  const pair = /^[\s"'«»“”„‘’([–—-]*([\p{L}]+)\s+([\p{L}]{4,})/u.exec(sentence);
  if (pair && DEMONSTRATIVES.has((pair[1] as string).toLowerCase())) {
    const noun = (pair[2] as string).toLowerCase().slice(0, 5);
    if (shown.toLowerCase().includes(noun)) return false;
  }
  const list = DANGLING[lang];
  if (!list) return false;
  const first = firstWord(sentence);
  const opening = sentence.replace(/^[\s"«“„]+/, '');
  // "It is believed …"/"Il y a"/"Es gibt": impersonal, not a pointer.
  if (
    /^(?:il y a|il faut|es gibt|it (?:is|was) (?:believed|thought|expected|unclear|not clear|likely|understood))\b/i.test(
      opening,
    )
  )
    return false;
  if (lang === 'es' && /^sin embargo\b/i.test(opening)) return true;
  return list.includes(first) || list.includes(first.replace(/['’]$/, "'"));
}

export function isRunOn(sentence: string): boolean {
  return words(sentence) > RUN_ON_WORDS;
}

/** A bullet the brief ended at a clause boundary: the article's words up to there and "…". */
export function endedEarly(bullet: string, text: string): boolean {
  return bullet.endsWith('…') && !text.includes(bullet);
}

/**
 * Which defects a brief's bullets show, in an article (`title`, `text`, `lang`); `markers`
 * are injected strings it must not carry.
 */
export function defectsOf(
  a: { title: string; text: string; lang: string },
  bullets: readonly string[],
  markers: readonly string[] = [],
): Set<Defect> {
  const found = new Set<Defect>();
  let previousEnd = -1;
  for (const b of bullets) {
    if (cutsQuote(b)) found.add('cutQuote');
    if (hasBoilerplate(b) || markers.some((m) => m && b.includes(m))) found.add('boilerplate');
    if (isRunOn(b)) found.add('runOn');
    const shownText = endedEarly(b, a.text) ? b.slice(0, -1) : b;
    const at = a.text.indexOf(shownText);
    const before = at >= 0 ? a.text.slice(0, at) : '';
    const first = at >= 0 && !/[.!?…]/.test(before);
    const adjacent = at >= 0 && previousEnd >= 0 && a.text.slice(previousEnd, at).trim() === '';
    const shown = [a.title, ...bullets.slice(0, bullets.indexOf(b))].join(' ');
    if (!first && dangles(b, a.lang, adjacent, shown)) found.add('dangling');
    if (at >= 0) previousEnd = at + shownText.length;
  }
  return found;
}

export { words as countWords };
