import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, testApp, type SessionApp, withSession } from '../helpers.js';
import { CHALLENGE, invalidAccess, NOT_AUTHENTICATED } from './bodies.js';

const URL = '/account/mypage/';

describe('GET /account/mypage/', () => {
  let t: SessionApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await withSession({ email: 'Kim@Example.COM' });
    session = t.session;
  });
  afterEach(() => t.close());

  const get = (headers: Record<string, string> = {}) => t.app.inject({ url: URL, headers });

  it('greets the user by the e-mail as stored', async () => {
    const response = await get(bearer(session.access));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: '반갑습니다, Kim@example.com님!' });
  });

  it('answers 401 not_authenticated with no Authorization header', async () => {
    const response = await get();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });

  it('treats an empty Authorization header as no credentials', async () => {
    const response = await get({ authorization: '' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });

  it('treats another scheme (Basic) as no credentials', async () => {
    const response = await get({ authorization: `Basic ${Buffer.from('kim@example.com:pw').toString('base64')}` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });

  it('matches the scheme case-sensitively, as simplejwt: "bearer" is another scheme', async () => {
    const response = await get({ authorization: `bearer ${session.access}` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });

  it('answers 401 bad_authorization_header for "Bearer" and two values', async () => {
    const response = await get({ authorization: `Bearer ${session.access} extra` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual({
      detail: 'Authorization header must contain two space-delimited values',
      code: 'bad_authorization_header',
    });
  });

  it('answers 401 bad_authorization_header for "Bearer" alone', async () => {
    const response = await get({ authorization: 'Bearer' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      detail: 'Authorization header must contain two space-delimited values',
      code: 'bad_authorization_header',
    });
  });

  it('answers 401 token_not_valid for a value that is not a JWT', async () => {
    const response = await get(bearer('not-a-jwt'));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });

  it('answers 401 token_not_valid "Token has wrong type" for a refresh token', async () => {
    const response = await get(bearer(session.refresh));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token has wrong type'));
  });

  it('answers 401 user_inactive when the user was deactivated', async () => {
    await t.storage.users.update(1, { isActive: false });
    await t.doorman.revocation.userChanged({ id: 1, email: 'Kim@example.com' });
    const response = await get(bearer(session.access));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
  });

  it('answers 405 to POST', async () => {
    const response = await t.app.inject({ method: 'POST', url: URL, headers: bearer(session.access), payload: {} });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(response.json()).toEqual({ detail: 'Method "POST" not allowed.', code: 'method_not_allowed' });
  });
});

describe('the auth header settings', () => {
  it('accepts the configured header types only (AUTH_HEADER_TYPES)', async () => {
    const t = await testApp({ config: { authHeaderTypes: ['JWT'] } });
    try {
      const { access } = await join(t.app);
      const jwt = await t.app.inject({ url: URL, headers: { authorization: `JWT ${access}` } });
      expect(jwt.statusCode).toBe(200);
      const bearerScheme = await t.app.inject({ url: URL, headers: bearer(access) });
      expect(bearerScheme.statusCode).toBe(401);
      expect(bearerScheme.json()).toEqual(NOT_AUTHENTICATED);
    } finally {
      await t.close();
    }
  });

  it('reads the configured header (AUTH_HEADER_NAME) and no other', async () => {
    const t = await testApp({ config: { authHeaderName: 'HTTP_X_ACCESS_TOKEN' } });
    try {
      const { access } = await join(t.app);
      const custom = await t.app.inject({ url: URL, headers: { 'x-access-token': `Bearer ${access}` } });
      expect(custom.statusCode).toBe(200);
      const standard = await t.app.inject({ url: URL, headers: bearer(access) });
      expect(standard.statusCode).toBe(401);
      expect(standard.json()).toEqual(NOT_AUTHENTICATED);
    } finally {
      await t.close();
    }
  });
});
