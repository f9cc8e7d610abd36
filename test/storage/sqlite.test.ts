import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteStorage, type SqliteStorageOptions } from '../../src/storage/sqlite/index.js';
import { openStorage } from '../../src/storage/open.js';
import { ConfigError } from '../../src/config/load.js';
import { storageConformance } from './conformance.js';

/** A fresh, migrated SQLite file in its own temporary folder. */
async function openSqlite(options: SqliteStorageOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'doorman-storage-'));
  const storage = sqliteStorage(join(dir, 'test.sqlite3'), options);
  await storage.migrate();
  return {
    storage,
    dispose: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

storageConformance('sqlite', () => openSqlite());
storageConformance('sqlite, generic Kysely token store', () => openSqlite({ genericTokenStore: true }));

describe('sqlite specifics', () => {
  it('migrates idempotently and keeps data across reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-storage-'));
    const path = join(dir, 'db.sqlite3');
    const first = sqliteStorage(path);
    await first.migrate();
    await first.migrate();
    await first.users.create({ email: 'a@example.com', password: null });
    await first.close();
    const second = openStorage(`sqlite:${path}`);
    await second.migrate();
    expect(await second.users.count()).toBe(1);
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a write from another connection to the same file (CLI beside a server)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-storage-'));
    const path = join(dir, 'db.sqlite3');
    const server = sqliteStorage(path);
    await server.migrate();
    const cli = sqliteStorage(path);
    const user = await cli.users.create({ email: 'a@example.com', password: null });
    expect((await server.users.findById(user.id))?.email).toBe('a@example.com');
    await cli.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the setting when the database URL is not one it can open', () => {
    expect(() => openStorage('mysql://x')).toThrow(ConfigError);
    expect(() => openStorage('mysql://x')).toThrow(/DOORMAN_DATABASE_URL/);
  });

  it('a file it cannot create is one line naming the setting (issue 17: sqlite:/proc/x.sqlite3)', () => {
    expect(() => openStorage('sqlite:/proc/x.sqlite3')).toThrow(new ConfigError('DOORMAN_DATABASE_URL', 'SQLite database /proc/x.sqlite3: cannot open or create the file there'));
  });

  it('does not create a missing folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-storage-'));
    expect(() => openStorage(`sqlite:${join(dir, 'nested', 'db.sqlite3')}`)).toThrow(/DOORMAN_DATABASE_URL: the folder .*nested of the SQLite file does not exist/);
    expect(existsSync(join(dir, 'nested'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
