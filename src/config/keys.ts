import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JwtAlgorithm } from './schema.js';

/** Minimum HMAC key size: the hash output size (RFC 7518 §3.2). */
const HS_MIN_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

export function isSymmetric(alg: JwtAlgorithm): boolean {
  return alg.startsWith('HS');
}

/** The asymmetric key type (and curve) each algorithm needs (RFC 7518 §3.3-3.5, RFC 8037). */
function expectedKey(alg: JwtAlgorithm): { type: string[]; curve?: string } {
  if (alg.startsWith('RS')) return { type: ['rsa'] };
  if (alg.startsWith('PS')) return { type: ['rsa', 'rsa-pss'] };
  if (alg === 'ES256') return { type: ['ec'], curve: 'prime256v1' };
  if (alg === 'ES384') return { type: ['ec'], curve: 'secp384r1' };
  if (alg === 'ES512') return { type: ['ec'], curve: 'secp521r1' };
  return { type: ['ed25519'] };
}

/** Why `key` cannot be used with `alg`, or null when it can. */
export function keyProblem(alg: JwtAlgorithm, key: string, role: 'signing' | 'verifying'): string | null {
  if (isSymmetric(alg)) {
    const min = HS_MIN_BYTES[alg]!;
    if (key.includes('-----BEGIN')) return `${alg} takes a shared secret, not a PEM key`;
    if (Buffer.byteLength(key) < min) return `${alg} needs a secret of at least ${min} bytes (RFC 7518 §3.2); got ${Buffer.byteLength(key)}`;
    if (new Set(key).size < 8) return 'the secret is too repetitive to be random';
    return null;
  }
  let object: KeyObject;
  try {
    object = role === 'signing' ? createPrivateKey(key) : createPublicKey(key);
  } catch {
    return `${alg} needs a PEM ${role === 'signing' ? 'private' : 'public'} key`;
  }
  const want = expectedKey(alg);
  if (!want.type.includes(object.asymmetricKeyType ?? '')) return `${alg} needs a ${want.type[0]} key, got ${object.asymmetricKeyType}`;
  if (want.curve && object.asymmetricKeyDetails?.namedCurve !== want.curve) return `${alg} needs curve ${want.curve}, got ${object.asymmetricKeyDetails?.namedCurve}`;
  if (want.type[0] === 'rsa' && (object.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return `${alg} needs an RSA key of at least 2048 bits`;
  return null;
}

/** A fresh key for development: 64 random bytes (base64url) for HS*, a PEM private key otherwise. */
export function generateSigningKey(alg: JwtAlgorithm): string {
  if (isSymmetric(alg)) return randomBytes(64).toString('base64url');
  const { privateKey } = alg.startsWith('RS') || alg.startsWith('PS')
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : alg.startsWith('ES')
      ? generateKeyPairSync('ec', { namedCurve: expectedKey(alg).curve! })
      : generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Development only: read the persisted key for `alg`, or generate one and persist it (0600),
 * so restarts keep tokens valid and no key is ever hard-coded in the source.
 */
export function loadOrCreateDevKey(file: string, alg: JwtAlgorithm): string {
  const path = `${file}.${alg}`;
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const key = generateSigningKey(alg);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, key + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}

/** The PEM public key of a PEM private key. */
export function publicKeyOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}
