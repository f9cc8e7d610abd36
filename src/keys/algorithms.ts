/**
 * The JWT algorithms doorman signs and verifies with (RFC 7518 names; EdDSA is Ed25519).
 * The one list: settings, the keystore file and the CLI read it from here.
 */
export const JWT_ALGORITHMS = [
  'HS256', 'HS384', 'HS512',
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
