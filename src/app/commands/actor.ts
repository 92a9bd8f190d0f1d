import { feedText, feedUrl, UNTITLED } from '../../core/render/index.js';
import type { ActorMatch, ActorProfile, BriefRecord, Store } from '../../store/port.js';
import { lexiconActors, lexiconEntity, localName, searchKey } from '../../store/search.js';
import { ANYONE, type Context, defineCommand, error, localized, text, usage } from './define.js';
import { type BotLanguage, type Messages, messages } from './reply-texts.js';
import type { Reply } from './types.js';

/** Stories per /actor page, and how far back paging goes. */
export const ACTOR_PAGE_SIZE = 5;
export const ACTOR_MAX_STORIES = 50;
/** How many close matches a "did you mean" lists. */
const CHOICES = 8;

/**
 * The command that shows one actor, by id, at a page of its stories: what a "did you mean"
 * choice, a Telegram paging button or a Discord autocomplete value sends back.
 */
export function actorCommand(id: string, page = 1): string {
  return page > 1 ? `/actor id:${id} ${page}` : `/actor id:${id}`;
}

/** `id:andrei-belousov 2` → the id and page; null for a name to search. */
export function parseActorId(args: string): { id: string; page: number } | null {
  const m = /^id:(\S+)(?:\s+(\d{1,4}))?\s*$/i.exec(args.trim());
  if (!m?.[1]) return null;
  return { id: m[1].toLowerCase(), page: Math.max(1, Number(m[2] ?? 1)) };
}

/**
 * The one actor a search means, or null when several are as likely: a single exact match
 * (preferring the one whose whole name was typed), else a best match alone in its rank
 * (prefix, or fuzzy at its distance).
 */
export function pickActor(matches: readonly ActorMatch[], query: string): ActorMatch | null {
  const [top] = matches;
  if (top === undefined) return null;
  if (matches.length === 1) return top;
  const exact = matches.filter((m) => m.match === 'exact');
  if (exact.length > 0) {
    if (exact.length === 1) return exact[0] ?? null;
    const key = searchKey(query);
    const whole = exact.filter((m) => searchKey(m.name) === key);
    return whole.length === 1 ? (whole[0] ?? null) : null;
  }
  const tier = matches.filter((m) => m.match === top.match && m.distance === top.distance);
  return tier.length === 1 ? top : null;
}

/**
 * Close matches for a "did you mean": the exact ones when there are several, else all; their
 * names, found in feeds, made safe to show (feedText).
 */
export function actorChoices(
  matches: readonly ActorMatch[],
  language: BotLanguage = 'en',
): ActorMatch[] {
  const exact = matches.filter((m) => m.match === 'exact');
  return (exact.length > 1 ? exact : matches)
    .slice(0, CHOICES)
    .map((m) => ({ ...m, name: actorName(m, language) }));
}

/**
 * An actor's name as every reply shows it: the lexicon's name in the chat's language when
 * it knows the actor, else the name feeds gave (feedText), its id when nothing is left.
 */
function actorName(actor: { id: string; name: string }, language: BotLanguage = 'en'): string {
  return localName(actor.id, feedText(actor.name, 200), language) || actor.id;
}

/**
 * A profile as replies show it: everything in it came from feeds — names, roles, headlines,
 * sources, links — so all of it goes through feedText and feedUrl here, once, for the
 * console's text and every platform's rendering alike.
 */
function shownProfile(profile: ActorProfile, language: BotLanguage): ActorProfile {
  return {
    ...profile,
    name: actorName(profile, language),
    roles: profile.roles
      .map((role) => ({ ...role, role: feedText(role.role) }))
      .filter((role) => role.role !== ''),
    latestBriefs: profile.latestBriefs.map(shownStory),
    coActors: profile.coActors.map((other) => ({ ...other, name: actorName(other, language) })),
  };
}

function shownStory(record: BriefRecord): BriefRecord {
  const { brief } = record;
  return {
    ...record,
    brief: {
      ...brief,
      title: feedText(brief.title) || UNTITLED,
      source: feedText(brief.source, 200) || null,
      url: feedUrl(brief.url),
    },
  };
}

export function isoDay(date: Date): string {
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(0, 10);
}

/** When a story happened: its publication date, else when the bot stored it. */
export function storyDate(record: BriefRecord): Date {
  const published = record.brief.publishedAt ? new Date(record.brief.publishedAt) : null;
  return published && !Number.isNaN(published.getTime()) ? published : record.createdAt;
}

/**
 * The profile of an actor with one page of stories, its names in the chat's language; null
 * when no stored brief names the id.
 */
export async function loadActorPage(
  store: Store,
  id: string,
  requested: number,
  language: BotLanguage = 'en',
): Promise<{ profile: ActorProfile; stories: BriefRecord[]; page: number; pages: number } | null> {
  const wanted = wantedPage(requested);
  const found = await store.actors.profile(id, profileOptions(wanted));
  return found === null ? null : actorPage(found, wanted, language);
}

function wantedPage(requested: number): number {
  const maxPages = Math.ceil(ACTOR_MAX_STORIES / ACTOR_PAGE_SIZE);
  return Math.min(Math.max(1, Math.trunc(requested)), maxPages);
}

/** What a profile read for a page of stories asks the store for. */
function profileOptions(wanted: number): { briefs: number; coActors: number } {
  return { briefs: wanted * ACTOR_PAGE_SIZE, coActors: 5 };
}

