import type { Command } from 'commander';
import { importDjango, type Counts, type ImportSummary } from '../../import/django/run.js';
import { ImportError, openDjangoSource } from '../../storage/django/source.js';
import { withDoorman } from '../context.js';
import { CliError, type CliIO } from '../io.js';

export interface ImportDjangoOptions {
  from: string;
  table: string;
  dryRun?: boolean;
  batchSize?: string;
}

const line = (label: string, c: Counts) =>
  `  ${label.padEnd(18)} ${c.created} created, ${c.updated} updated, ${c.skipped} skipped\n`;

function render(summary: ImportSummary): string {
  let out = summary.dryRun ? 'Dry run: nothing was written. The import would do:\n' : 'Imported from Django:\n';
  out += line('users', summary.users);
  out += line('groups', summary.groups);
  out += line('group permissions', summary.groupPermissions);
  out += line('user permissions', summary.userPermissions);
  out += line('memberships', summary.memberships);
  for (const note of summary.notes) out += `  note: ${note}\n`;
  return out;
}

/**
 * Copies a Django project's users, groups and permissions into doorman's database (see
 * import/django/run.ts). Safe to run again: nothing is duplicated, changed users are updated.
 */
export async function importDjangoCommand(io: CliIO, options: ImportDjangoOptions): Promise<void> {
  const batchSize = options.batchSize === undefined ? 1000 : Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new CliError('--batch-size must be an integer from 1 to 100000');
  const source = await openDjangoSource(options.from).catch((error: unknown) => {
    throw error instanceof ImportError ? new CliError(error.message) : error;
  });
  try {
    const summary = await withDoorman(io, (doorman) =>
      importDjango(source, doorman.storage, {
        table: options.table,
        dryRun: options.dryRun === true,
        batchSize,
        async userUpdated(user, patch) {
          await doorman.revocation.userChanged(user);
          if (patch.isActive === false || patch.password !== undefined)
            await doorman.revocation.revokeUserSessions(user.id);
        },
        permissionsChanged: () => doorman.permissions.changed(),
      }),
    );
    io.stdout.write(render(summary));
  } catch (error) {
    throw error instanceof ImportError ? new CliError(error.message) : error;
  } finally {
    await source.close();
  }
}

export function registerImportDjango(program: Command, io: CliIO): void {
  program
    .command('import-django')
    .description(
      "copy users, groups and permissions from a Django database (hashes kept; upgraded to argon2id at each user's next login)",
    )
    .requiredOption('--from <database>', 'the Django database: a SQLite file path or a postgres:// URL (read only)')
    .option('--table <name>', "the user model's table", 'accounts_customuser')
    .option('--dry-run', 'read and compare everything, write nothing')
    .option('--batch-size <n>', 'rows read per query', '1000')
    .action((options: ImportDjangoOptions) => importDjangoCommand(io, options));
}
