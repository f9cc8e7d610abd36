/**
 * The JWT algorithms, in one place: what doorman signs with (the `algorithm` setting and the
 * keystore), and what a JWKS may vouch for. Dependency-free: `tokens/`, `config/` and the
 * standalone `doorman/verify` entry all read it.
 */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/**
 * The algorithms a JWKS may vouch for: asymmetric only. A JWKS never holds a shared secret,
 * and allowing HS* there would let a token name a public key and be "verified" with it as an
 * HMAC secret. `Ed25519` is EdDSA's fully-specified name (RFC 9864), which other issuers use.
 */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = [
  ...JWT_ALGORITHMS.filter((alg) => !alg.startsWith('HS')),
  'Ed25519',
];

/** Minimum HMAC key size: the hash output size (RFC 7518 §3.2). */
export const HS_MIN_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };
