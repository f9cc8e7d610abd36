import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, PASSWORD, join, testApp, type TestApp, withSession } from '../helpers.js';

const COOKIES = { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh' };

function cookie(response: LightMyRequestResponse, name: string, path?: string) {
  const found = response.cookies.find((c) => c.name === name && (path === undefined || c.path === path));
  if (!found)
    throw new Error(
      `no ${name} cookie${path ? ` for ${path}` : ''} in ${JSON.stringify(response.headers['set-cookie'])}`,
    );
  return found;
}

describe('cookie mode (dj-rest-auth JWT_AUTH_COOKIE) with CSRF protection', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await withSession({ config: COOKIES });
  });
  afterEach(() => t.close());

  async function login() {
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'kim@example.com', password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    return {
      response,
      access: cookie(response, 'doorman-auth').value,
      refresh: cookie(response, 'doorman-refresh', '/account/token/refresh').value,
      csrf: cookie(response, 'csrftoken').value,
    };
  }

  it('login sets HttpOnly, Secure, SameSite=Lax token cookies; the refresh cookie only for refresh and logout', async () => {
    const { response } = await login();
    expect(cookie(response, 'doorman-auth')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: 300,
    });
    for (const path of ['/account/token/refresh', '/account/logout']) {
      expect(cookie(response, 'doorman-refresh', path)).toMatchObject({
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        maxAge: 86400,
      });
    }
    expect(response.cookies.filter((c) => c.name === 'doorman-refresh')).toHaveLength(2);
    // The CSRF cookie is meant to be read by the page's script.
    expect(cookie(response, 'csrftoken')).toMatchObject({ secure: true, sameSite: 'Lax', path: '/' });
    expect(cookie(response, 'csrftoken').httpOnly).toBeUndefined();
    // HttpOnly cookie mode: page script never sees the refresh token (issue 14) ...
    expect(response.json()).toMatchObject({ access: cookie(response, 'doorman-auth').value });
    expect(response.json().refresh).toBeUndefined();
    // ... and a native client that asks for it keeps getting it (dj-rest-auth #560).
    const native = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: { 'x-doorman-token-transport': 'body' },
      payload: { email: 'kim@example.com', password: PASSWORD },
    });
    expect(native.json()).toMatchObject({ access: expect.any(String), refresh: expect.any(String) });
  });

  it('mypage works with only the access cookie', async () => {
    const { access } = await login();
    const response = await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': access } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': 'garbage' } })).statusCode).toBe(
      401,
    );
  });

  it('a cookie-authenticated POST/PATCH without the CSRF token is refused 403; with it, accepted', async () => {
    const { access, csrf } = await login();
    const patch = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PATCH',
        url: '/account/user/',
        cookies: { 'doorman-auth': access, csrftoken: csrf },
        headers,
        payload: { first_name: 'Minji' },
      });
    const missing = await patch({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing.', code: 'csrf_failed' });
    const wrong = await patch({ 'x-csrftoken': csrf.slice(0, -2) + 'xx' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toEqual({ detail: 'CSRF Failed: CSRF token incorrect.', code: 'csrf_failed' });
    const ok = await patch({ 'x-csrftoken': csrf });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().first_name).toBe('Minji');

    const change = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      cookies: { 'doorman-auth': access },
      payload: { old_password: PASSWORD, new_password1: 'battery staple horse', new_password2: 'battery staple horse' },
    });
    expect(change.statusCode).toBe(403);
  });

  it('a CSRF token of another session does not pass (tokens are bound to the session)', async () => {
    const first = await login();
    const second = await login();
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/account/user/',
      cookies: { 'doorman-auth': first.access },
      headers: { 'x-csrftoken': second.csrf },
      payload: { first_name: 'X' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('header-authenticated requests are unaffected by CSRF', async () => {
    const { access } = await login();
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/account/user/',
      headers: bearer(access),
      cookies: { 'doorman-auth': 'stale' },
      payload: { last_name: 'Kim' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('refresh reads the refresh cookie (with CSRF), sets new cookies, and keeps the refresh token out of the body', async () => {
    const { refresh, csrf } = await login();
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      cookies: { 'doorman-refresh': refresh },
    });
    expect(noCsrf.statusCode).toBe(403);
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      cookies: { 'doorman-refresh': refresh },
      headers: { 'x-csrftoken': csrf },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.refresh).toBeUndefined();
    expect(body.access).toBe(cookie(response, 'doorman-auth').value);
    expect(body.access_expiration).toEqual(expect.any(String));
    expect(cookie(response, 'doorman-refresh', '/account/token/refresh').value).not.toBe(refresh);
    expect(cookie(response, 'csrftoken').value).toBe(csrf); // same session, same token

    // A client that sends the refresh token in the body gets it in the body.
    const next = cookie(response, 'doorman-refresh', '/account/token/refresh').value;
    const byBody = await t.app.inject({ method: 'POST', url: '/account/token/refresh/', payload: { refresh: next } });
    expect(byBody.statusCode).toBe(200);
    expect(byBody.json().refresh).toEqual(expect.any(String));
  });

  it('logout reads the refresh cookie, blacklists it and clears the cookies, even when the token is already spent', async () => {
    const { access, refresh, csrf } = await login();
    const forged = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      cookies: { 'doorman-refresh': refresh },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.cookies).toHaveLength(0);

    const response = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      cookies: { 'doorman-auth': access, 'doorman-refresh': refresh },
      headers: { 'x-csrftoken': csrf },
    });
    expect(response.statusCode).toBe(200);
    for (const [name, path] of [
      ['doorman-auth', '/'],
      ['doorman-refresh', '/account/token/refresh'],
      ['doorman-refresh', '/account/logout'],
      ['csrftoken', '/'],
    ] as const) {
      const cleared = cookie(response, name, path);
      expect(cleared.value).toBe('');
      expect(cleared.expires!.getTime()).toBeLessThanOrEqual(Date.now());
    }
    const reused = await t.app.inject({ method: 'POST', url: '/account/token/refresh/', payload: { refresh } });
    expect(reused.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': access } })).statusCode).toBe(401);

    const again = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      cookies: { 'doorman-refresh': refresh },
      headers: { 'x-csrftoken': csrf },
    });
    expect(again.statusCode).toBe(401);
    expect(cookie(again, 'doorman-auth').value).toBe('');
  });
  it('password change moves the browser to the new session: new token and CSRF cookies, the old cookies dead', async () => {
    const { access, csrf } = await login();
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      cookies: { 'doorman-auth': access },
      headers: { 'x-csrftoken': csrf },
      payload: { old_password: PASSWORD, new_password1: 'battery staple horse', new_password2: 'battery staple horse' },
    });
    expect(response.statusCode).toBe(200);
    const next = cookie(response, 'doorman-auth').value;
    expect(next).toBe(response.json().access);
    expect(cookie(response, 'csrftoken').value).not.toBe(csrf);
    expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': next } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': access } })).statusCode).toBe(401);
  });

  it('logout everywhere clears the cookies and needs the CSRF header', async () => {
    const { access, csrf } = await login();
    const forged = await t.app.inject({
      method: 'POST',
      url: '/account/logout/all/',
      cookies: { 'doorman-auth': access },
    });
    expect(forged.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': access } })).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/logout/all/',
      cookies: { 'doorman-auth': access },
      headers: { 'x-csrftoken': csrf },
    });
    expect(response.statusCode).toBe(200);
    expect(cookie(response, 'doorman-auth').value).toBe('');
    expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': access } })).statusCode).toBe(401);
  });
});

