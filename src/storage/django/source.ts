/** Reads a Django site's database for import-django (src/import/django/): a storage concern, so the drivers stay in storage/. */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import { pgDriver } from '../postgres/driver.js';

/** A Django database opened for reading: its tables and their columns, and a Kysely over it. */
export interface DjangoSource {
  db: Kysely<any>;
  kind: 'sqlite' | 'postgres';
  /** Table name → column names (PostgreSQL: the `public` schema). */
  tables: Map<string, Set<string>>;
  close(): Promise<void>;
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const DATE_OID = 1082;

/**
 * pg turns a DATE into a JavaScript Date at local midnight, which shifts the day west of UTC;
 * date_of_birth must stay the YYYY-MM-DD Django wrote.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === DATE_OID
      ? (value: string) => value
      : pgDriver().types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Opens `from`: a `postgres://` / `postgresql://` URL, or the path of a SQLite file, which is
 * opened read-only (the import never writes to Django's database).
 */
export async function openDjangoSource(from: string): Promise<DjangoSource> {
  let db: Kysely<any>;
  let kind: DjangoSource['kind'];
  if (/^postgres(ql)?:\/\//.test(from)) {
    kind = 'postgres';
    db = new Kysely({
      dialect: new PostgresDialect({ pool: new (pgDriver().Pool)({ connectionString: from, max: 2, types: pgTypes }) }),
    });
  } else {
    kind = 'sqlite';
    const path = from.replace(/^sqlite:\/\//, '');
    let database: BetterSqlite3.Database;
    try {
      database = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new ImportError(`cannot open the SQLite database ${path}: ${(error as Error).message}`);
    }
    db = new Kysely({ dialect: new SqliteDialect({ database }) });
  }
  try {
    const tables = new Map<string, Set<string>>();
    for (const table of await db.introspection.getTables()) {
      if (kind === 'postgres' && table.schema !== undefined && table.schema !== 'public') continue;
      tables.set(table.name, new Set(table.columns.map((c) => c.name)));
    }
    return { db, kind, tables, close: () => db.destroy() };
  } catch (error) {
    await db.destroy();
    throw new ImportError(`cannot read the Django database: ${(error as Error).message}`);
  }
}
