import { AuthError, invalidFields, type FieldErrors } from '../errors/auth-error.js';
import { alreadyRegisteredMail, passwordResetMail, verificationMail } from '../mail/messages.js';
import type { Outbox } from '../mail/outbox.js';
import type { Language } from '../mail/types.js';
import type { PasswordHasher } from '../passwords/hash.js';
import { validatePassword, type PasswordPolicy } from '../passwords/policy.js';
import type { Revocation } from '../revocation/revocation.js';
import type { OneTimeTokenStore, UserStore } from '../storage/ports.js';
import type { Accounts, Registration } from '../users/accounts.js';
import { isValidEmail, normalizeEmail } from '../users/fields.js';
import type { User } from '../users/types.js';
import type { Background } from './background.js';
import { decodeUid, encodeUid, hashSecret, mintSecret, sameHash } from './secrets.js';

export type EmailVerificationMode = 'none' | 'optional' | 'mandatory';

export interface RecoverySettings {
  emailVerification: EmailVerificationMode;
  /** Link templates, already defaulted (config/mail-links.ts): {uid} {token} and {key}. */
  passwordResetUrl: string;
  emailConfirmUrl: string;
  /** Seconds. */
  passwordResetTimeout: number;
  emailConfirmationExpire: number;
}

export interface RecoveryDeps {
  users: UserStore;
  tokens: OneTimeTokenStore;
  accounts: Accounts;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  revocation: Pick<Revocation, 'revokeUserSessions'>;
  /** Null when mail is off (production with no mailUrl): requests answer as usual and nothing is sent. */
  outbox: Outbox | null;
  background: Background;
  settings: RecoverySettings;
  now: () => number;
}

export interface PasswordResetConfirmation {
  uid: string;
  token: string;
  new_password1: string;
  new_password2: string;
}

/** What join led to: a signed-in user (none, optional), or a mail and nothing else (mandatory). */
export type JoinOutcome = { user: User } | { verificationSent: true };

/** Account recovery and e-mail verification: dj-rest-auth's password reset, allauth's verification. */
export interface Recovery {
  /**
   * dj-rest-auth's PasswordResetView. Answers at once for every well-formed address: the
   * look-up, token and mail run in the background, so neither the answer nor its timing says
   * whether the address is registered. Only active users with a usable password get a mail (Django).
   */
  requestPasswordReset(email: string, language: Language): void;
  /** dj-rest-auth's PasswordResetConfirmView: uid, then the two passwords, then the token; then every session ends. */
  confirmPasswordReset(input: PasswordResetConfirmation): Promise<User>;
  /** Join under the verification mode (see JoinOutcome). */
  join(input: Registration, language: Language): Promise<JoinOutcome>;
  /** allauth's VerifyEmailView: a bad, used or expired key is 404. */
  verifyEmail(key: string): Promise<User>;
  /** allauth's ResendEmailVerificationView: the same answer for every address; mails only unverified users. */
  resendVerification(email: string, language: Language): void;
}

const TAKEN = 'A user is already registered with this email address.';

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? encodeURIComponent(values[name]!) : whole,
  );
}

/** An address the form accepts, or a field error (Django's EmailField). */
function checkEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (!isValidEmail(normalized)) throw invalidFields({ email: ['Enter a valid email address.'] });
  return normalized;
}

