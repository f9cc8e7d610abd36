import type { Command } from 'commander';
import type { Doorman } from '../../core.js';
import type { User } from '../../users/types.js';
import { normalizeEmail } from '../../users/fields.js';
import { withDoorman } from '../context.js';
import { CliError, type CliIO } from '../io.js';
import { askPasswordTwice, hardPasswordProblem, passwordProblems } from '../passwords.js';
import { Prompter } from '../prompt.js';

/** Django's changepassword gives up after this many unusable answers. */
const MAX_TRIES = 3;

/** The user with this e-mail, or a one-line error naming it. */
export async function findUser(doorman: Doorman, email: string): Promise<User> {
  const user = await doorman.storage.users.findByEmail(normalizeEmail(email));
  if (!user) throw new CliError(`user ${JSON.stringify(email)} does not exist`);
  return user;
}

/** Django's loop: twice with no echo, then the validators; no bypass here. */
async function askNewPassword(io: CliIO, doorman: Doorman, user: User): Promise<string> {
  const prompter = new Prompter(io);
  try {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const password = await askPasswordTwice(prompter, io, 'Passwords do not match. Please try again.');
      if (password === null) continue;
      const hard = hardPasswordProblem(password);
      const problems = hard ? [hard] : passwordProblems(password, user, doorman.config);
      if (problems.length === 0) return password;
      io.stderr.write(`${problems.join('\n')}\n`);
    }
  } finally {
    prompter.close();
  }
  throw new CliError(`Aborting password change for user ${JSON.stringify(user.email)} after ${MAX_TRIES} attempts`);
}

/**
 * `manage.py changepassword <email>`, and then every session of the user ends: refresh tokens
 * are blacklisted and access tokens refused by running servers within one revocation poll.
 */
export async function changePassword(io: CliIO, email: string): Promise<void> {
  await withDoorman(io, async (doorman) => {
    const user = await findUser(doorman, email);
    io.stdout.write(`Changing password for user ${JSON.stringify(user.email)}\n`);
    const password = await askNewPassword(io, doorman, user);
    const changed = await doorman.accounts.setPassword(user.id, password);
    // The same rule as the HTTP change: every session the old password opened ends, logins in flight too.
    const ended = await doorman.sessions.credentialsChanged(changed);
    io.stdout.write(
      `Password changed successfully for user ${JSON.stringify(user.email)}; ended ${ended} session${ended === 1 ? '' : 's'}.\n`,
    );
  });
}

export function registerChangePassword(program: Command, io: CliIO): void {
  program
    .command('changepassword')
    .description("set a user's password (prompted, no echo) and end all of the user's sessions")
    .argument('<email>', "the user's e-mail")
    .action((email: string) => changePassword(io, email));
}
