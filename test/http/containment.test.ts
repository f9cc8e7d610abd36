import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors/auth-error.js';
import { bearer, claimsOf, join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { BLACKLISTED, login, post, tokenNotValid } from './bodies.js';

/**
 * A stolen refresh token is contained (issue 13), on SQLite: each test plays the thief.
 * `victim` is the session as its owner holds it; the thief holds a copy of its refresh token.
 */
describe('containment of a stolen refresh token (SQLite)', () => {
  let t: TestApp;
  let victim: { access: string; refresh: string };
  beforeEach(async () => {
    // Throttling off: the 40-pair race logs in 40 times from one address by design.
    t = await testApp({ storage: 'sqlite', config: { throttle: false } });
    victim = await join(t.app);
  });
  afterEach(() => t.close());

  const mypage = (access: string) => t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
  const refresh = (token: string) => post(t.app, '/api/token/refresh/', { refresh: token });

  it("thief rotates first: the victim's reuse of the spent token ends the session, the thief's new tokens with it", async () => {
    const thief = (await refresh(victim.refresh)).json();
    expect((await mypage(thief.access)).statusCode).toBe(200);
    const reuse = await refresh(victim.refresh);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toEqual(BLACKLISTED);
    expect((await mypage(thief.access)).statusCode).toBe(401);
    expect((await refresh(thief.refresh)).json()).toEqual(BLACKLISTED);
    expect((await mypage(victim.access)).statusCode).toBe(401);
  });

  it('records the reuse as a security event and announces the revocation to other processes', async () => {
    await refresh(victim.refresh);
    await refresh(victim.refresh);
    const sid = claimsOf(victim.refresh).sid;
    const events = (await t.storage.events.since(0, 100)).map((e) => e.event).filter((e) => e.subject === sid);
    expect(events.map((e) => e.kind)).toEqual(['session_revoked', 'refresh_reuse']);
  });

  it("victim rotates first: the thief's later use of the copy ends the session", async () => {
    const rotated = (await refresh(victim.refresh)).json();
    expect((await refresh(victim.refresh)).json()).toEqual(BLACKLISTED);
    expect((await refresh(rotated.refresh)).json()).toEqual(BLACKLISTED);
    expect((await mypage(rotated.access)).statusCode).toBe(401);
  });

  it('a spent token at /api/token/blacklist/ answers "Token is blacklisted" and ends the session', async () => {
    const thief = (await refresh(victim.refresh)).json();
    const response = await post(t.app, '/api/token/blacklist/', { refresh: victim.refresh });
    expect(response.json()).toEqual(BLACKLISTED);
    expect((await mypage(thief.access)).statusCode).toBe(401);
    expect((await refresh(thief.refresh)).json()).toEqual(BLACKLISTED);
  });

  it("the victim's logout with the spent refresh token ends the session the thief took over", async () => {
    const thief = (await refresh(victim.refresh)).json();
    await post(t.app, '/account/logout/', { refresh: victim.refresh }, bearer(victim.access));
    expect((await mypage(thief.access)).statusCode).toBe(401);
    expect((await refresh(thief.refresh)).json()).toEqual(BLACKLISTED);
  });

  it('logout ends the session of a valid access token even when the refresh token is invalid', async () => {
    const response = await post(t.app, '/account/logout/', { refresh: 'garbage' }, bearer(victim.access));
    expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    expect((await mypage(victim.access)).statusCode).toBe(401);
    expect((await refresh(victim.refresh)).json()).toEqual(BLACKLISTED);
  });

  it('logout ends the session of a valid access token even when no refresh token is sent', async () => {
    expect((await post(t.app, '/account/logout/', {}, bearer(victim.access))).statusCode).toBe(401);
    expect((await refresh(victim.refresh)).json()).toEqual(BLACKLISTED);
  });

  it("logout ends the access token's session when the refresh token is spent (the thief's copy was used)", async () => {
    const other = await login(t.app);
    const thief = (await refresh(other.refresh)).json();
    // The victim logs out of the first session with the second one's spent refresh token.
    await post(t.app, '/account/logout/', { refresh: other.refresh }, bearer(victim.access));
    expect((await mypage(victim.access)).statusCode).toBe(401);
    expect((await mypage(thief.access)).statusCode).toBe(401);
  });

  it('a logout and a refresh of one session in parallel never leave it alive (40 pairs)', async () => {
    const sessions = await Promise.all(Array.from({ length: 40 }, () => login(t.app)));
    const outcomes = await Promise.all(
      sessions.map(async (s) => {
        const [, refreshed] = await Promise.all([
          post(t.app, '/account/logout/', { refresh: s.refresh }, bearer(s.access)),
          refresh(s.refresh),
        ]);
        return refreshed.statusCode === 200 ? (refreshed.json() as { access: string; refresh: string }) : null;
      }),
    );
    const won = outcomes.filter((o) => o !== null);
    for (const tokens of won) {
      expect((await mypage(tokens!.access)).statusCode).toBe(401);
      expect((await refresh(tokens!.refresh)).json()).toEqual(BLACKLISTED);
    }
    for (const s of sessions) expect((await refresh(s.refresh)).statusCode).toBe(401);
    expect(await t.storage.sessions.live(1, new Date(t.clock.now))).toHaveLength(1); // the joined session only
  });
});

describe('a password change ends every session the old password opened', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
  });
  afterEach(() => t.close());

  const NEW = 'battery staple horse';

  it('including logins that read the old credentials before the change and finish after it', async () => {
    await join(t.app);
    const before = (await t.storage.users.findById(1))!;
    await t.doorman.sessions.changePassword(
      before,
      { old_password: PASSWORD, new_password1: NEW, new_password2: NEW },
      {},
    );
    // A login that verified the old password, then lost the CPU to the change: it issues now.
    await expect(t.doorman.tokens.issuePair(before)).rejects.toMatchObject({ code: 'no_active_account' });
    await expect(t.doorman.tokens.issueSliding(before)).rejects.toBeInstanceOf(AuthError);
    const live = await t.storage.sessions.live(1, new Date(t.clock.now));
    expect(live).toHaveLength(1); // the changer's new session only
    expect(live[0]!.credentialsEpoch).toBe(1);
  });

  it('including a login whose last_login write lands after the change (the re-read user must not look current)', async () => {
    await join(t.app);
    const users = t.storage.users;
    const update = users.update.bind(users);
    let raced = false;
    users.update = async (id, patch) => {
      if (!raced && patch.lastLogin) {
        raced = true; // the change commits between the password check and the last_login write
        await users.changeCredentials(id, 'another hash');
      }
      return update(id, patch);
    };
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD });
    expect(raced).toBe(true);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      detail: 'No active account found with the given credentials',
      code: 'no_active_account',
    });
    expect(await t.storage.sessions.live(1, new Date(t.clock.now))).toHaveLength(1); // the join's (changeCredentials alone ends none)
  });

  it('with logins racing the change over HTTP: none that answered 200 is alive afterwards', async () => {
    const joined = await join(t.app);
    const logins = Array.from({ length: 12 }, () =>
      post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD }),
    );
    const change = post(
      t.app,
      '/account/password/change/',
      { old_password: PASSWORD, new_password1: NEW, new_password2: NEW },
      bearer(joined.access),
    );
    const [changed, ...answered] = await Promise.all([change, ...logins]);
    expect(changed.statusCode).toBe(200);
    for (const response of answered.filter((r) => r.statusCode === 200)) {
      const { access, refresh } = response.json();
      expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(401);
      expect((await post(t.app, '/api/token/refresh/', { refresh })).statusCode).toBe(401);
    }
    expect(await t.storage.sessions.live(1, new Date(t.clock.now))).toHaveLength(1);
  });

  it("refuses at refresh a session whose credentials epoch is older than the user's (a change made by another path)", async () => {
    const joined = await join(t.app);
    await t.storage.users.changeCredentials(1, (await t.storage.users.findById(1))!.password);
    expect((await post(t.app, '/api/token/refresh/', { refresh: joined.refresh })).json()).toEqual(BLACKLISTED);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(joined.access) })).statusCode).toBe(401);
  });
});
