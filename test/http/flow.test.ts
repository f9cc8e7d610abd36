import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';

describe('the seed flow', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
  });
  afterEach(() => t.close());

  it('join → login → mypage → refresh (rotated) → password change → logout', async () => {
    const joined = await join(t.app, 'Kim@Example.COM');
    expect(joined.user).toEqual({
      pk: 1,
      email: 'Kim@example.com',
      first_name: '',
      last_name: '',
      gender: null,
      date_of_birth: null,
    });

    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'kim@example.com', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const { access, refresh } = login.json();

    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
    expect(mypage.statusCode).toBe(200);
    expect(mypage.json()).toEqual({ message: '반갑습니다, Kim@example.com님!' });

    const refreshed = await t.app.inject({ method: 'POST', url: '/account/token/refresh/', payload: { refresh } });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refresh).toEqual(expect.any(String));
    expect(next.refresh).not.toBe(refresh);

    const change = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      headers: bearer(next.access),
      payload: { old_password: PASSWORD, new_password1: 'battery staple horse', new_password2: 'battery staple horse' },
    });
    expect(change.statusCode).toBe(200);
    // The caller goes on in a new session; the one the old password opened is over.
    const moved = change.json();
    expect(moved).toEqual({
      detail: 'New password has been saved.',
      access: expect.any(String),
      refresh: expect.any(String),
    });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(next.access) })).statusCode).toBe(401);

    const logout = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      headers: bearer(moved.access),
      payload: { refresh: moved.refresh },
    });
    expect(logout.statusCode).toBe(200);
    expect(logout.json()).toEqual({ detail: 'Successfully logged out.' });

    const after = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: moved.refresh },
    });
    expect(after.statusCode).toBe(401);
    const stale = await t.app.inject({ url: '/account/mypage/', headers: bearer(moved.access) });
    expect(stale.statusCode).toBe(401);

    const again = await t.app.inject({ method: 'POST', url: '/account/token/refresh/', payload: { refresh } });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });
});
