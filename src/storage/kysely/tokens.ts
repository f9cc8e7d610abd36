import type { Kysely } from 'kysely';
import type { TokenStore } from '../ports.js';
import { FLUSH_BATCH, toToken, toTokenRow as toRow } from './rows.js';
import type { Database } from './db.js';

/** The token store on any Kysely dialect (the SQLite default uses the faster sqlite/tokens.ts). */
export function kyselyTokenStore(db: Kysely<Database>): TokenStore {
  return {
    async record(token) {
      await db.insertInto('refresh_tokens').values(toRow(token)).execute();
    },
    async rotate(jti, successor, at) {
      return db.transaction().execute(async (trx) => {
        const consumed = await trx
          .updateTable('refresh_tokens')
          .set({ revoked_at: at.getTime() })
          .where('jti', '=', jti)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(consumed.numUpdatedRows) !== 1) return false;
        await trx.insertInto('refresh_tokens').values(toRow(successor)).execute();
        return true;
      });
    },
    async find(jti) {
      const row = await db.selectFrom('refresh_tokens').selectAll().where('jti', '=', jti).executeTakeFirst();
      return row ? toToken(row) : null;
    },
    async consume(jti, at) {
      // One conditional UPDATE: the database decides the single winner among concurrent refreshes.
      const result = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: at.getTime() })
        .where('jti', '=', jti)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async revoke(jti, at) {
      await db.updateTable('refresh_tokens').set({ revoked_at: at.getTime() }).where('jti', '=', jti).where('revoked_at', 'is', null).execute();
      const row = await db.selectFrom('refresh_tokens').select('jti').where('jti', '=', jti).executeTakeFirst();
      return row !== undefined;
    },
    async revokeSession(sessionId, at) {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: at.getTime() })
        .where('family_id', '=', sessionId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async liveSessions(userId, now) {
      const rows = await db
        .selectFrom('refresh_tokens')
        .select('family_id')
        .distinct()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now.getTime())
        .execute();
      return rows.map((r) => r.family_id);
    },
    async revokeAllForUser(userId, at) {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: at.getTime() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async deleteExpired(now) {
      // In batches, each its own short statement: safe beside a serving instance (no long lock).
      let total = 0;
      for (;;) {
        const result = await db
          .deleteFrom('refresh_tokens')
          .where('jti', 'in', (eb) => eb.selectFrom('refresh_tokens').select('jti').where('expires_at', '<=', now.getTime()).limit(FLUSH_BATCH))
          .executeTakeFirst();
        const n = Number(result.numDeletedRows);
        total += n;
        if (n < FLUSH_BATCH) return total;
      }
    },
  };
}
