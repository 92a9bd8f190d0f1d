/**
 * The console adapter in process: what it hands the command handler, how replies of each
 * kind read, and that a brief arriving while something is being typed at the prompt is
 * printed above it, the prompt and the typed text drawn again below.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CHAT, createConsoleAdapter } from '../../src/adapters/console.js';
import { renderReply } from '../../src/adapters/console-render.js';
import type { CommandInput, Reply } from '../../src/app/commands/index.js';
import { briefArticle } from '../../src/core/brief.js';
import { render } from '../../src/render.js';
import { memoryStream, until } from '../app/jobs/helpers.js';

const BRIEF = briefArticle({
  title: 'Malta approves a new ferry terminal',
  text: 'Transport minister Joseph Camilleri said the terminal would halve waiting times for travellers to Gozo.',
  url: 'https://news.example/malta',
  language: 'en',
});

/** A handler that records what it got and answers with a text reply. */
function echo(): { handle: (input: CommandInput) => Promise<Reply>; seen: CommandInput[] } {
  const seen: CommandInput[] = [];
  return {
    seen,
    handle: async (input) => {
      seen.push(input);
      return { kind: 'text', language: 'en', text: `answer to ${input.text.split('\n')[0]}` };
    },
  };
}

describe('console adapter, lines from a script', () => {
  it('commands go to the handler as the console chat, an admin; other text gets a hint', async () => {
    const { handle, seen } = echo();
    const input = new PassThrough();
    const output = memoryStream();
    let drains = 0;
    const adapter = createConsoleAdapter({
      handle,
      input,
      output,
      interactive: false,
      afterCommand: async () => {
        drains++;
      },
    });
    input.end('/feeds\n\n  /brief 3  \nwhat is new?\n');
    await adapter.run();
    expect(seen.map((s) => s.text)).toEqual(['/feeds', '/brief 3']);
    expect(seen[0]?.chat.destination).toBe('console');
    expect(await seen[0]?.chat.isAdmin()).toBe(true);
    expect(seen[0]?.chat).toBe(CONSOLE_CHAT);
    expect(drains).toBe(2);
    expect(output.text()).toBe(
      'answer to /feeds\n\nanswer to /brief 3\n\nCommands start with / — try /help.\n\n',
    );
  });

  it('/import takes OPML pasted over several lines, or a file', async () => {
    const { handle, seen } = echo();
    const input = new PassThrough();
    const output = memoryStream();
    const adapter = createConsoleAdapter({ handle, input, output, interactive: false, cwd: '/' });
    input.end(
      '/import <opml version="2.0"><body>\n<outline xmlUrl="https://a.example/feed"/>\n</body></opml>\n/import no/such/file.opml\n',
    );
    await adapter.run();
    expect(seen.map((s) => s.text)).toEqual([
      '/import <opml version="2.0"><body>\n<outline xmlUrl="https://a.example/feed"/>\n</body></opml>',
    ]);
    expect(output.text()).toContain('Cannot read no/such/file.opml: no such file');
  });

  it('lines sent before run() are not lost, and close() stops reading', async () => {
    const { handle, seen } = echo();
    const input = new PassThrough();
    const adapter = createConsoleAdapter({
      handle,
      input,
      output: memoryStream(),
      interactive: false,
    });
    input.write('/one\n/two\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const running = adapter.run();
    await until(() => seen.length === 2);
    adapter.close();
    await running;
    expect(seen.map((s) => s.text)).toEqual(['/one', '/two']);
  });
});

describe('console adapter, a terminal', () => {
  it('a brief arriving mid-typing is printed above the prompt, which comes back with the text', async () => {
    const { handle, seen } = echo();
    const input = new PassThrough();
    const output = Object.assign(memoryStream(), { isTTY: true, columns: 100 });
    const adapter = createConsoleAdapter({ handle, input, output, interactive: true });
    const running = adapter.run();
    input.write('/act');
    await until(() => output.text().endsWith('/act'));
    const before = output.text().length;

    await new Promise<void>((resolve, reject) =>
      adapter.out.write(`${render(BRIEF, 'text')}\n\n`, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    const printed = output.text().slice(before);
    // Clear the prompt line, print the brief, draw the prompt and the typed text again.
    expect(printed.startsWith('\x1b[1G\x1b[0J')).toBe(true);
    const brief = printed.indexOf('Malta approves a new ferry terminal');
    const prompt = printed.lastIndexOf('briefwire> /act');
    expect(brief).toBeGreaterThan(0);
    expect(prompt).toBeGreaterThan(brief);

    input.write('or camilleri\r');
    await until(() => output.text().includes('answer to /actor camilleri'));
    expect(seen.map((s) => s.text)).toEqual(['/actor camilleri']);
    // The reply is followed by a fresh prompt.
    await until(() => output.text().endsWith('briefwire> \x1b[12G'));
    adapter.close();
    await running;
  });
});

describe('console rendering of replies', () => {
  it('briefs through core render, help in columns, the OPML of an export, nothing for ignored', () => {
    const briefs = renderReply({
      kind: 'briefs',
      language: 'en',
      text: '',
      briefs: [BRIEF],
      locale: { language: 'en', timeZone: 'UTC' },
    });
    expect(briefs).toBe(`The latest brief:\n\n${render(BRIEF, 'text')}`);
    expect(
      renderReply({
        kind: 'brief',
        language: 'en',
        text: '',
        brief: BRIEF,
        locale: { language: 'en', timeZone: 'UTC' },
      }),
    ).toBe(render(BRIEF, 'text'));

    const help = renderReply({
      kind: 'help',
      language: 'it',
      text: 'Comandi:',
      commands: [
        { name: 'help', usage: '/help', description: 'I comandi', admin: false },
        { name: 'subscribe', usage: '/subscribe URL [filtri]', description: 'Segui', admin: true },
      ],
    });
    expect(help).toBe(
      [
        'Comandi:',
        '  /help                    I comandi',
        '  /subscribe URL [filtri]  Segui',
        '',
        'Ctrl-D o Ctrl-C chiude la console. /import accetta anche un file: /import feed.opml',
      ].join('\n'),
    );

    const opml = '<?xml version="1.0"?>\n<opml version="2.0"></opml>\n';
    expect(
      renderReply({
        kind: 'export',
        language: 'en',
        filename: 'briefwire-console.opml',
        opml,
        text: `1 feed exported\n\n${opml}`,
      }),
    ).toBe(opml.trimEnd());

    expect(renderReply({ kind: 'ignored', language: 'en', text: '' })).toBeNull();
    const error = { kind: 'error', code: 'usage', language: 'en', text: 'Usage: /actor NAME' };
    expect(renderReply(error as Reply)).toBe('Usage: /actor NAME');
  });
});
