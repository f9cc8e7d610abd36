import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { createDoorman } from './core.js';
import { describeDatabase } from './config/database-url.js';
import { ensureDevKeys } from './keys/dev.js';
import { openConfiguredStorage } from './storage/open.js';
import { StorageUnavailableError } from './storage/ports.js';

/** The start-up line's facts: mode, where the keys came from, which database (never a secret). */
export function startupSummary(config: Config): { mode: string; keys: string; database: string } {
  return { mode: config.environment, keys: config.keySource, database: describeDatabase(config.databaseUrl) };
}

/**
 * Process entry for `npm start` / `doorman serve`: config → development key (when none yet) →
 * storage (migrated) → app → listen,
 * and a clean shutdown on SIGINT/SIGTERM: stop accepting, let in-flight requests finish (up to
 * shutdownTimeout, then their connections are closed), close the pool, exit 0.
 */
export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = ensureDevKeys(loadConfig({ env }));
  // Errors of idle pooled connections (PostgreSQL restarting): logged once the app exists.
  let log: (error: unknown, message: string) => void = () => {};
  const storage = openConfiguredStorage(config, (error) => log(error, 'idle database connection lost'));
  await storage.migrate();
  const app = await buildApp({
    doorman: createDoorman({
      config,
      storage,
      onError: (error) => log(error, 'doorman: background work failed (revocation sync, mail, audit)'),
    }),
  });
  log = (error, message) => app.log.warn({ err: error }, message);
  await app.doorman.start();
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.warn(
        { timeoutMs: config.shutdownTimeout },
        'in-flight requests did not finish in time; closing their connections',
      );
      app.server.closeAllConnections();
    }, config.shutdownTimeout);
    force.unref();
    await app.close();
    clearTimeout(force);
    await app.doorman.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  const summary = startupSummary(config);
  app.log.info(summary, `doorman ${summary.mode} mode; keys: ${summary.keys}; database: ${summary.database}`);
  if (config.environment === 'production' && config.mailUrl === null) {
    app.log.warn(
      'doorman: no DOORMAN_MAIL_URL, so mail is off: password reset and resend answer as usual and send nothing',
    );
  }
}

export function reportStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`doorman: configuration error: ${error.message}\n`);
    process.exit(78);
  }
  if (error instanceof StorageUnavailableError) {
    const cause = (error.cause as { message?: string } | undefined)?.message;
    process.stderr.write(
      `doorman: cannot start: ${error.reason}${cause ? ` (${cause})` : ''} Check DOORMAN_DATABASE_URL.\n`,
    );
    process.exit(1);
  }
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as { address?: string; port?: number };
    const why =
      code === 'EADDRINUSE'
        ? 'is already in use'
        : code === 'EACCES'
          ? 'needs privileges'
          : 'is not an address of this machine';
    process.stderr.write(
      `doorman: cannot listen on ${address ?? '?'}:${port ?? '?'}: it ${why}. Set DOORMAN_HOST / DOORMAN_PORT.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`doorman: cannot start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch(reportStartupError);
}
