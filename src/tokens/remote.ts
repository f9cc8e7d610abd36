import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { Config } from '../config/schema.js';
import { ASYMMETRIC_ALGORITHMS } from '../keys/algorithms.js';
import type { Decoded } from './rules.js';

/**
 * simplejwt's JWK_URL: tokens signed elsewhere, verified with the issuer's published keys.
 * jose fetches the JWKS, caches it for `jwkCacheMaxAge`, refetches when a kid is unknown (a
 * key added after the last fetch) but at most once per `jwkRefetchCooldown`, so a flood of
 * tokens with made-up kids cannot turn doorman into a fetch amplifier. jose runs on the
 * libuv pool and is slower than fast-jwt, so it is used only for kids that are not ours.
 * The same checks as for our own tokens: exp required, aud/iss when set, leeway.
 *
 * An expired remote token is refused even where ours are decoded regardless of expiry
 * (sliding refresh): a remote token is never refreshed here.
 */
export function createRemoteVerifier(config: Config): (token: string) => Promise<Decoded> {
  const jwks = createRemoteJWKSet(new URL(config.jwkUrl!), {
    cacheMaxAge: config.jwkCacheMaxAge * 1000,
    cooldownDuration: config.jwkRefetchCooldown * 1000,
    timeoutDuration: 5000,
  });
  const options = {
    // Asymmetric only: a remote JWKS never holds a shared secret (no algorithm confusion).
    algorithms: [...ASYMMETRIC_ALGORITHMS],
    requiredClaims: ['exp'],
    clockTolerance: config.leeway,
    ...(config.audience ? { audience: config.audience } : {}),
    ...(config.issuer ? { issuer: config.issuer } : {}),
  };
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, options);
      return { ok: true, payload: payload as Record<string, unknown> };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      return {
        ok: false,
        reason: error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' ? 'no_exp' : 'invalid',
      };
    }
  };
}
