import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Storage } from '../ports.js';
import { guardDialect } from '../kysely/guarded-dialect.js';
import { isBusy, translateSqliteError } from './busy.js';
import { GroupCommit } from './group-commit.js';
import { ownerOnlyDatabase } from './file-mode.js';
import { sqliteSessionStore } from './sessions.js';
import type { Database } from '../kysely/db.js';
import { kyselyStorage } from '../kysely/index.js';

/**
 * Kysely prepares every statement it runs; better-sqlite3 statements are reusable, so keep
 * them by SQL text (the set is small and fixed: doorman builds no SQL from input values).
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size < 500) statements.set(sql, statement);
      }
      return statement as never;
    },
  };
}

export interface SqliteStorageOptions {
  /** Use the generic Kysely session store instead of the prepared-statement one (conformance tests of the generic store). */
  genericSessionStore?: boolean;
  /** How long (ms) a write waits for a lock held by another process before it fails with StorageUnavailableError (default 5000). */
  busyTimeout?: number;
}

/**
 * The embedded default: one SQLite file in WAL mode. synchronous=NORMAL is durable across
 * process crashes (WAL) and loses at most the last commits on power loss, the usual trade
 * for a server database. busy_timeout is 0: the driver's wait for a lock held by another
 * process (the CLI) is a synchronous sleep that would stall every request; writes wait for it
 * asynchronously instead, up to `busyTimeout` ms (guarded-dialect.ts, group-commit.ts).
 *
 * The file's folder must exist (the database URL setting checks it): a mistyped path should
 * not silently create a new, empty database somewhere else.
 */
export function sqliteStorage(path: string, options: SqliteStorageOptions = {}): Storage {
  ownerOnlyDatabase(path);
  const busyTimeout = options.busyTimeout ?? 5000;
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 0');
  database.pragma('foreign_keys = ON');
  // 64 MiB of page cache (SQLite's default is 2 MiB): with millions of outstanding tokens the
  // upper levels of every index stay in memory, so a refresh reads few pages from disk. It
  // is filled only as pages are read: a server that serves no queries keeps no cache.
  database.pragma('cache_size = -65536');
  const dialect = guardDialect(new SqliteDialect({ database: withStatementCache(database) }), {
    translate: translateSqliteError,
    retryable: isBusy,
    retryFor: () => busyTimeout,
  });
  const db = new Kysely<Database>({ dialect });
  const storage = kyselyStorage(db, () => db.destroy());
  if (!options.genericSessionStore)
    storage.sessions = sqliteSessionStore(database, new GroupCommit(database, () => busyTimeout));
  return storage;
}
