/**
 * The bot's health endpoints on HTTP_PORT: `/healthz` (the process answers), `/readyz`
 * (the store answers, every enabled platform is connected, the scheduler's clock ticks:
 * 200 or 503 with what is wrong) and `/metrics` (Prometheus text).
 */
import type { ServerResponse } from 'node:http';
import { errorLine } from '../app/jobs/index.js';
import type { Store } from '../store/index.js';
import type { Route } from './http.js';
import type { BotMetrics } from './metrics.js';

export interface ReadinessSources {
  store: Pick<Store, 'outbox'>;
  platforms: readonly { name: string; connected(): boolean }[];
  /** When the outbox was last drained; null before the first drain. */
  lastDrainAt: () => Date | null;
  /** The scheduler counts as stopped when no drain finished for this long. */
  staleAfterMs?: number;
  now?: () => Date;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}

export async function readiness(sources: ReadinessSources): Promise<Readiness> {
  const now = sources.now ?? (() => new Date());
  const checks: Readiness['checks'] = {};
  try {
    const { pending } = await sources.store.outbox.stats();
    checks.store = { ok: true, detail: `${pending} deliveries pending` };
  } catch (error) {
    checks.store = { ok: false, detail: errorLine(error) };
  }
  for (const platform of sources.platforms) {
    const ok = platform.connected();
    checks[platform.name] = { ok, detail: ok ? 'connected' : 'not connected' };
  }
  const last = sources.lastDrainAt();
  const stale = sources.staleAfterMs ?? 60_000;
  const age = last === null ? null : now().getTime() - last.getTime();
  checks.scheduler =
    age === null
      ? { ok: false, detail: 'no drain of the outbox yet' }
      : { ok: age <= stale, detail: `last drain ${Math.round(age / 1000)} s ago` };
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(`${JSON.stringify(body)}\n`);
}

export function healthRoutes(
  sources: ReadinessSources & { metrics: BotMetrics },
): Map<string, Route> {
  return new Map<string, Route>([
    ['/healthz', (_req, res) => json(res, 200, { status: 'ok' })],
    [
      '/readyz',
      async (_req, res) => {
        const result = await readiness(sources);
        json(res, result.ready ? 200 : 503, result);
      },
    ],
    [
      '/metrics',
      async (_req, res) => {
        const { body, contentType } = await sources.metrics.text();
        res.writeHead(200, { 'content-type': contentType }).end(body);
      },
    ],
  ]);
}
