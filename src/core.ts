import type { Config } from './config/schema.js';
import { createAuthenticator } from './auth/authenticate.js';
import { buildJwks } from './keys/jwks.js';
import { createPasswordHasher, type PasswordHasher } from './passwords/hash.js';
import { Limiter } from './passwords/limiter.js';
import { createPermissionAdmin } from './permissions/admin.js';
import { createRevocation, type Revocation } from './revocation/revocation.js';
import { createRevocationSync, type RevocationSync } from './revocation/sync.js';
import { RevocationView } from './revocation/view.js';
import type { Storage } from './storage/ports.js';
import { claimNames } from './tokens/claims.js';
import { createTokenCodec } from './tokens/codec.js';
import { defaultCustomClaims, type CustomClaims, type TokenContext } from './tokens/context.js';
import { issuePair, issueSliding } from './tokens/issue.js';
import { blacklistToken, refreshSliding, refreshTokens } from './tokens/rotate.js';
import { verifyToken } from './tokens/verify.js';
import { createAccounts, type Accounts } from './users/accounts.js';
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
}

/**
 * doorman's domain, wired: accounts, tokens, revocation and authentication over one storage.
 * Knows nothing of HTTP; the Fastify plugin and the CLI both drive this.
 */
export function createDoorman(options: DoormanOptions) {
  const { config, storage } = options;
  const now = options.now ?? Date.now;
  const view = new RevocationView(config.userCacheSize);
  const hasher: PasswordHasher = createPasswordHasher(
    { memoryCost: config.argon2MemoryCost, timeCost: config.argon2TimeCost, parallelism: config.argon2Parallelism },
    new Limiter(config.passwordHashConcurrency, config.passwordHashQueueLimit),
    config.passwordHashPriority,
  );
  const ctx: TokenContext = {
    config,
    names: claimNames(config),
    codec: createTokenCodec(config, now),
    storage,
    view,
    customClaims: options.customClaims ?? defaultCustomClaims,
    now,
  };
  const revocation: Revocation = createRevocation(config, storage, view, now);
  const sync: RevocationSync = createRevocationSync(storage, view, config.revocationPollInterval, now, options.onError ?? (() => {}));
  const accounts: Accounts = createAccounts({
    users: storage.users,
    hasher,
    policy: { validators: config.passwordValidators, minLength: config.passwordMinLength, maxSimilarity: config.passwordMaxSimilarity },
    now,
  });

  return {
    config,
    storage,
    accounts,
    revocation,
    /** Groups and model permissions (Django's auth admin), and each user's cached permission set. */
    permissions: createPermissionAdmin(storage, view, now),
    authenticate: createAuthenticator(ctx),
    keys: {
      /** The public JWKS document: every asymmetric key that verifies now; never a secret or a private part. */
      jwks: () => buildJwks(ctx.codec.keystore, now()),
    },
    tokens: {
      issuePair: (user: User) => issuePair(ctx, user),
      issueSliding: (user: User) => issueSliding(ctx, user),
      refresh: (raw: string) => refreshTokens(ctx, raw),
      refreshSliding: (raw: string) => refreshSliding(ctx, raw),
      blacklist: (raw: string) => blacklistToken(ctx, raw, revocation.revokeSession),
      /**
       * The synchronous hot-path check of a token presented as credentials (one of
       * AUTH_TOKEN_CLASSES): signature, pinned alg, exp, type, jti, session not revoked.
       * `authenticate` adds the user's active/exists check.
       */
      verifyAccess: (raw: string) => verifyToken(ctx, raw, config.authTokenClasses),
      /** Verifies any doorman token (simplejwt UntypedToken) and, for refresh/sliding, that it is not blacklisted. */
      async verify(raw: string) {
        const verified = await verifyToken(ctx, raw, ['access', 'refresh', 'sliding'], { ignoreRevokedSession: true });
        if (verified.sessionId && view.isSessionRevoked(verified.sessionId, now())) return { ...verified, blacklisted: true };
        if (verified.type !== 'access') {
          const stored = await storage.tokens.find(verified.jti);
          if (stored?.revokedAt) return { ...verified, blacklisted: true };
        }
        return { ...verified, blacklisted: false };
      },
    },
    /** Loads revocations and starts following other processes' changes. */
    start: () => sync.start(),
    /** Applies other processes' changes now (tests; the timer does it every revocationPollInterval). */
    syncRevocations: () => sync.poll(),
    async close() {
      sync.stop();
      await hasher.close();
    },
  };
}

export type Doorman = ReturnType<typeof createDoorman>;
