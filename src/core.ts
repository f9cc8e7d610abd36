import { createAuditLog, type AuditLog } from './audit/audit-log.js';
import type { Config } from './config/schema.js';
import { createOutbox, type Outbox } from './mail/outbox.js';
import { createMailTransport } from './mail/transport.js';
import { createBackground } from './recovery/background.js';
import { createRecovery, type Recovery } from './recovery/recovery.js';
import { createAuthenticator, type AuthContext } from './auth/authenticate.js';
import { buildJwks, type JwksDocument } from './keys/jwks.js';
import { createPasswordHasher, type PasswordHasher } from './passwords/hash.js';
import { Limiter } from './passwords/limiter.js';
import { createPermissionAdmin, type PermissionAdmin } from './permissions/admin.js';
import { createRevocation, type Revocation } from './revocation/revocation.js';
import { createRevocationSync, type RevocationSync } from './revocation/sync.js';
import { RevocationView } from './revocation/view.js';
import { createSocialClient, type SocialClientOptions } from './social/client.js';
import { createSocial, type Social } from './social/social.js';
import type { Storage } from './storage/ports.js';
import { claimNames } from './tokens/claims.js';
import { createTokenCodec } from './tokens/codec.js';
import { defaultCustomClaims, type CustomClaims, type TokenContext } from './tokens/context.js';
import { createSessions, type Sessions } from './sessions/sessions.js';
import { issuePair, issueSliding, type IssuedToken, type SessionOrigin, type TokenPair } from './tokens/issue.js';
import { blacklistToken, logout, refreshSliding, refreshTokens, type RefreshResult } from './tokens/rotate.js';
import { inspectToken, verifyOwnToken, verifyToken, type InspectedToken, type VerifiedToken } from './tokens/verify.js';
import { pino } from 'pino';
import { createThrottle, type CounterStore, type Throttle } from './throttle/index.js';
import type { ThrottleLog } from './throttle/warn-every.js';
import { redisCounterStore } from './storage/redis/throttle-counters.js';
import { createAccounts, type Accounts } from './users/accounts.js';
import { createUserAdmin, type UserAdmin } from './users/admin.js';
import type { User } from './users/types.js';

export interface DoormanOptions {
  config: Config;
  storage: Storage;
  /** Extra claims for access and sliding tokens, from the current user (default: `{ email }`). */
  customClaims?: CustomClaims;
  /** The clock, in epoch milliseconds (tests freeze it). */
  now?: () => number;
  /** Where background errors go (the revocation poll). */
  onError?: (error: unknown) => void;
  /** Where warnings go (a Redis outage, a flood of 503s): default a pino logger at the configured level. */
  log?: ThrottleLog;
  /** Throttle counters other than the configured memory/Redis ones (tests). */
  throttleStore?: CounterStore;
  /** How social login talks to providers (tests: plain HTTP on loopback). */
  socialClient?: SocialClientOptions;
}

/** Issuing, refreshing, blacklisting and verifying doorman's tokens (simplejwt's views, without HTTP). */
export interface Tokens {
  /**
   * A new session for `user` (login, join, token obtain), recorded with where it came from.
   * `no_active_account` when the password changed (or the user was deactivated) meanwhile.
   */
  issuePair(user: User, origin?: SessionOrigin): Promise<TokenPair>;
  issueSliding(user: User, origin?: SessionOrigin): Promise<IssuedToken>;
  /** simplejwt TokenRefreshView: a new access token (and refresh token when rotating), and their session. */
  refresh(raw: string): Promise<RefreshResult>;
  /** simplejwt TokenRefreshSlidingView: the sliding token with a new exp. */
  refreshSliding(raw: string): Promise<string>;
  /**
   * Blacklists a refresh or sliding token and ends its session; returns the session id. A spent
   * token (rotated away) ends its session too and answers "Token is blacklisted".
   */
  blacklist(raw: string): Promise<string>;
  /**
   * dj-rest-auth's logout: ends the refresh token's session and the access token's session,
   * the latter even when the refresh token is spent, invalid or missing (which still throw).
   */
  logout(refresh: string | null, accessSessionId: string | null): Promise<void>;
  /**
   * The synchronous hot-path check of a token presented as credentials (one of
   * AUTH_TOKEN_CLASSES) with doorman's own keys: signature, pinned alg, exp, type, jti, session
   * not revoked. Null when the token is not signed by us but JWK_URL is set: use verifyAccess.
   */
  verifyOwnAccess(raw: string): VerifiedToken | null;
  /** As verifyOwnAccess, falling back to the remote JWKS (JWK_URL) for tokens signed elsewhere. */
  verifyAccess(raw: string): Promise<VerifiedToken>;
  /** Verifies any doorman token (simplejwt UntypedToken) and, for refresh/sliding, whether it is blacklisted. */
  verify(raw: string): Promise<InspectedToken>;
}

