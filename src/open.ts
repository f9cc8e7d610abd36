import { loadConfig, type LoadConfigOptions } from './config/load.js';
import type { Config } from './config/schema.js';
import { createDoorman, type Doorman, type DoormanOptions } from './core.js';
import { ensureDevKeys } from './keys/dev.js';
import { openConfiguredStorage } from './storage/open.js';
import type { Storage } from './storage/ports.js';

export interface OpenDoormanOptions extends Omit<DoormanOptions, 'config' | 'storage'> {
  /** A validated config; otherwise it is loaded from `load` (environment, config file). */
  config?: Config;
  load?: LoadConfigOptions;
  /**
   * The host's own storage, e.g. `kyselyStorage(db)` over its Kysely connection (doorman's
   * tables then live in the host's database; the host closes it). Without it doorman opens
   * and owns the database named by DOORMAN_DATABASE_URL.
   */
  storage?: Storage;
}

/**
 * Everything a host app needs in one call: config loaded (and, outside production, the
 * development key created when there is none yet), storage opened (or the host's
 * own), migrations run, revocation sync started. `close()` stops it and, when doorman opened
 * the database, closes that too.
 *
 * @example
 * const doorman = await openDoorman({ load: { env: process.env } });
 * await app.register(doormanPlugin, { doorman, prefix: '/auth' });
 * app.addHook('onClose', () => doorman.close());
 */
export async function openDoorman(options: OpenDoormanOptions = {}): Promise<Doorman> {
  const { config: given, load, storage: hostStorage, ...rest } = options;
  const config = ensureDevKeys(given ?? loadConfig(load));
  const storage = hostStorage ?? openConfiguredStorage(config, rest.onError);
  await storage.migrate();
  const doorman = createDoorman({ ...rest, config, storage });
  await doorman.start();
  const close = doorman.close;
  return {
    ...doorman,
    async close() {
      await close();
      if (!hostStorage) await storage.close();
    },
  };
}
