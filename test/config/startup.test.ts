import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ensureDevKeys } from '../../src/keys/dev.js';
import { startupSummary } from '../../src/server.js';

describe('the start-up line: mode, key source, database, and never a secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'doorman-startup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a key from the environment by its variable, not its value', () => {
    const secret = randomBytes(48).toString('base64url');
    const summary = startupSummary(
      loadConfig({
        env: {
          NODE_ENV: 'production',
          DOORMAN_SIGNING_KEY: secret,
          DATABASE_URL: 'sqlite:/var/lib/doorman/db.sqlite3',
        },
      }),
    );
    expect(summary).toEqual({
      mode: 'production',
      keys: 'DOORMAN_SIGNING_KEY (HS256)',
      database: 'sqlite:/var/lib/doorman/db.sqlite3',
    });
    expect(JSON.stringify(summary)).not.toContain(secret);
  });

  it('names the development key file and the keystore with its active kid', () => {
    const dev = startupSummary(ensureDevKeys(loadConfig({ env: { DOORMAN_DEV_KEY_FILE: join(dir, 'key') } })));
    expect(dev).toMatchObject({ mode: 'development', keys: `development key ${join(dir, 'key')}.HS256 (HS256)` });
    const config = ensureDevKeys(
      loadConfig({
        env: { NODE_ENV: 'test', DOORMAN_KEYSTORE_FILE: join(dir, 'ks.json'), DOORMAN_ALGORITHM: 'ES256' },
      }),
    );
    expect(startupSummary(config).keys).toBe(
      `keystore ${join(dir, 'ks.json')} (active ${config.keys[0]!.kid}, ES256; 1 key)`,
    );
  });

  it('masks a database password', () => {
    const secret = randomBytes(48).toString('base64url');
    const summary = startupSummary(
      loadConfig({
        env: { DOORMAN_SIGNING_KEY: secret, DATABASE_URL: 'postgres://app:hunter2@db.internal:5432/auth' },
      }),
    );
    expect(summary.database).toBe('postgres://app:***@db.internal:5432/auth');
  });
});
