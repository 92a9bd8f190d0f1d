/**
 * /media and /preview: how a subscription here posts its briefs. `/media 2` shows whether
 * briefs of the chat's second feed come with their lead image (anyone may ask);
 * `/media 2 off` sets it (admins). `/preview` the same for Telegram's link preview. The
 * setting is kept in the subscription's filters JSON beside its template (store/
 * post-style.ts reads it when a brief is sent); on a subscription the config file made,
 * the change holds until the config's entry changes, as /filter's does.
 */
import { postStyleOf } from '../../store/post-style.js';
import { keepChatChange, withNote } from './changes.js';
import { feedEntries, feedOption, findEntry, noSuchFeed } from './chat-feeds.js';
import {
  adminsToChange,
  type CommandInfo,
  type Context,
  defineCommand,
  error,
  localized,
  splitFirst,
  text,
  usage,
} from './define.js';
import { filterText } from './subscribe.js';
import type { FeedEntry, Reply } from './types.js';

export type PostSwitch = 'media' | 'preview';

/** `on`/`off` (and the words people use for them), else null. */
export function readSwitch(word: string): boolean | null {
  if (/^(?:on|yes|true|1|s[iì])$/i.test(word)) return true;
  if (/^(?:off|no|false|0)$/i.test(word)) return false;
  return null;
}

/**
 * The subscription's stored filters with the switch set: `false` is written, `true` is the
 * default and leaves no key, so a subscription turned back on reads as one never changed.
 */
export function withSwitch(stored: unknown, which: PostSwitch, on: boolean): object {
  const base: Record<string, unknown> =
    stored !== null && typeof stored === 'object' && !Array.isArray(stored)
      ? { ...(stored as Record<string, unknown>) }
      : { origin: 'chat', filters: filterText(stored) };
  if (on) delete base[which];
  else base[which] = false;
  return base;
}

/**
 * What `/media ARGS` asks: the feed (its number, URL or name, which may have spaces) and,
 * last, on or off. Whole args that name a feed are a question; else the last word is the
 * setting.
 */
function readArgs(
  args: string,
  entries: readonly FeedEntry[],
): { entry: FeedEntry; on: boolean | null } | { ref: string; bad: string | null } {
  const whole = findEntry(entries, args);
  if (whole !== null) return { entry: whole, on: null };
  const m = /^([\s\S]*\S)\s+(\S+)$/.exec(args);
  const ref = m?.[1] ?? args;
  const word = m?.[2] ?? '';
  const on = readSwitch(word);
  const entry = findEntry(entries, ref);
  if (entry !== null && on !== null) return { entry, on };
  // A feed, then something that is no setting: say what is wrong with the setting.
  const [first, rest] = splitFirst(args);
  if (on === null && findEntry(entries, first) !== null) return { ref: first, bad: rest };
  return { ref: on === null ? args : ref, bad: null };
}

export async function postSwitch(ctx: Context, which: PostSwitch): Promise<Reply> {
  if (ctx.args === '') return usage(ctx);
  const entries = await feedEntries(ctx);
  const read = readArgs(ctx.args, entries);
  if ('ref' in read) {
    if (read.bad !== null) return error(ctx, 'usage', ctx.m.badSwitch(read.bad));
    return noSuchFeed(ctx, read.ref, entries);
  }
  const { entry, on } = read;
  const { subscriptions } = ctx.deps.store;
  if (on === null) {
    const subscription = await subscriptions.get(entry.subscriptionId);
    const shown = postStyleOf(subscription?.filters ?? null)[which];
    return text(ctx, ctx.m.switchShown(which, entry.name, shown));
  }
  const subscription = await subscriptions.get(entry.subscriptionId);
  if (subscription === null) return noSuchFeed(ctx, ctx.args, entries);
  const note = await keepChatChange(ctx, subscription);
  await subscriptions.setFilters(subscription.id, withSwitch(subscription.filters, which, on));
  return text(ctx, withNote(ctx.m.switchSet(which, entry.name, on), note));
}

/** A setting is a change (admins) when the last of two or more words is on or off. */
function setsSwitch(args: string): boolean {
  const m = /^[\s\S]*\S\s+(\S+)$/.exec(args.trim());
  return m !== null && readSwitch(m[1] ?? '') !== null;
}

/** /media and /preview: a feed, then on or off (showing is for everyone, setting for admins). */
export function switchCommand(name: PostSwitch): CommandInfo {
  return defineCommand({
    name,
    args: localized('command.switch.args'),
    policy: adminsToChange(setsSwitch),
    description: localized(`command.${name}`),
    options: [
      feedOption(true),
      {
        name: 'setting',
        type: 'string',
        required: false,
        description: localized('command.switch.option.setting'),
        choices: ['on', 'off'],
      },
    ],
    listed: true,
    run: (ctx) => postSwitch(ctx, name),
  });
}
