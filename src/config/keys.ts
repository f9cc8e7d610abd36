import { createPublicKey, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatePrivateKey } from '../keys/generate.js';
import { importKey, isSymmetric, KeyProblem } from '../keys/material.js';
import type { JwtAlgorithm } from './schema.js';

export { isSymmetric };

/** Why `key` (PEM or JWK text) cannot be used with `alg`, or null when it can. */
export function keyProblem(alg: JwtAlgorithm, key: string, role: 'signing' | 'verifying'): string | null {
  try {
    importKey(alg, key, role);
    return null;
  } catch (error) {
    if (error instanceof KeyProblem) return error.message;
    throw error;
  }
}

/** A fresh key for development: 64 random bytes (base64url) for HS*, a PEM private key otherwise. */
export function generateSigningKey(alg: JwtAlgorithm): string {
  if (isSymmetric(alg)) return randomBytes(64).toString('base64url');
  return generatePrivateKey(alg).export({ type: 'pkcs8', format: 'pem' }).toString();
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
