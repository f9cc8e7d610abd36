import type { JsonWebKey } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../config/error.js';
import { envName } from '../config/schema.js';
import type { JwtAlgorithm } from './algorithms.js';
import type { KeySpec } from './keystore.js';
import { readKeystore } from './keystore-file.js';
import { importKey, isSymmetric, jwkThumbprint, KeyProblem } from './material.js';

/**
 * Key resolution: from the key settings to checked, imported keys. It reads files and never
 * writes one; a development key that does not exist yet is made by {@link ensureDevKeys}
 * (keys/dev.ts), an explicit start-up step.
 */

/** The settings that say where the keys are (a loaded config carries them). */
export interface KeySettings {
  environment: 'development' | 'production' | 'test';
  algorithm: JwtAlgorithm;
  signingKey: string | null;
  verifyingKey: string | null;
  signingKeyFile: string | null;
  verifyingKeyFile: string | null;
  keystoreFile: string | null;
  devKeyFile: string;
}

/** What resolution adds to the settings: every key, and the active one's algorithm and text. */
export interface ResolvedKeys {
  keys: KeySpec[];
  algorithm: JwtAlgorithm;
  signingKey: string;
  /** The single key's public half as configured or derived (PEM or JWK text); null for HS* and keystores. */
  verifyingKey: string | null;
  /** Where the keys came from, for the start-up line: a setting's name or a path, never key material. */
  keySource: string;
}

/** Where development mode keeps the generated key for `alg` (one file per algorithm). */
export function devKeyPath(devKeyFile: string, alg: JwtAlgorithm): string {
  return `${devKeyFile}.${alg}`;
}

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

/** The PEM public key of a PEM private key. */
function publicKeyOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}

/** The public members of a JWK (drops d, p, q, ...), so node imports it as a public key. */
function publicOnly(jwk: JsonWebKey): JsonWebKey {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, n, e, x, y }).filter(([, v]) => v !== undefined)) as JsonWebKey;
}

