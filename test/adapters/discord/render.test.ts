/**
 * Discord rendering, commands and error classification, without a network: every reply and
 * delivery within Discord's limits, outside text inert, slash commands as Discord takes them.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  type DiscordMessage,
  deliveryMessages,
  deliveryNonce,
  discordChannelId,
  discordFailure,
  discordRateLimit,
  feedColor,
  inert,
  messageBody,
  platformLanguage,
  renderDiscordReply,
  slashCommands,
  splitContent,
} from '../../../src/adapters/discord/index.js';
import { DISCORD_LIMITS, embedTextLength } from '../../../src/adapters/discord/render/brief.js';
import type { Reply } from '../../../src/app/commands/index.js';
import type { Actor, Brief } from '../../../src/core/types.js';
import type { Delivery } from '../../../src/store/port.js';
import { brief as storeBrief } from '../../store/helpers.js';

const HOSTILE =
  '@everyone <@123456789012345678> <@&223456789012345678> **bold** [x](https://e.vil)';

function actor(k: number, extra: Partial<Actor> = {}): Actor {
  return {
    id: `actor-${k}`,
    name: `Actor ${k} ${'N'.repeat(40)}`,
    kind: (['person', 'organization', 'country', 'place'] as const)[k % 4] ?? 'person',
    role: `role ${'r'.repeat(150)}`,
    mentions: 1,
    salience: 0.5,
    aliases: [],
    ...extra,
  };
}

/** The store tests' brief, from the feed "Wire" (the embed's colour follows the source). */
function brief(title: string, extra: Partial<Brief> = {}): Brief {
  return storeBrief(title, { source: 'Wire', ...extra });
}

/** A brief as long as feeds can make one: every embed part near its limit. */
const HUGE = brief(`${HOSTILE} ${'T'.repeat(400)}`, {
  summary: Array.from({ length: 3 }, (_, k) => `${HOSTILE} sentence ${k} ${'s'.repeat(1500)}.`),
  actors: Array.from({ length: 60 }, (_, k) => actor(k)),
  tags: Array.from({ length: 5 }, (_, k) => `#Tag${k}`),
});

const BASE = { language: 'en' as const };
const LOCALE = { language: 'en' as const, timeZone: 'UTC' };

function delivery(extra: Partial<Delivery> & Pick<Delivery, 'kind'>): Delivery {
  return {
    id: 42,
    destination: 'discord:123456789012345678',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: new Date(0),
    lastError: null,
    createdAt: new Date('2025-03-14T08:00:00Z'),
    sentAt: null,
    ...extra,
  } as Delivery;
}

/** Every limit Discord checks on one message. */
function expectWithinLimits(message: DiscordMessage): void {
  expect((message.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.message);
  const embeds = message.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(10);
  expect(embeds.reduce((sum, e) => sum + embedTextLength(e), 0)).toBeLessThanOrEqual(
    DISCORD_LIMITS.total,
  );
  for (const embed of embeds) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(field.value.length).toBeGreaterThan(0);
    }
  }
  for (const row of message.buttons ?? []) {
    expect(row.length).toBeLessThanOrEqual(5);
    for (const button of row) {
      expect(button.label.length).toBeLessThanOrEqual(80);
      expect(button.command.length).toBeLessThanOrEqual(100);
    }
  }
  expect((message.buttons ?? []).length).toBeLessThanOrEqual(5);
  // Nothing from outside reads as a mention (button labels are plain text, never parsed).
  const all = JSON.stringify({ content: message.content, embeds: message.embeds });
  expect(all).not.toMatch(/<@[!&]?\d/);
  expect(all).not.toMatch(/@everyone|@here/);
}

describe('inert text', () => {
  it('escapes markdown and breaks mentions, but keeps URLs whole', () => {
    const text = inert('*bold* <@123> @everyone see https://x.example/a_b_c?q=1*2 and _this_');
    expect(text).toContain('\\*bold\\*');
    expect(text).toContain('<\u200b@123');
    expect(text).toContain('@\u200beveryone');
    expect(text).toContain('https://x.example/a_b_c?q=1*2');
    expect(text).toContain('\\_this\\_');
    expect(inert('https://x.example/@everyone')).toBe('https://x.example/%40everyone');
  });

  it('splits long text at line ends into messages of at most 2000 characters', () => {
    const lines = Array.from({ length: 300 }, (_, k) => `line ${k} ${'w'.repeat(30)}`);
    const pieces = splitContent([...lines, 'x'.repeat(4500)].join('\n'));
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    expect(pieces.join('\n').replace(/\n/g, '')).toBe(
      [...lines, 'x'.repeat(4500)].join('').replace(/\n/g, ''),
    );
  });
});

