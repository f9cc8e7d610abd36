import { createPublicKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { JWT_ALGORITHMS, type JwtAlgorithm } from '../../src/keys/algorithms.js';
import { generateKey } from '../../src/keys/generate.js';
import { bearer, claimsOf, join, SECRET, testApp, type TestApp } from '../helpers.js';
import { headerOf, joseVerify, pemFor, publishedJwks } from './keys-helpers.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('every algorithm: issued by doorman, verified by doorman and by jose from the published JWKS', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  for (const alg of JWT_ALGORITHMS) {
    it(alg, async () => {
      const symmetric = alg.startsWith('HS');
      t = await testApp({ config: { algorithm: alg, ...(symmetric ? {} : { signingKey: pemFor(alg) }) } });
      const { access, refresh } = await join(t.app);
      expect(headerOf(access).alg).toBe(alg);

      const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
      expect(mypage.statusCode).toBe(200);
      const refreshed = await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } });
      expect(refreshed.statusCode).toBe(200);

      const jwks = await publishedJwks(t.app);
      for (const key of jwks.keys) for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
      if (symmetric) {
        // A shared secret is never published; jose checks the token with the secret itself.
        expect(jwks.keys).toEqual([]);
        expect(headerOf(access).kid).toBeUndefined();
        const { payload } = await jwtVerify(access, new TextEncoder().encode(SECRET), { algorithms: [alg] });
        expect(payload.user_id).toBe(1);
        return;
      }
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kid: headerOf(access).kid, alg, use: 'sig' });
      const { payload, protectedHeader } = await joseVerify(t.app, access, alg);
      expect(payload).toEqual(claimsOf(access));
      expect(protectedHeader.kid).toBe(jwks.keys[0]!.kid);
    });
  }

  it('takes keys as JWK too (signing key as a private JWK, with its alg checked)', async () => {
    const { jwk } = generateKey('ES384');
    t = await testApp({ config: { algorithm: 'ES384', signingKey: JSON.stringify(jwk) } });
    const { access } = await join(t.app);
    await expect(joseVerify(t.app, access, 'ES384')).resolves.toBeDefined();
  });

  it('publishes with Cache-Control and a discovery document pointing at the JWKS', async () => {
    t = await testApp({
      config: { algorithm: 'EdDSA', signingKey: pemFor('EdDSA'), issuer: 'https://auth.example.com', jwksMaxAge: 120 },
    });
    const jwks = await t.app.inject({ url: '/.well-known/jwks.json' });
    expect(jwks.headers['cache-control']).toBe('public, max-age=120');
    const discovery = await t.app.inject({ url: '/.well-known/openid-configuration' });
    expect(discovery.statusCode).toBe(200);
    expect(discovery.json()).toEqual({
      issuer: 'https://auth.example.com',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['EdDSA'],
    });
    const post = await t.app.inject({ method: 'POST', url: '/.well-known/jwks.json' });
    expect(post.statusCode).toBe(405);
  });

  it('derives the verifying key, and refuses a VERIFYING_KEY that is not its public half', async () => {
    const pem = pemFor('ES256');
    const other = createPublicKey(pemFor('ES256')).export({ type: 'spki', format: 'pem' }).toString();
    await expect(testApp({ config: { algorithm: 'ES256', signingKey: pem, verifyingKey: other } })).rejects.toThrow(
      /DOORMAN_VERIFYING_KEY: is not the public half/,
    );
  });
});

describe('key/algorithm mismatches are start-up errors naming the setting', () => {
  const cases: Array<[JwtAlgorithm, string, RegExp]> = [
    ['RS256', pemFor('ES256'), /DOORMAN_SIGNING_KEY: RS256 needs a rsa key, got ec/],
    ['ES512', pemFor('ES256'), /DOORMAN_SIGNING_KEY: ES512 needs curve secp521r1/],
    ['EdDSA', pemFor('RS256'), /DOORMAN_SIGNING_KEY: EdDSA needs a ed25519 key, got rsa/],
    ['HS256', pemFor('EdDSA'), /DOORMAN_SIGNING_KEY: HS256 takes a shared secret, not a PEM key/],
    ['PS256', JSON.stringify(generateKey('ES256').jwk), /DOORMAN_SIGNING_KEY: the JWK is for ES256, not PS256/],
    [
      'HS512',
      JSON.stringify({ kty: 'oct', k: Buffer.alloc(40, 7).toString('base64url') }),
      /HS512 needs a secret of at least 64 bytes/,
    ],
  ];
  for (const [alg, key, message] of cases) {
    it(`${alg} with ${message.source.slice(0, 40)}…`, async () => {
      await expect(testApp({ config: { algorithm: alg, signingKey: key } })).rejects.toThrow(message);
    });
  }
});
