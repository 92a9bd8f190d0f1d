import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, spawnScript } from '../support/cli.js';

/**
 * `briefwire run` as a service starts it, through a wrapper that says on its stop which
 * platform libraries the process loaded (both are CommonJS: their files are in the
 * require cache once imported).
 */
const WRAPPER = `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
let told = false;
const tell = () => {
  if (told) return;
  told = true;
  const loaded = new Set();
  for (const file of Object.keys(cache)) {
    const m = /node_modules[\\\\/](grammy|discord\\.js)[\\\\/]/.exec(file);
    if (m) loaded.add(m[1]);
  }
  process.stderr.write('platform libraries: ' + ([...loaded].sort().join(', ') || 'none') + '\\n');
};
process.on('exit', tell);
// Told on the stop signal too: a signal that finds the command's own handler already gone
// ends the process without an 'exit' event. (Then nothing else stops it: this does.)
process.prependListener('SIGTERM', () => {
  tell();
  if (process.listenerCount('SIGTERM') === 1) process.exit(0);
});
await import(${JSON.stringify(CLI)});
`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function librariesLoaded(env: Record<string, string>): Promise<string> {
  dir = mkdtempSync(path.join(tmpdir(), 'briefwire-libs-'));
  const wrapper = path.join(dir, 'wrapper.mjs');
  writeFileSync(wrapper, WRAPPER);
  const config = path.join(dir, 'briefwire.yaml');
  writeFileSync(config, 'feeds: []\nserver:\n  host: 127.0.0.1\n');
  const bot = spawnScript(wrapper, ['run', '--config', config], {
    env: { ...process.env, BRIEFWIRE_DATA_DIR: dir, HTTP_PORT: '0', ...env },
  });
  for (let waited = 0; waited < 20_000 && !/console only|listening/.test(bot.stderr()); ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    waited += 50;
  }
  await bot.stop();
  return /platform libraries: (.*)/.exec(bot.stderr())?.[1] ?? bot.stderr();
}

describe('platform libraries', () => {
  it('neither grammY nor discord.js is loaded when no token is set', async () => {
    const env = { TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '' };
    expect(await librariesLoaded(env)).toBe('none');
  }, 30_000);
});
