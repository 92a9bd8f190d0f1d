import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeDiscord } from '../../../src/adapters/discord/render/escape.js';
import { escapeHtml, escapeHtmlAttribute } from '../../../src/adapters/telegram/render/escape.js';
import { feedText, feedUrl } from '../../../src/core/render/feed-text.js';
import { cleanText, splitSentences } from '../../../src/core/render/text.js';
import { truncate, truncateHtml, truncateMarkdown } from '../../../src/core/render/truncate.js';
import { hostileText } from './briefs.js';
import { activeMarkdown, FORBIDDEN_INVISIBLE, LONE_SURROGATE, shownMarkdown } from './inspect.js';

describe('feed text outside briefs (feedText, feedUrl)', () => {
  it('is one clean line in which no @username mentions anyone; links keep their @', () => {
    const shown = feedText('Ask \u202e@jack_smith\u202c\nat https://x.example/@jack_smith\u0007');
    expect(shown).toBe('Ask @\u200bjack_smith at https://x.example/@jack_smith');
    expect(feedText(shown)).toBe(shown);
  });

  it('links only what a brief would link', () => {
    expect(feedUrl('https://bank.example@evil.example/login')).toBeNull();
    expect(feedUrl('javascript:alert(1)')).toBeNull();
    expect(feedUrl(' https://news.example/a b ')).toBe('https://news.example/a%20b');
  });
});

describe('cleaning feed text', () => {
  it('strips control, zero-width and bidi-override characters and collapses whitespace', () => {
    expect(
      cleanText(
        '\u202eevil\u202c  \u200bhead\u200dline\ufeff\t\r\n\u001b[31mred\u0007 \u2066x\u2069',
        100,
      ),
    ).toBe('evil headline x');
  });

  it('drops terminal escape sequences whole, not only their ESC', () => {
    expect(cleanText('\u001b]0;owned\u0007\u001b[2JHead\u009b31mline', 100)).toBe('Headline');
  });

  it('turns lone surrogates into U+FFFD and keeps real pairs', () => {
    expect(cleanText('a\ud800b\udc00c😀', 100)).toBe('a\ufffdb\ufffdc😀');
  });

  it('returns an empty string for non-strings from malformed JSON', () => {
    expect(cleanText(null, 10)).toBe('');
    expect(cleanText(42, 10)).toBe('');
  });

  it('marks text cut for being enormous even when what remains is short', () => {
    const cleaned = cleanText(`${' '.repeat(5_000_000)}tail`, 50);
    expect(cleaned.length).toBeLessThanOrEqual(50);
    expect(cleaned.endsWith('…')).toBe(true);
  });

  it('always yields one well-formed, bounded line free of invisible characters', () => {
    fc.assert(
      fc.property(hostileText(300), fc.integer({ min: 1, max: 120 }), (raw, max) => {
        const cleaned = cleanText(raw, max);
        expect(cleaned.length).toBeLessThanOrEqual(max);
        expect(cleaned).not.toMatch(LONE_SURROGATE);
        expect(cleaned).not.toMatch(FORBIDDEN_INVISIBLE);
        expect(cleaned).not.toMatch(/[\n\u200b]|\s\s|^\s|\s$/);
      }),
    );
  });
});

describe('truncation', () => {
  it('never cuts a surrogate pair in half', () => {
    expect(truncate('ab😀😀', 4)).toBe('ab…');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.nat(70), (text, max) => {
        const cut = truncate(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).not.toMatch(LONE_SURROGATE);
        if (text.length <= max) expect(cut).toBe(text);
      }),
    );
  });

  it('never cuts an HTML entity in half', () => {
    expect(truncateHtml(escapeHtml('Tom & Jerry'), 8)).toBe('Tom…');
    fc.assert(
      fc.property(hostileText(60), fc.integer({ min: 1, max: 200 }), (raw, max) => {
        const cut = truncateHtml(escapeHtml(cleanText(raw, 1000)), max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[&<>]/);
        expect(cut).not.toMatch(LONE_SURROGATE);
      }),
    );
  });

  it('never leaves a dangling markdown escape', () => {
    expect(truncateMarkdown(escapeDiscord('ab*cd'), 4)).toBe('ab…');
    fc.assert(
      fc.property(hostileText(60), fc.integer({ min: 1, max: 200 }), (raw, max) => {
        const cut = truncateMarkdown(escapeDiscord(cleanText(raw, 1000)), max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(activeMarkdown(cut)).toEqual([]);
        expect(cut).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});

describe('escaping', () => {
  it('escapes text and attributes for Telegram HTML', () => {
    expect(escapeHtml('<b>"Tom" & Jerry</b>')).toBe('&lt;b&gt;"Tom" &amp; Jerry&lt;/b&gt;');
    expect(escapeHtmlAttribute('https://e.x/?a=1&b="2"')).toBe(
      'https://e.x/?a=1&amp;b=&quot;2&quot;',
    );
  });

  it('makes Discord markdown and mentions inert', () => {
    expect(escapeDiscord('# **Big** _news_ ~~x~~ `c` ||s|| > q [l](https://e.x) \\')).toBe(
      '\\# \\*\\*Big\\*\\* \\_news\\_ \\~\\~x\\~\\~ \\`c\\` \\|\\|s\\|\\| \\> q \\[l\\]\\(https://e.x\\) \\\\',
    );
    expect(escapeDiscord('1. first')).toBe('1\\. first');
    expect(escapeDiscord('-# small')).toBe('\\-# small');
    expect(escapeDiscord('@everyone @Here <@123> <@!1> <@&2> <#3> </cmd:1>')).toBe(
      '@\u200beveryone @\u200bHere <\u200b@123\\> <\u200b@!1\\> <\u200b@&2\\> <\u200b#3\\> <\u200b/cmd:1\\>',
    );
  });

  it('shows exactly the cleaned text once Discord has read the escapes', () => {
    fc.assert(
      fc.property(hostileText(80), (raw) => {
        const clean = cleanText(raw, 1000);
        const escaped = escapeDiscord(clean);
        expect(activeMarkdown(escaped)).toEqual([]);
        expect(shownMarkdown(escaped)).toBe(clean);
      }),
    );
  });
});

describe('sentence splitting', () => {
  it('keeps punctuation with its sentence', () => {
    expect(splitSentences('One. Two? Three! Four… five')).toEqual([
      'One.',
      'Two?',
      'Three!',
      'Four…',
      'five',
    ]);
  });
});
