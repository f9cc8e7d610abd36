import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDjango } from '../../src/import/django/run.js';
import { openDjangoSource, type DjangoSource } from '../../src/storage/django/source.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { createDjangoPostgres, hashes } from './django-db.js';

const URL_ = process.env.DOORMAN_TEST_POSTGRES_URL;
if (!URL_) console.warn('import-django from PostgreSQL: skipped, DOORMAN_TEST_POSTGRES_URL is not set');

/** A database of its own on the test server, created and dropped here (never `postgres` itself). */
describe.skipIf(!URL_)('import-django from a Django-shaped PostgreSQL database', () => {
  const name = `doorman_django_${randomBytes(6).toString('hex')}`;
  let url: string;
  let source: DjangoSource;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const target = new URL(URL_!);
    target.pathname = `/${name}`;
    url = target.toString();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await createDjangoPostgres(client);
    await client.end();
    source = await openDjangoSource(url);
  });

  afterAll(async () => {
    await source?.close();
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('imports the same users, groups and grants as from SQLite, with dates, days and booleans intact; twice is once', async () => {
    const storage = memoryStorage();
    const summary = await importDjango(source, storage, { batchSize: 2 });
    expect(source.kind).toBe('postgres');
    expect(summary.users).toEqual({ created: 4, updated: 0, skipped: 1 });
    expect(summary.memberships).toEqual({ created: 2, updated: 0, skipped: 1 });
    expect(await storage.users.findByEmail('kim@example.com')).toEqual({
      id: 1,
      email: 'kim@example.com',
      password: hashes.pbkdf2_sha256!.encoded,
      firstName: 'Minji',
      lastName: 'Kim',
      gender: 'female',
      dateOfBirth: '1999-02-03',
      isActive: true,
      isStaff: false,
      isSuperuser: false,
      dateJoined: new Date('2020-05-06T07:08:09.123Z'),
      lastLogin: new Date('2024-01-02T03:04:05.678Z'),
      credentialsEpoch: 0,
      emailVerified: true,
    });
    expect(await storage.users.findByEmail('gone@example.com')).toMatchObject({ isActive: false });
    expect(await storage.users.findByEmail('admin@example.com')).toMatchObject({ isStaff: true, isSuperuser: true });
    expect(await storage.permissions.permissionsOf(1)).toEqual([
      'board.add_post',
      'board.change_post',
      'board.delete_post',
    ]);
    const again = await importDjango(source, storage);
    expect(again.users).toEqual({ created: 0, updated: 0, skipped: 5 });
    expect(again.groupPermissions).toEqual({ created: 0, updated: 0, skipped: 3 });
    expect(await storage.users.count()).toBe(4);
  });

  it('says which table is missing there too', async () => {
    await expect(importDjango(source, memoryStorage(), { table: 'auth_user' })).rejects.toThrow(
      'table "auth_user" does not exist',
    );
  });
});
