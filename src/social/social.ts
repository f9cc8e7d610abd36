import { AuthError, invalidFields, nonFieldError } from '../errors/auth-error.js';
import {
  DuplicateEmailError,
  DuplicateSocialAccountError,
  type SocialAccount,
  type SocialAccountStore,
  type UserStore,
} from '../storage/ports.js';
import { isValidEmail, normalizeEmail } from '../users/fields.js';
import type { User } from '../users/types.js';
import type { PendingLogin, ProviderIdentity, SocialClient } from './client.js';
import { createPendingSeal } from './state.js';

export interface SocialDeps {
  accounts: SocialAccountStore;
  users: UserStore;
  clients: ReadonlyMap<string, SocialClient>;
  /** simplejwt's UPDATE_LAST_LOGIN, as for a password login. */
  updateLastLogin: boolean;
  /** The SPA flow's allowed redirect_uri values (exact match); the first is the default. */
  redirectUris: readonly string[];
  /** Key material for sealing the redirect flow's state (CSRF_SECRET or the signing key). */
  secret: string;
  now: () => number;
}

/** The SPA/mobile flow's body (dj-rest-auth's SocialLoginSerializer). */
export interface SocialCredentials {
  code?: string | undefined;
  code_verifier?: string | undefined;
  redirect_uri?: string | undefined;
  nonce?: string | undefined;
  id_token?: string | undefined;
  access_token?: string | undefined;
}

/** Social login's account rules: who a provider identity signs in as, and a user's connections. */
export interface Social {
  /** The configured provider's client; `social_provider_unknown` (404) otherwise. */
  client(provider: string): SocialClient;
  /**
   * The user for a provider identity: the connected one; else, only when the provider says the
   * e-mail is verified, the user with that e-mail (connected now); else a new user with no
   * password. An unverified e-mail that belongs to someone is refused: that person must log in
   * and connect, or anyone who can open an account at the provider under a victim's address
   * would be let into the victim's account.
   */
  signIn(provider: string, identity: ProviderIdentity): Promise<User>;
  /** Who the SPA flow's credentials say the person is: id_token, else code, else access_token. */
  identify(provider: string, credentials: SocialCredentials): Promise<ProviderIdentity>;
  /** The SPA flow: identify, then signIn. */
  login(provider: string, credentials: SocialCredentials): Promise<User>;
  /** Redirect flow, first leg: the provider's URL and the sealed pending login for the cookie. */
  begin(provider: string, redirectUri: string): Promise<{ url: string; sealed: string }>;
  /** Redirect flow, callback: the sealed cookie opened and checked against the callback URL, then signIn. */
  complete(provider: string, sealed: string | null, callbackUrl: URL): Promise<User>;
  /** Connects a provider identity to a signed-in user; `social_account_taken` if it belongs to someone else. */
  connect(user: User, provider: string, identity: ProviderIdentity): Promise<SocialAccount>;
  /** identify, then connect. */
  connectWith(user: User, provider: string, credentials: SocialCredentials): Promise<SocialAccount>;
  connections(userId: number): Promise<SocialAccount[]>;
  /** Removes a connection; `social_last_login` when it is the last way a user without a password signs in. */
  disconnect(user: User, id: number): Promise<void>;
}

