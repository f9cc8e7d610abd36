import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { ensureDevKeys } from '../../src/keys/dev.js';
import { createDoorman } from '../../src/core.js';
import { memoryStorage } from '../../src/storage/memory/index.js';

const strong = randomBytes(48).toString('base64url');

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'doorman-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has simplejwt-compatible defaults with rotation and blacklisting on', () => {
    const c = loadConfig({ env: { DOORMAN_SIGNING_KEY: strong } });
    expect(c).toMatchObject({
      algorithm: 'HS256',
      accessTokenLifetime: 300,
      refreshTokenLifetime: 86400,
      rotateRefreshTokens: true,
      blacklistAfterRotation: true,
      authHeaderTypes: ['Bearer'],
      authHeaderName: 'authorization',
      userIdField: 'id',
      userIdClaim: 'user_id',
      tokenTypeClaim: 'token_type',
      jtiClaim: 'jti',
      leeway: 0,
      port: 8000,
      host: '127.0.0.1',
      databaseUrl: { driver: 'sqlite', path: './doorman.sqlite3' },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads DOORMAN_* variables and parses durations, booleans, lists', () => {
    const c = loadConfig({
      env: {
        DOORMAN_SIGNING_KEY: strong,
        DOORMAN_ACCESS_TOKEN_LIFETIME: '30m',
        DOORMAN_REFRESH_TOKEN_LIFETIME: '7d',
        DOORMAN_ROTATE_REFRESH_TOKENS: 'false',
        DOORMAN_AUTH_HEADER_TYPES: 'Bearer, JWT',
        DOORMAN_AUTH_HEADER_NAME: 'HTTP_X_ACCESS_TOKEN',
        DOORMAN_PORT: '9000',
      },
    });
    expect(c.accessTokenLifetime).toBe(1800);
    expect(c.refreshTokenLifetime).toBe(604800);
    expect(c.rotateRefreshTokens).toBe(false);
    expect(c.authHeaderTypes).toEqual(['Bearer', 'JWT']);
    expect(c.authHeaderName).toBe('x-access-token');
    expect(c.port).toBe(9000);
  });

  it("lets createsuperuser's DOORMAN_SUPERUSER_* variables through (they are input, not settings)", () => {
    expect(() =>
      loadConfig({
        env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_SUPERUSER_EMAIL: 'a@b.co', DOORMAN_SUPERUSER_PASSWORD: 'x' },
      }),
    ).not.toThrow();
  });

  it('takes DATABASE_URL when DOORMAN_DATABASE_URL is unset', () => {
    expect(loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DATABASE_URL: 'sqlite:/tmp/x.db' } }).databaseUrl).toEqual({
      driver: 'sqlite',
      path: '/tmp/x.db',
    });
    expect(
      loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DATABASE_URL: 'postgres://u:p@db.internal:5432/auth' } })
        .databaseUrl,
    ).toEqual({ driver: 'postgres', url: 'postgres://u:p@db.internal:5432/auth' });
  });

  it('parses the database URL when the settings load, and a wrong one is one line naming the setting (never the password)', () => {
    const load = (url: string) => () => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_DATABASE_URL: url } });
    expect(
      loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_DATABASE_URL: 'postgresql://db/auth' } }).databaseUrl,
    ).toEqual({ driver: 'postgres', url: 'postgresql://db/auth' });
    expect(
      loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_DATABASE_URL: 'sqlite::memory:' } }).databaseUrl,
    ).toEqual({ driver: 'sqlite', path: ':memory:' });
    expect(load('mysql://u:secret@x/db')).toThrow(
      /^DOORMAN_DATABASE_URL: unsupported database URL "mysql:"; expected postgres:\/\/user:password@host:5432\/database or sqlite:<path>$/,
    );
    expect(load('postgres://u:secret@db.internal:5432')).toThrow(
      /^DOORMAN_DATABASE_URL: the postgres:\/\/ URL names no database/,
    );
    expect(load('postgres://u:secret@:5432/db')).toThrow(/^DOORMAN_DATABASE_URL: /);
    expect(load('postgres://u:secret@db:port/db')).toThrow(/^DOORMAN_DATABASE_URL: not a valid postgres:\/\/ URL/);
    expect(load('sqlite:')).toThrow(/^DOORMAN_DATABASE_URL: sqlite: needs a file path/);
    for (const url of [
      'mysql://u:secret@x/db',
      'postgres://u:secret@db.internal:5432',
      'postgres://u:secret@db:port/db',
    ]) {
      expect(load(url)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
    }
  });

  it('rejects an unknown DOORMAN_ variable by name', () => {
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_ACESS_TOKEN_LIFETIME: '5m' } })).toThrow(
      /DOORMAN_ACESS_TOKEN_LIFETIME: unknown setting/,
    );
  });

  it('names the key and the expectation for a bad value', () => {
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_PORT: 'eighty' } })).toThrow(
      /DOORMAN_PORT: expected a whole number from 0 to 65535/,
    );
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_ACCESS_TOKEN_LIFETIME: 'soon' } })).toThrow(
      /DOORMAN_ACCESS_TOKEN_LIFETIME: expected a duration/,
    );
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_ALGORITHM: 'none' } })).toThrow(
      /DOORMAN_ALGORITHM: expected one of HS256/,
    );
  });

  it('rejects unknown programmatic overrides by name', () => {
    expect(() => loadConfig({ env: {}, overrides: { signingKey: strong, nope: 1 } as never })).toThrow(
      /nope: unknown setting/,
    );
  });

  it('refuses to start in production without a signing key and says how to make one', () => {
    const error = (() => {
      try {
        loadConfig({ env: { NODE_ENV: 'production' } });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.key).toBe('DOORMAN_SIGNING_KEY');
    expect(error.message).toMatch(/required in production.*randomBytes/);
  });

  it('refuses a weak HS256 secret (RFC 7518 §3.2) in any mode', () => {
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: 'secret' } })).toThrow(
      /DOORMAN_SIGNING_KEY: HS256 needs a secret of at least 32 bytes/,
    );
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: 'a'.repeat(64) } })).toThrow(/too repetitive/);
    expect(() => loadConfig({ env: { DOORMAN_ALGORITHM: 'HS512', DOORMAN_SIGNING_KEY: strong.slice(0, 50) } })).toThrow(
      /HS512 needs a secret of at least 64 bytes \(RFC 7518 §3.2\); got 50/,
    );
  });

  it('writes no file: a missing development key leaves keys empty until ensureDevKeys', () => {
    const file = join(dir, 'keys', 'signing-key');
    const keystore = join(dir, 'ks', 'keystore.json');
    expect(loadConfig({ env: { DOORMAN_DEV_KEY_FILE: file } }).keys).toEqual([]);
    expect(loadConfig({ env: { DOORMAN_KEYSTORE_FILE: keystore } }).keys).toEqual([]);
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    expect(existsSync(join(dir, 'ks'))).toBe(false);
    expect(() =>
      createDoorman({ config: loadConfig({ env: { DOORMAN_DEV_KEY_FILE: file } }), storage: memoryStorage() }),
    ).toThrow(/^DOORMAN_SIGNING_KEY: no key is loaded: .*ensureDevKeys\(config\)/);
    const created = ensureDevKeys(loadConfig({ env: { DOORMAN_KEYSTORE_FILE: keystore, DOORMAN_ALGORITHM: 'ES256' } }));
    expect(created.keys.map((k) => [k.alg, k.status])).toEqual([['ES256', 'active']]);
    expect(loadConfig({ env: { DOORMAN_KEYSTORE_FILE: keystore } }).keys[0]!.kid).toBe(created.keys[0]!.kid);
  });

  it('generates a development key once (ensureDevKeys), persists it 0600, and reuses it', () => {
    const file = join(dir, 'keys', 'signing-key');
    const first = ensureDevKeys(loadConfig({ env: { DOORMAN_DEV_KEY_FILE: file } }));
    const second = loadConfig({ env: { DOORMAN_DEV_KEY_FILE: file } });
    expect(ensureDevKeys(second)).toBe(second);
    expect(first.signingKey).toBe(second.signingKey);
    expect(Buffer.byteLength(first.signingKey)).toBeGreaterThanOrEqual(64);
    expect(readFileSync(`${file}.HS256`, 'utf8').trim()).toBe(first.signingKey);
    expect(statSync(`${file}.HS256`).mode & 0o777).toBe(0o600);
  });

  it('checks that an asymmetric key fits the algorithm and derives the verifying key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const c = loadConfig({ env: { DOORMAN_ALGORITHM: 'ES256', DOORMAN_SIGNING_KEY: pem } });
    expect(c.verifyingKey).toMatch(/BEGIN PUBLIC KEY/);
    expect(() => loadConfig({ env: { DOORMAN_ALGORITHM: 'RS256', DOORMAN_SIGNING_KEY: pem } })).toThrow(
      /DOORMAN_SIGNING_KEY: RS256 needs a rsa key, got ec/,
    );
    expect(() => loadConfig({ env: { DOORMAN_ALGORITHM: 'ES384', DOORMAN_SIGNING_KEY: pem } })).toThrow(
      /curve secp384r1/,
    );
    expect(() => loadConfig({ env: { DOORMAN_ALGORITHM: 'HS256', DOORMAN_SIGNING_KEY: pem } })).toThrow(
      /not a PEM key/,
    );
  });

  it('reads a JSON config file, with simplejwt names under SIMPLE_JWT', () => {
    const file = join(dir, 'doorman.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 8100,
        SIMPLE_JWT: { ACCESS_TOKEN_LIFETIME: 1800, BLACKLIST_AFTER_ROTATION: false, SIGNING_KEY: strong },
      }),
    );
    const c = loadConfig({ env: { DOORMAN_CONFIG: file, DOORMAN_PORT: '8200' } });
    expect(c.accessTokenLifetime).toBe(1800);
    expect(c.blacklistAfterRotation).toBe(false);
    expect(c.port).toBe(8200);
  });

  it('rejects unknown and unsupported simplejwt names in the file, by name', () => {
    const file = join(dir, 'doorman.json');
    writeFileSync(file, JSON.stringify({ SIMPLE_JWT: { ACCESS_TOKEN_LIFE: 1 } }));
    expect(() => loadConfig({ env: { DOORMAN_CONFIG: file } })).toThrow(
      /SIMPLE_JWT.ACCESS_TOKEN_LIFE: unknown simplejwt setting/,
    );
    writeFileSync(file, JSON.stringify({ SIMPLE_JWT: { TOKEN_USER_CLASS: 'x' } }));
    expect(() => loadConfig({ env: { DOORMAN_CONFIG: file } })).toThrow(/SIMPLE_JWT.TOKEN_USER_CLASS: not supported/);
    writeFileSync(file, '{not json');
    expect(() => loadConfig({ env: { DOORMAN_CONFIG: file } })).toThrow(/DOORMAN_CONFIG: cannot read/);
  });

  it('maps simplejwt token class names for AUTH_TOKEN_CLASSES', () => {
    const c = loadConfig({
      env: {
        DOORMAN_SIGNING_KEY: strong,
        DOORMAN_AUTH_TOKEN_CLASSES: 'rest_framework_simplejwt.tokens.AccessToken,SlidingToken',
      },
    });
    expect(c.authTokenClasses).toEqual(['access', 'sliding']);
  });

  it('refuses a host that is neither an IP address nor a hostname, naming DOORMAN_HOST', () => {
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_HOST: '256.1.1.1' } })).toThrow(
      /^DOORMAN_HOST: "256.1.1.1" is not an IP address or a hostname$/,
    );
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_HOST: 'bad_host!' } })).toThrow(
      /^DOORMAN_HOST: /,
    );
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_HOST: '-lead.example' } })).toThrow(
      /^DOORMAN_HOST: /,
    );
    for (const host of ['0.0.0.0', '::', '::1', 'localhost', 'auth.internal.example.com', '10.0.0.7']) {
      expect(loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_HOST: host } }).host).toBe(host);
    }
  });

  it('refuses a token lifetime of zero (every token would be born expired)', () => {
    for (const name of [
      'DOORMAN_ACCESS_TOKEN_LIFETIME',
      'DOORMAN_REFRESH_TOKEN_LIFETIME',
      'DOORMAN_SLIDING_TOKEN_LIFETIME',
      'DOORMAN_SLIDING_TOKEN_REFRESH_LIFETIME',
    ]) {
      expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, [name]: '0' } })).toThrow(
        new RegExp(`^${name}: must be at least 1 second`),
      );
    }
    expect(() => loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_ACCESS_TOKEN_LIFETIME: '500ms' } })).toThrow(
      /^DOORMAN_ACCESS_TOKEN_LIFETIME: /,
    );
    expect(
      loadConfig({ env: { DOORMAN_SIGNING_KEY: strong, DOORMAN_ACCESS_TOKEN_LIFETIME: '1s' } }).accessTokenLifetime,
    ).toBe(1);
  });

  it('refuses a NODE_ENV that is not a mode instead of running as development', () => {
    const error = (() => {
      try {
        loadConfig({ env: { NODE_ENV: 'prod', DOORMAN_SIGNING_KEY: strong } });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.key).toBe('NODE_ENV');
    expect(error.message).toBe(
      'NODE_ENV: "prod" is not a mode: expected development, production, test (or set DOORMAN_ENVIRONMENT)',
    );
    expect(loadConfig({ env: { NODE_ENV: 'test', DOORMAN_SIGNING_KEY: strong } }).environment).toBe('test');
    expect(
      loadConfig({ env: { NODE_ENV: 'prod', DOORMAN_ENVIRONMENT: 'production', DOORMAN_SIGNING_KEY: strong } })
        .environment,
    ).toBe('production');
  });
});
