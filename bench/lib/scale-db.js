import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hash } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../floors/argon2.js';

// Bulk-seeded SQLite files for the scale scenarios: N users and M outstanding
// refresh tokens, generated inside SQLite (recursive CTE, INSERT ... SELECT)
// into a file the server itself has migrated, so the schema is exactly the
// migrations' own. Seeded files are cached in bench/.cache/ under a key of
// (users, tokens, schema hash, seed version): a second run only copies.

// Every seeded user logs in with this password; all share ONE argon2id hash of
// it made with the server's parameters, so a login costs a real verify.
export const SEED_PASSWORD = 'Bench-scale-seed-password-9!';
export const seedEmail = (n) => `seed-${n}@bench.test`;
const SEED_VERSION = 2; // bump when the generated rows change
const DAY_MS = 86_400_000;

/** The schema as sqlite_master records it (names, tables, index SQL), in a stable order. */
export function schemaOf(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
  } finally {
    db.close();
  }
}

export function schemaHash(schema) {
  return createHash('sha256')
    .update(JSON.stringify({ schema, SEED_VERSION, ARGON2_OPTIONS }))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Seeds `file` (migrated, empty, no other connection) with users 1..users
 * (`seed-<n>@bench.test`) and `tokens` unexpired, unrevoked refresh tokens spread
 * evenly over the users. Each jti is 32 random hex digits whose first 8 are
 * stratified by row number (uniform over the key space like any random jti,
 * but generated in key order, so the primary key's index is built by appending
 * instead of sorting 10M random keys); family ids are plain random. The three
 * secondary indexes are dropped and re-created afterwards from their own stored
 * SQL (one sort each, on both cores), so the schema is unchanged (the caller
 * checks). Measured here: 1M/10M in about a minute.
 */
export async function seed(file, { users, tokens, log = () => {} }) {
  if (!(tokens <= 2 ** 32)) throw new Error('at most 2^32 tokens (jti strata)');
  const pwHash = await hash(SEED_PASSWORD, ARGON2_OPTIONS);
  const now = Date.now();
  const db = new Database(file, { fileMustExist: true });
  const t = { start: performance.now() };
  const lap = (k) => {
    t[k] = (performance.now() - t.start) / 1000;
    log(`seeding: ${k} done at ${t[k].toFixed(1)} s`);
  };
  try {
    // Throwaway file until renamed into the cache: no journal, no fsync.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('cache_size = -1048576'); // 1 GiB of page cache (also the sorter's memory)
    db.pragma('temp_store = FILE');
    db.pragma('threads = 2'); // sorter helper threads for CREATE INDEX
    const count = (table) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    if (count('users') || count('sessions')) throw new Error(`${file} is not empty`);

    const series = 'WITH RECURSIVE s(n) AS (SELECT 1 WHERE @count > 0 UNION ALL SELECT n + 1 FROM s WHERE n < @count)';
    db.transaction(() => {
      db.prepare(
        `INSERT INTO users (id, email, email_key, password, first_name, last_name, gender, date_of_birth,
          is_active, is_staff, is_superuser, date_joined, last_login)
        ${series}
        SELECT n, 'seed-' || n || '@bench.test', 'seed-' || n || '@bench.test', @pwHash, '', '', NULL, NULL,
          1, 0, 0, @now - 1000 * (@count - n), NULL FROM s`,
      ).run({ count: users, pwHash, now });
    })();
    lap('users');

    const secondary = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions' AND sql IS NOT NULL")
      .all();
    db.transaction(() => {
      for (const { name } of secondary) db.exec(`DROP INDEX "${name}"`);
    })();
    // Issued over the last day; expiring a year on, so a cached file's tokens
    // stay outstanding for as long as the cache is likely to live.
    const stride = Math.floor(2 ** 32 / Math.max(tokens, 1));
    db.transaction(() => {
      db.prepare(
        `INSERT INTO sessions (id, user_id, token_type, current_jti, created_at, last_used_at, expires_at, credentials_epoch)
        SELECT family_id, user_id, 'refresh', jti, created_at, created_at, created_at + 365 * @day, 0 FROM (
          ${series}
          SELECT printf('%08x', (n - 1) * @stride + abs(random() % @stride)) || lower(hex(randomblob(12))) AS jti,
            1 + (n - 1) % @users AS user_id, lower(hex(randomblob(16))) AS family_id,
            @now - abs(random() % @day) AS created_at FROM s
        )`,
      ).run({ count: tokens, users, now, day: DAY_MS, stride });
    })();
    lap('tokens');
    db.transaction(() => {
      for (const { sql } of secondary) db.exec(sql);
    })();
    lap('indexes');
    db.pragma('journal_mode = WAL'); // as the server leaves it
  } finally {
    db.close();
  }
  return {
    users_s: t.users,
    tokens_s: t.tokens - t.users,
    indexes_s: t.indexes - t.tokens,
    total_s: (performance.now() - t.start) / 1000,
  };
}

/**
 * The cached seeded file for (users, tokens) on the schema of `migratedFile`
 * (a file the server has just migrated, with no connection open), seeding it on
 * a miss. Returns { file, cached, seconds, seedTimes? }.
 */
export async function seededFile({ cacheDir, migratedFile, users, tokens, log = () => {} }) {
  // Fold any WAL into the main file: the copy below takes the main file only.
  const m = new Database(migratedFile, { fileMustExist: true });
  m.pragma('wal_checkpoint(TRUNCATE)');
  m.close();
  const schema = schemaOf(migratedFile);
  const key = `scale-${users}-${tokens}-${schemaHash(schema)}`;
  const file = join(cacheDir, `${key}.sqlite3`);
  if (existsSync(file)) return { file, cached: true, seconds: 0 };
  mkdirSync(cacheDir, { recursive: true });
  // One cached file per size: files of older schemas would only fill the disk.
  for (const f of readdirSync(cacheDir)) {
    if (f.startsWith(`scale-${users}-${tokens}-`) && f !== `${key}.sqlite3`) rmSync(join(cacheDir, f), { force: true });
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const started = performance.now();
  try {
    copyFileSync(migratedFile, tmp);
    const seedTimes = await seed(tmp, { users, tokens, log });
    const after = schemaOf(tmp);
    if (JSON.stringify(after) !== JSON.stringify(schema))
      throw new Error('seeded schema differs from the migrated one');
    renameSync(tmp, file);
    return {
      file,
      cached: false,
      seconds: (performance.now() - started) / 1000,
      seedTimes,
      bytes: statSync(file).size,
    };
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  }
}
