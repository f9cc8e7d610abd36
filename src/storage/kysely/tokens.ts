import type { Kysely, Selectable } from 'kysely';
import type { OutstandingToken, StoredTokenType, TokenStore } from '../ports.js';
import type { Database, RefreshTokensTable } from './db.js';

function toToken(row: Selectable<RefreshTokensTable>): OutstandingToken {
  return {
    jti: row.jti,
    userId: Number(row.user_id),
    familyId: row.family_id,
    tokenType: row.token_type as StoredTokenType,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    revokedAt: row.revoked_at == null ? null : new Date(Number(row.revoked_at)),
  };
}

function toRow(token: OutstandingToken) {
  return {
    jti: token.jti,
    user_id: token.userId,
    family_id: token.familyId,
    token_type: token.tokenType,
    created_at: token.createdAt.getTime(),
    expires_at: token.expiresAt.getTime(),
    revoked_at: token.revokedAt ? token.revokedAt.getTime() : null,
  };
}

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
    async revokeFamily(familyId, at) {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: at.getTime() })
        .where('family_id', '=', familyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async liveFamilies(userId, now) {
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
      const result = await db.deleteFrom('refresh_tokens').where('expires_at', '<=', now.getTime()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
