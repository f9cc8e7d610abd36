import { createVerifier as createFastVerifier, TokenError } from 'fast-jwt';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { ASYMMETRIC_ALGORITHMS, HS_MIN_BYTES } from '../tokens/rules.js';
import { invalidToken } from './errors.js';

/** Checks signature, pinned algorithm, exp (required), nbf, aud, iss; returns the payload or throws token_not_valid. */
export type SignatureCheck = (token: string) => Promise<Record<string, unknown>>;

export interface ClaimRules {
  algorithms: string[];
  audience?: string | string[];
  issuer?: string | string[];
  /** Seconds of clock skew allowed on exp/nbf (simplejwt's LEEWAY). */
  leeway: number;
}

/**
 * A shared HS secret, checked with fast-jwt (synchronous, the fast path). RFC 7518 §3.2: the
 * key must be at least as long as the hash.
 */
export function secretCheck(secret: string | Uint8Array, rules: ClaimRules): SignatureCheck {
  for (const alg of rules.algorithms) {
    const min = HS_MIN_BYTES[alg];
    if (min === undefined)
      throw new TypeError(`a shared secret verifies HS256/384/512 only, not ${alg}; use jwksUrl for asymmetric keys`);
    const length = typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength;
    if (length < min) throw new TypeError(`the secret must be at least ${min} bytes for ${alg} (RFC 7518 §3.2)`);
  }
  const verify = createFastVerifier({
    key: typeof secret === 'string' ? secret : Buffer.from(secret),
    algorithms: rules.algorithms as never,
    requiredClaims: ['exp'],
    clockTolerance: rules.leeway * 1000,
    cache: 10_000,
    ...(rules.audience ? { allowedAud: rules.audience } : {}),
    ...(rules.issuer ? { allowedIss: rules.issuer } : {}),
  });
  return async (token) => {
    try {
      const payload = verify(token) as unknown;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        throw invalidToken('Token is invalid');
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof TokenError && error.code === TokenError.codes.expired)
        throw invalidToken('Token is expired', error);
      throw invalidToken('Token is invalid', error);
    }
  };
}

export interface JwksOptions {
  /** Minimum time between two fetches triggered by an unknown kid (default 30 s): the refetch bound. */
  cooldownMs?: number;
  /** How long fetched keys are trusted before a refetch (default 10 min). */
  cacheMaxAgeMs?: number;
  /** Fetch timeout (default 5 s). */
  timeoutMs?: number;
}

/** Asymmetric algorithms (the one list, keys/algorithms.ts); HS is never accepted from a JWKS (no alg confusion). */
export const ASYMMETRIC: readonly string[] = ASYMMETRIC_ALGORITHMS;

/**
 * Keys from a JWKS URL (doorman's /.well-known/jwks.json), with jose's remote key set: cached,
 * refetched when a token names a kid it has not seen, at most once per cooldown.
 */
export function jwksCheck(url: string | URL, rules: ClaimRules, options: JwksOptions = {}): SignatureCheck {
  for (const alg of rules.algorithms)
    if (!ASYMMETRIC_ALGORITHMS.includes(alg))
      throw new TypeError(`a JWKS verifies asymmetric algorithms only, not ${alg}`);
  const keys = createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    timeoutDuration: options.timeoutMs ?? 5_000,
  });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: rules.algorithms,
        requiredClaims: ['exp'],
        clockTolerance: rules.leeway,
        ...(rules.audience ? { audience: rules.audience } : {}),
        ...(rules.issuer ? { issuer: rules.issuer } : {}),
      });
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw invalidToken('Token is expired', error);
      throw invalidToken('Token is invalid', error);
    }
  };
}
