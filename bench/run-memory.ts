// Resident memory of the real `briefwire run` with 1,000 feeds: the built CLI as a child
// process, with a Telegram token (grammY and the Telegram adapter load) against the
// loopback Telegram API of test/support, 1,000 loopback feeds of 20 items subscribed to the
// console. The child's VmRSS is read from /proc once the first poll is over and its CPU has
// gone quiet (idle), again SETTLE_MS later (settled: what `ps` shows between polls, once V8
// has given back what it keeps after a burst), and VmHWM is its peak. The child's CPU time
// up to idle (start-up, the poll of every feed, the briefs) is the cost side of its heap
// settings. bench/feeds.mjs's memory child measures the poll alone; this is what an
// operator sees in `ps`.
//   node --import tsx bench/run-memory.ts [feeds, default 1000]
// BENCH_HEAPSNAPSHOT=DIR also writes a heap snapshot of the idle bot into DIR.
// Prints a table, then one JSON line (bench/run.mjs reads it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTelegramApi } from '../test/support/telegram-api.js';
// @ts-expect-error: a plain ES module of the bench, without types
import { startFeedServer, writeConfig } from './feeds.mjs';

const FEEDS = Number(process.argv[2] ?? 1000);
const TARGET_MB = 150;
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** Idle: the child used under this much CPU over one QUIET_MS window. */
const QUIET_MS = 2000;
const QUIET_CPU_MS = 40;
const DEADLINE_MS = 600_000;
const SETTLE_MS = 30_000;

interface FeedServer {
  url(k: number): string;
  onDemand(round: number): void;
  close(): Promise<void>;
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rssMB: round(kb('VmRSS') / 1024), peakMB: round(kb('VmHWM') / 1024) };
}

/** User + system CPU of a process so far, in ms (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'briefwire-bench-run-'));
  const server = (await startFeedServer()) as FeedServer;
  const api = await startTelegramApi();
  server.onDemand(0);
  const config = writeConfig(dir, server, FEEDS) as string;
  const snapshots = process.env.BENCH_HEAPSNAPSHOT;
  const child = spawn(
    process.execPath,
    [...(snapshots ? ['--heapsnapshot-signal=SIGUSR2'] : []), CLI, 'run', '--config', config],
    {
      cwd: snapshots ?? dir,
      env: {
        ...process.env,
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        DISCORD_TOKEN: '',
        LOG_LEVEL: 'debug',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let briefs = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    briefs += chunk.split('\n').filter((line) => /^https?:\/\//.test(line.trim())).length;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const pid = child.pid as number;
  try {
    const started = Date.now();
    let startMB = 0;
    // Started: the platform connected and the first poll under way.
    while (!/poll: \d+ feeds/.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`briefwire run exited: ${stderr}`);
      if (Date.now() - started > DEADLINE_MS) throw new Error(`no poll: ${stderr}`);
      if (startMB === 0 && /telegram/.test(stderr)) {
        startMB = memoryOf(pid).rssMB;
      }
      await sleep(100);
    }
    // Idle: a window with next to no CPU.
    let cpu = cpuMsOf(pid);
    for (;;) {
      await sleep(QUIET_MS);
      const now = cpuMsOf(pid);
      if (now - cpu < QUIET_CPU_MS) break;
      cpu = now;
      if (Date.now() - started > DEADLINE_MS) throw new Error('never idle');
    }
    const idle = memoryOf(pid);
    const cpuMs = cpuMsOf(pid);
    await sleep(SETTLE_MS);
    const settled = memoryOf(pid);
    if (snapshots) {
      child.kill('SIGUSR2');
      await sleep(20_000);
    }
    const result = {
      feeds: FEEDS,
      polledLine: /poll: \d+ feeds[^"\n]*/.exec(stderr)?.[0] ?? '',
      startMB,
      idleMB: idle.rssMB,
      settledMB: settled.rssMB,
      peakMB: settled.peakMB,
      cpuMs,
      snapshots: snapshots ? readdirSync(snapshots).filter((f) => f.endsWith('.heapsnapshot')) : [],
    };
    console.log(`\nbriefwire run, ${FEEDS} feeds, Telegram token (loopback): resident memory`);
    console.log(
      `  idle ${result.idleMB} MB (< ${TARGET_MB}: ${result.idleMB < TARGET_MB ? 'PASS' : 'MISS'}), ${SETTLE_MS / 1000} s later ${result.settledMB} MB, peak ${result.peakMB} MB`,
    );
    console.log(`  ${briefs} briefs printed; CPU up to idle ${cpuMs} ms (start-up, poll, briefs)`);
    console.log(JSON.stringify({ runMemory: { ...result, pass: result.idleMB < TARGET_MB } }));
  } finally {
    child.kill('SIGTERM');
    await exited;
    await api.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
