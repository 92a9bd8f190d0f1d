import { briefArticle } from '../../core/brief.js';
import { loadLanguageDetectorFor } from '../../core/language.js';
import type { BriefLocale } from '../../core/render/labels.js';
import { renderText } from '../../core/render/plain.js';
import { destinationTimeZone } from '../texts.js';
import { ANYONE, type Context, defineCommand, error, localized, text } from './define.js';
import { isUrlProblem, userMessage } from './subscribe.js';
import type { Reply } from './types.js';

/** `/brief` answers at most this many briefs at once. */
export const MAX_BRIEFS = 20;
export const DEFAULT_BRIEFS = 5;

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whom a brief shown in this chat is written for: its language and time zone. */
async function chatLocale(ctx: Context): Promise<BriefLocale> {
  const { store, config } = ctx.deps;
  const timeZone = await destinationTimeZone(store, config, ctx.chat.destination);
  return { language: ctx.language, timeZone };
}

async function latestBriefs(ctx: Context): Promise<Reply> {
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
    // The general language detector is large: loaded on the first article that needs it.
    await loadLanguageDetectorFor(`${article.title}\n${article.text}`);
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

export const brief = defineCommand({
  name: 'brief',
  args: localized('command.brief.args'),
  policy: ANYONE,
  description: localized('command.brief', { max: MAX_BRIEFS }),
  options: [
    {
      name: 'count',
      type: 'integer',
      required: false,
      min: 1,
      max: MAX_BRIEFS,
      description: localized('command.brief.option.count'),
    },
    {
      name: 'url',
      type: 'string',
      required: false,
      description: localized('command.brief.option.url'),
    },
  ],
  listed: true,
  run: latestBriefs,
});
