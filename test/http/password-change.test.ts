import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, claimsOf, join, PASSWORD, type SessionApp, withSession } from '../helpers.js';
import {
  BAD_CREDENTIALS,
  BLACKLISTED,
  CHALLENGE,
  invalidAccess,
  login,
  NOT_AUTHENTICATED,
  post,
  REQUIRED,
} from './bodies.js';

const URL = '/account/password/change/';
const NEW = 'battery staple horse';
const change = (extra: Record<string, unknown> = {}) => ({
  old_password: PASSWORD,
  new_password1: NEW,
  new_password2: NEW,
  ...extra,
});

describe('POST /account/password/change/', () => {
  let t: SessionApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await withSession({ storage: 'sqlite' });
    session = t.session;
  });
  afterEach(() => t.close());

  it('answers 200 "New password has been saved." with the tokens of the caller\'s new session', async () => {
    const response = await post(t.app, URL, change(), bearer(session.access));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      detail: 'New password has been saved.',
      access: expect.any(String),
      refresh: expect.any(String),
    });
    expect(claimsOf(body.access).sid).toBe(claimsOf(body.refresh).sid);
    expect(claimsOf(body.access).sid).not.toBe(claimsOf(session.access).sid);
  });

  it('lets the user log in with the new password', async () => {
    await post(t.app, URL, change(), bearer(session.access));
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: NEW });
    expect(response.statusCode).toBe(200);
  });

  it('refuses the old password afterwards', async () => {
    await post(t.app, URL, change(), bearer(session.access));
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(BAD_CREDENTIALS);
  });

  it("moves the caller to a new session: the new tokens work, the old session's tokens are dead", async () => {
    const moved = (await post(t.app, URL, change(), bearer(session.access))).json();
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(moved.access) })).statusCode).toBe(200);
    expect((await post(t.app, '/api/token/refresh/', { refresh: moved.refresh })).statusCode).toBe(200);
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) });
    expect(mypage.json()).toEqual(invalidAccess('Token is blacklisted'));
    expect((await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json()).toEqual(BLACKLISTED);
  });

  it("kills a thief's copy of the current session: the thief rotated first, the victim changes the password", async () => {
    const thief = (await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json();
    const moved = (await post(t.app, URL, change(), bearer(session.access))).json();
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(thief.access) })).statusCode).toBe(401);
    expect((await post(t.app, '/api/token/refresh/', { refresh: thief.refresh })).json()).toEqual(BLACKLISTED);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(moved.access) })).statusCode).toBe(200);
  });

  it('lists only the new session afterwards, marked current', async () => {
    await login(t.app);
    const moved = (await post(t.app, URL, change(), bearer(session.access))).json();
    const list = (await t.app.inject({ url: '/account/sessions/', headers: bearer(moved.access) })).json();
    expect(list).toEqual([expect.objectContaining({ id: claimsOf(moved.access).sid, current: true })]);
  });

  it("blacklists the refresh tokens of the user's other sessions", async () => {
    const other = await login(t.app);
    await post(t.app, URL, change(), bearer(session.access));
    const refresh = await post(t.app, '/api/token/refresh/', { refresh: other.refresh });
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json()).toEqual(BLACKLISTED);
  });

  it("stops the access tokens of the user's other sessions", async () => {
    const other = await login(t.app);
    await post(t.app, URL, change(), bearer(session.access));
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(other.access) });
    expect(mypage.statusCode).toBe(401);
    expect(mypage.json()).toEqual(invalidAccess('Token is blacklisted'));
  });

  it("leaves other users' sessions alone", async () => {
    const lee = await join(t.app, 'lee@example.com');
    await post(t.app, URL, change(), bearer(session.access));
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(lee.access) });
    expect(mypage.statusCode).toBe(200);
  });

  it('answers 401 not_authenticated without credentials', async () => {
    const response = await post(t.app, URL, change());
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });

  it('answers 401 token_not_valid with a refresh token as credentials', async () => {
    const response = await post(t.app, URL, change(), bearer(session.refresh));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token has wrong type'));
  });

  it('refuses a wrong old password', async () => {
    const response = await post(t.app, URL, change({ old_password: 'not my password' }), bearer(session.access));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      old_password: ['Your old password was entered incorrectly. Please enter it again.'],
    });
  });

  it('refuses two different new passwords', async () => {
    const response = await post(t.app, URL, change({ new_password2: 'staple battery horse' }), bearer(session.access));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ new_password2: ['The two password fields didn’t match.'] });
  });

  it('runs the password validators on the new password', async () => {
    const response = await post(
      t.app,
      URL,
      change({ new_password1: '12345678', new_password2: '12345678' }),
      bearer(session.access),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      new_password2: ['This password is too common.', 'This password is entirely numeric.'],
    });
  });

  it('refuses a new password too similar to the e-mail', async () => {
    const response = await post(
      t.app,
      URL,
      change({ new_password1: 'kim@example', new_password2: 'kim@example' }),
      bearer(session.access),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ new_password2: ['The password is too similar to the email address.'] });
  });

  it('keeps the old password when it refuses', async () => {
    await post(t.app, URL, change({ new_password2: 'staple battery horse' }), bearer(session.access));
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(200);
  });

  it('keeps the other sessions when it refuses', async () => {
    const other = await login(t.app);
    await post(t.app, URL, change({ old_password: 'not my password' }), bearer(session.access));
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(other.access) });
    expect(mypage.statusCode).toBe(200);
  });

  it('names every missing field', async () => {
    const response = await post(t.app, URL, {}, bearer(session.access));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ old_password: REQUIRED, new_password1: REQUIRED, new_password2: REQUIRED });
  });

  it('checks credentials before the body', async () => {
    const response = await post(t.app, URL, {});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });
});
