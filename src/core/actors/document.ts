import { mapped } from '../../shared/arrays.js';
import type { Lexicon, WordSets } from '../lexicon/index.js';
import { type Sentence, splitSentences } from '../text/sentences.js';
import { SENTENCE_OPENERS, type Token, tokenize } from '../text/tokens.js';

/** A token placed in its sentence: `initial` (first word, or after an opening quote or a
 * colon) means its capital says nothing. */
export type DocToken = Token;

/** One text prepared for tagging: its tokens and sentences. */
export interface Doc {
  text: string;
  lang: string;
  tokens: DocToken[];
  keys: string[];
  sentences: Sentence[];
  /** The tokens of each sentence, in order: one list per sentence of `sentences`. */
  sentenceTokens: DocToken[][];
  words: WordSets;
  lexicon: Lexicon;
}

export function prepare(text: string, lang: string, lexicon: Lexicon): Doc {
  const sentences = splitSentences(text, lang);
  const tokens = tokenize(text) as DocToken[];
  // Each sentence's tokens, cut from the list once the sentence is passed: a sentence's
  // tokens are consecutive, and one slice of the right length costs less than a push per
  // token into an array that grows.
  const sentenceTokens: DocToken[][] = [];
  let from = 0;
  let s = 0;
  let sentenceEnd = sentences[0]?.end ?? 0;
  let wordInSentence = false;
  for (let index = 0; index < tokens.length; index++) {
    const t = tokens[index] as DocToken;
    while (s < sentences.length - 1 && t.start >= sentenceEnd) {
      sentenceTokens.push(tokens.slice(from, index));
      from = index;
      s++;
      sentenceEnd = sentences[s]?.end ?? 0;
      wordInSentence = false;
    }
    // Not tokens[-1]: a negative index is a named-property lookup, and once this load has
    // seen one it stays on V8's slow generic path for every token.
    const prev = index > 0 ? tokens[index - 1] : undefined;
    t.sentence = s;
    t.initial =
      t.word &&
      // Every opener is punctuation: a word before says so without a lookup.
      (!wordInSentence || (prev !== undefined && !prev.word && SENTENCE_OPENERS.has(prev.text)));
    if (t.word) wordInSentence = true;
  }
  // The last sentence with tokens takes the rest; any after it hold none.
  if (sentences.length > 0) sentenceTokens.push(tokens.slice(from));
  while (sentenceTokens.length < sentences.length) sentenceTokens.push([]);
  return {
    text,
    lang,
    tokens,
    keys: mapped(tokens, (t) => t.key),
    sentences,
    sentenceTokens,
    words: lexicon.words(lang),
    lexicon,
  };
}

const lowercaseOf = new WeakMap<Doc, ReadonlySet<string>>();

/**
 * The folded words that occur in lower case somewhere in the Doc: a capitalised one is then
 * an ordinary word. Made on first read, once per Doc: only the rules' chunker asks, and it
 * does not run when the entity model reads the text. (A WeakMap, not a getter on the Doc:
 * an accessor in the literal puts every Doc in dictionary mode, slowing each read of it.)
 */
export function lowercaseWordsOf(doc: Doc): ReadonlySet<string> {
  let words = lowercaseOf.get(doc);
  if (!words) {
    const set = new Set<string>();
    for (const t of doc.tokens) if (t.lower) set.add(t.key);
    words = set;
    lowercaseOf.set(doc, words);
  }
  return words;
}

const textsOf = new WeakMap<Doc, readonly (readonly string[])[]>();

/**
 * The words of each sentence as the entity model reads them, made once per Doc: the
 * body's tagging and its headline's truecasing both read them.
 */
export function sentenceTexts(doc: Doc): readonly (readonly string[])[] {
  let texts = textsOf.get(doc);
  if (!texts) {
    texts = mapped(doc.sentenceTokens, (tokens) => mapped(tokens, (t) => t.text));
    textsOf.set(doc, texts);
  }
  return texts;
}