export function createSocial(deps: SocialDeps): Social {
  const { accounts, users } = deps;

  async function signedIn(user: User): Promise<User> {
    if (!user.isActive) throw new AuthError('no_active_account');
    if (!deps.updateLastLogin) return user;
    return (await users.update(user.id, { lastLogin: new Date(deps.now()) })) ?? user;
  }

  async function connected(provider: string, identity: ProviderIdentity): Promise<User | null> {
    const account = await accounts.find(provider, identity.subject);
    if (!account) return null;
    const user = await users.findById(account.userId);
    if (!user) throw new AuthError('no_active_account');
    return user;
  }

  const record = (userId: number, provider: string, identity: ProviderIdentity, email: string | null) =>
    accounts.create({ userId, provider, subject: identity.subject, email, createdAt: new Date(deps.now()) });

  const seal = createPendingSeal(deps.secret, deps.now);

  function client(provider: string): SocialClient {
    const found = deps.clients.get(provider);
    if (!found) throw new AuthError('social_provider_unknown');
    return found;
  }

  return {
    client,

    async identify(provider, c) {
      const rp = client(provider);
      if (c.id_token) return rp.idToken(c.id_token, c.nonce || undefined);
      if (c.code) {
        const redirectUri = c.redirect_uri || deps.redirectUris[0];
        if (!redirectUri || !deps.redirectUris.includes(redirectUri)) {
          throw invalidFields({
            redirect_uri: [
              deps.redirectUris.length === 0
                ? 'The code flow is off: no redirect_uri is allowed (DOORMAN_SOCIAL_REDIRECT_URIS).'
                : 'This redirect_uri is not allowed.',
            ],
          });
        }
        return rp.exchange({
          code: c.code,
          codeVerifier: c.code_verifier || undefined,
          redirectUri,
          nonce: c.nonce || undefined,
        });
      }
      if (c.access_token) return rp.accessToken(c.access_token);
      throw nonFieldError('Send code, id_token or access_token.');
    },

    async login(provider, credentials) {
      return this.signIn(provider, await this.identify(provider, credentials));
    },

    async begin(provider, redirectUri) {
      const { url, pending } = await client(provider).start(redirectUri);
      return { url, sealed: seal.seal(provider, pending) };
    },

    async complete(provider, sealed, callbackUrl) {
      const rp = client(provider);
      const pending: PendingLogin | null = sealed ? seal.open(provider, sealed) : null;
      if (!pending)
        throw new AuthError('social_login_failed', {
          detail: 'The sign-in expired or was started elsewhere; start again.',
        });
      return this.signIn(provider, await rp.finish(callbackUrl, pending));
    },

    async connectWith(user, provider, credentials) {
      return this.connect(user, provider, await this.identify(provider, credentials));
    },

    async signIn(provider, identity) {
      const known = await connected(provider, identity);
      if (known) return signedIn(known);
      if (identity.email === null) throw new AuthError('social_email_missing');
      const email = normalizeEmail(identity.email);
      if (!isValidEmail(email))
        throw new AuthError('social_email_missing', {
          detail: 'The provider gave an e-mail address that is not valid.',
        });
      const existing = await users.findByEmail(email);
      if (existing) {
        if (!identity.emailVerified) throw new AuthError('social_email_unverified');
        if (!existing.isActive) throw new AuthError('no_active_account');
        try {
          await record(existing.id, provider, identity, email);
        } catch (error) {
          if (!(error instanceof DuplicateSocialAccountError)) throw error;
          // A concurrent sign-in connected it first: take whoever it names.
          const winner = await connected(provider, identity);
          if (winner) return signedIn(winner);
          throw error;
        }
        return signedIn(existing);
      }
      // No password at all (null): password login spends a hash and fails for this user, and
      // the person sets one by password reset.
      let created: User;
      try {
        created = await users.create({ email, password: null });
      } catch (error) {
        if (!(error instanceof DuplicateEmailError)) throw error;
        // Someone registered the address a moment ago: decide again with that user in place.
        return this.signIn(provider, identity);
      }
      try {
        await record(created.id, provider, identity, email);
      } catch (error) {
        await users.delete(created.id);
        if (!(error instanceof DuplicateSocialAccountError)) throw error;
        const winner = await connected(provider, identity);
        if (winner) return signedIn(winner);
        throw error;
      }
      return signedIn(created);
    },

    async connect(user, provider, identity) {
      const email = identity.email === null ? null : normalizeEmail(identity.email);
      const mine = async () => {
        const account = await accounts.find(provider, identity.subject);
        if (!account) return null;
        if (account.userId !== user.id) throw new AuthError('social_account_taken');
        return account;
      };
      const already = await mine();
      if (already) return already;
      try {
        return await record(user.id, provider, identity, email);
      } catch (error) {
        if (!(error instanceof DuplicateSocialAccountError)) throw error;
        const raced = await mine();
        if (raced) return raced;
        throw error;
      }
    },

    connections: (userId) => accounts.listForUser(userId),

    async disconnect(user, id) {
      const owned = (await accounts.listForUser(user.id)).some((a) => a.id === id);
      if (!owned) throw new AuthError('not_found');
      // Fresh from storage: a password set a moment ago (by reset) counts.
      const current = await users.findById(user.id);
      const hasPassword = Boolean(current?.password) && !current!.password!.startsWith('!');
      if (!(await accounts.remove(user.id, id, !hasPassword))) throw new AuthError('social_last_login');
    },
  };
}
