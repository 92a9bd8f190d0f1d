#!/usr/bin/env node
import { ArgsError, readArgs } from './cli-args.js';
import { briefArticle, tagText } from './core/brief.js';
import { formatBytes, isInputError } from './core/input/errors.js';
import { knownLanguageOf, loadLanguageDetector } from './core/language.js';
import { renderText } from './core/render/index.js';
import { loadArticle } from './input/load.js';
import { ModelFileError } from './ner/load.js';
import { shippedTaggers } from './ner/taggers.js';
import { closest } from './shared/edit-distance.js';

const USAGE = `Usage:
  briefwire run [--config FILE]         the bot: polls feeds, posts briefs, answers commands
                                        (with no tokens: in this terminal, the console)
  briefwire brief [--json] FILE|URL|-   brief of one article (text, HTML, RSS/Atom item)
  briefwire tag                         JSON lines {"text", "lang"?} in, {"entities"} out
  briefwire feed check [--json] [--config FILE] FILE|URL
                                        a feed's title and items (title, link, guid, date),
                                        fetched with the config's http settings
  briefwire doctor [--config FILE] [--json]
                                        checks the config, data dir, store, tokens and feeds:
                                        what is wrong and how to fix it (exit 1 if anything fails)
  briefwire db backup FILE [--config FILE] [--force]
                                        an online copy of the store (safe while the bot runs)
  briefwire db migrate --to postgres://… [--config FILE]
                                        moves the SQLite store into an empty PostgreSQL
                                        database (stop the bot first; the file is kept)
  briefwire help                        this text`;

const COMMANDS = ['run', 'brief', 'tag', 'feed', 'doctor', 'db', 'help'];

