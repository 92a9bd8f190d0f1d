/**
 * The layers of src/ and what each may import: the rules ARCHITECTURE.md draws, checked by
 * test/architecture.test.ts on every import (static, `export … from`, dynamic `import()`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Layers, bottom to top. A file belongs to the first whose folder or file it is in. */
export const LAYERS = {
  /** Log lines, pools, durations, edit distance: what every layer uses. */
  shared: ['src/shared/'],
  /** Pure: text, actors, summary, brief, render, the filter language. No I/O. */
  core: ['src/core/'],
  /** The guarded HTTP client (SSRF guard, limits), capped reads, network errors. */
  net: ['src/net/'],
  /** Feeds: fetch, parse, dedupe, schedule. */
  feeds: ['src/feeds/'],
  /** An article or feed from bytes, a file or a URL, off the main thread when big. */
  input: ['src/input/'],
  /** The config file: schema, loading, secrets. */
  config: ['src/config/'],
  /** The store port and its SQLite and PostgreSQL implementations. */
  store: ['src/store/'],
  /** The entity models, loaded for the engine. */
  ner: ['src/ner/'],
  /**
   * A brief in each platform's format (and its custom-template style): pure like core, so
   * the library's `render` can use them, but beside their platform, the one place it formats.
   */
  telegramFormat: [
    'src/adapters/telegram/render/brief.ts',
    'src/adapters/telegram/render/escape.ts',
  ],
  discordFormat: ['src/adapters/discord/render/brief.ts', 'src/adapters/discord/render/escape.ts'],
  /** The application: commands, jobs (poll, deliver, digest, sync, prune), routing, texts. */
  app: ['src/app/'],
  /** What the platforms share: attachment download, pause on removal. */
  platformShared: ['src/adapters/shared/'],
  /** One folder per platform: updates in, replies and deliveries out. */
  telegram: ['src/adapters/telegram/'],
  discord: ['src/adapters/discord/'],
  console: ['src/adapters/console.ts', 'src/adapters/console-render.ts'],
  /** The running service: wires store, jobs and platforms; health and metrics. */
  bot: ['src/bot/'],
  /** `briefwire doctor`: checks a setup end to end. */
  doctor: ['src/doctor/'],
  /** The library's public API (package.json "exports"): the engine and its renderers. */
  library: ['src/index.ts', 'src/render.ts'],
  /** The CLI programs. */
  programs: ['src/cli.ts', 'src/cli-args.ts', 'src/feed-check.ts'],
} as const;

export type Layer = keyof typeof LAYERS;

const BASE: Layer[] = ['shared', 'core'];
const STORAGE: Layer[] = [...BASE, 'net', 'feeds', 'input', 'config', 'store', 'ner'];
const FORMATS: Layer[] = ['telegramFormat', 'discordFormat'];
const PLATFORMS: Layer[] = ['platformShared', ...FORMATS, 'telegram', 'discord', 'console'];

/** What each layer may import besides itself. */
export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  shared: [],
  core: ['shared'],
  net: BASE,
  feeds: [...BASE, 'net'],
  input: [...BASE, 'net', 'feeds'],
  config: [...BASE, 'net'],
  store: BASE,
  ner: BASE,
  telegramFormat: BASE,
  discordFormat: BASE,
  app: STORAGE,
  platformShared: [...STORAGE, 'app'],
  // A platform knows the application and what the platforms share, never another platform.
  telegram: [...STORAGE, 'app', 'platformShared', 'telegramFormat'],
  discord: [...STORAGE, 'app', 'platformShared', 'discordFormat'],
  console: [...STORAGE, 'app', 'platformShared'],
  bot: [...STORAGE, 'app', ...PLATFORMS],
  doctor: [...STORAGE, 'app', ...PLATFORMS, 'programs'],
  library: ['core', ...FORMATS],
  programs: [...STORAGE, 'app', ...PLATFORMS, 'bot', 'doctor'],
};

/** Packages only some layers may use: the platforms' clients, the database drivers. */
export const PACKAGES: readonly { match: RegExp; only: readonly Layer[]; why: string }[] = [
  {
    match: /^(?:grammy|@grammyjs\/.*|discord\.js|@discordjs\/.*)$/,
    only: ['telegram', 'discord', 'doctor'],
    why: 'platform clients live in their adapter',
  },
  { match: /^(?:better-sqlite3|pg)$/, only: ['store'], why: 'database drivers live in the store' },
  {
    match: /^node:(?!util$)/,
    only: [
      'net',
      'feeds',
      'input',
      'config',
      'store',
      'ner',
      'app',
      // The platforms' formats are pure: the library's `render` runs them anywhere.
      ...PLATFORMS.filter((layer) => !FORMATS.includes(layer)),
      'bot',
      'doctor',
      'library',
      'programs',
    ],
    why: "shared, core and the platforms' formats stay pure: no I/O",
  },
];

export function layerOf(file: string): Layer | null {
  for (const [layer, places] of Object.entries(LAYERS) as [Layer, readonly string[]][]) {
    if (places.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p))) return layer;
  }
  return null;
}

export interface SourceFile {
  /** Repository-relative, `src/app/jobs/poller.ts`. */
  file: string;
  text: string;
}

export interface Violation {
  file: string;
  imports: string;
  rule: string;
}

/** Every import of every file that breaks a rule, in words that say which. */
export function violations(files: readonly SourceFile[]): Violation[] {
  const found: Violation[] = [];
  for (const { file, text } of files) {
    const from = layerOf(file);
    if (from === null) {
      found.push({ file, imports: '', rule: 'is in no layer: add its folder to LAYERS' });
      continue;
    }
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const { fileName: spec } of importedFiles) {
      if (spec.startsWith('.')) {
        const target = path.posix
          .normalize(path.posix.join(path.posix.dirname(file), spec))
          .replace(/\.js$/, '.ts');
        const to = layerOf(target);
        if (to === null || to === from) continue;
        if (!MAY_IMPORT[from].includes(to)) {
          found.push({ file, imports: spec, rule: `${from} may not import ${to}` });
        }
        continue;
      }
      const rule = PACKAGES.find((p) => p.match.test(spec));
      if (rule && !rule.only.includes(from)) {
        found.push({ file, imports: spec, rule: `${from} may not import ${spec}: ${rule.why}` });
      }
    }
  }
  return found;
}

/** The TypeScript files under src/, as the checker reads them. */
export function sourceFiles(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts')) {
        out.push({ file: rel, text: readFileSync(path.join(root, rel), 'utf8') });
      }
    }
  };
  walk('src');
  return out;
}
