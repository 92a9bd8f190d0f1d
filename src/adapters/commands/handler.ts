/**
 * The one command handler every platform calls: console, Telegram and Discord hand it the
 * text typed and the chat it came from, and render the Reply value it returns. It knows no
 * platform: no markup, no platform types, no network of its own (the network pieces are
 * injected, see CommandDeps).
 */
import { closest } from '../../config/errors.js';
import { type Destination as ConfigDestination, canonicalTimeZone } from '../../config/schema.js';
import { briefArticle } from '../../core/brief.js';
import { feedText } from '../../core/render/index.js';
import type { BriefLocale } from '../../core/render/labels.js';
import { renderText } from '../../core/render/plain.js';
import { FilterError, parseFilters } from '../../feeds/filters.js';
import { configEntryOf } from '../../scheduler/routing.js';
import { DISABLED_REASON } from '../../scheduler/settings.js';
import { destinationLanguage, destinationTimeZone } from '../../scheduler/texts.js';
import type { DigestRecord, SubscriptionRecord } from '../../store/port.js';
import { lexiconActors, lexiconEntity, localName } from '../../store/search.js';
import {
  actorChoices,
  actorCommand,
  actorText,
  choicesText,
  loadActorPage,
  parseActorId,
  pickActor,
} from './actor.js';
import {
  COMMANDS,
  type CommandInfo,
  type CommandName,
  commandInfo,
  DEFAULT_BRIEFS,
  MAX_BRIEFS,
  usageOf,
} from './commands.js';
import { type BotLanguage, type Messages, messages } from './messages.js';
import { OpmlError, parseOpml, toOpml } from './opml.js';
import { postSwitch } from './post-style.js';
import {
  failure,
  feedLabel,
  filterText,
  isUrlProblem,
  reasonBeside,
  type SubscribeOutcome,
  storedFilters,
  subscribeUrl,
  userMessage,
} from './subscribe.js';
import { template } from './template.js';
import type {
  Chat,
  CommandDeps,
  CommandInput,
  ErrorCode,
  FeedEntry,
  HelpEntry,
  ImportResult,
  Reply,
} from './types.js';

/** The reason /pause stores; shown in the chat's language by /feeds. */
export const PAUSED_BY_ADMIN = 'paused by an admin';
/** /import takes at most this many feeds at once (each is fetched). */
export const MAX_IMPORT = 50;
const IMPORT_CONCURRENCY = 4;

/** A command line: `/Brief@briefwire_bot 3` → { name: 'brief', bot: 'briefwire_bot', args: '3' }. */
export interface CommandLine {
  name: string;
  /** The bot named after @ (Telegram groups), or null. */
  bot: string | null;
  /** Everything after the command, trimmed; may span lines (/import). */
  args: string;
}

export function parseCommandLine(text: string): CommandLine | null {
  const m = /^\s*\/([^\s@/]+)(?:@(\S*))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!m?.[1]) return null;
  return { name: m[1].toLowerCase(), bot: m[2] || null, args: (m[3] ?? '').trim() };
}

/**
 * The language of the bot's texts in a chat: what it chose with /lang, else the config's
 * `destinations` setting for it, else the sender's platform language, else English.
 */
export function chatLanguage(deps: CommandDeps, chat: Chat): Promise<BotLanguage> {
  return destinationLanguage(deps.store, deps.config, chat.destination, chat.language);
}

/** Whom a brief shown in this chat is written for: its language and time zone. */
async function chatLocale(ctx: Context): Promise<BriefLocale> {
  const { store, config } = ctx.deps;
  const timeZone = await destinationTimeZone(store, config, ctx.chat.destination);
  return { language: ctx.language, timeZone };
}

export interface Context {
  deps: CommandDeps;
  input: CommandInput;
  chat: Chat;
  info: CommandInfo;
  args: string;
  language: BotLanguage;
  m: Messages;
}

export function text(ctx: Pick<Context, 'language'>, body: string): Reply {
  return { kind: 'text', language: ctx.language, text: body };
}

