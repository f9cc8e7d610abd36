import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, claimsOf, join, testApp, type TestApp } from '../helpers.js';
import { BLACKLISTED, invalidAccess, login, NOT_AUTHENTICATED, post } from './bodies.js';

const LOGGED_OUT = { detail: 'Successfully logged out.' };
const NOT_FOUND = { detail: 'Not found.', code: 'not_found' };

describe('GET /account/sessions/', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
  });
  afterEach(() => t.close());

  it("lists the caller's live sessions newest first, with user agent, ip and which one is current", async () => {
    const joined = await join(t.app);
    t.clock.now += 1000;
    const phone = (
      await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'kim@example.com', password: 'correct horse battery' },
        headers: { 'user-agent': 'Phone/1.0' },
      })
    ).json();
    t.clock.now += 1000;
    const laptop = (
      await t.app.inject({
        method: 'POST',
        url: '/api/token/',
        payload: { email: 'kim@example.com', password: 'correct horse battery' },
        headers: { 'user-agent': 'Laptop/2.0' },
      })
    ).json();
    const response = await t.app.inject({
      url: '/account/sessions/',
      headers: { ...bearer(phone.access), 'user-agent': 'ignored' },
    });
    expect(response.statusCode).toBe(200);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(response.json()).toEqual([
      {
        id: claimsOf(laptop.access).sid,
        created: iso(t.clock.now),
        last_used: iso(t.clock.now),
        user_agent: 'Laptop/2.0',
        ip: '127.0.0.1',
        current: false,
      },
      {
        id: claimsOf(phone.access).sid,
        created: iso(t.clock.now - 1000),
        last_used: iso(t.clock.now - 1000),
        user_agent: 'Phone/1.0',
        ip: '127.0.0.1',
        current: true,
      },
      {
        id: claimsOf(joined.access).sid,
        created: iso(t.clock.now - 2000),
        last_used: iso(t.clock.now - 2000),
        user_agent: 'lightMyRequest',
        ip: '127.0.0.1',
        current: false,
      },
    ]);
  });

  it('moves last_used at refresh, not at an authenticated request', async () => {
    const joined = await join(t.app);
    const created = t.clock.now;
    t.clock.now += 5000;
    await t.app.inject({ url: '/account/mypage/', headers: bearer(joined.access) });
    let [listed] = (await t.app.inject({ url: '/account/sessions/', headers: bearer(joined.access) })).json();
    expect(listed.last_used).toBe(new Date(created).toISOString());
    const refreshed = (await post(t.app, '/api/token/refresh/', { refresh: joined.refresh })).json();
    [listed] = (await t.app.inject({ url: '/account/sessions/', headers: bearer(refreshed.access) })).json();
    expect(listed).toMatchObject({
      created: new Date(created).toISOString(),
      last_used: new Date(t.clock.now).toISOString(),
      current: true,
    });
  });

  it("leaves out ended sessions and other users' sessions", async () => {
    const kim = await join(t.app);
    const ended = await login(t.app);
    await post(t.app, '/account/logout/', { refresh: ended.refresh });
    await join(t.app, 'lee@example.com');
    const list = (await t.app.inject({ url: '/account/sessions/', headers: bearer(kim.access) })).json();
    expect(list.map((s: { id: string }) => s.id)).toEqual([claimsOf(kim.access).sid]);
  });

  it('answers 401 without credentials', async () => {
    const response = await t.app.inject({ url: '/account/sessions/' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });
});

describe('the ip recorded behind a proxy', () => {
  it("is the client's from X-Forwarded-For with DOORMAN_TRUST_PROXY, the peer's without", async () => {
    for (const [trustProxy, expected] of [
      [true, '198.51.100.9'],
      [false, '127.0.0.1'],
    ] as const) {
      const t = await testApp({ config: { trustProxy } });
      try {
        const joined = await t.app.inject({
          method: 'POST',
          url: '/account/join/',
          payload: { email: 'kim@example.com', password1: 'correct horse battery', password2: 'correct horse battery' },
          headers: { 'x-forwarded-for': '198.51.100.9' },
        });
        const [listed] = (
          await t.app.inject({ url: '/account/sessions/', headers: bearer(joined.json().access) })
        ).json();
        expect(listed.ip).toBe(expected);
      } finally {
        await t.close();
      }
    }
  });
});

describe('DELETE /account/sessions/{id}/', () => {
  let t: TestApp;
  let kim: { access: string; refresh: string };
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
    kim = await join(t.app);
  });
  afterEach(() => t.close());

  it('answers 204 and ends that session: its refresh and access tokens are refused', async () => {
    const other = await login(t.app);
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/account/sessions/${claimsOf(other.access).sid}/`,
      headers: bearer(kim.access),
    });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(other.access) })).json()).toEqual(
      invalidAccess('Token is blacklisted'),
    );
    expect((await post(t.app, '/api/token/refresh/', { refresh: other.refresh })).json()).toEqual(BLACKLISTED);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(200);
  });

  it("answers 404 for another user's session and ends nothing", async () => {
    const lee = await join(t.app, 'lee@example.com');
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/account/sessions/${claimsOf(lee.access).sid}/`,
      headers: bearer(kim.access),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual(NOT_FOUND);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(lee.access) })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown id and for a session already ended', async () => {
    const other = await login(t.app);
    const url = `/account/sessions/${claimsOf(other.access).sid}/`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(kim.access) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(kim.access) })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/account/sessions/nope/', headers: bearer(kim.access) }))
        .statusCode,
    ).toBe(404);
  });

  it("ends the caller's own session when given its id", async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/account/sessions/${claimsOf(kim.access).sid}/`,
      headers: bearer(kim.access),
    });
    expect(response.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(401);
    expect((await post(t.app, '/api/token/refresh/', { refresh: kim.refresh })).json()).toEqual(BLACKLISTED);
  });

  it("ends a sliding token's session too", async () => {
    const sliding = (
      await post(t.app, '/api/token/sliding/', { email: 'kim@example.com', password: 'correct horse battery' })
    ).json().token;
    const listed = (await t.app.inject({ url: '/account/sessions/', headers: bearer(kim.access) })).json();
    expect(listed.map((s: { id: string }) => s.id)).toContain(claimsOf(sliding).sid);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/account/sessions/${claimsOf(sliding).sid}/`,
          headers: bearer(kim.access),
        })
      ).statusCode,
    ).toBe(204);
    expect((await post(t.app, '/api/token/sliding/refresh/', { token: sliding })).json()).toEqual(BLACKLISTED);
  });

  it('answers 401 without credentials', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: `/account/sessions/${claimsOf(kim.access).sid}/` });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /account/logout/all/', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
  });
  afterEach(() => t.close());

  it("answers 200 and ends every session of the caller, and only the caller's", async () => {
    const kim = await join(t.app);
    const phone = await login(t.app);
    const lee = await join(t.app, 'lee@example.com');
    const response = await post(t.app, '/account/logout/all/', {}, bearer(kim.access));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(LOGGED_OUT);
    for (const session of [kim, phone]) {
      expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) })).statusCode).toBe(401);
      expect((await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json()).toEqual(BLACKLISTED);
    }
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(lee.access) })).statusCode).toBe(200);
  });

  it('answers 401 without credentials', async () => {
    expect((await post(t.app, '/account/logout/all/', {})).statusCode).toBe(401);
  });
});
