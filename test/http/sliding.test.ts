import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, claimsOf, join, PASSWORD, testApp, type TestApp, withSession } from '../helpers.js';
import { advance, freezeDate, nowSeconds } from '../tokens/time.js';
import { BLACKLISTED, CHALLENGE, invalidAccess, NO_ACTIVE_ACCOUNT, post, REQUIRED, tokenNotValid } from './bodies.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

async function slidingToken(t: TestApp): Promise<string> {
  const response = await post(t.app, '/api/token/sliding/', { email: 'kim@example.com', password: PASSWORD });
  if (response.statusCode !== 200) throw new Error(`sliding failed: ${response.statusCode} ${response.body}`);
  return response.json().token;
}

describe('sliding tokens', () => {
  let t: TestApp;
  beforeEach(async () => {
    freezeDate();
    t = await withSession();
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  describe('POST /api/token/sliding/', () => {
    it('answers 200 with exactly {token}', async () => {
      const response = await post(t.app, '/api/token/sliding/', { email: 'kim@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ token: expect.stringMatching(JWT) });
    });

    it('issues a sliding token: exp after the sliding lifetime, refresh_exp after the refresh lifetime', async () => {
      const now = nowSeconds(t);
      expect(claimsOf(await slidingToken(t))).toEqual({
        token_type: 'sliding',
        exp: now + 300,
        iat: now,
        jti: expect.stringMatching(/^[0-9a-f]{32}$/),
        user_id: 1,
        sid: expect.any(String),
        refresh_exp: now + 86_400,
        email: 'kim@example.com',
      });
    });

    it('answers 401 no_active_account for bad credentials', async () => {
      const response = await post(t.app, '/api/token/sliding/', {
        email: 'kim@example.com',
        password: 'wrong password',
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(CHALLENGE);
      expect(response.json()).toEqual(NO_ACTIVE_ACCOUNT);
    });

    it('answers 401 no_active_account for an inactive user', async () => {
      await t.storage.users.update(1, { isActive: false });
      const response = await post(t.app, '/api/token/sliding/', { email: 'kim@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NO_ACTIVE_ACCOUNT);
    });

    it('names every missing field', async () => {
      const response = await post(t.app, '/api/token/sliding/', {});
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: REQUIRED, password: REQUIRED });
    });
  });

  describe('POST /api/token/sliding/refresh/', () => {
    it('answers 200 with exactly {token}', async () => {
      const token = await slidingToken(t);
      const response = await post(t.app, '/api/token/sliding/refresh/', { token });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ token: expect.stringMatching(JWT) });
    });

    it('keeps jti and refresh_exp and moves iat and exp to now', async () => {
      const token = await slidingToken(t);
      const before = claimsOf(token);
      advance(t, 120);
      const after = claimsOf((await post(t.app, '/api/token/sliding/refresh/', { token })).json().token);
      expect(after).toEqual({ ...before, iat: nowSeconds(t), exp: nowSeconds(t) + 300 });
    });

    it('refreshes a token whose exp has passed while refresh_exp has not', async () => {
      const token = await slidingToken(t);
      advance(t, 3600);
      const response = await post(t.app, '/api/token/sliding/refresh/', { token });
      expect(response.statusCode).toBe(200);
    });

    it('answers 401 "Token \'refresh_exp\' claim has expired" after the refresh lifetime', async () => {
      const token = await slidingToken(t);
      advance(t, 86_400 + 1);
      const response = await post(t.app, '/api/token/sliding/refresh/', { token });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid("Token 'refresh_exp' claim has expired"));
    });

    it('answers 401 "Token has wrong type" for an access token', async () => {
      const { access } = await join(t.app, 'lee@example.com');
      const response = await post(t.app, '/api/token/sliding/refresh/', { token: access });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token has wrong type'));
    });

    it('answers 401 "Token is blacklisted" once the sliding token is blacklisted', async () => {
      const token = await slidingToken(t);
      const blacklist = await post(t.app, '/api/token/blacklist/', { refresh: token });
      expect(blacklist.statusCode).toBe(200);
      const response = await post(t.app, '/api/token/sliding/refresh/', { token });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(BLACKLISTED);
    });

    it('answers 401 no_active_account once the user is deactivated', async () => {
      const token = await slidingToken(t);
      await t.storage.users.update(1, { isActive: false });
      const response = await post(t.app, '/api/token/sliding/refresh/', { token });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        detail: 'No active account found for the given token.',
        code: 'no_active_account',
      });
    });

    it('answers 400 when the token field is missing', async () => {
      const response = await post(t.app, '/api/token/sliding/refresh/', {});
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ token: REQUIRED });
    });
  });

  it('POST /api/token/verify/ answers 200 {} for a sliding token', async () => {
    const response = await post(t.app, '/api/token/verify/', { token: await slidingToken(t) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });

  it('does not authenticate requests unless AUTH_TOKEN_CLASSES includes sliding', async () => {
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(await slidingToken(t)) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token has wrong type'));
  });
});

describe('sliding tokens as credentials (authTokenClasses)', () => {
  let t: TestApp;
  beforeEach(async () => {
    freezeDate();
    t = await withSession({ config: { authTokenClasses: ['access', 'sliding'] } });
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it('authenticates a request with a sliding token', async () => {
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(await slidingToken(t)) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: '반갑습니다, kim@example.com님!' });
  });

  it('refuses a sliding token past its exp until it is refreshed', async () => {
    const token = await slidingToken(t);
    advance(t, 301);
    const stale = await t.app.inject({ url: '/account/mypage/', headers: bearer(token) });
    expect(stale.statusCode).toBe(401);
    const fresh = (await post(t.app, '/api/token/sliding/refresh/', { token })).json().token;
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(fresh) });
    expect(response.statusCode).toBe(200);
  });

  it('lists one message per accepted token class', async () => {
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer('garbage') });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [
        { token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' },
        { token_class: 'SlidingToken', token_type: 'sliding', message: 'Token is invalid' },
      ],
    });
  });

  it('stops a blacklisted sliding token at once', async () => {
    const token = await slidingToken(t);
    await post(t.app, '/api/token/blacklist/', { refresh: token });
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [
        { token_class: 'AccessToken', token_type: 'access', message: 'Token is blacklisted' },
        { token_class: 'SlidingToken', token_type: 'sliding', message: 'Token is blacklisted' },
      ],
    });
  });
});

describe('custom claims on sliding refresh', () => {
  it('rebuilds the custom claims from the current user', async () => {
    const t = await testApp({ customClaims: (user) => ({ email: user.email, name: user.firstName }) });
    try {
      await join(t.app);
      const token = await slidingToken(t);
      expect(claimsOf(token).name).toBe('');
      await t.storage.users.update(1, { firstName: 'Min' });
      const refreshed = (await post(t.app, '/api/token/sliding/refresh/', { token })).json().token;
      expect(claimsOf(refreshed).name).toBe('Min');
    } finally {
      await t.close();
    }
  });
});
