import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

let box: CliSandbox;
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => box.cleanup());

describe('createsuperuser --no-input', () => {
  it('creates an active staff superuser who can log in with DOORMAN_SUPERUSER_PASSWORD', async () => {
    const result = await box.run(['createsuperuser', '--no-input', '--email', 'Admin@Example.COM'], {
      env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
    });
    expect(result).toEqual({ code: 0, stdout: 'Superuser created successfully.\n', stderr: '' });
    const { doorman } = await box.open();
    const user = await doorman.accounts.authenticate('admin@example.com', PASSWORD);
    expect(user).toMatchObject({ email: 'Admin@example.com', isActive: true, isStaff: true, isSuperuser: true });
    expect(user!.password).toMatch(/^\$argon2id\$/);
  });

  it('takes the e-mail from DOORMAN_SUPERUSER_EMAIL', async () => {
    const result = await box.run(['createsuperuser', '--no-input'], {
      env: { DOORMAN_SUPERUSER_EMAIL: 'root@example.com', DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
    });
    expect(result.code).toBe(0);
    const { storage } = await box.open();
    expect(await storage.users.findByEmail('root@example.com')).toMatchObject({ isSuperuser: true });
  });

  it("without a password creates a user with none (Django's unusable password), who cannot log in", async () => {
    const result = await box.run(['createsuperuser', '--no-input', '--email', 'admin@example.com']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('doorman changepassword admin@example.com');
    const { doorman, storage } = await box.open();
    expect((await storage.users.findByEmail('admin@example.com'))!.password).toBeNull();
    expect(await doorman.accounts.authenticate('admin@example.com', '')).toBeNull();
  });

  it('offers no --password flag (it would leak into shell history)', async () => {
    const result = await box.run([
      'createsuperuser',
      '--no-input',
      '--email',
      'admin@example.com',
      '--password',
      PASSWORD,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown option '--password'");
  });

  it('exits 1 with one line for a duplicate e-mail, case-insensitively', async () => {
    const env = { DOORMAN_SUPERUSER_PASSWORD: PASSWORD };
    expect((await box.run(['createsuperuser', '--no-input', '--email', 'admin@example.com'], { env })).code).toBe(0);
    const again = await box.run(['createsuperuser', '--no-input', '--email', 'ADMIN@example.com'], { env });
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: 'doorman: error: That email is already taken: "ADMIN@example.com"\n',
    });
  });

  it('exits 1 for an invalid e-mail', async () => {
    const result = await box.run(['createsuperuser', '--no-input', '--email', 'not-an-email'], {
      env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'doorman: error: Enter a valid email address: "not-an-email"\n',
    });
  });

  it('exits 1 when no e-mail is given', async () => {
    const result = await box.run(['createsuperuser', '--no-input'], { env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('doorman: error: You must use --email (or DOORMAN_SUPERUSER_EMAIL) with --no-input.\n');
  });

  it('applies the password validators (nobody is there to bypass them) and creates nobody', async () => {
    const result = await box.run(['createsuperuser', '--no-input', '--email', 'admin@example.com'], {
      env: { DOORMAN_SUPERUSER_PASSWORD: '1234' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'doorman: error: DOORMAN_SUPERUSER_PASSWORD: This password is too short. It must contain at least 8 characters. This password is too common. This password is entirely numeric.\n',
    );
    const { storage } = await box.open();
    expect(await storage.users.count()).toBe(0);
  });
});

describe('createsuperuser, interactive', () => {
  it('prompts for e-mail and the password twice, re-prompting when they differ', async () => {
    const input = ['kim@example.com', PASSWORD, 'something else', PASSWORD, PASSWORD, ''].join('\n');
    const result = await box.run(['createsuperuser'], { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Email: Password: \nPassword (again): \nPassword: \nPassword (again): \nSuperuser created successfully.\n',
    );
    expect(result.stderr).toBe("Error: Your passwords didn't match.\n");
    const { doorman } = await box.open();
    expect(await doorman.accounts.authenticate('kim@example.com', PASSWORD)).toMatchObject({
      isStaff: true,
      isSuperuser: true,
    });
  });

  it('asks whether to bypass failed validators; "y" creates the user anyway', async () => {
    const result = await box.run(['createsuperuser', '--email', 'kim@example.com'], { input: '1234\n1234\ny\n' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'This password is too short. It must contain at least 8 characters.\nThis password is too common.\n',
    );
    expect(result.stdout).toContain('Bypass password validation and create user anyway? [y/N]: ');
    const { doorman } = await box.open();
    expect(await doorman.accounts.authenticate('kim@example.com', '1234')).not.toBeNull();
  });

  it('asks for another password when the bypass is declined', async () => {
    const result = await box.run(['createsuperuser', '--email', 'kim@example.com'], {
      input: `1234\n1234\n\n${PASSWORD}\n${PASSWORD}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.match(/Password \(again\)/g)).toHaveLength(2);
    const { doorman } = await box.open();
    expect(await doorman.accounts.authenticate('kim@example.com', '1234')).toBeNull();
    expect(await doorman.accounts.authenticate('kim@example.com', PASSWORD)).not.toBeNull();
  });

  it('refuses blank passwords without offering a bypass', async () => {
    const result = await box.run(['createsuperuser', '--email', 'kim@example.com'], {
      input: `\n\n${PASSWORD}\n${PASSWORD}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("Error: Blank passwords aren't allowed.\n");
  });

  it('re-prompts for an invalid or taken e-mail', async () => {
    const env = { DOORMAN_SUPERUSER_PASSWORD: PASSWORD };
    await box.run(['createsuperuser', '--no-input', '--email', 'taken@example.com'], { env });
    const result = await box.run(['createsuperuser'], {
      input: `\nnope\nTAKEN@example.com\nnew@example.com\n${PASSWORD}\n${PASSWORD}\n`,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'Error: This field cannot be blank.\nError: Enter a valid email address.\nError: That email is already taken.\n',
    );
    expect(result.stdout.match(/Email: /g)).toHaveLength(4);
  });

  it('is cancelled, creating nobody, when the input ends', async () => {
    const result = await box.run(['createsuperuser'], { input: `kim@example.com\n${PASSWORD}\n` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('doorman: error: Operation cancelled.\n');
    const { storage } = await box.open();
    expect(await storage.users.count()).toBe(0);
  });
});
