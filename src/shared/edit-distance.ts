/**
 * How far apart two words are, for "did you mean": the config's keys, commands, time zones,
 * CLI options, and the store's /actor search. One implementation for all of them.
 */

// Three rows of the table, reused by every call: /actor measures thousands of candidate
// terms per typo, and a fresh array per row was most of that cost.
let table = new Int32Array(0);

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours), or
 * `limit + 1` as soon as it must exceed `limit` (a whole number): candidates are many,
 * matches are few. Only the cells within `limit` of the diagonal are computed: any other
 * is further than `limit` already. Case-sensitive: callers fold first. UTF-16 code units.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const [n, m] = [a.length, b.length];
  // Every true distance is at most max(n, m): a larger band or cap changes nothing.
  const band = Math.min(limit, Math.max(n, m));
  const cap = band + 1;
  const width = m + 1;
  if (table.length < 3 * width) table = new Int32Array(3 * width);
  // Row offsets: the row before the previous one (for a swap), the previous one, this one.
  let [before, previous, current] = [0, width, 2 * width];
  for (let j = 0; j <= m; j++) table[previous + j] = Math.min(j, cap);
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - band);
    const hi = Math.min(m, i + band);
    table[current] = Math.min(i, cap);
    if (lo > 1) table[current + lo - 1] = cap;
    if (hi < m) table[current + hi + 1] = cap;
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    let rowMin = lo > 1 ? cap : (table[current] as number);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = Math.min(
        (table[previous + j] as number) + 1,
        (table[current + j - 1] as number) + 1,
        (table[previous + j - 1] as number) + (ai === bj ? 0 : 1),
      );
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj) {
        value = Math.min(value, (table[before + j - 2] as number) + 1);
      }
      if (value > cap) value = cap;
      table[current + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(table[previous + m] as number, limit + 1);
}

/**
 * The closest candidate, ignoring case, when it is close enough to be a likely typo (up to
 * a third of the word's length, 1 to 3 edits), else null.
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  const folded = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(folded, candidate.toLowerCase(), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : null;
}
