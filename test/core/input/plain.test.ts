import { describe, expect, it } from 'vitest';
import { parsePlainText } from '../../../src/core/input/plain.js';

describe('plain text articles', () => {
  it('take the first non-empty line as title and the rest as paragraphs', () => {
    const article = parsePlainText(
      '\n\n  Belousov lands in Pyongyang  \nRussia’s defence minister landed on Friday.   \nHe was met by No Kwang Chol.\n\n\n\nUmerov was in Seoul.\t\n',
    );
    expect(article).toEqual({
      title: 'Belousov lands in Pyongyang',
      text: 'Russia’s defence minister landed on Friday.\nHe was met by No Kwang Chol.\n\nUmerov was in Seoul.',
      url: null,
      source: null,
      publishedAt: null,
      language: null,
    });
  });

  it('read Windows line ends the same as Unix ones', () => {
    const unix = parsePlainText('Title\n\nFirst paragraph.\n\nSecond paragraph.\n');
    const windows = parsePlainText('Title\r\n\r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n');
    expect(windows).toEqual(unix);
    expect(windows.text).toBe('First paragraph.\n\nSecond paragraph.');
  });

  it('turn a leading `date 2024-11` on the title line into publishedAt', () => {
    const article = parsePlainText(
      ' date 2024-11 Belousov in Corea del nord. Umerov in Corea del sud\n\nIeri il capo della Difesa è atterrato a Pyongyang.\n',
    );
    expect(article.title).toBe('Belousov in Corea del nord. Umerov in Corea del sud');
    // A month, as written: no day or midnight nobody gave.
    expect(article.publishedAt).toBe('2024-11');
    expect(article.text).toBe('Ieri il capo della Difesa è atterrato a Pyongyang.');
  });

  it.each([
    ['date: 2024-11-29 Talks in Seoul', '2024-11-29'],
    ['Date 2024-11-29T08:00Z Talks in Seoul', '2024-11-29T08:00:00.000Z'],
    ['DATE 2024-11-29T09:00:00+01:00 — Talks in Seoul', '2024-11-29T08:00:00.000Z'],
    ['date 2024-11-29 08:00 | Talks in Seoul', '2024-11-29T08:00:00.000Z'],
  ])('read the date token in %j', (line, iso) => {
    const article = parsePlainText(`${line}\n\nBody.`);
    expect(article.title).toBe('Talks in Seoul');
    expect(article.publishedAt).toBe(iso);
  });

  it('leave titles that merely start with the word "date" alone', () => {
    expect(parsePlainText('Date palms return to Sicily\n\nBody.').title).toBe(
      'Date palms return to Sicily',
    );
    expect(parsePlainText('Date 2024: the year in review\n\nBody.').title).toBe(
      'Date 2024: the year in review',
    );
  });

  it('take the next line as title when the first holds only the date', () => {
    const article = parsePlainText('date 2024-11-29\nTalks in Seoul\n\nBody.');
    expect(article.title).toBe('Talks in Seoul');
    expect(article.publishedAt).toBe('2024-11-29');
    expect(article.text).toBe('Body.');
  });

  it.each([
    ['Talks in Seoul\ndate 2024-11-29\n\nBody.', '2024-11-29'],
    ['Talks in Seoul\n\nDate: 2024-11-29T08:00Z\n\nBody.', '2024-11-29T08:00:00.000Z'],
    ['Talks in Seoul\ndate 2024-11\nBody.', '2024-11'],
  ])('read a line of only a date after the title as publishedAt: %j', (input, iso) => {
    const article = parsePlainText(input);
    expect(article.title).toBe('Talks in Seoul');
    expect(article.publishedAt).toBe(iso);
    expect(article.text).toBe('Body.');
  });

  it('leave a date line inside the body, or after a dated title, as text', () => {
    const inside = parsePlainText('Talks in Seoul\n\nBody.\n\ndate 2024-11-29\n');
    expect(inside.publishedAt).toBeNull();
    expect(inside.text).toBe('Body.\n\ndate 2024-11-29');
    const twice = parsePlainText('date 2024-11-28 Talks in Seoul\ndate 2024-11-29\n\nBody.');
    expect(twice.publishedAt).toBe('2024-11-28');
    expect(twice.text).toBe('date 2024-11-29\n\nBody.');
  });

  it('keep dates as precise as written: a year, a month, a day, an instant', () => {
    const dated = (date: string) => parsePlainText(`Date: ${date}\n\nTalks.`).publishedAt;
    expect(dated('2024')).toBe('2024');
    expect(dated('2024-11')).toBe('2024-11');
    expect(dated('2024-02-29')).toBe('2024-02-29');
    expect(dated('2023-02-29')).toBeNull();
    expect(dated('2024-11-29 08:00')).toBe('2024-11-29T08:00:00.000Z');
  });

  it('read an email-like header block when the first line is a header', () => {
    const article = parsePlainText(
      [
        'Title: Umerov meets Yoon in Seoul',
        'URL: https://news.example/umerov-seoul',
        'Source: Example Wire',
        'Date: 2024-11-29T08:00:00Z',
        'Language: it-IT',
        '',
        'Umerov ha incontrato Yoon Suk-yeol.',
        '',
        'Second paragraph.',
      ].join('\n'),
    );
    expect(article).toEqual({
      title: 'Umerov meets Yoon in Seoul',
      text: 'Umerov ha incontrato Yoon Suk-yeol.\n\nSecond paragraph.',
      url: 'https://news.example/umerov-seoul',
      source: 'Example Wire',
      publishedAt: '2024-11-29T08:00:00.000Z',
      language: 'it',
    });
  });

  it('take the title from the first line after headers that name none', () => {
    const article = parsePlainText(
      'Source: Example Wire\nDate: Fri, 29 Nov 2024 08:00:00 GMT\n\nTalks in Seoul\n\nBody.',
    );
    expect(article.title).toBe('Talks in Seoul');
    expect(article.source).toBe('Example Wire');
    expect(article.publishedAt).toBe('2024-11-29T08:00:00.000Z');
    expect(article.text).toBe('Body.');
  });

  it('read `Key: value` lines as text when the first line is not a header', () => {
    const article = parsePlainText('Talks in Seoul\n\nSource: officials in Kyiv.\nDate: unclear.');
    expect(article.title).toBe('Talks in Seoul');
    expect(article.source).toBeNull();
    expect(article.text).toBe('Source: officials in Kyiv.\nDate: unclear.');
  });

  it('use the given url when the text names none', () => {
    expect(parsePlainText('T\n\nB', { url: 'https://x.example/a' }).url).toBe(
      'https://x.example/a',
    );
  });

  it('make a one-line text a one-paragraph article', () => {
    const article = parsePlainText('Belousov landed in Pyongyang on Friday.\n');
    expect(article.title).toBe('Belousov landed in Pyongyang on Friday.');
    expect(article.text).toBe('Belousov landed in Pyongyang on Friday.');
  });
});
