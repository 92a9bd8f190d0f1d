#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { briefArticle, tagText } from './core/brief.js';
import { isInputError } from './core/input/errors.js';
import { knownLanguageOf, loadLanguageDetector } from './core/language.js';
import { render } from './core/render/index.js';
import { loadArticle } from './input/load.js';

const USAGE = `Usage:
  briefwire run [--config FILE]         the bot: polls feeds, posts briefs, answers commands
                                        (with no tokens: in this terminal, the console)
  briefwire brief [--json] FILE|URL|-   brief of one article (text, HTML, RSS/Atom item)
  briefwire tag                         JSON lines {"text", "lang"?} in, {"entities"} out
  briefwire feed check [--json] FILE|URL  a feed's title and items (title, link, guid, date)
  briefwire help                        this text`;

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
      return (await import('./feeds/check.js')).feedCommand(rest);
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      throw new UsageError(`unknown command "${command}" (try: briefwire help)`);
  }
}

async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } } });
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

async function brief(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
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
  const result = briefArticle(article);
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : `${render(result, 'text')}\n`,
  );
  return 0;
}

async function tag(): Promise<number> {
  await loadLanguageDetector();
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
      entities = tagText(input.text, lang);
    } catch (error) {
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
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
        ? (error as Error).message
        : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`briefwire: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
