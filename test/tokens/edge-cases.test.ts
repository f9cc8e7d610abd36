import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, claimsOf, join, testApp, type TestApp } from '../helpers.js';
import { BLACKLISTED, invalidAccess, post, tokenNotValid } from '../http/bodies.js';
import { hmac, sign, unsecured, withHeader, withPayload } from './forge.js';
import { advance, freezeDate, nowSeconds } from './time.js';

const OTHER_SECRET = 'another-secret-that-is-long-enough-for-hs256-0123456789';

describe('token edge cases', () => {
  let t: TestApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    freezeDate();
    t = await testApp();
    session = await join(t.app);
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  const mypage = (token: string) => t.app.inject({ url: '/account/mypage/', headers: bearer(token) });
  const refresh = (token: string) => post(t.app, '/api/token/refresh/', { refresh: token });
  /** A well-formed access payload for user 1, as doorman would issue it now. */
  const accessClaims = (extra: Record<string, unknown> = {}) => ({ ...claimsOf(session.access), ...extra });

  describe('expiry', () => {
    it('accepts an access token just before its exp', async () => {
      advance(t, 299);
      expect((await mypage(session.access)).statusCode).toBe(200);
    });

    it('refuses an access token after its exp: "Token is expired"', async () => {
      advance(t, 301);
      const response = await mypage(session.access);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is expired'));
    });

    it('refuses an expired access token even after it was accepted (and cached) before', async () => {
      expect((await mypage(session.access)).statusCode).toBe(200);
      advance(t, 301);
      const response = await mypage(session.access);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is expired'));
    });

    it('refuses a refresh token after its exp: "Token is expired"', async () => {
      advance(t, 86_401);
      const response = await refresh(session.refresh);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is expired'));
    });

    it('refuses a token with no exp claim, though correctly signed', async () => {
      const { exp: _exp, ...claims } = accessClaims();
      const response = await mypage(sign(claims));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess("Token has no 'exp' claim"));
    });

    it('allows LEEWAY seconds of clock skew on exp', async () => {
      const lenient = await testApp({ config: { leeway: 30 } });
      try {
        const { access } = await join(lenient.app);
        advance(lenient, 320);
        expect((await lenient.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(200);
        advance(lenient, 20);
        expect((await lenient.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(401);
      } finally {
        await lenient.close();
      }
    });
  });

  describe('not yet valid (nbf)', () => {
    it('refuses an access token whose nbf is in the future', async () => {
      const response = await mypage(sign(accessClaims({ nbf: nowSeconds(t) + 60 })));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('accepts the same token once nbf has passed', async () => {
      const token = sign(accessClaims({ nbf: nowSeconds(t) + 60 }));
      advance(t, 61);
      expect((await mypage(token)).statusCode).toBe(200);
    });

    it('refuses a refresh token whose nbf is in the future', async () => {
      const response = await refresh(sign({ ...claimsOf(session.refresh), nbf: nowSeconds(t) + 60 }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });
  });

  describe('signature', () => {
    it('refuses an access token signed with another secret', async () => {
      const response = await mypage(sign(accessClaims(), { key: OTHER_SECRET }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses a refresh token signed with another secret', async () => {
      const response = await refresh(sign(claimsOf(session.refresh), { key: OTHER_SECRET }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('refuses a token whose signature was removed', async () => {
      const [header, payload] = session.access.split('.');
      const response = await mypage(`${header}.${payload}.`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses a token with the signature of another token', async () => {
      const other = await join(t.app, 'lee@example.com');
      const [header, payload] = session.access.split('.');
      const response = await mypage(`${header}.${payload}.${other.access.split('.')[2]}`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses something with four segments', async () => {
      const response = await mypage(`${session.access}.extra`);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });
  });

  describe('tampered payload', () => {
    it('refuses an access token whose user_id was changed', async () => {
      await join(t.app, 'lee@example.com');
      const response = await mypage(withPayload(session.access, accessClaims({ user_id: 2 })));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses an access token whose exp was extended', async () => {
      const response = await mypage(withPayload(session.access, accessClaims({ exp: nowSeconds(t) + 86_400 * 365 })));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses a refresh token relabelled as an access token', async () => {
      const response = await mypage(
        withPayload(session.refresh, { ...claimsOf(session.refresh), token_type: 'access' }),
      );
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses a token whose header gained a kid without re-signing', async () => {
      const response = await mypage(withHeader(session.access, { alg: 'HS256', typ: 'JWT', kid: 'other' }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });
  });

  describe('alg "none" and switched algorithms', () => {
    it.each(['none', 'None', 'NONE'])('refuses an unsecured access token (alg "%s")', async (alg) => {
      const [, payload] = unsecured(accessClaims()).split('.');
      const token = `${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const response = await mypage(token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses an unsecured refresh token', async () => {
      const response = await refresh(unsecured(claimsOf(session.refresh)));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('refuses an unsecured token at verify', async () => {
      const response = await post(t.app, '/api/token/verify/', { token: unsecured(accessClaims()) });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('refuses a token whose header says HS512 over an HS256 signature', async () => {
      const response = await mypage(withHeader(session.access, { alg: 'HS512', typ: 'JWT' }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses a token really signed HS512 with the right secret: the algorithm is pinned', async () => {
      const response = await mypage(sign(accessClaims(), { algorithm: 'HS512' }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });

    it('refuses a token signed RS256 with some RSA key', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const response = await mypage(sign(accessClaims(), { key: pem, algorithm: 'RS256' }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });
  });

  describe('token type', () => {
    it('refuses a refresh token used as an access token', async () => {
      const response = await mypage(session.refresh);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token has wrong type'));
    });

    it('refuses an access token used as a refresh token', async () => {
      const response = await refresh(session.access);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token has wrong type'));
    });

    it('refuses a signed token of an unknown type as the wrong type', async () => {
      const response = await mypage(sign(accessClaims({ token_type: 'id' })));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token has wrong type'));
    });

    it('refuses a signed token with no type: "Token has no type"', async () => {
      const { token_type: _type, ...claims } = accessClaims();
      const response = await mypage(sign(claims));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token has no type'));
    });
  });

  describe('other claims', () => {
    it('refuses a signed token with no jti: "Token has no id"', async () => {
      const { jti: _jti, ...claims } = accessClaims();
      const response = await mypage(sign(claims));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token has no id'));
    });

    it('refuses a signed access token with no user id', async () => {
      const { user_id: _uid, ...claims } = accessClaims();
      const response = await mypage(sign(claims));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token contained no recognizable user identification'));
    });

    it('refuses a signed access token for a user that does not exist: user_not_found', async () => {
      const response = await mypage(sign(accessClaims({ user_id: 999 })));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'User not found', code: 'user_not_found' });
    });

    it('refuses a signed refresh token of a session doorman never opened: "Token is invalid"', async () => {
      const response = await refresh(sign({ ...claimsOf(session.refresh), jti: 'f'.repeat(32), sid: 'e'.repeat(32) }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('refuses a signed refresh token without a session claim: "Token is invalid"', async () => {
      const { sid: _sid, ...claims } = claimsOf(session.refresh);
      const response = await refresh(sign({ ...claims, jti: 'f'.repeat(32) }));
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('treats a signed refresh token of a live session with a jti that is not the current one as a reuse', async () => {
      const response = await refresh(sign({ ...claimsOf(session.refresh), jti: 'f'.repeat(32) }));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is blacklisted'));
      expect((await refresh(session.refresh)).json()).toEqual(tokenNotValid('Token is blacklisted'));
    });
  });

  describe('blacklisted', () => {
    it('refuses a blacklisted refresh token: "Token is blacklisted"', async () => {
      await post(t.app, '/api/token/blacklist/', { refresh: session.refresh });
      const response = await refresh(session.refresh);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(BLACKLISTED);
    });

    it('refuses an access token of a blacklisted session', async () => {
      await post(t.app, '/api/token/blacklist/', { refresh: session.refresh });
      const response = await mypage(session.access);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is blacklisted'));
    });

    it('refuses a refresh token rotated out of a blacklisted session', async () => {
      const rotated = (await refresh(session.refresh)).json();
      await post(t.app, '/account/logout/', { refresh: rotated.refresh });
      const response = await mypage(rotated.access);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is blacklisted'));
    });
  });
});

describe('audience and issuer', () => {
  let t: TestApp;
  let access: string;
  beforeEach(async () => {
    t = await testApp({ config: { audience: 'doorman-api', issuer: 'https://auth.example.com' } });
    ({ access } = await join(t.app));
  });
  afterEach(() => t.close());

  const mypage = (token: string) => t.app.inject({ url: '/account/mypage/', headers: bearer(token) });

  it('issues tokens carrying aud and iss, which authenticate', async () => {
    expect(claimsOf(access)).toMatchObject({ aud: 'doorman-api', iss: 'https://auth.example.com' });
    expect((await mypage(access)).statusCode).toBe(200);
  });

  it('refuses a token for another audience', async () => {
    const response = await mypage(sign({ ...claimsOf(access), aud: 'another-api' }));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });

  it('refuses a token from another issuer', async () => {
    const response = await mypage(sign({ ...claimsOf(access), iss: 'https://evil.example.com' }));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });

  it('refuses a token with no aud when an audience is configured', async () => {
    const { aud: _aud, ...claims } = claimsOf(access);
    const response = await mypage(sign(claims));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });

  it('refuses a token with no iss when an issuer is configured', async () => {
    const { iss: _iss, ...claims } = claimsOf(access);
    const response = await mypage(sign(claims));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });
});

describe('asymmetric keys (RS256)', () => {
  let t: TestApp;
  let publicPem: string;
  let access: string;
  beforeEach(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    t = await testApp({
      config: { algorithm: 'RS256', signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    });
    ({ access } = await join(t.app));
  });
  afterEach(() => t.close());

  const mypage = (token: string) => t.app.inject({ url: '/account/mypage/', headers: bearer(token) });

  it('authenticates its own RS256 tokens', async () => {
    expect((await mypage(access)).statusCode).toBe(200);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const response = await mypage(hmac({ alg: 'HS256', typ: 'JWT' }, claimsOf(access), publicPem));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });

  it('refuses an RS256 token switched to alg "none"', async () => {
    const response = await mypage(unsecured(claimsOf(access)));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });
});