describe('cookie mode settings', () => {
  it('is off by default: no cookies are set and none are read', async () => {
    const t = await testApp();
    try {
      const joined = await t.app.inject({
        method: 'POST',
        url: '/account/join/',
        payload: { email: 'a@example.com', password1: PASSWORD, password2: PASSWORD },
      });
      expect(joined.headers['set-cookie']).toBeUndefined();
      const response = await t.app.inject({
        url: '/account/mypage/',
        cookies: { 'doorman-auth': joined.json().access },
      });
      expect(response.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('honours SameSite, Secure, HttpOnly and the refresh path; refuses SameSite=None without Secure', async () => {
    const t = await testApp({
      config: {
        ...COOKIES,
        cookieSameSite: 'Strict',
        cookieSecure: false,
        cookieHttpOnly: false,
        refreshCookiePath: '/account/',
      },
    });
    try {
      const { refresh } = await join(t.app);
      const response = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'kim@example.com', password: PASSWORD },
      });
      expect(cookie(response, 'doorman-auth')).toMatchObject({ sameSite: 'Strict', path: '/' });
      expect(cookie(response, 'doorman-auth').secure).toBeUndefined();
      expect(cookie(response, 'doorman-auth').httpOnly).toBeUndefined();
      expect(response.cookies.filter((c) => c.name === 'doorman-refresh').map((c) => c.path)).toEqual(['/account/']);
      expect(refresh).toEqual(expect.any(String));
    } finally {
      await t.close();
    }
    await expect(testApp({ config: { ...COOKIES, cookieSameSite: 'None', cookieSecure: false } })).rejects.toThrow(
      /DOORMAN_COOKIE_SAME_SITE: SameSite=None cookies must be Secure/,
    );
  });
});