/**
 * doorman's domain, wired: accounts, tokens, revocation and authentication over one storage.
 * Knows nothing of HTTP; the Fastify plugin and the CLI both drive this.
 */
export interface Doorman {
  readonly config: Config;
  /**
   * The storage doorman was built on.
   * @internal Not part of the public API: use the domain operations (accounts, tokens,
   * permissions, revocation). Kept for doorman's own tests and CLI maintenance commands.
   */
  readonly storage: Storage;
  readonly accounts: Accounts;
  readonly revocation: Revocation;
  /** The session rules: list, end one, end all, password change, credentials changed. */
  readonly sessions: Sessions;
  /** Groups and model permissions (Django's auth admin), and each user's cached permission set. */
  readonly permissions: PermissionAdmin;
  /** Social login (DOORMAN_SOCIAL_PROVIDERS): provider clients, sign-in and a user's connections. */
  readonly social: Social;
  /** Django admin's user screens: list, search, create, (de)activate, staff flags, delete. */
  readonly users: UserAdmin;
  /** simplejwt's JWTAuthentication for a raw token: the user and claims, or 401 AuthError. */
  authenticate(token: string): Promise<AuthContext>;
  /**
   * As authenticate, but the answer itself when it needs no I/O (doorman's own token, the user's
   * state cached: every authenticated request in the steady state), and a promise of it only
   * when it does. Throws (or rejects with) the same AuthErrors.
   */
  authenticateNow(token: string): AuthContext | Promise<AuthContext>;
  readonly keys: {
    /** The public JWKS document: every asymmetric key that verifies now; never a secret or a private part. */
    jwks(): JwksDocument;
  };
  readonly tokens: Tokens;
  /**
   * Brute-force throttles and the per-address admission to the hash queue (throttle/):
   * `login.attempt({address, account}, check)`, `join.attempt(address, run)`,
   * `perAddress(name, rate)` for new endpoints, `key(ip)` for an address's counting key.
   */
  readonly throttle: Throttle;
  /** Where doorman's own warnings go (Redis outages, 503 floods). */
  readonly log: ThrottleLog;
  /**
   * For GET /readyz: null when the database answers (within `timeoutMs`, default 2000) and its
   * migrations are current, else the reason.
   */
  unready(timeoutMs?: number): Promise<string | null>;
  /** Password reset and e-mail verification (dj-rest-auth, allauth). */
  readonly recovery: Recovery;
  /** Security events: written in batches off the request path; read by staff and the CLI. */
  readonly audit: AuditLog;
  /** Resolves when background work (reset and verification look-ups, queued mail, audit writes) is done (tests, shutdown). */
  idle(): Promise<void>;
  /** Loads revocations and starts following other processes' changes. */
  start(): Promise<void>;
  /** Applies other processes' changes now (tests; the timer does it every revocationPollInterval). */
  /** Returns how many events were applied. */
  syncRevocations(): Promise<number>;
  close(): Promise<void>;
}

/** Outside production, with no mailUrl: mail lands here as .eml files, so the flows work with no mail server. */
export const DEVELOPMENT_MAIL_URL = 'file://./.doorman/mail';
/** Outside production, with no passwordResetUrl / emailConfirmUrl: a front end on localhost:3000. */
export const DEVELOPMENT_RESET_URL = 'http://localhost:3000/reset/{uid}/{token}/';
export const DEVELOPMENT_CONFIRM_URL = 'http://localhost:3000/verify-email/{key}/';

