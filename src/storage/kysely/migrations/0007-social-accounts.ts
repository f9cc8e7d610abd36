import type { Kysely } from 'kysely';
import { addSerialId } from './dialect.js';

/** Social login (issue 16): a user's provider accounts, one row per (provider, subject). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addSerialId(db, db.schema.createTable('social_accounts'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    .addColumn('subject', 'varchar(255)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('social_accounts_provider_subject', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('social_accounts_user_id').on('social_accounts').column('user_id').execute();
}