describe('replies', () => {
  const reply = (r: Reply) => renderDiscordReply(r);

  it('keeps every limit for the longest replies, and errors, /help, /feeds and /export private', () => {
    const long = `${HOSTILE}\n`.repeat(120);
    const outputs = [
      reply({ ...BASE, kind: 'text', text: long }),
      reply({ ...BASE, kind: 'error', code: 'usage', text: long }),
      reply({ ...BASE, kind: 'feeds', text: long, feeds: [], digest: null }),
      reply({
        ...BASE,
        kind: 'briefs',
        text: '',
        locale: LOCALE,
        briefs: Array.from({ length: 20 }, () => HUGE),
      }),
      reply({ ...BASE, kind: 'brief', text: '', brief: HUGE, locale: LOCALE }),
      reply({
        ...BASE,
        kind: 'help',
        text: '',
        commands: Array.from({ length: 40 }, () => ({
          name: 'brief' as const,
          usage: '/brief [N | URL]',
          description: HOSTILE,
          admin: false,
        })),
      }),
      reply({
        ...BASE,
        kind: 'actor-choices',
        text: '',
        query: HOSTILE,
        choices: Array.from({ length: 8 }, (_, k) => ({
          id: `a-${k}`,
          name: `${HOSTILE} ${'n'.repeat(100)}`,
          kind: 'person' as const,
          match: 'prefix' as const,
          distance: 0,
          matched: 'x',
          briefCount: 3,
          lastSeenAt: new Date(),
          command: `/actor id:a-${k}`,
        })),
      }),
    ];
    for (const output of outputs) {
      expect(output.messages.length).toBeGreaterThan(0);
      for (const message of output.messages) expectWithinLimits(message);
    }
    expect(outputs.map((o) => o.ephemeral)).toEqual([false, true, true, false, false, true, false]);
    // 20 briefs of ~6000 characters each: one embed a message.
    expect(outputs[3]?.messages).toHaveLength(20);
    expect(outputs[3]?.messages[0]?.content).toBe('**The latest 20 briefs:**');
    // Eight choices: two rows of buttons that each show one actor.
    expect(outputs[6]?.messages.at(-1)?.buttons?.map((row) => row.length)).toEqual([5, 3]);
  });

  it('packs small briefs ten to a message', () => {
    const output = reply({
      ...BASE,
      kind: 'briefs',
      text: '',
      locale: LOCALE,
      briefs: Array.from({ length: 20 }, (_, k) => brief(`Story ${k}`)),
    });
    expect(output.messages.map((m) => m.embeds?.length)).toEqual([10, 10]);
  });

  it('shows an actor as an embed with linked stories and paging buttons', () => {
    const now = new Date('2025-03-14T00:00:00Z');
    const output = reply({
      ...BASE,
      kind: 'actor',
      text: '',
      page: 2,
      pages: 3,
      profile: {
        id: 'andrei-belousov',
        name: 'Andrei Belousov',
        kind: 'person',
        firstSeenAt: now,
        lastSeenAt: now,
        briefCount: 12,
        roles: Array.from({ length: 8 }, () => ({
          role: `${HOSTILE} ${'r'.repeat(400)}`,
          firstSeenAt: now,
          lastSeenAt: now,
          briefCount: 1,
        })),
        latestBriefs: [],
        coActors: Array.from({ length: 5 }, (_, k) => ({
          id: `c${k}`,
          name: `${HOSTILE} ${k}`,
          kind: 'person' as const,
          together: 2,
        })),
      },
      stories: Array.from({ length: 5 }, (_, k) => ({
        id: k,
        feedId: 1,
        createdAt: now,
        brief: brief(`${HOSTILE} (story) ${k} ${'t'.repeat(300)}`, {
          url: `https://news.example/a(${k})?q=${'u'.repeat(300)}`,
        }),
      })) as never,
    });
    const [message] = output.messages;
    expect(message).toBeDefined();
    expectWithinLimits(message as DiscordMessage);
    const stories = message?.embeds?.[0]?.fields?.find((f) => f.name.startsWith('Latest stories'));
    expect(stories?.value).toMatch(/\]\(https:\/\/news\.example\/a%280%29\?q=u+\)/);
    expect(message?.buttons?.[0]?.map((b) => b.command)).toEqual([
      '/actor id:andrei-belousov',
      '/actor id:andrei-belousov 3',
    ]);
  });

  it('sends /export as an OPML file', () => {
    const output = reply({
      ...BASE,
      kind: 'export',
      text: '1 feed exported as briefwire-123.opml (OPML).\n<opml/>',
      filename: 'briefwire-123.opml',
      opml: '<opml version="2.0"/>',
    });
    expect(output.ephemeral).toBe(true);
    expect(output.messages[0]).toMatchObject({
      content: '1 feed exported as briefwire-123.opml \\(OPML\\).',
      files: [{ name: 'briefwire-123.opml', content: '<opml version="2.0"/>' }],
    });
  });
});

