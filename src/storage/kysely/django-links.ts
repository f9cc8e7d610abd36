import type { Kysely } from 'kysely';
import type { DjangoLinkStore } from '../ports.js';
import type { Database } from './db.js';

export function kyselyDjangoLinkStore(db: Kysely<Database>): DjangoLinkStore {
  return {
    async link(djangoId, userId) {
      await db
        .insertInto('django_users')
        .values({ django_id: djangoId, user_id: userId })
        .onConflict((oc) => oc.column('django_id').doUpdateSet({ user_id: userId }))
        .execute();
    },
    async userFor(djangoId) {
      const row = await db
        .selectFrom('django_users')
        .select('user_id')
        .where('django_id', '=', djangoId)
        .executeTakeFirst();
      return row ? Number(row.user_id) : null;
    },
  };
}
