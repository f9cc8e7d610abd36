import type { Kysely } from 'kysely';
import type { AuthEvent, EventStore } from '../ports.js';
import type { Database } from './db.js';
import { FLUSH_BATCH } from './rows.js';

/**
 * Appends events on `db`, which may be a transaction: the session stores write a revocation and
 * its events in one (SessionStore.revoke). Returns their ids. A backend whose readers
 * need more than a plain INSERT (PostgreSQL: ordered ids, NOTIFY) passes its own.
 */
export type AppendEvents = (db: Kysely<Database>, events: AuthEvent[]) => Promise<number[]>;

export const insertEvents: AppendEvents = async (db, events) => {
  if (events.length === 0) return [];
  const createdAt = Date.now();
  const rows = await db
    .insertInto('auth_events')
    .values(
      events.map((event) => ({
        kind: event.kind,
        subject: event.subject,
        expires_at: event.expiresAt.getTime(),
        created_at: createdAt,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => Number(row.id));
};

export function kyselyEventStore(db: Kysely<Database>): EventStore {
  return {
    async append(event) {
      return (await insertEvents(db, [event]))[0]!;
    },
    async since(cursor, limit) {
      const rows = await db
        .selectFrom('auth_events')
        .selectAll()
        .where('id', '>', cursor)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        event: { kind: r.kind, subject: r.subject, expiresAt: new Date(Number(r.expires_at)) } as AuthEvent,
      }));
    },
    async activeSessionRevocations(now) {
      const rows = await db
        .selectFrom('auth_events')
        .select(['subject', 'expires_at'])
        .where('kind', '=', 'session_revoked')
        .where('expires_at', '>', now.getTime())
        .execute();
      return rows.map((r) => ({ sessionId: r.subject, expiresAt: new Date(Number(r.expires_at)) }));
    },
    async latest() {
      const row = await db
        .selectFrom('auth_events')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      return Number(row?.id ?? 0);
    },
    async deleteExpired(now) {
      let total = 0;
      for (;;) {
        const result = await db
          .deleteFrom('auth_events')
          .where('id', 'in', (eb) =>
            eb.selectFrom('auth_events').select('id').where('expires_at', '<=', now.getTime()).limit(FLUSH_BATCH),
          )
          .executeTakeFirst();
        const n = Number(result.numDeletedRows);
        total += n;
        if (n < FLUSH_BATCH) return total;
      }
    },
  };
}
