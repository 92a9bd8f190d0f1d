/**
 * The PostgreSQL server of the tests: TEST_DATABASE_URL, which .ci/run exports after
 * starting a throwaway server on a loopback port (README: Development). Without it the
 * PostgreSQL tests are skipped, saying why; under CI (CI=true) they fail instead, so that a
 * server that did not start is never mistaken for a pass.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const given = process.env.TEST_DATABASE_URL?.trim() || null;

if (given === null && process.env.CI === 'true') {
  throw new Error(
    'TEST_DATABASE_URL is not set under CI: .ci/run must start PostgreSQL and export it',
  );
}

if (given === null) {
  // Visible in the run's output, not only in the skipped tests' names.
  console.warn(
    'PostgreSQL store tests skipped: TEST_DATABASE_URL is not set (.ci/run starts a server and sets it; README: Development)',
  );
}

/** The server's URL, or null when the PostgreSQL tests are skipped. */
export const TEST_DATABASE_URL: string | null = given;

/** The suffix of a describe that is skipped, saying what to set. */
export const POSTGRES_SKIPPED =
  given === null ? ' (skipped: set TEST_DATABASE_URL=postgres://… to run them)' : '';

/** The URL with a search_path: the store then lives in that schema, as in its own database. */
export function inSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface TestSchema {
  /** TEST_DATABASE_URL in a fresh, empty schema of its own. */
  url: string;
  schema: string;
  /** Runs SQL in the schema (to look at or damage what the store wrote). */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A fresh schema on the test server, so that tests (and test files) run side by side. */
export async function freshSchema(): Promise<TestSchema> {
  if (TEST_DATABASE_URL === null) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `bw_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  const url = inSchema(TEST_DATABASE_URL, schema);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    url,
    schema,
    sql: async (text, params) => (await admin.query(text, params)).rows,
    drop: async () => {
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
