import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, HttpError, InputFile } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { rejection } from './errors.js';
import { startTelegramApi, type TelegramApi, type TelegramApiOptions } from './telegram-api.js';

const ANN = 1001; // a private chat with the user Ann
const BOB = 1002;
const GROUP = -2001;
const SUPERGROUP = -1003001;
const CHANNEL = -1004001;

const servers: TelegramApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server with Ann, Bob, a group, a supergroup and a channel; `rateLimits: false` unless given. */
async function world(options: TelegramApiOptions = {}): Promise<{ api: TelegramApi; bot: Bot }> {
  const api = await startTelegramApi({ rateLimits: false, ...options });
  servers.push(api);
  api
    .addChat({ id: ANN, type: 'private', first_name: 'Ann', username: 'ann' })
    .addChat({ id: BOB, type: 'private', first_name: 'Bob' })
    .addChat({ id: GROUP, type: 'group', title: 'Newsroom' })
    .addChat({ id: SUPERGROUP, type: 'supergroup', title: 'Desk' })
    .addChat({ id: CHANNEL, type: 'channel', title: 'Wire', username: 'wire' });
  return { api, bot: new Bot(api.token, { client: { apiRoot: api.apiRoot } }) };
}

/** The GrammyError a call rejects with. */
const refusal = (promise: Promise<unknown>) => rejection(promise, GrammyError);

