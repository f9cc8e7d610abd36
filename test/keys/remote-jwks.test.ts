import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, testApp, type TestApp } from '../helpers.js';
import { hmacToken } from './keys-helpers.js';

/** Another issuer: a real HTTP server publishing a JWKS that the test can change. */
async function issuerServer() {
  const keys: JWK[] = [];
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    fetches += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  async function addKey(kid: string) {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    keys.push({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' });
    return (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
  }
  return {
    url,
    addKey,
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const claims = { token_type: 'access', jti: 'a'.repeat(32), user_id: 1 };

describe('JWK_URL: tokens signed elsewhere, verified with the remote JWKS', () => {
  let issuer: Awaited<ReturnType<typeof issuerServer>>;
  let t: TestApp | undefined;
  beforeEach(async () => {
    issuer = await issuerServer();
  });
  afterEach(async () => {
    await t?.close();
    await issuer.close();
  });
  const mypage = (token: string) =>
    t!.app.inject({ url: '/account/mypage/', headers: bearer(token) }).then((r) => r.statusCode);

  it('verifies a remote token, learns a key added after the first fetch, and refuses unknown kids and HS tokens', async () => {
    const signFirst = await issuer.addKey('remote-1');
    t = await testApp({ config: { jwkUrl: issuer.url, jwkRefetchCooldown: 0 } });
    const { access } = await join(t.app);
    expect(await mypage(access)).toBe(200); // our own kid-less HS256 token, no fetch
    expect(issuer.fetches()).toBe(0);

    expect(await mypage(await signFirst(claims))).toBe(200);
    expect(issuer.fetches()).toBe(1);

    const signSecond = await issuer.addKey('remote-2');
    expect(await mypage(await signSecond(claims))).toBe(200);
    expect(issuer.fetches()).toBe(2);

    expect(await mypage(await signFirst({ ...claims, token_type: 'refresh' }))).toBe(401);
    expect(
      await mypage(
        hmacToken(
          { alg: 'HS256', kid: 'remote-1' },
          { ...claims, exp: Math.floor(Date.now() / 1000) + 60 },
          'x'.repeat(64),
        ),
      ),
    ).toBe(401);
    expect(
      await mypage(
        hmacToken({ alg: 'ES256', kid: 'nope' }, { ...claims, exp: Math.floor(Date.now() / 1000) + 60 }, 'x'),
      ),
    ).toBe(401);
  });

  it('checks issuer and audience on remote tokens, and bounds refetches for unknown kids', async () => {
    const sign = await issuer.addKey('remote-1');
    t = await testApp({ config: { jwkUrl: issuer.url, issuer: 'https://auth.example.com', audience: 'api' } });
    await join(t.app);
    expect(await mypage(await sign({ ...claims, iss: 'https://auth.example.com', aud: 'api' }))).toBe(200);
    expect(await mypage(await sign({ ...claims, iss: 'https://evil.example', aud: 'api' }))).toBe(401);
    expect(await mypage(await sign({ ...claims, iss: 'https://auth.example.com' }))).toBe(401);
    const before = issuer.fetches();
    for (let i = 0; i < 5; i++) {
      const made = hmacToken(
        { alg: 'ES256', kid: `made-up-${i}` },
        { ...claims, exp: Math.floor(Date.now() / 1000) + 60 },
        'x',
      );
      expect(await mypage(made)).toBe(401);
    }
    expect(issuer.fetches() - before).toBeLessThanOrEqual(1); // cooldown: 30 s by default
  });
});