/** A problem the user can fix: printed as one line, exit status 1, no stack trace. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'brief':
      return brief(rest);
    case 'tag':
      return tag();
    case 'feed':
      // Loaded on demand: the feed parser is not needed to brief an article.
      return (await import('./feed-check.js')).feedCommand(rest);
    case 'doctor':
      return (await import('./doctor/index.js')).doctorCommand(rest);
    case 'db':
      return db(rest);
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default: {
      const guess = closest(command, COMMANDS);
      throw new UsageError(
        `unknown command "${command}"${guess ? `: did you mean ${guess}?` : ''} (try: briefwire help)`,
      );
    }
  }
}

async function run(args: string[]): Promise<number> {
  const { values } = readArgs('run', {
    args,
    options: { config: { type: 'string', short: 'c' } },
  });
  // The service idles between polls: its heap favours size over speed (see bot/heap.ts),
  // set before the bot's modules load.
  (await import('./bot/heap.js')).favourHeapSize();
  // Loaded on demand: the store, scheduler and adapters are not needed to brief an article.
  const { runBot } = await import('./bot/run.js');
  // The first SIGINT/SIGTERM stops the bot cleanly; a second one (once) kills it at once.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The reader of the output went away (`briefwire run | head`): stop as if interrupted.
  process.stdout.on('error', stop);
  try {
    return await runBot({
      configFile: values.config,
      env: process.env,
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** `briefwire db backup FILE [--config FILE] [--force]`. */
async function db(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'migrate') return dbMigrate(rest);
  if (sub !== 'backup') {
    throw new UsageError(
      sub === undefined
        ? 'db needs a subcommand: briefwire db backup FILE, or briefwire db migrate --to URL'
        : `unknown db subcommand "${sub}" (try: briefwire db backup FILE, or briefwire db migrate --to URL)`,
    );
  }
  const { values, positionals } = readArgs('db backup', {
    args: rest,
    options: {
      config: { type: 'string', short: 'c' },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const target = positionals[0];
  if (!target || positionals.length > 1) throw new UsageError('db backup takes one FILE to write');
  // Loaded on demand, and not the whole bot: the config and the store's maintenance port.
  const [{ ConfigError, loadConfig }, store] = await Promise.all([
    import('./config/index.js'),
    import('./store/index.js'),
  ]);
  const { shownPath } = await import('./store/file.js');
  try {
    const config = loadConfig({
      ...(values.config !== undefined ? { file: values.config } : {}),
      env: process.env,
    });
    const maintenance = await store.openStoreMaintenance(
      store.storeLocation(process.env, config.dataDir),
      { show: (file) => shownPath(file) },
    );
    try {
      const result = await maintenance.backup(target, {
        force: values.force === true,
        show: (file) => shownPath(file),
      });
      process.stdout.write(
        `backed up ${result.copied} (${formatBytes(result.bytes)}) to ${target}\n`,
      );
    } finally {
      await maintenance.close();
    }
    return 0;
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof store.BackupError ||
      error instanceof store.StoreError
    ) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** `briefwire db migrate --to postgres://… [--config FILE]`: the SQLite store into PostgreSQL. */
async function dbMigrate(args: string[]): Promise<number> {
  const { values, positionals } = readArgs('db migrate', {
    args,
    options: { to: { type: 'string' }, config: { type: 'string', short: 'c' } },
    allowPositionals: true,
  });
  if (!values.to || positionals.length > 0) {
    throw new UsageError('db migrate takes --to postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  }
  const [{ ConfigError, loadConfig }, store, { shownPath, storeFile }] = await Promise.all([
    import('./config/index.js'),
    import('./store/index.js'),
    import('./store/file.js'),
  ]);
  try {
    const target = store.parseStoreUrl(values.to, { source: '--to' });
    if (target.kind !== 'postgres') {
      throw new UsageError('db migrate moves the SQLite store into PostgreSQL: --to postgres://…');
    }
    const config = loadConfig({
      ...(values.config !== undefined ? { file: values.config } : {}),
      env: process.env,
    });
    // The source is the SQLite file of the data dir, whatever DATABASE_URL says.
    const file = storeFile(config.dataDir);
    const { moveSqliteToPostgres } = await import('./store/move.js');
    const result = await moveSqliteToPostgres(file, shownPath(file), target);
    process.stdout.write(
      `moved ${result.feeds} feeds, ${result.briefs} briefs and ${result.pendingDeliveries} pending deliveries from ${shownPath(file)} to ${target.where}\n` +
        `set DATABASE_URL to that URL to run on it; ${shownPath(file)} is unchanged\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof store.StoreError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

async function brief(args: string[]): Promise<number> {
  const { values, positionals } = readArgs('brief', {
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const source = positionals[0];
  if (!source || positionals.length > 1)
    throw new UsageError('brief takes one FILE, URL or - (stdin)');
  const article = await loadArticle(source);
  // The general language detector is large: load it only for a text the engine's own
  // function-word check cannot place.
  if (!knownLanguageOf(`${article.title}\n${article.text}`)) await loadLanguageDetector();
  // The model of the article's language only, read here (a few MB, well within start-up).
  const result = briefArticle(article, { tagger: shippedTaggers() });
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderText(result)}\n`,
  );
  return 0;
}

async function tag(): Promise<number> {
  await loadLanguageDetector();
  const tagger = shippedTaggers();
  // Loaded on demand: only `tag` reads lines.
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let failures = 0;
  for await (const line of lines) {
    lineNumber++;
    // One line out for every line in, so outputs stay aligned with inputs.
    if (line.trim() === '') {
      process.stdout.write('{"entities":[]}\n');
      continue;
    }
    let entities: ReturnType<typeof tagText>;
    try {
      const input = JSON.parse(line) as unknown;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new Error('expected a JSON object like {"text": "...", "lang": "it"}');
      }
      if (!('text' in input) || typeof input.text !== 'string') {
        throw new Error('"text" must be a string');
      }
      const lang = 'lang' in input && typeof input.lang === 'string' ? input.lang : null;
      entities = tagText(input.text, lang, { tagger });
    } catch (error) {
      // A missing model is no bad line: every later line would fail the same way.
      if (error instanceof ModelFileError) throw error;
      // One bad line must not stop a pipeline: report it and keep the output aligned.
      failures++;
      process.stderr.write(`briefwire tag: line ${lineNumber}: ${(error as Error).message}\n`);
      process.stdout.write(
        `${JSON.stringify({ entities: [], error: (error as Error).message })}\n`,
      );
      continue;
    }
    process.stdout.write(`${JSON.stringify({ entities })}\n`);
  }
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      isInputError(error) ||
      error instanceof UsageError ||
      error instanceof ArgsError ||
      error instanceof ModelFileError
        ? (error as Error).message
        : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`briefwire: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
