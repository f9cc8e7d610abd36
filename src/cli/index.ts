import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/load.js';
import { registerAudit } from './commands/audit.js';
import { registerChangePassword } from './commands/changepassword.js';
import { registerCreateSuperuser } from './commands/createsuperuser.js';
import { registerFlushExpiredTokens } from './commands/flushexpiredtokens.js';
import { registerImportDjango } from './commands/import-django.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPermissionCommands } from './commands/permissions.js';
import { registerServe } from './commands/serve.js';
import { registerSetActive } from './commands/set-active.js';
import { CliError, processIO, type CliIO } from './io.js';

export { CLI_ENV_NAMES } from './context.js';
export { CliError, processIO, type CliIO } from './io.js';

/** Exit status for configuration errors (sysexits.h EX_CONFIG), as the server uses. */
export const EXIT_CONFIG = 78;

/** The package's version, from its package.json (two folders up from dist/cli/ and src/cli/). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The `doorman` program; built per run, so no state outlives a run. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('doorman')
    .description("doorman's management commands (like Django's manage.py)")
    .version(packageVersion(), '-V, --version', "print doorman's version")
    .option('--traceback', 'print the stack trace of unexpected errors')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run `doorman --help` for the commands)');
  registerServe(program, io);
  registerMigrate(program, io);
  registerCreateSuperuser(program, io);
  registerChangePassword(program, io);
  registerSetActive(program, io);
  registerFlushExpiredTokens(program, io);
  registerPermissionCommands(program, io);
  registerKeysCommand(program, io);
  registerImportDjango(program, io);
  registerAudit(program, io);
  return program;
}

function report(error: unknown, io: CliIO, traceback: boolean): number {
  if (error instanceof CommanderError) return error.exitCode; // commander has printed it
  if (error instanceof ConfigError) {
    io.stderr.write(`doorman: configuration error: ${error.message}\n`);
    return EXIT_CONFIG;
  }
  if (error instanceof CliError) {
    io.stderr.write(`doorman: error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  io.stderr.write(
    traceback && error instanceof Error && error.stack
      ? `${error.stack}\n`
      : `doorman: error: ${message} (run with --traceback for details)\n`,
  );
  return 1;
}

/**
 * Runs one CLI command and resolves to its exit status; it never calls process.exit, so tests
 * drive it in-process. `argv` holds the user's arguments only (`process.argv.slice(2)`).
 * `serve` resolves once the server listens; the server then runs until a signal.
 *
 * @example
 * const code = await runCli(['createsuperuser', '--no-input', '--email', 'admin@example.com'], {
 *   ...processIO(),
 *   env: { ...process.env, DOORMAN_SUPERUSER_PASSWORD: 'a long passphrase' },
 * });
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return report(error, io, argv.includes('--traceback'));
  }
}
