import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../kysely/migrate.js';

/** Advisory lock key for migrations (any fixed bigint): "doorman0". */
const MIGRATIONS_LOCK_KEY = 0x646f6f72_6d616e30n;

/**
 * Runs the migrations holding a session-level advisory lock on one pinned connection, so N
 * instances started at once on an empty database queue up: the first migrates, the others
 * then find nothing to do (Kysely's own migration lock is taken only after it has created its
 * bookkeeping tables, which concurrent first starts could race on).
 */
export async function migrateWithLock(db: Kysely<any>): Promise<string[]> {
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${MIGRATIONS_LOCK_KEY.toString()}::bigint)`.execute(connection);
    try {
      return await migrateToLatest(connection);
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATIONS_LOCK_KEY.toString()}::bigint)`.execute(connection);
    }
  });
}
