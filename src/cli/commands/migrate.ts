import type { Command } from 'commander';
import { withStorage } from '../context.js';
import type { CliIO } from '../io.js';

/**
 * Applies pending migrations (forward-only) and lists them, like `manage.py migrate`.
 * The migrations that ran are listed when the storage reports them (Storage.migrate
 * returning their names); otherwise the command only says the database is up to date.
 */
export async function migrate(io: CliIO): Promise<void> {
  const applied: unknown = await withStorage(io, (storage) => storage.migrate(), { migrate: false });
  if (!Array.isArray(applied)) {
    io.stdout.write('Database is up to date.\n');
    return;
  }
  io.stdout.write('Running migrations:\n');
  if (applied.length === 0) io.stdout.write('  No migrations to apply.\n');
  for (const name of applied) io.stdout.write(`  Applying ${String(name)}... OK\n`);
}

export function registerMigrate(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('create the database if needed and apply pending migrations')
    .action(() => migrate(io));
}
