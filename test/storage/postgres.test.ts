import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../src/storage/postgres/index.js';
import type { Storage } from '../../src/storage/ports.js';
import {
  createTestDatabase,
  noteSkippedPostgres,
  POSTGRES_URL,
  query,
  type TestDatabase,
} from '../postgres-helpers.js';
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
    await query(
      database.url,
      'TRUNCATE users, sessions, auth_events, groups, permissions, user_groups, group_permissions, user_permissions, one_time_tokens, audit_events RESTART IDENTITY CASCADE',
    );
    const storage: Storage = postgresStorage(database.url, { poolSize: 4 });
    return { storage, dispose: () => storage.close() };
  });

  it('rotations sent together share one statement: each distinct session rotates, and of two rotations from one jti exactly one wins', async () => {
    await query(database.url, 'TRUNCATE users, sessions RESTART IDENTITY CASCADE');
    const storage = postgresStorage(database.url, { poolSize: 2 });
    try {
      const user = await storage.users.create({ email: 'batch@example.com', password: null });
      const id = () => crypto.randomUUID().replaceAll('-', '');
      const next = () => ({ jti: id(), expiresAt: new Date(Date.now() + 120_000) });
      const sessions = Array.from({ length: 50 }, (_, i) => ({
        id: `s${i}`,
        userId: user.id,
        tokenType: 'refresh' as const,
        currentJti: id(),
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 60_000),
        userAgent: null,
        ip: null,
        credentialsEpoch: 0,
      }));
      for (const s of sessions) await storage.sessions.create(s);
      const successors = sessions.map(() => next());
      const twin = next();
      const at = new Date();
      const results = await Promise.all([
        ...sessions.map((s, i) => storage.sessions.rotate(s.id, s.currentJti, successors[i]!, at)),
        storage.sessions.rotate('s0', sessions[0]!.currentJti, twin, at),
      ]);
      expect(results.slice(1, 50).every(Boolean)).toBe(true);
      expect([results[0], results[50]].filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? successors[0]! : twin;
      expect(await storage.sessions.find('s0')).toMatchObject({
        currentJti: winner.jti,
        previousJti: sessions[0]!.currentJti,
        rotatedAt: at,
        expiresAt: winner.expiresAt,
        revokedAt: null,
      });
      for (let i = 1; i < 50; i++)
        expect(await storage.sessions.find(`s${i}`)).toMatchObject({
          currentJti: successors[i]!.jti,
          previousJti: sessions[i]!.currentJti,
        });
      // A spent jti and an ended session rotate no more, batched or not.
      await storage.sessions.revoke('s1', new Date(), []);
      expect(
        await Promise.all([
          storage.sessions.rotate('s2', sessions[2]!.currentJti, next(), at),
          storage.sessions.rotate('s1', successors[1]!.jti, next(), at),
        ]),
      ).toEqual([false, false]);
      expect(await query(database.url, 'SELECT count(*)::int AS n FROM sessions')).toEqual([{ n: 50 }]);
    } finally {
      await storage.close();
    }
  });

  it('reads sent together share one statement: each caller gets its own row, or null, repeated ids included', async () => {
    await query(database.url, 'TRUNCATE users, sessions RESTART IDENTITY CASCADE');
    const storage = postgresStorage(database.url, { poolSize: 2 });
    try {
      const users = [];
      for (let i = 0; i < 5; i++)
        users.push(await storage.users.create({ email: `read${i}@example.com`, password: null }));
      for (const [i, user] of users.entries())
        await storage.sessions.create({
          id: `r${i}`,
          userId: user.id,
          tokenType: 'refresh',
          currentJti: `j${i}`,
          createdAt: new Date(),
          expiresAt: new Date(Date.now() + 60_000),
          userAgent: null,
          ip: null,
          credentialsEpoch: 0,
        });
      const ids = ['r3', 'nope', 'r0', 'r3', 'r4', 'r1', 'r2'];
      const userIds = [users[4]!.id, 999_999, users[0]!.id, users[4]!.id, users[2]!.id];
      const [sessions, found] = await Promise.all([
        Promise.all(ids.map((id) => storage.sessions.find(id))),
        Promise.all(userIds.map((id) => storage.users.findById(id))),
      ]);
      expect(sessions.map((s) => s?.currentJti ?? null)).toEqual(['j3', null, 'j0', 'j3', 'j4', 'j1', 'j2']);
      expect(sessions[2]).toMatchObject({ id: 'r0', userId: users[0]!.id, revokedAt: null });
      expect(found.map((u) => u?.email ?? null)).toEqual([
        'read4@example.com',
        null,
        'read0@example.com',
        'read4@example.com',
        'read2@example.com',
      ]);
      // A read sent after a write has settled sees it.
      await storage.sessions.revoke('r1', new Date(), []);
      expect((await storage.sessions.find('r1'))?.revokedAt).toBeInstanceOf(Date);
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
