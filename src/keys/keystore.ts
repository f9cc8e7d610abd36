import type { JsonWebKey } from 'node:crypto';
import type { JwtAlgorithm } from './algorithms.js';
import type { KeyStatus } from './keystore-file.js';
import type { KeyBytes } from './material.js';
import { ConfigError } from '../config/error.js';

/**
 * One usable key, resolved at start-up from SIGNING_KEY / VERIFYING_KEY (one key) or from
 * the keystore file (any number). Pinned to one algorithm: a token is verified only with the
 * algorithm of the key its kid names (RFC 8725 §3.1: never trust the header's alg alone).
 */
export interface KeySpec {
  /** null for the single shared-secret key, whose tokens carry no kid (as before keystores). */
  kid: string | null;
  alg: JwtAlgorithm;
  status: KeyStatus;
  /** When it was retired, epoch ms; null while it is active or next. */
  retiredAt: number | null;
  /** Private key or secret; only the active key needs one. */
  sign: KeyBytes | null;
  verify: KeyBytes;
  /** Public JWK for JWKS; null for secrets, which are never published. */
  publicJwk: JsonWebKey | null;
}

/**
 * The keys of a running doorman: the first (active) signs, all verify by kid (fastify-cookie's
 * signer: first signs, all verify). Built once; nothing here touches the file again.
 */
export interface Keystore {
  readonly signing: KeySpec;
  /** Whether tokens carry a kid (any asymmetric key, or a keystore file). */
  readonly usesKid: boolean;
  /** The key for a kid, or undefined: unknown, or retired longer than the longest token lifetime. */
  find(kid: string, nowMs: number): KeySpec | undefined;
  /** Every key that verifies at `nowMs`, the active one first. */
  verifying(nowMs: number): KeySpec[];
}

/**
 * @param maxLifetimeSeconds the longest a token can be accepted after it was signed (the
 *   longest lifetime, sliding refresh lifetime included, plus leeway): how long a retired
 *   key keeps verifying.
 *
 * @example
 * const keystore = createKeystore(config.keys, 86400);
 * keystore.find(header.kid, Date.now())?.alg;
 */
export function createKeystore(keys: readonly KeySpec[], maxLifetimeSeconds: number): Keystore {
  if (keys.length === 0) {
    throw new ConfigError(
      'DOORMAN_SIGNING_KEY',
      'no key is loaded: set one, or (outside production) pass the config through ensureDevKeys(config) to create the development key, as openDoorman and the server do',
    );
  }
  const signing = keys.find((k) => k.status === 'active');
  if (!signing?.sign) throw new TypeError('the keystore has no active signing key');
  const byKid = new Map(keys.filter((k) => k.kid !== null).map((k) => [k.kid!, k]));
  const live = (key: KeySpec, nowMs: number) =>
    key.retiredAt === null || nowMs < key.retiredAt + maxLifetimeSeconds * 1000;
  return {
    signing,
    usesKid: signing.kid !== null,
    find(kid, nowMs) {
      const key = byKid.get(kid);
      return key && live(key, nowMs) ? key : undefined;
    },
    verifying: (nowMs) => [signing, ...keys.filter((k) => k !== signing && live(k, nowMs))],
  };
}

/** The longest time after signing that any doorman token can still be accepted, in seconds. */
export function longestTokenLifetime(config: {
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  slidingTokenLifetime: number;
  slidingTokenRefreshLifetime: number;
  leeway: number;
}): number {
  return (
    Math.max(
      config.accessTokenLifetime,
      config.refreshTokenLifetime,
      config.slidingTokenLifetime,
      config.slidingTokenRefreshLifetime,
    ) + config.leeway
  );
}