export function createRecovery(deps: RecoveryDeps): Recovery {
  const { users, tokens, settings, background } = deps;
  const send = (message: Parameters<Outbox['send']>[0]) => deps.outbox?.send(message);

  async function mailVerification(user: User, language: Language): Promise<void> {
    const { secret, hash } = mintSecret();
    await tokens.put('email_verification', user.id, {
      tokenHash: hash,
      expiresAt: new Date(deps.now() + settings.emailConfirmationExpire * 1000),
    });
    const key = `${encodeUid(user.id)}.${secret}`;
    send(verificationMail(language, user.email, fill(settings.emailConfirmUrl, { key })));
  }

  /** Checks and spends a one-time secret; false for a wrong, used or expired one. */
  async function spend(
    purpose: 'password_reset' | 'email_verification',
    userId: number,
    secret: string,
  ): Promise<boolean> {
    const stored = await tokens.find(purpose, userId);
    const presented = hashSecret(secret);
    if (!stored || !sameHash(stored.tokenHash, presented)) return false;
    if (stored.expiresAt.getTime() <= deps.now()) {
      await tokens.clear(purpose, userId);
      return false;
    }
    return tokens.consume(purpose, userId, presented);
  }

  return {
    requestPasswordReset(email, language) {
      const address = checkEmail(email);
      background.run(async () => {
        const user = await users.findByEmail(address);
        if (!user || !user.isActive || !user.password) return;
        const { secret, hash } = mintSecret();
        await tokens.put('password_reset', user.id, {
          tokenHash: hash,
          expiresAt: new Date(deps.now() + settings.passwordResetTimeout * 1000),
        });
        const url = fill(settings.passwordResetUrl, { uid: encodeUid(user.id), token: secret });
        send(passwordResetMail(language, user.email, url, Math.round(settings.passwordResetTimeout / 60)));
      });
    },

    async confirmPasswordReset(input) {
      const id = decodeUid(input.uid);
      const user = id === null ? null : await users.findById(id);
      if (!user || !user.isActive) throw invalidFields({ uid: ['Invalid value'] });
      const errors: FieldErrors = {};
      if (input.new_password1 !== input.new_password2) errors.new_password2 = ['The two password fields didn’t match.'];
      else {
        const problems = validatePassword(
          input.new_password2,
          { email: user.email, first_name: user.firstName, last_name: user.lastName },
          deps.policy,
        );
        if (problems.length > 0) errors.new_password2 = problems;
      }
      if (Object.keys(errors).length > 0) throw invalidFields(errors);
      if (!(await spend('password_reset', user.id, input.token))) throw invalidFields({ token: ['Invalid value'] });
      const updated = await deps.accounts.setPassword(user.id, input.new_password1);
      // Whoever knew the old password is out: every session of the user ends.
      await deps.revocation.revokeUserSessions(user.id);
      return updated;
    },

    async join(input, language) {
      if (settings.emailVerification !== 'mandatory') {
        const user = await deps.accounts.register(input);
        if (settings.emailVerification === 'optional') background.run(() => mailVerification(user, language));
        return { user };
      }
      try {
        const user = await deps.accounts.register(input);
        background.run(() => mailVerification(user, language));
      } catch (error) {
        const fields = error instanceof AuthError ? error.fields : undefined;
        if (!fields?.email?.includes(TAKEN)) throw error;
        // Never say "taken", not even beside other errors: those are answered alone.
        const rest = Object.fromEntries(Object.entries(fields).filter(([field]) => field !== 'email'));
        if (Object.keys(rest).length > 0) throw invalidFields(rest);
        // The same answer as for a new address, after the same hashing work; the owner hears of it.
        await deps.hasher.burn(input.password1);
        const address = normalizeEmail(input.email);
        background.run(async () => {
          const owner = await users.findByEmail(address);
          if (owner) send(alreadyRegisteredMail(language, owner.email));
        });
      }
      return { verificationSent: true };
    },

    async verifyEmail(key) {
      const dot = key.indexOf('.');
      const id = dot > 0 ? decodeUid(key.slice(0, dot)) : null;
      const secret = dot > 0 ? key.slice(dot + 1) : '';
      if (id === null || !(await spend('email_verification', id, secret))) throw new AuthError('not_found');
      const updated = await users.update(id, { emailVerified: true });
      if (!updated) throw new AuthError('not_found');
      return updated;
    },

    resendVerification(email, language) {
      const address = checkEmail(email);
      background.run(async () => {
        const user = await users.findByEmail(address);
        if (!user || !user.isActive || user.emailVerified) return;
        await mailVerification(user, language);
      });
    },
  };
}