export function error(ctx: Pick<Context, 'language'>, code: ErrorCode, body: string): Reply {
  return { kind: 'error', code, language: ctx.language, text: body };
}

export function usage(ctx: Context): Reply {
  return error(ctx, 'usage', ctx.m.usage(usageOf(ctx.info, ctx.language)));
}

export function createCommandHandler(deps: CommandDeps): (input: CommandInput) => Promise<Reply> {
  return (input) => handleCommand(input, deps);
}

/** Runs one command. Never throws: a bug becomes an `internal` error reply (and `onError`). */
export async function handleCommand(input: CommandInput, deps: CommandDeps): Promise<Reply> {
  let language: BotLanguage = input.chat.language ?? 'en';
  try {
    language = await chatLanguage(deps, input.chat);
    const m = messages(language);
    const line = parseCommandLine(input.text);
    if (line === null) return error({ language }, 'unknown-command', m.notACommand);
    if (line.bot !== null && input.botName) {
      const own = input.botName.replace(/^@/, '').toLowerCase();
      if (line.bot.toLowerCase() !== own) return { kind: 'ignored', language, text: '' };
    }
    const info = commandInfo(line.name);
    if (info === undefined) {
      const known = COMMANDS.filter((c) => c.listed).map((c) => c.name);
      const suggestion = closest(line.name, known);
      return error({ language }, 'unknown-command', m.unknownCommand(line.name, suggestion));
    }
    const ctx: Context = { deps, input, chat: input.chat, info, args: line.args, language, m };
    return await run(ctx, info.name);
  } catch (failure) {
    deps.onError?.(failure, input);
    return error({ language }, 'internal', messages(language).internalError);
  }
}

function run(ctx: Context, name: CommandName): Promise<Reply> {
  switch (name) {
    case 'start':
      return help(ctx, true);
    case 'help':
      return help(ctx, false);
    case 'brief':
      return brief(ctx);
    case 'actor':
      return actor(ctx);
    case 'feeds':
      return feeds(ctx);
    case 'subscribe':
      return admin(ctx, subscribe);
    case 'unsubscribe':
      return admin(ctx, unsubscribe);
    case 'filter':
      return filter(ctx);
    case 'media':
    case 'preview':
      return postSwitch(ctx, name);
    case 'template':
      return template(ctx);
    case 'digest':
      return digest(ctx);
    case 'pause':
      return admin(ctx, pause);
    case 'resume':
      return admin(ctx, resume);
    case 'export':
      return exportOpml(ctx);
    case 'import':
      return admin(ctx, importOpml);
    case 'lang':
      return lang(ctx);
  }
}

/** Runs `then` for an admin; anyone else gets a refusal. */
export async function admin(ctx: Context, then: (ctx: Context) => Promise<Reply>): Promise<Reply> {
  let allowed: boolean;
  try {
    allowed = await ctx.chat.isAdmin();
  } catch (failure) {
    const detail = failure instanceof Error ? failure.message : String(failure);
    return error(ctx, 'not-admin', ctx.m.adminCheckFailed(detail.split('\n')[0] ?? detail));
  }
  return allowed ? then(ctx) : error(ctx, 'not-admin', ctx.m.adminOnly(ctx.info.name));
}

// ── /start, /help ────────────────────────────────────────────────────────────────────────

async function help(ctx: Context, welcome: boolean): Promise<Reply> {
  let isAdmin = false;
  try {
    isAdmin = await ctx.chat.isAdmin();
  } catch {
    // Not knowing is not being one: the list shows what anyone may do.
  }
  const commands: HelpEntry[] = COMMANDS.filter((c) => c.listed && (!c.admin || isAdmin)).map(
    (c) => ({
      name: c.name,
      usage: usageOf(c, ctx.language),
      description: c.description[ctx.language],
      admin: c.admin,
    }),
  );
  const lines = [ctx.m.helpTitle, ...commands.map((c) => `${c.usage} — ${c.description}`)];
  if (!isAdmin) lines.push('', ctx.m.helpAdminNote);
  if (welcome) lines.unshift(ctx.m.welcome, '');
  return { kind: 'help', language: ctx.language, text: lines.join('\n'), commands };
}

