/**
 * The container files, checked without a Docker engine: the Dockerfile (stages, user,
 * volume, health check, start command), .dockerignore, compose.yaml and .env.example; then
 * the Dockerfile is replayed in temporary folders — the build stage's copies and build from
 * a clean checkout, the final stage's `npm ci --omit=dev` and copies — and the image's start
 * command is run there: the demo briefs come out, the store lands in the data volume, and
 * SIGTERM stops it cleanly.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_ENV_VARS } from '../src/config/index.js';
import { SECRET_ENV } from '../src/config/secrets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The image's WORKDIR; the replay maps it to a temporary folder. */
const APP = '/app';
const DATA = '/app/data';
const ENV_VARS: readonly string[] = CONFIG_ENV_VARS;
const SECRETS: readonly string[] = Object.values(SECRET_ENV);

// --- Dockerfile parsing ------------------------------------------------------------------

interface Instruction {
  keyword: string;
  /** Leading `--name=value` flags (`--from=build`, `--mount=…`); `--link` → ''. */
  flags: Map<string, string>;
  /** The rest of the line, flags removed. */
  args: string;
  line: number;
}

interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical: { text: string; line: number }[] = [];
  let current: string | null = null;
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comments (and the `# syntax=` directive) and blank lines, also inside a continuation.
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = raw.replace(/\s+$/, '');
    const continued = body.endsWith('\\');
    const piece = continued ? body.slice(0, -1) : body;
    if (current === null) {
      current = piece;
      start = index + 1;
    } else current += piece;
    if (!continued) {
      logical.push({ text: current.trim(), line: start });
      current = null;
    }
  });
  const stages: Stage[] = [];
  for (const { text: line, line: number } of logical) {
    const [, keyword = '', after = ''] = /^(\S+)\s*(.*)$/s.exec(line) ?? [];
    const flags = new Map<string, string>();
    let args = after;
    for (;;) {
      const flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(args);
      if (!flag) break;
      flags.set(flag[1] as string, flag[2] ?? '');
      args = args.slice(flag[0].length);
    }
    const instruction = { keyword: keyword.toUpperCase(), flags, args: args.trim(), line: number };
    if (instruction.keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`Dockerfile:${number}: FROM ${instruction.args}: not understood`);
      stages.push({ image: from[1] as string, name: from[2] ?? null, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile:${number}: ${keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** `["node", "x"]` → the array; shell form → null. */
function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
    throw new Error(`${args}: not a JSON array of strings`);
  }
  return parsed;
}

function copyArgs(instruction: Instruction): { sources: string[]; dest: string } {
  const words = execForm(instruction.args) ?? instruction.args.split(/\s+/);
  const dest = words.at(-1);
  const sources = words.slice(0, -1);
  if (!dest || sources.length === 0) throw new Error(`COPY ${instruction.args}: no source`);
  for (const source of sources) {
    if (/[*?[]|^[a-z]+:\/\//i.test(source)) {
      throw new Error(`COPY ${source}: wildcards and URLs are not replayed by this test`);
    }
  }
  return { sources, dest };
}

function envPairs(instruction: Instruction): [string, string][] {
  return instruction.args.split(/\s+/).map((pair) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(pair);
    if (!match) throw new Error(`Dockerfile:${instruction.line}: ENV ${pair}: write NAME=value`);
    return [match[1] as string, match[2] as string];
  });
}

/** A RUN's command as the parts of an `a && b && c` chain. */
function runParts(instruction: Instruction): string[] {
  if (execForm(instruction.args)) throw new Error('RUN in exec form is not replayed');
  if (/;|\|\|/.test(instruction.args)) {
    throw new Error(`RUN ${instruction.args}: only && chains are replayed by this test`);
  }
  return instruction.args.split('&&').map((part) => part.trim().replace(/\s+/g, ' '));
}

function only(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

function lastOf(stage: Stage, keyword: string): Instruction {
  const found = only(stage, keyword).at(-1);
  if (!found) throw new Error(`the stage FROM ${stage.image} has no ${keyword}`);
  return found;
}

/** HEALTHCHECK [flags] CMD … → the command. */
function healthCommand(stage: Stage): string[] {
  const health = lastOf(stage, 'HEALTHCHECK');
  const command = /^CMD\s+(.*)$/s.exec(health.args);
  const argv = command ? execForm((command[1] as string).trim()) : null;
  if (!argv) throw new Error(`HEALTHCHECK ${health.args}: expected CMD in exec form`);
  return argv;
}

function stageEnv(stage: Stage): Map<string, string> {
  return new Map(only(stage, 'ENV').flatMap(envPairs));
}

// --- the build context --------------------------------------------------------------------

/** .dockerignore as Docker reads it: last matching pattern wins, a pattern matches parents too. */
function dockerignore(text: string): (file: string) => boolean {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = path.posix.normalize(negated ? line.slice(1) : line).replace(/^\/+/, '');
      let source = '';
      for (let k = 0; k < pattern.length; k++) {
        const c = pattern[k] as string;
        if (pattern.startsWith('**/', k)) {
          source += '(?:.*/)?';
          k += 2;
        } else if (pattern.startsWith('**', k)) {
          source += '.*';
          k += 1;
        } else if (c === '*') source += '[^/]*';
        else if (c === '?') source += '[^/]';
        else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negated, regex: new RegExp(`^${source}$`) };
    });
  return (file) => {
    const parts = file.split('/');
    const candidates = parts.map((_, k) => parts.slice(0, k + 1).join('/'));
    let excluded = false;
    for (const { negated, regex } of patterns) {
      if (candidates.some((c) => regex.test(c))) excluded = !negated;
    }
    return excluded;
  };
}

function gitFiles(...args: string[]): string[] {
  return execFileSync('git', ['ls-files', '-z', ...args], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '');
}

/** Files of `list` that COPY's source names: the file itself, or those under the folder. */
function filesAt(source: string, list: readonly string[]): string[] {
  const clean = path.posix.normalize(source).replace(/\/$/, '');
  return list.filter((file) => file === clean || file.startsWith(`${clean}/`));
}

// --- the files ----------------------------------------------------------------------------

const dockerfileText = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfileText);
const buildStage = stages[0] as Stage;
const finalStage = stages.at(-1) as Stage;
const isIgnored = dockerignore(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'));
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both on the same Node 20 slim image', () => {
    // Two: the replay below takes the first as the build stage and the last as the image.
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:20(\.\d+)*-(\w+-)?slim$/);
    // The native SQLite addon made in the build stage must load in the final one.
    expect(new Set(stages.map((s) => s.image)).size).toBe(1);
    for (const stage of stages) expect(only(stage, 'WORKDIR').map((i) => i.args)).toEqual([APP]);
  });

  it('installs the production dependencies with `npm ci --omit=dev` in the final stage', () => {
    const installs = only(finalStage, 'RUN')
      .flatMap(runParts)
      .filter((part) => /^npm ci\b/.test(part));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\s--omit=dev\b/);
  });

  it('runs as a user that is not root, the data volume owned by it', () => {
    const user = lastOf(finalStage, 'USER').args;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const userIndex = finalStage.instructions.indexOf(lastOf(finalStage, 'USER'));
    // Nothing runs as root after the switch.
    expect(finalStage.instructions.slice(userIndex).map((i) => i.keyword)).not.toContain('RUN');

    const volumes = only(finalStage, 'VOLUME').flatMap(
      (i) => execForm(i.args) ?? i.args.split(/\s+/),
    );
    expect(volumes).toContain(DATA);
    const name = user.split(':')[0] as string;
    const chowned = only(finalStage, 'RUN')
      .flatMap(runParts)
      .some((part) =>
        new RegExp(`^chown (-R )?${name}(:\\S+)? ${DATA.replace(/\//g, '\\/')}$`).test(part),
      );
    expect(chowned, `a RUN gives ${DATA} to ${name} before the VOLUME`).toBe(true);
    const volumeIndex = finalStage.instructions.findIndex((i) => i.keyword === 'VOLUME');
    const chownIndex = finalStage.instructions.findIndex(
      (i) => i.keyword === 'RUN' && /chown/.test(i.args),
    );
    expect(chownIndex).toBeLessThan(volumeIndex);
    // The store goes to the volume whatever config file is used.
    expect(stageEnv(finalStage).get('BRIEFWIRE_DATA_DIR')).toBe(DATA);
  });

  it('starts node itself in exec form, the same command as `npm start`', () => {
    expect(only(finalStage, 'ENTRYPOINT')).toEqual([]);
    const cmd = execForm(lastOf(finalStage, 'CMD').args);
    expect(cmd, 'CMD in exec form, so SIGTERM reaches node').not.toBeNull();
    expect(cmd?.[0]).toBe('node');
    expect(cmd?.join(' ')).toBe(packageJson.scripts.start);
  });

  it('sets HTTP_PORT, exposes it and checks health on it with node', () => {
    const port = stageEnv(finalStage).get('HTTP_PORT');
    expect(port).toMatch(/^\d+$/);
    expect(only(finalStage, 'EXPOSE').flatMap((i) => i.args.split(/\s+/))).toContain(port);
    const check = healthCommand(finalStage);
    expect(check[0]).toBe('node');
    // That it asks HTTP_PORT's /healthz, and what it makes of the answer, is tried below.
    expect(check.join(' ')).toMatch(/127\.0\.0\.1.*\/healthz/);
  });

  it('sets only variables the bot reads, and no secret', () => {
    for (const stage of stages) {
      for (const [name] of stageEnv(stage)) {
        expect(SECRETS).not.toContain(name);
        if (stage === finalStage) expect([...ENV_VARS, 'NODE_ENV']).toContain(name);
      }
    }
  });

  it('copies only files a clean checkout has, through .dockerignore, or the build stage made', () => {
    const tracked = gitFiles();
    const names = stages.map((s) => s.name);
    for (const stage of stages) {
      for (const copy of only(stage, 'COPY')) {
        const from = copy.flags.get('from');
        const { sources } = copyArgs(copy);
        for (const source of sources) {
          if (from !== undefined) {
            // Checked for real by the replay below.
            expect(names.slice(0, stages.indexOf(stage))).toContain(from);
            expect(source.startsWith(`${APP}/`), `COPY --from=${from} ${source}`).toBe(true);
            continue;
          }
          const files = filesAt(source, tracked);
          expect(files, `COPY ${source}: tracked by git`).not.toEqual([]);
          const sent = files.filter((file) => !isIgnored(file));
          expect(sent, `COPY ${source}: left out by .dockerignore`).toEqual(files);
        }
      }
    }
  });

  it('keeps secrets, local state and build output out of the build context', () => {
    for (const file of [
      '.env',
      '.git/config',
      'node_modules/yaml/package.json',
      'dist/cli.js',
      'data/briefwire.db',
      'src/core/lexicon/data.generated.json',
      'scratch/a.ts',
      'config/briefwire.db',
    ]) {
      expect(isIgnored(file), file).toBe(true);
    }
  });

  it("HEALTHCHECK's command: exit 0 when /healthz answers 2xx, 1 otherwise or when nothing listens", async () => {
    const check = healthCommand(finalStage);
    let status = 200;
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(req.url === '/healthz' ? status : 404).end();
    });
    const port = await listen(server);
    const probe = () =>
      run(process.execPath, check.slice(1), {
        cwd: ROOT,
        env: { ...cleanEnv(), HTTP_PORT: String(port) },
      });
    try {
      expect((await probe()).code).toBe(0);
      status = 503;
      expect((await probe()).code).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect((await probe()).code).toBe(1);
    expect(paths).toEqual(['/healthz', '/healthz']);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')) as {
    services: Record<string, Record<string, unknown>>;
    volumes?: Record<string, unknown>;
  };
  // The bot `docker compose up` starts; the instances profile's services start only by name.
  const services = Object.values(compose.services).filter((s) => s.profiles === undefined);
  const service = services[0] as Record<string, unknown>;

  it('builds the bot from this folder and keeps the image command', () => {
    expect(services).toHaveLength(1);
    const build = service.build as string | { context?: string };
    expect(typeof build === 'string' ? build : build.context).toBe('.');
    expect(service.command).toBeUndefined();
    expect(service.entrypoint).toBeUndefined();
  });

  it('has an instances profile: PostgreSQL and two bots on it, DATABASE_URL the one setting', () => {
    const profile = Object.entries(compose.services).filter(([, s]) =>
      (s.profiles as string[] | undefined)?.includes('instances'),
    );
    const db = profile.find(([, s]) => String(s.image).startsWith('postgres:'));
    const bots = profile.find(([, s]) => s.build === '.');
    expect(db, 'a PostgreSQL service').toBeDefined();
    expect(bots, 'a bot service').toBeDefined();
    const [dbName] = db ?? [''];
    const bot = bots?.[1] ?? {};
    expect((bot.deploy as { replicas?: number }).replicas).toBe(2);
    const environment = bot.environment as Record<string, string>;
    expect(Object.keys(environment)).toEqual(['DATABASE_URL']);
    // The password comes from .env (POSTGRES_PASSWORD), interpolated by compose.
    expect(environment.DATABASE_URL).toMatch(
      new RegExp(`^postgres://briefwire:\\$\\{POSTGRES_PASSWORD[^}]*\\}@${dbName}:5432/briefwire$`),
    );
    expect(Object.keys(bot.depends_on as object)).toEqual([dbName]);
    // Two replicas cannot both publish one host port.
    expect(bot.ports).toBeUndefined();
  });

  it('mounts a named volume at the data folder', () => {
    const mounts = (service.volumes as (string | { source?: string; target?: string })[]).map(
      (v) => {
        if (typeof v !== 'string') return { source: v.source, target: v.target };
        const [source, target] = v.split(':');
        return { source, target };
      },
    );
    const data = mounts.find((m) => m.target === DATA);
    expect(data, `a volume at ${DATA}`).toBeDefined();
    expect(data?.source).toMatch(/^[\w][\w.-]*$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(data?.source);
  });

  it('reads .env and sets no secret itself', () => {
    const envFile = service.env_file as string | (string | { path: string })[];
    const files = (Array.isArray(envFile) ? envFile : [envFile]).map((f) =>
      typeof f === 'string' ? f : f.path,
    );
    expect(files).toContain('.env');
    const environment = (service.environment ?? {}) as Record<string, unknown> | string[];
    const names = Array.isArray(environment)
      ? environment.map((e) => e.split('=')[0] as string)
      : Object.keys(environment);
    for (const name of names) {
      expect(ENV_VARS).toContain(name);
      expect(SECRETS).not.toContain(name);
    }
  });

  it("publishes the image's HTTP_PORT", () => {
    const port = stageEnv(finalStage).get('HTTP_PORT');
    const ports = (service.ports ?? []) as string[];
    expect(ports.some((p) => String(p).split(':').at(-1) === port)).toBe(true);
  });
});

