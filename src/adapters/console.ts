/**
 * The console adapter: the bot in a terminal, with no platform and no token. Lines typed at
 * a prompt (or piped in by a script) that start with `/` go to the one command handler as
 * the chat `console`, whose local user owns it (always an admin); each reply is printed as
 * plain text (console-render.ts). Briefs the outbox delivers to `console` are printed by
 * the console sender through `out`, above the prompt, without garbling what is being typed.
 */
import path from 'node:path';
import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import type { BotLanguage, Chat, CommandInput, Reply } from '../app/commands/index.js';
import { isInputError } from '../core/input/errors.js';
import { terminalText } from '../core/render/index.js';
import { readFileCapped } from '../net/read-capped.js';
import { errorLine } from '../shared/log.js';
import { consoleTexts, renderHint, renderReply } from './console-render.js';

export const CONSOLE_CHAT: Chat = Object.freeze({
  destination: 'console',
  isAdmin: async () => true,
  fileInput: 'path',
});

/** `/import FILE` reads at most this much (an OPML list of 50 feeds is a few kB). */
const IMPORT_MAX_BYTES = 1024 * 1024;

export interface ConsoleAdapterOptions {
  /** The command handler (createCommandHandler). */
  handle: (input: CommandInput) => Promise<Reply>;
  input: NodeJS.ReadableStream;
  /** Replies and briefs. */
  output: NodeJS.WritableStream;
  /** Log lines (printed above the prompt too); default `output`. */
  errorOutput?: NodeJS.WritableStream;
  /**
   * A terminal: a prompt, line editing, history, Ctrl-C. Otherwise lines are read from a
   * script or a pipe, with no prompt, until the input ends.
   */
  interactive: boolean;
  /** Language of the console's own texts until a reply says otherwise (it follows /lang). */
  language?: BotLanguage;
  /** Run after each command (the bot drains the outbox: a command may have queued posts). */
  afterCommand?: () => Promise<void>;
  /** Where `/import FILE` is read from; default the working directory. */
  cwd?: string;
  prompt?: string;
}

export interface ConsoleAdapter {
  /** Writes to the output above the prompt: give it to createConsoleSender. */
  out: Writable;
  /** The same for log lines, to the error output. */
  err: Writable;
  /** Reads and answers commands until the input ends, Ctrl-C, or close(). */
  run(): Promise<void>;
  /** Stops reading; run() resolves once the command under way is answered. */
  close(): void;
}

export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const { interactive, output } = options;
  const errorOutput = options.errorOutput ?? output;
  let language: BotLanguage = options.language ?? 'en';
  const rl = readline.createInterface({
    input: options.input,
    crlfDelay: Number.POSITIVE_INFINITY,
    ...(interactive
      ? { output, terminal: true, prompt: options.prompt ?? 'briefwire> ', historySize: 200 }
      : { terminal: false }),
  });
  // Made now, so lines that arrive before run() (a script's, during the first poll) wait in it.
  const lines = rl[Symbol.asyncIterator]();
  /** The input ended or the adapter was closed: no more prompts. */
  let closed = false;
  /** close() or Ctrl-C: lines already read but not yet answered are dropped. */
  let stopped = false;
  /** A command is being answered: its reply, not an arriving brief, puts the prompt back. */
  let busy = false;
  rl.on('close', () => {
    closed = true;
  });
  // Ctrl-C at the prompt (the terminal is in raw mode, so no SIGINT reaches the process).
  const close = (): void => {
    stopped = true;
    rl.close();
  };
  rl.on('SIGINT', close);

  /** Prints above the prompt: clears the prompt line(s), writes, then redraws what was typed. */
  const print = (
    text: string,
    stream: NodeJS.WritableStream,
    done?: (error?: Error | null) => void,
  ): void => {
    if (!interactive || closed) {
      if (done) stream.write(text, done);
      else stream.write(text);
      return;
    }
    const { rows } = rl.getCursorPos();
    readline.moveCursor(output, 0, -rows);
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
    if (done) stream.write(text, done);
    else stream.write(text);
    if (!busy) rl.prompt(true);
  };
  /**
   * A write's callback says whether it reached the output, so the console sender marks a
   * delivery sent only then (a closed pipe leaves it in the outbox).
   */
  const stream = (target: NodeJS.WritableStream, shown: (text: string) => string): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        print(shown(chunk.toString()), target, (error) => callback(error ?? null));
      },
    }).on('error', () => {
      // Already reported to the write's callback.
    });

  const answer = async (line: string): Promise<void> => {
    const text = /^\/import\b/i.test(line) ? await importText(line) : line;
    if (text === null) return;
    const reply = await options.handle({ text, chat: CONSOLE_CHAT });
    language = reply.language;
    const shown = renderReply(reply);
    if (shown !== null) print(`${terminalText(shown).trimEnd()}\n\n`, output);
  };

  /**
   * `/import FILE` reads the file (a terminal's attachment); `/import <opml …` pasted over
   * several lines is collected up to `</opml>` by run(). Null when there is nothing to send.
   */
  const importText = async (line: string): Promise<string | null> => {
    const m = /^\/import(?:@\S*)?\s+([\s\S]+)$/i.exec(line);
    const arg = m?.[1]?.trim();
    if (!arg || arg.startsWith('<')) return line;
    const file = path.resolve(options.cwd ?? process.cwd(), arg);
    try {
      const bytes = await readFileCapped(file, { maxBytes: IMPORT_MAX_BYTES, label: arg });
      return `/import\n${bytes.toString('utf8')}`;
    } catch (error) {
      print(`${consoleTexts(language).cannotRead(arg, reason(error))}\n\n`, output);
      return null;
    }
  };

  const run = async (): Promise<void> => {
    if (interactive) {
      // Printed above the first prompt, which it draws.
      print(`${consoleTexts(language).banner}\n\n`, output);
    }
    let pasted: string[] | null = null;
    for await (const raw of { [Symbol.asyncIterator]: () => lines }) {
      if (stopped) break;
      let line = raw.trim();
      if (pasted !== null) {
        pasted.push(raw);
        if (!/<\/opml\s*>/i.test(raw)) continue;
        line = pasted.join('\n');
        pasted = null;
      } else if (/^\/import(?:@\S*)?\s+</i.test(line) && !/<\/opml\s*>/i.test(line)) {
        pasted = [raw];
        continue;
      }
      busy = true;
      try {
        if (line === '') {
          // Nothing typed: just a fresh prompt.
        } else if (!line.startsWith('/')) {
          print(`${renderHint(language)}\n\n`, output);
        } else {
          await answer(line);
          await options.afterCommand?.();
        }
      } catch (error) {
        print(`${errorLine(error)}\n\n`, errorOutput);
      } finally {
        busy = false;
      }
      if (interactive && !closed) rl.prompt(true);
    }
    // An OPML paste cut short by the end of input is still answered (with what is wrong).
    if (pasted !== null && !stopped) {
      await answer(pasted.join('\n'));
      await options.afterCommand?.();
    }
    if (interactive) output.write('\n');
  };

  return {
    // Deliveries hold feed text; log lines keep their colours (the log strips what it logs).
    out: stream(output, terminalText),
    err: stream(errorOutput, (line) => line),
    run,
    close,
  };
}

/** readFileCapped's words (no such file, a directory, over the cap), else the error's line. */
function reason(error: unknown): string {
  return isInputError(error) ? error.detail : errorLine(error);
}
