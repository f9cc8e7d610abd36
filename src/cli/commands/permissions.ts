import type { Command } from 'commander';
import { AuthError } from '../../errors/auth-error.js';
import type { Doorman } from '../../core.js';
import { withDoorman } from '../context.js';
import { CliError, type CliIO } from '../io.js';

/** Domain refusals (bad name, taken group) as one CLI line. */
async function run<T>(io: CliIO, action: (doorman: Doorman) => Promise<T>): Promise<T> {
  return withDoorman(io, async (doorman) => {
    try {
      return await action(doorman);
    } catch (error) {
      if (error instanceof AuthError && error.fields) throw new CliError(Object.values(error.fields).flat().join(' '));
      throw error;
    }
  });
}

async function userByEmail(doorman: Doorman, email: string) {
  const user = await doorman.storage.users.findByEmail(email);
  if (!user) throw new CliError(`user '${email}' does not exist`);
  return user;
}

async function groupByName(doorman: Doorman, name: string) {
  const group = await doorman.permissions.findGroup(name);
  if (!group) throw new CliError(`group '${name}' does not exist`);
  return group;
}

/**
 * `doorman group create <name>`.
 *
 * @example
 * await createGroup(io, 'editors');
 */
export async function createGroup(io: CliIO, name: string): Promise<void> {
  const group = await run(io, (d) => d.permissions.createGroup(name));
  io.stdout.write(`Group '${group.name}' created.\n`);
}

/**
 * `doorman group list`: every group and its permissions, one group a line.
 *
 * @example
 * await listGroups(io); // editors: board.add_post, board.change_post
 */
export async function listGroups(io: CliIO): Promise<void> {
  const groups = await run(io, (d) => d.permissions.listGroups());
  io.stdout.write(
    groups.length === 0
      ? 'No groups.\n'
      : groups.map((g) => `${g.name}: ${g.permissions.join(', ') || '(no permissions)'}\n`).join(''),
  );
}

/**
 * `doorman group delete <name>`: removes the group; its members lose the permissions it gave
 * them (running servers learn it within one revocation poll).
 *
 * @example
 * await deleteGroup(io, 'editors');
 */
export async function deleteGroup(io: CliIO, name: string): Promise<void> {
  await run(io, async (d) => d.permissions.deleteGroup((await groupByName(d, name)).id));
  io.stdout.write(`Group '${name}' deleted.\n`);
}

/**
 * `doorman grant <permission> --group <name> | --user <email>` (`--revoke` takes it back).
 *
 * @example
 * await grantPermission(io, 'board.change_post', { group: 'editors' });
 */
export async function grantPermission(
  io: CliIO,
  permission: string,
  target: { group?: string; user?: string; revoke?: boolean },
): Promise<void> {
  if ((target.group === undefined) === (target.user === undefined))
    throw new CliError('give exactly one of --group <name> and --user <email>');
  const verb = target.revoke ? 'Revoked' : 'Granted';
  await run(io, async (d) => {
    if (target.group !== undefined) {
      const group = await groupByName(d, target.group);
      await (target.revoke
        ? d.permissions.revokeFromGroup(group.id, permission)
        : d.permissions.grantToGroup(group.id, permission));
    } else {
      const user = await userByEmail(d, target.user!);
      await (target.revoke
        ? d.permissions.revokeFromUser(user.id, permission)
        : d.permissions.grantToUser(user.id, permission));
    }
  });
  io.stdout.write(
    `${verb} '${permission}' ${target.revoke ? 'from' : 'to'} ${target.group !== undefined ? `group '${target.group}'` : `user '${target.user}'`}.\n`,
  );
}

/**
 * `doorman assign <email> <group>` (`--remove` takes the user out).
 *
 * @example
 * await assignGroup(io, 'kim@example.com', 'editors');
 */
export async function assignGroup(
  io: CliIO,
  email: string,
  groupName: string,
  options: { remove?: boolean } = {},
): Promise<void> {
  await run(io, async (d) => {
    const user = await userByEmail(d, email);
    const group = await groupByName(d, groupName);
    await (options.remove
      ? d.permissions.removeFromGroup(user.id, group.id)
      : d.permissions.addToGroup(user.id, group.id));
  });
  io.stdout.write(
    options.remove ? `Removed '${email}' from group '${groupName}'.\n` : `Added '${email}' to group '${groupName}'.\n`,
  );
}

/**
 * `doorman permissions list [--user <email>]`: every group and its permissions, or one user's.
 *
 * @example
 * await listPermissions(io, { user: 'kim@example.com' });
 */
export async function listPermissions(io: CliIO, options: { user?: string } = {}): Promise<void> {
  const lines = await run(io, async (d) => {
    if (options.user === undefined) {
      const groups = await d.permissions.listGroups();
      if (groups.length === 0) return ['No groups.'];
      return groups.map((g) => `${g.name}: ${g.permissions.join(', ') || '(no permissions)'}`);
    }
    const user = await userByEmail(d, options.user);
    const described = await d.permissions.describeUser(user.id);
    const flags = user.isSuperuser
      ? ' (superuser: has every permission)'
      : user.isActive
        ? ''
        : ' (inactive: has no permission)';
    return [
      `${user.email}${flags}`,
      `groups: ${described.groups.map((g) => g.name).join(', ') || '(none)'}`,
      `own permissions: ${described.user_permissions.join(', ') || '(none)'}`,
      `all permissions: ${described.all_permissions.join(', ') || '(none)'}`,
    ];
  });
  io.stdout.write(lines.join('\n') + '\n');
}

/**
 * Registers `group create|list|delete`, `grant`, `assign` and `permissions list` (Django's auth admin, at
 * the command line). Changes reach running servers within one revocation poll.
 *
 * @example
 * registerPermissionCommands(program, io);
 */
export function registerPermissionCommands(program: Command, io: CliIO): void {
  const group = program.command('group').description('manage groups');
  group
    .command('create <name>')
    .description('create a group')
    .action((name: string) => createGroup(io, name));
  group
    .command('list')
    .description('list groups and their permissions')
    .action(() => listGroups(io));
  group
    .command('delete <name>')
    .description('delete a group (its members lose the permissions it gave them)')
    .action((name: string) => deleteGroup(io, name));
  program
    .command('grant <permission>')
    .description('grant a model permission (<app_label>.<codename>, e.g. board.change_post) to a group or a user')
    .option('--group <name>', 'the group to grant it to')
    .option('--user <email>', 'the user to grant it to')
    .option('--revoke', 'take the permission back instead')
    .action((permission: string, options: { group?: string; user?: string; revoke?: boolean }) =>
      grantPermission(io, permission, options),
    );
  program
    .command('assign <email> <group>')
    .description('add a user to a group')
    .option('--remove', 'remove the user from the group instead')
    .action((email: string, name: string, options: { remove?: boolean }) => assignGroup(io, email, name, options));
  program
    .command('permissions')
    .description('show permissions')
    .command('list')
    .description('list groups and their permissions, or one user’s (--user)')
    .option('--user <email>', 'show this user’s groups and permissions')
    .action((options: { user?: string }) => listPermissions(io, options));
}
