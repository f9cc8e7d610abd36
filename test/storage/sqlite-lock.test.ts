import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError, type NewSession } from '../../src/storage/ports.js';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';
import { join as joinAccount, testApp } from '../helpers.js';

/** The longest the event loop went without running a 5 ms timer while `work` ran. */
async function worstLoopStall<T>(
  work: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const [result] = await Promise.allSettled([work()]);
  clearInterval(timer);
  // A stall right before the end would not have reached the timer callback yet.
  worst = Math.max(worst, performance.now() - last);
  return { result: result!, stallMs: worst };
}

const session = (): NewSession => ({
  id: crypto.randomUUID().replaceAll('-', ''),
  userId: 1,
  tokenType: 'refresh',
  currentJti: crypto.randomUUID().replaceAll('-', ''),
  createdAt: new Date(),
  expiresAt: new Date(Date.now() + 60_000),
  userAgent: null,
  ip: null,
  credentialsEpoch: 0,
});

describe('a SQLite write lock held by another process (issue 13)', () => {
  let dir: string;
  let path: string;
  let holder: BetterSqlite3.Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'doorman-lock-'));
    path = join(dir, 'db.sqlite3');
    const setup = sqliteStorage(path);
    await setup.migrate();
    await setup.users.create({ email: 'a@example.com', password: null });
    await setup.close();
    // The CLI (or another instance) in the middle of a write transaction.
    holder = new BetterSqlite3(path);
    holder.pragma('journal_mode = WAL');
  });
  afterEach(() => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes wait for it without stalling the event loop, and go through once it is released', async () => {
    const storage = sqliteStorage(path, { busyTimeout: 5000 });
    holder.exec('BEGIN IMMEDIATE');
    setTimeout(() => holder.exec('COMMIT'), 600);
    const t0 = performance.now();
    const { result, stallMs } = await worstLoopStall(() =>
      Promise.all([
        storage.sessions.create(session()),
        storage.users.update(1, { firstName: 'Kim' }),
        storage.events.append({ kind: 'user_changed', subject: '1', expiresAt: new Date(Date.now() + 1000) }),
      ]),
    );
    expect(result.status).toBe('fulfilled');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(590);
    // Before: the driver's synchronous busy wait froze the loop for the whole wait (600 ms
    // here). The bound leaves room for a busy test machine's scheduling.
    expect(stallMs).toBeLessThan(250);
    expect((await storage.users.findById(1))?.firstName).toBe('Kim');
    await storage.close();
  });

  it('gives up after databaseBusyTimeout with StorageUnavailableError, still without stalling', async () => {
    const storage = sqliteStorage(path, { busyTimeout: 300 });
    holder.exec('BEGIN IMMEDIATE');
    const writes: Array<() => Promise<unknown>> = [
      () => storage.sessions.create(session()),
      () => storage.users.update(1, { firstName: 'Kim' }),
    ];
    for (const write of writes) {
      const t0 = performance.now();
      const { result, stallMs } = await worstLoopStall(write);
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailableError);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
      expect(stallMs).toBeLessThan(250);
    }
    holder.exec('ROLLBACK');
    // Nothing was half-written, and the next write goes straight through.
    await storage.sessions.create(session());
    expect((await storage.users.findById(1))?.firstName).toBe('');
    await storage.close();
  });

  it('over HTTP: 503 service_unavailable with a clear body, then normal service once the lock is gone', async () => {
    const t = await testApp({
      storage: sqliteStorage(path, { busyTimeout: 200 }),
      config: { databaseBusyTimeout: 200 },
    });
    try {
      holder.exec('BEGIN IMMEDIATE');
      const response = await t.app.inject({
        method: 'POST',
        url: '/account/join/',
        payload: { email: 'kim@example.com', password1: 'correct horse battery', password2: 'correct horse battery' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toEqual({
        detail: 'The database is locked by another process; try again shortly.',
        code: 'service_unavailable',
      });
      // Reads are not blocked by a writer in WAL mode.
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      holder.exec('ROLLBACK');
      await joinAccount(t.app, 'kim@example.com');
    } finally {
      await t.close();
    }
  });
});
