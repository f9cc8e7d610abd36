import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_LOCK_KEY } from '../../src/storage/postgres/events.js';
import { postgresStorage } from '../../src/storage/postgres/index.js';
import type { AuthEvent, Storage } from '../../src/storage/ports.js';
import {
  createTestDatabase,
  noteSkippedPostgres,
  POSTGRES_URL,
  terminateConnections,
  type TestDatabase,
} from '../postgres-helpers.js';

noteSkippedPostgres('PostgreSQL event ordering and LISTEN/NOTIFY');

const event = (subject: string): AuthEvent => ({
  kind: 'session_revoked',
  subject,
  expiresAt: new Date(Date.now() + 60_000),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

describe.skipIf(!POSTGRES_URL)('postgres events', () => {
  let database: TestDatabase;
  let storage: Storage;
  beforeAll(async () => {
    database = await createTestDatabase('events');
    storage = postgresStorage(database.url);
    await storage.migrate();
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  /** A transaction appending an event the way the store does, left open until `commit`. */
  async function openAppend(subject: string, withLock: boolean) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('BEGIN');
    if (withLock) await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [EVENTS_LOCK_KEY.toString()]);
    const { rows } = await client.query(
      "INSERT INTO auth_events (kind, subject, expires_at, created_at) VALUES ('session_revoked', $1, $2, $3) RETURNING id",
      [subject, Date.now() + 60_000, Date.now()],
    );
    return {
      id: Number(rows[0].id),
      commit: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  }

  it('the hazard is real: without ordering, a lower id commits after a higher one is read', async () => {
    const cursor = await storage.events.latest();
    const slow = await openAppend('slow-unordered', false);
    const fast = await openAppend('fast-unordered', false);
    await fast.commit();
    const seen = await storage.events.since(cursor, 100);
    expect(seen.map((e) => e.id)).toEqual([fast.id]);
    expect(slow.id).toBeLessThan(fast.id);
    await slow.commit();
    // A reader whose cursor moved to fast.id would never see slow.id: the bug appends must prevent.
    expect((await storage.events.since(fast.id, 100)).map((e) => e.id)).not.toContain(slow.id);
  });

  it('appends are ordered: an id is never readable while a lower one is uncommitted', async () => {
    const cursor = await storage.events.latest();
    const slow = await openAppend('slow', true);
    // The store's own append waits for the lock: it cannot draw its id before `slow` commits.
    let fastId: number | undefined;
    const fast = storage.events.append(event('fast')).then((id) => (fastId = id));
    await sleep(150);
    expect(fastId).toBeUndefined();
    expect(await storage.events.since(cursor, 100)).toEqual([]);
    await slow.commit();
    await fast;
    const seen = await storage.events.since(cursor, 100);
    expect(seen.map((e) => e.event.subject)).toEqual(['slow', 'fast']);
    expect(seen[0]!.id).toBeLessThan(seen[1]!.id);
  });

  it('many concurrent appends from several instances are read in commit order with no gap a cursor could skip', async () => {
    const others = [postgresStorage(database.url, { poolSize: 4 }), postgresStorage(database.url, { poolSize: 4 })];
    const reader = postgresStorage(database.url, { poolSize: 1 });
    try {
      const start = await storage.events.latest();
      let cursor = start;
      const read: number[] = [];
      let done = false;
      const follow = (async () => {
        while (!done) {
          for (const e of await reader.events.since(cursor, 500)) {
            read.push(e.id);
            cursor = e.id;
          }
          await sleep(1);
        }
      })();
      const ids = await Promise.all(
        Array.from({ length: 90 }, (_, i) => [storage, ...others][i % 3]!.events.append(event(`e${i}`))),
      );
      await sleep(50);
      done = true;
      await follow;
      for (const e of await reader.events.since(cursor, 500)) read.push(e.id);
      // The follower, reading while appends committed, saw every one of them exactly once.
      expect(read.sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
    } finally {
      await Promise.all([...others, reader].map((s) => s.close()));
    }
  });

  it('LISTEN/NOTIFY wakes every listener soon after an append', async () => {
    const other = postgresStorage(database.url, { poolSize: 2 });
    let wakes = 0;
    const listener = other.events.listen!(
      () => wakes++,
      () => {},
    );
    try {
      await until(() => wakes >= 1); // the wake after connecting (catch-up)
      const before = wakes;
      const t0 = performance.now();
      await storage.events.append(event('pushed'));
      await until(() => wakes > before);
      expect(performance.now() - t0).toBeLessThan(500);
    } finally {
      await listener.close();
      await other.close();
    }
  });

  it('LISTEN reconnects after its connection is killed, and wakes to catch up', async () => {
    const other = postgresStorage(database.url, { poolSize: 2 });
    let wakes = 0;
    const errors: unknown[] = [];
    const listener = other.events.listen!(
      () => wakes++,
      (error) => errors.push(error),
    );
    try {
      await until(() => wakes >= 1);
      await terminateConnections(database.name);
      await until(() => errors.length >= 1);
      // Reconnected: the catch-up wake, then pushes work again.
      await until(() => wakes >= 2);
      const before = wakes;
      await storage.events.append(event('after-reconnect'));
      await until(() => wakes > before);
    } finally {
      await listener.close();
      await other.close();
    }
  });
});
