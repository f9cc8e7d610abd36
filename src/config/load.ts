import { readFileSync } from 'node:fs';
import { resolveKeys, type KeySettings } from '../keys/resolve.js';
import { ConfigError } from './error.js';
import { envName, MODES, SETTINGS, type Config, type ConfigInput, type SettingKey } from './schema.js';
import type { Rate } from '../throttle/rate.js';
import { productionProblem, type ProductionView } from './production.js';

export { ConfigError };

/** simplejwt names (and dj-rest-auth's) → doorman keys. */
const SIMPLEJWT_NAMES = new Map<string, SettingKey>(
  Object.entries(SETTINGS).flatMap(([key, spec]) =>
    'simplejwt' in spec && spec.simplejwt ? [[spec.simplejwt, key as SettingKey]] : [],
  ),
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
   * false: do not read or check any key (`keys` is empty). For `doorman keys`, which manages
   * the keystore file itself and must work before the file exists.
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
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError('DOORMAN_CONFIG', `${path} must hold a JSON object`);
  const { SIMPLE_JWT: simple, ...rest } = raw as Record<string, unknown>;
  const input: Record<string, unknown> = { ...rest };
  if (simple !== undefined) {
    if (!simple || typeof simple !== 'object') throw new ConfigError('SIMPLE_JWT', 'must be an object');
    for (const [name, value] of Object.entries(simple)) {
      if (UNSUPPORTED_SIMPLEJWT[name])
        throw new ConfigError(`SIMPLE_JWT.${name}`, `not supported: ${UNSUPPORTED_SIMPLEJWT[name]}`);
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
  if (input.environment === undefined && env.NODE_ENV) {
    // A mode doorman does not know (NODE_ENV=prod, staging) must not quietly run as development
    // with a generated key: it is refused, naming the variable it came from.
    if (!(MODES as readonly string[]).includes(env.NODE_ENV))
      throw new ConfigError(
        'NODE_ENV',
        `"${env.NODE_ENV}" is not a mode: expected ${MODES.join(', ')} (or set ${envName('environment')})`,
      );
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

/**
 * Mail in production: links must point at the real front end (never a localhost default, never
 * the Host header), and mandatory or optional verification cannot work without a mail server.
 */
function checkMail(c: Record<string, unknown>): void {
  if (c.environment !== 'production') return;
  if (c.emailVerification !== 'none' && c.mailUrl == null) {
    throw new ConfigError(
      envName('mailUrl'),
      `emailVerification=${String(c.emailVerification)} needs a mail server in production`,
    );
  }
  if (c.mailUrl == null) return;
  if (c.passwordResetUrl == null)
    throw new ConfigError(
      envName('passwordResetUrl'),
      'required in production when mail is configured (the link in reset mails)',
    );
  if (c.emailVerification !== 'none' && c.emailConfirmUrl == null) {
    throw new ConfigError(
      envName('emailConfirmUrl'),
      'required in production when emailVerification is not none (the link in verification mails)',
    );
  }
}

function checkCookies(c: Record<string, unknown>): void {
  if (c.cookieSameSite === 'None' && c.cookieSecure !== true) {
    throw new ConfigError(
      envName('cookieSameSite'),
      'SameSite=None cookies must be Secure (browsers drop them otherwise); turn cookieSecure on',
    );
  }
  if (c.refreshCookie != null && c.authCookie == null)
    throw new ConfigError(
      envName('authCookie'),
      `cookie mode needs the access cookie name too (${envName('refreshCookie')} is set)`,
    );
  if (c.corsCredentials === true && (c.corsOrigins as string[]).includes('*')) {
    throw new ConfigError(
      envName('corsOrigins'),
      'a wildcard origin with credentials would let any site act as the user; list the origins',
    );
  }
}

/**
 * One address must never be able to exhaust an account's failure limit on its own (the owner
 * would be locked out by a single attacker): within one account window an address adds at
 * most its pair limit per pair window (plus one window of overlap), so the account limit must
 * be larger than that. See throttle/login-guard.ts.
 */
function checkThrottle(c: Record<string, unknown>): void {
  if (c.throttle !== true) return;
  const pair = c.throttleLoginPair as Rate;
  const account = c.throttleLoginAccount as Rate;
  const oneAddress = pair.points * (Math.ceil(account.duration / pair.duration) + 1);
  if (account.points <= oneAddress) {
    throw new ConfigError(
      envName('throttleLoginAccount'),
      `must allow more than ${oneAddress} failures per window (what one address can add under ${envName('throttleLoginPair')}); otherwise one attacker could lock the owner out`,
    );
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
    if (!KEY_SETTINGS.has(key))
      throw new ConfigError(key, `unknown setting in ${env.DOORMAN_CONFIG} (see docs/settings.md)`);
  }
  const config = parseAll({ ...file, ...fromEnv(env), ...overrides });
  // Key files are read here, never written: a development key still to be made leaves `keys`
  // empty until ensureDevKeys (keys/dev.ts) creates it at start-up.
  const resolved = options.keys === false ? null : resolveKeys(config as unknown as KeySettings);
  Object.assign(config, resolved ?? { keys: [], keySource: '' });
  checkCookies(config);
  checkThrottle(config);
  if (options.keys !== false) {
    const problem = productionProblem(config as unknown as ProductionView);
    if (problem) throw new ConfigError(envName(problem[0]), problem[1]);
  }
  if (
    (config.requestTimeout as number) < 1 ||
    (config.headersTimeout as number) < 1 ||
    (config.headersTimeout as number) > (config.requestTimeout as number)
  ) {
    throw new ConfigError(envName('headersTimeout'), `must be at least 1s and at most ${envName('requestTimeout')}`);
  }
  checkMail(config);
  return Object.freeze(config) as Config;
}
