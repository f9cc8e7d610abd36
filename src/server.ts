import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/load.js';
import { createDoorman } from './core.js';
import { openStorage } from './storage/open.js';

/**
 * Process entry for `npm start` / `doorman serve`: config → storage (migrated) → app → listen,
 * and a clean shutdown on SIGINT/SIGTERM.
 */
export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfig({ env });
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