describe('.env.example', () => {
  const lines = readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n');
  const entries = lines.flatMap((line, index) => {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match
      ? [{ name: match[2] as string, value: match[3] as string, commented: !!match[1], index }]
      : [];
  });

  it('lists every variable the bot reads, once, each under a comment', () => {
    expect(entries.map((e) => e.name).sort()).toEqual([...ENV_VARS].sort());
    for (const entry of entries) {
      const above = lines[entry.index - 1] ?? '';
      expect(above, `a comment above ${entry.name}`).toMatch(/^#\s*\S/);
      expect(above).not.toMatch(/^#\s*[A-Z][A-Z0-9_]*=/);
    }
  });

  it('leaves the secrets empty and the settings commented out, at their defaults', () => {
    for (const entry of entries) {
      if (SECRETS.includes(entry.name)) {
        expect(entry, entry.name).toMatchObject({ commented: false, value: '' });
      } else {
        // Copied to .env as it is, it must not override the image or the config file.
        expect(entry.commented, entry.name).toBe(true);
      }
    }
  });

  it('holds nothing that looks like a real token', () => {
    const text = lines.join('\n');
    expect(text).not.toMatch(/\d{6,}:[\w-]{30,}/); // Telegram
    expect(text).not.toMatch(/[\w-]{20,}\.[\w-]{6}\.[\w-]{25,}/); // Discord
    const long = (text.match(/[\w+-]{24,}/g) ?? []).filter((w) => /\d/.test(w) && /[a-z]/i.test(w));
    expect(long).toEqual([]);
  });
});

// --- the replay -------------------------------------------------------------------------

describe('the image, replayed without Docker', () => {
  it('builds from a clean checkout, installs with `npm ci --omit=dev`, and its start command prints the demo briefs, keeps the store in the volume and stops on SIGTERM', async (context) => {
    const work = mkdtempSync(path.join(tmpdir(), 'briefwire-image-'));
    try {
      const buildDir = path.join(work, 'build');
      const finalDir = path.join(work, 'final');
      const contextFiles = gitFiles('--cached', '--others', '--exclude-standard').filter(
        (file) => !isIgnored(file) && existsSync(path.join(ROOT, file)),
      );
      // The packages come from npm's cache when it has them (it has, after `npm ci` here);
      // a registry that cannot be reached is not retried: the test is skipped at once.
      const npmEnv = {
        npm_config_prefer_offline: 'true',
        npm_config_fetch_retries: '0',
        npm_config_update_notifier: 'false',
      };

      // The build stage. Its `npm ci` (and the addon's rebuild) is this checkout's own
      // node_modules, installed from the same package-lock.json: linked, not reinstalled.
      mkdirSync(buildDir);
      const buildEnv = { ...cleanEnv(), ...npmEnv, ...mapEnv(stageEnv(buildStage), buildDir) };
      for (const instruction of buildStage.instructions) {
        if (instruction.keyword === 'COPY') {
          replayCopy(instruction, contextFiles, buildDir, new Map());
        } else if (instruction.keyword === 'RUN') {
          for (const part of runParts(instruction)) {
            if (/^apt-get\s/.test(part) || part === 'rm -rf /var/lib/apt/lists/*') continue;
            if (/^npm ci\b/.test(part)) {
              symlinkSync(path.join(ROOT, 'node_modules'), path.join(buildDir, 'node_modules'));
              // Without --ignore-scripts, npm ci runs the project's `prepare` here.
              if (!/\s--ignore-scripts\b/.test(part)) {
                await shell('npm run prepare', buildDir, buildEnv);
              }
            } else if (part === 'npm rebuild better-sqlite3') {
              expect(existsSync(path.join(buildDir, ADDON)), ADDON).toBe(true);
            } else {
              await shell(part, buildDir, buildEnv);
            }
          }
        }
      }

      // The final stage, its commands as written.
      mkdirSync(finalDir);
      const env: Record<string, string> = { ...cleanEnv(), ...npmEnv };
      const stagesByName = new Map([[buildStage.name ?? '0', buildDir]]);
      for (const instruction of finalStage.instructions) {
        if (instruction.keyword === 'ENV') {
          Object.assign(env, mapEnv(new Map(envPairs(instruction)), finalDir));
        } else if (instruction.keyword === 'COPY') {
          replayCopy(instruction, contextFiles, finalDir, stagesByName);
        } else if (instruction.keyword === 'RUN') {
          for (const part of runParts(instruction)) {
            const mkdir = /^mkdir -p (\S+)$/.exec(part);
            if (mkdir) mkdirSync(hostPath(finalDir, mkdir[1] as string), { recursive: true });
            else if (/^chown /.test(part)) {
              // The image's user does not exist here; checked above.
            } else if (/^npm ci\b/.test(part)) {
              const install = await run('sh', ['-c', part], { cwd: finalDir, env });
              if (install.code !== 0) {
                const output = `${install.stdout}\n${install.stderr}`;
                const offline =
                  /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/.exec(
                    output,
                  );
                if (offline) {
                  context.skip(
                    `\`${part}\` needs the npm registry or a filled npm cache, and neither is reachable here (${offline[0]})`,
                  );
                }
                expect.fail(`${part} failed:\n${output}`);
              }
            } else {
              throw new Error(`the replay does not know how to run \`${part}\``);
            }
          }
        }
      }

      // The image's start command, without tokens, stdin closed (docker run without -i).
      const [program, ...args] = execForm(lastOf(finalStage, 'CMD').args) as string[];
      expect(program).toBe('node');
      // A free port instead of the image's, so nothing on this machine is in the way.
      env.HTTP_PORT = String(await freePort());
      const first = await run(process.execPath, args, { cwd: finalDir, env, stdin: 'ignore' });
      expect(first.code, first.stderr).toBe(0);
      const titles = demoTitles();
      expect(titles.length).toBeGreaterThan(0);
      for (const title of titles) expect(first.stdout).toContain(title);
      expect(existsSync(path.join(hostPath(finalDir, DATA), 'briefwire.db'))).toBe(true);

      // Again on the same volume, stdin open: nothing posted twice; SIGTERM stops it, exit 0.
      const second = await run(process.execPath, args, {
        cwd: finalDir,
        env,
        stdin: '/feeds\n',
        terminateAfterOutput: true,
      });
      expect(second.signal, second.stderr).toBeNull();
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).not.toBe('');
      for (const title of titles) expect(second.stdout).not.toContain(title);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 150_000);
});

const ADDON = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

/** An image path under /app → the same path under `root`. */
function hostPath(root: string, containerPath: string): string {
  const relative = path.posix.relative(APP, path.posix.resolve(APP, containerPath));
  if (relative.startsWith('..')) throw new Error(`${containerPath}: outside ${APP}`);
  return path.join(root, relative);
}

function mapEnv(env: Map<string, string>, root: string): Record<string, string> {
  return Object.fromEntries(
    [...env].map(([name, value]) => [
      name,
      value === APP || value.startsWith(`${APP}/`) ? hostPath(root, value) : value,
    ]),
  );
}

function replayCopy(
  instruction: Instruction,
  contextFiles: readonly string[],
  root: string,
  stagesByName: ReadonlyMap<string, string>,
): void {
  const { sources, dest } = copyArgs(instruction);
  const target = hostPath(root, dest);
  const into = dest.endsWith('/') || sources.length > 1;
  const from = instruction.flags.get('from');
  for (const source of sources) {
    if (from !== undefined) {
      const stageRoot = stagesByName.get(from);
      if (!stageRoot) throw new Error(`COPY --from=${from}: no such stage replayed`);
      const origin = hostPath(stageRoot, source);
      expect(existsSync(origin), `COPY --from=${from} ${source}: the stage made it`).toBe(true);
      if (statSync(origin).isDirectory()) {
        cpSync(origin, target, { recursive: true, dereference: true });
      } else {
        const file = into ? path.join(target, path.basename(origin)) : target;
        mkdirSync(path.dirname(file), { recursive: true });
        copyFileSync(origin, file);
      }
      continue;
    }
    const clean = path.posix.normalize(source).replace(/\/$/, '');
    const files = filesAt(clean, contextFiles);
    expect(files, `COPY ${source}: in the build context`).not.toEqual([]);
    for (const file of files) {
      const out =
        file === clean
          ? into
            ? path.join(target, path.posix.basename(file))
            : target
          : path.join(target, path.posix.relative(clean, file));
      mkdirSync(path.dirname(out), { recursive: true });
      copyFileSync(path.join(ROOT, file), out);
    }
  }
}

/** npm's own settings that say where packages come from: kept for the replay's `npm ci`. */
const NPM_SOURCE = /^npm_config_(registry|cache|proxy|https_proxy|@[^:]+:registry)$/;

/**
 * This process's environment without the bot's variables, the test runner's, and what
 * `npm test` exports to its scripts (npm_package_*, npm_lifecycle_*, npm_config_local_prefix
 * …: the nested npm reads its configuration files again itself).
 */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || ENV_VARS.includes(name)) continue;
    if (name.startsWith('npm_') && !NPM_SOURCE.test(name)) continue;
    if (/^VITEST/.test(name) || name === 'NODE_ENV' || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  return env;
}

function demoTitles(): string[] {
  const feed = readFileSync(path.join(ROOT, 'config/demo/feed.xml'), 'utf8');
  return [...feed.matchAll(/<item>[\s\S]*?<title>([\s\S]*?)<\/title>/g)].map((m) =>
    (m[1] as string)
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&(apos|#39);/g, "'")
      .replace(/&amp;/g, '&')
      .trim(),
  );
}

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command. `stdin`: 'ignore' (closed), or text written and left open; with
 * `terminateAfterOutput`, SIGTERM is sent once the first output has arrived.
 */
function run(
  command: string,
  args: readonly string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    stdin?: 'ignore' | string;
    terminateAfterOutput?: boolean;
  },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [
        options.stdin === 'ignore' || options.stdin === undefined ? 'ignore' : 'pipe',
        'pipe',
        'pipe',
      ],
    });
    if (!child.stdout || !child.stderr) throw new Error('spawn: no output pipes');
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.terminateAfterOutput && stdout.length === chunk.length) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    if (child.stdin && options.stdin !== undefined && options.stdin !== 'ignore') {
      child.stdin.write(options.stdin);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function shell(command: string, cwd: string, env: Record<string, string>): Promise<void> {
  const result = await run('sh', ['-c', command], { cwd, env });
  if (result.code !== 0) expect.fail(`${command} failed:\n${result.stdout}\n${result.stderr}`);
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}
