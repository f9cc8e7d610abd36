import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/** True when the migrations run on PostgreSQL (the only place they differ from SQLite). */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * An auto-numbered integer primary key. SQLite: `integer primary key autoincrement` (ids never
 * reused, as on databases migrated before PostgreSQL support, which stay valid); PostgreSQL:
 * `serial primary key` (Kysely's autoIncrement() would emit MySQL's auto_increment there).
 */
export function addSerialId<T extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
