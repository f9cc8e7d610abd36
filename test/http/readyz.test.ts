import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createDoorman } from '../../src/core.js';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';
import { testApp, testConfig } from '../helpers.js';

describe('GET /healthz and GET /readyz (issue 13)', () => {
  it('both answer 200 when the database answers and is migrated', async () => {
    const t = await testApp({ storage: 'sqlite' });
    try {
      expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      const ready = await t.app.inject({ url: '/readyz' });
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready' }]);
    } finally {
      await t.close();
    }
  });

  it('/readyz answers 503 with the reason while migrations are not current; /healthz stays 200', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-readyz-'));
    const storage = sqliteStorage(join(dir, 'db.sqlite3'));
    const app = await buildApp({ doorman: createDoorman({ config: testConfig(), storage }), logger: false });
    try {
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', detail: 'migrations have not run (npx doorman migrate)' });
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      await storage.migrate();
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('/readyz answers 503 when the database does not answer in time', async () => {
    const t = await testApp();
    t.storage.unready = () => new Promise(() => {});
    try {
      const ready = await t.doorman.unready(50);
      expect(ready).toBe('the database did not answer within 50 ms');
    } finally {
      await t.close();
    }
  });
});
