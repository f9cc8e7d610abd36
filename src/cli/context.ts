import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createDoorman, type Doorman } from '../core.js';
import { ensureDevKeys } from '../keys/dev.js';
import { openConfiguredStorage } from '../storage/open.js';
import type { Storage } from '../storage/ports.js';
import type { CliIO } from './io.js';

/**
 * Environment variables the CLI reads itself (like Django's DJANGO_SUPERUSER_PASSWORD).
 * They are not settings, so they are kept from loadConfig, which rejects unknown DOORMAN_* names.
 */
export const CLI_ENV_NAMES = ['DOORMAN_SUPERUSER_EMAIL', 'DOORMAN_SUPERUSER_PASSWORD'] as const;

/** The environment without the CLI's own variables: what configuration is loaded from. */
export function settingsEnv(env: CliIO['env']): Record<string, string | undefined> {
  const copy = { ...env };
  for (const name of CLI_ENV_NAMES) delete copy[name];
  return copy;
}

/** The validated configuration, loaded when a command runs (never at import time). */
export function cliConfig(io: CliIO): Config {
  return loadConfig({ env: settingsEnv(io.env) });
}

/**
 * Opens the configured database for one command and closes it afterwards. Pending migrations
 * run first, as they do when the server starts, unless `migrate` is false (the migrate command).
 *
 * @example
 * await withStorage(io, (storage) => storage.sessions.deleteExpired(new Date()));
 */
export async function withStorage<T>(
  io: CliIO,
  run: (storage: Storage, config: Config) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = cliConfig(io);
  const storage = openConfiguredStorage(config);
  try {
    if (options.migrate !== false) await storage.migrate();
    return await run(storage, config);
  } finally {
    await storage.close();
  }
}

/**
 * The wired domain (accounts, revocation, tokens) over the configured database, for one command.
 * Revocations it writes reach running servers through the events table within one poll.
 */
export function withDoorman<T>(io: CliIO, run: (doorman: Doorman) => Promise<T>): Promise<T> {
  return withStorage(io, async (storage, config) => {
    const doorman = createDoorman({ config: ensureDevKeys(config), storage });
    try {
      return await run(doorman);
    } finally {
      await doorman.close();
    }
  });
}
