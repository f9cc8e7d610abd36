import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, claimsOf, join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { advance, freezeDate, nowSeconds } from '../tokens/time.js';
import {
  BLACKLISTED,
  CHALLENGE,
  invalidAccess,
  NO_ACTIVE_ACCOUNT,
  obtainPair,
  post,
  REQUIRED,
  tokenNotValid,
} from './bodies.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe('simplejwt views under /api/token/', () => {
  let t: TestApp;
  let pair: { access: string; refresh: string };
  beforeEach(async () => {
    freezeDate();
    t = await testApp({ storage: 'sqlite' });
    await join(t.app);
    pair = await obtainPair(t.app);
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  describe('POST /api/token/', () => {
    it('answers 200 with exactly {access, refresh}', async () => {
      const response = await post(t.app, '/api/token/', { email: 'kim@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ access: expect.stringMatching(JWT), refresh: expect.stringMatching(JWT) });
    });

    it('answers 401 no_active_account for a wrong password', async () => {
      const response = await post(t.app, '/api/token/', { email: 'kim@example.com', password: 'wrong password' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(CHALLENGE);
      expect(response.json()).toEqual(NO_ACTIVE_ACCOUNT);
    });

    it('answers 401 no_active_account for an unknown e-mail', async () => {
      const response = await post(t.app, '/api/token/', { email: 'nobody@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NO_ACTIVE_ACCOUNT);
    });

    it('answers 401 no_active_account for an inactive user with the right password', async () => {
      await t.storage.users.update(1, { isActive: false });
      const response = await post(t.app, '/api/token/', { email: 'kim@example.com', password: PASSWORD });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NO_ACTIVE_ACCOUNT);
    });

    it('names every missing field', async () => {
      const response = await post(t.app, '/api/token/', {});
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: REQUIRED, password: REQUIRED });
    });

    it('records last_login', async () => {
      advance(t, 60);
      await post(t.app, '/api/token/', { email: 'kim@example.com', password: PASSWORD });
      expect((await t.storage.users.findById(1))?.lastLogin?.getTime()).toBe(t.clock.now);
    });
  });

  describe('POST /api/token/refresh/', () => {
    it('answers 200 with a new access token and a rotated refresh token', async () => {
      const response = await post(t.app, '/api/token/refresh/', { refresh: pair.refresh });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toEqual({ access: expect.stringMatching(JWT), refresh: expect.stringMatching(JWT) });
      expect(body.refresh).not.toBe(pair.refresh);
    });

    it('gives an access token that authenticates', async () => {
      const { access } = (await post(t.app, '/api/token/refresh/', { refresh: pair.refresh })).json();
      const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
      expect(mypage.statusCode).toBe(200);
    });

    it('spends the old refresh token: using it again is 401 "Token is blacklisted"', async () => {
      await post(t.app, '/api/token/refresh/', { refresh: pair.refresh });
      const again = await post(t.app, '/api/token/refresh/', { refresh: pair.refresh });
      expect(again.statusCode).toBe(401);
      expect(again.headers['www-authenticate']).toBe(CHALLENGE);
      expect(again.json()).toEqual(BLACKLISTED);
    });

    it('gives a rotated refresh token that refreshes in turn', async () => {
      const { refresh } = (await post(t.app, '/api/token/refresh/', { refresh: pair.refresh })).json();
      const next = await post(t.app, '/api/token/refresh/', { refresh });
      expect(next.statusCode).toBe(200);
    });

    it('answers 401 "Token is expired" after the refresh lifetime', async () => {
      advance(t, 86_400 + 1);
      const response = await post(t.app, '/api/token/refresh/', { refresh: pair.refresh });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is expired'));
    });

    it('still refreshes just before the refresh lifetime ends', async () => {
      advance(t, 86_400 - 1);
      const response = await post(t.app, '/api/token/refresh/', { refresh: pair.refresh });
      expect(response.statusCode).toBe(200);
    });

    it('answers 401 "Token has wrong type" for an access token', async () => {
      const response = await post(t.app, '/api/token/refresh/', { refresh: pair.access });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token has wrong type'));
    });

    it('answers 401 "Token is invalid" for garbage', async () => {
      const response = await post(t.app, '/api/token/refresh/', { refresh: 'a.b.c' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('answers 400 when the refresh field is missing', async () => {
      const response = await post(t.app, '/api/token/refresh/', {});
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ refresh: REQUIRED });
    });

    it('keeps the session: logging out with the rotated token stops the first access token', async () => {
      const { refresh } = (await post(t.app, '/api/token/refresh/', { refresh: pair.refresh })).json();
      await post(t.app, '/account/logout/', { refresh });
      const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(pair.access) });
      expect(mypage.statusCode).toBe(401);
      expect(mypage.json()).toEqual(invalidAccess('Token is blacklisted'));
    });
  });

  describe('POST /api/token/verify/', () => {
    it('answers 200 {} for a valid access token', async () => {
      const response = await post(t.app, '/api/token/verify/', { token: pair.access });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({});
    });

    it('answers 200 {} for a valid refresh token', async () => {
      const response = await post(t.app, '/api/token/verify/', { token: pair.refresh });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({});
    });

    it('answers 401 "Token is expired" for an expired access token', async () => {
      advance(t, 301);
      const response = await post(t.app, '/api/token/verify/', { token: pair.access });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe(CHALLENGE);
      expect(response.json()).toEqual(tokenNotValid('Token is expired'));
    });

    it('answers 401 "Token is invalid" for a token with a bad signature', async () => {
      const response = await post(t.app, '/api/token/verify/', { token: `${pair.access.slice(0, -2)}AA` });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('answers 400 non_field_errors "Token is blacklisted" for a blacklisted refresh token', async () => {
      await post(t.app, '/api/token/blacklist/', { refresh: pair.refresh });
      const response = await post(t.app, '/api/token/verify/', { token: pair.refresh });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ non_field_errors: ['Token is blacklisted'] });
    });

    it('answers 400 "Token is blacklisted" for an access token of a logged-out session', async () => {
      await post(t.app, '/account/logout/', { refresh: pair.refresh });
      const response = await post(t.app, '/api/token/verify/', { token: pair.access });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ non_field_errors: ['Token is blacklisted'] });
    });

    it('answers 400 when the token field is missing', async () => {
      const response = await post(t.app, '/api/token/verify/', {});
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ token: REQUIRED });
    });

    it('answers 400 when the token field is blank', async () => {
      const response = await post(t.app, '/api/token/verify/', { token: '' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ token: ['This field may not be blank.'] });
    });
  });

  describe('POST /api/token/blacklist/', () => {
    it('answers 200 {}', async () => {
      const response = await post(t.app, '/api/token/blacklist/', { refresh: pair.refresh });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({});
    });

    it('makes the refresh token unusable', async () => {
      await post(t.app, '/api/token/blacklist/', { refresh: pair.refresh });
      const response = await post(t.app, '/api/token/refresh/', { refresh: pair.refresh });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(BLACKLISTED);
    });

    it('stops the access tokens of the same session', async () => {
      await post(t.app, '/api/token/blacklist/', { refresh: pair.refresh });
      const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(pair.access) });
      expect(mypage.statusCode).toBe(401);
      expect(mypage.json()).toEqual(invalidAccess('Token is blacklisted'));
    });

    it('answers 401 "Token is blacklisted" the second time', async () => {
      await post(t.app, '/api/token/blacklist/', { refresh: pair.refresh });
      const again = await post(t.app, '/api/token/blacklist/', { refresh: pair.refresh });
      expect(again.statusCode).toBe(401);
      expect(again.json()).toEqual(BLACKLISTED);
    });

    it('answers 401 "Token has wrong type" for an access token', async () => {
      const response = await post(t.app, '/api/token/blacklist/', { refresh: pair.access });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token has wrong type'));
    });

    it('answers 400 when the refresh field is missing', async () => {
      const response = await post(t.app, '/api/token/blacklist/', {});
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ refresh: REQUIRED });
    });
  });
});

