import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { mapped } from '../../src/shared/arrays.js';

// V8's own probes of an object's hidden class ("map") and of a function's tier, made
// callable here: functions compiled after the flag is set may use the % syntax.
setFlagsFromString('--allow-natives-syntax');
const natives = (body: string) => new Function('a', 'b', body);
const haveSameMap = natives('return %HaveSameMap(a, b);') as (a: unknown, b: unknown) => boolean;
const prepare = natives('%PrepareFunctionForOptimization(a);');
const optimiseNext = natives('%OptimizeFunctionOnNextCall(a);');

/** What `producer` returns before and after V8 optimises it (with `inner` inlined in it). */
function beforeAndAfterOptimising<T>(producer: () => T, ...inner: unknown[]): [T, T] {
  const before = producer();
  for (const f of [producer, ...inner]) prepare(f);
  producer();
  optimiseNext(producer);
  return [before, producer()];
}

describe('mapped (Array.prototype.map with one array shape in every tier)', () => {
  it('maps each item with its index, in order', () => {
    expect(mapped(['a', 'b', 'c'], (s, i) => `${s}${i}`)).toEqual(['a0', 'b1', 'c2']);
    expect(mapped([], () => 1)).toEqual([]);
  });

  it('returns an array of the same hidden class before and after its caller is optimised', () => {
    const words = ['Rome', 'Paris', 'Berlin'];
    const [before, after] = beforeAndAfterOptimising(() => mapped(words, (w) => ({ w })), mapped);
    expect(after).toEqual(before);
    expect(haveSameMap(before, after)).toBe(true);
  });

  it('is needed: the built-in map changes the array it returns once optimised', () => {
    // If V8 ever makes these agree, `mapped` can go back to `.map`.
    const words = ['Rome', 'Paris', 'Berlin'];
    const [before, after] = beforeAndAfterOptimising(() => words.map((w) => ({ w })));
    expect(haveSameMap(before, after)).toBe(false);
  });
});
