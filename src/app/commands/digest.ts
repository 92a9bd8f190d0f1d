import { canonicalTimeZone } from '../../config/schema.js';
import { closest } from '../../shared/edit-distance.js';
import type { DigestRecord } from '../../store/port.js';
import {
  adminsToChange,
  type Context,
  defineCommand,
  error,
  localized,
  text,
  usage,
} from './define.js';
import type { Messages } from './reply-texts.js';
import type { Reply } from './types.js';

/** `30 7 * * *` → `07:30`; any other cron as it is. */
function digestTime(record: DigestRecord): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(record.cron);
  if (!m) return record.cron;
  return `${(m[2] ?? '').padStart(2, '0')}:${(m[1] ?? '').padStart(2, '0')}`;
}

/** The chat's digest setting, as /digest and /feeds state it. */
export function digestSetting(m: Messages, record: DigestRecord | null): string {
  return record === null ? m.noDigest : m.digestLine(digestTime(record), record.timezone);
}

let zones: string[] | null = null;

function suggestZone(typed: string): string | null {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  const lower = zones.map((z) => z.toLowerCase());
  const hit = closest(typed.toLowerCase(), lower);
  return hit === null ? null : (zones[lower.indexOf(hit)] ?? null);
}

async function showOrSetDigest(ctx: Context): Promise<Reply> {
  const { store, config } = ctx.deps;
  const destination = ctx.chat.destination;
  const tokens = ctx.args.split(/\s+/).filter(Boolean);
  if (tokens.length === 0)
    return text(ctx, digestSetting(ctx.m, await store.digests.get(destination)));
  const [time, zone, ...extra] = tokens;
  if (time === undefined || extra.length > 0) return usage(ctx);
  if (/^(?:off|stop|none)$/i.test(time) && zone === undefined) {
    const removed = await store.digests.remove(destination);
    return text(ctx, removed ? ctx.m.digestOff : ctx.m.digestWasOff);
  }
  const hm = /^(\d{1,2})[:.h](\d{2})$/i.exec(time);
  const hour = Number(hm?.[1]);
  const minute = Number(hm?.[2]);
  if (!hm || hour > 23 || minute > 59) return error(ctx, 'usage', ctx.m.badTime(time));
  const typedZone = zone ?? config.destinations[destination]?.timezone ?? 'UTC';
  const timezone = canonicalTimeZone(typedZone);
  if (timezone === null) {
    return error(ctx, 'usage', ctx.m.badTimezone(typedZone, suggestZone(typedZone)));
  }
  const record = await store.digests.set(destination, `${minute} ${hour} * * *`, timezone);
  return text(ctx, ctx.m.digestSet(digestTime(record), record.timezone));
}

export const digest = defineCommand({
  name: 'digest',
  args: localized('command.digest.args'),
  // `/digest` tells anyone the chat's digest time; setting or stopping it is for admins.
  policy: adminsToChange((args) => args.trim() !== ''),
  description: localized('command.digest'),
  options: [
    {
      name: 'time',
      type: 'string',
      required: true,
      description: localized('command.digest.option.time'),
    },
    {
      name: 'timezone',
      type: 'string',
      required: false,
      description: localized('command.digest.option.timezone'),
    },
  ],
  listed: true,
  run: showOrSetDigest,
});
