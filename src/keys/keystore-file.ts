import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { JsonWebKey } from 'node:crypto';
import { dirname } from 'node:path';
import { JWT_ALGORITHMS, type JwtAlgorithm } from './algorithms.js';
import { generateKey } from './generate.js';

/**
 * The keystore on disk: a JSON file of private JWKs, written 0600.
 *
 * Why a file and not a database table: the keys are needed before the database is opened
 * (config is validated at start-up and names the bad setting), private keys do not belong in
 * database dumps and replicas, and a file is what secret managers mount (Kubernetes secrets,
 * Docker secrets, Vault agent). Several instances share one keystore by sharing the file.
 *
 * - `active`: signs; exactly one.
 * - `next`: generated ahead of a rotation; verifies and is published, does not sign yet, so
 *   every instance and every JWKS cache learns it before the first token it signs exists.
 * - `retired`: signed before; verifies until `retiredAt` + the longest token lifetime.
 */
export type KeyStatus = 'active' | 'next' | 'retired';

export interface StoredKey {
  kid: string;
  alg: JwtAlgorithm;
  status: KeyStatus;
  createdAt: string;
  retiredAt: string | null;
  jwk: JsonWebKey;
}

export interface KeystoreDocument {
  keys: StoredKey[];
}

const STATUSES = new Set<string>(['active', 'next', 'retired']);

function checkKey(raw: unknown, index: number): StoredKey {
  const key = raw as Partial<StoredKey> | null;
  const where = `keys[${index}]`;
  if (!key || typeof key !== 'object') throw new Error(`${where} is not an object`);
  if (typeof key.kid !== 'string' || key.kid === '') throw new Error(`${where} has no kid`);
  if (!(JWT_ALGORITHMS as readonly string[]).includes(key.alg as string))
    throw new Error(`key "${key.kid}" has an unknown alg`);
  if (!STATUSES.has(key.status as string)) throw new Error(`key "${key.kid}" has an unknown status`);
  if (!key.jwk || typeof key.jwk !== 'object') throw new Error(`key "${key.kid}" has no jwk`);
  if (key.status === 'retired' && (typeof key.retiredAt !== 'string' || Number.isNaN(Date.parse(key.retiredAt)))) {
    throw new Error(`retired key "${key.kid}" has no valid retiredAt`);
  }
  return {
    kid: key.kid,
    alg: key.alg!,
    status: key.status!,
    createdAt: String(key.createdAt ?? ''),
    retiredAt: key.retiredAt ?? null,
    jwk: key.jwk,
  };
}

/** Checks the document's shape: unique kids and exactly one active key. */
export function checkKeystore(raw: unknown): KeystoreDocument {
  const keys = (raw as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('expected {"keys": [...]}');
  const checked = keys.map(checkKey);
  const kids = new Set(checked.map((k) => k.kid));
  if (kids.size !== checked.length) throw new Error('two keys share a kid');
  const active = checked.filter((k) => k.status === 'active').length;
  if (active !== 1) throw new Error(`expected exactly one active key, found ${active}`);
  return { keys: checked };
}

export function readKeystore(path: string): KeystoreDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path} as JSON (${(error as Error).message})`);
  }
  return checkKeystore(raw);
}

/** Writes atomically (temporary file, then rename) with mode 0600: a crash never leaves half a keystore. */
export function writeKeystore(path: string, document: KeystoreDocument): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(document, null, 2) + '\n', { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** A new key record; `active` when the keystore has none yet, `next` otherwise. */
export function newStoredKey(alg: JwtAlgorithm, status: KeyStatus, now: Date): StoredKey {
  const { kid, jwk } = generateKey(alg);
  return { kid, alg, status, createdAt: now.toISOString(), retiredAt: null, jwk };
}
