import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config/error.js';
import type { Config } from '../config/schema.js';
import type { JwtAlgorithm } from './algorithms.js';
import { generatePrivateKey } from './generate.js';
import { writeKeystore } from './keystore-file.js';
import { isSymmetric } from './material.js';
import { devKeyPath, resolveKeys } from './resolve.js';
import { initialKeystore } from './rotation.js';

/** A fresh key for development: 64 random bytes (base64url) for HS*, a PEM private key otherwise. */
function generateSigningKey(alg: JwtAlgorithm): string {
  if (isSymmetric(alg)) return randomBytes(64).toString('base64url');
  return generatePrivateKey(alg).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Writes `key` to `path` (mode 0600, its folder 0700), never over an existing file. */
function writeDevKey(path: string, key: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, key + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

/**
 * The start-up step that creates development keys: when `config` has no key yet (development
 * or test, with no SIGNING_KEY and no key file), it generates the persisted development key
 * (DEV_KEY_FILE.<alg>) or the keystore (KEYSTORE_FILE, one active key of ALGORITHM), so
 * restarts keep tokens valid and no key is ever hard-coded. A config with keys comes back as it
 * is. loadConfig itself writes no file; the server, openDoorman and the CLI call this.
 *
 * @example
 * const config = ensureDevKeys(loadConfig());
 */
export function ensureDevKeys(config: Config): Config {
  if (config.keys.length > 0) return config;
  if (config.environment === 'production')
    throw new ConfigError('DOORMAN_SIGNING_KEY', 'production never generates a key; set one');
  if (config.keystoreFile != null) {
    if (!existsSync(config.keystoreFile))
      writeKeystore(config.keystoreFile, initialKeystore(config.algorithm, new Date()));
  } else {
    const path = devKeyPath(config.devKeyFile, config.algorithm);
    if (!existsSync(path)) writeDevKey(path, generateSigningKey(config.algorithm));
  }
  const resolved = resolveKeys({ ...config, signingKey: null });
  if (!resolved) throw new ConfigError('DOORMAN_DEV_KEY_FILE', 'the development key could not be created');
  return Object.freeze({ ...config, ...resolved });
}
