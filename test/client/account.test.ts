import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoormanClient, DoormanError, memoryTokenStorage, type DoormanClient } from '../../src/client/index.js';
import { PASSWORD } from '../helpers.js';
import { liveDoorman, type LiveDoorman } from './live.js';

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

/** The SDK's account calls and typed errors, against a real doorman (bearer mode). */
describe('@doorman-auth/server/client account calls and typed errors (real server)', () => {
  let t: LiveDoorman;
  let client: DoormanClient;

  beforeEach(async () => {
    t = await liveDoorman();
    client = createDoormanClient({ baseUrl: t.baseUrl });
  });
  afterEach(() => t.close());

  it('join: a too-short password is a 400 DoormanError with the field errors; then the user is signed in', async () => {
    const error = await caught(client.join({ email: 'kim@example.com', password1: 'Qz8#vb', password2: 'Qz8#vb' }));
    expect(error).toBeInstanceOf(DoormanError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'DoormanError',
      status: 400,
      code: null,
      detail: null,
      fieldErrors: { password1: ['This password is too short. It must contain at least 8 characters.'] },
      message: 'This password is too short. It must contain at least 8 characters.',
    });
    expect(client.user).toBeNull();

    const user = await client.join({
      email: 'kim@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
      gender: 'female',
      date_of_birth: '1999-02-03',
    });
    expect(user).toEqual({
      pk: expect.any(Number),
      email: 'kim@example.com',
      first_name: '',
      last_name: '',
      gender: 'female',
      date_of_birth: '1999-02-03',
    });
    expect(client.user).toEqual(user);
    expect(await client.tokens()).toEqual({ access: expect.any(String), refresh: expect.any(String) });
    expect(await client.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
  });

  it('login: a wrong password is non_field_errors; the right one signs in', async () => {
    await client.join({ email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD });
    const other = createDoormanClient({ baseUrl: t.baseUrl });
    const error = await caught(other.login('kim@example.com', 'wrong password 1'));
    expect(error).toMatchObject({
      status: 400,
      code: null,
      fieldErrors: { non_field_errors: ['Unable to log in with provided credentials.'] },
    });
    expect(await other.tokens()).toBeNull();
    expect(await other.login('kim@example.com', PASSWORD)).toMatchObject({ email: 'kim@example.com' });
  });

  it('a 401 without a session is typed and carries the body; nothing is refreshed', async () => {
    const error = await caught(client.mypage());
    expect(error).toMatchObject({
      status: 401,
      code: 'not_authenticated',
      detail: 'Authentication credentials were not provided.',
      body: { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' },
      fieldErrors: {},
    });
    expect(t.count('/account/token/refresh/')).toBe(0);
  });

  it("a refused access token without a refresh token (a native app's half-restored storage) ends the session", async () => {
    const storage = memoryTokenStorage({ access: 'not.a.token', refresh: null });
    const restored = createDoormanClient({ baseUrl: t.baseUrl, storage });
    const error = await caught(restored.mypage());
    expect(error).toMatchObject({
      status: 401,
      code: 'token_not_valid',
      detail: 'Given token not valid for any token type',
    });
    expect((error as DoormanError).body).toMatchObject({
      messages: [expect.objectContaining({ token_type: 'access' })],
    });
    expect(await restored.tokens()).toBeNull();
  });

  it('a native app restores its session from its own token storage', async () => {
    const storage = memoryTokenStorage();
    await createDoormanClient({ baseUrl: t.baseUrl, storage }).join({
      email: 'kim@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    // Next launch: only the refresh token was kept; the first call refreshes and goes through.
    const { refresh } = (await storage.load())!;
    const relaunched = createDoormanClient({
      baseUrl: t.baseUrl,
      storage: memoryTokenStorage({ access: null, refresh }),
    });
    expect(await relaunched.getUser()).toMatchObject({ email: 'kim@example.com' });
    expect(t.count('/account/token/refresh/')).toBe(1);
  });

  it('getUser, updateUser (field errors typed), changePassword (other sessions end), verify', async () => {
    await client.join({ email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD });
    const phone = createDoormanClient({ baseUrl: t.baseUrl });
    await phone.login('kim@example.com', PASSWORD);

    expect(await client.getUser()).toMatchObject({ email: 'kim@example.com', first_name: '' });
    expect(await client.updateUser({ first_name: 'Minji', gender: 'female' })).toMatchObject({
      first_name: 'Minji',
      gender: 'female',
    });
    expect(client.user).toMatchObject({ first_name: 'Minji' });
    const bad = await caught(client.updateUser({ date_of_birth: 'yesterday' }));
    expect(bad).toMatchObject({ status: 400, fieldErrors: { date_of_birth: [expect.stringContaining('format')] } });

    const wrong = await caught(
      client.changePassword({
        old_password: 'nope nope 1',
        new_password1: 'battery staple 7',
        new_password2: 'battery staple 7',
      }),
    );
    expect(wrong).toMatchObject({ status: 400, fieldErrors: { old_password: [expect.any(String)] } });
    await client.changePassword({
      old_password: PASSWORD,
      new_password1: 'battery staple 7',
      new_password2: 'battery staple 7',
    });
    expect(await client.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    // The phone's session ended: its refresh is refused, so it is signed out.
    await expect(phone.mypage()).rejects.toMatchObject({ status: 401, code: 'token_not_valid' });
    expect(await phone.tokens()).toBeNull();

    const { access } = (await client.tokens())!;
    expect(await client.verify(access!)).toBe(true);
    expect(await client.verify('garbage')).toBe(false);
  });

  it('logout (bearer) ends the session on the server and clears the state; a second logout is harmless', async () => {
    await client.join({ email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD });
    const { access, refresh } = (await client.tokens())!;
    await client.logout();
    expect(await client.tokens()).toBeNull();
    expect(client.user).toBeNull();
    const logout = t.seen.find((s) => s.url === '/account/logout/')!;
    expect(logout).toMatchObject({ status: 200, body: { refresh } });
    expect(logout.headers.authorization).toBe(`Bearer ${access}`);
    // Both tokens are dead on the server, not only forgotten here.
    expect(await client.verify(refresh!)).toBe(false);
    const stale = await fetch(`${t.baseUrl}/account/mypage/`, { headers: { authorization: `Bearer ${access}` } });
    expect(stale.status).toBe(401);
    await expect(client.mypage()).rejects.toMatchObject({ status: 401, code: 'not_authenticated' });
    expect(t.count('/account/token/refresh/')).toBe(0);
    await expect(client.logout()).resolves.toBeUndefined();
  });

  it("a non-JSON error (a proxy's page) is still a DoormanError with its status", async () => {
    const proxy: typeof fetch = async () =>
      new Response('<h1>Bad Gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } });
    const error = await caught(createDoormanClient({ baseUrl: t.baseUrl, fetch: proxy }).mypage());
    expect(error).toMatchObject({
      status: 502,
      code: null,
      detail: null,
      body: null,
      fieldErrors: {},
      message: 'HTTP 502',
    });
  });

  it('a 429 carries Retry-After', async () => {
    const throttled: typeof fetch = async () =>
      Response.json(
        { detail: 'Request was throttled. Expected available in 7 seconds.', code: 'throttled' },
        { status: 429, headers: { 'retry-after': '7' } },
      );
    const error = await caught(
      createDoormanClient({ baseUrl: t.baseUrl, fetch: throttled }).login('kim@example.com', PASSWORD),
    );
    expect(error).toMatchObject({ status: 429, code: 'throttled', retryAfter: 7 });
  });
});
