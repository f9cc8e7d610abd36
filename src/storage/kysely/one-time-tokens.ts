import type { Kysely } from 'kysely';
import type { OneTimeTokenStore } from '../ports.js';
import type { Database } from './db.js';

export function kyselyOneTimeTokenStore(db: Kysely<Database>): OneTimeTokenStore {
  return {
    async put(purpose, userId, token) {
      // Delete then insert in one transaction: portable (no dialect-specific upsert).
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('one_time_tokens').where('purpose', '=', purpose).where('user_id', '=', userId).execute();
        await trx
          .insertInto('one_time_tokens')
          .values({ purpose, user_id: userId, token_hash: token.tokenHash, expires_at: token.expiresAt.getTime() })
          .execute();
      });
    },
    async find(purpose, userId) {
      const row = await db
        .selectFrom('one_time_tokens')
        .select(['token_hash', 'expires_at'])
        .where('purpose', '=', purpose)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? { tokenHash: row.token_hash, expiresAt: new Date(Number(row.expires_at)) } : null;
    },
    async consume(purpose, userId, tokenHash) {
      const result = await db
        .deleteFrom('one_time_tokens')
        .where('purpose', '=', purpose)
        .where('user_id', '=', userId)
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async clear(purpose, userId) {
      await db.deleteFrom('one_time_tokens').where('purpose', '=', purpose).where('user_id', '=', userId).execute();
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('one_time_tokens').where('expires_at', '<=', now.getTime()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
