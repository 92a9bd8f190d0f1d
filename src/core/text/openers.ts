/**
 * Words that point back to something said before: a pronoun ("Il vise désormais…"), a
 * possessive, a demonstrative or a connective ("Mais le gouvernement…"). A sentence that
 * opens with one reads wrong without the sentence before it. Folded (lower case, no
 * accents), as tokens' keys are.
 */
const OPENERS: Record<string, readonly string[]> = {
  en: [
    'he',
    'she',
    'it',
    'they',
    'his',
    'her',
    'its',
    'their',
    'him',
    'them',
    'this',
    'these',
    'those',
    'that',
    'such',
    'but',
    'however',
    'also',
    'yet',
    'still',
    'meanwhile',
    'instead',
    'moreover',
    'furthermore',
    'besides',
    'nevertheless',
    'and',
    'so',
    'then',
    'there',
    'both',
    'thus',
    'hence',
  ],
  fr: [
    'il',
    'elle',
    'ils',
    'elles',
    'lui',
    'leur',
    'leurs',
    'son',
    'sa',
    'ses',
    'ce',
    'cette',
    'ces',
    'celui',
    'celle',
    'ceux',
    'celles',
    'cela',
    'ca',
    'c',
    'mais',
    'cependant',
    'toutefois',
    'pourtant',
    'neanmoins',
    'aussi',
    'ensuite',
    'puis',
    'alors',
    'donc',
    'or',
    'et',
    'ainsi',
  ],
  it: [
    'lui',
    'lei',
    'loro',
    'egli',
    'ella',
    'esso',
    'essa',
    'questo',
    'questa',
    'questi',
    'queste',
    'quello',
    'quella',
    'ma',
    'pero',
    'tuttavia',
    'inoltre',
    'anche',
    'poi',
    'quindi',
    'invece',
    'allora',
    'cio',
    'suo',
    'sua',
    'suoi',
    'sue',
    'e',
    'cosi',
  ],
  de: [
    'er',
    'sie',
    'es',
    'ihr',
    'ihre',
    'ihren',
    'ihrem',
    'ihm',
    'ihn',
    'dies',
    'diese',
    'dieser',
    'dieses',
    'diesen',
    'jene',
    'aber',
    'doch',
    'jedoch',
    'auch',
    'dann',
    'daher',
    'deshalb',
    'trotzdem',
    'ausserdem',
    'dabei',
    'damit',
    'darauf',
    'dort',
    'sein',
    'seine',
    'seinen',
    'seinem',
    'und',
    'so',
  ],
  es: [
    'el',
    'ella',
    'ellos',
    'ellas',
    'su',
    'sus',
    'este',
    'esta',
    'estos',
    'estas',
    'ese',
    'esa',
    'eso',
    'esto',
    'pero',
    'ademas',
    'tambien',
    'luego',
    'entonces',
    'asi',
    'alli',
    'aquel',
    'aquella',
    'y',
  ],
};

// "It is …", "Il y a", "Es gibt": impersonal, pointing at nothing. Spanish "El" is the
// article unless accented ("Él"), so it counts only when written "Él"; Italian "E" is the
// connective ("E poi…") but "È" (also typed "E'") is the verb ("È una giornata storica"),
// which points at nothing: folding makes both "e", so the written form decides.
const IMPERSONAL: Record<string, RegExp> = {
  en: /^it (?:is|was) (?:not |also )?(?:unclear|not clear|expected|likely|unlikely|possible|believed|thought|understood|estimated|the first|the second|the third|time)\b/,
  fr: /^il (?:y a|faut|s'agit d'une?|est (?:possible|probable|prevu|temps|question))\b/,
  de: /^es (?:gibt|ist (?:nicht |noch )?(?:unklar|moglich|geplant|das erste|der erste|die erste))\b/,
  es: /^el\b/,
};

/**
 * Demonstratives that are also determiners: "Questa riforma indebolisce il Parlamento"
 * opens with a noun phrase that names what it points back to, not with a pronoun that
 * points at nothing ("Questa è…", "Dies bedeutet…"). Each form with how the noun after it may end,
 * where the language marks gender and number on it (a verb after "questo" rarely agrees:
 * "Questo significa…"); French "cette"/"ces" are determiners only, but "ces derniers" is
 * "the latter". German nouns are capitalised, which says it outright.
 */
const DETERMINERS: Record<string, ReadonlyMap<string, RegExp>> = {
  en: new Map([
    // "This means", "That led": a verb in -s or -ed after "this"/"that" makes a pronoun.
    ['this', /^(?!.*(?:[^su]s|ed)$)/],
    ['that', /^(?!.*(?:[^su]s|ed)$)/],
    ['these', /./],
    ['those', /./],
  ]),
  fr: new Map([
    ['cette', /^(?!dernier)/],
    ['ces', /^(?!dernier)/],
  ]),
  it: new Map([
    ['questo', /[oe]$|[^aeiou]$/],
    ['quello', /[oe]$|[^aeiou]$/],
    ['questa', /[ae]$/],
    ['quella', /[ae]$/],
    ['questi', /i$/],
    ['queste', /[ei]$/],
  ]),
  es: new Map([
    ['este', /[oe]$|[^aeiouns]$/],
    ['esta', /a$/],
    ['estos', /[oe]s$/],
    ['estas', /[ae]s$/],
    ['ese', /[oe]$|[^aeiouns]$/],
    ['esa', /a$/],
  ]),
  de: new Map([
    ['diese', /./],
    ['dieser', /./],
    ['dieses', /./],
    ['diesen', /./],
  ]),
};

/**
 * The noun after a demonstrative determiner that opens a sentence ("riforma" in "Questa
 * riforma indebolisce il Parlamento"), folded; undefined when the opening is not one (the
 * word after it is a stopword, another pointer, or not of the shape the form asks for).
 * The sentence still points back, but to something it names: it reads right once the
 * reader has seen that word (the summariser checks the headline and the units shown).
 */
export function demonstrativeNoun(
  keys: readonly string[],
  lang: string,
  secondText: string | undefined,
  stopwords: ReadonlySet<string>,
): string | undefined {
  const [first, next] = keys;
  const shape = first === undefined ? undefined : DETERMINERS[lang]?.get(first);
  if (!shape || !next || stopwords.has(next) || OPENERS[lang]?.includes(next)) return undefined;
  if (lang === 'de')
    return secondText !== undefined && /^\p{Lu}/u.test(secondText) ? next : undefined;
  return shape.test(next) ? next : undefined;
}

const sets = new Map<string, Set<string>>();

/**
 * Whether a sentence whose first words are `keys` (folded, punctuation left out) opens
 * with a word that needs the sentence before it.
 */
export function opensWithPointer(
  keys: readonly string[],
  lang: string,
  firstText: string,
): boolean {
  const list = OPENERS[lang];
  if (!list || keys.length === 0) return false;
  let set = sets.get(lang);
  if (!set) {
    set = new Set(list);
    sets.set(lang, set);
  }
  const first = keys[0] as string;
  if (!set.has(first)) return false;
  if (lang === 'es' && first === 'el') return firstText === 'Él';
  if (lang === 'it' && first === 'e') return firstText === 'E' || firstText === 'e';
  const opening = keys.slice(0, 6).join(' ').replace(/ ' /g, "'");
  return !IMPERSONAL[lang]?.test(opening);
}
