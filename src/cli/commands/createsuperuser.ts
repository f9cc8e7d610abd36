import type { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import type { Doorman } from '../../core.js';
import { DuplicateEmailError, type UserStore } from '../../storage/ports.js';
import { emailProblem as deceptiveEmail, isValidEmail, normalizeEmail } from '../../users/fields.js';
import { withDoorman } from '../context.js';
import { CliError, type CliIO } from '../io.js';
import { askPasswordTwice, hardPasswordProblem, passwordProblems } from '../passwords.js';
import { Prompter } from '../prompt.js';

export interface CreateSuperuserOptions {
  email?: string;
  /** false with --no-input. */
  input: boolean;
}

const EMAIL_TAKEN = 'That email is already taken.';

/** One line naming the value too: `That email is already taken: "kim@example.com"`. */
function about(problem: string, value: string): string {
  return `${problem.replace(/\.$/, '')}: ${JSON.stringify(value)}`;
}

/** Why this e-mail cannot be the new superuser's, or null when it can. */
async function emailProblem(raw: string, users: UserStore): Promise<string | null> {
  const email = normalizeEmail(raw);
  if (email === '') return 'This field cannot be blank.';
  if (deceptiveEmail(raw) || !isValidEmail(email)) return 'Enter a valid email address.';
  if (await users.findByEmail(email)) return EMAIL_TAKEN;
  return null;
}

/** Django's loop: ask until the address is usable; a bad --email is reported, then asked for. */
async function askEmail(prompter: Prompter, io: CliIO, users: UserStore, given: string | undefined): Promise<string> {
  let candidate = given;
  for (;;) {
    candidate ??= await prompter.line('Email: ');
    const problem = await emailProblem(candidate, users);
    if (!problem) return normalizeEmail(candidate);
    io.stderr.write(`Error: ${problem}\n`);
    candidate = undefined;
  }
}

/** Django's loop: twice with no echo, no blanks; validator failures may be bypassed on request. */
async function askPassword(prompter: Prompter, io: CliIO, email: string, config: Config): Promise<string> {
  for (;;) {
    const password = await askPasswordTwice(prompter, io, "Error: Your passwords didn't match.");
    if (password === null) continue;
    const hard = hardPasswordProblem(password);
    if (hard) {
      io.stderr.write(`Error: ${hard}\n`);
      continue;
    }
    const problems = passwordProblems(password, { email }, config);
    if (problems.length === 0) return password;
    io.stderr.write(`${problems.join('\n')}\n`);
    const answer = await prompter.line('Bypass password validation and create user anyway? [y/N]: ');
    if (answer.trim().toLowerCase() === 'y') return password;
  }
}

/**
 * --no-input: the e-mail from --email (or DOORMAN_SUPERUSER_EMAIL), the password from
 * DOORMAN_SUPERUSER_PASSWORD only, never from a flag (it would land in shell history and `ps`).
 * Without a password the user gets none (Django's unusable password) until changepassword sets one.
 * Unlike Django, the validators still apply: there is no one to ask whether to bypass them.
 */
async function fromEnvironment(io: CliIO, doorman: Doorman, options: CreateSuperuserOptions) {
  const raw = options.email ?? io.env.DOORMAN_SUPERUSER_EMAIL;
  if (!raw) throw new CliError('You must use --email (or DOORMAN_SUPERUSER_EMAIL) with --no-input.');
  const problem = await emailProblem(raw, doorman.storage.users);
  if (problem) throw new CliError(about(problem, raw));
  const email = normalizeEmail(raw);
  const password = io.env.DOORMAN_SUPERUSER_PASSWORD ?? null;
  if (password !== null) {
    const problems = [hardPasswordProblem(password), ...passwordProblems(password, { email }, doorman.config)].filter(
      Boolean,
    );
    if (problems.length > 0) throw new CliError(`DOORMAN_SUPERUSER_PASSWORD: ${problems.join(' ')}`);
  }
  return { email, password };
}

/** Stores a staff superuser; the password is hashed by the same hasher the server uses. */
async function createSuperuser(doorman: Doorman, email: string, password: string | null) {
  try {
    return await doorman.accounts.createUser({ email, password, isStaff: true, isSuperuser: true });
  } catch (error) {
    // Someone took the address between the check and the insert; the unique index decided.
    if (error instanceof DuplicateEmailError) throw new CliError(about(EMAIL_TAKEN, email));
    throw error;
  }
}

/** `manage.py createsuperuser` for an e-mail login: staff and superuser, active. */
export async function createsuperuser(io: CliIO, options: CreateSuperuserOptions): Promise<void> {
  await withDoorman(io, async (doorman) => {
    let email: string;
    let password: string | null;
    if (options.input) {
      const prompter = new Prompter(io);
      try {
        email = await askEmail(prompter, io, doorman.storage.users, options.email);
        password = await askPassword(prompter, io, email, doorman.config);
      } finally {
        prompter.close();
      }
    } else {
      ({ email, password } = await fromEnvironment(io, doorman, options));
    }
    await createSuperuser(doorman, email, password);
    io.stdout.write(
      password === null
        ? `Superuser created successfully (no password yet: set one with \`doorman changepassword ${email}\`).\n`
        : 'Superuser created successfully.\n',
    );
  });
}

export function registerCreateSuperuser(program: Command, io: CliIO): void {
  program
    .command('createsuperuser')
    .description('create a staff superuser (prompts, or --no-input with DOORMAN_SUPERUSER_PASSWORD)')
    .option('--email <email>', "the superuser's e-mail (login)")
    .option(
      '--no-input',
      'do not prompt: e-mail from --email or DOORMAN_SUPERUSER_EMAIL, password from DOORMAN_SUPERUSER_PASSWORD',
    )
    .action((options: CreateSuperuserOptions) => createsuperuser(io, options));
}
