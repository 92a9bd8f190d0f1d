import type { Lexicon, WordSets } from '../lexicon/index.js';
import { isAllCaps, isCapitalised } from '../text/fold.js';
import { type Sentence, splitSentences } from '../text/sentences.js';
import { type Token, tokenize } from '../text/tokens.js';

/** A token with what the tagger needs to know about its place in the text. */
export interface DocToken extends Token {
  index: number;
  sentence: number;
  /** First word of a sentence, or right after an opening quote or colon: its capital says nothing. */
  initial: boolean;
  capitalised: boolean;
  allCaps: boolean;
}

/** One text prepared for tagging: tokens, sentences and the words seen in lower case. */
export interface Doc {
  text: string;
  lang: string;
  tokens: DocToken[];
  keys: string[];
  sentences: Sentence[];
  /** Folded words that occur in lower case somewhere: a capitalised one is then an ordinary word. */
  lowercaseWords: Set<string>;
  words: WordSets;
  lexicon: Lexicon;
}

const OPENERS = new Set([
  '«',
  '“',
  '„',
  '"',
  '‘',
  "'",
  '(',
  '[',
  ':',
  '—',
  '–',
  '-',
  '‹',
  '¿',
  '¡',
  '•',
]);

export function prepare(text: string, lang: string, lexicon: Lexicon): Doc {
  const sentences = splitSentences(text, lang);
  const raw = tokenize(text);
  const tokens: DocToken[] = [];
  const lowercaseWords = new Set<string>();
  let s = 0;
  let wordInSentence = false;
  for (const [index, t] of raw.entries()) {
    while (s < sentences.length - 1 && t.start >= (sentences[s]?.end ?? 0)) {
      s++;
      wordInSentence = false;
    }
    const prev = raw[index - 1];
    const initial = t.word && (!wordInSentence || (prev !== undefined && OPENERS.has(prev.text)));
    if (t.word) wordInSentence = true;
    const capitalised = t.word && isCapitalised(t.text);
    if (t.word && !capitalised && /^\p{Ll}/u.test(t.text)) lowercaseWords.add(t.key);
    tokens.push({
      ...t,
      index,
      sentence: s,
      initial,
      capitalised,
      allCaps: t.word && isAllCaps(t.text),
    });
  }
  return {
    text,
    lang,
    tokens,
    keys: tokens.map((t) => t.key),
    sentences,
    lowercaseWords,
    words: lexicon.words(lang),
    lexicon,
  };
}
