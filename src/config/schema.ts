import { JWT_ALGORITHMS, type JwtAlgorithm } from '../keys/algorithms.js';
import type { KeySpec } from '../keys/keystore.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, type DatabaseUrl } from './database-url.js';
import { parseRedirectUris, parseSocialProviders, type SocialProviderSetting } from '../social/settings.js';
import {
  parseBoolean,
  parseDuration,
  parseHost,
  parseInteger,
  parseList,
  parseOneOf,
  parseOptionalString,
  parsePositiveDuration,
  parseString,
} from './parse.js';
import { parseRate } from '../throttle/rate.js';

export { JWT_ALGORITHMS, type JwtAlgorithm };

export const PASSWORD_VALIDATORS = ['user_attribute_similarity', 'minimum_length', 'common', 'numeric'] as const;
export type PasswordValidatorName = (typeof PASSWORD_VALIDATORS)[number];

/** The modes doorman runs in (DOORMAN_ENVIRONMENT, or NODE_ENV when that is unset). */
export const MODES = ['development', 'production', 'test'] as const;

export const TOKEN_KINDS = ['access', 'sliding'] as const;

interface SettingSpec<T> {
  default: T;
  parse: (value: unknown) => T;
  doc: string;
  /** simplejwt's (or dj-rest-auth's) name for the same setting. */
  simplejwt?: string;
  /** How docs/settings.md shows the default, when it is not a plain value. */
  shown?: string;
  /** Settings that hold secrets are never printed. */
  secret?: boolean;
}

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

function parseTokenClasses(value: unknown) {
  const names: Record<string, 'access' | 'sliding'> = {
    access: 'access',
    accesstoken: 'access',
    sliding: 'sliding',
    slidingtoken: 'sliding',
  };
  return parseList(value).map((raw) => {
    const kind = names[raw.split('.').pop()!.toLowerCase()];
    if (!kind) throw new Error(`unknown token class "${raw}": expected access or sliding`);
    return kind;
  });
}

/** Django's "HTTP_AUTHORIZATION" and the plain header name both work. */
function parseHeaderName(value: unknown): string {
  const raw = parseString(value).trim();
  const name = raw.toUpperCase().startsWith('HTTP_') ? raw.slice(5).replaceAll('_', '-') : raw;
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new Error('expected an HTTP header name');
  return name.toLowerCase();
}

/** A cookie name (RFC 6265 §4.1.1 token). */
function parseCookieName(value: unknown): string {
  const name = parseString(value).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error('expected a cookie name (letters, digits, - _ .)');
  return name;
}

function parseOptionalCookieName(value: unknown): string | null {
  const text = parseOptionalString(value);
  return text === null ? null : parseCookieName(text);
}

function parseOptionalUrl(value: unknown): string | null {
  const text = parseOptionalString(value);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('expected an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an http(s) URL');
  return url.href;
}

/** A mail transport URL: smtp://, smtps:// or file:///dir (one .eml file per message). */
function parseMailUrl(value: unknown): string | null {
  const text = parseOptionalString(value);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('expected smtp://user:pass@host:587, smtps://… or file:///path/to/dir');
  }
  if (!['smtp:', 'smtps:', 'file:'].includes(url.protocol)) throw new Error('expected an smtp:, smtps: or file: URL');
  return text;
}

/** A front-end link template: an absolute http(s) URL holding each of `placeholders`. */
function parseLinkTemplate(...placeholders: string[]) {
  return (value: unknown): string | null => {
    const text = parseOptionalString(value);
    if (text === null) return null;
    let url: URL;
    try {
      url = new URL(text.replace(/\{(\w+)\}/g, 'x'));
    } catch {
      throw new Error('expected an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an http(s) URL');
    for (const p of placeholders) if (!text.includes(`{${p}}`)) throw new Error(`must contain {${p}}`);
    return text;
  };
}

function parseSimilarity(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && n >= 0.1 && n <= 1) return n;
  throw new Error('expected a number from 0.1 to 1');
}

/** At most 24 days: rate-limiter-flexible's memory counters expire keys with a setTimeout (32-bit ms). */
function parseKnownFor(value: unknown): number {
  const seconds = parseDuration(value);
  if (seconds < 1 || seconds > 24 * 86400) throw new Error('expected a duration from 1s to 24d');
  return seconds;
}

