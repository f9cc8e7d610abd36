import { ConfigError } from '../config/load.js';
import { parseDatabaseUrl, sqliteFolderProblem, type DatabaseUrl } from '../config/database-url.js';
import type { Config } from '../config/schema.js';
import type { Storage } from './ports.js';
import { postgresStorage } from './postgres/index.js';
import { sqliteStorage } from './sqlite/index.js';

export interface OpenStorageOptions {
  /** PostgreSQL: connections in the pool (databasePoolSize). */
  poolSize?: number;
  /** How long (ms) to wait for a SQLite write lock or a PostgreSQL connection before 503 (databaseBusyTimeout). */
  busyTimeout?: number;
  /** Background database errors (a pooled PostgreSQL connection that died while idle). */
  onError?: (error: unknown) => void;
}

/**
 * Opens the storage the database setting names (parsed and checked when the settings load;
 * a plain string is parsed here for library callers). A SQLite file that cannot be opened, or
 * whose folder does not exist, is a ConfigError naming the setting: one clear line at start-up,
 * not a stack.
 */
export function openStorage(database: DatabaseUrl | string, options: OpenStorageOptions = {}): Storage {
  let target: DatabaseUrl;
  try {
    target = parseDatabaseUrl(database);
  } catch (error) {
    throw new ConfigError('DOORMAN_DATABASE_URL', (error as Error).message);
  }
  if (target.driver === 'postgres') {
    return postgresStorage(target.url, {
      poolSize: options.poolSize,
      connectTimeout: options.busyTimeout,
      onError: options.onError,
    });
  }
  const folder = sqliteFolderProblem(target.path);
  if (folder) throw new ConfigError('DOORMAN_DATABASE_URL', folder);
  try {
    return sqliteStorage(target.path, { busyTimeout: options.busyTimeout });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const cannot = ['SQLITE_CANTOPEN', 'EACCES', 'EPERM', 'ENOENT', 'EROFS', 'EISDIR', 'ENOTDIR'].includes(code);
    const reason = cannot ? 'cannot open or create the file there' : (error as Error).message;
    throw new ConfigError('DOORMAN_DATABASE_URL', `SQLite database ${target.path}: ${reason}`);
  }
}

/** The storage the configuration names, with its pool and wait settings. */
export function openConfiguredStorage(config: Config, onError?: (error: unknown) => void): Storage {
  return openStorage(config.databaseUrl, {
    poolSize: config.databasePoolSize,
    busyTimeout: config.databaseBusyTimeout,
    onError,
  });
}