describe('deliveries', () => {
  it('renders a brief as one embed in its feed’s colour, or as text without Embed Links', () => {
    const d = delivery({ kind: 'brief', briefId: 1, brief: HUGE });
    const [embed] = deliveryMessages(d, true);
    expect(embed?.embeds?.[0]?.color).toBe(feedColor('Wire'));
    expectWithinLimits(embed as DiscordMessage);
    const text = deliveryMessages(d, false);
    expect(text.length).toBeGreaterThan(1);
    expect(text.length).toBeLessThanOrEqual(3);
    for (const message of text) {
      expect(message.embeds).toBeUndefined();
      expectWithinLimits(message);
    }
  });

  it('renders a custom template as an embed with an embed’s room, or as text within a message', () => {
    const d = delivery({
      kind: 'brief',
      briefId: 1,
      brief: HUGE,
      template: { custom: '{headline}\n{summary}\n— {source} {link}' },
      media: true,
    });
    const [message, ...more] = deliveryMessages(d, true);
    expect(more).toEqual([]);
    expect(message?.content).toBeUndefined();
    const embed = message?.embeds?.[0];
    expect(embed?.color).toBe(feedColor('Wire'));
    const description = embed?.description ?? '';
    // Three bullets of 600 and a headline of 300 pass a message's 2,000 but fit an embed.
    expect(description.match(/^• /gm)).toHaveLength(3);
    expect(description.length).toBeGreaterThan(DISCORD_LIMITS.message);
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(description).not.toMatch(/@everyone|<@&?\d/);
    expectWithinLimits(message as DiscordMessage);
    const [text, ...rest] = deliveryMessages(d, false);
    expect(rest).toEqual([]);
    expect(text?.embeds).toBeUndefined();
    // A message's 2,000 take fewer: the last bullets go, whole.
    expect(text?.content?.match(/^• /gm)?.length).toBeLessThan(3);
    expectWithinLimits(text as DiscordMessage);
  });

  it('renders a digest within the embed limits, and as text', () => {
    const groups = Array.from({ length: 30 }, (_, g) => ({
      actor: { id: `a${g}`, name: `${HOSTILE} ${g}`, kind: 'person' as const },
      briefs: Array.from({ length: 10 }, (_, k) => ({
        id: k,
        title: `${HOSTILE} ${'t'.repeat(200)}`,
        url: `https://news.example/${g}/${k}`,
        source: 'Wire',
        publishedAt: null,
      })),
    }));
    const d = delivery({
      kind: 'message',
      payload: { kind: 'digest', text: 'Digest — 14 Mar 2025 (300 briefs)', groups },
    });
    const [embed] = deliveryMessages(d, true);
    expectWithinLimits(embed as DiscordMessage);
    expect(embed?.embeds?.[0]?.title).toBe('Digest — 14 Mar 2025 \\(300 briefs\\)');
    for (const message of deliveryMessages(d, false)) expectWithinLimits(message);
    const notice = deliveryMessages(
      delivery({ kind: 'message', payload: { kind: 'notice', text: `Feed paused ${HOSTILE}` } }),
    );
    expect(notice).toHaveLength(1);
    expectWithinLimits(notice[0] as DiscordMessage);
  });

  it('gives every message mentions off and a nonce of at most 25 characters', () => {
    expect(messageBody({ content: 'x' })).toEqual({
      content: 'x',
      allowed_mentions: { parse: [] },
    });
    const nonce = deliveryNonce({ id: 2 ** 40, createdAt: new Date(8.64e15) }, 2);
    expect(nonce.length).toBeLessThanOrEqual(25);
    expect(deliveryNonce({ id: 1, createdAt: new Date(1) }, 0)).not.toBe(
      deliveryNonce({ id: 1, createdAt: new Date(2) }, 0),
    );
  });

  it('gives each feed a stable colour of its own', () => {
    expect(feedColor('Wire')).toBe(feedColor('wire'));
    expect(feedColor('Wire')).not.toBe(feedColor('Reuters'));
    for (const name of ['a', 'b', 'Wire', 'Le Monde', 'ANSA']) {
      expect(feedColor(name)).toBeGreaterThanOrEqual(0);
      expect(feedColor(name)).toBeLessThanOrEqual(0xffffff);
    }
  });
});

