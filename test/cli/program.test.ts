import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

let box: CliSandbox;
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => box.cleanup());

describe('migrate', () => {
  it('creates and migrates the database, and is idempotent', async () => {
    const first = await box.run(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Applying 0001-initial... OK');
    const second = await box.run(['migrate']);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('Applying');
    expect(second.stdout).toContain('No migrations to apply.');
    const { storage } = await box.open();
    expect(await storage.users.count()).toBe(0);
  });
});

describe('configuration and usage errors', () => {
  it('exits 78 naming an unknown DOORMAN_* variable', async () => {
    const result = await box.run(['migrate'], { env: { DOORMAN_SIGNNG_KEY: 'x' } });
    expect(result).toEqual({
      code: 78,
      stdout: '',
      stderr: 'doorman: configuration error: DOORMAN_SIGNNG_KEY: unknown setting (see docs/settings.md for the list)\n',
    });
  });

  it('exits 78 naming a bad value', async () => {
    const result = await box.run(['flushexpiredtokens'], { env: { DOORMAN_ARGON2_TIME_COST: 'lots' } });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^doorman: configuration error: DOORMAN_ARGON2_TIME_COST: .+\n$/);
  });

  it('exits 78 for an unsupported database URL', async () => {
    const result = await box.run(['migrate'], { env: { DOORMAN_DATABASE_URL: 'mysql://localhost/db' } });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('doorman: configuration error: DOORMAN_DATABASE_URL: unsupported database URL');
  });

  it("does not take the CLI's own DOORMAN_SUPERUSER_* variables for settings", async () => {
    const env = { DOORMAN_SUPERUSER_EMAIL: 'a@example.com', DOORMAN_SUPERUSER_PASSWORD: PASSWORD };
    expect((await box.run(['migrate'], { env })).code).toBe(0);
  });

  it('a SQLite path whose folder is missing is a configuration error, not a failure (issue 17)', async () => {
    await box.run(['migrate']);
    // The database file exists, so a path "inside" it has no folder.
    const result = await box.run(['migrate'], {
      env: { DOORMAN_DATABASE_URL: `sqlite:${box.file}/not/a/dir/db.sqlite3` },
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toBe(
      `doorman: configuration error: DOORMAN_DATABASE_URL: the folder ${box.file}/not/a/dir of the SQLite file does not exist; create it first (doorman does not create folders)\n`,
    );
  });

  it('prints one line, no stack, for an unexpected failure (and the stack with --traceback)', async () => {
    // A database doorman did not make: its "users" table is in the way of the first migration.
    const foreign = new BetterSqlite3(box.file);
    foreign.exec('CREATE TABLE users (id integer)');
    foreign.close();
    const env = {};
    const plain = await box.run(['migrate'], { env });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^doorman: error: [^\n]+ \(run with --traceback for details\)\n$/);
    const traced = await box.run(['--traceback', 'migrate'], { env });
    expect(traced.code).toBe(1);
    expect(traced.stderr).toContain('    at ');
  });

  it('lists the commands with --help (no configuration needed) and exits 1 for an unknown command', async () => {
    const help = await box.run(['--help'], { env: { DOORMAN_NOPE: '1' } });
    expect(help.code).toBe(0);
    for (const name of [
      'serve',
      'migrate',
      'createsuperuser',
      'changepassword',
      'flushexpiredtokens',
      'deactivate',
      'activate',
      'group',
      'grant',
      'assign',
      'permissions',
      'keys',
    ]) {
      expect(help.stdout).toContain(name);
    }
    const unknown = await box.run(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('permission commands, through the program', () => {
  it("creates a group, grants it a permission, assigns a user, and lists the user's permissions", async () => {
    expect(
      (
        await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
          env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
        })
      ).code,
    ).toBe(0);
    expect((await box.run(['group', 'create', 'editors'])).code).toBe(0);
    expect((await box.run(['grant', 'board.change_post', '--group', 'editors'])).code).toBe(0);
    expect((await box.run(['assign', 'kim@example.com', 'editors'])).code).toBe(0);
    const listed = await box.run(['permissions', 'list', '--user', 'kim@example.com']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('board.change_post');
    const unknownGroup = await box.run(['assign', 'kim@example.com', 'nobody']);
    expect(unknownGroup.code).toBe(1);
    expect(unknownGroup.stderr).not.toContain('    at ');
  });
});

describe('group list and group delete, through the program', () => {
  it('lists groups with their permissions, deletes one, and the member loses what it gave', async () => {
    expect((await box.run(['group', 'list'])).stdout).toBe('No groups.\n');
    expect(
      (
        await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
          env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
        })
      ).code,
    ).toBe(0);
    await box.run(['group', 'create', 'editors']);
    await box.run(['group', 'create', 'readers']);
    await box.run(['grant', 'board.change_post', '--group', 'editors']);
    await box.run(['grant', 'board.add_post', '--group', 'editors']);
    await box.run(['assign', 'kim@example.com', 'editors']);
    expect(await box.run(['group', 'list'])).toEqual({
      code: 0,
      stdout: 'editors: board.add_post, board.change_post\nreaders: (no permissions)\n',
      stderr: '',
    });
    expect(await box.run(['group', 'delete', 'editors'])).toEqual({
      code: 0,
      stdout: "Group 'editors' deleted.\n",
      stderr: '',
    });
    expect((await box.run(['group', 'list'])).stdout).toBe('readers: (no permissions)\n');
    const kim = await box.run(['permissions', 'list', '--user', 'kim@example.com']);
    expect(kim.stdout).toContain('groups: (none)');
    expect(kim.stdout).toContain('all permissions: (none)');
  });

  it('refuses to delete a group that does not exist, in one line', async () => {
    expect(await box.run(['group', 'delete', 'nobody'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "doorman: error: group 'nobody' does not exist\n",
    });
  });
});

describe('--version', () => {
  it("prints package.json's version and needs no configuration", async () => {
    const { readFileSync } = await import('node:fs');
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await box.run(['--version'], { env: { DOORMAN_NOPE: '1' } })).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
    expect((await box.run(['-V'])).stdout).toBe(`${version}\n`);
  });
});

describe('keys command, through the program', () => {
  it('generates a keystore file and lists its key', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'doorman-keys-')), 'keystore.json');
    const generated = await box.run(['keys', 'generate', '--algorithm', 'ES256'], {
      env: { DOORMAN_KEYSTORE_FILE: file },
    });
    expect(generated.code, generated.stderr).toBe(0);
    const listed = await box.run(['keys', 'list'], { env: { DOORMAN_KEYSTORE_FILE: file } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('ES256');
  });
});
