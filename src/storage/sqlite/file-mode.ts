import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

/**
 * The database holds password hashes and token records: readable by its owner only. The file
 * is created 0600 before SQLite opens it, and SQLite creates the -wal and -shm files with the
 * database file's own mode. A file left group- or world-readable by an older version (0644)
 * is tightened at start, with its -wal and -shm.
 */
export function ownerOnlyDatabase(path: string): void {
  if (path === ':memory:' || path === '') return;
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}
