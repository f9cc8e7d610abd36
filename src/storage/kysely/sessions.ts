import type { Kysely } from 'kysely';
import type { Session, SessionStore } from '../ports.js';
import { FLUSH_BATCH, toSession, toSessionRow } from './rows.js';
import type { Database } from './db.js';
import { insertEvents, type AppendEvents } from './events.js';

/**
 * The session store on any Kysely dialect (the SQLite default uses the faster sqlite/sessions.ts).
 * `appendEvents` writes a revocation's events inside the revocation's transaction.
 */
export function kyselySessionStore(db: Kysely<Database>, appendEvents: AppendEvents = insertEvents): SessionStore {
  return {
    async create(session) {
      const full: Session = {
        ...session,
        previousJti: null,
        rotatedAt: null,
        lastUsedAt: session.createdAt,
        revokedAt: null,
      };
      await db.insertInto('sessions').values(toSessionRow(full)).execute();
    },
    async find(id) {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async rotate(id, fromJti, next, at) {
      // One conditional UPDATE: the database decides the single winner among concurrent
      // rotations, and a session ended by a concurrent logout cannot be rotated back to life.
      const result = await db
        .updateTable('sessions')
        .set({
          current_jti: next.jti,
          previous_jti: fromJti,
          rotated_at: at.getTime(),
          last_used_at: at.getTime(),
          expires_at: next.expiresAt.getTime(),
        })
        .where('id', '=', id)
        .where('current_jti', '=', fromJti)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async touch(id, at) {
      await db
        .updateTable('sessions')
        .set({ last_used_at: at.getTime() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    revoke: (id, at, events) =>
      db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('sessions')
          .set({ revoked_at: at.getTime() })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        await appendEvents(trx, events);
        return Number(result.numUpdatedRows) === 1;
      }),
    async live(userId, now) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now.getTime())
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toSession);
    },
    revokeAllForUser: (userId, at, eventsExpireAt) =>
      db.transaction().execute(async (trx) => {
        const rows = await trx
          .updateTable('sessions')
          .set({ revoked_at: at.getTime() })
          .where('user_id', '=', userId)
          .where('revoked_at', 'is', null)
          .returning('id')
          .execute();
        const ids = rows.map((r) => r.id);
        await appendEvents(
          trx,
          ids.map((subject) => ({ kind: 'session_revoked', subject, expiresAt: eventsExpireAt })),
        );
        return ids;
      }),
    async deleteExpired(now) {
      // In batches, each its own short statement: safe beside a serving instance (no long lock).
      let total = 0;
      for (;;) {
        const result = await db
          .deleteFrom('sessions')
          .where('id', 'in', (eb) =>
            eb.selectFrom('sessions').select('id').where('expires_at', '<=', now.getTime()).limit(FLUSH_BATCH),
          )
          .executeTakeFirst();
        const n = Number(result.numDeletedRows);
        total += n;
        if (n < FLUSH_BATCH) return total;
      }
    },
  };
}