describe('dj-rest-auth views under /account/token/', () => {
  let t: TestApp;
  let pair: { access: string; refresh: string };
  beforeEach(async () => {
    freezeDate();
    t = await testApp({ storage: 'sqlite' });
    pair = await join(t.app);
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it('POST /account/token/refresh/ answers {access, refresh, access_expiration}', async () => {
    advance(t, 10);
    const response = await post(t.app, '/account/token/refresh/', { refresh: pair.refresh });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      access: expect.stringMatching(JWT),
      refresh: expect.stringMatching(JWT),
      access_expiration: new Date((nowSeconds(t) + 300) * 1000).toISOString(),
    });
  });

  it("POST /account/token/refresh/ answers access_expiration equal to the new token's exp", async () => {
    const body = (await post(t.app, '/account/token/refresh/', { refresh: pair.refresh })).json();
    expect(new Date(body.access_expiration).getTime()).toBe((claimsOf(body.access).exp as number) * 1000);
  });

  it('POST /account/token/refresh/ answers 401 "No valid refresh token found." without a refresh token', async () => {
    const response = await post(t.app, '/account/token/refresh/', {});
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(tokenNotValid('No valid refresh token found.'));
  });

  it('POST /account/token/refresh/ takes an empty refresh as none', async () => {
    const response = await post(t.app, '/account/token/refresh/', { refresh: '' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('No valid refresh token found.'));
  });

  it('POST /account/token/refresh/ answers 401 "Token is blacklisted" for a spent token', async () => {
    await post(t.app, '/account/token/refresh/', { refresh: pair.refresh });
    const again = await post(t.app, '/account/token/refresh/', { refresh: pair.refresh });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual(BLACKLISTED);
  });

  it('POST /account/token/refresh/ answers 401 "Token is expired" after the refresh lifetime', async () => {
    advance(t, 86_401);
    const response = await post(t.app, '/account/token/refresh/', { refresh: pair.refresh });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('Token is expired'));
  });

  it('POST /account/token/refresh/ answers 401 "Token has wrong type" for an access token', async () => {
    const response = await post(t.app, '/account/token/refresh/', { refresh: pair.access });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('Token has wrong type'));
  });

  it('POST /account/token/verify/ answers 200 {} for a valid token', async () => {
    const response = await post(t.app, '/account/token/verify/', { token: pair.access });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });

  it('POST /account/token/verify/ answers 401 token_not_valid for an invalid token', async () => {
    const response = await post(t.app, '/account/token/verify/', { token: 'nope' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
  });

  it('POST /account/token/verify/ answers 401 "Token is expired" for an expired token', async () => {
    advance(t, 301);
    const response = await post(t.app, '/account/token/verify/', { token: pair.access });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('Token is expired'));
  });

  it('POST /account/token/verify/ answers 400 "Token is blacklisted" for a blacklisted refresh token', async () => {
    await post(t.app, '/account/logout/', { refresh: pair.refresh });
    const response = await post(t.app, '/account/token/verify/', { token: pair.refresh });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ non_field_errors: ['Token is blacklisted'] });
  });
});

