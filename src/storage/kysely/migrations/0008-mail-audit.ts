import type { Kysely } from 'kysely';
import { addSerialId } from './dialect.js';

/**
 * Issue 14: the e-mail verified flag, one-time tokens (password reset, e-mail verification;
 * only a SHA-256 of each is stored) and the audit log. Dialect-neutral (Kysely's schema builder).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Users that exist before verification was introduced count as verified: nobody can prove
  // an address retroactively, and locking every existing user out at an upgrade is worse.
  // Users who join from now on start unverified (users/accounts.ts).
  await db.schema
    .alterTable('users')
    .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  // One live token per (purpose, user): a newer reset replaces the older one.
  await db.schema
    .createTable('one_time_tokens')
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('one_time_tokens_pk', ['purpose', 'user_id'])
    .execute();
  await db.schema.createIndex('one_time_tokens_expires_at').on('one_time_tokens').column('expires_at').execute();

  // No foreign key to users: the record of what happened outlives the account.
  await addSerialId(db, db.schema.createTable('audit_events'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('email', 'varchar(254)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(512)')
    .addColumn('detail', 'varchar(512)')
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_user_at').on('audit_events').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('audit_events_kind_at').on('audit_events').columns(['kind', 'at']).execute();
}
