import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDoormanClient, DoormanError, type DoormanClient } from '../../src/client/index.js';
import { PASSWORD, join } from '../helpers.js';
import { advance, freezeDate } from '../tokens/time.js';
import { cookieJar, liveDoorman, type LiveDoorman } from './live.js';

const REFRESH = '/account/token/refresh/';
const COOKIES = { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh', accessTokenLifetime: 2 };

/** The SDK in cookie mode against a real doorman, with a browser-like cookie jar around Node's fetch. */
describe('@doorman-auth/server/client cookie mode with CSRF (real server)', () => {
  let t: LiveDoorman;
  let jar: ReturnType<typeof cookieJar>;
  let client: DoormanClient;
  const ended = vi.fn();

  beforeEach(async () => {
    freezeDate();
    t = await liveDoorman({ config: COOKIES });
    await join(t.app);
    jar = cookieJar();
    ended.mockReset();
    client = createDoormanClient({
      baseUrl: t.baseUrl,
      mode: 'cookie',
      fetch: jar.fetch,
      readCookie: jar.readCookie,
      onSessionEnd: ended,
    });
    await client.login('kim@example.com', PASSWORD);
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it('login leaves the tokens to HttpOnly cookies: the client holds none, script sees only the CSRF cookie', async () => {
    expect(client.user).toMatchObject({ email: 'kim@example.com' });
    expect(await client.tokens()).toBeNull();
    expect(jar.all()).toEqual(
      expect.arrayContaining([
        { name: 'doorman-auth', path: '/', httpOnly: true },
        { name: 'doorman-refresh', path: '/account/token/refresh', httpOnly: true },
        { name: 'doorman-refresh', path: '/account/logout', httpOnly: true },
        { name: 'csrftoken', path: '/', httpOnly: false },
      ]),
    );
    expect(jar.readCookie('doorman-refresh')).toBeNull();
    expect(await client.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    // No Authorization header: the cookie authenticated it.
    expect(t.seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('unsafe requests carry the CSRF cookie in X-CSRFToken; without it the server refuses with a typed 403', async () => {
    const user = await client.updateUser({ first_name: 'Minji' });
    expect(user.first_name).toBe('Minji');
    const patch = t.seen.at(-1)!;
    expect(patch.headers['x-csrftoken']).toBe(jar.readCookie('csrftoken'));
    expect(t.seen.filter((s) => s.method === 'GET').every((s) => s.headers['x-csrftoken'] === undefined)).toBe(true);

    // A page that cannot read the CSRF cookie (another site's script, say) is refused.
    const blind = createDoormanClient({ baseUrl: t.baseUrl, mode: 'cookie', fetch: jar.fetch, readCookie: () => null });
    const error = await blind.updateUser({ first_name: 'X' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DoormanError);
    expect(error).toMatchObject({
      status: 403,
      code: 'csrf_failed',
      detail: 'CSRF Failed: CSRF token missing.',
      fieldErrors: {},
    });
    expect((await client.getUser()).first_name).toBe('Minji');
  });

  it('an expired access cookie is refreshed from the refresh cookie (with CSRF, no token in script) once for N calls', async () => {
    advance(t, 3);
    // The browser dropped the expired access cookie: the server sees no credentials at all.
    expect(jar.all().some((c) => c.name === 'doorman-auth')).toBe(false);
    const results = await Promise.all([
      client.mypage(),
      client.mypage(),
      client.getUser(),
      client.updateUser({ last_name: 'Kim' }),
    ]);
    expect(results[0]).toEqual({ message: '반갑습니다, kim@example.com님!' });
    expect(results[3]).toMatchObject({ last_name: 'Kim' });
    expect(t.count(REFRESH)).toBe(1);
    const refresh = t.seen.find((s) => s.url === REFRESH)!;
    expect(refresh.status).toBe(200);
    expect(refresh.body).toEqual({});
    expect(refresh.headers['x-csrftoken']).toBe(jar.readCookie('csrftoken'));
    expect(jar.all().some((c) => c.name === 'doorman-auth')).toBe(true);
    expect(await client.tokens()).toBeNull();
  });

  it('logout ends the session on the server and the cookies with it', async () => {
    await client.logout();
    expect(client.user).toBeNull();
    expect(jar.all()).toEqual([]);
    const logout = t.seen.find((s) => s.url === '/account/logout/')!;
    expect(logout.status).toBe(200);
    expect(logout.headers['x-csrftoken']).toEqual(expect.any(String));
    await expect(client.mypage()).rejects.toMatchObject({ status: 401 });
  });

  it('a refused refresh (the session ended elsewhere) clears the state and reports it', async () => {
    await t.doorman.revocation.revokeUserSessions(client.user!.pk);
    const error = await client.mypage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DoormanError);
    expect(error).toMatchObject({ status: 401, code: 'token_not_valid' });
    expect(t.count(REFRESH)).toBe(1);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(client.user).toBeNull();
  });
});
