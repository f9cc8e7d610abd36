import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

const NEW_PASSWORD = 'battery staple horse';

let box: CliSandbox;
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => box.cleanup());

/** A user with two sessions, as logins through a running server would leave them. */
async function userWithSessions() {
  await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
    env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
  });
  const server = await box.open();
  await server.doorman.start();
  const user = (await server.doorman.accounts.authenticate('kim@example.com', PASSWORD))!;
  const pairs = [await server.doorman.tokens.issuePair(user), await server.doorman.tokens.issuePair(user)];
  return { server, user, pairs };
}

describe('changepassword', () => {
  it('sets the new password and ends every session of the user, in other processes too', async () => {
    const { server, user, pairs } = await userWithSessions();
    await expect(server.doorman.authenticate(pairs[0]!.access)).resolves.toMatchObject({ userId: user.id });

    const result = await box.run(['changepassword', 'KIM@example.com'], {
      input: `${NEW_PASSWORD}\n${NEW_PASSWORD}\n`,
    });
    expect(result).toEqual({
      code: 0,
      stdout:
        'Changing password for user "kim@example.com"\nPassword: \nPassword (again): \nPassword changed successfully for user "kim@example.com"; ended 2 sessions.\n',
      stderr: '',
    });

    const { doorman } = await box.open();
    const changed = (await doorman.storage.users.findById(user.id))!;
    expect(changed.password).not.toBe(user.password);
    expect(await doorman.accounts.authenticate('kim@example.com', PASSWORD)).toBeNull();
    expect(await doorman.accounts.authenticate('kim@example.com', NEW_PASSWORD)).not.toBeNull();

    // Refresh tokens issued before are refused at once (the blacklist is in the database) ...
    for (const pair of pairs)
      await expect(server.doorman.tokens.refresh(pair.refresh)).rejects.toThrow('Token is blacklisted');
    // ... and access tokens as soon as the running server applies the CLI's events (its poll).
    await server.doorman.syncRevocations();
    await expect(server.doorman.authenticate(pairs[0]!.access)).rejects.toThrow();
  });

  it('refuses a login that verified the old password before the change and issues after it', async () => {
    const { server, user } = await userWithSessions();
    await box.run(['changepassword', 'kim@example.com'], { input: `${NEW_PASSWORD}\n${NEW_PASSWORD}\n` });
    await expect(server.doorman.tokens.issuePair(user)).rejects.toMatchObject({ code: 'no_active_account' });
    expect(await server.storage.sessions.live(user.id, new Date())).toEqual([]);
  });

  it('re-prompts when the passwords differ or fail the validators, and gives up after 3 tries', async () => {
    await userWithSessions();
    const input = `${NEW_PASSWORD}\nother\n1234\n1234\n\n\n`;
    const result = await box.run(['changepassword', 'kim@example.com'], { input });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'Passwords do not match. Please try again.',
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
        "Blank passwords aren't allowed.",
        'doorman: error: Aborting password change for user "kim@example.com" after 3 attempts',
        '',
      ].join('\n'),
    );
    const { doorman } = await box.open();
    expect(await doorman.accounts.authenticate('kim@example.com', PASSWORD)).not.toBeNull();
  });

  it('exits 1 for an unknown user', async () => {
    const result = await box.run(['changepassword', 'nobody@example.com']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'doorman: error: user "nobody@example.com" does not exist\n',
    });
  });

  it('needs the e-mail argument', async () => {
    const result = await box.run(['changepassword']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing required argument 'email'");
  });
});

describe('deactivate / activate', () => {
  it('deactivation refuses logins and ends sessions; activation allows logins again', async () => {
    const { server, pairs } = await userWithSessions();
    const off = await box.run(['deactivate', 'kim@example.com']);
    expect(off).toEqual({ code: 0, stdout: 'User "kim@example.com" deactivated; ended 2 sessions.\n', stderr: '' });
    expect(await server.doorman.accounts.authenticate('kim@example.com', PASSWORD)).toBeNull();
    await expect(server.doorman.tokens.refresh(pairs[1]!.refresh)).rejects.toThrow();
    await server.doorman.syncRevocations();
    await expect(server.doorman.authenticate(pairs[0]!.access)).rejects.toThrow();

    const on = await box.run(['activate', 'kim@example.com']);
    expect(on).toEqual({ code: 0, stdout: 'User "kim@example.com" activated.\n', stderr: '' });
    expect(await server.doorman.accounts.authenticate('kim@example.com', PASSWORD)).not.toBeNull();
    // Old sessions stay ended.
    await expect(server.doorman.tokens.refresh(pairs[0]!.refresh)).rejects.toThrow();
  });
});

describe('staff', () => {
  it('grants staff and takes it away with --remove; a running server sees it at its next poll', async () => {
    const { server, pairs } = await userWithSessions();
    const staffOf = async () => (await server.doorman.authenticate(pairs[0]!.access)).user.isStaff;
    expect(await staffOf()).toBe(true); // createsuperuser made them staff; now cached
    expect(await box.run(['staff', 'kim@example.com', '--remove'])).toEqual({
      code: 0,
      stdout: 'User "kim@example.com" is no longer staff.\n',
      stderr: '',
    });
    await server.doorman.syncRevocations();
    expect(await staffOf()).toBe(false);
    expect(await box.run(['staff', 'kim@example.com'])).toEqual({
      code: 0,
      stdout: 'User "kim@example.com" is now staff.\n',
      stderr: '',
    });
    await server.doorman.syncRevocations();
    expect(await staffOf()).toBe(true);
  });

  it('exits 1 for an unknown user', async () => {
    const result = await box.run(['staff', 'nobody@example.com', '--remove']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('doorman: error: user "nobody@example.com" does not exist\n');
  });
});
