import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: DOORMAN_TEST_POSTGRES_URL names a server (trust auth is fine); each
 * test file creates a fresh database of its own there and drops it afterwards. Unset → the
 * PostgreSQL tests are skipped with a note naming the variable.
 */
export const POSTGRES_URL = process.env.DOORMAN_TEST_POSTGRES_URL;

export function noteSkippedPostgres(what: string): void {
  if (!POSTGRES_URL)
    console.warn(
      `[skipped] ${what}: set DOORMAN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run it`,
    );
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The URL of `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_URL!);
  url.pathname = `/${name}`;
  return url.href;
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops it (ending every connection still open to it). */
  drop(): Promise<void>;
}

export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `doorman_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Ends every session on `name` but ours (a PostgreSQL restart as the instances see it). */
export async function terminateConnections(name: string): Promise<number> {
  return admin(async (c) => {
    const result = await c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return result.rowCount ?? 0;
  });
}

/** One query on `url` with a short-lived client. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
