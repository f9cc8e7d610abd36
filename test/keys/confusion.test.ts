import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeKeystore } from '../../src/keys/keystore-file.js';
import { addNextKey, initialKeystore } from '../../src/keys/rotation.js';
import { bearer, claimsOf, join, testApp, type TestApp } from '../helpers.js';
import { headerOf, hmacToken, pemFor } from './keys-helpers.js';

describe('algorithm and key confusion is refused', () => {
  let t: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    t = undefined;
    dir = undefined;
  });
  const mypage = (token: string) => t!.app.inject({ url: '/account/mypage/', headers: bearer(token) });
  const verifyView = (token: string) =>
    t!.app.inject({ method: 'POST', url: '/api/token/verify/', payload: { token } });

  it('an HS256 token signed with the RSA public key PEM as the secret (RFC 8725 §2.1)', async () => {
    const pem = pemFor('RS256');
    t = await testApp({ config: { algorithm: 'RS256', signingKey: pem } });
    const { access } = await join(t.app);
    const publicPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    const claims = claimsOf(access);
    for (const header of [
      { alg: 'HS256', typ: 'JWT' },
      { alg: 'HS256', typ: 'JWT', kid: headerOf(access).kid },
    ]) {
      const forged = hmacToken(header, claims, publicPem);
      expect((await mypage(forged)).statusCode).toBe(401);
      expect((await verifyView(forged)).json()).toMatchObject({ code: 'token_not_valid' });
    }
    expect((await mypage(access)).statusCode).toBe(200);
  });

  it('a kid of an RSA key used with HS256, an unknown kid, no kid, and alg none, with a keystore', async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'doorman-confusion-'));
    const file = joinPath(dir, 'keystore.json');
    // An RS256 key signs; an HS256 key is staged (verifies): two algorithms in one keystore.
    const { document, key: hs } = addNextKey(initialKeystore('RS256', new Date()), 'HS256', new Date());
    writeKeystore(file, document);
    const rs = document.keys[0]!;
    t = await testApp({ config: { keystoreFile: file, signingKey: null } });
    const { access } = await join(t.app);
    expect(headerOf(access)).toMatchObject({ alg: 'RS256', kid: rs.kid });
    const claims = claimsOf(access);
    const secret = Buffer.from(hs.jwk.k!, 'base64url');
    const publicPem = createPublicKey({ key: rs.jwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();

    // Our own HS256 key, named by its kid, verifies: the kid selects the key.
    expect((await mypage(hmacToken({ alg: 'HS256', typ: 'JWT', kid: hs.kid }, claims, secret))).statusCode).toBe(200);
    const refused = [
      hmacToken({ alg: 'HS256', typ: 'JWT', kid: rs.kid }, claims, secret), // the kid pins RS256
      hmacToken({ alg: 'HS256', typ: 'JWT', kid: rs.kid }, claims, publicPem),
      hmacToken({ alg: 'HS256', typ: 'JWT', kid: 'no-such-kid' }, claims, secret),
      hmacToken({ alg: 'HS256', typ: 'JWT' }, claims, secret), // no kid with a keystore
      hmacToken({ alg: 'HS256', typ: 'JWT', kid: 42 }, claims, secret),
      `${Buffer.from(JSON.stringify({ alg: 'none', kid: rs.kid })).toString('base64url')}.${access.split('.')[1]}.`,
      `${Buffer.from('not json').toString('base64url')}.${access.split('.')[1]}.${access.split('.')[2]}`,
    ];
    for (const token of refused) {
      const response = await mypage(token);
      expect(response.statusCode, token).toBe(401);
      expect(response.json().code).toBe('token_not_valid');
    }
    // The shared secret is never published, whatever the keystore holds.
    const jwks = (await t.app.inject({ url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([rs.kid]);
    expect(JSON.stringify(jwks)).not.toContain(hs.jwk.k);
  });

  it('refuses a keystore whose key does not fit its alg, naming the setting and the kid', async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'doorman-confusion-'));
    const file = joinPath(dir, 'keystore.json');
    const document = initialKeystore('ES256', new Date());
    document.keys[0]!.alg = 'RS256';
    writeKeystore(file, document);
    await expect(testApp({ config: { keystoreFile: file, signingKey: null } })).rejects.toThrow(
      /DOORMAN_KEYSTORE_FILE: key ".+": the JWK is for ES256, not RS256/,
    );
    await expect(testApp({ config: { keystoreFile: file } })).rejects.toThrow(
      /DOORMAN_KEYSTORE_FILE: replaces DOORMAN_SIGNING_KEY/,
    );
  });
});
