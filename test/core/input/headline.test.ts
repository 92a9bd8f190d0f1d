import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageHeadline, withoutSiteName } from '../../../src/core/input/headline.js';
import { parseHtml } from '../../../src/core/input/html.js';

describe("a page's headline", () => {
  it.each([
    ['Quake hits Japan coast | World News', []],
    ['Quake hits Japan coast - BBC News', ['bbc']],
    ['Quake hits Japan coast – The Daily Ledger', ['thedailyledger']],
    ['The Daily Ledger | Quake hits Japan coast', ['thedailyledger']],
    ['Quake hits Japan coast | World | The Daily Ledger', ['thedailyledger']],
  ])('%s loses the site and section names', (title, sites) => {
    expect(withoutSiteName(title, sites)).toBe('Quake hits Japan coast');
  });

  it('keeps separators that belong to the headline', () => {
    expect(withoutSiteName('Biden - Putin summit ends without a deal', [])).toBe(
      'Biden - Putin summit ends without a deal',
    );
    expect(withoutSiteName('Macron: "Nous tiendrons"', [])).toBe('Macron: "Nous tiendrons"');
  });

  it('is the <h1> when the page titles agree with it, else og:title or <title> cleaned', () => {
    const base = {
      readability: null,
      siteName: 'The Daily Ledger',
      url: 'https://ledger.example/q',
    };
    expect(
      pageHeadline({
        ...base,
        title: 'Quake hits Japan coast | World News',
        h1: 'Quake hits Japan coast',
        meta: null,
      }),
    ).toBe('Quake hits Japan coast');
    expect(
      pageHeadline({
        ...base,
        title: 'Ledger',
        h1: 'The Daily Ledger',
        meta: 'Quake hits Japan coast | Ledger',
      }),
    ).toBe('Quake hits Japan coast');
  });
});

describe('an HTML page with a decorated title, a byline, a caption and share bars', () => {
  const article = parseHtml(
    readFileSync(new URL('../../fixtures/input/quake-page.html', import.meta.url), 'utf8'),
    { url: 'https://ledger.example/world/quake' },
  );

  it('has the headline without the site suffix', () => {
    expect(article.title).toBe('Quake hits Japan coast');
  });

  it('keeps the lead paragraph first, without the headline, byline or caption before it', () => {
    expect(article.text).toMatch(/^A magnitude 7\.1 earthquake struck/);
    for (const junk of ['Aiko Tanaka', 'Residents gather', 'Kyodo/Reuters'])
      expect(article.text).not.toContain(junk);
  });
});
