import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileSafeRegex,
  foldForMatch,
  RegexError,
} from '../../../src/core/filters/safe-regex.js';

describe('compileSafeRegex: the same answers as JavaScript', () => {
  const patterns = [
    'abc',
    'a|b|cd',
    'a.c',
    '^ab',
    'ab$',
    'a*b',
    'a+b+',
    'a?b?c',
    '(ab)+c',
    '(?:a|bc)*d',
    'a{2}',
    'a{2,}b',
    'a{1,3}c',
    '[abc]+',
    '[^a ]+b',
    '[a-c]{2}',
    '\\d+',
    '\\s\\w',
    '\\bab\\b',
    '\\Ba',
    '(a|ab)(c|bcd)',
    '(?<x>b)c',
    'a+?b',
    'x*',
    '',
  ];
  const texts = fc.string({
    unit: fc.constantFrom('a', 'b', 'c', 'd', ' ', '1', '\n'),
    maxLength: 24,
  });

  it.each(patterns)('/%s/', (pattern) => {
    const ours = compileSafeRegex(pattern);
    const native = new RegExp(pattern, 'imu');
    fc.assert(
      fc.property(texts, (text) => {
        expect(ours.test(text)).toBe(native.test(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('compileSafeRegex: linear time on the patterns that hang JavaScript', () => {
  const text = `${'a'.repeat(5000)}!`;
  it.each([
    '.*a.*a.*b',
    '(a|aa)+b',
    '(a|a)+b',
    '\\w+\\w+\\w+x',
    '(?:a?){50}a{50}b',
    'a*a*a*a*a*a*b',
    '(a|b?){20}a{20}c',
  ])('/%s/ on 5,000 characters', (pattern) => {
    const re = compileSafeRegex(pattern);
    const started = performance.now();
    expect(re.test(text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('compileSafeRegex: refusals', () => {
  it.each([
    ['(a+)+', 'has nested quantifiers such as (a+)+, which are not allowed'],
    ['(a*)*b', 'has nested quantifiers such as (a+)+, which are not allowed'],
    ['(?:\\w+\\s?){3}', 'has nested quantifiers such as (a+)+, which are not allowed'],
    ['(a)\\1', 'uses a backreference, which is not allowed'],
    ['(?<n>a)\\k<n>', 'uses a backreference, which is not allowed'],
    ['a(?=b)', 'uses a lookaround like (?=…), which is not allowed'],
    ['a(?!b)', 'uses a lookaround like (?=…), which is not allowed'],
    ['(?<!a)b', 'uses a lookaround like (?=…), which is not allowed'],
    ['a{101}', 'counts above {100} are not allowed'],
    ['a{3,2}', 'has a count {3,2} out of order'],
    ['a**', 'has a quantifier with nothing to repeat'],
    ['+a', 'has a quantifier with nothing to repeat'],
    ['^*', 'has a quantifier with nothing to repeat'],
    ['(ab', 'has a ( without its )'],
    ['ab)', 'has a ) without its ('],
    ['[ab', 'has a [ without its ]'],
    ['a\\', 'ends with a lone \\'],
    ['\\q', 'has an unknown escape \\q'],
    ['a{x}', 'has a { that starts no count like {2,5} (write \\{ for the character)'],
    ['(?i:a)', 'has an unknown group (?i'],
    ['x'.repeat(201), 'is longer than 200 characters'],
    [
      '(((a{0,100}){0,100}){0,100})?',
      'has nested quantifiers such as (a+)+, which are not allowed',
    ],
    [
      '(?:a{100}|b{100}|c{100}|d{100}|e{100}|f{100}|g{100}|h{100}|i{100}|j{100}|k{100}|l{100}|m{100}|n{100}|o{100}|p{100}|q{100}|r{100}|s{100}|t{100})',
      'is too complex (too many repetitions or alternatives)',
    ],
  ])('/%s/: %s', (pattern, message) => {
    expect(() => compileSafeRegex(pattern)).toThrow(RegexError);
    expect(() => compileSafeRegex(pattern)).toThrow(message);
  });

  it('allows bounded repetition of repetition-free groups and optional groups', () => {
    expect(compileSafeRegex('(ab?)+c').test('abac')).toBe(true);
    expect(compileSafeRegex('(a+)?b').test('aab')).toBe(true);
  });
});

describe('compileSafeRegex: folding', () => {
  it('ignores case and accents in text and pattern', () => {
    expect(compileSafeRegex('séoul').test('SEOUL')).toBe(true);
    expect(compileSafeRegex('SEOUL').test('à Séoul')).toBe(true);
    expect(compileSafeRegex('[À-Ý]orée').test('la Corée')).toBe(true);
    expect(foldForMatch('Ünïcödé')).toBe('unicode');
  });

  it('knows letters of every script for \\w and \\b', () => {
    expect(compileSafeRegex('\\bкиев\\b').test('Новости: Киев сегодня')).toBe(true);
    expect(compileSafeRegex('^\\w+$').test('Łódź')).toBe(true);
    expect(compileSafeRegex('[\\w]{4}').test('Киев')).toBe(true);
  });

  it('supports unicode property classes and escapes', () => {
    expect(compileSafeRegex('\\p{Script=Cyrillic}+').test('abc Киев')).toBe(true);
    expect(compileSafeRegex('\\u00e9t\\x65').test('ete')).toBe(true);
  });
});
