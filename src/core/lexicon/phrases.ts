import { fold } from '../text/fold.js';
import { tokenize } from '../text/tokens.js';

/**
 * A bitmap of the hashes of a set of keys: `mayHold` false means the key is surely not in
 * the set. Most words of a text start no name and no phrase, and a few KB of bits say so
 * without a probe of the set's hash table, whose probes miss the processor's cache once
 * the entity model's tables have been read (several memory reads each; the bitmap, one).
 */
export class KeyFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  /** `size` (a power of two) bits: some ten per key keep false positives under 10 %. */
  constructor(keys: Iterable<string>, size: number) {
    this.#bits = new Uint32Array(Math.max(1, size >>> 5));
    this.#mask = size - 1;
    for (const key of keys) {
      const bit = this.#bit(key);
      this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
  }

  mayHold(key: string): boolean {
    const bit = this.#bit(key);
    return ((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }

  /** FNV-1a over the key's characters, mixed: words are short, so this is cheap. */
  #bit(key: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    return (h >>> 0) & this.#mask;
  }
}

/**
 * A phrase's folded keys as running text reads them: its words tokenised, except that an
 * elided particle on its own ("d'", "dell'") is one token in running text. The lexicon's
 * phrases are keyed by scripts/build-lexicon.mjs with this very function.
 */
export function phraseKeys(phrase: string): string[] {
  return phrase
    .split(' ')
    .flatMap((part) => (/['’]$/.test(part) ? [fold(part)] : tokenize(part).map((t) => t.key)));
}

/** Multi-word phrases indexed by their first folded token. */
export class PhraseSet {
  readonly #byFirst = new Map<string, (readonly string[])[]>();
  readonly #firsts: KeyFilter;

  /** Each phrase as its folded keys (`phraseKeys`), in the order the word list gives them. */
  constructor(phrases: Iterable<readonly string[]>) {
    for (const keys of phrases) {
      const first = keys[0];
      if (first === undefined) continue;
      const list = this.#byFirst.get(first);
      if (list) list.push(keys);
      else this.#byFirst.set(first, [keys]);
    }
    // Longest first, phrases of one length in the order given (the sort is stable): once
    // at the end, not after every phrase.
    for (const list of this.#byFirst.values())
      if (list.length > 1) list.sort((a, b) => b.length - a.length);
    this.#firsts = new KeyFilter(this.#byFirst.keys(), 1 << 13);
  }

  /** Length in tokens of the longest phrase starting at `keys[at]`, or 0. */
  matchAt(keys: readonly string[], at: number): number {
    const key = keys[at] ?? '';
    if (!this.#firsts.mayHold(key)) return 0;
    const candidates = this.#byFirst.get(key);
    if (!candidates) return 0;
    for (const phrase of candidates) if (startsAt(phrase, keys, at)) return phrase.length;
    return 0;
  }

  has(key: string): boolean {
    return this.#byFirst.get(key)?.some((p) => p.length === 1) ?? false;
  }
}

/** Whether keys[at…] starts with `phrase`: a loop, not `every` with a closure per call. */
function startsAt(phrase: readonly string[], keys: readonly string[], at: number): boolean {
  for (let i = 0; i < phrase.length; i++) if (keys[at + i] !== phrase[i]) return false;
  return true;
}
