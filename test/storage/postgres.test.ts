import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../src/storage/postgres/index.js';
import type { Storage } from '../../src/storage/ports.js';
import { createTestDatabase, noteSkippedPostgres, POSTGRES_URL, query, type TestDatabase } from '../postgres-helpers.js';
import { storageConformance } from './conformance.js';

noteSkippedPostgres('PostgreSQL storage conformance');

describe.skipIf(!POSTGRES_URL)('postgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('conformance');
    const storage = postgresStorage(database.url);
    await storage.migrate();
    await storage.close();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Every test starts from empty tables (one database per run; TRUNCATE is far faster than CREATE DATABASE). */
  storageConformance('postgres', async () => {
    await query(database.url, 'TRUNCATE users, refresh_tokens, auth_events, groups, permissions, user_groups, group_permissions, user_permissions RESTART IDENTITY CASCADE');
    const storage: Storage = postgresStorage(database.url, { poolSize: 4 });
    return { storage, dispose: () => storage.close() };
  });

  it('rotations sent together share one statement: each distinct token rotates, and of two rotations of one token exactly one wins', async () => {
    await query(database.url, 'TRUNCATE users, refresh_tokens RESTART IDENTITY CASCADE');
    const storage = postgresStorage(database.url, { poolSize: 2 });
    try {
      const user = await storage.users.create({ email: 'batch@example.com', password: null });
      const token = (sessionId: string) => ({
        jti: crypto.randomUUID().replaceAll('-', ''), userId: user.id, sessionId, tokenType: 'refresh' as const,
        createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000), revokedAt: null,
      });
      const originals = Array.from({ length: 50 }, (_, i) => token(`s${i}`));
      for (const t of originals) await storage.tokens.record(t);
      const successors = originals.map((t) => token(t.sessionId));
      const twin = token('s0');
      const results = await Promise.all([...originals.map((t, i) => storage.tokens.rotate(t.jti, successors[i]!, new Date())), storage.tokens.rotate(originals[0]!.jti, twin, new Date())]);
      expect(results.slice(1, 50).every(Boolean)).toBe(true);
      expect([results[0], results[50]].filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? successors[0]! : twin;
      const loser = results[0] ? twin : successors[0]!;
      expect(await storage.tokens.find(winner.jti)).toMatchObject({ revokedAt: null, sessionId: 's0' });
      expect(await storage.tokens.find(loser.jti)).toBeNull();
      for (const t of originals) expect((await storage.tokens.find(t.jti))?.revokedAt).toBeInstanceOf(Date);
    } finally {
      await storage.close();
    }
  });

  it('migrates idempotently: a second run applies nothing', async () => {
    const storage = postgresStorage(database.url);
    expect(await storage.migrate()).toEqual([]);
    expect(await storage.unready()).toBeNull();
    await storage.close();
  });
});

describe.skipIf(!POSTGRES_URL)('postgres: several instances', () => {
  it('N instances migrating an empty database at the same moment all come up', async () => {
    const database = await createTestDatabase('migrate');
    const storages = Array.from({ length: 6 }, () => postgresStorage(database.url, { poolSize: 2 }));
    try {
      const applied = await Promise.all(storages.map((s) => s.migrate()));
      // Exactly one ran the migrations; the others waited on the lock and found nothing to do.
      const all = await storages[0]!.migrate(); // nothing left: every migration this version knows ran once
      expect(all).toEqual([]);
      const names = (await query(database.url, 'SELECT name FROM doorman_migrations ORDER BY name')).map((r) => r.name);
      expect(applied.flat().sort()).toEqual(names);
      expect(names).toContain('0001-initial');
      for (const s of storages) expect(await s.unready()).toBeNull();
    } finally {
      await Promise.all(storages.map((s) => s.close()));
      await database.drop();
    }
  });

  it('readiness names the problem when migrations have not run', async () => {
    const database = await createTestDatabase('unready');
    const storage = postgresStorage(database.url);
    try {
      expect(await storage.unready()).toBe('migrations have not run (npx doorman migrate)');
    } finally {
      await storage.close();
      await database.drop();
    }
  });
});
