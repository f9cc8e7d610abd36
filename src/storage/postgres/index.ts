import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { pgDriver } from './driver.js';
import type { Storage } from '../ports.js';
import type { Database } from '../kysely/db.js';
import { guardDialect } from '../kysely/guarded-dialect.js';
import { kyselyStorage } from '../kysely/index.js';
import { translatePostgresError } from './errors.js';
import { listenForEvents, postgresEventStore } from './events.js';
import { migrateWithLock } from './migrate.js';
import { postgresSessionStore } from './sessions.js';
import { postgresUserStore } from './users.js';

export interface PostgresStorageOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long (ms) a query waits for a free or new connection before 503 (default 5000). */
  connectTimeout?: number;
  /** Where errors of idle pooled connections go (a restart of PostgreSQL ends them all). */
  onError?: (error: unknown) => void;
}

/** int8 (bigint, our epoch-millisecond times and counts) as a JS number: exact up to 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pgDriver().types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * PostgreSQL: Kysely's PostgresDialect over a `pg` pool, with the generic Kysely stores. What
 * is PostgreSQL's own: rotation in one statement (sessions.ts), session and user reads by id
 * batched per event-loop turn (sessions.ts, users.ts), the id sequence after an explicit id (users.ts), ordered event appends with NOTIFY
 * and a LISTEN connection (events.ts), migrations under an advisory lock (migrate.ts), and
 * outage errors turned into StorageUnavailableError (errors.ts). The pool reconnects by itself
 * when PostgreSQL comes back: no restart needed.
 */
export function postgresStorage(connectionString: string, options: PostgresStorageOptions = {}): Storage {
  const onError = options.onError ?? (() => {});
  const pool = new (pgDriver().Pool)({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeout ?? 5000,
    keepAlive: true,
    types,
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener that
  // would crash the process. The pool drops the client and opens a new one when needed.
  pool.on('error', onError);
  // pg-pool takes its listener off a client while it is checked out, and a connection that dies
  // then (PostgreSQL restarted, pg_terminate_backend) emits 'error' on the client besides failing
  // its query: with no listener, an uncaught exception. The query's own error becomes the 503;
  // the pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const dialect = guardDialect(new PostgresDialect({ pool }), { translate: translatePostgresError });
  const db = new Kysely<Database>({ dialect });
  const storage = kyselyStorage(db, () => db.destroy());
  storage.users = postgresUserStore(db);
  storage.sessions = postgresSessionStore(db, options.connectTimeout ?? 5000);
  storage.events = postgresEventStore(db);
  storage.events.listen = (wake, onListenError) => listenForEvents(connectionString, wake, onListenError);
  storage.migrate = () => migrateWithLock(db);
  return storage;
}
