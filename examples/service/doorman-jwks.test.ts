import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { keysGenerate, keysRotate } from '../../src/cli/commands/keys.js';
import { createDoorman, type Doorman } from '../../src/core.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import type { Storage } from '../../src/storage/ports.js';
import { createVerifier } from '../../src/verify/index.js';
import { PASSWORD, testConfig } from '../../test/helpers.js';
import { createService } from './service.js';

/**
 * The service trusts doorman's OWN published JWKS over real HTTP: it verifies a token of the
 * key it fetched, and after doorman rotates to a key the service has never seen, it refetches
 * the JWKS on the unknown kid and verifies that one too (issue 3, with issue 4's keystore).
 */
describe('examples/service against a running doorman’s /.well-known/jwks.json', () => {
  let dir: string;
  let keystoreFile: string;
  let storage: Storage;
  let running: { app: FastifyInstance; doorman: Doorman } | undefined;
  let service: Server | undefined;
  const io = () => ({
    stdout: { write: () => true },
    env: { DOORMAN_KEYSTORE_FILE: keystoreFile, DOORMAN_ALGORITHM: 'ES256', NODE_ENV: 'production' },
  });

  /** A doorman process reading the keystore file as it is now, on `port` (0: any). */
  async function startDoorman(port: number) {
    const doorman = createDoorman({
      config: testConfig({ keystoreFile, signingKey: null, algorithm: 'ES256' }),
      storage,
    });
    await doorman.start();
    const app = await buildApp({ doorman, logger: false });
    const url = await app.listen({ host: '127.0.0.1', port });
    running = { app, doorman };
    return url;
  }
  async function stopDoorman() {
    await running!.app.close();
    await running!.doorman.close();
    running = undefined;
  }
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }),
    );
  const whoami = (serviceUrl: string, token: string) =>
    fetch(`${serviceUrl}/whoami`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
  const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

  beforeEach(async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'doorman-jwks-'));
    keystoreFile = joinPath(dir, 'keystore.json');
    storage = memoryStorage();
  });
  afterEach(async () => {
    if (service) await new Promise<void>((resolve) => service!.close(() => resolve()));
    service = undefined;
    if (running) await stopDoorman();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies doorman’s ES256 tokens, and after a rotation a token of a key it has not seen yet', async () => {
    keysGenerate(io(), {});
    const doormanUrl = await startDoorman(0);
    const port = Number(new URL(doormanUrl).port);
    const verifier = createVerifier({ jwksUrl: `${doormanUrl}/.well-known/jwks.json`, jwks: { cooldownMs: 0 } });
    service = createService(verifier);
    await new Promise<void>((resolve) => service!.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;

    const joined = await post(`${doormanUrl}/account/join/`, {
      email: 'kim@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(joined.status).toBe(201);
    const first = joined.json.access!;
    expect(await whoami(serviceUrl, first)).toMatchObject({ status: 200, body: { email: 'kim@example.com' } });

    // Rotate: a new active key the service has never fetched; the old one keeps verifying.
    keysRotate(io(), {});
    await stopDoorman();
    await startDoorman(port);
    const login = await post(`${doormanUrl}/account/login/`, { email: 'kim@example.com', password: PASSWORD });
    expect(login.status).toBe(200);
    const second = login.json.access!;
    expect(kidOf(second)).not.toBe(kidOf(first));
    expect(await whoami(serviceUrl, second)).toMatchObject({ status: 200, body: { email: 'kim@example.com' } });
    expect((await whoami(serviceUrl, first)).status).toBe(200);

    // A token of a key doorman never published stays refused, with doorman's 401 body.
    const forged = second.split('.').slice(0, 2).join('.') + '.' + Buffer.alloc(64).toString('base64url');
    const refused = await whoami(serviceUrl, forged);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'token_not_valid' });
  });
});
