import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ensureDevKeys } from '../../src/keys/dev.js';
import { weakSecretProblem } from '../../src/config/production.js';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';

const STRONG = randomBytes(64).toString('base64url');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'doorman-prod-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function production(env: Record<string, string>) {
  return () => loadConfig({ env: { NODE_ENV: 'production', ...env }, ignoreFile: true });
}

describe('production refuses weak secrets', () => {
  it('placeholders, repeated patterns, few distinct characters, low entropy', () => {
    expect(weakSecretProblem('changeme-changeme-changeme-changeme-changeme-changeme')).toMatch(/placeholder/);
    expect(weakSecretProblem('django-insecure-4f8a9c2e7b1d3f6a0e5c8b2d9f1a7e3c')).toMatch(/placeholder/);
    expect(weakSecretProblem('q8Zx!q8Zx!q8Zx!q8Zx!q8Zx!q8Zx!q8Zx!q8Zx!q8Zx!')).toMatch(/repeated/);
    expect(weakSecretProblem('abababababcdcdcdcdcdabcdabcdabcdaaaabbbbccccdddd')).toMatch(/distinct/);
    expect(weakSecretProblem('Abcdefghijklmnopqrstuv')).toMatch(/entropy/);
    expect(weakSecretProblem(STRONG)).toBeNull();
    expect(weakSecretProblem(randomBytes(32).toString('hex'))).toBeNull();
  });

  it('at start, naming the setting', () => {
    expect(production({ DOORMAN_SIGNING_KEY: 'changeme-changeme-changeme-changeme-changeme-changeme' })).toThrow(
      /^DOORMAN_SIGNING_KEY: looks like a placeholder \(contains "changeme"\)/,
    );
    expect(production({ DOORMAN_SIGNING_KEY: 'x7Kq2!Zp9Wx7Kq2!Zp9Wx7Kq2!Zp9Wx7Kq2!Zp9Wx7Kq2!Zp9W' })).toThrow(
      /^DOORMAN_SIGNING_KEY: is a short pattern repeated/,
    );
    expect(
      production({ DOORMAN_SIGNING_KEY: STRONG, DOORMAN_CSRF_SECRET: 'secretsecretsecretsecretsecretsecret' }),
    ).toThrow(/^DOORMAN_CSRF_SECRET:/);
    expect(production({ DOORMAN_SIGNING_KEY: STRONG, DOORMAN_COOKIE_SECURE: 'false' })).toThrow(
      /^DOORMAN_COOKIE_SECURE: must stay on in production/,
    );
    expect(production({ DOORMAN_SIGNING_KEY: STRONG })()).toMatchObject({ environment: 'production' });
    // Development and tests are not checked.
    expect(
      loadConfig({
        env: {
          NODE_ENV: 'development',
          DOORMAN_SIGNING_KEY: 'changeme-changeme-changeme-changeme',
          DOORMAN_COOKIE_SECURE: 'false',
        },
        ignoreFile: true,
      }).cookieSecure,
    ).toBe(false);
  });

  it('key and keystore files readable by group or others', () => {
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, STRONG, { mode: 0o644 });
    chmodSync(keyFile, 0o644);
    expect(production({ DOORMAN_SIGNING_KEY_FILE: keyFile })).toThrow(
      /^DOORMAN_SIGNING_KEY_FILE: .*key is readable by others \(mode 0644\); chmod 600 it/,
    );
    chmodSync(keyFile, 0o600);
    expect(production({ DOORMAN_SIGNING_KEY_FILE: keyFile })()).toMatchObject({ environment: 'production' });
    const store = join(dir, 'keystore.json');
    ensureDevKeys(
      loadConfig({
        env: { DOORMAN_KEYSTORE_FILE: store, DOORMAN_ALGORITHM: 'ES256' },
        ignoreFile: true,
        overrides: { environment: 'development' },
      }),
    );
    expect(statSync(store).mode & 0o777).toBe(0o600);
    expect(production({ DOORMAN_KEYSTORE_FILE: store, DOORMAN_ALGORITHM: 'ES256' })()).toMatchObject({
      environment: 'production',
    });
    chmodSync(store, 0o640);
    expect(production({ DOORMAN_KEYSTORE_FILE: store, DOORMAN_ALGORITHM: 'ES256' })).toThrow(
      /^DOORMAN_KEYSTORE_FILE: .*mode 0640/,
    );
  });
});

describe('the database files', () => {
  it('are created 0600, the -wal and -shm files too; an old 0644 database is tightened', async () => {
    const path = join(dir, 'db.sqlite3');
    const storage = sqliteStorage(path);
    await storage.migrate();
    for (const file of [path, `${path}-wal`, `${path}-shm`])
      expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    await storage.close();
    chmodSync(path, 0o644);
    const again = sqliteStorage(path);
    await again.migrate();
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    await again.close();
  });
});
