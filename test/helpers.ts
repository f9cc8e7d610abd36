import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/load.js';
import type { ConfigInput } from '../src/config/schema.js';
import { createDoorman, type Doorman } from '../src/core.js';
import { memoryStorage } from '../src/storage/memory/index.js';
import { sqliteStorage } from '../src/storage/sqlite/index.js';
import type { Storage } from '../src/storage/ports.js';
import type { SocialClientOptions } from '../src/social/client.js';
import type { CustomClaims } from '../src/tokens/context.js';

export const SECRET = randomBytes(48).toString('base64url');
export const PASSWORD = 'correct horse battery';

/**
 * Test settings: argon2id with small costs (the real parameters are measured by the
 * benchmark, not here), a fixed secret, no config file, no environment.
 */
export function testConfig(overrides: ConfigInput = {}) {
  return loadConfig({
    env: {},
    ignoreFile: true,
    overrides: {
      environment: 'test',
      signingKey: SECRET,
      argon2MemoryCost: 1024,
      argon2TimeCost: 1,
      logLevel: 'silent',
      ...overrides,
    },
  });
}

export interface TestApp {
  app: FastifyInstance;
  doorman: Doorman;
  storage: Storage;
  clock: { now: number };
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: ConfigInput;
  /** A backend by name, or a storage of the test's own (closed by close()). */
  storage?: 'memory' | 'sqlite' | Storage;
  customClaims?: CustomClaims;
  /** Social login against providers on loopback (plain HTTP): tests only. */
  socialClient?: SocialClientOptions;
}

/** A doorman app with a controllable clock (`clock.now`, epoch ms). */
export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(options.config);
  let dir: string | undefined;
  let storage: Storage;
  if (typeof options.storage === 'object') {
    storage = options.storage;
  } else if (options.storage === 'sqlite') {
    dir = mkdtempSync(joinPath(tmpdir(), 'doorman-test-'));
    storage = sqliteStorage(joinPath(dir, 'db.sqlite3'), { busyTimeout: config.databaseBusyTimeout });
  } else {
    storage = memoryStorage();
  }
  await storage.migrate();
  const clock = { now: Date.now() };
  const doorman = createDoorman({
    config,
    storage,
    now: () => clock.now,
    ...(options.customClaims ? { customClaims: options.customClaims } : {}),
    ...(options.socialClient ? { socialClient: options.socialClient } : {}),
  });
  await doorman.start();
  const app = await buildApp({ doorman, logger: false });
  return {
    app,
    doorman,
    storage,
    clock,
    async close() {
      await app.close();
      await doorman.close();
      await storage.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function join(app: FastifyInstance, email = 'kim@example.com', extra: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/account/join/',
    payload: { email, password1: PASSWORD, password2: PASSWORD, ...extra },
  });
  if (response.statusCode !== 201) throw new Error(`join failed: ${response.statusCode} ${response.body}`);
  return response.json() as { access: string; refresh: string; user: { pk: number; email: string } };
}

export type Session = Awaited<ReturnType<typeof join>>;
export type SessionApp = TestApp & { session: Session };

/** A test app with one user already joined (`kim@example.com`, or `email`): the session is that join's answer. */
export async function withSession(options: TestAppOptions & { email?: string } = {}): Promise<SessionApp> {
  const { email, ...appOptions } = options;
  const t = await testApp(appOptions);
  try {
    return { ...t, session: await join(t.app, email) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** The payload of a JWT, unverified (for assertions only). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}
