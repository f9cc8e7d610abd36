import type { Command } from 'commander';
import { withStorage } from '../context.js';
import type { CliIO } from '../io.js';

/** Applies pending migrations (forward-only) and lists them, like `manage.py migrate`. */
export async function migrate(io: CliIO): Promise<void> {
  const applied = await withStorage(io, (storage) => storage.migrate(), { migrate: false });
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
