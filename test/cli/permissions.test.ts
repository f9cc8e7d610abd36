import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assignGroup,
  createGroup,
  grantPermission,
  listPermissions,
  registerPermissionCommands,
} from '../../src/cli/commands/permissions.js';
import { CliError, type CliIO } from '../../src/cli/io.js';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

let box: CliSandbox;
let out: string[];
let io: CliIO;
beforeEach(async () => {
  box = cliSandbox();
  out = [];
  io = {
    stdin: new PassThrough(),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: () => true },
    env: { ...box.env },
  };
  await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
    env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
  });
});
afterEach(() => box.cleanup());

describe('permission commands', () => {
  it('group create, grant to group and user, assign, list', async () => {
    await createGroup(io, 'editors');
    await grantPermission(io, 'board.change_post', { group: 'editors' });
    await grantPermission(io, 'board.delete_post', { user: 'kim@example.com' });
    await assignGroup(io, 'kim@example.com', 'editors');
    await listPermissions(io);
    await listPermissions(io, { user: 'kim@example.com' });
    expect(out.join('')).toBe(
      [
        "Group 'editors' created.",
        "Granted 'board.change_post' to group 'editors'.",
        "Granted 'board.delete_post' to user 'kim@example.com'.",
        "Added 'kim@example.com' to group 'editors'.",
        'editors: board.change_post',
        'kim@example.com (superuser: has every permission)',
        'groups: editors',
        'own permissions: board.delete_post',
        'all permissions: board.change_post, board.delete_post',
        '',
      ].join('\n'),
    );
    const { doorman } = await box.open();
    const user = (await doorman.storage.users.findByEmail('kim@example.com'))!;
    expect([...(await doorman.permissions.of(user.id))]).toEqual(['board.change_post', 'board.delete_post']);
  });

  it('says what is wrong in one line', async () => {
    await expect(createGroup(io, '')).rejects.toThrow(CliError);
    await createGroup(io, 'editors');
    await expect(createGroup(io, 'editors')).rejects.toThrow('group with this name already exists.');
    await expect(grantPermission(io, 'not a permission', { group: 'editors' })).rejects.toThrow(
      /<app_label>\.<codename>/,
    );
    await expect(grantPermission(io, 'board.add_post', { group: 'nobody' })).rejects.toThrow(
      "group 'nobody' does not exist",
    );
    await expect(grantPermission(io, 'board.add_post', {})).rejects.toThrow(/exactly one/);
    await expect(assignGroup(io, 'ghost@example.com', 'editors')).rejects.toThrow(
      "user 'ghost@example.com' does not exist",
    );
  });

  it('registers on a commander program', async () => {
    const program = new Command('doorman').exitOverride();
    registerPermissionCommands(program, io);
    await program.parseAsync(['group', 'create', 'mods'], { from: 'user' });
    await program.parseAsync(['grant', 'board.add_post', '--group', 'mods'], { from: 'user' });
    await program.parseAsync(['grant', 'board.add_post', '--group', 'mods', '--revoke'], { from: 'user' });
    await program.parseAsync(['permissions', 'list'], { from: 'user' });
    expect(out.at(-1)).toBe('mods: (no permissions)\n');
  });
});
