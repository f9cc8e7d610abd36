import { AuthError, invalidFields, nonFieldError, type FieldErrors } from '../errors/auth-error.js';
import type { PasswordHasher } from '../passwords/hash.js';
import { validatePassword, type PasswordPolicy } from '../passwords/policy.js';
import type { Revocation } from '../revocation/revocation.js';
import { DuplicateEmailError, type OneTimeTokenStore, type UserStore } from '../storage/ports.js';
import { dateOfBirthError, emailProblem, isGender, isValidEmail, normalizeEmail } from './fields.js';
import type { NewUser, ProfilePatch, User } from './types.js';

export interface Registration {
  email: string;
  password1: string;
  password2: string;
  gender?: string | null;
  date_of_birth?: string | null;
  first_name?: string;
  last_name?: string;
}

export interface PasswordChange {
  old_password: string;
  new_password1: string;
  new_password2: string;
}

export interface ProfileInput {
  first_name?: string;
  last_name?: string;
  gender?: string | null;
  date_of_birth?: string | null;
}

export interface AccountDeps {
  users: UserStore;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  /** Record `last_login` at register, login and obtain (simplejwt's UPDATE_LAST_LOGIN). */
  updateLastLogin: boolean;
  /** What a change of a user's active flag must tell every process. */
  revocation: Pick<Revocation, 'userChanged' | 'revokeUserSessions'>;
  /** A password change (any) kills a pending reset token. */
  oneTimeTokens: Pick<OneTimeTokenStore, 'clear'>;
  /** allauth's mandatory verification: login and obtain refuse an unverified address. */
  requireVerifiedEmail: boolean;
  now: () => number;
}

/** Registration, login, password change and profile update: dj-rest-auth's account rules, Django's messages. */
export interface Accounts {
  /** dj-rest-auth's RegisterView: field errors collected, Django's messages; `last_login` set when UPDATE_LAST_LOGIN. */
  register(input: Registration): Promise<User>;
  /**
   * The user for these credentials, or null. Unknown e-mails spend one password verification
   * too, so the answer's timing does not tell which e-mails exist.
   */
  authenticate(email: string, password: string): Promise<User | null>;
  /** dj-rest-auth's LoginView: bad credentials → 400 non_field_errors. */
  login(email: string, password: string): Promise<User>;
  /** simplejwt's TokenObtainSerializer: bad credentials → 401 no_active_account. */
  obtain(email: string, password: string): Promise<User>;
  /** The user by id; `user_not_found` when it is gone. */
  get(userId: number): Promise<User>;
  /**
   * Django's PasswordChangeForm: old password first, then the two new ones, then the validators.
   * Then every session of the user ends, the caller's too (copies of its tokens may be out
   * there); sessions.changePassword opens the caller's new session. Returns the updated user.
   */
  changePassword(user: User, input: PasswordChange): Promise<User>;
  /**
   * Creates a user with flags as given (createsuperuser, admin tools): the password, if any, is
   * hashed first, so no row ever exists without its hash. No validators run here; callers decide.
   * Throws DuplicateEmailError.
   */
  createUser(input: Omit<NewUser, 'password'> & { password: string | null }): Promise<User>;
  /**
   * Sets a password with no checks beyond hashing (CLI changepassword, createsuperuser) and bumps
   * the credentials epoch with it; the caller ends the sessions (sessions.credentialsChanged).
   */
  setPassword(userId: number, password: string): Promise<User>;
  updateProfile(user: User, input: ProfileInput): Promise<User>;
  /**
   * Activates or deactivates a user: every process drops its cached state of the user (a
   * deactivated user's access tokens are refused within one poll) and, on deactivation, every
   * session ends, so reactivating does not revive old refresh tokens. Returns the sessions ended.
   */
  setActive(user: User, isActive: boolean): Promise<{ user: User; endedSessions: number }>;
}

export const INVALID_CREDENTIALS = 'Unable to log in with provided credentials.';
export const EMAIL_NOT_VERIFIED = 'E-mail is not verified.';

