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

  it('migrates idempotently: a second run applies nothing', async () => {
    const storage = postgresStorage(database.url);
    expect(await storage.migrate()).toEqual([]);
    expect(await storage.unready()).toBeNull();
    await storage.close();
  });
});
