/** What the commands that change a chat's subscriptions share: filters typed, config overrides. */
import { FilterError, parseFilters } from '../../core/filters/filters.js';
import type { SubscriptionRecord } from '../../store/port.js';
import { configEntryOf } from '../routing.js';
import { type Context, error } from './define.js';
import type { Reply } from './types.js';

/** The filter text, validated; a reply when it cannot be read. */
export function readFilters(ctx: Context, text: string): string | Reply {
  try {
    return parseFilters(text).text;
  } catch (failure) {
    if (failure instanceof FilterError) {
      return error(ctx, 'usage', ctx.m.badFilters(failure.message));
    }
    throw failure;
  }
}

/**
 * Before a chat changes or leaves a subscription the config file made: records the change
 * with the config entry it overrides, so the next start keeps it until that entry changes
 * (syncConfig). The line that tells the chat so, or null for a subscription of its own.
 */
export async function keepChatChange(
  ctx: Context,
  subscription: SubscriptionRecord | null,
): Promise<string | null> {
  const entry = subscription === null ? null : configEntryOf(subscription);
  if (subscription === null || entry === null) return null;
  await ctx.deps.store.subscriptions.override(subscription.feedId, subscription.destination, entry);
  return ctx.m.configSubscriptionChanged;
}

export function withNote(line: string, note: string | null): string {
  return note === null ? line : `${line}\n${note}`;
}