// ── /brief ───────────────────────────────────────────────────────────────────────────────

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

async function brief(ctx: Context): Promise<Reply> {
  const tokens = ctx.args.split(/\s+/).filter(Boolean);
  const url = tokens.find((t) => HAS_SCHEME.test(t) || /^www\./i.test(t));
  if (url !== undefined) return briefUrl(ctx, url);
  let count = DEFAULT_BRIEFS;
  if (tokens.length > 0) {
    const [first] = tokens;
    // Out of range either way is refused alike: "1 to 20" says what /brief 21 would get.
    const n = first !== undefined && /^\d{1,6}$/.test(first) ? Number(first) : Number.NaN;
    if (tokens.length > 1 || !(n >= 1 && n <= MAX_BRIEFS)) {
      return error(ctx, 'usage', ctx.m.briefCount(MAX_BRIEFS));
    }
    count = n;
  }
  const { store } = ctx.deps;
  const subscriptions = await store.subscriptions.listByDestination(ctx.chat.destination);
  if (subscriptions.length === 0) return text(ctx, ctx.m.noFeeds);
  const records = await store.briefs.latestFor(ctx.chat.destination, count);
  if (records.length === 0) return text(ctx, ctx.m.noBriefs);
  const briefs = records.map((r) => r.brief);
  const locale = await chatLocale(ctx);
  return {
    kind: 'briefs',
    language: ctx.language,
    briefs,
    locale,
    text: [ctx.m.latestBriefs(briefs.length), ...briefs.map((b) => renderText(b, locale))].join(
      '\n\n',
    ),
  };
}

async function briefUrl(ctx: Context, url: string): Promise<Reply> {
  const typed = /^www\./i.test(url) ? `https://${url}` : url;
  if (!/^https?:\/\//i.test(typed)) return error(ctx, 'bad-url', ctx.m.badUrl(url));
  const turn = ctx.deps.briefLimits.take(
    ctx.input.user ?? null,
    ctx.chat.destination,
    ctx.deps.now().getTime(),
  );
  if (!turn.ok) {
    const seconds = Math.max(1, Math.ceil(turn.retryInMs / 1000));
    return error(ctx, 'rate-limited', ctx.m.briefTooOften(turn.who, turn.count, seconds));
  }
  try {
    const checked = await ctx.deps.checkFeedUrl(typed);
    const article = await ctx.deps.loadArticle(checked.href);
    const result = (ctx.deps.brief ?? briefArticle)(article);
    const locale = await chatLocale(ctx);
    return {
      kind: 'brief',
      language: ctx.language,
      brief: result,
      locale,
      text: renderText(result, locale),
    };
  } catch (failure) {
    const detail = userMessage(failure);
    if (detail === null) throw failure;
    return error(ctx, isUrlProblem(failure) ? 'bad-url' : 'failed', ctx.m.briefFailed(detail));
  }
}

// ── /actor ───────────────────────────────────────────────────────────────────────────────

async function actor(ctx: Context): Promise<Reply> {
  const query = ctx.args.replace(/\s+/g, ' ').trim();
  if (query === '') return usage(ctx);
  const { store } = ctx.deps;
  const byId = parseActorId(query);
  if (byId !== null) return showActor(ctx, byId.id, byId.page, query);
  // A name or alias of the lexicon, in any of its languages, is that actor whatever name
  // the feeds gave it: "Spain" is the España of a Spanish feed.
  const [known, ...others] = lexiconActors(query);
  if (known !== undefined && others.length === 0) return showActor(ctx, known.id, 1, query);
  const matches = await store.actors.search(query, 12);
  if (matches.length === 0) return error(ctx, 'not-found', ctx.m.actorNotFound(query));
  const picked = pickActor(matches, query);
  if (picked !== null) return showActor(ctx, picked.id, 1, query);
  const choices = actorChoices(matches, ctx.language);
  return {
    kind: 'actor-choices',
    language: ctx.language,
    query,
    choices: choices.map((c) => ({ ...c, command: actorCommand(c.id) })),
    text: choicesText(ctx.m, query, choices),
  };
}

async function showActor(ctx: Context, id: string, page: number, query: string): Promise<Reply> {
  const view = await loadActorPage(ctx.deps.store, id, page, ctx.language);
  if (view === null) {
    const known = lexiconEntity(id);
    if (known === undefined) return error(ctx, 'not-found', ctx.m.actorNotFound(query));
    const name = localName(known.id, known.names.en, ctx.language);
    return text(ctx, ctx.m.actorKnownNoStories(name, ctx.m.kind[known.kind]));
  }
  return { kind: 'actor', language: ctx.language, ...view, text: actorText(ctx.m, view) };
}

// ── /feeds and feed references ───────────────────────────────────────────────────────────

export async function feedEntries(ctx: Context): Promise<FeedEntry[]> {
  const { store } = ctx.deps;
  const subscriptions = await store.subscriptions.listByDestination(ctx.chat.destination);
  const entries: FeedEntry[] = [];
  for (const subscription of subscriptions) {
    const feed = await store.feeds.get(subscription.feedId);
    if (feed === null) continue;
    entries.push({
      number: entries.length + 1,
      subscriptionId: subscription.id,
      feedId: feed.id,
      name: feedLabel(feed),
      url: feed.url,
      filters: filterText(subscription.filters),
      paused: subscription.paused,
      pausedReason: subscription.pausedReason,
      feedPaused: feed.paused,
      feedPausedReason: feed.pausedReason,
      consecutiveFailures: feed.consecutiveFailures,
      // What the feed's server answered, as any feed text.
      lastError: feedText(feed.lastError) || null,
      lastPolledAt: feed.lastPolledAt,
      lastNewItemAt: feed.lastNewItemAt,
    });
  }
  return entries;
}

function reason(m: Messages, stored: string | null): string {
  if (stored === null || stored === PAUSED_BY_ADMIN) return m.pausedByAdmin;
  // A platform's refusal or a feed's failure, in their words.
  return feedText(stored) || m.pausedByAdmin;
}

/** `30 7 * * *` → `07:30`; any other cron as it is. */
function digestTime(record: DigestRecord): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(record.cron);
  if (!m) return record.cron;
  return `${(m[2] ?? '').padStart(2, '0')}:${(m[1] ?? '').padStart(2, '0')}`;
}

