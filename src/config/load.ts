import { readFileSync } from 'node:fs';
import { envName, SETTINGS, type Config, type ConfigInput, type SettingKey } from './schema.js';
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
  JWK_URL: 'remote JWKS verification is not available in this version',
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

function resolveKeys(c: Record<string, unknown>): void {
  const alg = c.algorithm as Config['algorithm'];
  if (c.signingKey == null) {
    if (c.environment === 'production') {
      throw new ConfigError(envName('signingKey'), isSymmetric(alg)
        ? 'required in production. Generate one with: node -e "console.log(require(\'crypto\').randomBytes(64).toString(\'base64url\'))"'
        : `required in production: a PEM private key for ${alg} (npx doorman keys generate --algorithm ${alg})`);
    }
    c.signingKey = loadOrCreateDevKey(c.devKeyFile as string, alg);
  }
  const problem = keyProblem(alg, c.signingKey as string, 'signing');
  if (problem) throw new ConfigError(envName('signingKey'), `${problem}. Generate a strong key, or change ${envName('algorithm')}.`);
  if (isSymmetric(alg)) {
    if (c.verifyingKey != null) throw new ConfigError(envName('verifyingKey'), `${alg} verifies with the signing key; leave VERIFYING_KEY unset`);
    return;
  }
  if (c.verifyingKey == null) c.verifyingKey = publicKeyOf(c.signingKey as string);
  const verifyProblem = keyProblem(alg, c.verifyingKey as string, 'verifying');
  if (verifyProblem) throw new ConfigError(envName('verifyingKey'), verifyProblem);
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
  resolveKeys(config);
  return Object.freeze(config) as Config;
}
