import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/render.js';
import { actor, briefArb, briefWith, referenceBrief } from '../../core/render/briefs.js';
import {
  FORBIDDEN_INVISIBLE,
  LONE_SURROGATE,
  parseTelegramHtml,
} from '../../core/render/inspect.js';

const LIMIT = 4096;

function checkMessages(messages: string[]): string[] {
  expect(messages.length).toBeGreaterThanOrEqual(1);
  expect(messages.length).toBeLessThanOrEqual(3);
  return messages.map((message) => {
    expect(message.length).toBeLessThanOrEqual(LIMIT);
    expect(message).not.toMatch(LONE_SURROGATE);
    const { text, hrefs } = parseTelegramHtml(message);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(FORBIDDEN_INVISIBLE);
    // Zero-width spaces only where one breaks an @username (feed text brings none).
    expect(text.replace(/@\u200b/g, '@')).not.toMatch(/\u200b/);
    // No @username outside a link would mention anyone.
    expect(text.replace(/https?:\/\/[^\s<>"]+/g, '')).not.toMatch(/@[A-Za-z0-9_]/);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    return text;
  });
}

describe('Telegram rendering', () => {
  it('renders the reference brief as one message', () => {
    expect(render(referenceBrief(), 'telegram')).toEqual([
      [
        '<b><a href="https://news.example/esteri/belousov-pyongyang?ref=rss&amp;utm=1">Belousov in Corea del nord, Umerov a Seul: la guerra si allarga</a></b>',
        '<i>Esteri Oggi · 29 Nov 2024, 08:00 UTC</i>',
        '',
        '• Il ministro della Difesa russo Andrei Belousov è atterrato a Pyongyang, accolto da No Kwang Chol.',
        '• Nelle stesse ore Rustem Umerov ha incontrato a Seul il presidente Yoon Suk-yeol.',
        '',
        '<b>People</b>',
        '• Andrei Belousov — capo della Difesa della Federazione russa',
        '• Rustem Umerov — ministro della Difesa ucraino',
        '• Yoon Suk-yeol — presidente sudcoreano',
        '• No Kwang Chol',
        '<b>Organisations:</b> G7',
        '<b>Countries:</b> Corea del nord, Russia',
        '<b>Places:</b> Pyongyang, Seul',
        '',
        '#Belousov #Umerov #Pyongyang',
      ].join('\n'),
    ]);
  });

  it('escapes a hostile headline exactly', () => {
    const [first] = render(
      briefWith({
        title: '<script>alert("x")</script> & <b>Tom</b>\u202e &amp; \u200bJerry\n\t>',
        url: 'https://e.x/a?b=1&c="q"',
        summary: [],
        actors: [],
        tags: [],
        source: null,
        publishedAt: null,
      }),
      'telegram',
    );
    expect(first).toBe(
      '<b><a href="https://e.x/a?b=1&amp;c=%22q%22">&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;Tom&lt;/b&gt; &amp;amp; Jerry &gt;</a></b>',
    );
  });

  it('links the headline only to http and https urls', () => {
    for (const url of [
      'javascript:alert(1)',
      'tg://resolve?domain=x',
      'ftp://e.x/',
      'nope',
      null,
    ]) {
      const [first = ''] = render(briefWith({ url }), 'telegram');
      expect(first).not.toContain('<a ');
      expect(first.startsWith('<b>Belousov')).toBe(true);
    }
  });

  it('leaves out a link too long to show rather than overflowing the message', () => {
    const url = `https://e.x/?${'&'.repeat(2030)}`;
    const messages = render(briefWith({ url, title: '<'.repeat(5000) }), 'telegram');
    checkMessages(messages);
    expect(messages[0]).not.toContain('<a ');
    const [ok = ''] = render(briefWith({ url: `https://e.x/?${'&'.repeat(400)}` }), 'telegram');
    expect(ok).toContain('<a href="https://e.x/?&amp;&amp;');
  });

  it('shows actors without a role compactly and caps a long list', () => {
    const many = Array.from({ length: 14 }, (_, i) => actor(`p${i}`, `Place ${i}`, 'place', null));
    const [message = ''] = render(briefWith({ actors: many }), 'telegram');
    expect(message).toContain(
      '<b>Places:</b> Place 0, Place 1, Place 2, Place 3, Place 4, Place 5, Place 6, Place 7, Place 8, Place 9, +4 more',
    );
  });

  it('splits a long brief between sentences, every message balanced and within 4096', () => {
    const sentence = (n: number) =>
      `Sentence ${n} <with> markup & ${'words '.repeat(280)}ends here.`;
    const summary = [sentence(1), sentence(2), sentence(3)];
    const messages = render(briefWith({ summary }), 'telegram');
    const texts = checkMessages(messages);
    expect(messages.length).toBe(2);
    // Each message stops at the end of a sentence, and the next starts a new bullet.
    expect(texts[0]?.trimEnd().endsWith('ends here.')).toBe(true);
    expect(texts[1]?.startsWith('• Sentence 3')).toBe(true);
    for (const s of summary) expect(texts.join('\n')).toContain(s.replace(/ +/g, ' ').trim());
  });

  it('breaks one over-long paragraph at its sentence boundaries', () => {
    const sentences = Array.from(
      { length: 30 },
      (_, i) => `Paragraph sentence number ${i} carries ${'detail '.repeat(30)}and stops.`,
    );
    const messages = render(briefWith({ summary: [sentences.join(' ')], actors: [] }), 'telegram');
    const texts = checkMessages(messages);
    expect(messages.length).toBe(2);
    expect(texts[0]?.trimEnd().endsWith('and stops.')).toBe(true);
    expect(texts[1]?.startsWith('Paragraph sentence number')).toBe(true);
    expect(texts.join(' ')).toContain(sentences.join(' ').replace(/ +/g, ' '));
  });

  it('truncates instead of flooding the chat', () => {
    const huge = 'x'.repeat(3000);
    const summary = Array.from({ length: 20 }, (_, i) => `${i} ${huge}.`);
    const messages = render(briefWith({ summary }), 'telegram');
    checkMessages(messages);
    expect(messages.length).toBe(3);
    expect(messages[2]?.endsWith('…')).toBe(true);
  });

  it('renders a 10 MB headline as one truncated, valid message', () => {
    const started = performance.now();
    const messages = render(briefWith({ title: '&<x>'.repeat(2_500_000) }), 'telegram');
    expect(performance.now() - started).toBeLessThan(5000);
    const [text = ''] = checkMessages(messages);
    expect(text.startsWith('&<x>&<x>')).toBe(true);
    expect(text).toContain('…');
  });

  it('keeps every message valid and within limits for arbitrary briefs', () => {
    fc.assert(
      fc.property(briefArb, (brief) => {
        checkMessages(render(brief, 'telegram'));
      }),
      { numRuns: 300 },
    );
  });
});
