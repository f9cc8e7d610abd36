import type { Kysely, Selectable } from 'kysely';
import { DuplicateSocialAccountError, type SocialAccount, type SocialAccountStore } from '../ports.js';
import type { Database, SocialAccountsTable } from './db.js';
import { isUniqueViolation } from './errors.js';

function toAccount(row: Selectable<SocialAccountsTable>): SocialAccount {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    provider: row.provider,
    subject: row.subject,
    email: row.email,
    createdAt: new Date(Number(row.created_at)),
  };
}

export function kyselySocialAccountStore(db: Kysely<Database>): SocialAccountStore {
  return {
    async create(account) {
      try {
        const row = await db
          .insertInto('social_accounts')
          .values({
            user_id: account.userId,
            provider: account.provider,
            subject: account.subject,
            email: account.email,
            created_at: account.createdAt.getTime(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toAccount(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateSocialAccountError();
        throw error;
      }
    },
    async find(provider, subject) {
      const row = await db
        .selectFrom('social_accounts')
        .selectAll()
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .executeTakeFirst();
      return row ? toAccount(row) : null;
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('social_accounts')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();
      return rows.map(toAccount);
    },
    async remove(userId, id, keepOne) {
      let query = db.deleteFrom('social_accounts').where('id', '=', id).where('user_id', '=', userId);
      if (keepOne) {
        query = query.where((eb) =>
          eb(
            eb
              .selectFrom('social_accounts as other')
              .select((o) => o.fn.countAll<number>().as('n'))
              .where('other.user_id', '=', userId),
            '>',
            1,
          ),
        );
      }
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