/** One page of a profile read with profileOptions(wanted), as replies show it. */
function actorPage(
  found: ActorProfile,
  wanted: number,
  language: BotLanguage,
): { profile: ActorProfile; stories: BriefRecord[]; page: number; pages: number } {
  const profile = shownProfile(found, language);
  const pages = Math.max(
    1,
    Math.ceil(Math.min(profile.briefCount, ACTOR_MAX_STORIES) / ACTOR_PAGE_SIZE),
  );
  const page = Math.min(wanted, pages);
  const stories = profile.latestBriefs.slice((page - 1) * ACTOR_PAGE_SIZE, page * ACTOR_PAGE_SIZE);
  return { profile, stories, page, pages };
}

export function actorText(
  m: Messages,
  view: { profile: ActorProfile; stories: BriefRecord[]; page: number; pages: number },
): string {
  const { profile, stories, page, pages } = view;
  const lines = [
    profile.name,
    m.actorSeen(
      m.kind[profile.kind],
      profile.briefCount,
      isoDay(profile.firstSeenAt),
      isoDay(profile.lastSeenAt),
    ),
  ];
  if (profile.roles.length > 0) {
    lines.push('', m.actorRoles);
    for (const role of profile.roles.slice(0, 6)) {
      lines.push(
        `  • ${m.actorRole(role.role, isoDay(role.firstSeenAt), isoDay(role.lastSeenAt), role.briefCount)}`,
      );
    }
  }
  lines.push('', m.actorStories(page, pages));
  if (stories.length === 0) lines.push(`  ${m.actorNoStories}`);
  for (const story of stories) {
    const source = story.brief.source ? ` — ${story.brief.source}` : '';
    lines.push(`  • ${isoDay(storyDate(story))} · ${story.brief.title}${source}`);
    if (story.brief.url) lines.push(`    ${story.brief.url}`);
  }
  if (profile.coActors.length > 0) {
    lines.push(
      '',
      `${m.actorCompany} ${profile.coActors.map((c) => `${c.name} (${c.together})`).join(', ')}`,
    );
  }
  if (page < pages) lines.push('', m.actorMorePages(actorCommand(profile.id, page + 1)));
  return lines.join('\n');
}

export function choicesText(m: Messages, query: string, choices: readonly ActorMatch[]): string {
  return [
    m.actorDidYouMean(query),
    ...choices.map(
      (c) => `  • ${c.name} (${m.kind[c.kind]}, ${m.briefs(c.briefCount)}) — ${actorCommand(c.id)}`,
    ),
  ].join('\n');
}

/** Discord allows 100 characters in an autocomplete choice's name and value. */
const CHOICE_LIMIT = 100;

/**
 * Autocomplete for /actor (Discord): the store's actors matching what was typed so far,
 * accent- and typo-tolerant. Each `value` is the `id:` form /actor reads, so the choice
 * shows exactly that actor.
 */
export async function actorSuggestions(
  store: Store,
  typed: string,
  options: { limit?: number; language?: BotLanguage } = {},
): Promise<{ name: string; value: string }[]> {
  if (searchKey(typed) === '') return [];
  const m = messages(options.language ?? 'en');
  const found = await store.actors.search(typed, Math.min(options.limit ?? 25, 25));
  return found
    .map((a) => {
      const label = `${actorName(a, options.language)} (${m.kind[a.kind]})`;
      return {
        name: label.length > CHOICE_LIMIT ? `${label.slice(0, CHOICE_LIMIT - 1)}…` : label,
        value: `id:${a.id}`,
      };
    })
    .filter((choice) => choice.value.length <= CHOICE_LIMIT);
}

// ── The command ──────────────────────────────────────────────────────────────────────────

async function findActor(ctx: Context): Promise<Reply> {
  const query = ctx.args.replace(/\s+/g, ' ').trim();
  if (query === '') return usage(ctx);
  const { store } = ctx.deps;
  const byId = parseActorId(query);
  if (byId !== null) return showActor(ctx, byId.id, byId.page, query);
  // A name or alias of the lexicon, in any of its languages, is that actor whatever name
  // the feeds gave it: "Spain" is the España of a Spanish feed.
  const [known, ...others] = lexiconActors(query);
  if (known !== undefined && others.length === 0) return showActor(ctx, known.id, 1, query);
  // An exact hit decides alone (pickActor and actorChoices read only the exact matches when
  // there are any, and search lists them first): the prefix and typo search is for a miss.
  // The store reads the profile of the hit it expects us to pick along with the hits: one
  // round trip on PostgreSQL. Another pick (pickActor reads the names) reads its own.
  const exact = await store.actors.exactWithProfile(query, 12, profileOptions(1));
  const matches = exact.matches.length > 0 ? exact.matches : await store.actors.search(query, 12);
  if (matches.length === 0) return error(ctx, 'not-found', ctx.m.actorNotFound(query));
  const picked = pickActor(matches, query);
  if (picked !== null && exact.profile?.id === picked.id) {
    return actorReply(ctx, actorPage(exact.profile, 1, ctx.language));
  }
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
  return actorReply(ctx, view);
}

function actorReply(
  ctx: Context,
  view: { profile: ActorProfile; stories: BriefRecord[]; page: number; pages: number },
): Reply {
  return { kind: 'actor', language: ctx.language, ...view, text: actorText(ctx.m, view) };
}

export const actor = defineCommand({
  name: 'actor',
  args: localized('command.actor.args'),
  policy: ANYONE,
  description: localized('command.actor'),
  options: [
    {
      name: 'name',
      type: 'string',
      required: true,
      autocomplete: true,
      description: localized('command.actor.option.name'),
    },
  ],
  listed: true,
  run: findActor,
});