/** SIGNING_KEY or SIGNING_KEY_FILE (never both); the same for the verifying key. */
function readKeySetting(s: KeySettings, key: 'signingKey' | 'verifyingKey'): string | null {
  const fileKey = `${key}File` as const;
  const file = s[fileKey];
  if (file === null) return s[key];
  if (s[key] != null) throw new ConfigError(envName(fileKey), `set ${envName(key)} or ${envName(fileKey)}, not both`);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      envName(fileKey),
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/** One key from SIGNING_KEY / VERIFYING_KEY (as before keystores); asymmetric keys get their RFC 7638 thumbprint as kid. */
function resolveSingleKey(s: KeySettings): ResolvedKeys | null {
  const alg = s.algorithm;
  let source = s.signingKeyFile !== null ? `${envName('signingKeyFile')} ${s.signingKeyFile}` : envName('signingKey');
  let signingText = readKeySetting(s, 'signingKey');
  let verifyingText = readKeySetting(s, 'verifyingKey');
  if (signingText == null) {
    if (s.environment === 'production') {
      throw new ConfigError(
        envName('signingKey'),
        isSymmetric(alg)
          ? "required in production. Generate one with: node -e \"console.log(require('crypto').randomBytes(64).toString('base64url'))\""
          : `required in production: a PEM private key for ${alg}, or a keystore (${envName('keystoreFile')}; npx doorman keys generate --algorithm ${alg})`,
      );
    }
    const path = devKeyPath(s.devKeyFile, alg);
    if (!existsSync(path)) return null;
    signingText = readFileSync(path, 'utf8').trim();
    source = `development key ${path}`;
  }
  const problem = keyProblem(alg, signingText, 'signing');
  if (problem)
    throw new ConfigError(
      envName('signingKey'),
      `${problem}. Generate a strong key, or change ${envName('algorithm')}.`,
    );
  const signing = importKey(alg, signingText, 'signing');
  if (isSymmetric(alg)) {
    if (verifyingText != null)
      throw new ConfigError(envName('verifyingKey'), `${alg} verifies with the signing key; leave VERIFYING_KEY unset`);
    return {
      algorithm: alg,
      signingKey: signingText,
      verifyingKey: null,
      keySource: `${source} (${alg})`,
      keys: [
        { kid: null, alg, status: 'active', retiredAt: null, sign: signing.key, verify: signing.key, publicJwk: null },
      ],
    };
  }
  verifyingText ??= publicKeyOf(signing.key as string);
  const verifyProblem = keyProblem(alg, verifyingText, 'verifying');
  if (verifyProblem) throw new ConfigError(envName('verifyingKey'), verifyProblem);
  const verifying = importKey(alg, verifyingText, 'verifying');
  if (JSON.stringify(verifying.publicJwk) !== JSON.stringify(signing.publicJwk)) {
    throw new ConfigError(
      envName('verifyingKey'),
      'is not the public half of the signing key; leave it unset to derive it',
    );
  }
  const kid = jwkThumbprint(verifying.publicJwk!);
  return {
    algorithm: alg,
    signingKey: signingText,
    verifyingKey: verifyingText,
    keySource: `${source} (${alg})`,
    keys: [
      {
        kid,
        alg,
        status: 'active',
        retiredAt: null,
        sign: signing.key,
        verify: verifying.key,
        publicJwk: verifying.publicJwk,
      },
    ],
  };
}

/** Every key of the keystore file, each checked against its own alg. */
function resolveKeystore(s: KeySettings & { keystoreFile: string }): ResolvedKeys | null {
  const name = envName('keystoreFile');
  const path = s.keystoreFile;
  for (const other of ['signingKey', 'signingKeyFile', 'verifyingKey', 'verifyingKeyFile'] as const) {
    if (s[other] != null) throw new ConfigError(name, `replaces ${envName(other)}; unset one of them`);
  }
  if (!existsSync(path)) {
    if (s.environment === 'production')
      throw new ConfigError(
        name,
        `${path} does not exist; create it with: npx doorman keys generate --algorithm ${s.algorithm}`,
      );
    return null;
  }
  let document;
  try {
    document = readKeystore(path);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
  const keys = document.keys.map((stored): KeySpec => {
    try {
      const role = stored.status === 'active' ? 'signing' : 'verifying';
      const priv = 'd' in stored.jwk || stored.jwk.kty === 'oct';
      const signing = priv ? importKey(stored.alg, stored.jwk, 'signing') : null;
      if (role === 'signing' && !signing) throw new KeyProblem('the active key needs its private part');
      const { key: verify, publicJwk } = isSymmetric(stored.alg)
        ? signing!
        : importKey(stored.alg, publicOnly(stored.jwk), 'verifying');
      const retiredAt = stored.retiredAt === null ? null : Date.parse(stored.retiredAt);
      return {
        kid: stored.kid,
        alg: stored.alg,
        status: stored.status,
        retiredAt,
        sign: role === 'signing' ? signing!.key : null,
        verify,
        publicJwk,
      };
    } catch (error) {
      throw new ConfigError(name, `key "${stored.kid}": ${(error as Error).message}`);
    }
  });
  const active = document.keys.find((k) => k.status === 'active')!;
  const keySource = `keystore ${path} (active ${active.kid}, ${active.alg}; ${keys.length} key${keys.length === 1 ? '' : 's'})`;
  return { keys, algorithm: active.alg, signingKey: JSON.stringify(active.jwk), verifyingKey: null, keySource };
}

/**
 * The keys the settings name: a keystore (KEYSTORE_FILE) or one key (SIGNING_KEY[_FILE], or the
 * persisted development key). null when, outside production, the development key or keystore
 * does not exist yet: {@link ensureDevKeys} creates it. Bad keys throw a ConfigError naming the setting.
 */
export function resolveKeys(settings: KeySettings): ResolvedKeys | null {
  if (settings.keystoreFile != null) return resolveKeystore(settings as KeySettings & { keystoreFile: string });
  return resolveSingleKey(settings);
}
