import type { Kysely } from 'kysely';
import { addSerialId } from './dialect.js';

/** Django's auth groups and model permissions: groups, permissions, and who holds which. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addSerialId(db, db.schema.createTable('groups'))
    .addColumn('name', 'varchar(150)', (c) => c.notNull().unique())
    .execute();

  await addSerialId(db, db.schema.createTable('permissions'))
    .addColumn('app_label', 'varchar(100)', (c) => c.notNull())
    .addColumn('codename', 'varchar(100)', (c) => c.notNull())
    .addUniqueConstraint('permissions_app_label_codename', ['app_label', 'codename'])
    .execute();

  await db.schema
    .createTable('user_groups')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_groups_pk', ['user_id', 'group_id'])
    .execute();
  await db.schema.createIndex('user_groups_group_id').on('user_groups').column('group_id').execute();

  await db.schema
    .createTable('group_permissions')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('permission_id', 'integer', (c) => c.notNull().references('permissions.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_permissions_pk', ['group_id', 'permission_id'])
    .execute();

  await db.schema
    .createTable('user_permissions')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('permission_id', 'integer', (c) => c.notNull().references('permissions.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_permissions_pk', ['user_id', 'permission_id'])
    .execute();
}
