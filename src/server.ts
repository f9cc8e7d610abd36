import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { createDoorman } from './core.js';
import { ensureDevKeys } from './keys/dev.js';
import { openStorage } from './storage/open.js';

/** A database URL fit for a log line: the password (if any) replaced by ***. */
function showDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** The start-up line's facts: mode, where the keys came from, which database (never a secret). */
export function startupSummary(config: Config): { mode: string; keys: string; database: string } {
  return { mode: config.environment, keys: config.keySource, database: showDatabase(config.databaseUrl) };
}

/**
 * Process entry for `npm start` / `doorman serve`: config → development key (when none yet) →
 * storage (migrated) → app → listen,
 * and a clean shutdown on SIGINT/SIGTERM.
 */
export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = ensureDevKeys(loadConfig({ env }));
  const storage = openStorage(config.databaseUrl);
  await storage.migrate();
  const app = await buildApp({ doorman: createDoorman({ config, storage, onError: (error) => app.log.error({ err: error }, 'revocation sync failed') }) });
  await app.doorman.start();
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await app.doorman.close();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  const summary = startupSummary(config);
  app.log.info(summary, `doorman ${summary.mode} mode; keys: ${summary.keys}; database: ${summary.database}`);
}

export function reportStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`doorman: configuration error: ${error.message}\n`);
    process.exit(78);
  }
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as { address?: string; port?: number };
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges' : 'is not an address of this machine';
    process.stderr.write(`doorman: cannot listen on ${address ?? '?'}:${port ?? '?'}: it ${why}. Set DOORMAN_HOST / DOORMAN_PORT.\n`);
    process.exit(1);
  }
  process.stderr.write(`doorman: cannot start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch(reportStartupError);
}
