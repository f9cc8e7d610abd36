import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, PASSWORD, type SessionApp, type TestApp, withSession } from '../helpers.js';
import { CHALLENGE, post } from './bodies.js';

/** Every way to get a 401, each paired with the code it answers. */
const CASES: Array<
  [string, string, (t: TestApp, s: { access: string; refresh: string }) => Promise<LightMyRequestResponse>]
> = [
  ['mypage without credentials', 'not_authenticated', (t) => t.app.inject({ url: '/account/mypage/' })],
  [
    'mypage with a Basic header',
    'not_authenticated',
    (t) => t.app.inject({ url: '/account/mypage/', headers: { authorization: 'Basic a2ltOnB3' } }),
  ],
  [
    'mypage with three header parts',
    'bad_authorization_header',
    (t) => t.app.inject({ url: '/account/mypage/', headers: { authorization: 'Bearer a b' } }),
  ],
  [
    'mypage with a bad token',
    'token_not_valid',
    (t) => t.app.inject({ url: '/account/mypage/', headers: bearer('bad') }),
  ],
  [
    'mypage with a refresh token',
    'token_not_valid',
    (t, s) => t.app.inject({ url: '/account/mypage/', headers: bearer(s.refresh) }),
  ],
  ['user without credentials', 'not_authenticated', (t) => t.app.inject({ url: '/account/user/' })],
  [
    'PATCH user without credentials',
    'not_authenticated',
    (t) => t.app.inject({ method: 'PATCH', url: '/account/user/', payload: {} }),
  ],
  ['password change without credentials', 'not_authenticated', (t) => post(t.app, '/account/password/change/', {})],
  ['logout without a refresh token', 'token_not_valid', (t) => post(t.app, '/account/logout/', {})],
  ['logout with a bad refresh token', 'token_not_valid', (t) => post(t.app, '/account/logout/', { refresh: 'bad' })],
  ['/account/token/refresh/ without a token', 'token_not_valid', (t) => post(t.app, '/account/token/refresh/', {})],
  [
    '/account/token/verify/ with a bad token',
    'token_not_valid',
    (t) => post(t.app, '/account/token/verify/', { token: 'bad' }),
  ],
  [
    '/api/token/ with bad credentials',
    'no_active_account',
    (t) => post(t.app, '/api/token/', { email: 'kim@example.com', password: 'nope nope' }),
  ],
  [
    '/api/token/refresh/ with an access token',
    'token_not_valid',
    (t, s) => post(t.app, '/api/token/refresh/', { refresh: s.access }),
  ],
  [
    '/api/token/verify/ with a bad token',
    'token_not_valid',
    (t) => post(t.app, '/api/token/verify/', { token: 'bad' }),
  ],
  [
    '/api/token/blacklist/ with a bad token',
    'token_not_valid',
    (t) => post(t.app, '/api/token/blacklist/', { refresh: 'bad' }),
  ],
  [
    '/api/token/sliding/ with bad credentials',
    'no_active_account',
    (t) => post(t.app, '/api/token/sliding/', { email: 'kim@example.com', password: 'nope nope' }),
  ],
  [
    '/api/token/sliding/refresh/ with a bad token',
    'token_not_valid',
    (t) => post(t.app, '/api/token/sliding/refresh/', { token: 'bad' }),
  ],
];

describe('WWW-Authenticate', () => {
  let t: SessionApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await withSession();
    session = t.session;
  });
  afterEach(() => t.close());

  it.each(CASES)('carries Bearer realm="api" on the 401 of %s', async (_name, code, send) => {
    const response = await send(t, session);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe(code);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
  });

  it('carries it on the 401 of a deactivated user', async () => {
    await t.storage.users.update(1, { isActive: false });
    await t.doorman.revocation.userChanged({ id: 1, email: 'kim@example.com' });
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
  });

  it('is absent from a 400', async () => {
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: 'wrong password' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('is absent from a 200', async () => {
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
});
