/**
 * /template: how a subscription here lays out its briefs. `/template 2` shows it (anyone);
 * `/template 2 compact`, `/template 2 full` or `/template 2 {headline} — {source}` with
 * any text and placeholders (core/render/template.ts) sets it (admins). Kept in the
 * subscription's filters JSON as `template`, where the config's `template` goes too; on a
 * subscription the config file made, the change holds until the config's entry changes.
 */
import {
  BUILT_IN_TEMPLATES,
  PLACEHOLDERS,
  parseTemplate,
  TemplateError,
} from '../../core/render/template.js';
import { postStyleOf } from '../../store/post-style.js';
import { keepChatChange, withNote } from './changes.js';
import { feedEntries, feedOption, findEntry, noSuchFeed } from './chat-feeds.js';
import {
  adminsToChange,
  type Context,
  defineCommand,
  error,
  localized,
  splitFirst,
  text,
  usage,
} from './define.js';
import { filterText } from './subscribe.js';
import type { Reply } from './types.js';

/** The subscription's stored filters with this template. */
export function withTemplate(stored: unknown, template: string): object {
  const base: Record<string, unknown> =
    stored !== null && typeof stored === 'object' && !Array.isArray(stored)
      ? { ...(stored as Record<string, unknown>) }
      : { origin: 'chat', filters: filterText(stored) };
  return { ...base, template };
}

const placeholders = PLACEHOLDERS.map((p) => `{${p}}`).join(' ');

async function showOrSetTemplate(ctx: Context): Promise<Reply> {
  const [ref, rest] = splitFirst(ctx.args);
  if (ref === '') return usage(ctx);
  const entries = await feedEntries(ctx);
  const entry = findEntry(entries, ref);
  if (entry === null) return noSuchFeed(ctx, ref, entries);
  const { subscriptions } = ctx.deps.store;
  if (rest === '') {
    const subscription = await subscriptions.get(entry.subscriptionId);
    const current = postStyleOf(subscription?.filters ?? null).template;
    const shown =
      typeof current === 'string'
        ? ctx.m.templateBuiltIn(entry.name, current)
        : ctx.m.templateCustom(entry.name, current.custom);
    return text(ctx, `${shown}\n${ctx.m.templateHelp(placeholders)}`);
  }
  const builtIn = BUILT_IN_TEMPLATES.find((name) => name === rest.toLowerCase());
  let chosen: string;
  if (builtIn !== undefined) {
    chosen = builtIn;
  } else {
    try {
      chosen = parseTemplate(rest).source;
    } catch (failure) {
      if (!(failure instanceof TemplateError)) throw failure;
      return error(ctx, 'usage', ctx.m.badTemplate(failure.message));
    }
  }
  const subscription = await subscriptions.get(entry.subscriptionId);
  if (subscription === null) return noSuchFeed(ctx, ref, entries);
  const note = await keepChatChange(ctx, subscription);
  await subscriptions.setFilters(subscription.id, withTemplate(subscription.filters, chosen));
  return text(ctx, withNote(ctx.m.templateSet(entry.name, chosen), note));
}

export const template = defineCommand({
  name: 'template',
  args: localized('command.template.args'),
  // `/template 2` shows it to anyone; `/template 2 compact` sets it, for admins.
  policy: adminsToChange((args) => splitFirst(args)[1] !== ''),
  description: localized('command.template'),
  options: [
    feedOption(true),
    {
      name: 'template',
      type: 'string',
      required: false,
      description: localized('command.template.option.template'),
    },
  ],
  listed: true,
  run: showOrSetTemplate,
});
