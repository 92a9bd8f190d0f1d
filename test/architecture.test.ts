import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerOf, sourceFiles, violations } from './support/boundaries.js';
import { ROOT } from './support/cli.js';
import { E2E } from './support/projects.js';

describe('the layers of src/ (ARCHITECTURE.md)', () => {
  it('every import goes down the layers, and platform and database libraries stay in theirs', () => {
    const found = violations(sourceFiles(ROOT)).map((v) => `${v.file} → ${v.imports}: ${v.rule}`);
    expect(found).toEqual([]);
  });

  it('names the import that breaks a rule', () => {
    const found = violations([
      { file: 'src/core/brief.ts', text: "import { openStore } from '../store/open.js';" },
      { file: 'src/store/file.ts', text: "const s = await import('../app/jobs/log.js');" },
      {
        file: 'src/adapters/telegram/render/index.ts',
        text: "export { inert } from '../../discord/render/index.js';",
      },
      { file: 'src/app/routing.ts', text: "import Database from 'better-sqlite3';" },
      { file: 'src/core/text/fold.ts', text: "import { readFileSync } from 'node:fs';" },
      { file: 'src/app/jobs/poller.ts', text: "import { Bot } from 'grammy';" },
      { file: 'src/somewhere/new.ts', text: '' },
      {
        file: 'src/adapters/telegram/render/brief.ts',
        text: "import { messages } from '../../../app/commands/index.js';",
      },
      {
        file: 'src/adapters/discord/render/brief.ts',
        text: "import { Client } from 'discord.js';",
      },
      {
        file: 'src/index.ts',
        text: "export { renderReply } from './adapters/telegram/render/index.js';",
      },
    ]);
    expect(found.map((v) => v.rule)).toEqual([
      'core may not import store',
      'store may not import app',
      'telegram may not import discord',
      'app may not import better-sqlite3: database drivers live in the store',
      "core may not import node:fs: shared, core and the platforms' formats stay pure: no I/O",
      'app may not import grammy: platform clients live in their adapter',
      'is in no layer: add its folder to LAYERS',
      'telegramFormat may not import app',
      'discordFormat may not import discord.js: platform clients live in their adapter',
      'library may not import telegram',
    ]);
  });

  it('lets a layer import itself and the layers below it', () => {
    expect(layerOf('src/adapters/console-render.ts')).toBe('console');
    const found = violations([
      { file: 'src/app/jobs/poller.ts', text: "import { fetchFeed } from '../../feeds/fetch.js';" },
      { file: 'src/adapters/discord/lifecycle.ts', text: "import { Client } from 'discord.js';" },
      { file: 'src/core/brief.ts', text: "import { x } from './types.js';" },
      {
        file: 'src/render.ts',
        text: "import { renderTelegram } from './adapters/telegram/render/brief.js';",
      },
      {
        file: 'src/adapters/discord/render/index.ts',
        text: "import { renderDiscord } from './brief.js';",
      },
    ]);
    expect(found).toEqual([]);
  });
});

describe('the test projects (vitest.config.ts)', () => {
  /** The test files under test/, repository-relative. */
  function testFiles(dir = 'test'): string[] {
    return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(rel);
      return rel.endsWith('.test.ts') ? [rel] : [];
    });
  }

  it('puts every test that runs dist/ in the e2e project, which builds it first', () => {
    // This file names the patterns, so it is not read for them.
    const others = testFiles().filter((file) => file !== 'test/architecture.test.ts');
    const runsDist = others.filter((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return /\b(?:runCli|startCli|spawnCli|spawnScript)\b|\bCLI\b|['"`/]dist\//.test(text);
    });
    expect(runsDist.filter((file) => !E2E.includes(file))).toEqual([]);
    expect(E2E.filter((file) => !testFiles().includes(file))).toEqual([]);
  });
});
