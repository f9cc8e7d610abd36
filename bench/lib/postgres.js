import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SkipError } from './skip.js';

// PostgreSQL for the *-pg scenarios: DOORMAN_BENCH_POSTGRES_URL (or, as CI sets it,
// DOORMAN_TEST_POSTGRES_URL) names a server the bench may create databases on; each scenario
// gets a fresh database, dropped at teardown. Neither set: the scenario is skipped, saying so.

export function adminUrl() {
  return process.env.DOORMAN_BENCH_POSTGRES_URL || process.env.DOORMAN_TEST_POSTGRES_URL || null;
}

async function withClient(url, run) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the admin URL's server; returns { name, url, drop() }. */
export async function createBenchDatabase(label) {
  const admin = adminUrl();
  if (!admin)
    throw new SkipError(
      'no PostgreSQL server: set DOORMAN_BENCH_POSTGRES_URL (or DOORMAN_TEST_POSTGRES_URL), e.g. postgres://postgres@127.0.0.1:5432/postgres',
    );
  const name = `doorman_bench_${label.replace(/\W/g, '_')}_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  } catch (e) {
    throw new SkipError(`PostgreSQL at ${redact(admin)}: cannot create a database: ${e.message}`);
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: () => withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
}

/**
 * Records minted refresh tokens as outstanding sessions, as issueRefresh() would (the same row
 * as bench/scenarios/refresh.js writes to SQLite), in one transaction of multi-row INSERTs.
 */
export async function recordSessions(url, minted) {
  const CHUNK = 20000;
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    const now = Date.now();
    for (let i = 0; i < minted.length; i += CHUNK) {
      const part = minted.slice(i, i + CHUNK).map((m) => m.claims);
      await c.query(
        `INSERT INTO sessions (id, user_id, token_type, current_jti, created_at, last_used_at, expires_at, credentials_epoch)
         SELECT id, user_id, 'refresh', jti, $4, $4, exp, 0
         FROM unnest($1::text[], $2::int[], $3::text[], $5::bigint[]) AS t(id, user_id, jti, exp)`,
        [
          part.map((c) => c.sid),
          part.map((c) => c.user_id),
          part.map((c) => c.jti),
          now,
          part.map((c) => c.exp * 1000),
        ],
      );
    }
    await c.query('COMMIT');
  });
}
