import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importDjango, type ImportSummary } from '../../src/import/django/run.js';
import { openDjangoSource, type DjangoSource } from '../../src/storage/django/source.js';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/ports.js';
import { cliSandbox } from '../cli/cli-helpers.js';
import { testApp } from '../helpers.js';
import { createDjangoSqlite, hashes, SEED } from './django-db.js';

const FIRST_RUN = {
  users: { created: 4, updated: 0, skipped: 1 },
  groups: { created: 2, updated: 0, skipped: 0 },
  groupPermissions: { created: 3, updated: 0, skipped: 0 },
  userPermissions: { created: 2, updated: 0, skipped: 0 },
  // user 4 has no valid e-mail, so its membership has no doorman user
  memberships: { created: 2, updated: 0, skipped: 1 },
};

const counts = (s: ImportSummary) => ({
  users: s.users,
  groups: s.groups,
  groupPermissions: s.groupPermissions,
  userPermissions: s.userPermissions,
  memberships: s.memberships,
});

describe('import-django from a Django-shaped SQLite database', () => {
  let dir: string;
  let djangoPath: string;
  let storage: Storage;
  let source: DjangoSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'doorman-import-'));
    djangoPath = join(dir, 'django.sqlite3');
    createDjangoSqlite(djangoPath).close();
    storage = sqliteStorage(join(dir, 'doorman.sqlite3'));
    await storage.migrate();
    source = await openDjangoSource(djangoPath);
  });
  afterEach(async () => {
    await source.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports users with their fields, hash as-is and Django ids, groups, permissions and memberships', async () => {
    const summary = await importDjango(source, storage, { batchSize: 2 });
    expect(counts(summary)).toEqual(FIRST_RUN);
    expect(summary.notes).toContain('user 4: e-mail "not an e-mail" is not valid: not imported');

    const kim = (await storage.users.findByEmail('kim@example.com'))!;
    expect(kim).toEqual({
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
    expect(await storage.users.findByEmail('admin@example.com')).toMatchObject({
      id: 2,
      isStaff: true,
      isSuperuser: true,
      password: hashes.bcrypt!.encoded,
    });
    expect(await storage.users.findByEmail('gone@example.com')).toMatchObject({
      id: 3,
      isActive: false,
      gender: 'male',
      password: hashes.unusable!.encoded,
    });
    expect(await storage.users.findByEmail('lee@example.com')).toMatchObject({ id: 42, firstName: 'Jisoo' });
    expect(await storage.users.count()).toBe(4);

    expect(await storage.permissions.listGroups()).toEqual([
      { id: expect.any(Number), name: 'editors', permissions: ['board.add_post', 'board.change_post'] },
      { id: expect.any(Number), name: 'moderators', permissions: ['board.delete_post'] },
    ]);
    expect(await storage.permissions.permissionsOf(1)).toEqual([
      'board.add_post',
      'board.change_post',
      'board.delete_post',
    ]);
    expect(await storage.permissions.userPermissions(1)).toEqual(['board.delete_post']);
    expect((await storage.permissions.groupsOf(2)).map((g) => g.name)).toEqual(['moderators']);
    expect(await storage.permissions.userPermissions(42)).toEqual(['auth.view_group']);
    expect(await storage.djangoLinks.userFor(42)).toBe(42);
    expect(await storage.djangoLinks.userFor(4)).toBeNull();
  });

  it('is idempotent: a second run creates nothing, duplicates nothing, and fails on nothing', async () => {
    await importDjango(source, storage);
    const again = await importDjango(source, storage);
    expect(counts(again)).toEqual({
      users: { created: 0, updated: 0, skipped: 5 },
      groups: { created: 0, updated: 0, skipped: 2 },
      groupPermissions: { created: 0, updated: 0, skipped: 3 },
      userPermissions: { created: 0, updated: 0, skipped: 2 },
      memberships: { created: 0, updated: 0, skipped: 3 },
    });
    expect(await storage.users.count()).toBe(4);
    expect((await storage.permissions.listGroups()).length).toBe(2);
  });

  it('updates rows changed in Django since the last run, and adds new grants', async () => {
    await importDjango(source, storage);
    const django = createDjangoSqliteHandle(djangoPath);
    django.prepare(`UPDATE accounts_customuser SET first_name = 'Min-ji', is_active = 0 WHERE id = 1`).run();
    django.prepare(`INSERT INTO accounts_customuser_groups (customuser_id, group_id) VALUES (42, 2)`).run();
    django.close();
    const again = await importDjango(source, storage);
    expect(again.users).toEqual({ created: 0, updated: 1, skipped: 4 });
    expect(again.memberships).toEqual({ created: 1, updated: 0, skipped: 3 });
    expect(await storage.users.findById(1)).toMatchObject({ firstName: 'Min-ji', isActive: false });
    expect((await storage.permissions.groupsOf(42)).map((g) => g.name)).toEqual(['moderators']);
  });

  it('never puts an old Django hash back over a password doorman has since upgraded or changed', async () => {
    await importDjango(source, storage);
    await storage.users.update(1, { password: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA' });
    const again = await importDjango(source, storage);
    expect(again.users.updated).toBe(0);
    expect((await storage.users.findById(1))!.password).toBe('$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA');
  });

  it('--dry-run reports what a real run would do and writes nothing', async () => {
    const dry = await importDjango(source, storage, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(counts(dry)).toEqual(FIRST_RUN);
    expect(await storage.users.count()).toBe(0);
    expect(await storage.permissions.listGroups()).toEqual([]);
    expect(await storage.djangoLinks.userFor(1)).toBeNull();
    expect(await storage.events.latest()).toBe(0);
  });

  it('keeps a taken id for its owner: the Django user gets a new id, and the link says which', async () => {
    const squatter = await storage.users.create({ email: 'someone-else@example.com', password: null });
    expect(squatter.id).toBe(1);
    await importDjango(source, storage);
    const kim = (await storage.users.findByEmail('kim@example.com'))!;
    expect(kim.id).not.toBe(1);
    expect(await storage.djangoLinks.userFor(1)).toBe(kim.id);
    expect(await storage.permissions.userPermissions(kim.id)).toEqual(['board.delete_post']);
    expect(await storage.permissions.userPermissions(1)).toEqual([]);
  });

  it('skips a second Django user whose e-mail differs only in case (Django allowed it; doorman does not), twice alike', async () => {
    const django = createDjangoSqliteHandle(djangoPath);
    django
      .prepare(
        `INSERT INTO accounts_customuser (id, password, is_superuser, first_name, last_name, is_staff, is_active, date_joined, email) VALUES (50, '', 0, 'Impostor', '', 1, 1, '2021-01-01 00:00:00', 'KIM@example.com')`,
      )
      .run();
    django.close();
    for (const run of [1, 2]) {
      const summary = await importDjango(source, storage);
      expect(summary.users.skipped, `run ${run}`).toBe(run === 1 ? 2 : 6);
      expect(summary.notes).toContain(
        "user 50: e-mail KIM@example.com is Django user 1's in doorman (e-mails are unique regardless of case): not imported",
      );
    }
    expect(await storage.users.findById(1)).toMatchObject({ firstName: 'Minji', isStaff: false });
    expect(await storage.djangoLinks.userFor(50)).toBeNull();
  });

  it('says which table or column is missing', async () => {
    await expect(importDjango(source, storage, { table: 'auth_user' })).rejects.toThrow(
      'table "auth_user" does not exist in the Django database (is this the right database, and has it been migrated?)',
    );
    const django = createDjangoSqliteHandle(djangoPath);
    django.exec('ALTER TABLE auth_group RENAME COLUMN name TO title');
    django.close();
    const reopened = await openDjangoSource(djangoPath);
    try {
      await expect(importDjango(reopened, storage)).rejects.toThrow('table "auth_group" has no column "name"');
    } finally {
      await reopened.close();
    }
    await expect(importDjango(source, storage, { table: 'x; DROP TABLE users' })).rejects.toThrow(
      '"x; DROP TABLE users" is not a table name',
    );
  });

  it('refuses a file that does not exist, without creating it', async () => {
    await expect(openDjangoSource(join(dir, 'missing.sqlite3'))).rejects.toThrow(/cannot open the SQLite database/);
  });
});

/** Django's database opened for writing, as Django itself would change it between two imports. */
const createDjangoSqliteHandle = (path: string) => new BetterSqlite3(path);

describe('doorman import-django (the command)', () => {
  it('prints a summary; a second run reports everything skipped; errors are one line with exit 1', async () => {
    const sandbox = cliSandbox();
    const dir = mkdtempSync(join(tmpdir(), 'doorman-import-cli-'));
    try {
      const djangoPath = join(dir, 'django.sqlite3');
      createDjangoSqlite(djangoPath).close();
      const dry = await sandbox.run(['import-django', '--from', djangoPath, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(
        'Dry run: nothing was written. The import would do:\n  users              4 created, 0 updated, 1 skipped\n',
      );
      const first = await sandbox.run(['import-django', '--from', djangoPath]);
      expect(first.stderr).toBe('');
      expect(first.stdout).toBe(
        'Imported from Django:\n' +
          '  users              4 created, 0 updated, 1 skipped\n' +
          '  groups             2 created, 0 updated, 0 skipped\n' +
          '  group permissions  3 created, 0 updated, 0 skipped\n' +
          '  user permissions   2 created, 0 updated, 0 skipped\n' +
          '  memberships        2 created, 0 updated, 1 skipped\n' +
          '  note: user 4: e-mail "not an e-mail" is not valid: not imported\n',
      );
      const second = await sandbox.run(['import-django', '--from', djangoPath]);
      expect(second.stdout).toContain('  users              0 created, 0 updated, 5 skipped\n');
      const wrong = await sandbox.run(['import-django', '--from', djangoPath, '--table', 'auth_user']);
      expect(wrong).toMatchObject({ code: 1, stdout: '' });
      expect(wrong.stderr).toBe(
        'doorman: error: table "auth_user" does not exist in the Django database (is this the right database, and has it been migrated?)\n',
      );
    } finally {
      await sandbox.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('re-importing a user deactivated in Django', () => {
  it('tells running servers: the user is refused at once there, and the sessions end', async () => {
    const sandbox = cliSandbox();
    const dir = mkdtempSync(join(tmpdir(), 'doorman-import-live-'));
    try {
      const djangoPath = join(dir, 'django.sqlite3');
      createDjangoSqlite(djangoPath).close();
      expect((await sandbox.run(['import-django', '--from', djangoPath])).code).toBe(0);
      const { doorman } = await sandbox.open();
      await doorman.start();
      const user = (await doorman.storage.users.findById(1))!;
      const pair = await doorman.tokens.issuePair(user);
      await doorman.authenticate(pair.access);

      const django = createDjangoSqliteHandle(djangoPath);
      django.prepare('UPDATE accounts_customuser SET is_active = 0 WHERE id = 1').run();
      django.close();
      const second = await sandbox.run(['import-django', '--from', djangoPath]);
      expect(second.stdout).toContain('  users              0 created, 1 updated, 4 skipped\n');
      await doorman.syncRevocations();
      await expect(doorman.authenticate(pair.access)).rejects.toMatchObject({ code: 'token_not_valid' });
      await expect(doorman.tokens.refresh(pair.refresh)).rejects.toMatchObject({ code: 'token_not_valid' });
    } finally {
      await sandbox.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an imported user logs in over HTTP', () => {
  it('with the Django password; the pbkdf2 hash is upgraded to argon2id; memberships give permissions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doorman-import-http-'));
    const t = await testApp();
    try {
      const djangoPath = join(dir, 'django.sqlite3');
      createDjangoSqlite(djangoPath, SEED).close();
      const source = await openDjangoSource(djangoPath);
      await importDjango(source, t.storage);
      await source.close();
      const login = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'kim@example.com', password: hashes.pbkdf2_sha256!.password },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json().user).toEqual({
        pk: 1,
        email: 'kim@example.com',
        first_name: 'Minji',
        last_name: 'Kim',
        gender: 'female',
        date_of_birth: '1999-02-03',
      });
      expect((await t.storage.users.findById(1))!.password).toMatch(/^\$argon2id\$/);
      const inactive = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'gone@example.com', password: '' },
      });
      expect(inactive.statusCode).toBe(400);
      expect(await t.doorman.permissions.of(1)).toEqual(
        new Set(['board.add_post', 'board.change_post', 'board.delete_post']),
      );
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
