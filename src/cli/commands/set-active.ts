import type { Command } from 'commander';
import { withDoorman } from '../context.js';
import type { CliIO } from '../io.js';
import { findUser } from './changepassword.js';

/**
 * Activates or deactivates a user. Every process drops its cached state of the user (so a
 * deactivated user's access tokens are refused within one poll) and, on deactivation, every
 * session ends, so reactivating does not revive old refresh tokens.
 */
export async function setActive(io: CliIO, email: string, isActive: boolean): Promise<void> {
  await withDoorman(io, async (doorman) => {
    const user = await findUser(doorman, email);
    const { endedSessions: ended } = await doorman.accounts.setActive(user, isActive);
    const state = isActive ? 'activated' : `deactivated; ended ${ended} session${ended === 1 ? '' : 's'}`;
    io.stdout.write(`User ${JSON.stringify(user.email)} ${state}.\n`);
  });
}

/**
 * Grants or takes away staff status. Every process drops its cached state of the user at the
 * next poll (and, for a change made in SQL instead, within DOORMAN_USER_CACHE_TTL).
 */
export async function setStaff(io: CliIO, email: string, isStaff: boolean): Promise<void> {
  await withDoorman(io, async (doorman) => {
    const user = await findUser(doorman, email);
    await doorman.permissions.setStaff(user.id, isStaff);
    io.stdout.write(`User ${JSON.stringify(user.email)} ${isStaff ? 'is now staff' : 'is no longer staff'}.\n`);
  });
}

export function registerSetActive(program: Command, io: CliIO): void {
  program
    .command('deactivate')
    .description('deactivate a user (cannot log in; tokens refused) and end all sessions')
    .argument('<email>', "the user's e-mail")
    .action((email: string) => setActive(io, email, false));
  program
    .command('activate')
    .description('activate a user again')
    .argument('<email>', "the user's e-mail")
    .action((email: string) => setActive(io, email, true));
  program
    .command('staff')
    .description('make a user staff, or with --remove take staff status away')
    .argument('<email>', "the user's e-mail")
    .option('--remove', 'take staff status away')
    .action((email: string, options: { remove?: boolean }) => setStaff(io, email, !options.remove));
}