describe('the Bot API server, through the real grammY client', () => {
  it('answers getMe for bot.init()', async () => {
    const { api, bot } = await world({ botUsername: 'wire_bot' });
    await bot.init();
    expect(bot.botInfo).toMatchObject({
      id: 123456,
      is_bot: true,
      first_name: 'briefwire',
      username: 'wire_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    });
    expect(api.calls.map((c) => [c.method, c.status])).toEqual([['getMe', 200]]);
  });

  it('answers 401 to another token and 404 to an unknown method', async () => {
    const { api } = await world();
    const stranger = new Bot('999:wrong', { client: { apiRoot: api.apiRoot } });
    const error = await refusal(stranger.init());
    expect([error.error_code, error.description]).toEqual([401, 'Unauthorized']);

    const response = await fetch(`${api.apiRoot}/bot${api.token}/frobnicate`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      ok: false,
      error_code: 404,
      description: 'Not Found: method not found',
    });
  });

  it('takes methods in any case and params from the query string or a urlencoded body', async () => {
    const { api } = await world();
    const get = await fetch(`${api.apiRoot}/bot${api.token}/GETME`);
    expect(await get.json()).toMatchObject({ ok: true, result: { id: 123456 } });
    const query = await fetch(`${api.apiRoot}/bot${api.token}/sendmessage?chat_id=${ANN}&text=hi`);
    expect(await query.json()).toMatchObject({ ok: true, result: { text: 'hi' } });
    const form = await fetch(`${api.apiRoot}/bot${api.token}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({
        chat_id: String(BOB),
        text: 'hello',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'More', callback_data: 'm' }]] }),
      }),
    });
    expect(await form.json()).toMatchObject({
      ok: true,
      result: { reply_markup: { inline_keyboard: [[{ text: 'More', callback_data: 'm' }]] } },
    });
    expect(api.messages().map((m) => m.text)).toEqual(['hi', 'hello']);
  });
});

describe('getUpdates', () => {
  it('holds a long poll until an update arrives, and forgets what the next offset confirms', async () => {
    const { api, bot } = await world();
    api.addUser({ id: ANN, first_name: 'Ann', username: 'ann', language_code: 'en' });
    const polled = bot.api.getUpdates({ timeout: 10 });
    await once(api, 'poll');
    const update = api.sendText(ANN, ANN, '/start now');
    const [received] = await polled;
    expect(received).toEqual(update);
    expect(received?.message).toMatchObject({
      from: { id: ANN, is_bot: false, first_name: 'Ann', language_code: 'en' },
      chat: { id: ANN, type: 'private', first_name: 'Ann', username: 'ann' },
      text: '/start now',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(await bot.api.getUpdates({ offset: update.update_id, timeout: 0 })).toHaveLength(1);
    expect(await bot.api.getUpdates({ offset: update.update_id + 1, timeout: 0 })).toEqual([]);
    expect(api.pendingUpdates).toEqual([]);
  });

  it('answers an empty list when the timeout passes', async () => {
    const { bot } = await world();
    expect(await bot.api.getUpdates({ timeout: 1, limit: 5 })).toEqual([]);
  });

  it('runs a grammY bot: commands in, replies out, the offset confirmed on stop', async () => {
    const { api, bot } = await world();
    bot.command('start', (ctx) => ctx.reply(`Hello, ${ctx.from?.first_name}!`));
    bot.on('callback_query:data', (ctx) =>
      ctx.answerCallbackQuery({ text: `got ${ctx.callbackQuery.data}` }),
    );
    bot.on('channel_post', (ctx) => ctx.reply('seen'));
    const running = bot.start({ timeout: 10 });

    api.sendText(ANN, ANN, '/start');
    const reply = await api.waitFor((c) => c.method === 'sendMessage');
    expect(reply.params).toMatchObject({ chat_id: ANN, text: 'Hello, Ann!' });
    api.pressButton(ANN, ANN, api.messages(ANN)[0]?.messageId ?? 0, 'more');
    await api.waitFor((c) => c.method === 'answerCallbackQuery');
    expect(api.callbackAnswers).toMatchObject([{ text: 'got more' }]);
    api.postInChannel(CHANNEL, 'Breaking', { authorSignature: 'Desk' });
    await api.until(() => api.messages(CHANNEL).length === 1);

    await bot.stop();
    await running;
    expect(api.pendingUpdates).toEqual([]);
    expect(api.stats.byMethod).toMatchObject({
      getMe: 1,
      deleteWebhook: 1,
      sendMessage: 2,
      answerCallbackQuery: 1,
    });
    // The poll bot.stop() aborted is seen as given up (status 0), not as a conflict.
    expect(api.calls.filter((c) => c.status >= 400)).toEqual([]);
  });

  it('delivers only the update types allowed_updates names (by default all but a few)', async () => {
    const { api, bot } = await world();
    api.pushUpdate({ message_reaction: { chat: { id: GROUP } } } as never);
    const message = api.sendText(GROUP, ANN, 'hi');
    expect(await bot.api.getUpdates()).toEqual([message]);
    api.pressButton(GROUP, ANN, message.message?.message_id ?? 0, 'x');
    expect(await bot.api.getUpdates({ allowed_updates: ['message'] })).toEqual([message]);
    expect(api.pendingUpdates).toEqual([message]);
  });

  it('ends the older of two concurrent polls with 409', async () => {
    const { api, bot } = await world();
    const older = bot.api.getUpdates({ timeout: 10 });
    await once(api, 'poll');
    const newer = bot.api.getUpdates({ timeout: 0 });
    const error = await refusal(older);
    expect(error.error_code).toBe(409);
    expect(error.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    expect(await newer).toEqual([]);
  });

  it('refuses to poll while a webhook is set; the webhook gets updates with the secret token', async () => {
    const { api, bot } = await world();
    const received: Array<{ secret: unknown; body: unknown }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({
          secret: req.headers['x-telegram-bot-api-secret-token'],
          body: JSON.parse(body),
        });
        res.end();
      });
    });
    hook.listen(0, '127.0.0.1');
    await once(hook, 'listening');
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    try {
      expect(await bot.api.setWebhook(url, { secret_token: 's3cret' })).toBe(true);
      expect(api.webhook).toMatchObject({ url, secretToken: 's3cret' });
      expect(await bot.api.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });
      const error = await refusal(bot.api.getUpdates());
      expect(error.error_code).toBe(409);
      expect(error.description).toMatch(/can't use getUpdates method while webhook is active/);

      const update = api.sendText(ANN, ANN, 'hello');
      expect(await bot.api.getWebhookInfo()).toMatchObject({ pending_update_count: 1 });
      expect(await api.deliverWebhook(update)).toBe(200);
      expect(received).toEqual([{ secret: 's3cret', body: update }]);
      expect(await bot.api.getWebhookInfo()).toMatchObject({ pending_update_count: 0 });

      await bot.api.deleteWebhook();
      expect(api.webhook).toBeUndefined();
      expect(await bot.api.getUpdates({ timeout: 0 })).toEqual([]);
    } finally {
      hook.close();
    }
  });
});

describe('sendMessage with parse_mode HTML', () => {
  const send = (bot: Bot, text: string, chat = ANN) =>
    bot.api.sendMessage(chat, text, { parse_mode: 'HTML' });

  it.each([
    ['<script>alert(1)</script>', 'Unsupported start tag "script" at byte offset 0'],
    ['Q&A', 'Character "&" must be escaped as "&amp;" at byte offset 1'],
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
    [
      '<b>bold <i>both</b></i>',
      'Unmatched end tag at byte offset 15, expected "</i>", found "</b>"',
    ],
    ['<b>never closed', `Can't find end tag corresponding to start tag "b"`],
    ['é <img src=x>', 'Unsupported start tag "img" at byte offset 3'],
    ['<a href=https://x.org>x</a>', 'Unexpected end of name token at byte offset 8'],
    ['<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ])('refuses %j', async (text, reason) => {
    const { api, bot } = await world();
    const error = await refusal(send(bot, text));
    expect([error.error_code, error.description]).toEqual([
      400,
      `Bad Request: can't parse entities: ${reason}`,
    ]);
    expect(api.messages()).toEqual([]);
  });

  it('keeps a bare & as Telegram itself does, when told to', async () => {
    const { bot } = await world({ strictAmpersand: false });
    expect((await send(bot, 'Q&A &nbsp; &amp;')).text).toBe('Q&A &nbsp; &');
  });

  it('records the raw text, the parsed text and its entities', async () => {
    const { api, bot } = await world();
    const html =
      '<b>Fish &amp; Chips</b> &lt;tag&gt; &#128512; <a href="https://example.com?a=1&amp;b=2">link</a>\n' +
      '<pre><code class="language-ts">let x = 1;</code></pre> <tg-spoiler>s</tg-spoiler> ' +
      '<blockquote expandable>q</blockquote> https://news.example/x.';
    const message = await send(bot, html);
    const text = 'Fish & Chips <tag> 😀 link\nlet x = 1; s q https://news.example/x.';
    expect(message.text).toBe(text);
    const entities = [
      { type: 'bold', offset: 0, length: 12 },
      { type: 'text_link', offset: 22, length: 4, url: 'https://example.com/?a=1&b=2' },
      { type: 'pre', offset: 27, length: 10, language: 'ts' },
      { type: 'spoiler', offset: 38, length: 1 },
      { type: 'expandable_blockquote', offset: 40, length: 1 },
      { type: 'url', offset: 42, length: 22 },
    ];
    expect(message.entities).toEqual(entities);
    expect(message).toMatchObject({ chat: { id: ANN, type: 'private' }, from: { id: 123456 } });
    expect(api.messages(ANN)).toMatchObject([
      { messageId: message.message_id, rawText: html, parseMode: 'HTML', text, entities },
    ]);
  });

  it('counts the length after parsing, in UTF-16 code units', async () => {
    const { api, bot } = await world();
    await send(bot, '&amp;'.repeat(4096));
    const tooLong = await refusal(send(bot, '&amp;'.repeat(4097)));
    expect(tooLong.description).toBe('Bad Request: message is too long');
    await refusal(send(bot, '😀'.repeat(2049)));
    expect(api.messages().map((m) => m.text.length)).toEqual([4096]);
  });

  it('refuses empty text and unknown chats', async () => {
    const { bot } = await world();
    expect((await refusal(send(bot, ''))).description).toBe('Bad Request: message text is empty');
    expect((await refusal(send(bot, '<b> </b>'))).description).toBe(
      'Bad Request: message text is empty',
    );
    expect((await refusal(send(bot, 'hi', 42))).description).toBe('Bad Request: chat not found');
  });

  it('records link preview options and the reply markup', async () => {
    const { api, bot } = await world();
    const keyboard = { inline_keyboard: [[{ text: 'Read', url: 'https://example.com/a' }]] };
    const message = await bot.api.sendMessage(GROUP, 'news', {
      link_preview_options: { is_disabled: true },
      reply_markup: keyboard,
    });
    expect(message).toMatchObject({
      chat: { id: GROUP, type: 'group', title: 'Newsroom' },
      link_preview_options: { is_disabled: true },
      reply_markup: keyboard,
    });
    expect(api.messages(GROUP)).toMatchObject([
      { linkPreviewOptions: { is_disabled: true }, replyMarkup: keyboard },
    ]);
  });

  it('posts in a channel as the channel', async () => {
    const { bot } = await world();
    const post = await bot.api.sendMessage('@wire', 'wire copy');
    expect(post).toMatchObject({ chat: { id: CHANNEL }, sender_chat: { id: CHANNEL } });
    expect(post).not.toHaveProperty('from');
  });
});

describe('rate limits', () => {
  it('gives 429 with retry_after to a second quick send to one private chat', async () => {
    const { api, bot } = await world({ rateLimits: {} });
    await bot.api.sendMessage(ANN, 'one');
    const error = await refusal(bot.api.sendMessage(ANN, 'two'));
    expect(error.error_code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 1');
    expect(error.parameters.retry_after).toBe(1);
    await bot.api.sendMessage(BOB, 'another chat is fine');
    expect(api.messages().map((m) => m.text)).toEqual(['one', 'another chat is fine']);
    expect(api.stats).toMatchObject({ calls: 3, tooManyRequests: 1, byMethod: { sendMessage: 3 } });
  });

  it('does not punish a client that keeps the limit to the millisecond', async () => {
    const { api, bot } = await world({ rateLimits: { perChat: { count: 1, perMs: 100 } } });
    await bot.api.sendMessage(ANN, 'one');
    const sent = api.messages(ANN)[0]?.at ?? 0;
    // A timer may fire a millisecond early by the wall clock (libuv times it from the
    // loop's cached time): wait until the server's own clock says the window has passed.
    while (api.now() < sent + 100)
      await new Promise((resolve) => setTimeout(resolve, sent + 100 - api.now()));
    await bot.api.sendMessage(ANN, 'two');
    expect(api.stats.tooManyRequests).toBe(0);
  });

  it('lets 20 messages a minute into a group and refuses the 21st', async () => {
    const { api, bot } = await world({ rateLimits: { perChat: false } });
    for (let k = 1; k <= 20; k++) await bot.api.sendMessage(SUPERGROUP, `story ${k}`);
    const error = await refusal(bot.api.sendMessage(SUPERGROUP, 'story 21'));
    expect(error.error_code).toBe(429);
    expect(error.parameters.retry_after).toBeGreaterThan(55);
    expect(api.messages(SUPERGROUP)).toHaveLength(20);
  });

  it('lets 30 messages a second out of the bot and refuses the 31st', async () => {
    const { api, bot } = await world({ rateLimits: {} });
    for (let k = 0; k < 31; k++) api.addChat({ id: 5000 + k, type: 'private' });
    const results = await Promise.allSettled(
      Array.from({ length: 31 }, (_, k) => bot.api.sendMessage(5000 + k, 'brief')),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(api.messages()).toHaveLength(30);
    expect(api.stats.tooManyRequests).toBe(1);
  });

  it('counts an edit against its chat like a send', async () => {
    const { bot } = await world({ rateLimits: {} });
    const { message_id } = await bot.api.sendMessage(ANN, 'draft');
    const error = await refusal(bot.api.editMessageText(ANN, message_id, 'final'));
    expect(error.error_code).toBe(429);
  });

  it('gives 429 to every send during a storm, then lets them through', async () => {
    const { api, bot } = await world();
    api.rateLimitStorm(2, 7);
    for (const _ of [1, 2]) {
      expect((await refusal(bot.api.sendMessage(ANN, 'x'))).parameters.retry_after).toBe(7);
    }
    await bot.api.sendMessage(ANN, 'x');
    expect(api.stats.tooManyRequests).toBe(2);
  });
});

describe('platform errors', () => {
  it.each([
    [ANN, 403, 'Forbidden: bot was blocked by the user'],
    [GROUP, 403, 'Forbidden: bot was kicked from the group chat'],
    [SUPERGROUP, 403, 'Forbidden: bot was kicked from the supergroup chat'],
    [CHANNEL, 403, 'Forbidden: bot is not a member of the channel chat'],
  ])('answers a send to blocked chat %i with %i %s', async (chat, code, description) => {
    const { api, bot } = await world();
    api.blockChat(chat);
    const error = await refusal(bot.api.sendMessage(chat, 'hi'));
    expect([error.error_code, error.description]).toEqual([code, description]);
  });

  it('answers a migrated group with migrate_to_chat_id and the new supergroup works', async () => {
    const { api, bot } = await world();
    api.migrateChat(GROUP, -1009999);
    const error = await refusal(bot.api.sendMessage(GROUP, 'hi'));
    expect(error.description).toBe('Bad Request: group chat was upgraded to a supergroup chat');
    expect(error.parameters.migrate_to_chat_id).toBe(-1009999);
    expect(await bot.api.sendMessage(-1009999, 'hi')).toMatchObject({
      chat: { id: -1009999, type: 'supergroup', title: 'Newsroom' },
    });
    expect(api.pendingUpdates.map((u) => u.message)).toMatchObject([
      { chat: { id: GROUP }, migrate_to_chat_id: -1009999 },
      { chat: { id: -1009999 }, migrate_from_chat_id: GROUP },
    ]);
  });

  it('answers chat not found for a removed chat', async () => {
    const { api, bot } = await world();
    api.removeChat(BOB);
    expect((await refusal(bot.api.sendMessage(BOB, 'hi'))).description).toBe(
      'Bad Request: chat not found',
    );
  });

  it('posts into a forum topic, and refuses a deleted or closed topic as Telegram does', async () => {
    const { api, bot } = await world();
    const FORUM = -1005001;
    api.addChat({ id: FORUM, type: 'supergroup', title: 'Forum', is_forum: true });
    const topic = api.addTopic(FORUM, 'News');
    const sent = await bot.api.sendMessage(FORUM, 'hi', { message_thread_id: topic });
    expect(sent).toMatchObject({ message_thread_id: topic, is_topic_message: true });
    expect(sent.chat).toMatchObject({ id: FORUM, is_forum: true });
    expect(api.messages(FORUM).map((m) => m.threadId)).toEqual([topic]);
    // General: no message_thread_id.
    expect((await bot.api.sendMessage(FORUM, 'all')).message_thread_id).toBeUndefined();

    api.closeTopic(FORUM, topic);
    expect(
      (await refusal(bot.api.sendMessage(FORUM, 'hi', { message_thread_id: topic }))).description,
    ).toBe('Bad Request: TOPIC_CLOSED');
    api.deleteTopic(FORUM, topic);
    expect(
      (await refusal(bot.api.sendMessage(FORUM, 'hi', { message_thread_id: topic }))).description,
    ).toBe('Bad Request: message thread not found');
    expect(
      (await refusal(bot.api.sendMessage(SUPERGROUP, 'hi', { message_thread_id: 77 }))).description,
    ).toBe('Bad Request: message thread not found');
  });

  it('fails the next calls as told: an error answer, or no answer at all', async () => {
    const { api, bot } = await world();
    api.failNext('sendMessage', { status: 502, description: 'Bad Gateway' });
    api.failNext('sendMessage', 'network');
    const error = await refusal(bot.api.sendMessage(ANN, 'one'));
    expect([error.error_code, error.description]).toEqual([502, 'Bad Gateway']);
    await rejection(bot.api.sendMessage(ANN, 'two'), HttpError);
    await bot.api.sendMessage(ANN, 'three');
    expect(api.calls.map((c) => c.status)).toEqual([502, 0, 200]);
    expect(api.messages().map((m) => m.text)).toEqual(['three']);
  });
});

describe('other methods', () => {
  it('takes a document as multipart/form-data and records its name and content', async () => {
    const { api, bot } = await world();
    const message = await bot.api.sendDocument(
      ANN,
      new InputFile(Buffer.from('# Morning digest\n'), 'Morning digest.md'),
      { caption: '<b>Digest</b> for today', parse_mode: 'HTML' },
    );
    expect(message).toMatchObject({
      document: { file_name: 'Morning digest.md', mime_type: 'text/markdown', file_size: 17 },
      caption: 'Digest for today',
      caption_entities: [{ type: 'bold', offset: 0, length: 6 }],
    });
    const [document] = api.documents(ANN);
    expect(document?.fileName).toBe('Morning digest.md');
    expect(document?.content?.toString()).toBe('# Morning digest\n');
    // The same file again, by file_id.
    await bot.api.sendDocument(BOB, message.document.file_id);
    expect(api.documents(BOB)[0]?.content?.toString()).toBe('# Morning digest\n');
  });

  it('edits and deletes messages, and refuses an edit that changes nothing', async () => {
    const { api, bot } = await world();
    const { message_id } = await bot.api.sendMessage(ANN, 'draft');
    const edited = await bot.api.editMessageText(ANN, message_id, '<i>final</i>', {
      parse_mode: 'HTML',
    });
    expect(edited).toMatchObject({ text: 'final', entities: [{ type: 'italic' }] });
    const same = await refusal(
      bot.api.editMessageText(ANN, message_id, '<i>final</i>', { parse_mode: 'HTML' }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    expect(await bot.api.deleteMessage(ANN, message_id)).toBe(true);
    expect(api.messages(ANN)).toMatchObject([{ text: 'final', edits: 1, deleted: true }]);
    expect((await refusal(bot.api.deleteMessage(ANN, message_id))).description).toBe(
      'Bad Request: message to delete not found',
    );
  });

  it('keeps commands per scope and language', async () => {
    const { api, bot } = await world();
    const commands = [{ command: 'latest', description: 'The latest briefs' }];
    await bot.api.setMyCommands(commands);
    await bot.api.setMyCommands([{ command: 'neueste', description: 'Neueste' }], {
      scope: { type: 'chat', chat_id: GROUP },
      language_code: 'de',
    });
    expect(await bot.api.getMyCommands()).toEqual(commands);
    expect(api.commands({ type: 'chat', chat_id: GROUP }, 'de')).toEqual([
      { command: 'neueste', description: 'Neueste' },
    ]);
    expect(api.commands({ type: 'all_private_chats' })).toEqual([]);
    const bad = await refusal(bot.api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]));
    expect(bad.description).toBe('Bad Request: BOT_COMMAND_INVALID');
    await bot.api.deleteMyCommands();
    expect(api.commands()).toEqual([]);
  });

  it('answers chat, member and administrator questions', async () => {
    const { api, bot } = await world();
    api.addUser({ id: 77, first_name: 'Cleo' }).setMember(SUPERGROUP, 77, 'creator');
    api.setMember(SUPERGROUP, api.botId, 'administrator');
    expect(await bot.api.getChat(SUPERGROUP)).toMatchObject({ id: SUPERGROUP, type: 'supergroup' });
    expect(await bot.api.getChatMember(SUPERGROUP, 77)).toMatchObject({ status: 'creator' });
    expect(await bot.api.getChatMember(GROUP, 77)).toMatchObject({ status: 'left' });
    const admins = await bot.api.getChatAdministrators(SUPERGROUP);
    expect(admins.map((m) => [m.user.id, m.status])).toEqual([
      [77, 'creator'],
      [123456, 'administrator'],
    ]);
    expect(await bot.api.sendChatAction(ANN, 'typing')).toBe(true);
    expect((await refusal(bot.api.getChatAdministrators(ANN))).description).toBe(
      'Bad Request: there are no administrators in the private chat',
    );
  });
});
