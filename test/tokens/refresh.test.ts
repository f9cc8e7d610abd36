import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, claimsOf, join, testApp, type TestApp } from '../helpers.js';
import { BLACKLISTED, post } from '../http/bodies.js';

describe('concurrent refreshes with one refresh token (SQLite)', () => {
  let t: TestApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
    session = await join(t.app);
  });
  afterEach(() => t.close());

  it.each(['/api/token/refresh/', '/account/token/refresh/'])(
    'of 10 parallel refreshes at %s exactly one gets 200, the others "Token is blacklisted"',
    async (url) => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => post(t.app, url, { refresh: session.refresh })),
      );
      const statuses = responses.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 401, 401, 401, 401]);
      for (const loser of responses.filter((r) => r.statusCode === 401)) expect(loser.json()).toEqual(BLACKLISTED);
    },
  );

  it("installs exactly the winner's token as the session's current one: one row, not one per rotation", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(t.app, '/api/token/refresh/', { refresh: session.refresh })),
    );
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    const { sid } = claimsOf(session.refresh);
    expect(await t.storage.sessions.find(sid as string)).toMatchObject({
      currentJti: claimsOf(winner.refresh).jti,
      previousJti: claimsOf(session.refresh).jti,
    });
  });

  it("treats the losers as reuse (no grace by default): the whole session ends, the winner's tokens too", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(t.app, '/api/token/refresh/', { refresh: session.refresh })),
    );
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(winner.access) })).statusCode).toBe(401);
    expect((await post(t.app, '/api/token/refresh/', { refresh: winner.refresh })).json()).toEqual(BLACKLISTED);
  });
});

describe('concurrent refreshes with DOORMAN_REFRESH_REUSE_GRACE (two tabs)', () => {
  let t: TestApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite', config: { refreshReuseGrace: 10 } });
    session = await join(t.app);
  });
  afterEach(() => t.close());

  it('leaves the winner logged in: the losers are refused but end nothing', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(t.app, '/api/token/refresh/', { refresh: session.refresh })),
    );
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const loser of responses.filter((r) => r.statusCode === 401)) expect(loser.json()).toEqual(BLACKLISTED);
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(winner.access) })).statusCode).toBe(200);
    expect((await post(t.app, '/api/token/refresh/', { refresh: winner.refresh })).statusCode).toBe(200);
  });

  it('ends the session for a reuse after the window', async () => {
    const winner = (await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json();
    t.clock.now += 11_000;
    expect((await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json()).toEqual(BLACKLISTED);
    expect((await post(t.app, '/api/token/refresh/', { refresh: winner.refresh })).json()).toEqual(BLACKLISTED);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(winner.access) })).statusCode).toBe(401);
  });

  it('ends the session for a token older than the one just replaced, even within the window', async () => {
    const first = (await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json();
    const second = (await post(t.app, '/api/token/refresh/', { refresh: first.refresh })).json();
    expect((await post(t.app, '/api/token/refresh/', { refresh: session.refresh })).json()).toEqual(BLACKLISTED);
    expect((await post(t.app, '/api/token/refresh/', { refresh: second.refresh })).json()).toEqual(BLACKLISTED);
  });
});

describe('rotation', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('issues the new refresh token with a new jti, the same session and a full lifetime from now', async () => {
    const { refresh } = await join(t.app);
    t.clock.now += 3_600_000;
    const rotated = claimsOf((await post(t.app, '/api/token/refresh/', { refresh })).json().refresh);
    const old = claimsOf(refresh);
    const now = Math.floor(t.clock.now / 1000);
    expect(rotated).toEqual({ ...old, jti: expect.stringMatching(/^[0-9a-f]{32}$/), iat: now, exp: now + 86_400 });
    expect(rotated.jti).not.toBe(old.jti);
  });

  it('issues the new access token in the same session', async () => {
    const { refresh } = await join(t.app);
    const { access } = (await post(t.app, '/api/token/refresh/', { refresh })).json();
    expect(claimsOf(access).sid).toBe(claimsOf(refresh).sid);
  });
});

describe('custom claims', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ customClaims: (user) => ({ email: user.email, name: user.firstName, staff: user.isStaff }) });
  });
  afterEach(() => t.close());

  it("puts the hook's claims in the access token", async () => {
    const { access } = await join(t.app, 'kim@example.com', { first_name: 'Min' });
    expect(claimsOf(access)).toMatchObject({ email: 'kim@example.com', name: 'Min', staff: false });
  });

  it('keeps them out of the refresh token, so they cannot be copied from it', async () => {
    const { refresh } = await join(t.app, 'kim@example.com', { first_name: 'Min' });
    expect(Object.keys(claimsOf(refresh)).sort()).toEqual(['exp', 'iat', 'jti', 'sid', 'token_type', 'user_id']);
  });

  it('rebuilds them from the current user at /api/token/refresh/', async () => {
    const { access, refresh } = await join(t.app, 'kim@example.com', { first_name: 'Min' });
    await t.app.inject({
      method: 'PATCH',
      url: '/account/user/',
      headers: bearer(access),
      payload: { first_name: 'Jun' },
    });
    await t.storage.users.update(1, { isStaff: true });
    const refreshed = (await post(t.app, '/api/token/refresh/', { refresh })).json();
    expect(claimsOf(refreshed.access)).toMatchObject({ email: 'kim@example.com', name: 'Jun', staff: true });
  });

  it('rebuilds them from the current user at /account/token/refresh/', async () => {
    const { refresh } = await join(t.app, 'kim@example.com', { first_name: 'Min' });
    await t.storage.users.update(1, { firstName: 'Jun' });
    const refreshed = (await post(t.app, '/account/token/refresh/', { refresh })).json();
    expect(claimsOf(refreshed.access).name).toBe('Jun');
  });

  it('rebuilds them with rotation off too', async () => {
    const off = await testApp({
      config: { rotateRefreshTokens: false },
      customClaims: (user) => ({ name: user.firstName }),
    });
    try {
      const { refresh } = await join(off.app, 'kim@example.com', { first_name: 'Min' });
      await off.storage.users.update(1, { firstName: 'Jun' });
      const refreshed = (await post(off.app, '/api/token/refresh/', { refresh })).json();
      expect(claimsOf(refreshed.access).name).toBe('Jun');
    } finally {
      await off.close();
    }
  });
});

describe('a custom-claims hook that returns reserved claims', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({
      customClaims: () => ({
        user_id: 99,
        token_type: 'refresh',
        jti: 'x',
        sid: 'x',
        exp: 1,
        iat: 1,
        nbf: 9_999_999_999,
        aud: 'x',
        iss: 'x',
        role: 'admin',
      }),
    });
  });
  afterEach(() => t.close());

  it('cannot override them: the token keeps its own and authenticates', async () => {
    const { access } = await join(t.app);
    const claims = claimsOf(access);
    const now = Math.floor(t.clock.now / 1000);
    expect(claims).toEqual({
      token_type: 'access',
      user_id: 1,
      jti: expect.stringMatching(/^[0-9a-f]{32}$/),
      sid: expect.stringMatching(/^[0-9a-f]{32}$/),
      iat: now,
      exp: now + 300,
      role: 'admin',
    });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(200);
  });
});
