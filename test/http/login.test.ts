import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { BAD_CREDENTIALS, post, REQUIRED } from './bodies.js';

const URL = '/account/login/';

describe('POST /account/login/', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await join(t.app, 'Kim@example.com', { first_name: 'Min' });
  });
  afterEach(() => t.close());

  it('answers 200 with an access token, a refresh token and the user', async () => {
    const response = await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      access: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      user: { pk: 1, email: 'Kim@example.com', first_name: 'Min', last_name: '', gender: null, date_of_birth: null },
    });
  });

  it('sets no cookie: cookie mode is off by default, tokens travel in the body', async () => {
    const response = await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('gives an access token that authenticates', async () => {
    const { access } = (await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD })).json();
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
    expect(mypage.statusCode).toBe(200);
    expect(mypage.json()).toEqual({ message: '반갑습니다, Kim@example.com님!' });
  });

  it('finds the account case-insensitively on the whole address', async () => {
    const response = await post(t.app, URL, { email: 'KIM@EXAMPLE.COM', password: PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe('Kim@example.com');
  });

  it('refuses a wrong password with a non-field error', async () => {
    const response = await post(t.app, URL, { email: 'Kim@example.com', password: `${PASSWORD}x` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(BAD_CREDENTIALS);
  });

  it('refuses an unknown e-mail with the same answer as a wrong password', async () => {
    const response = await post(t.app, URL, { email: 'nobody@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(BAD_CREDENTIALS);
  });

  it('refuses an inactive user with the same answer as a wrong password', async () => {
    await t.storage.users.update(1, { isActive: false });
    const response = await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(BAD_CREDENTIALS);
  });

  it('refuses a user who has no password (social sign-in) whatever is typed', async () => {
    await t.storage.users.create({ email: 'social@example.com', password: null });
    const response = await post(t.app, URL, { email: 'social@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(BAD_CREDENTIALS);
  });

  it('names every missing field', async () => {
    const response = await post(t.app, URL, {});
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ email: REQUIRED, password: REQUIRED });
  });

  it('refuses a non-string password as a field error', async () => {
    const response = await post(t.app, URL, { email: 'Kim@example.com', password: ['correct', 'horse'] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ password: ['Not a valid string.'] });
  });

  it('records last_login at the time of the login', async () => {
    t.clock.now += 3_600_000;
    await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD });
    const stored = await t.storage.users.findById(1);
    expect(stored?.lastLogin?.getTime()).toBe(t.clock.now);
  });

  it('does not touch last_login when updateLastLogin is off', async () => {
    const off = await testApp({ config: { updateLastLogin: false } });
    try {
      await join(off.app);
      await post(off.app, URL, { email: 'kim@example.com', password: PASSWORD });
      expect((await off.storage.users.findById(1))?.lastLogin).toBeNull();
    } finally {
      await off.close();
    }
  });

  it('starts a new session each time: two logins get different refresh tokens', async () => {
    const a = (await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD })).json();
    const b = (await post(t.app, URL, { email: 'Kim@example.com', password: PASSWORD })).json();
    expect(a.refresh).not.toBe(b.refresh);
  });

  it('adds access_expiration and refresh_expiration when returnExpiration is on', async () => {
    const on = await testApp({ config: { returnExpiration: true } });
    try {
      await join(on.app);
      const response = await post(on.app, URL, { email: 'kim@example.com', password: PASSWORD });
      const seconds = Math.floor(on.clock.now / 1000);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        access: expect.any(String),
        refresh: expect.any(String),
        user: { pk: 1, email: 'kim@example.com', first_name: '', last_name: '', gender: null, date_of_birth: null },
        access_expiration: new Date((seconds + 300) * 1000).toISOString(),
        refresh_expiration: new Date((seconds + 86_400) * 1000).toISOString(),
      });
    } finally {
      await on.close();
    }
  });
});
