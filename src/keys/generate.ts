import { generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JwtAlgorithm } from './algorithms.js';
import { expectedKey, isSymmetric, jwkThumbprint } from './material.js';

/** A freshly generated private key (or secret) as a JWK, with the kid it will be published under. */
export interface GeneratedKey {
  kid: string;
  alg: JwtAlgorithm;
  /** The private JWK (kty oct for HS*), with `kid`, `alg` and `use` set. */
  jwk: JsonWebKey;
}

/** A new private key for an asymmetric `alg`: RSA 2048 for RS/PS, the algorithm's curve for ES, Ed25519 for EdDSA. */
export function generatePrivateKey(alg: JwtAlgorithm): KeyObject {
  if (alg.startsWith('RS') || alg.startsWith('PS'))
    return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  if (alg.startsWith('ES')) return generateKeyPairSync('ec', { namedCurve: expectedKey(alg).curve! }).privateKey;
  return generateKeyPairSync('ed25519').privateKey;
}

/**
 * Generates a key for `alg`: 64 random bytes for HS* (enough for HS512, RFC 7518 §3.2), RSA
 * 2048 bits for RS/PS (RFC 7518 §3.3), the algorithm's curve for ES*, Ed25519 for EdDSA
 * (RFC 8037). The kid of an asymmetric key is its RFC 7638 thumbprint; a secret gets a random
 * kid, so nothing about the secret is derivable from the header.
 *
 * @example
 * const { kid, jwk } = generateKey('ES256');
 */
export function generateKey(alg: JwtAlgorithm): GeneratedKey {
  if (isSymmetric(alg)) {
    const kid = randomBytes(16).toString('base64url');
    return { kid, alg, jwk: { kty: 'oct', k: randomBytes(64).toString('base64url'), kid, alg, use: 'sig' } };
  }
  const jwk = generatePrivateKey(alg).export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  return { kid, alg, jwk: { ...jwk, kid, alg, use: 'sig' } };
}
