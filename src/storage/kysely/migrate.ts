import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { StorageUnavailableError } from '../ports.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-permissions.js';
import * as m0005 from './migrations/0005-django-users.js';
import * as m0006 from './migrations/0006-sessions.js';
import * as m0007 from './migrations/0007-social-accounts.js';
import * as m0008 from './migrations/0008-mail-audit.js';

/** Numbered, forward-only migrations, compiled in (no directory scanning at run time). */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-permissions': m0002,
  '0005-django-users': m0005,
  '0006-sessions': m0006,
  '0007-social-accounts': m0007,
  '0008-mail-audit': m0008,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'doorman_migrations',
    migrationLockTableName: 'doorman_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** For readiness: null when every migration this version knows has run, else what is wrong. */
export async function migrationProblem(db: Kysely<any>): Promise<string | null> {
  let applied: Set<string>;
  try {
    const rows = await db.selectFrom('doorman_migrations').select('name').execute();
    applied = new Set(rows.map((r: { name: string }) => r.name));
  } catch (error) {
    if (error instanceof StorageUnavailableError) return error.reason;
    return 'migrations have not run (npx doorman migrate)';
  }
  const missing = Object.keys(MIGRATIONS).filter((name) => !applied.has(name));
  return missing.length === 0 ? null : `migrations not applied: ${missing.join(', ')} (npx doorman migrate)`;
}
