import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export interface IdTokenChecks {
  issuer: string;
  /** Our client id first, then any others allowed (mobile apps' client ids). */
  audiences: string[];
  jwksUri: string;
  /** When the client sent a nonce, the token must carry exactly it. */
  nonce?: string | undefined;
}

/**
 * An id_token handed to us by a client (not fetched by us from the token endpoint over TLS),
 * so its signature matters (OIDC Core §3.1.3.7): the provider's keys from its jwks_uri, the
 * asymmetric algorithms only, iss, aud one of our client ids, exp/iat; azp when there are
 * several audiences; and the nonce when one is given.
 */
export async function verifyIdToken(token: string, checks: IdTokenChecks): Promise<JWTPayload> {
  let keys = keySets.get(checks.jwksUri);
  if (!keys) keySets.set(checks.jwksUri, (keys = createRemoteJWKSet(new URL(checks.jwksUri))));
  const { payload } = await jwtVerify(token, keys, {
    issuer: checks.issuer,
    audience: checks.audiences,
    algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
    requiredClaims: ['sub', 'exp', 'iat'],
  });
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && !checks.audiences.includes(String(payload.azp)))
    throw new Error('azp is not one of our client ids');
  if (checks.nonce !== undefined && payload.nonce !== checks.nonce) throw new Error('nonce mismatch');
  return payload;
}
