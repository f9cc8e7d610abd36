import type { JsonWebKey } from 'node:crypto';
import type { Keystore } from './keystore.js';

/** Members of a public JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2); anything else is left out. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;

export interface JwksDocument {
  keys: JsonWebKey[];
}

/**
 * The JWKS document (RFC 7517 §5): the public half of every key that verifies now (active,
 * next and retired-but-still-verifying), each with kid, alg and use. Built from an allow-list
 * of public members, so private parts (d, p, q, dp, dq, qi) and secrets (oct keys are skipped)
 * can never leak, whatever the stored JWK holds.
 *
 * @example
 * reply.send(buildJwks(keystore, Date.now()));
 */
export function buildJwks(keystore: Keystore, nowMs: number): JwksDocument {
  const keys: JsonWebKey[] = [];
  for (const key of keystore.verifying(nowMs)) {
    if (!key.publicJwk || key.kid === null || key.publicJwk.kty === 'oct') continue;
    const jwk: Record<string, unknown> = {};
    for (const member of PUBLIC_MEMBERS) if (key.publicJwk[member] !== undefined) jwk[member] = key.publicJwk[member];
    keys.push({ ...jwk, kid: key.kid, alg: key.alg, use: 'sig' } as JsonWebKey);
  }
  return { keys };
}
