import type { Config } from '../config/schema.js';
import { validatePassword } from '../passwords/policy.js';
import { PASSWORD_MAX_LENGTH } from '../users/fields.js';
import type { Prompter } from './prompt.js';
import type { CliIO } from './io.js';

export interface PasswordOwner {
  email: string;
  firstName?: string;
  lastName?: string;
}

/** Django's messages for the password validators join uses, configured the same way. */
export function passwordProblems(password: string, owner: PasswordOwner, config: Config): string[] {
  return validatePassword(
    password,
    { email: owner.email, first_name: owner.firstName ?? '', last_name: owner.lastName ?? '' },
    {
      validators: config.passwordValidators,
      minLength: config.passwordMinLength,
      maxSimilarity: config.passwordMaxSimilarity,
    },
  );
}

/** Problems no prompt may bypass: blank, or longer than any login would accept. */
export function hardPasswordProblem(password: string): string | null {
  if (password.trim() === '') return "Blank passwords aren't allowed.";
  if (password.length > PASSWORD_MAX_LENGTH)
    return `Passwords longer than ${PASSWORD_MAX_LENGTH} characters aren't allowed.`;
  return null;
}

/** Asks for a password twice with no echo; null when the two differ (after saying so on stderr). */
export async function askPasswordTwice(prompter: Prompter, io: CliIO, mismatch: string): Promise<string | null> {
  const first = await prompter.secret('Password: ');
  const second = await prompter.secret('Password (again): ');
  if (first === second) return first;
  io.stderr.write(`${mismatch}\n`);
  return null;
}
