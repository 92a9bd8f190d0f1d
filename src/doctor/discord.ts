/**
 * The Discord token (GET /applications/@me through discord.js's REST), the intents the bot
 * asks for against what the application allows, and the server of DISCORD_GUILD_ID.
 */
import type { APIApplication } from 'discord.js';
import type { Config } from '../config/index.js';
import { networkReason } from '../net/reason.js';
import { type CheckRow, row } from './types.js';

const CHECK = 'discord';
const CHECK_INTENTS = 'discord intents';
const CHECK_SERVER = 'discord server';

export const DISCORD_DEFAULT_API = 'https://discord.com/api';

/** The gateway intents the adapter asks for (src/adapters/discord: Guilds only). */
export const BOT_INTENTS: readonly IntentName[] = ['Guilds'];

type IntentName = 'Guilds' | 'GuildMembers' | 'GuildPresences' | 'MessageContent';

/** Privileged intents and the application flags (full or limited) that allow each. */
const PRIVILEGED: Partial<Record<IntentName, { flags: number; portal: string }>> = {
  GuildPresences: { flags: (1 << 12) | (1 << 13), portal: 'Presence Intent' },
  GuildMembers: { flags: (1 << 14) | (1 << 15), portal: 'Server Members Intent' },
  MessageContent: { flags: (1 << 18) | (1 << 19), portal: 'Message Content Intent' },
};

/** View Channel, Send Messages, Embed Links, Attach Files. */
const INVITE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15);

export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`;
}

/** The intents row: each privileged intent the bot asks for must be enabled for the application. */
export function intentsRow(flags: number, intents: readonly IntentName[] = BOT_INTENTS): CheckRow {
  const missing = intents.filter((name) => {
    const privileged = PRIVILEGED[name];
    return privileged !== undefined && (flags & privileged.flags) === 0;
  });
  if (missing.length > 0) {
    const portal = missing.map((name) => PRIVILEGED[name]?.portal).join(', ');
    return row(
      CHECK_INTENTS,
      'fail',
      `the bot asks for ${missing.join(', ')}, not enabled for the application`,
      `enable ${portal} in the Developer Portal → Bot → Privileged Gateway Intents`,
    );
  }
  const privileged = intents.filter((name) => PRIVILEGED[name] !== undefined);
  return row(
    CHECK_INTENTS,
    'ok',
    privileged.length === 0
      ? `${intents.join(', ')}: nothing privileged needed`
      : `${intents.join(', ')}: the privileged ones are enabled`,
  );
}

export async function checkDiscord(config: Config): Promise<CheckRow[]> {
  const token = config.secrets.discordToken;
  if (token === null) return [row(CHECK, 'skip', 'not configured (DISCORD_TOKEN is not set)')];
  // Loaded only when there is a token to check (discord.js takes a while to load).
  const { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } = await import('discord.js');
  const api = config.discord.apiRoot ?? DISCORD_DEFAULT_API;
  const rest = new REST({
    api,
    version: '10',
    retries: 0,
    timeout: config.http.timeoutMs,
    // A doctor reports a rate limit; it does not wait it out.
    rejectOnRateLimit: () => true,
    // No sweeper timers: they would keep the process alive.
    handlerSweepInterval: 0,
    hashSweepInterval: 0,
  }).setToken(token);

  const failure = (check: string, error: unknown): CheckRow => {
    if (error instanceof DiscordAPIError) {
      if (error.status === 401) {
        return row(
          check,
          'fail',
          'Discord refused the token (401 Unauthorized)',
          'reset it in the Developer Portal → Bot, and set DISCORD_TOKEN to the new one',
        );
      }
      return row(check, 'fail', `Discord answered ${error.status}: ${error.message}`, null);
    }
    if (error instanceof RateLimitError) {
      return row(
        check,
        'warn',
        `Discord rate-limits this token for ${Math.ceil(error.retryAfter / 1000)} s`,
        'try again later',
      );
    }
    if (error instanceof HTTPError) {
      return row(check, 'fail', `Discord answered HTTP ${error.status}`, 'try again in a minute');
    }
    return row(
      check,
      'fail',
      `cannot reach ${api}: ${networkReason(error)}`,
      'check the network (proxy, firewall, DNS), or discord.apiRoot / DISCORD_API_ROOT',
    );
  };

  let app: APIApplication;
  try {
    app = (await rest.get(Routes.currentApplication())) as APIApplication;
  } catch (error) {
    return [failure(CHECK, error), row(CHECK_INTENTS, 'skip', 'needs a working token')];
  }
  const name = app.bot?.username ? `@${app.bot.username}` : app.name;
  const servers = app.approximate_guild_count;
  const rows: CheckRow[] = [];
  if (servers === 0) {
    rows.push(
      row(
        CHECK,
        'warn',
        `${name} (application ${app.id}) is in no server yet`,
        `invite it: ${inviteUrl(app.id)}`,
      ),
    );
  } else {
    const inServers =
      servers === undefined ? '' : `, in ${servers} server${servers === 1 ? '' : 's'}`;
    rows.push(row(CHECK, 'ok', `${name} (application ${app.id})${inServers}`));
  }
  rows.push(intentsRow(app.flags ?? 0));

  const guildId = config.discord.guildId;
  if (guildId !== null) {
    try {
      const guild = (await rest.get(Routes.guild(guildId))) as { name?: string };
      rows.push(
        row(CHECK_SERVER, 'ok', `${guild.name ?? 'server'} (${guildId}): the bot is in it`),
      );
    } catch (error) {
      if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) {
        rows.push(
          row(
            CHECK_SERVER,
            'fail',
            `the bot is not in server ${guildId} (DISCORD_GUILD_ID): ${error.message}`,
            `invite it: ${inviteUrl(app.id)}, or correct DISCORD_GUILD_ID`,
          ),
        );
      } else rows.push(failure(CHECK_SERVER, error));
    }
  }
  return rows;
}