function digestText(m: Messages, record: DigestRecord | null): string {
  return record === null ? m.noDigest : m.digestLine(digestTime(record), record.timezone);
}

async function feeds(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  const digestRecord = await ctx.deps.store.digests.get(ctx.chat.destination);
  const { m } = ctx;
  const lines: string[] = [];
  if (entries.length === 0) lines.push(m.noFeeds);
  else lines.push(m.feedsTitle);
  for (const e of entries) {
    lines.push(`${e.number}. ${e.name} — ${e.url}`);
    if (e.lastNewItemAt !== null) {
      const age = ctx.deps.now().getTime() - e.lastNewItemAt.getTime();
      lines.push(`   ${m.lastNewItem(age)}`);
    }
    if (e.filters) lines.push(`   ${m.feedFilters(e.filters)}`);
    if (e.paused) lines.push(`   ${m.pausedHere(reason(m, e.pausedReason))}`);
    if (e.feedPaused) {
      // A feed the config disables stays paused whatever /resume says: the config decides.
      const resumable = e.feedPausedReason !== DISABLED_REASON;
      lines.push(`   ${m.pausedFeed(reason(m, e.feedPausedReason), resumable)}`);
    } else if (e.consecutiveFailures > 0 && e.lastError) {
      lines.push(`   ${m.failing(e.consecutiveFailures, e.lastError)}`);
    }
  }
  lines.push('', digestText(m, digestRecord));
  // What a config file calls this chat (subscriptions, destinations): hard to find otherwise.
  if (ctx.chat.destination !== 'console') lines.push(m.chatDestination(ctx.chat.destination));
  return {
    kind: 'feeds',
    language: ctx.language,
    feeds: entries,
    digest: digestRecord,
    text: lines.join('\n'),
  };
}

