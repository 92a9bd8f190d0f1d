import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deliveryMessages,
  renderTelegramReply,
  type TelegramMessage,
} from '../../../src/adapters/telegram/index.js';
import type { Reply } from '../../../src/app/commands/index.js';
import type { Delivery } from '../../../src/store/port.js';
import { briefArb, briefWith, hostileText, referenceBrief } from '../../core/render/briefs.js';
import { parseTelegramHtml } from '../../core/render/inspect.js';

const LIMIT = 4096;

/** Every message is HTML Telegram accepts, within its length. */
function expectSendable(messages: readonly TelegramMessage[]): string[] {
  return messages.map((message) => {
    expect(message.html.length).toBeLessThanOrEqual(LIMIT);
    return parseTelegramHtml(message.html).text;
  });
}

function delivery(payload: unknown): Delivery {
  return {
    id: 1,
    destination: 'telegram:42',
    kind: 'message',
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: new Date(0),
    lastError: null,
    createdAt: new Date(0),
    sentAt: null,
  };
}

describe('Telegram rendering of replies', () => {
  it('escapes whatever a reply says, and cuts a long one at line ends', () => {
    fc.assert(
      fc.property(fc.array(hostileText(200), { minLength: 1, maxLength: 80 }), (lines) => {
        const text = lines.join('\n');
        const reply: Reply = { kind: 'feeds', language: 'en', text, feeds: [], digest: null };
        const shown = expectSendable(renderTelegramReply(reply).messages);
        expect(shown.join('\n').replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 60 },
    );
  });

  it('packs /brief into as few messages as fit, each brief whole', () => {
    const briefs = Array.from({ length: 20 }, (_, k) =>
      briefWith({ title: `Story ${k} <b>&amp;</b>`, url: `https://news.example/${k}?a=1&b=2` }),
    );
    const reply: Reply = {
      kind: 'briefs',
      language: 'en',
      text: '',
      briefs,
      locale: { language: 'en', timeZone: 'UTC' },
    };
    const messages = renderTelegramReply(reply).messages;
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThan(briefs.length);
    const shown = expectSendable(messages).join('\n');
    for (const k of briefs.keys()) expect(shown).toContain(`Story ${k} <b>&amp;</b>`);
    expect(messages.every((m) => m.preview === null)).toBe(true);
  });

  it('shows a brief with the preview of its article', () => {
    const brief = referenceBrief();
    const [first, ...rest] = renderTelegramReply({
      kind: 'brief',
      language: 'it',
      text: '',
      brief,
      locale: { language: 'it', timeZone: 'UTC' },
    }).messages;
    expect(first?.preview).toBe(brief.url);
    expect(rest.every((m) => m.preview === null)).toBe(true);
  });

  it('pages an actor with buttons that run /actor for the page before and after', () => {
    const brief = referenceBrief();
    const reply: Reply = {
      kind: 'actor',
      language: 'en',
      text: '',
      profile: {
        id: 'andrei-belousov',
        name: 'Andrei <Belousov>',
        kind: 'person',
        firstSeenAt: new Date('2025-03-01T00:00:00Z'),
        lastSeenAt: new Date('2025-03-14T00:00:00Z'),
        briefCount: 12,
        roles: [],
        latestBriefs: [],
        coActors: [{ id: 'kim-jong-un', name: 'Kim Jong-un', kind: 'person', together: 3 }],
      },
      stories: [{ id: 1, feedId: 1, createdAt: new Date('2025-03-14T00:00:00Z'), brief }],
      page: 2,
      pages: 3,
    } as Reply;
    const [message] = renderTelegramReply(reply).messages;
    const shown = parseTelegramHtml(message?.html ?? '');
    expect(shown.text).toContain('Andrei <Belousov>');
    expect(shown.hrefs).toContain(brief.url);
    expect(message?.buttons).toEqual([
      [
        { text: '◀ 1/3', command: '/actor id:andrei-belousov' },
        { text: '3/3 ▶', command: '/actor id:andrei-belousov 3' },
      ],
    ]);
  });

  it('cuts a long /export caption before escaping it, so no entity is split', () => {
    const out = renderTelegramReply({
      kind: 'export',
      language: 'en',
      text: 'A&'.repeat(600),
      filename: 'feeds.opml',
      opml: '<opml/>',
    });
    const shown = parseTelegramHtml(out.document?.caption ?? '');
    expect(shown.text.length).toBeLessThanOrEqual(1024);
    expect(shown.text.startsWith('A&A&')).toBe(true);
  });

  it('sends /export as a file', () => {
    const out = renderTelegramReply({
      kind: 'export',
      language: 'en',
      text: '2 feeds',
      filename: 'briefwire-feeds.opml',
      opml: '<opml/>',
    });
    expect(out.messages).toEqual([]);
    expect(out.document).toEqual({
      filename: 'briefwire-feeds.opml',
      content: '<opml/>',
      caption: '2 feeds',
    });
  });

  it('sends nothing for a command meant for another bot', () => {
    expect(renderTelegramReply({ kind: 'ignored', language: 'en', text: '' }).messages).toEqual([]);
  });
});

describe('Telegram rendering of deliveries', () => {
  it('turns any brief into messages Telegram accepts', () => {
    fc.assert(
      fc.property(briefArb, (brief) => {
        expectSendable(deliveryMessages({ ...delivery(null), kind: 'brief', brief } as Delivery));
      }),
      { numRuns: 150 },
    );
  });

  it('links the headlines of a digest and escapes its text', () => {
    const digest = {
      kind: 'digest',
      language: 'it',
      text: 'Riepilogo — 14 mar 2025 (2 notizie)\n…',
      groups: [
        {
          actor: { id: 'x', name: 'A <b>', kind: 'person' },
          briefs: [
            {
              id: 1,
              title: 'T & <i>',
              url: 'https://n.example/?a=1&b=2',
              source: 'S',
              publishedAt: null,
            },
          ],
        },
        {
          actor: null,
          briefs: [{ id: 2, title: 'Other', url: null, source: null, publishedAt: null }],
        },
      ],
    };
    const messages = deliveryMessages(delivery(digest));
    const [shown] = messages.map((m) => parseTelegramHtml(m.html));
    expect(shown?.text.split('\n')).toEqual([
      'Riepilogo — 14 mar 2025 (2 notizie)',
      '',
      'A <b>',
      '• T & <i> — S',
      '',
      'Altre notizie',
      '• Other',
    ]);
    expect(shown?.hrefs).toEqual(['https://n.example/?a=1&b=2']);
  });

  it('sends a notice as its escaped text', () => {
    const messages = deliveryMessages(delivery({ kind: 'notice', text: 'Feed <x> & co paused' }));
    expect(messages.map((m) => m.html)).toEqual(['Feed &lt;x&gt; &amp; co paused']);
  });
});
