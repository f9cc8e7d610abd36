import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, PASSWORD, testApp, type TestApp } from '../../test/helpers.js';
import { createVerifier, fastifyHook, type WithAccessToken } from '../../src/verify/index.js';
import { createService } from './service.js';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const get = async (url: string, token?: string) => {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() };
};

describe('examples/service trusts a running doorman (HS secret, real HTTP)', () => {
  let doorman: TestApp;
  let doormanUrl: string;
  let service: Server;
  let serviceUrl: string;
  let tokens: { access: string; refresh: string };

  beforeAll(async () => {
    doorman = await testApp({ storage: 'sqlite' });
    doormanUrl = await doorman.app.listen({ host: '127.0.0.1', port: 0 });
    service = createService(createVerifier({ secret: SECRET }));
    serviceUrl = await listen(service);
    const joined = await fetch(`${doormanUrl}/account/join/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD }),
    });
    expect(joined.status).toBe(201);
    tokens = (await joined.json()) as typeof tokens;
  });
  afterAll(async () => {
    await close(service);
    await doorman.close();
  });

  it('accepts doorman’s access token', async () => {
    const answer = await get(`${serviceUrl}/whoami`, tokens.access);
    expect(answer).toMatchObject({ status: 200, body: { user_id: 1, email: 'kim@example.com' } });
  });

  it('refuses with the same 401 bodies as doorman itself', async () => {
    const cases = [undefined, tokens.refresh, tokens.access.slice(0, -3) + 'abc', 'not-a-jwt'];
    for (const token of cases) {
      const fromService = await get(`${serviceUrl}/whoami`, token);
      const fromDoorman = await get(`${doormanUrl}/account/mypage/`, token);
      expect(fromService.status).toBe(401);
      expect(fromService).toEqual(fromDoorman);
    }
    const wrongType = await get(`${serviceUrl}/whoami`, tokens.refresh);
    expect(wrongType.body).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token has wrong type' }],
    });
    expect(wrongType.challenge).toBe('Bearer realm="api"');
  });

  it('cannot see revocations unless given an isRevoked hook', async () => {
    const logout = await fetch(`${doormanUrl}/account/logout/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access}` },
      body: JSON.stringify({ refresh: tokens.refresh }),
    });
    expect(logout.status).toBe(200);
    expect((await get(`${doormanUrl}/account/mypage/`, tokens.access)).status).toBe(401);
    expect((await get(`${serviceUrl}/whoami`, tokens.access)).status).toBe(200); // documented limit
    const revoked = new Set([JSON.parse(Buffer.from(tokens.access.split('.')[1]!, 'base64url').toString()).sid]);
    const strict = createVerifier({ secret: SECRET, isRevoked: (claims) => revoked.has(claims.sid) });
    await expect(strict.verify(tokens.access)).rejects.toMatchObject({
      body: { messages: [{ message: 'Token is blacklisted' }] },
    });
  });
});

describe('JWKS mode against an independent JWKS server', () => {
  const keys: JWK[] = [];
  let fetches = 0;
  let jwksServer: Server;
  let jwksUrl: string;
  const pairs: Record<string, Parameters<SignJWT['sign']>[0]> = {};

  const addKey = async (kid: string, alg: 'ES256' | 'RS256' | 'EdDSA') => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    pairs[kid] = privateKey;
  };
  const sign = (kid: string, alg: string, claims: Record<string, unknown> = {}, expSeconds = 300) =>
    new SignJWT({ token_type: 'access', jti: crypto.randomUUID().replaceAll('-', ''), user_id: 7, ...claims })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
      .sign(pairs[kid]!);

  beforeAll(async () => {
    await addKey('a', 'ES256');
    jwksServer = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    jwksUrl = `${await listen(jwksServer)}/.well-known/jwks.json`;
  });
  afterAll(() => close(jwksServer));
  afterEach(() => {
    fetches = 0;
  });

  it('verifies a token by kid, then one signed with a key it has not seen yet', async () => {
    const verifier = createVerifier({ jwksUrl, jwks: { cooldownMs: 0 } });
    expect((await verifier.verify(await sign('a', 'ES256'))).userId).toBe(7);
    expect(fetches).toBe(1);
    await addKey('b', 'RS256');
    expect((await verifier.verify(await sign('b', 'RS256'))).userId).toBe(7);
    expect(fetches).toBe(2);
    await verifier.verify(await sign('a', 'ES256'));
    expect(fetches).toBe(2); // cached
  });

  it('bounds refetches: unknown kids within the cooldown cause no more fetches', async () => {
    const verifier = createVerifier({ jwksUrl, jwks: { cooldownMs: 60_000 } });
    await verifier.verify(await sign('a', 'ES256'));
    await addKey('c', 'EdDSA');
    const forged = await sign('c', 'EdDSA');
    for (let i = 0; i < 5; i++)
      await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'token_not_valid' });
    expect(fetches).toBe(1);
  });

  it('refuses expired tokens, wrong types, missing exp, and algorithms outside the pin', async () => {
    const verifier = createVerifier({ jwksUrl, algorithms: ['ES256'], jwks: { cooldownMs: 0 } });
    const message = async (token: string) =>
      ((await verifier.verify(token).catch((e) => e)) as { body: { messages?: Array<{ message: string }> } }).body
        .messages?.[0]?.message;
    expect(await message(await sign('a', 'ES256', {}, -60))).toBe('Token is expired');
    expect(await message(await sign('a', 'ES256', { token_type: 'refresh' }))).toBe('Token has wrong type');
    expect(await message(await sign('b', 'RS256'))).toBe('Token is invalid'); // RS256 is not pinned here
    const noExp = await new SignJWT({ token_type: 'access', jti: 'x', user_id: 1 })
      .setProtectedHeader({ alg: 'ES256', kid: 'a' })
      .sign(pairs.a!);
    expect(await message(noExp)).toBe('Token is invalid');
    const hs = await new SignJWT({ token_type: 'access', jti: 'x', user_id: 1 })
      .setProtectedHeader({ alg: 'HS256', kid: 'a' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(keys[0])));
    expect(await message(hs)).toBe('Token is invalid');
    expect(() => createVerifier({ jwksUrl, algorithms: ['HS256'] })).toThrow(TypeError);
  });

  it('works as a Fastify onRequest hook', async () => {
    const verifier = createVerifier({ jwksUrl, jwks: { cooldownMs: 0 } });
    const app = Fastify();
    app.addHook('onRequest', fastifyHook(verifier));
    app.get('/whoami', async (request) => ({ user: (request as WithAccessToken<typeof request>).accessToken!.userId }));
    expect(
      (await app.inject({ url: '/whoami', headers: { authorization: `Bearer ${await sign('a', 'ES256')}` } })).json(),
    ).toEqual({ user: 7 });
    const anonymous = await app.inject({ url: '/whoami' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      detail: 'Authentication credentials were not provided.',
      code: 'not_authenticated',
    });
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect((await app.inject({ url: '/whoami', headers: { authorization: 'Bearer a b' } })).json().code).toBe(
      'bad_authorization_header',
    );
    await app.close();
  });
});

describe('verifier options are checked at start-up', () => {
  it('needs exactly one key source and a long enough secret', () => {
    expect(() => createVerifier({})).toThrow(TypeError);
    expect(() => createVerifier({ secret: SECRET, jwksUrl: 'http://x/' })).toThrow(TypeError);
    expect(() => createVerifier({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => createVerifier({ secret: SECRET, algorithms: ['RS256'] })).toThrow(TypeError);
  });
});
