import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { keysGenerate, keysList, keysRetire, keysRotate } from '../../src/cli/commands/keys.js';
import { createDoorman, type Doorman } from '../../src/core.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import type { Storage } from '../../src/storage/ports.js';
import { bearer, join, testConfig } from '../helpers.js';
import { headerOf, joseVerify, publishedJwks } from './keys-helpers.js';

/** One "server process": config read from the keystore file now, over a storage that outlives it. */
interface Instance {
  app: FastifyInstance;
  doorman: Doorman;
}

describe('key rotation never breaks issued tokens', () => {
  let dir: string;
  let file: string;
  let storage: Storage;
  let instances: Instance[];
  const clock = { now: Date.now() };
  const out = { text: '' };
  const io = () => ({
    stdout: { write: (s: string) => (out.text += s) },
    env: { DOORMAN_KEYSTORE_FILE: file, DOORMAN_ALGORITHM: 'ES256', NODE_ENV: 'production' },
  });

  async function boot(): Promise<Instance> {
    const config = testConfig({ keystoreFile: file, signingKey: null });
    const doorman = createDoorman({ config, storage, now: () => clock.now });
    await doorman.start();
    const instance = { app: await buildApp({ doorman, logger: false }), doorman };
    instances.push(instance);
    return instance;
  }
  const mypage = (app: FastifyInstance, token: string) =>
    app.inject({ url: '/account/mypage/', headers: bearer(token) }).then((r) => r.statusCode);

  beforeEach(async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'doorman-keys-'));
    file = joinPath(dir, 'keystore.json');
    storage = memoryStorage();
    await storage.migrate();
    instances = [];
    clock.now = Date.now();
    out.text = '';
  });
  afterEach(async () => {
    for (const { app, doorman } of instances) {
      await app.close();
      await doorman.close();
    }
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issue with A, rotate to B: both verify; retire A after expiry: A refused, B still valid', async () => {
    keysGenerate(io(), {});
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const kidA = JSON.parse(readFileSync(file, 'utf8')).keys[0].kid as string;

    const first = await boot();
    const a = await join(first.app);
    expect(headerOf(a.access)).toMatchObject({ alg: 'ES256', kid: kidA });
    expect(await mypage(first.app, a.access)).toBe(200);

    // Stage B (published, not signing), then rotate: B signs, A retires.
    keysGenerate(io(), {});
    const staged = await boot();
    expect((await publishedJwks(staged.app)).keys).toHaveLength(2);
    expect(headerOf((await join(staged.app, 'lee@example.com')).access).kid).toBe(kidA);
    keysRotate(io(), {});
    const second = await boot();
    const kidB = JSON.parse(readFileSync(file, 'utf8')).keys.find((k: { status: string }) => k.status === 'active')
      .kid as string;
    expect(kidB).not.toBe(kidA);

    expect(await mypage(second.app, a.access)).toBe(200);
    const refreshed = await second.app.inject({
      method: 'POST',
      url: '/api/token/refresh/',
      payload: { refresh: a.refresh },
    });
    expect(refreshed.statusCode).toBe(200);
    const b = refreshed.json() as { access: string; refresh: string };
    expect(headerOf(b.access).kid).toBe(kidB);
    expect(await mypage(second.app, b.access)).toBe(200);
    // The retired key stays published while its tokens live; jose verifies both from the JWKS.
    expect((await publishedJwks(second.app)).keys.map((k) => k.kid).sort()).toEqual([kidA, kidB].sort());
    await joseVerify(second.app, a.access, 'ES256');
    await joseVerify(second.app, b.access, 'ES256');

    // Too early to remove A: every token it signed may still be live.
    keysRetire(io(), undefined, {});
    expect(out.text).toMatch(/nothing removed/);
    expect(() => keysRetire(io(), kidA, {})).toThrow(/may still have signed unexpired tokens.*--force/);
    expect(() => keysRetire(io(), kidB, {})).toThrow(/is the active key/);

    const later = new Date(Date.now() + (86400 + 1) * 1000);
    keysList(io(), later);
    expect(out.text).toMatch(new RegExp(`${kidA}.*retired \\(expired`));
    keysRetire(io(), undefined, {}, later);
    expect(out.text).toMatch(new RegExp(`Removed ${kidA}`));

    const third = await boot();
    expect(await mypage(third.app, a.access)).toBe(401);
    expect(await mypage(third.app, b.access)).toBe(200);
    expect((await publishedJwks(third.app)).keys.map((k) => k.kid)).toEqual([kidB]);
  });

  it('a retired key stops verifying by itself once the longest token lifetime has passed', async () => {
    keysGenerate(io(), {});
    const first = await boot();
    const a = await join(first.app);
    keysRotate(io(), {});
    const second = await boot();
    expect(await mypage(second.app, a.access)).toBe(200);
    // The longest lifetime (refresh, 1 day) has passed since the rotation, which `keys rotate`
    // stamped with the wall clock: counted from now, not from the test's start (on a loaded
    // machine join and boot took over a second, and the key was then still inside its window).
    clock.now = Date.now() + (86400 + 1) * 1000;
    // A fresh process: only doorman's clock moved here, not the token's real exp, so the running
    // process's verified-token cache (keyed by exp in real time) would still hold the token.
    const third = await boot();
    expect(await mypage(third.app, a.access)).toBe(401);
    expect((await publishedJwks(third.app)).keys).toHaveLength(1);
    expect((await publishedJwks(second.app)).keys).toHaveLength(1);
  });

  it('rotates to another algorithm, and never prints key material', async () => {
    keysGenerate(io(), {});
    keysRotate(io(), { algorithm: 'EdDSA' });
    keysList(io());
    expect(out.text).toMatch(/EdDSA.*active/);
    expect(out.text).not.toMatch(/"d"|PRIVATE/);
    const instance = await boot();
    const { access } = await join(instance.app);
    expect(headerOf(access).alg).toBe('EdDSA');
    await joseVerify(instance.app, access, 'EdDSA');
  });
});
