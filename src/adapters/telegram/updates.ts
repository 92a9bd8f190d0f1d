/**
 * Updates in from Telegram: a command (a message, a channel post, a caption of a file sent
 * with /import) or a pressed button goes to the one command handler as the chat it came
 * from sees it (its destination, forum topic, language, whether the sender is an admin),
 * and its answer goes out through replies.ts. The bot removed from a chat pauses the
 * chat's subscriptions (adapters/shared/removal.ts). One chat's updates are answered in
 * order; different chats' at once.
 */
import { sequentialize } from '@grammyjs/runner';
import type { Bot, Context } from 'grammy';
import type { Message } from 'grammy/types';
import {
  type Chat,
  type CommandInput,
  commandInfo,
  messages,
  parseCommandLine,
  type Reply,
} from '../../app/commands/index.js';
import { errorLine, type Log } from '../../app/jobs/index.js';
import type { Destination, Store } from '../../store/port.js';
import { downloadAttachment } from '../shared/attachment.js';
import { pauseOnRemoval } from '../shared/removal.js';
import { platformLanguage, telegramDestination, topicOf } from './chat.js';
import { renderReply } from './render/index.js';
import type { TelegramReplies } from './replies.js';

export interface TelegramUpdatesOptions {
  bot: Bot;
  handle: (input: CommandInput) => Promise<Reply>;
  store: Pick<Store, 'subscriptions'>;
  replies: TelegramReplies;
  log: Log;
  /** The Bot API root and token: an attached file is downloaded from `<root>/file/bot<token>/`. */
  apiRoot: string;
  token: string;
  /** How long an admin check is trusted. */
  adminCacheMs: number;
  /** `/import` with an attached file reads at most this much. */
  importMaxBytes: number;
}

/** The Bot API's user that stands for an anonymous group admin. */
const ANONYMOUS_ADMIN_ID = 1087968824;