/** The feed a chat means by `2`, a URL or a name; null when none. */
export function findEntry(entries: readonly FeedEntry[], ref: string): FeedEntry | null {
  const wanted = ref.trim();
  if (/^\d{1,6}$/.test(wanted)) return entries[Number(wanted) - 1] ?? null;
  let href: string | null = null;
  try {
    href = new URL(wanted).href;
  } catch {
    // Not a URL: a name, perhaps.
  }
  const folded = wanted.toLowerCase();
  return (
    entries.find((e) => e.url === wanted || e.url === href) ??
    entries.find((e) => e.name.toLowerCase() === folded) ??
    null
  );
}

export function noSuchFeed(ctx: Context, ref: string, entries: readonly FeedEntry[]): Reply {
  return error(ctx, 'not-found', ctx.m.noSuchFeed(ref, entries.length));
}

// ── /subscribe, /unsubscribe, /filter ────────────────────────────────────────────────────

/** The filter text, validated; a reply when it cannot be read. */
function readFilters(ctx: Context, text: string): string | Reply {
  try {
    return parseFilters(text).text;
  } catch (failure) {
    if (failure instanceof FilterError) {
      return error(ctx, 'usage', ctx.m.badFilters(failure.message));
    }
    throw failure;
  }
}

export function splitFirst(args: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(args.trim());
  return m ? [m[1] ?? '', (m[2] ?? '').trim()] : ['', ''];
}

