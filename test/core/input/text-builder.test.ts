import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeParagraphs } from '../../../src/core/input/normalize.js';
import { TextBuilder } from '../../../src/core/input/text-builder.js';

/** What an HTML reading hands the builder, in order. */
type Event =
  | { text: string }
  | { pre: string }
  | { br: true }
  | { paragraph: true }
  | { cell: true };

/**
 * The specification: the clean-up as nodeToText did it, in passes over the assembled text
 * (text outside <pre> collapsed, then each line's spaces, trim, then normalizeParagraphs).
 */
function reference(events: Event[]): string {
  const raw = events
    .map((e) => {
      if ('text' in e) return e.text.replace(/[ \t\n\r\f]+/g, ' ');
      if ('pre' in e) return e.pre;
      if ('br' in e) return '\n';
      if ('paragraph' in e) return '\n\n';
      return ' ';
    })
    .join('');
  const lines = raw
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n');
  return normalizeParagraphs(lines);
}

function built(events: Event[]): string {
  const builder = new TextBuilder();
  for (const e of events) {
    if ('text' in e) builder.text(e.text);
    else if ('pre' in e) builder.preText(e.pre);
    else if ('br' in e) builder.lineBreak();
    else if ('paragraph' in e) builder.paragraphBreak();
    else builder.space();
  }
  return builder.finish();
}

/** Words, every kind of space and line end, and the characters dropped after trim. */
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'é', '—', '北', '😀', '.', '\0') },
  {
    weight: 6,
    arbitrary: fc.constantFrom(' ', '  ', '\t', '\n', '\r', '\r\n', '\f', '\v', '\u00a0'),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '\u00ad',
      '\u200b',
      '\u2060',
      '\ufeff',
      '\u2028',
      '\u2029',
      '\u3000',
      '\u2009',
      '\u202f',
      '\u1680',
      '\u0085',
      '\u180e',
    ),
  },
);
const chunk = fc.array(char, { maxLength: 8 }).map((cs) => cs.join(''));
const event: fc.Arbitrary<Event> = fc.oneof(
  { weight: 5, arbitrary: chunk.map((text) => ({ text })) },
  { weight: 3, arbitrary: chunk.map((pre) => ({ pre })) },
  { weight: 1, arbitrary: fc.constant({ br: true as const }) },
  { weight: 1, arbitrary: fc.constant({ paragraph: true as const }) },
  { weight: 1, arbitrary: fc.constant({ cell: true as const }) },
);

describe('TextBuilder', () => {
  it('gives what the clean-up in passes gives, on any text, breaks and spaces', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 14 }), (events) => {
        expect(built(events)).toBe(reference(events));
      }),
      { numRuns: 20_000 },
    );
  });

  it('treats every UTF-16 code unit as trim and the clean-up do', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const events of [
        [{ text: `a ${ch} b` }, { br: true }, { text: ` ${ch}` }],
        [{ pre: `a${ch}\u00a0${ch}  b ${ch}` }, { paragraph: true }, { pre: `${ch}\n x` }],
      ] as Event[][]) {
        const expected = reference(events);
        if (built(events) !== expected) expect(built(events), `U+${c.toString(16)}`).toBe(expected);
      }
    }
  });

  it('reads a feed description’s text as paragraphs', () => {
    const text = new TextBuilder();
    text.paragraphBreak();
    text.text('  The talks in ');
    text.text('Seoul\n');
    text.text(' went on\u00a0for ');
    text.text('“');
    text.text('hours');
    text.paragraphBreak();
    text.paragraphBreak();
    text.text('Read more');
    text.lineBreak();
    text.text(' below\u200b ');
    text.paragraphBreak();
    expect(text.finish()).toBe('The talks in Seoul went on for “hours\n\nRead more\nbelow');
  });

  it('keeps line breaks and inner spaces inside <pre>, and reads a CR as a line end', () => {
    const text = new TextBuilder();
    text.preText('  a  b\n\n\n  c\r d \r\n');
    expect(text.finish()).toBe('a b\n\nc\n d');
  });
});