/** Registers the bot's update handlers: from then on, updates reach the command handler. */
export function listenForUpdates(options: TelegramUpdatesOptions): void {
  const { bot, replies, log, apiRoot, importMaxBytes } = options;

  // ── Admin checks ─────────────────────────────────────────────────────────────────────
  const admins = new Map<string, { admin: boolean; until: number }>();
  const isChatAdmin = async (chatId: number, userId: number): Promise<boolean> => {
    const key = `${chatId}:${userId}`;
    const cached = admins.get(key);
    if (cached && cached.until > Date.now()) return cached.admin;
    try {
      const member = await bot.api.getChatMember(chatId, userId);
      const admin = member.status === 'creator' || member.status === 'administrator';
      if (admins.size > 10_000) admins.clear();
      admins.set(key, { admin, until: Date.now() + options.adminCacheMs });
      return admin;
    } catch (error) {
      log.warn(`telegram: cannot check the admins of ${chatId}: ${errorLine(error)}`);
      return false;
    }
  };

  /**
   * The destination a chat's commands act on: its number, or `telegram:@name` when a config
   * file subscribed the chat by its public @name (and the number has no subscription), so
   * that /feeds, /pause and the rest see what the config made.
   */
  const destinationOf = async (
    chat: Message['chat'],
    topicId: number | null,
  ): Promise<Destination> => {
    const numbered = telegramDestination(chat.id, topicId);
    const username = 'username' in chat ? chat.username : undefined;
    if (!username) return numbered;
    const named = telegramDestination(`@${username}`, topicId);
    const { subscriptions } = options.store;
    if ((await subscriptions.listByDestination(numbered)).length > 0) return numbered;
    return (await subscriptions.listByDestination(named)).length > 0 ? named : numbered;
  };

  /** The chat a message came from, as the command handler sees it. */
  const chatOf = async (
    message: Pick<
      Message,
      'chat' | 'from' | 'sender_chat' | 'is_topic_message' | 'message_thread_id'
    >,
  ): Promise<Chat> => {
    const { chat, from } = message;
    const isAdmin = async (): Promise<boolean> => {
      // A private chat is its user's own; only a channel's admins can post in it.
      if (chat.type === 'private' || chat.type === 'channel') return true;
      // "Remain anonymous" admins write as the group itself.
      if (message.sender_chat?.id === chat.id) return true;
      if (!from || from.id === ANONYMOUS_ADMIN_ID || message.sender_chat) return false;
      return isChatAdmin(chat.id, from.id);
    };
    return {
      // A command written in a forum topic acts on that topic: /subscribe there posts there.
      destination: await destinationOf(chat, topicOf(message)),
      isAdmin,
      language: platformLanguage(from?.language_code),
      fileInput: 'caption',
    };
  };

  const answer = async (message: Message, text: string): Promise<void> => {
    const reply = await options.handle({
      text,
      chat: await chatOf(message),
      botName: bot.botInfo.username,
      user: message.from ? `telegram:${message.from.id}` : undefined,
    });
    await replies.send(message, renderReply(reply));
  };

  // ── Commands ─────────────────────────────────────────────────────────────────────────
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));

  const onCommand = async (message: Message): Promise<void> => {
    // Other bots, and channel posts the group receives as automatic forwards, are not users.
    if (fromOtherBot(message) || message.is_automatic_forward) return;
    const text = message.text ?? message.caption ?? '';
    if (!text.startsWith('/')) return;
    if (someoneElses(message, text)) return;
    if (message.document && /^\/import(?:@\S+)?\s*$/i.test(text.trim())) {
      const file = await importedFile(message);
      await answer(message, file === null ? text : `/import\n${file}`);
      return;
    }
    await answer(message, text);
  };

  /**
   * Written by another bot. Not so when the message speaks for a chat (`sender_chat`): then
   * `from` is Telegram's placeholder bot (@GroupAnonymousBot for an anonymous admin, who
   * writes as the group; @Channel_Bot for someone writing as their channel), and a person
   * wrote it.
   */
  const fromOtherBot = (message: Message): boolean =>
    message.from?.is_bot === true && message.sender_chat === undefined;

  /**
   * A command in a group that is not ours and not addressed to us (`/weather` for another
   * bot in the same group): answering "unknown command" there would be noise. In a private
   * chat, or addressed `/x@ourbot`, an unknown command still gets its answer.
   */
  const someoneElses = (message: Message, text: string): boolean => {
    if (message.chat.type !== 'group' && message.chat.type !== 'supergroup') return false;
    const line = parseCommandLine(text);
    if (line === null || commandInfo(line.name) !== undefined) return false;
    return line.bot?.toLowerCase() !== bot.botInfo.username.toLowerCase();
  };

  /** The text of a file sent with /import as its caption; null when there is none to read. */
  const importedFile = async (message: Message): Promise<string | null> => {
    const document = message.document;
    if (!document) return null;
    if ((document.file_size ?? 0) > importMaxBytes) return null;
    const file = await bot.api.getFile(document.file_id);
    if (!file.file_path) return null;
    // The URL holds the token: the label names the file, never the URL.
    const got = await downloadAttachment(`${apiRoot}/file/bot${options.token}/${file.file_path}`, {
      maxBytes: importMaxBytes,
      label: `telegram: attachment ${document.file_name ?? document.file_id}`,
      log,
    });
    if (got.ok) return got.text;
    if (got.problem === 'too-large') return null;
    throw new Error(`the file could not be downloaded (${got.detail})`);
  };

  bot.on('message', (ctx) => onCommand(ctx.message));
  bot.on('channel_post', (ctx) => onCommand(ctx.channelPost));

  // ── Buttons: the command they hold, answered by editing the message they are under ──
  bot.on('callback_query:data', async (ctx) => {
    const command = replies.buttonCommand(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    if (!command || !message || !('text' in message || 'caption' in message)) {
      const language = platformLanguage(ctx.from.language_code) ?? 'en';
      await ctx.answerCallbackQuery({ text: messages(language).buttonExpired });
      return;
    }
    const reply = await options.handle({
      text: command,
      // The one who pressed the button, not the bot that wrote the message, is asking.
      chat: await chatOf({
        chat: message.chat,
        from: ctx.from,
        ...('is_topic_message' in message ? { is_topic_message: message.is_topic_message } : {}),
        ...('message_thread_id' in message ? { message_thread_id: message.message_thread_id } : {}),
      }),
      botName: bot.botInfo.username,
      user: `telegram:${ctx.from.id}`,
    });
    const [first, ...rest] = renderReply(reply).messages;
    await ctx.answerCallbackQuery();
    if (!first) return;
    await replies.edit(message as Message, first);
    if (rest.length > 0) await replies.send(message as Message, { messages: rest });
  });

  // ── Removed from a chat: its subscriptions pause (and are kept) until an admin resumes ──
  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== 'left' && status !== 'kicked') return;
    // Its topics' subscriptions pause at their next post (403: errors.ts).
    const destination = await destinationOf(ctx.myChatMember.chat, null);
    await pauseOnRemoval(
      options.store,
      log,
      destination,
      status === 'kicked' ? 'the bot was removed or blocked' : 'the bot left the chat',
    );
  });

  bot.catch((error) => {
    log.error(`telegram: update ${error.ctx.update.update_id}: ${errorLine(error.error)}`);
  });
}