export function createDoorman(options: DoormanOptions): Doorman {
  const { config, storage } = options;
  const now = options.now ?? Date.now;
  const view = new RevocationView(config.userCacheSize, config.userCacheTtl);
  const hasher: PasswordHasher = createPasswordHasher(
    { memoryCost: config.argon2MemoryCost, timeCost: config.argon2TimeCost, parallelism: config.argon2Parallelism },
    new Limiter(config.passwordHashConcurrency, config.passwordHashQueueLimit),
    config.passwordHashPriority,
  );
  const revocation: Revocation = createRevocation(config, storage, view, now);
  const ctx: TokenContext = {
    config,
    names: claimNames(config),
    codec: createTokenCodec(config, now),
    storage,
    view,
    revocation,
    customClaims: options.customClaims ?? defaultCustomClaims,
    now,
  };
  const log: ThrottleLog = options.log ?? pino({ level: config.logLevel });
  // Redis counters (storage/redis/) when REDIS_URL is set, shared by every instance; else memory.
  const counters =
    options.throttleStore ??
    (config.throttle && config.redisUrl
      ? redisCounterStore({ url: config.redisUrl, keyPrefix: `${config.redisKeyPrefix}:throttle`, log })
      : undefined);
  const throttle = createThrottle(config, counters);
  const sync: RevocationSync = createRevocationSync(
    storage,
    view,
    config.revocationPollInterval,
    now,
    options.onError ?? (() => {}),
  );
  const onError = options.onError ?? (() => {});
  const accounts = createAccounts({
    users: storage.users,
    oneTimeTokens: storage.oneTimeTokens,
    requireVerifiedEmail: config.emailVerification === 'mandatory',
    hasher,
    policy: {
      validators: config.passwordValidators,
      minLength: config.passwordMinLength,
      maxSimilarity: config.passwordMaxSimilarity,
    },
    updateLastLogin: config.updateLastLogin,
    revocation,
    now,
  });
  const sessions: Sessions = createSessions(ctx, storage, revocation, accounts);

  const social = createSocial({
    accounts: storage.socialAccounts,
    users: storage.users,
    clients: new Map(config.socialProviders.map((p) => [p.name, createSocialClient(p, options.socialClient)])),
    updateLastLogin: config.updateLastLogin,
    redirectUris: config.socialRedirectUris,
    secret: config.csrfSecret ?? config.signingKey,
    now,
  });

  const policy = {
    validators: config.passwordValidators,
    minLength: config.passwordMinLength,
    maxSimilarity: config.passwordMaxSimilarity,
  };
  const mailUrl = config.mailUrl ?? (config.environment === 'production' ? null : DEVELOPMENT_MAIL_URL);
  const outbox: Outbox | null =
    mailUrl === null
      ? null
      : createOutbox(() => createMailTransport(mailUrl), {
          from: config.mailFrom,
          retries: config.mailRetries,
          onError,
        });
  const background = createBackground(onError);
  const recovery = createRecovery({
    users: storage.users,
    tokens: storage.oneTimeTokens,
    accounts,
    hasher,
    policy,
    revocation,
    outbox,
    background,
    settings: {
      emailVerification: config.emailVerification,
      passwordResetUrl: config.passwordResetUrl ?? DEVELOPMENT_RESET_URL,
      emailConfirmUrl: config.emailConfirmUrl ?? DEVELOPMENT_CONFIRM_URL,
      passwordResetTimeout: config.passwordResetTimeout,
      emailConfirmationExpire: config.emailConfirmationExpire,
    },
    now,
  });
  const audit = createAuditLog(storage.audit, now, onError);

  return {
    config,
    storage,
    accounts,
    social,
    recovery,
    audit,
    async idle() {
      await background.idle();
      await outbox?.idle();
      await audit.flush();
    },
    revocation,
    /** Brute-force throttles and the per-address admission to the hash queue (throttle/). */
    throttle,
    log,
    sessions,
    permissions: createPermissionAdmin(storage, view, now, revocation),
    users: createUserAdmin({ users: storage.users, accounts, revocation, sessions }),
    ...createAuthenticator(ctx),
    keys: { jwks: () => buildJwks(ctx.codec.keystore, now()) },
    tokens: {
      issuePair: (user, origin) => issuePair(ctx, user, origin),
      issueSliding: (user, origin) => issueSliding(ctx, user, origin),
      refresh: (raw) => refreshTokens(ctx, raw),
      refreshSliding: (raw) => refreshSliding(ctx, raw),
      blacklist: (raw) => blacklistToken(ctx, raw),
      logout: (refresh, accessSessionId) => logout(ctx, refresh, accessSessionId),
      verifyOwnAccess: (raw) => verifyOwnToken(ctx, raw, config.authTokenClasses),
      verifyAccess: (raw) => verifyToken(ctx, raw, config.authTokenClasses),
      verify: (raw) => inspectToken(ctx, raw),
    },
    async unready(timeoutMs = 2000): Promise<string | null> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`the database did not answer within ${timeoutMs} ms`), timeoutMs);
      });
      try {
        return await Promise.race([
          storage.unready().catch((error: Error) => `the database did not answer: ${error.message}`),
          late,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    start: () => sync.start(),
    syncRevocations: () => sync.poll(),
    async close() {
      await sync.stop();
      await background.idle();
      await audit.flush();
      await outbox?.close();
      await throttle.close();
      await hasher.close();
    },
  };
}
