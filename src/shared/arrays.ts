/**
 * `items.map(f)`, as an array of one shape however V8 runs the caller.
 *
 * V8's optimised `Array.prototype.map` makes a holey array where the unoptimised one makes a
 * packed one (and a `filter` of a holey array is holey too). Code that reads the result,
 * optimised while its producer was not, is thrown away ("wrong map") once the producer is
 * optimised and hands it the other kind of array: in the brief that kept the engine
 * re-optimising for its first ~3,000 briefs. Built by `push`, the array is packed in every tier.
 */
export function mapped<T, U>(items: readonly T[], f: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) out.push(f(items[i] as T, i));
  return out;
}
