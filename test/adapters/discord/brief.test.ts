import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiscordRender, TitledEmbed } from '../../../src/adapters/discord/render/brief.js';
import { embedTextLength } from '../../../src/adapters/discord/render/brief.js';
import { cleanText } from '../../../src/core/render/text.js';
import { render } from '../../../src/render.js';
import { actor, briefArb, briefWith, referenceBrief } from '../../core/render/briefs.js';
import {
  activeMarkdown,
  FORBIDDEN_INVISIBLE,
  LONE_SURROGATE,
  MENTION,
  shownMarkdown,
  splitActorLine,
} from '../../core/render/inspect.js';

function allTexts(embed: TitledEmbed): string[] {
  return [
    embed.title,
    embed.description ?? '',
    embed.footer?.text ?? '',
    ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
  ];
}

function checkEmbedLimits(embed: TitledEmbed): void {
  expect(embed.title.length).toBeGreaterThan(0);
  expect(embed.title.length).toBeLessThanOrEqual(256);
  expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
  expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(2048);
  expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(25);
  for (const field of embed.fields ?? []) {
    expect(field.name.length).toBeGreaterThan(0);
    expect(field.name.length).toBeLessThanOrEqual(256);
    expect(field.value.length).toBeGreaterThan(0);
    expect(field.value.length).toBeLessThanOrEqual(1024);
  }
  const total = allTexts(embed).reduce((sum, text) => sum + text.length, 0);
  expect(total).toBeLessThanOrEqual(6000);
  expect(embedTextLength(embed)).toBe(total);
  if (embed.url !== undefined) {
    const url = new URL(embed.url);
    expect(['http:', 'https:']).toContain(url.protocol);
    expect(url.username + url.password).toBe('');
  }
  if (embed.timestamp !== undefined) {
    expect(new Date(embed.timestamp).toISOString()).toBe(embed.timestamp);
  }
}

/** Markdown-bearing texts of the embed must carry no markup other than our own. */
function checkEmbedInert(embed: TitledEmbed): void {
  expect(activeMarkdown(embed.title)).toEqual([]);
  for (const line of (embed.description ?? '').split('\n')) {
    expect(line.startsWith('• ') || line === '').toBe(true);
    expect(activeMarkdown(line.slice(2))).toEqual([]);
  }
  for (const field of embed.fields ?? []) {
    for (const line of field.value.split('\n')) {
      const parts = splitActorLine(line);
      if (parts === null) {
        expect(activeMarkdown(line)).toEqual([]);
      } else {
        expect(activeMarkdown(parts.name)).toEqual([]);
        expect(activeMarkdown(parts.rest)).toEqual([]);
      }
    }
  }
}

function checkSafeText(text: string): void {
  expect(text).not.toMatch(MENTION);
  expect(text).not.toMatch(LONE_SURROGATE);
  expect(text).not.toMatch(FORBIDDEN_INVISIBLE);
}

function checkRender({ embed, fallback }: DiscordRender): void {
  checkEmbedLimits(embed);
  checkEmbedInert(embed);
  for (const text of allTexts(embed)) checkSafeText(text);
  expect(fallback.length).toBeGreaterThanOrEqual(1);
  expect(fallback.length).toBeLessThanOrEqual(3);
  for (const message of fallback) {
    expect(message.trim()).not.toBe('');
    expect(message.length).toBeLessThanOrEqual(2000);
    checkSafeText(message);
  }
}