describe('channels, limits and errors', () => {
  it('names channels by their snowflake and reads the locale', () => {
    expect(discordChannelId('discord:123456789012345678')).toBe('123456789012345678');
    expect(discordChannelId('discord:general')).toBeNull();
    expect(discordChannelId('telegram:123456789012345678')).toBeNull();
    expect(platformLanguage('it')).toBe('it');
    expect(platformLanguage('en-GB')).toBe('en');
    expect(platformLanguage('de')).toBe('de');
    expect(platformLanguage('es-419')).toBe('es');
    expect(platformLanguage('fr')).toBe('fr');
    expect(platformLanguage('pt-BR')).toBe('en');
    expect(platformLanguage(null)).toBeUndefined();
    expect(discordRateLimit()).toEqual({
      perDestination: { count: 5, perMs: 5000 },
      global: { count: 50, perMs: 1000 },
    });
  });

  it('sorts failures: channel gone, retry (with retry_after), permanent', () => {
    const api = (code: number, status: number, message: string) =>
      new DiscordAPIError({ code, message }, code, status, 'POST', 'https://x/api', { body: {} });
    expect(discordFailure(api(10003, 404, 'Unknown Channel'))).toMatchObject({
      kind: 'destination-gone',
      reason: expect.stringMatching(/deleted/),
    });
    expect(discordFailure(api(50013, 403, 'Missing Permissions'))).toMatchObject({
      kind: 'destination-gone',
    });
    expect(discordFailure(api(50001, 403, 'Missing Access'))).toMatchObject({
      kind: 'destination-gone',
    });
    expect(discordFailure(api(50035, 400, 'Invalid Form Body'))).toMatchObject({
      kind: 'permanent',
    });
    expect(discordFailure(api(0, 401, '401: Unauthorized'))).toMatchObject({ kind: 'retry' });
    expect(
      discordFailure(new HTTPError(502, 'Bad Gateway', 'POST', 'https://x', { body: {} })),
    ).toMatchObject({ kind: 'retry' });
    const limited = new RateLimitError({
      timeToReset: 30_000,
      limit: 5,
      method: 'post',
      hash: 'h',
      url: 'https://x',
      route: '/channels/:id/messages',
      majorParameter: '1',
      global: false,
      retryAfter: 30_000,
      sublimitTimeout: 0,
      scope: 'user',
    });
    expect(discordFailure(limited)).toMatchObject({ kind: 'retry', after: 30_000 });
    expect(discordFailure(new Error('ECONNRESET'))).toMatchObject({ kind: 'retry' });
  });

  it('builds slash commands Discord accepts: names, localised descriptions ≤ 100, typed options', () => {
    const commands = slashCommands();
    expect(commands.map((c) => c.name)).not.toContain('start');
    for (const command of commands) {
      expect(command.name).toMatch(/^[a-z_]{1,32}$/);
      expect(command.description.length).toBeLessThanOrEqual(100);
      expect(command.description_localizations?.it?.length).toBeLessThanOrEqual(100);
      expect(command.name_localizations).toMatchObject({
        'en-US': command.name,
        'en-GB': command.name,
        it: command.name,
      });
      expect(command.contexts).toEqual([0]);
    }
    const lang = commands.find((c) => c.name === 'lang');
    expect(lang?.options).toMatchObject([
      {
        choices: ['en', 'it', 'fr', 'de', 'es'].map((code) => ({ name: code, value: code })),
      },
    ]);
  });
});
