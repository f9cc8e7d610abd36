import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, type SessionApp, withSession } from '../helpers.js';

/** Every contract route, with a request that reaches its handler or its validation. */
const ROUTES = [
  ['POST', '/account/join/'],
  ['POST', '/account/login/'],
  ['POST', '/account/logout/'],
  ['POST', '/account/password/change/'],
  ['POST', '/account/token/refresh/'],
  ['POST', '/account/token/verify/'],
  ['GET', '/account/mypage/'],
  ['GET', '/account/user/'],
  ['PUT', '/account/user/'],
  ['PATCH', '/account/user/'],
  ['POST', '/api/token/'],
  ['POST', '/api/token/refresh/'],
  ['POST', '/api/token/verify/'],
  ['POST', '/api/token/blacklist/'],
  ['POST', '/api/token/sliding/'],
  ['POST', '/api/token/sliding/refresh/'],
] as const;

describe('trailing slash', () => {
  let t: SessionApp;
  let access: string;
  beforeEach(async () => {
    t = await withSession();
    ({ access } = t.session);
  });
  afterEach(() => t.close());

  it.each(ROUTES)('%s %s answers the same without its trailing slash', async (method, url) => {
    const request = { method, headers: bearer(access), ...(method === 'GET' ? {} : { payload: {} }) };
    const withSlash = await t.app.inject({ ...request, url });
    const without = await t.app.inject({ ...request, url: url.slice(0, -1) });
    expect(withSlash.statusCode).not.toBe(404);
    expect(without.statusCode).toBe(withSlash.statusCode);
    expect(without.json()).toEqual(withSlash.json());
  });

  it('logs in without the trailing slash', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/login',
      payload: { email: 'kim@example.com', password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 405 without the trailing slash too', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/account/login' });
    expect(response.statusCode).toBe(405);
    expect(response.json()).toEqual({ detail: 'Method "GET" not allowed.', code: 'method_not_allowed' });
  });
});