describe('refresh settings', () => {
  it('answers only {access} at /api/token/refresh/ with rotation off, and the refresh token stays usable', async () => {
    const t = await testApp({ config: { rotateRefreshTokens: false } });
    try {
      const { refresh } = await join(t.app);
      const first = await post(t.app, '/api/token/refresh/', { refresh });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ access: expect.stringMatching(JWT) });
      const second = await post(t.app, '/api/token/refresh/', { refresh });
      expect(second.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers {access, access_expiration} at /account/token/refresh/ with rotation off', async () => {
    const t = await testApp({ config: { rotateRefreshTokens: false } });
    try {
      const { refresh } = await join(t.app);
      const response = await post(t.app, '/account/token/refresh/', { refresh });
      expect(response.json()).toEqual({ access: expect.stringMatching(JWT), access_expiration: expect.any(String) });
    } finally {
      await t.close();
    }
  });

  it('keeps the old refresh token usable when rotating without blacklist-after-rotation', async () => {
    const t = await testApp({ config: { blacklistAfterRotation: false } });
    try {
      const { refresh } = await join(t.app);
      const first = await post(t.app, '/api/token/refresh/', { refresh });
      expect(first.json()).toEqual({ access: expect.stringMatching(JWT), refresh: expect.stringMatching(JWT) });
      const second = await post(t.app, '/api/token/refresh/', { refresh });
      expect(second.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('adds refresh_expiration at /account/token/refresh/ when returnExpiration is on', async () => {
    const t = await testApp({ config: { returnExpiration: true } });
    try {
      const { refresh } = await join(t.app);
      const body = (await post(t.app, '/account/token/refresh/', { refresh })).json();
      expect(body).toEqual({
        access: expect.stringMatching(JWT),
        refresh: expect.stringMatching(JWT),
        access_expiration: new Date((claimsOf(body.access).exp as number) * 1000).toISOString(),
        refresh_expiration: new Date((claimsOf(body.refresh).exp as number) * 1000).toISOString(),
      });
    } finally {
      await t.close();
    }
  });
});
