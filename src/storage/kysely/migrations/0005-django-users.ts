import type { Kysely } from 'kysely';

/**
 * Django users imported by `doorman import-django`, by Django's primary key: the simplejwt
 * transition maps a Django token's user_id through it (issue 16).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('django_users')
    .addColumn('django_id', 'bigint', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('django_users_user_id').on('django_users').column('user_id').execute();
}
