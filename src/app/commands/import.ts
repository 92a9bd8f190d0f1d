import { FilterError, parseFilters } from '../../core/filters/filters.js';
import { eachLimited } from '../../shared/pool.js';
import { ADMINS, type Context, defineCommand, error, localized } from './define.js';
import { OpmlError, parseOpml } from './opml.js';
import { failure, reasonBeside, type SubscribeOutcome, subscribeUrl } from './subscribe.js';
import type { ImportResult, Reply } from './types.js';

/** /import takes at most this many feeds at once (each is fetched). */
export const MAX_IMPORT = 50;
const IMPORT_CONCURRENCY = 4;

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
  const subscribeOne = async (feed: (typeof unique)[number]): Promise<SubscribeOutcome> => {
    let filters: string;
    try {
      filters = parseFilters(feed.filters).text;
    } catch (problem) {
      if (!(problem instanceof FilterError)) throw problem;
      return failure('failed', ctx.m.badFilters(problem.message));
    }
    return subscribeUrl(ctx.deps, ctx.input, feed.xmlUrl, filters);
  };
  const outcomes = new Array<SubscribeOutcome>(unique.length);
  await eachLimited(
    unique.map((_, k) => k),
    IMPORT_CONCURRENCY,
    async (k) => {
      outcomes[k] = await subscribeOne(unique[k] as (typeof unique)[number]);
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

export const importCommand = defineCommand({
  name: 'import',
  args: localized('command.import.args'),
  policy: ADMINS,
  description: localized('command.import'),
  options: [
    {
      name: 'file',
      type: 'attachment',
      required: true,
      description: localized('command.import.option.file'),
    },
  ],
  listed: true,
  run: importOpml,
});
