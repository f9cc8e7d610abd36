import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { redisCounterStore } from '../../src/storage/redis/throttle-counters.js';

const REDIS = process.env.DOORMAN_TEST_REDIS_URL;
if (!REDIS)
  console.log(
    'test/throttle/redis.test.ts: DOORMAN_TEST_REDIS_URL is unset; the Redis-backed throttle tests are skipped',
  );

const RUN = `doorman-test-${randomBytes(6).toString('hex')}`;
afterAll(async () => {
  if (!REDIS) return;
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${RUN}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const WRONG = 'not the password at all';
const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function login(app: TestApp['app'], from: string, email: string, password: string) {
  return app.inject({ method: 'POST', url: '/account/login/', remoteAddress: from, payload: { email, password } });
}

describe.skipIf(!REDIS)('Redis-backed throttling (DOORMAN_TEST_REDIS_URL)', () => {
  it('two instances share the counters: failures at one count at the other', async () => {
    const prefix = `${RUN}-${randomBytes(3).toString('hex')}`;
    const config = { throttle: true, redisUrl: REDIS!, redisKeyPrefix: prefix };
    const a = await testApp({ config });
    apps.push(a);
    const b = await testApp({ config, storage: 'memory' });
    apps.push(b);
    await Promise.all([a.doorman.throttle.ready(), b.doorman.throttle.ready()]);
    // Same user in both instances' (separate) storage: the counters are what is shared.
    await join(a.app, 'kim@example.com');
    await join(b.app, 'kim@example.com');
    for (let i = 0; i < 5; i++)
      expect((await login(i % 2 ? a.app : b.app, '10.0.0.66', 'kim@example.com', WRONG)).statusCode).toBe(400);
    const refusedA = await login(a.app, '10.0.0.66', 'kim@example.com', WRONG);
    const refusedB = await login(b.app, '10.0.0.66', 'kim@example.com', WRONG);
    expect([refusedA.statusCode, refusedB.statusCode]).toEqual([429, 429]);
    expect(refusedB.headers['retry-after']).toMatch(/^\d+$/);
    // The owner at another address, at either instance.
    expect((await login(b.app, '10.0.0.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('counts atomically: 40 concurrent hits at two instances allow exactly the limit', async () => {
    const prefix = `${RUN}-${randomBytes(3).toString('hex')}`;
    const stores = [0, 1].map(() => redisCounterStore({ url: REDIS!, keyPrefix: prefix, log: { warn: () => {} } }));
    try {
      await Promise.all(stores.map((s) => s.ready()));
      const counters = stores.map((s) => s.counter('c', { points: 7, duration: 60 }));
      const hits = await Promise.all(Array.from({ length: 40 }, (_, i) => counters[i % 2]!.hit('k')));
      expect(hits.filter((h) => h.allowed)).toHaveLength(7);
      expect(await counters[0]!.count('k')).toBe(40);
    } finally {
      for (const s of stores) await s.close();
    }
  });
});

describe.skipIf(!REDIS)('lockout audit events with Redis-backed throttles (DOORMAN_TEST_REDIS_URL)', () => {
  it('exactly one hit reaches a limit, across instances, however many arrive at once', async () => {
    const prefix = `${RUN}-${randomBytes(3).toString('hex')}`;
    const stores = [0, 1].map(() => redisCounterStore({ url: REDIS!, keyPrefix: prefix, log: { warn: () => {} } }));
    try {
      await Promise.all(stores.map((s) => s.ready()));
      const counters = stores.map((s) => s.counter('c', { points: 7, duration: 60 }));
      const hits = await Promise.all(Array.from({ length: 60 }, (_, i) => counters[i % 2]!.hit('k')));
      expect(hits.filter((h) => h.reached)).toHaveLength(1);
      expect(hits.filter((h) => !h.allowed)).toHaveLength(53);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('two instances hammered in turn record one lockout between them, with the address and the limit', async () => {
    const prefix = `${RUN}-${randomBytes(3).toString('hex')}`;
    const config = { throttle: true, redisUrl: REDIS!, redisKeyPrefix: prefix };
    const a = await testApp({ config });
    apps.push(a);
    const b = await testApp({ config, storage: 'memory' });
    apps.push(b);
    await Promise.all([a.doorman.throttle.ready(), b.doorman.throttle.ready()]);
    await join(a.app, 'kim@example.com');
    await join(b.app, 'kim@example.com');
    const statuses = [];
    for (let i = 0; i < 24; i++)
      statuses.push((await login(i % 2 ? a.app : b.app, '10.0.0.66', 'kim@example.com', WRONG)).statusCode);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    const lockouts = [];
    for (const instance of [a, b]) {
      await instance.doorman.audit.flush();
      lockouts.push(...(await instance.doorman.audit.list({ kind: 'lockout', limit: 100, offset: 0 })).results);
    }
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({
      email: 'kim@example.com',
      ip: '10.0.0.66',
      detail: 'login-pair 5/900s POST /account/login/',
    });
  });
});

describe('Redis unreachable', () => {
  it("falls back to counting in this instance's memory and warns once per interval", async () => {
    // A port nothing listens on.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const warnings: string[] = [];
    const store = redisCounterStore({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: 'x',
      log: { warn: (_o, m) => warnings.push(m) },
    });
    try {
      const counter = store.counter('c', { points: 3, duration: 60 });
      const hits = [];
      for (let i = 0; i < 5; i++) hits.push(await counter.hit('k'));
      expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false, false]);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // several reconnect attempts fail meanwhile
      expect(warnings.length).toBe(1);
      expect(warnings[0]).toMatch(/Redis unreachable; counting in this instance's memory/);
    } finally {
      await store.close();
    }
  });
});
