import type { JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { KeySpec } from '../keys/keystore.js';
import { readKeystore, writeKeystore } from '../keys/keystore-file.js';
import { importKey, jwkThumbprint, KeyProblem } from '../keys/material.js';
import { initialKeystore } from '../keys/rotation.js';
import { envName, SETTINGS, type Config, type ConfigInput, type JwtAlgorithm, type SettingKey } from './schema.js';
import { isSymmetric, keyProblem, loadOrCreateDevKey, publicKeyOf } from './keys.js';

/** A configuration mistake found at start-up. `key` names the setting; the message says how to fix it. */
export class ConfigError extends Error {
  constructor(readonly key: string, message: string) {
    super(`${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** simplejwt names (and dj-rest-auth's) → doorman keys. */
const SIMPLEJWT_NAMES = new Map<string, SettingKey>(
  Object.entries(SETTINGS).flatMap(([key, spec]) => ('simplejwt' in spec && spec.simplejwt ? [[spec.simplejwt, key as SettingKey]] : [])),
);

/** simplejwt settings doorman knowingly does not take, and why (like simplejwt's REMOVED_SETTINGS). */
const UNSUPPORTED_SIMPLEJWT: Record<string, string> = {
  TOKEN_USER_CLASS: 'doorman authenticates with its own user view; use the customClaims hook for extra claims',
  USER_AUTHENTICATION_RULE: 'inactive users are always refused',
  TOKEN_OBTAIN_SERIALIZER: 'use the customClaims hook',
  JSON_ENCODER: 'tokens are encoded as plain JSON',
};

const KEY_SETTINGS = new Set(Object.keys(SETTINGS));

/** DOORMAN_ variables that are not settings: the config file's path and createsuperuser's input (as DJANGO_SUPERUSER_*). */
const NOT_SETTINGS = new Set(['DOORMAN_CONFIG', 'DOORMAN_SUPERUSER_EMAIL', 'DOORMAN_SUPERUSER_PASSWORD']);

export interface LoadConfigOptions {
  /** Environment to read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Values that win over the environment (programmatic use, tests). */
  overrides?: ConfigInput;
  /** Skip the config file named by DOORMAN_CONFIG. */
  ignoreFile?: boolean;
  /**
   * false: do not read, create or check any key (`keys` is empty). For `doorman keys`, which
   * manages the keystore file itself and must work before the file exists.
   */
  keys?: boolean;
}

function fromFile(path: string): ConfigInput {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('DOORMAN_CONFIG', `cannot read ${path} as JSON (${(error as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('DOORMAN_CONFIG', `${path} must hold a JSON object`);
  const { SIMPLE_JWT: simple, ...rest } = raw as Record<string, unknown>;
  const input: Record<string, unknown> = { ...rest };
  if (simple !== undefined) {
    if (!simple || typeof simple !== 'object') throw new ConfigError('SIMPLE_JWT', 'must be an object');
    for (const [name, value] of Object.entries(simple)) {
      if (UNSUPPORTED_SIMPLEJWT[name]) throw new ConfigError(`SIMPLE_JWT.${name}`, `not supported: ${UNSUPPORTED_SIMPLEJWT[name]}`);
      const key = SIMPLEJWT_NAMES.get(name);
      if (!key) throw new ConfigError(`SIMPLE_JWT.${name}`, 'unknown simplejwt setting (see docs/settings.md)');
      input[key] = value;
    }
  }
  return input;
}

function fromEnv(env: Record<string, string | undefined>): ConfigInput {
  const input: Record<string, unknown> = {};
  const known = new Map(Object.keys(SETTINGS).map((key) => [envName(key), key]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('DOORMAN_') || value === undefined || NOT_SETTINGS.has(name)) continue;
    const key = known.get(name);
    if (!key) throw new ConfigError(name, 'unknown setting (see docs/settings.md for the list)');
    input[key] = value;
  }
  if (input.databaseUrl === undefined && env.DATABASE_URL) input.databaseUrl = env.DATABASE_URL;
  if (input.environment === undefined && env.NODE_ENV && ['development', 'production', 'test'].includes(env.NODE_ENV)) {
    input.environment = env.NODE_ENV;
  }
  return input;
}

function parseAll(input: ConfigInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS)) {
    const value = (input as Record<string, unknown>)[key];
    try {
      out[key] = value === undefined ? spec.default : spec.parse(value);
    } catch (error) {
      throw new ConfigError(envName(key), (error as Error).message);
    }
  }
  return out;
}

/** SIGNING_KEY or SIGNING_KEY_FILE (never both); the same for the verifying key. */
function readKeySetting(c: Record<string, unknown>, key: 'signingKey' | 'verifyingKey'): void {
  const fileKey = `${key}File` as const;
  const file = c[fileKey] as string | null;
  if (file === null) return;
  if (c[key] != null) throw new ConfigError(envName(fileKey), `set ${envName(key)} or ${envName(fileKey)}, not both`);
  try {
    c[key] = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(envName(fileKey), `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** One key from SIGNING_KEY / VERIFYING_KEY (as before keystores); asymmetric keys get their RFC 7638 thumbprint as kid. */
function resolveSingleKey(c: Record<string, unknown>): void {
  const alg = c.algorithm as JwtAlgorithm;
  readKeySetting(c, 'signingKey');
  readKeySetting(c, 'verifyingKey');
  if (c.signingKey == null) {
    if (c.environment === 'production') {
      throw new ConfigError(envName('signingKey'), isSymmetric(alg)
        ? 'required in production. Generate one with: node -e "console.log(require(\'crypto\').randomBytes(64).toString(\'base64url\'))"'
        : `required in production: a PEM private key for ${alg}, or a keystore (${envName('keystoreFile')}; npx doorman keys generate --algorithm ${alg})`);
    }
    c.signingKey = loadOrCreateDevKey(c.devKeyFile as string, alg);
  }
  const problem = keyProblem(alg, c.signingKey as string, 'signing');
  if (problem) throw new ConfigError(envName('signingKey'), `${problem}. Generate a strong key, or change ${envName('algorithm')}.`);
  const signing = importKey(alg, c.signingKey as string, 'signing');
  if (isSymmetric(alg)) {
    if (c.verifyingKey != null) throw new ConfigError(envName('verifyingKey'), `${alg} verifies with the signing key; leave VERIFYING_KEY unset`);
    c.keys = [{ kid: null, alg, status: 'active', retiredAt: null, sign: signing.key, verify: signing.key, publicJwk: null }];
    return;
  }
  if (c.verifyingKey == null) c.verifyingKey = publicKeyOf(signing.key as string);
  const verifyProblem = keyProblem(alg, c.verifyingKey as string, 'verifying');
  if (verifyProblem) throw new ConfigError(envName('verifyingKey'), verifyProblem);
  const verifying = importKey(alg, c.verifyingKey as string, 'verifying');
  if (JSON.stringify(verifying.publicJwk) !== JSON.stringify(signing.publicJwk)) {
    throw new ConfigError(envName('verifyingKey'), 'is not the public half of the signing key; leave it unset to derive it');
  }
  const kid = jwkThumbprint(verifying.publicJwk!);
  c.keys = [{ kid, alg, status: 'active', retiredAt: null, sign: signing.key, verify: verifying.key, publicJwk: verifying.publicJwk }];
}

/** Every key of the keystore file, each checked against its own alg; the file is created outside production. */
function resolveKeystore(c: Record<string, unknown>): void {
  const name = envName('keystoreFile');
  const path = c.keystoreFile as string;
  for (const other of ['signingKey', 'signingKeyFile', 'verifyingKey', 'verifyingKeyFile'] as const) {
    if (c[other] != null) throw new ConfigError(name, `replaces ${envName(other)}; unset one of them`);
  }
  if (!existsSync(path)) {
    if (c.environment === 'production') throw new ConfigError(name, `${path} does not exist; create it with: npx doorman keys generate --algorithm ${c.algorithm as string}`);
    writeKeystore(path, initialKeystore(c.algorithm as JwtAlgorithm, new Date()));
  }
  let document;
  try {
    document = readKeystore(path);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
  c.keys = document.keys.map((stored): KeySpec => {
    try {
      const role = stored.status === 'active' ? 'signing' : 'verifying';
      const priv = 'd' in stored.jwk || stored.jwk.kty === 'oct';
      const signing = priv ? importKey(stored.alg, stored.jwk, 'signing') : null;
      if (role === 'signing' && !signing) throw new KeyProblem('the active key needs its private part');
      const { key: verify, publicJwk } = isSymmetric(stored.alg) ? signing! : importKey(stored.alg, publicOnly(stored.jwk), 'verifying');
      const retiredAt = stored.retiredAt === null ? null : Date.parse(stored.retiredAt);
      return { kid: stored.kid, alg: stored.alg, status: stored.status, retiredAt, sign: role === 'signing' ? signing!.key : null, verify, publicJwk };
    } catch (error) {
      throw new ConfigError(name, `key "${stored.kid}": ${(error as Error).message}`);
    }
  });
  const active = document.keys.find((k) => k.status === 'active')!;
  c.algorithm = active.alg;
  c.signingKey = JSON.stringify(active.jwk);
}

/** The public members of a JWK (drops d, p, q, ...), so node imports it as a public key. */
function publicOnly(jwk: JsonWebKey): JsonWebKey {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, n, e, x, y }).filter(([, v]) => v !== undefined)) as JsonWebKey;
}

function resolveKeys(c: Record<string, unknown>): void {
  if (c.keystoreFile != null) resolveKeystore(c);
  else resolveSingleKey(c);
}

function checkCookies(c: Record<string, unknown>): void {
  if (c.cookieSameSite === 'None' && c.cookieSecure !== true) {
    throw new ConfigError(envName('cookieSameSite'), 'SameSite=None cookies must be Secure (browsers drop them otherwise); turn cookieSecure on');
  }
  if (c.refreshCookie != null && c.authCookie == null) throw new ConfigError(envName('authCookie'), `cookie mode needs the access cookie name too (${envName('refreshCookie')} is set)`);
  if (c.corsCredentials === true && (c.corsOrigins as string[]).includes('*')) {
    throw new ConfigError(envName('corsOrigins'), 'a wildcard origin with credentials would let any site act as the user; list the origins');
  }
}

/**
 * Builds the one validated, frozen Config: defaults < config file (DOORMAN_CONFIG) <
 * environment < overrides. Unknown keys are rejected by name; bad values name the key
 * and what is expected. Called once at start-up, never at import time.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const overrides = options.overrides ?? {};
  for (const key of Object.keys(overrides)) {
    if (!KEY_SETTINGS.has(key)) throw new ConfigError(key, 'unknown setting (see docs/settings.md for the list)');
  }
  const file = !options.ignoreFile && env.DOORMAN_CONFIG ? fromFile(env.DOORMAN_CONFIG) : {};
  for (const key of Object.keys(file)) {
    if (!KEY_SETTINGS.has(key)) throw new ConfigError(key, `unknown setting in ${env.DOORMAN_CONFIG} (see docs/settings.md)`);
  }
  const config = parseAll({ ...file, ...fromEnv(env), ...overrides });
  if (options.keys === false) config.keys = [];
  else resolveKeys(config);
  checkCookies(config);
  return Object.freeze(config) as Config;
}