/**
 * Every setting of doorman, its default, its simplejwt / dj-rest-auth name where it has one,
 * and what it means, in ONE place (docs/settings.md is checked against this table by a test).
 *
 * Environment variables are `DOORMAN_` + the key in UPPER_SNAKE case (`accessTokenLifetime`
 * → `DOORMAN_ACCESS_TOKEN_LIFETIME`). A JSON config file (`DOORMAN_CONFIG`) takes the keys
 * as they are, and simplejwt's names inside a `"SIMPLE_JWT"` object.
 */
export const SETTINGS = {
  environment: setting({
    default: 'development' as (typeof MODES)[number],
    parse: parseOneOf(MODES),
    doc: 'development generates and persists a signing key when none is set; production requires one. Defaults from NODE_ENV, which must then be one of these three.',
  }),
  host: setting({
    default: '127.0.0.1',
    parse: parseHost,
    doc: 'Address the server listens on: an IP address (0.0.0.0 or :: for all) or a hostname.',
  }),
  port: setting({ default: 8000, parse: parseInteger(0, 65535), doc: 'Port the server listens on.' }),
  databaseUrl: setting({
    default: DEFAULT_DATABASE_URL as DatabaseUrl,
    shown: 'sqlite:./doorman.sqlite3',
    parse: parseDatabaseUrl,
    secret: true,
    doc: 'postgres://user:password@host:5432/database (several instances share it; see "Running several instances" in the README), or sqlite:<path> (the file is created and migrated on first start; its folder must exist: doorman does not create folders), or sqlite::memory:. DATABASE_URL is read too.',
  }),
  databasePoolSize: setting({
    default: 10,
    parse: parseInteger(1, 1000),
    doc: "PostgreSQL: connections in each instance's pool (plus one for LISTEN). Size it so instances × (pool + 1) stays under the server's max_connections.",
  }),
  databaseBusyTimeout: setting({
    default: 5000,
    parse: parseInteger(0, 600_000),
    doc: 'How long (ms) a request waits for the database before it answers 503 service_unavailable: a SQLite write lock held by another process (waited for without blocking the server), or a PostgreSQL connection from the pool.',
  }),
  shutdownTimeout: setting({
    default: 10_000,
    parse: parseInteger(0, 600_000),
    doc: 'On SIGTERM/SIGINT, how long (ms) in-flight requests may take to finish before the server closes their connections and exits.',
  }),
  logLevel: setting({
    default: 'info',
    parse: parseOneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    doc: 'pino log level.',
  }),
  accessLog: setting({
    default: false,
    parse: parseBoolean,
    doc: "One access line per request at info level (method, path without the query string, status, ms). Off by default, as gunicorn's: the reverse proxy in front usually keeps the access log, and the line costs ~40% of GET /account/mypage/ throughput.",
  }),
  bodyLimit: setting({
    default: 65536,
    parse: parseInteger(1024, 10 * 1024 * 1024),
    doc: 'Largest request body in bytes; larger ones get 413.',
  }),
  publicUrl: setting({
    default: null as string | null,
    parse: parseOptionalUrl,
    doc: 'This server\'s public origin (e.g. "https://auth.example.com"): discovery\'s issuer (when ISSUER is not a URL) and jwks_uri come from it, never from the Host header. Unset: http://HOST:PORT.',
  }),
  strictTransportSecurity: setting({
    default: null as string | null,
    parse: parseOptionalString,
    doc: 'Strict-Transport-Security header value (e.g. "max-age=31536000; includeSubDomains"); unset sends none. Only behind TLS.',
  }),
  requestTimeout: setting({
    default: 30,
    parse: parseDuration,
    doc: 'A whole request (head and body) must arrive within this time, or it is answered 408 and closed (a trickled body cannot hold a connection). Also the idle time after which a connection is closed.',
  }),
  headersTimeout: setting({
    default: 10,
    parse: parseDuration,
    doc: 'The request head must arrive within this time (at most requestTimeout).',
  }),
  trustProxy: setting({
    default: false,
    parse: parseBoolean,
    doc: 'Trust X-Forwarded-* headers (behind a reverse proxy).',
  }),

  algorithm: setting({
    default: 'HS256' as JwtAlgorithm,
    parse: parseOneOf(JWT_ALGORITHMS),
    simplejwt: 'ALGORITHM',
    doc: "JWT signing algorithm; verification accepts this one only (with a keystore: each key's own, and the algorithm of new keys).",
  }),
  signingKey: setting({
    default: null as string | null,
    parse: parseOptionalString,
    simplejwt: 'SIGNING_KEY',
    secret: true,
    doc: 'HMAC secret (at least as many bytes as the hash: 32 for HS256, RFC 7518 §3.2), or a private key as PEM or JWK. Required in production (or signingKeyFile, or keystoreFile).',
  }),
  verifyingKey: setting({
    default: null as string | null,
    parse: parseOptionalString,
    simplejwt: 'VERIFYING_KEY',
    doc: 'PEM or JWK public key for asymmetric algorithms; derived from the signing key when unset.',
  }),
  signingKeyFile: setting({
    default: null as string | null,
    parse: parseOptionalString,
    doc: 'Read the signing key (PEM or JWK) from this file instead of SIGNING_KEY (Docker/Kubernetes secrets).',
  }),
  verifyingKeyFile: setting({
    default: null as string | null,
    parse: parseOptionalString,
    doc: 'Read the verifying key (PEM or JWK) from this file instead of VERIFYING_KEY.',
  }),
  keystoreFile: setting({
    default: null as string | null,
    parse: parseOptionalString,
    doc: 'A keystore (JSON of private JWKs with kid, mode 0600) instead of SIGNING_KEY: one active key signs, all verify by kid, rotation with `npx doorman keys`. Created with one key of ALGORITHM on first start outside production.',
  }),
  jwkUrl: setting({
    default: null as string | null,
    parse: parseOptionalUrl,
    simplejwt: 'JWK_URL',
    doc: 'Remote JWKS (https) whose keys also verify tokens whose kid is not one of ours (tokens signed elsewhere).',
  }),
  jwkCacheMaxAge: setting({
    default: 600,
    parse: parseDuration,
    doc: 'How long the remote JWKS is trusted before it is fetched again.',
  }),
  jwkRefetchCooldown: setting({
    default: 30,
    parse: parseDuration,
    doc: 'Least time between two fetches of the remote JWKS (an unknown kid fetches at most this often).',
  }),
  jwksMaxAge: setting({
    default: 300,
    parse: parseDuration,
    doc: 'Cache-Control max-age of /.well-known/jwks.json. Generate a `next` key at least this long before rotating.',
  }),
  devKeyFile: setting({
    default: './.doorman/signing-key',
    parse: parseString,
    doc: 'Where development mode keeps the generated signing key (mode 0600).',
  }),
  audience: setting({
    default: null as string | null,
    parse: parseOptionalString,
    simplejwt: 'AUDIENCE',
    doc: 'aud claim to set and require.',
  }),
  issuer: setting({
    default: null as string | null,
    parse: parseOptionalString,
    simplejwt: 'ISSUER',
    doc: 'iss claim to set and require.',
  }),
  leeway: setting({
    default: 0,
    parse: parseDuration,
    simplejwt: 'LEEWAY',
    doc: 'Clock skew allowed when checking exp and nbf, in seconds.',
  }),

  accessTokenLifetime: setting({
    default: 300,
    parse: parsePositiveDuration,
    simplejwt: 'ACCESS_TOKEN_LIFETIME',
    doc: 'Access token lifetime (seconds or "5m").',
  }),
  refreshTokenLifetime: setting({
    default: 86400,
    parse: parsePositiveDuration,
    simplejwt: 'REFRESH_TOKEN_LIFETIME',
    doc: 'Refresh token lifetime.',
  }),
  slidingTokenLifetime: setting({
    default: 300,
    parse: parsePositiveDuration,
    simplejwt: 'SLIDING_TOKEN_LIFETIME',
    doc: 'How long a sliding token authenticates before it must be refreshed.',
  }),
  slidingTokenRefreshLifetime: setting({
    default: 86400,
    parse: parsePositiveDuration,
    simplejwt: 'SLIDING_TOKEN_REFRESH_LIFETIME',
    doc: 'How long a sliding token can be refreshed.',
  }),
  rotateRefreshTokens: setting({
    default: true,
    parse: parseBoolean,
    simplejwt: 'ROTATE_REFRESH_TOKENS',
    doc: 'A refresh also answers a new refresh token.',
  }),
  blacklistAfterRotation: setting({
    default: true,
    parse: parseBoolean,
    simplejwt: 'BLACKLIST_AFTER_ROTATION',
    doc: 'The refresh token used for a rotation is spent (exactly once).',
  }),
  updateLastLogin: setting({
    default: true,
    parse: parseBoolean,
    simplejwt: 'UPDATE_LAST_LOGIN',
    doc: 'Record last_login on every login.',
  }),
  returnExpiration: setting({
    default: false,
    parse: parseBoolean,
    simplejwt: 'JWT_AUTH_RETURN_EXPIRATION',
    doc: 'Add access_expiration / refresh_expiration (ISO 8601) to login, join and refresh bodies.',
  }),

  authHeaderTypes: setting({
    default: ['Bearer'],
    parse: parseList,
    simplejwt: 'AUTH_HEADER_TYPES',
    doc: 'Accepted words before the token in the auth header.',
  }),
  authHeaderName: setting({
    default: 'authorization',
    parse: parseHeaderName,
    simplejwt: 'AUTH_HEADER_NAME',
    doc: 'Header carrying the token ("Authorization" or Django\'s "HTTP_AUTHORIZATION").',
  }),
  authTokenClasses: setting({
    default: ['access'] as Array<'access' | 'sliding'>,
    parse: parseTokenClasses,
    simplejwt: 'AUTH_TOKEN_CLASSES',
    doc: 'Token types that authenticate requests: access, sliding.',
  }),
  userIdField: setting({
    default: 'id' as 'id' | 'email',
    parse: parseOneOf(['id', 'email'] as const),
    simplejwt: 'USER_ID_FIELD',
    doc: 'User field put in the user id claim.',
  }),
  userIdClaim: setting({
    default: 'user_id',
    parse: parseString,
    simplejwt: 'USER_ID_CLAIM',
    doc: 'Claim holding the user id.',
  }),
  tokenTypeClaim: setting({
    default: 'token_type',
    parse: parseString,
    simplejwt: 'TOKEN_TYPE_CLAIM',
    doc: 'Claim holding the token type.',
  }),
  jtiClaim: setting({ default: 'jti', parse: parseString, simplejwt: 'JTI_CLAIM', doc: 'Claim holding the token id.' }),
  slidingTokenRefreshExpClaim: setting({
    default: 'refresh_exp',
    parse: parseString,
    simplejwt: 'SLIDING_TOKEN_REFRESH_EXP_CLAIM',
    doc: "Claim holding a sliding token's refresh deadline.",
  }),

  simplejwtTransition: setting({
    default: false,
    parse: parseBoolean,
    doc: 'Moving from Django: also accept tokens a simplejwt server signed with the same key (no sid claim). Access tokens authenticate (user_id mapped through import-django); a refresh token is accepted once and rotated into a doorman session. Django-side blacklisting is not seen.',
  }),

  authCookie: setting({
    default: null as string | null,
    parse: parseOptionalCookieName,
    simplejwt: 'JWT_AUTH_COOKIE',
    doc: 'Cookie mode: name of the access-token cookie (e.g. "doorman-auth"); unset turns cookie mode off.',
  }),
  refreshCookie: setting({
    default: null as string | null,
    parse: parseOptionalCookieName,
    simplejwt: 'JWT_AUTH_REFRESH_COOKIE',
    doc: 'Cookie mode: name of the refresh-token cookie (e.g. "doorman-refresh").',
  }),
  refreshCookiePath: setting({
    default: null as string | null,
    parse: parseOptionalString,
    simplejwt: 'JWT_AUTH_REFRESH_COOKIE_PATH',
    doc: 'Path of the refresh cookie; unset sends it only to the refresh and logout endpoints.',
  }),
  cookieSecure: setting({
    default: true,
    parse: parseBoolean,
    simplejwt: 'JWT_AUTH_SECURE',
    doc: 'Cookies only over HTTPS. Turn off for http://localhost development only.',
  }),
  cookieHttpOnly: setting({
    default: true,
    parse: parseBoolean,
    simplejwt: 'JWT_AUTH_HTTPONLY',
    doc: 'Token cookies unreadable by JavaScript; a refresh answered from the refresh cookie then leaves the refresh token out of the body.',
  }),
  cookieSameSite: setting({
    default: 'Lax' as 'Lax' | 'Strict' | 'None',
    parse: parseOneOf(['Lax', 'Strict', 'None'] as const),
    simplejwt: 'JWT_AUTH_SAMESITE',
    doc: 'SameSite of the token and CSRF cookies; None needs cookieSecure.',
  }),
  cookieDomain: setting({
    default: null as string | null,
    parse: parseOptionalString,
    simplejwt: 'JWT_AUTH_COOKIE_DOMAIN',
    doc: 'Domain of the cookies; unset means this host only.',
  }),
  csrfCookieName: setting({
    default: 'csrftoken',
    parse: parseCookieName,
    simplejwt: 'CSRF_COOKIE_NAME',
    doc: 'Cookie mode: the (JavaScript-readable) CSRF token cookie.',
  }),
  csrfHeaderName: setting({
    default: 'x-csrftoken',
    parse: parseHeaderName,
    simplejwt: 'CSRF_HEADER_NAME',
    doc: 'Cookie mode: header that must echo the CSRF token on POST/PUT/PATCH/DELETE authenticated by cookie.',
  }),
  csrfSecret: setting({
    default: null as string | null,
    parse: parseOptionalString,
    secret: true,
    doc: 'Key of the HMAC that binds CSRF tokens to a session; unset derives one from the signing key (so rotation renews CSRF tokens at the next refresh).',
  }),
  pages: setting({
    default: true,
    parse: parseBoolean,
    doc: 'HTML pages (join, login, mypage, password, sessions) at the account paths and the admin UI at /admin/ for browsers that ask for HTML; false for an API-only deployment.',
  }),
  corsOrigins: setting({
    default: [] as string[],
    parse: parseList,
    doc: 'Origins allowed by CORS (e.g. "https://app.example.com"); empty turns CORS off. "*" is refused when corsCredentials is on.',
  }),
  corsCredentials: setting({
    default: false,
    parse: parseBoolean,
    doc: 'CORS: allow cookies/credentials from the allowed origins (Access-Control-Allow-Credentials).',
  }),
  apiDocs: setting({
    default: true,
    parse: parseBoolean,
    doc: 'Serve the OpenAPI 3.1 document at /openapi.json and its interactive page at /docs (standalone server).',
  }),

  socialProviders: setting({
    default: [] as SocialProviderSetting[],
    parse: parseSocialProviders,
    secret: true,
    doc: 'Social login providers, a JSON object by name: `{"google":{"clientId":"…","clientSecret":"…"}}`. Presets: google, kakao (OpenID Connect), naver, github (OAuth 2); any other name is a generic OpenID Connect provider with an `issuer`. Fields: preset, issuer, clientId, clientSecret, scopes, audiences (OIDC: more client ids an id_token may be issued to, e.g. your mobile apps\'), acceptAccessToken (OAuth 2 only, off), and for tests or enterprise hosts authorizationEndpoint, tokenEndpoint, userinfoEndpoint, emailsEndpoint.',
  }),
  socialRedirectUrl: setting({
    default: null as string | null,
    parse: parseOptionalUrl,
    doc: 'Social login, redirect flow: the front-end page the browser lands on after the callback (errors add `?error=<code>`). Unset turns the redirect flow off.',
  }),
  socialRedirectUris: setting({
    default: [] as string[],
    parse: parseRedirectUris,
    doc: 'Social login, SPA/mobile flow: the redirect_uri values a client may send with a code (exact match). The first is used when the body names none; empty refuses the code flow.',
  }),

  passwordValidators: setting({
    default: [...PASSWORD_VALIDATORS] as PasswordValidatorName[],
    parse: (v: unknown) => parseList(v).map((name) => parseOneOf(PASSWORD_VALIDATORS)(name)),
    simplejwt: 'AUTH_PASSWORD_VALIDATORS',
    doc: "Django's four default validators by name; an empty list turns validation off.",
  }),
  passwordMinLength: setting({ default: 8, parse: parseInteger(1, 128), doc: "MinimumLengthValidator's min_length." }),
  passwordMaxSimilarity: setting({
    default: 0.7,
    parse: parseSimilarity,
    doc: "UserAttributeSimilarityValidator's max_similarity.",
  }),
  passwordHashConcurrency: setting({
    default: 2,
    parse: parseInteger(1, 64),
    doc: 'Hashing threads (password hashes computed at once); the rest queue.',
  }),
  passwordHashPriority: setting({
    default: 19,
    parse: parseInteger(0, 19),
    doc: 'nice value of the hashing threads (19 = lowest CPU priority): a login storm gets only the CPU that request handling leaves.',
  }),
  passwordHashQueueLimit: setting({
    default: 1000,
    parse: parseInteger(1, 1_000_000),
    doc: 'Queued hashes beyond which logins answer 503 instead of waiting.',
  }),
  argon2MemoryCost: setting({
    default: 19456,
    parse: parseInteger(1024, 1_048_576),
    doc: 'argon2id memory in KiB (OWASP: 19 MiB).',
  }),
  argon2TimeCost: setting({ default: 2, parse: parseInteger(1, 20), doc: 'argon2id iterations.' }),
  argon2Parallelism: setting({ default: 1, parse: parseInteger(1, 16), doc: 'argon2id lanes.' }),

  throttle: setting({
    default: true,
    parse: parseBoolean,
    doc: 'Brute-force throttling of login, /api/token/, /api/token/sliding/, join, password reset, e-mail verification and social login (429 with Retry-After). false turns every throttle off (benchmarks; a gateway that already limits).',
  }),
  throttleLoginPair: setting({
    default: parseRate('5/15m'),
    parse: parseRate,
    doc: 'Failed logins per (account, address), as "count/window" (e.g. "5/15m").',
  }),
  throttleLoginAddress: setting({
    default: parseRate('30/15m'),
    parse: parseRate,
    doc: 'Failed logins per address across every account (credential stuffing).',
  }),
  throttleLoginAccount: setting({
    default: parseRate('50/1h'),
    parse: parseRate,
    doc: 'Failed logins per account across every address; when it is reached, only addresses that logged in to the account before get through. Must exceed what one address can add under throttleLoginPair (checked at start).',
  }),
  throttleKnownAddress: setting({
    default: 1_209_600,
    parse: parseKnownFor,
    doc: "How long an address that logged in to an account passes that account's limit (14 days; at most 24 days, the longest timer the memory counters can hold).",
  }),
  throttlePasswordReset: setting({
    default: parseRate('10/1h'),
    parse: parseRate,
    doc: 'Password-reset requests per address, and separately confirms per address (each request counts, known e-mail or not).',
  }),
  throttleEmailVerification: setting({
    default: parseRate('20/1h'),
    parse: parseRate,
    doc: 'Verification-mail resends per address, and separately verify-email requests per address.',
  }),
  throttleJoin: setting({ default: parseRate('10/1h'), parse: parseRate, doc: 'Joins per address.' }),
  throttleSocial: setting({
    default: parseRate('30/10m'),
    parse: parseRate,
    doc: 'Social sign-ins per address: starts of the redirect flow, and separately completions (its callback, the SPA/mobile post, connect). Each request counts; each completion makes doorman call the provider.',
  }),
  throttleAddressConcurrency: setting({
    default: 4,
    parse: parseInteger(0, 10_000),
    doc: 'Password checks (login, join) one address may have in flight; more answer 429 before reaching the hash queue, so one client cannot fill it. 0 = no cap.',
  }),
  redisUrl: setting({
    default: null as string | null,
    parse: parseOptionalString,
    secret: true,
    doc: "redis://… : throttle counters shared by every instance (atomic). Unset counts in each instance's memory. While Redis is unreachable each instance counts in memory and logs one warning a minute.",
  }),
  redisKeyPrefix: setting({ default: 'doorman', parse: parseString, doc: 'Prefix of every Redis key doorman writes.' }),
  mailUrl: setting({
    default: null as string | null,
    parse: parseMailUrl,
    secret: true,
    doc: 'Where mail goes: smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465, or file:///path/to/dir (one .eml file per message). Unset: file://./.doorman/mail outside production; in production mail is off (reset and resend answer as usual and send nothing; a warning at start).',
  }),
  mailFrom: setting({
    default: 'doorman <noreply@localhost>',
    parse: parseString,
    doc: "The From address of doorman's mail (Django's DEFAULT_FROM_EMAIL).",
  }),
  mailRetries: setting({
    default: 5,
    parse: parseInteger(0, 20),
    doc: 'Further attempts after a failed send, with exponential backoff from 1 s; then the message is dropped and logged (without its link).',
  }),
  passwordResetUrl: setting({
    default: null as string | null,
    parse: parseLinkTemplate('uid', 'token'),
    doc: 'The front-end page a reset mail links to, with {uid} and {token}, e.g. https://app.example.com/reset/{uid}/{token}/. Never taken from the Host header. Unset: http://localhost:3000/reset/{uid}/{token}/ outside production; required in production when mailUrl is set.',
  }),
  passwordResetTimeout: setting({
    default: 3600,
    parse: parsePositiveDuration,
    doc: "How long a password-reset link works (Django's PASSWORD_RESET_TIMEOUT).",
  }),
  emailVerification: setting({
    default: 'none' as 'none' | 'optional' | 'mandatory',
    parse: parseOneOf(['none', 'optional', 'mandatory'] as const),
    simplejwt: 'ACCOUNT_EMAIL_VERIFICATION',
    doc: "allauth's ACCOUNT_EMAIL_VERIFICATION: none sends no mail; optional mails a link at join and logs in as before; mandatory logs nobody in until the address is verified and answers join alike for new and taken addresses.",
  }),
  emailConfirmUrl: setting({
    default: null as string | null,
    parse: parseLinkTemplate('key'),
    doc: 'The front-end page a verification mail links to, with {key}, e.g. https://app.example.com/verify-email/{key}/. Unset: http://localhost:3000/verify-email/{key}/ outside production; required in production when emailVerification is not none.',
  }),
  emailConfirmationExpire: setting({
    default: 259200,
    parse: parsePositiveDuration,
    doc: 'How long a verification link works (allauth: 3 days).',
  }),
  auditRetention: setting({
    default: 7_776_000,
    parse: parseDuration,
    doc: 'How long audit events are kept (flushexpiredtokens deletes older ones); 0 keeps them forever.',
  }),

  userCacheSize: setting({
    default: 100_000,
    parse: parseInteger(0, 10_000_000),
    doc: 'Users kept in memory for the per-request active check.',
  }),
  revocationPollInterval: setting({
    default: 1000,
    parse: parseInteger(50, 60_000),
    doc: 'How often (ms) the server reads revocations written by other processes (CLI, other instances). On PostgreSQL they are also pushed at once (LISTEN/NOTIFY); the poll is the safety net.',
  }),
  userCacheTtl: setting({
    default: 5000,
    parse: parseInteger(0, 3_600_000),
    doc: 'How long (ms) a cached user state (active, staff, superuser) is trusted. Changes made through doorman (any process) are seen at once through events; this bounds how long a change made directly in the database goes unseen. 0 reads the user on every request.',
  }),
  refreshReuseGrace: setting({
    default: 0,
    parse: parseDuration,
    doc: 'Seconds after a rotation during which the token it replaced, presented again, is refused without ending the session (two browser tabs refreshing at once). 0 (default): any reuse ends the session. Above 0, a thief replaying a stolen token within the window is refused but the session survives.',
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
type ValueOf<K extends SettingKey> = ReturnType<(typeof SETTINGS)[K]['parse']>;
export type Config = { readonly [K in SettingKey]: ValueOf<K> } & {
  /** The active signing key as configured (PEM, secret, or JWK JSON for a keystore key). */
  readonly signingKey: string;
  /** Every key, resolved and checked at start-up (one for SIGNING_KEY; any number for a keystore). */
  readonly keys: readonly KeySpec[];
  /** Where the keys came from (a setting's name or a path, never key material); '' before any key exists. */
  readonly keySource: string;
};
export type ConfigInput = { [K in SettingKey]?: unknown };

/** `accessTokenLifetime` → `DOORMAN_ACCESS_TOKEN_LIFETIME`. */
export function envName(key: string): string {
  return 'DOORMAN_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}
