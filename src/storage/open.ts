import { ConfigError } from '../config/load.js';
import type { Storage } from './ports.js';
import { sqliteStorage } from './sqlite/index.js';

/** Opens the storage named by a database URL: `sqlite:<path>`, `sqlite::memory:`, `file:<path>`, or a bare `*.sqlite3` path. */
export function openStorage(databaseUrl: string): Storage {
  const url = databaseUrl.trim();
  if (/^postgres(ql)?:/i.test(url)) {
    throw new ConfigError('DOORMAN_DATABASE_URL', 'PostgreSQL is not supported by this version yet; use sqlite:<path>');
  }
  const match = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url);
  const path = match ? match[1]! : /\.(sqlite3?|db)$/i.test(url) ? url : null;
  if (!path) throw new ConfigError('DOORMAN_DATABASE_URL', `unsupported database URL "${url.split(':')[0]}:"; expected sqlite:<path>`);
  return sqliteStorage(path === ':memory:' ? ':memory:' : path);
}
