import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStorage } from '../../src/storage/postgres/index.js';
import { bearer, join, testApp, type TestApp } from '../helpers.js';
import {
  createTestDatabase,
  noteSkippedPostgres,
  POSTGRES_URL,
  query,
  terminateConnections,
  type TestDatabase,
} from '../postgres-helpers.js';

noteSkippedPostgres('PostgreSQL outage and recovery over HTTP');

/**
 * PostgreSQL "goes away" for this database only (the machine's server is shared, so it is
 * never stopped): the database refuses new connections and every open one is terminated, as a
 * restart or failover looks to doorman. Then it comes back.
 */
describe.skipIf(!POSTGRES_URL)('PostgreSQL away and back (issue 13)', () => {
  let database: TestDatabase;
  let t: TestApp;
  const away = async () => {
    await query(POSTGRES_URL!, `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await terminateConnections(database.name);
  };
  const back = () => query(POSTGRES_URL!, `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);

  beforeAll(async () => {
    database = await createTestDatabase('outage');
    t = await testApp({
      storage: postgresStorage(database.url, { connectTimeout: 1000, poolSize: 4 }),
      config: { databaseBusyTimeout: 1000 },
    });
  });
  afterAll(async () => {
    if (database) await back();
    await t?.close();
    await database?.drop();
  });

  it('answers 503 with a clear body while it is away, loses nothing acknowledged, and recovers without a restart', async () => {
    const { refresh: first } = await join(t.app);
    const rotated = await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: first } });
    expect(rotated.statusCode).toBe(200);
    const { access, refresh } = rotated.json() as { access: string; refresh: string };
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });

    await away();
    const during = await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } });
    expect(during.statusCode).toBe(503);
    expect(during.headers['retry-after']).toBe('1');
    expect(during.json()).toEqual({
      detail: 'The database (PostgreSQL) cannot be reached.',
      code: 'service_unavailable',
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'kim@example.com', password: 'correct horse battery' },
    });
    expect(login.statusCode).toBe(503);
    expect(login.json()).toMatchObject({ code: 'service_unavailable' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', detail: 'The database (PostgreSQL) cannot be reached.' });
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    // The profile is read from the database: 503 as well, never a 500.
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
    expect([mypage.statusCode, mypage.json().code]).toEqual([503, 'service_unavailable']);

    await back();
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(200);
    // The refresh that failed with 503 did not spend the token; the one acknowledged before stays spent.
    const after = await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } });
    expect(after.statusCode).toBe(200);
    const reused = await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: first } });
    expect(reused.statusCode).toBe(401);
  });
});
