import { fold } from './fold.js';

export interface Token {
  text: string;
  /** Folded form (lower case, no accents): what lexicon lookups compare. */
  key: string;
  start: number;
  end: number;
  word: boolean;
}

// A word: letters or digits, with inner hyphens, apostrophes and dots between single
// letters kept ("Suk-yeol", "O'Brien", "U.S"), so names stay whole.
const TOKEN =
  /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:[-‐'’][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*|[^\s\p{L}\p{N}]/gu;

// Elided articles and prepositions that glue onto the next word: "l'Ucraina",
// "dell'Onu", "d'Ukraine", "qu'il". A capitalised single letter other than L is left
// alone, so "D'Alema" and "N'Golo" stay names.
const ELISION =
  /^(?:l|d|dell|dall|nell|sull|all|coll|degl|dagl|negl|sugl|agl|un|quest|quell|c|j|m|n|s|t|qu|lorsqu|puisqu|jusqu|presqu|quelqu|tutt|sant)$/;

/** Splits text into word and punctuation tokens with their offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const start = m.index;
    // English possessive: "Hungary's" is "Hungary" + "'s".
    if (/^\p{Lu}.*['’]s$/u.test(raw)) {
      push(tokens, raw.slice(0, -2), start, true);
      push(tokens, raw.slice(-2), start + raw.length - 2, false);
      continue;
    }
    const apostrophe = raw.search(/['’]/);
    const head = raw.slice(0, apostrophe);
    if (apostrophe > 0 && ELISION.test(head.toLowerCase()) && !/^[A-KM-Z]$/.test(head)) {
      push(tokens, raw.slice(0, apostrophe + 1), start, false);
      push(tokens, raw.slice(apostrophe + 1), start + apostrophe + 1, true);
      continue;
    }
    push(tokens, raw, start, /^[\p{L}\p{N}]/u.test(raw));
  }
  return tokens;
}

function push(tokens: Token[], text: string, start: number, word: boolean): void {
  tokens.push({ text, key: fold(text), start, end: start + text.length, word });
}
