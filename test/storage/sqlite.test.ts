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
storageConformance('sqlite, generic Kysely session store', () => openSqlite({ genericSessionStore: true }));

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
    expect(() => openStorage('sqlite:/proc/x.sqlite3')).toThrow(
      new ConfigError('DOORMAN_DATABASE_URL', 'SQLite database /proc/x.sqlite3: cannot open or create the file there'),
    );
  });

  it('does not create a missing folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-storage-'));
    expect(() => openStorage(`sqlite:${join(dir, 'nested', 'db.sqlite3')}`)).toThrow(
      /DOORMAN_DATABASE_URL: the folder .*nested of the SQLite file does not exist/,
    );
    expect(existsSync(join(dir, 'nested'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('migration 0006: refresh_tokens become sessions', () => {
  it('turns each family into one session: the newest usable token current, a fully spent family revoked, expired ones dropped', async () => {
    const { Kysely, Migrator, SqliteDialect } = await import('kysely');
    const BetterSqlite3 = (await import('better-sqlite3')).default;
    const { MIGRATIONS } = await import('../../src/storage/kysely/migrate.js');
    const dir = mkdtempSync(join(tmpdir(), 'doorman-storage-'));
    const path = join(dir, 'db.sqlite3');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path) }) });
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => MIGRATIONS },
      migrationTableName: 'doorman_migrations',
      migrationLockTableName: 'doorman_migrations_lock',
    });
    expect((await migrator.migrateTo('0005-django-users')).error).toBeUndefined();
    await db
      .insertInto('users')
      .values({ email: 'a@example.com', email_key: 'a@example.com', password: 'h', date_joined: 1 })
      .execute();
    const later = Date.now() + 3_600_000;
    const row = (jti: string, family: string, created: number, revoked: number | null, expires = later) => ({
      jti,
      user_id: 1,
      family_id: family,
      token_type: 'refresh',
      created_at: created,
      expires_at: expires,
      revoked_at: revoked,
    });
    await db
      .insertInto('refresh_tokens')
      .values([
        row('a1', 'fam-a', 100, 150),
        row('a2', 'fam-a', 150, 200),
        row('a3', 'fam-a', 200, null),
        row('b1', 'fam-b', 300, 400),
        row('c1', 'fam-c', 500, null, Date.now() - 1000),
        { ...row('s1', 'fam-s', 600, null), token_type: 'sliding' },
      ])
      .execute();
    await db.destroy();

    const storage = sqliteStorage(path);
    expect(await storage.migrate()).toEqual(['0006-sessions', '0007-social-accounts', '0008-mail-audit']);
    expect(await storage.sessions.find('fam-a')).toMatchObject({
      userId: 1,
      tokenType: 'refresh',
      currentJti: 'a3',
      createdAt: new Date(100),
      revokedAt: null,
      expiresAt: new Date(later),
      credentialsEpoch: 0,
    });
    expect(await storage.sessions.find('fam-b')).toMatchObject({ currentJti: 'b1', revokedAt: new Date(400) });
    expect(await storage.sessions.find('fam-c')).toBeNull();
    expect(await storage.sessions.find('fam-s')).toMatchObject({
      tokenType: 'sliding',
      currentJti: 's1',
      revokedAt: null,
    });
    expect((await storage.users.findById(1))?.credentialsEpoch).toBe(0);
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
