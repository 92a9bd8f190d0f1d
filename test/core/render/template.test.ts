import { describe, expect, it } from 'vitest';
import { DISCORD_TEMPLATE } from '../../../src/adapters/discord/render/brief.js';
import { TELEGRAM_TEMPLATE } from '../../../src/adapters/telegram/render/brief.js';
import {
  parseTemplate,
  renderTemplate,
  TEXT_TEMPLATE,
  TemplateError,
} from '../../../src/core/render/template.js';
import type { Brief } from '../../../src/core/types.js';
import { actor, referenceBrief } from './briefs.js';

const FOOTER = `{headline}
{summary}
People: {people}
Where: {places}
— {source}, {date} {hashtags}
Read more: {link}`;

const UTC = { language: 'en', timeZone: 'UTC' } as const;

describe('a custom template', () => {
  it('lays out the brief with its literal text, each placeholder filled', () => {
    const brief = referenceBrief();
    expect(renderTemplate(parseTemplate(FOOTER), brief, TEXT_TEMPLATE, UTC)).toBe(
      [
        brief.title,
        `• ${brief.summary[0]}`,
        `• ${brief.summary[1]}`,
        'People: Andrei Belousov (capo della Difesa della Federazione russa), Rustem Umerov (ministro della Difesa ucraino), Yoon Suk-yeol (presidente sudcoreano), No Kwang Chol',
        'Where: Corea del nord, Russia, Pyongyang, Seul',
        '— Esteri Oggi, 29 Nov 2024, 08:00 UTC #Belousov #Umerov #Pyongyang',
        `Read more: ${brief.url}`,
      ].join('\n'),
    );
  });

  it('leaves out a line whose placeholders are all empty', () => {
    const brief: Brief = { ...referenceBrief(), actors: [], publishedAt: null };
    const text = renderTemplate(parseTemplate(FOOTER), brief, TEXT_TEMPLATE, UTC);
    expect(text).not.toMatch(/People:|Where:/);
    expect(text).toContain('— Esteri Oggi,  #Belousov');
  });

  const HOSTILE: Brief = {
    ...referenceBrief(),
    title: `@everyone <b>bold</b> **x** <@123> ${'long '.repeat(1000)}`,
    source: '@here <i>',
    summary: Array.from({ length: 3 }, (_, i) => `Bullet ${i} @everyone ${'word '.repeat(300)}`),
    actors: [actor('x', '@everyone <script>', 'person', '<b>boss</b>')],
  };

  it('escapes every value for Telegram HTML, and pings no one', () => {
    const html = renderTemplate(
      parseTemplate(`${FOOTER}\nFooter @everyone <u>`),
      HOSTILE,
      TELEGRAM_TEMPLATE,
    );
    expect(html).not.toMatch(/<(?!\/?b>)/); // the only tags: the headline's <b>
    expect(html).toContain('@\u200beveryone &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('People: @\u200beveryone &lt;script&gt; (&lt;b&gt;boss&lt;/b&gt;)');
    expect(html).toContain('Footer @\u200beveryone &lt;u&gt;');
    expect(html).not.toMatch(/@everyone|@here/);
    expect(html.length).toBeLessThanOrEqual(4096);
  });

  it('escapes every value for Discord markdown, and pings no one', () => {
    const md = renderTemplate(parseTemplate(FOOTER), HOSTILE, DISCORD_TEMPLATE);
    expect(md).not.toMatch(/@everyone|@here|<@123>/);
    expect(md).toContain('\\*\\*x\\*\\*');
    expect(md.length).toBeLessThanOrEqual(2000);
  });

  it('over the platform limit, loses its last summary bullets, whole', () => {
    const md = renderTemplate(parseTemplate(FOOTER), HOSTILE, DISCORD_TEMPLATE);
    // Each bullet is ~600 characters: two fit Discord's 2,000 with the rest, three do not.
    expect(md.match(/^• /gm)).toHaveLength(2);
    expect(md).toMatch(/^• Bullet 1 .*…$/m);
    expect(md).toContain('Read more: <https://news.example/');
    const html = renderTemplate(parseTemplate(FOOTER), HOSTILE, TELEGRAM_TEMPLATE);
    expect(html.match(/^• /gm)).toHaveLength(3);
  });

  it('is refused with the reason: an unknown placeholder, a lone brace, none at all', () => {
    expect(() => parseTemplate('{headline} {autor}')).toThrow(
      new TemplateError(
        '{autor} is no placeholder; there are {headline} {link} {source} {date} {summary} {people} {organisations} {places} {hashtags} {image}',
      ),
    );
    expect(() => parseTemplate('{headline')).toThrow(/without its "}"/);
    expect(() => parseTemplate('just words')).toThrow(/at least one placeholder/);
    expect(parseTemplate('{{literal}} {title}').lines[0]).toEqual([
      { kind: 'text', text: '{literal} ' },
      { kind: 'field', name: 'headline' },
    ]);
  });
});
