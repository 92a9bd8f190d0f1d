import type { Token } from './text/tokens.js';

/**
 * A content-word stem of one article, numbered: 0, 1, 2… in the order the article's
 * Vocabulary first met them. The summariser asks of every unit which terms it shares with
 * the headline and with the units chosen so far, some 4,000 questions a brief: as ids they
 * are reads of a byte array indexed by id (`termMarks`), not hash-set probes of strings. An
 * id means nothing outside its article's Vocabulary.
 */
export type TermId = number & { readonly __termId: unique symbol };

/**
 * A unit's or a headline's terms: each id once, in the order its text first says it — the
 * order a set of the stems would iterate in, which every sum over them keeps (termStats).
 */
export type Terms = readonly TermId[];

/** A crude stem: enough to see "ratificare" and "ratificato" as one term. */
export function stem(key: string): string {
  return key.length > 6 ? key.slice(0, 6) : key;
}

/** One article's content-word stems, each numbered once: one per article, its units and headline. */
export class Vocabulary {
  readonly #stopwords: ReadonlySet<string>;
  readonly #ids = new Map<string, TermId>();
  /** The stem of each id. */
  readonly #stems: string[] = [];
  /**
   * Per id, the number of the last list that took it: a list takes each id once, told by one
   * read instead of a search of the list. Lists are numbered from 1, so no id has been taken.
   */
  #takenBy = new Int32Array(256);
  #lists = 0;

  /** `stopwords`: the article's language's, never a term. */
  constructor(stopwords: ReadonlySet<string>) {
    this.#stopwords = stopwords;
  }

  /** The id of a stem, numbered now if the article has not said it before. */
  id(stem: string): TermId {
    const known = this.#ids.get(stem);
    if (known !== undefined) return known;
    const id = this.#stems.length as TermId;
    this.#ids.set(stem, id);
    this.#stems.push(stem);
    if (id >= this.#takenBy.length) this.#grow();
    return id;
  }

  /** Apart from `id`, which runs once per content word: kept small, it is inlined. */
  #grow(): void {
    const grown = new Int32Array(this.#takenBy.length * 2);
    grown.set(this.#takenBy);
    this.#takenBy = grown;
  }

  /** The content-word terms of token runs read one after the other (a quotation's sentences). */
  terms(runs: readonly (readonly Token[])[]): TermId[] {
    const list = ++this.#lists;
    const out: TermId[] = [];
    for (const tokens of runs)
      for (const t of tokens) {
        // Not /^\d/: asked of every token of the article.
        const c = t.key.charCodeAt(0);
        if (!t.word || t.key.length <= 2 || (c >= 48 && c <= 57) || this.#stopwords.has(t.key))
          continue;
        const id = this.id(stem(t.key));
        if (this.#takenBy[id] === list) continue;
        this.#takenBy[id] = list;
        out.push(id);
      }
    return out;
  }

  /** The stem an id stands for. */
  stem(id: TermId): string {
    const s = this.#stems[id];
    if (s === undefined) throw new RangeError(`term ${id} is not of this vocabulary`);
    return s;
  }
}

/**
 * The length of an array indexed by the ids `units` hold (their terms and antecedents, see
 * UnitFacts) and those of `more`: one more than the highest. Counted from the ids
 * themselves, so that no caller hands a size that a later id outgrows.
 */
export function termSpace(
  units: readonly { terms: Terms; antecedent?: TermId | undefined }[],
  more: Terms,
): number {
  let top = -1;
  for (const u of units) {
    for (const t of u.terms) if (t > top) top = t;
    if (u.antecedent !== undefined && u.antecedent > top) top = u.antecedent;
  }
  for (const t of more) if (t > top) top = t;
  return top + 1;
}

/** A byte per id of `space`: 1 for the ids of `terms`, 0 for the others. */
export function termMarks(terms: Terms, space: number): Uint8Array {
  const marks = new Uint8Array(space);
  for (const t of terms) marks[t] = 1;
  return marks;
}
