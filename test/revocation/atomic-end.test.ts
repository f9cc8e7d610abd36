import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRevocation } from '../../src/revocation/revocation.js';
import { RevocationView } from '../../src/revocation/view.js';
import { postgresStorage } from '../../src/storage/postgres/index.js';
import type { AuthEvent, Storage } from '../../src/storage/ports.js';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';
import { testConfig } from '../helpers.js';
import {
  createTestDatabase,
  noteSkippedPostgres,
  POSTGRES_URL,
  query,
  type TestDatabase,
} from '../postgres-helpers.js';

/**
 * Issue 13: ending a session writes its revocation and its event in ONE transaction. They used
 * to be two writes: a process dying (or a write failing) between them left the row revoked and
 * no event, so every other instance kept accepting the session's access tokens until they
 * expired. Here the event write is made to fail inside the database (a trigger refusing the
 * INSERT into auth_events): the row must then be left as it was, never revoked without its
 * event, and once the fault is gone both are written.
 */
interface Backend {
  storage: Storage;
  /** Makes the database refuse inserts of events of this kind (a trigger), until `allow()`. */
  refuse(kind: AuthEvent['kind']): Promise<void>;
  allow(): Promise<void>;
  dispose(): Promise<void>;
}

function sqliteBackend(genericSessionStore: boolean): () => Promise<Backend> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-atomic-'));
    const file = join(dir, 'db.sqlite3');
    const storage = sqliteStorage(file, { genericSessionStore });
    await storage.migrate();
    // DDL through a second connection, as another process would.
    const ddl = (sql: string) => {
      const db = new BetterSqlite3(file);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    };
    return {
      storage,
      refuse: async (kind) =>
        ddl(
          `CREATE TRIGGER refuse_event BEFORE INSERT ON auth_events WHEN NEW.kind = '${kind}' BEGIN SELECT RAISE(ABORT, 'event write refused'); END`,
        ),
      allow: async () => ddl('DROP TRIGGER IF EXISTS refuse_event'),
      dispose: async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

function postgresBackend(database: () => TestDatabase): () => Promise<Backend> {
  return async () => {
    const { url } = database();
    await query(url, 'DROP TRIGGER IF EXISTS refuse_event ON auth_events');
    await query(url, 'TRUNCATE users, sessions, auth_events RESTART IDENTITY CASCADE');
    const storage = postgresStorage(url, { poolSize: 3 });
    return {
      storage,
      refuse: async (kind) =>
        query(
          url,
          `CREATE TRIGGER refuse_event BEFORE INSERT ON auth_events FOR EACH ROW EXECUTE FUNCTION doorman_test_refuse('${kind}')`,
        ).then(() => {}),
      allow: async () => query(url, 'DROP TRIGGER IF EXISTS refuse_event ON auth_events').then(() => {}),
      dispose: () => storage.close(),
    };
  };
}

function atomicEnd(name: string, open: () => Promise<Backend>) {
  describe(`ending sessions is one transaction: ${name}`, () => {
    let backend: Backend;
    let storage: Storage;
    const view = new RevocationView(100, 5000);
    const revocation = () => createRevocation(testConfig(), storage, view, () => Date.now());
    let userId: number;
    let n = 0;

    beforeEach(async () => {
      backend = await open();
      storage = backend.storage;
      userId = (await storage.users.create({ email: `atomic${n++}@example.com`, password: null })).id;
    });
    afterEach(() => backend.dispose());

    const newSession = async () => {
      const id = crypto.randomUUID().replaceAll('-', '');
      await storage.sessions.create({
        id,
        userId,
        tokenType: 'refresh',
        currentJti: crypto.randomUUID(),
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
        userAgent: null,
        ip: null,
        credentialsEpoch: 0,
      });
      return id;
    };
    const eventsAbout = async (subject: string) =>
      (await storage.events.since(0, 100)).map((e) => e.event).filter((e) => e.subject === subject);

    it('a session whose event cannot be written is not left revoked; written once the fault is gone', async () => {
      const id = await newSession();
      await backend.refuse('session_revoked');
      const ending = revocation().revokeSession(id);
      // View first: this process refuses the session before the write is awaited.
      expect(view.isSessionRevoked(id, Date.now())).toBe(true);
      await expect(ending).rejects.toThrow(/event write refused/);
      expect((await storage.sessions.find(id))?.revokedAt).toBeNull();
      expect(await eventsAbout(id)).toEqual([]);

      await backend.allow();
      await revocation().revokeSession(id);
      expect((await storage.sessions.find(id))?.revokedAt).toBeInstanceOf(Date);
      expect((await eventsAbout(id)).map((e) => e.kind)).toEqual(['session_revoked']);
    });

    it('a reuse whose security event cannot be written leaves neither the revocation nor its session_revoked event', async () => {
      const id = await newSession();
      await backend.refuse('refresh_reuse');
      await expect(revocation().sessionReused(id)).rejects.toThrow(/event write refused/);
      expect((await storage.sessions.find(id))?.revokedAt).toBeNull();
      expect(await eventsAbout(id)).toEqual([]);

      await backend.allow();
      await revocation().sessionReused(id);
      expect((await storage.sessions.find(id))?.revokedAt).toBeInstanceOf(Date);
      expect((await eventsAbout(id)).map((e) => e.kind).sort()).toEqual(['refresh_reuse', 'session_revoked']);
    });

    it("ending all of a user's sessions: none ended when their events cannot be written, all of them with an event after", async () => {
      const ids = [await newSession(), await newSession(), await newSession()];
      await backend.refuse('session_revoked');
      await expect(revocation().revokeUserSessions(userId)).rejects.toThrow(/event write refused/);
      expect(await storage.sessions.live(userId, new Date())).toHaveLength(3);
      expect((await storage.events.since(0, 100)).length).toBe(0);

      await backend.allow();
      expect(await revocation().revokeUserSessions(userId)).toBe(3);
      expect(await storage.sessions.live(userId, new Date())).toEqual([]);
      for (const id of ids) {
        expect((await eventsAbout(id)).map((e) => e.kind)).toEqual(['session_revoked']);
        expect(view.isSessionRevoked(id, Date.now())).toBe(true);
      }
    });
  });
}

atomicEnd('sqlite', sqliteBackend(false));
atomicEnd('sqlite, generic Kysely session store', sqliteBackend(true));

noteSkippedPostgres('atomic session revocation on PostgreSQL');
describe.skipIf(!POSTGRES_URL)('postgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('atomic');
    const storage = postgresStorage(database.url);
    await storage.migrate();
    await storage.close();
    await query(
      database.url,
      `CREATE FUNCTION doorman_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.kind = TG_ARGV[0] THEN RAISE EXCEPTION 'event write refused'; END IF; RETURN NEW; END $$`,
    );
  });
  afterAll(async () => {
    await database?.drop();
  });

  atomicEnd(
    'postgres',
    postgresBackend(() => database),
  );

  it('the NOTIFY goes out with the revocation, and none for one that was rolled back', async () => {
    const { storage, refuse, allow, dispose } = await postgresBackend(() => database)();
    const listener = postgresStorage(database.url, { poolSize: 1 });
    let wakes = 0;
    const listening = listener.events.listen!(
      () => wakes++,
      () => {},
    );
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(condition()).toBe(true);
    };
    try {
      const user = await storage.users.create({ email: 'notify@example.com', password: null });
      const revocation = createRevocation(testConfig(), storage, new RevocationView(10, 5000), () => Date.now());
      await storage.sessions.create({
        id: 'notified',
        userId: user.id,
        tokenType: 'refresh',
        currentJti: 'j1',
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 60_000),
        userAgent: null,
        ip: null,
        credentialsEpoch: 0,
      });
      await until(() => wakes >= 1); // the catch-up wake once LISTEN is up
      const before = wakes;
      await refuse('session_revoked');
      await expect(revocation.revokeSession('notified')).rejects.toThrow(/event write refused/);
      await new Promise((r) => setTimeout(r, 200));
      expect(wakes).toBe(before);
      await allow();
      await revocation.revokeSession('notified');
      await until(() => wakes > before);
    } finally {
      await listening.close();
      await listener.close();
      await dispose();
    }
  });
});