describe('Discord rendering', () => {
  it('renders the reference brief as an embed with actors as fields by kind', () => {
    const { embed, fallback } = render(referenceBrief(), 'discord');
    expect(embed).toEqual({
      title: 'Belousov in Corea del nord, Umerov a Seul: la guerra si allarga',
      url: 'https://news.example/esteri/belousov-pyongyang?ref=rss&utm=1',
      color: expect.any(Number),
      description: [
        '• Il ministro della Difesa russo Andrei Belousov è atterrato a Pyongyang, accolto da No Kwang Chol.',
        '• Nelle stesse ore Rustem Umerov ha incontrato a Seul il presidente Yoon Suk-yeol.',
      ].join('\n'),
      fields: [
        {
          name: 'People',
          value: [
            '**Andrei Belousov** — capo della Difesa della Federazione russa',
            '**Rustem Umerov** — ministro della Difesa ucraino',
            '**Yoon Suk-yeol** — presidente sudcoreano',
            '**No Kwang Chol**',
          ].join('\n'),
          inline: false,
        },
        { name: 'Organisations', value: 'G7', inline: true },
        { name: 'Countries', value: 'Corea del nord, Russia', inline: true },
        { name: 'Places', value: 'Pyongyang, Seul', inline: true },
      ],
      footer: { text: 'Esteri Oggi · #Belousov #Umerov #Pyongyang' },
      timestamp: '2024-11-29T08:00:00.000Z',
    });
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toContain(
      '**Belousov in Corea del nord, Umerov a Seul: la guerra si allarga**',
    );
    expect(fallback[0]).toContain(
      '• **Andrei Belousov** — capo della Difesa della Federazione russa',
    );
    expect(fallback[0]).toContain('<https://news.example/esteri/belousov-pyongyang?ref=rss&utm=1>');
    checkRender({ embed, fallback });
  });

  it('gives a date without a time in words in the footer, not as a timestamp with a time', () => {
    const { embed } = render({ ...referenceBrief(), publishedAt: '2024-11' }, 'discord');
    expect(embed.timestamp).toBeUndefined();
    expect(embed.footer?.text).toBe('Esteri Oggi · Nov 2024 · #Belousov #Umerov #Pyongyang');
  });

  it('escapes a hostile headline exactly and shows it as written', () => {
    const title =
      '# @everyone **FREE** [nitro](https://evil.example) <@123> ||x|| `c` \\ _y_ ~z~ > q';
    const { embed, fallback } = render(briefWith({ title }), 'discord');
    expect(embed.title).toBe(
      '\\# @\u200beveryone \\*\\*FREE\\*\\* \\[nitro\\]\\(https://evil.example\\) <\u200b@123\\> \\|\\|x\\|\\| \\`c\\` \\\\ \\_y\\_ \\~z\\~ \\> q',
    );
    expect(shownMarkdown(embed.title)).toBe(title);
    expect(fallback[0]?.startsWith(`**${embed.title}**`)).toBe(true);
  });

  it('neutralises every mention form in every text', () => {
    const hostile =
      '@everyone @here <@123> <@!123> <@&123> <#123> </cmd:1> @\u200beveryone <\u200b@1>';
    const { embed, fallback } = render(
      briefWith({
        title: hostile,
        source: hostile,
        summary: [hostile],
        actors: [actor('x', hostile, 'person', hostile), actor('y', hostile, 'place', null)],
        tags: [hostile],
        url: 'https://e.x/@everyone/@here',
      }),
      'discord',
    );
    for (const text of [...allTexts(embed), ...fallback]) expect(text).not.toMatch(MENTION);
    expect(fallback.join('\n')).toContain('<https://e.x/%40everyone/%40here>');
  });

  it('sets the url only for http and https links', () => {
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'https://bank.example@evil.example/',
      'x',
    ]) {
      const { embed, fallback } = render(briefWith({ url }), 'discord');
      expect(embed.url).toBeUndefined();
      expect(fallback.join('\n')).not.toContain(url);
    }
  });

  it('keeps the longest acceptable url in the embed and out of an overflowing fallback line', () => {
    const url = `https://e.x/${'@everyone'.repeat(226)}`;
    const rendered = render(briefWith({ url }), 'discord');
    checkRender(rendered);
    expect(rendered.embed.url).toBe(url);
    expect(rendered.fallback.join('\n')).not.toContain('https://e.x/');
  });

  it('fits 60 actors with long roles within the embed limits', () => {
    const actors = Array.from({ length: 60 }, (_, i) =>
      actor(
        `a${i}`,
        `Person ${i} ${'N'.repeat(150)}`,
        i % 2 ? 'person' : 'organization',
        'r'.repeat(400),
      ),
    );
    const rendered = render(briefWith({ actors, summary: ['s '.repeat(3000)] }), 'discord');
    checkRender(rendered);
    expect(rendered.embed.fields?.[0]?.name).toBe('People');
  });

  it('renders a 10 MB headline truncated, valid and fast', () => {
    const started = performance.now();
    const rendered = render(briefWith({ title: '*<@1>_'.repeat(1_700_000) }), 'discord');
    expect(performance.now() - started).toBeLessThan(5000);
    checkRender(rendered);
    expect(rendered.embed.title.endsWith('…')).toBe(true);
  });

  it('keeps embed and fallback within every limit, inert, for arbitrary briefs', () => {
    fc.assert(
      fc.property(briefArb, (brief) => {
        checkRender(render(brief, 'discord'));
      }),
      { numRuns: 300 },
    );
  });

  it('shows the cleaned title as written, or a prefix of it and an ellipsis', () => {
    fc.assert(
      fc.property(briefArb, (brief) => {
        const { embed } = render(brief, 'discord');
        const clean = cleanText(brief.title, 2000) || 'Untitled';
        const shown = shownMarkdown(embed.title);
        if (shown === clean) return;
        expect(shown.endsWith('…')).toBe(true);
        expect(clean.startsWith(shown.slice(0, -1))).toBe(true);
      }),
    );
  });
});
