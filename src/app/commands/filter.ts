import { keepChatChange, readFilters, withNote } from './changes.js';
import { feedEntries, feedOption, findEntry, noSuchFeed } from './chat-feeds.js';
import {
  adminsToChange,
  type Context,
  defineCommand,
  localized,
  splitFirst,
  text,
  usage,
} from './define.js';
import { storedFilters } from './subscribe.js';
import type { Reply } from './types.js';

async function showOrChangeFilters(ctx: Context): Promise<Reply> {
  const [ref, rest] = splitFirst(ctx.args);
  if (ref === '') return usage(ctx);
  const entries = await feedEntries(ctx);
  const entry = findEntry(entries, ref);
  if (entry === null) return noSuchFeed(ctx, ref, entries);
  // Showing is for everyone (/feeds shows the same).
  if (rest === '')
    return text(ctx, ctx.m.filtersShown(entry.name, entry.filters || ctx.m.noFilters));
  const { subscriptions } = ctx.deps.store;
  const subscription = await subscriptions.get(entry.subscriptionId);
  const current = subscription?.filters;
  const clear = /^(?:off|none|-)$/i.test(rest);
  const filters = clear ? '' : readFilters(ctx, rest);
  if (typeof filters !== 'string') return filters;
  const note = await keepChatChange(ctx, subscription);
  await subscriptions.setFilters(entry.subscriptionId, storedFilters(filters, current));
  const done = clear ? ctx.m.filtersCleared(entry.name) : ctx.m.filtersUpdated(entry.name, filters);
  return text(ctx, withNote(done, note));
}

export const filter = defineCommand({
  name: 'filter',
  args: localized('command.filter.args'),
  // `/filter 2` shows the filters to anyone; `/filter 2 -sport` changes them, for admins.
  policy: adminsToChange((args) => splitFirst(args)[1] !== ''),
  description: localized('command.filter'),
  options: [
    feedOption(true),
    {
      name: 'filters',
      type: 'string',
      required: false,
      description: localized('command.filter.option.filters'),
    },
  ],
  listed: true,
  run: showOrChangeFilters,
});
