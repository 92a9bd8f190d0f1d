/**
 * What the tagger asks of a table of word hashes: a value or nothing, and its entries (to
 * write it). A Map is one (what training builds); a model read from a file holds an IntTable.
 */
export interface KeyTable {
  readonly size: number;
  get(key: number): number | undefined;
  entries(): Iterable<readonly [number, number]>;
}

/**
 * A read-only table of int keys (any int32: they are hashes) to values, as a model file stores
 * it: the keys in ascending order (as unsigned numbers) and their values, searched by
 * halves. A model's word tables hold ~20k entries, read once per new spelling. A Map of them
 * cost ~10 ms to build in a cold start (half the keys are outside the small-integer range,
 * so each is a boxed number, and the Map rehashes as it grows), and so did a hash table in
 * typed arrays, whose loop runs interpreted: a search by halves needs nothing built.
 */
export class IntTable implements KeyTable {
  readonly #keys: Int32Array;
  readonly #values: ArrayLike<number>;

  /** Keys in strictly ascending order as unsigned numbers; values[i] is keys[i]'s. */
  constructor(keys: Int32Array, values: ArrayLike<number>) {
    if (values.length !== keys.length)
      throw new RangeError(`${keys.length} keys but ${values.length} values`);
    this.#keys = keys;
    this.#values = values;
  }

  get size(): number {
    return this.#keys.length;
  }

  get(key: number): number | undefined {
    const keys = this.#keys;
    const wanted = key >>> 0;
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = (keys[middle] as number) >>> 0;
      if (at < wanted) low = middle + 1;
      else if (at > wanted) high = middle - 1;
      else return this.#values[middle] as number;
    }
    return undefined;
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.#keys.length; i++)
      yield [this.#keys[i] as number, this.#values[i] as number];
  }
}