function add(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** Profile fields (first/last name, gender, date of birth) checked and mapped; errors collected in `errors`. */
function profilePatch(input: ProfileInput, errors: FieldErrors, today: Date): ProfilePatch {
  const patch: ProfilePatch = {};
  if (input.first_name !== undefined) patch.firstName = input.first_name.trim();
  if (input.last_name !== undefined) patch.lastName = input.last_name.trim();
  if (input.gender !== undefined) {
    if (input.gender === null || input.gender === '') patch.gender = null;
    else if (isGender(input.gender)) patch.gender = input.gender;
    else add(errors, 'gender', `"${input.gender}" is not a valid choice.`);
  }
  if (input.date_of_birth !== undefined) {
    if (input.date_of_birth === null || input.date_of_birth === '') patch.dateOfBirth = null;
    else {
      const problem = dateOfBirthError(input.date_of_birth, today);
      if (problem) add(errors, 'date_of_birth', problem);
      else patch.dateOfBirth = input.date_of_birth;
    }
  }
  return patch;
}

/**
 * The user as re-read after a write that followed the password check, still carrying the
 * credentials epoch of the password that was checked: a password change that committed in
 * between must make this sign-in stale (tokens/issue.ts refuses it), not look current.
 */
function verifiedWith(checked: User, reread: User | null): User {
  return reread ? { ...reread, credentialsEpoch: checked.credentialsEpoch } : checked;
}

export function createAccounts(deps: AccountDeps): Accounts {
  const { users, hasher, policy } = deps;

  /** simplejwt's update_last_login, on the injected clock. */
  async function signedIn(user: User): Promise<User> {
    if (!deps.updateLastLogin) return user;
    return verifiedWith(user, await users.update(user.id, { lastLogin: new Date(deps.now()) }));
  }

  return {
    async register(input: Registration): Promise<User> {
      const errors: FieldErrors = {};
      const email = normalizeEmail(input.email);
      if (emailProblem(input.email) || !isValidEmail(email)) add(errors, 'email', 'Enter a valid email address.');
      const profile = profilePatch(input, errors, new Date(deps.now()));
      // dj-rest-auth checks the password twice: without the user in validate_password1 (field
      // errors under password1), then with it when saving the user, where a similarity failure
      // becomes a non_field_errors answer. The same order and shapes here.
      const withoutUser = { ...policy, validators: policy.validators.filter((v) => v !== 'user_attribute_similarity') };
      for (const message of validatePassword(input.password1, {}, withoutUser)) add(errors, 'password1', message);
      if (input.password1 !== input.password2) add(errors, 'non_field_errors', "The two password fields didn't match.");
      if (!errors.email && (await users.findByEmail(email)))
        add(errors, 'email', 'A user is already registered with this email address.');
      if (Object.keys(errors).length > 0) throw invalidFields(errors);
      const similar = validatePassword(
        input.password1,
        { email, first_name: profile.firstName, last_name: profile.lastName },
        policy,
      );
      if (similar.length > 0) throw invalidFields({ non_field_errors: similar });
      const password = await hasher.hash(input.password1);
      let user: User;
      try {
        user = await users.create({ email, password, ...profile, emailVerified: false });
      } catch (error) {
        // Two joins raced for one address; the unique index decided.
        if (error instanceof DuplicateEmailError)
          throw invalidFields({ email: ['A user is already registered with this email address.'] });
        throw error;
      }
      return signedIn(user);
    },

    async authenticate(email: string, password: string): Promise<User | null> {
      const user = await users.findByEmail(normalizeEmail(email));
      if (!user || !user.password) {
        await hasher.burn(password);
        return null;
      }
      if (!(await hasher.verify(user.password, password))) return null;
      if (!user.isActive) return null;
      if (hasher.needsRehash(user.password)) {
        const rehashed = await hasher.hash(password);
        return verifiedWith(user, await users.update(user.id, { password: rehashed }));
      }
      return user;
    },

    async login(email: string, password: string): Promise<User> {
      const user = await this.authenticate(email, password);
      if (!user) throw nonFieldError(INVALID_CREDENTIALS);
      // Told only to someone who knows the password (allauth answers so too).
      if (deps.requireVerifiedEmail && !user.emailVerified) throw nonFieldError(EMAIL_NOT_VERIFIED);
      return signedIn(user);
    },

    async obtain(email: string, password: string): Promise<User> {
      const user = await this.authenticate(email, password);
      if (!user) throw new AuthError('no_active_account');
      if (deps.requireVerifiedEmail && !user.emailVerified) throw new AuthError('email_not_verified');
      return signedIn(user);
    },

    async get(userId: number): Promise<User> {
      const user = await users.findById(userId);
      if (!user) throw new AuthError('user_not_found');
      return user;
    },

    async changePassword(user: User, input: PasswordChange): Promise<User> {
      if (!user.password || !(await hasher.verify(user.password, input.old_password))) {
        throw invalidFields({ old_password: ['Your old password was entered incorrectly. Please enter it again.'] });
      }
      if (input.new_password1 !== input.new_password2)
        throw invalidFields({ new_password2: ['The two password fields didn’t match.'] });
      const problems = validatePassword(
        input.new_password2,
        { email: user.email, first_name: user.firstName, last_name: user.lastName },
        policy,
      );
      if (problems.length > 0) throw invalidFields({ new_password2: problems });
      const updated = await this.setPassword(user.id, input.new_password1);
      await deps.revocation.revokeUserSessions(user.id);
      return updated;
    },

    async createUser(input: Omit<NewUser, 'password'> & { password: string | null }): Promise<User> {
      const password = input.password === null ? null : await hasher.hash(input.password);
      // An administrator vouches for the address unless told otherwise.
      return users.create({ emailVerified: true, ...input, email: normalizeEmail(input.email), password });
    },

    async setPassword(userId: number, password: string): Promise<User> {
      const updated = await users.changeCredentials(userId, await hasher.hash(password));
      if (!updated) throw new AuthError('user_not_found');
      // Like Django's PasswordResetTokenGenerator, whose tokens hash the password: a pending reset dies.
      await deps.oneTimeTokens.clear('password_reset', userId);
      return updated;
    },

    async updateProfile(user: User, input: ProfileInput): Promise<User> {
      const errors: FieldErrors = {};
      const patch = profilePatch(input, errors, new Date(deps.now()));
      if (Object.keys(errors).length > 0) throw invalidFields(errors);
      const updated = await users.update(user.id, patch);
      if (!updated) throw new AuthError('user_not_found');
      return updated;
    },

    async setActive(user: User, isActive: boolean) {
      const updated = await users.update(user.id, { isActive });
      if (!updated) throw new AuthError('user_not_found');
      await deps.revocation.userChanged(updated);
      const endedSessions = isActive ? 0 : await deps.revocation.revokeUserSessions(user.id);
      return { user: updated, endedSessions };
    },
  };
}