async function subscribe(ctx: Context): Promise<Reply> {
  const [url, rest] = splitFirst(ctx.args);
  if (url === '') return usage(ctx);
  const filters = readFilters(ctx, rest);
  if (typeof filters !== 'string') return filters;
  const outcome = await subscribeUrl(ctx.deps, ctx.input, url, filters);
  const { m } = ctx;
  switch (outcome.status) {
    case 'failed':
      return error(ctx, outcome.code, m.subscribeFailed(outcome.reason));
    case 'exists': {
      const name = feedLabel(outcome.feed);
      if (rest === '' || filters === filterText(outcome.subscription.filters)) {
        return text(ctx, m.alreadySubscribed(name));
      }
      const { subscription } = outcome;
      const note = await keepChatChange(ctx, subscription);
      await ctx.deps.store.subscriptions.setFilters(
        subscription.id,
        storedFilters(filters, subscription.filters),
      );
      return text(ctx, withNote(m.filtersUpdated(name, filters), note));
    }
    case 'added': {
      const { feed, items } = outcome;
      const name = feedLabel(feed);
      const lines = [
        items === null ? m.subscribedExisting(name, feed.url) : m.subscribed(name, feed.url, items),
      ];
      if (filters) lines.push(m.withFilters(filters));
      return text(ctx, lines.join('\n'));
    }
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

async function unsubscribe(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return usage(ctx);
  const entries = await feedEntries(ctx);
  const entry = findEntry(entries, ctx.args);
  if (entry === null) return noSuchFeed(ctx, ctx.args, entries);
  const { store } = ctx.deps;
  const note = await keepChatChange(ctx, await store.subscriptions.get(entry.subscriptionId));
  await store.subscriptions.remove(entry.subscriptionId);
  // A feed added from a chat goes when its last chat leaves: nobody would read its polls.
  const feed = await store.feeds.get(entry.feedId);
  if (feed?.origin === 'chat' && (await store.subscriptions.listByFeed(feed.id)).length === 0) {
    await store.feeds.remove(feed.id);
  }
  return text(ctx, withNote(ctx.m.unsubscribed(entry.name), note));
}

async function filter(ctx: Context): Promise<Reply> {
  const [ref, rest] = splitFirst(ctx.args);
  if (ref === '') return usage(ctx);
  if (rest === '') {
    // Showing is for everyone (/feeds shows the same).
    const entries = await feedEntries(ctx);
    const entry = findEntry(entries, ref);
    if (entry === null) return noSuchFeed(ctx, ref, entries);
    return text(ctx, ctx.m.filtersShown(entry.name, entry.filters || ctx.m.noFilters));
  }
  return admin(ctx, async () => {
    const entries = await feedEntries(ctx);
    const entry = findEntry(entries, ref);
    if (entry === null) return noSuchFeed(ctx, ref, entries);
    const { subscriptions } = ctx.deps.store;
    const subscription = await subscriptions.get(entry.subscriptionId);
    const current = subscription?.filters;
    const clear = /^(?:off|none|-)$/i.test(rest);
    const filters = clear ? '' : readFilters(ctx, rest);
    if (typeof filters !== 'string') return filters;
    const note = await keepChatChange(ctx, subscription);
    await subscriptions.setFilters(entry.subscriptionId, storedFilters(filters, current));
    const done = clear
      ? ctx.m.filtersCleared(entry.name)
      : ctx.m.filtersUpdated(entry.name, filters);
    return text(ctx, withNote(done, note));
  });
}

// ── /digest ──────────────────────────────────────────────────────────────────────────────

let zones: string[] | null = null;

function suggestZone(typed: string): string | null {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  const lower = zones.map((z) => z.toLowerCase());
  const hit = closest(typed.toLowerCase(), lower);
  return hit === null ? null : (zones[lower.indexOf(hit)] ?? null);
}

async function digest(ctx: Context): Promise<Reply> {
  const { store, config } = ctx.deps;
  const destination = ctx.chat.destination;
  const tokens = ctx.args.split(/\s+/).filter(Boolean);
  if (tokens.length === 0)
    return text(ctx, digestText(ctx.m, await store.digests.get(destination)));
  return admin(ctx, async () => {
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
    const typedZone =
      zone ?? config.destinations[destination as ConfigDestination]?.timezone ?? 'UTC';
    const timezone = canonicalTimeZone(typedZone);
    if (timezone === null) {
      return error(ctx, 'usage', ctx.m.badTimezone(typedZone, suggestZone(typedZone)));
    }
    const record = await store.digests.set(destination, `${minute} ${hour} * * *`, timezone);
    return text(ctx, ctx.m.digestSet(digestTime(record), record.timezone));
  });
}

// ── /pause, /resume ──────────────────────────────────────────────────────────────────────

async function pause(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  if (entries.length === 0) return text(ctx, ctx.m.nothingToPause);
  let targets = entries;
  if (ctx.args !== '') {
    const entry = findEntry(entries, ctx.args);
    if (entry === null) return noSuchFeed(ctx, ctx.args, entries);
    targets = [entry];
  }
  for (const entry of targets) {
    // One paused for another reason (the bot was blocked) keeps that reason.
    if (!entry.paused)
      await ctx.deps.store.subscriptions.pause(entry.subscriptionId, PAUSED_BY_ADMIN);
  }
  return text(ctx, ctx.m.paused(targets.map((e) => e.name)));
}

async function resume(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  let targets = entries;
  if (ctx.args !== '') {
    const entry = findEntry(entries, ctx.args);
    if (entry === null) return noSuchFeed(ctx, ctx.args, entries);
    targets = [entry];
  }
  const { store, now } = ctx.deps;
  const resumed: string[] = [];
  const feedLines: string[] = [];
  for (const entry of targets) {
    if (entry.paused) {
      await store.subscriptions.resume(entry.subscriptionId);
      resumed.push(entry.name);
    }
    if (entry.feedPaused && entry.feedPausedReason !== DISABLED_REASON) {
      // Paused after failures in a row: polled again at once, the count starting afresh.
      await store.feeds.updatePollState(entry.feedId, {
        paused: false,
        pausedReason: null,
        consecutiveFailures: 0,
        nextPollAt: now(),
      });
      feedLines.push(ctx.m.resumedFeed(entry.name, entry.consecutiveFailures));
    }
  }
  if (resumed.length === 0 && feedLines.length === 0) return text(ctx, ctx.m.nothingPaused);
  const lines = resumed.length > 0 ? [ctx.m.resumed(resumed), ...feedLines] : feedLines;
  return text(ctx, lines.join('\n'));
}

// ── /export, /import ─────────────────────────────────────────────────────────────────────

/** `telegram:-100123` → `briefwire-telegram-100123.opml`. */
export function exportFilename(destination: string): string {
  const slug = destination
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `briefwire-${slug || 'chat'}.opml`;
}

async function exportOpml(ctx: Context): Promise<Reply> {
  const entries = await feedEntries(ctx);
  if (entries.length === 0) return text(ctx, ctx.m.exportEmpty);
  const opml = toOpml(
    entries.map((e) => ({ xmlUrl: e.url, title: e.name, filters: e.filters })),
    { title: `briefwire: ${ctx.chat.destination}`, created: ctx.deps.now() },
  );
  const filename = exportFilename(ctx.chat.destination);
  return {
    kind: 'export',
    language: ctx.language,
    filename,
    opml,
    text: `${ctx.m.exported(entries.length, filename)}\n\n${opml}`,
  };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function importOpml(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return error(ctx, 'usage', ctx.m.importNeedsOpml(ctx.chat.fileInput));
  let listed: ReturnType<typeof parseOpml>;
  try {
    listed = parseOpml(ctx.args);
  } catch (failure) {
    if (failure instanceof OpmlError) return error(ctx, 'usage', ctx.m.notOpml(failure.message));
    throw failure;
  }
  if (listed.length > MAX_IMPORT) {
    return error(ctx, 'usage', ctx.m.importTooMany(listed.length, MAX_IMPORT));
  }
  const added: ImportResult[] = [];
  const skipped: ImportResult[] = [];
  const failed: ImportResult[] = [];
  const seen = new Set<string>();
  const unique = listed.filter((feed) => {
    const key = feed.xmlUrl;
    if (seen.has(key)) {
      skipped.push({ url: key, reason: ctx.m.importDuplicate });
      return false;
    }
    seen.add(key);
    return true;
  });
  const outcomes = await mapLimited(
    unique,
    IMPORT_CONCURRENCY,
    async (feed): Promise<SubscribeOutcome> => {
      let filters: string;
      try {
        filters = parseFilters(feed.filters).text;
      } catch (problem) {
        if (!(problem instanceof FilterError)) throw problem;
        return failure('failed', ctx.m.badFilters(problem.message));
      }
      return subscribeUrl(ctx.deps, ctx.input, feed.xmlUrl, filters);
    },
  );
  outcomes.forEach((outcome, k) => {
    const url = unique[k]?.xmlUrl ?? '';
    if (outcome.status === 'added') added.push({ url: outcome.feed.url, reason: null });
    else if (outcome.status === 'exists') skipped.push({ url, reason: ctx.m.importAlready });
    else failed.push({ url, reason: reasonBeside(url, outcome) });
  });
  const lines = [ctx.m.imported(added.length, skipped.length, failed.length)];
  for (const item of added) lines.push(`+ ${item.url}`);
  for (const item of skipped) lines.push(`= ${item.url}: ${item.reason}`);
  for (const item of failed) lines.push(`! ${item.url}: ${item.reason}`);
  return {
    kind: 'import',
    language: ctx.language,
    added,
    skipped,
    failed,
    text: lines.join('\n'),
  };
}

// ── /lang ────────────────────────────────────────────────────────────────────────────────

const LANGUAGE_WORDS: Readonly<Record<string, BotLanguage>> = {
  en: 'en',
  eng: 'en',
  english: 'en',
  inglese: 'en',
  it: 'it',
  ita: 'it',
  italian: 'it',
  italiano: 'it',
};

async function lang(ctx: Context): Promise<Reply> {
  if (ctx.args === '') return text(ctx, ctx.m.languageIs(ctx.m.languageName));
  return admin(ctx, async () => {
    const chosen = LANGUAGE_WORDS[ctx.args.toLowerCase()];
    if (chosen === undefined) return error(ctx, 'not-found', ctx.m.badLanguage(ctx.args));
    await ctx.deps.store.destinations.set(ctx.chat.destination, { language: chosen });
    return text({ language: chosen }, messages(chosen).languageSet);
  });
}
