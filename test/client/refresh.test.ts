import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDoormanClient, DoormanError, type DoormanClient } from '../../src/client/index.js';
import { PASSWORD, join } from '../helpers.js';
import { advance, freezeDate } from '../tokens/time.js';
import { liveDoorman, type LiveDoorman } from './live.js';

const REFRESH = '/account/token/refresh/';

/** The SDK against a real doorman over HTTP (bearer mode): the refresh-once-and-retry rule. */
describe('@doorman-auth/server/client refresh (bearer mode, real server)', () => {
  let t: LiveDoorman;
  let client: DoormanClient;
  const ended = vi.fn();

  beforeEach(async () => {
    freezeDate();
    t = await liveDoorman({ config: { accessTokenLifetime: 2 } });
    await join(t.app);
    ended.mockReset();
    client = createDoormanClient({ baseUrl: t.baseUrl, onSessionEnd: ended });
    await client.login('kim@example.com', PASSWORD);
  });
  afterEach(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it('an expired access token is refreshed once and the call retried once; the rotated pair is kept', async () => {
    const before = await client.tokens();
    expect(await client.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    expect(t.count(REFRESH)).toBe(0);

    advance(t, 3);
    expect(await client.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    expect(t.count(REFRESH)).toBe(1);
    const mypage = t.seen.filter((s) => s.url === '/account/mypage/').map((s) => s.status);
    expect(mypage).toEqual([200, 401, 200]);
    const after = await client.tokens();
    expect(after!.access).not.toBe(before!.access);
    expect(after!.refresh).not.toBe(before!.refresh);
    // The old refresh token was spent by the rotation.
    expect(await client.verify(before!.refresh!)).toBe(false);
    expect(ended).not.toHaveBeenCalled();
  });

  it('N concurrent calls that all get a 401 share one refresh', async () => {
    advance(t, 3);
    const calls = [
      ...Array.from({ length: 6 }, () => client.mypage()),
      client.getUser(),
      client.updateUser({ first_name: 'Minji' }),
    ];
    const results = await Promise.all(calls);
    expect(results.slice(0, 6)).toEqual(Array(6).fill({ message: '반갑습니다, kim@example.com님!' }));
    expect(results[7]).toMatchObject({ email: 'kim@example.com', first_name: 'Minji' });
    expect(t.count(REFRESH)).toBe(1);
    // Every call was refused once with the old token and answered once with the new one.
    expect(t.seen.filter((s) => s.status === 401)).toHaveLength(8);
  });

  it('a call that is still refused after the refresh is not retried again', async () => {
    // A route of the host that refuses every token: one refresh, one retry, then the error.
    await t.close();
    const refusal = { detail: 'Given token not valid for any token type', code: 'token_not_valid' };
    t = await liveDoorman({
      routes: (app) => app.get('/refuses/', async (_request, reply) => reply.status(401).send(refusal)),
    });
    await join(t.app);
    client = createDoormanClient({ baseUrl: t.baseUrl, onSessionEnd: ended });
    await client.login('kim@example.com', PASSWORD);

    const error = await client.request('GET', '/refuses/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DoormanError);
    expect(error).toMatchObject({
      status: 401,
      code: 'token_not_valid',
      detail: refusal.detail,
      fieldErrors: {},
      body: refusal,
    });
    expect(t.count('/refuses/')).toBe(2);
    expect(t.count(REFRESH)).toBe(1);
    // The refresh itself succeeded: the session goes on.
    expect(ended).not.toHaveBeenCalled();
    expect(await client.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
  });

  it('a refused refresh clears the state, calls onSessionEnd once, and rejects every waiting call with the typed error', async () => {
    const { refresh } = (await client.tokens())!;
    // The session ends elsewhere (another device logs it out): its access token dies at once.
    const logout = await fetch(`${t.baseUrl}/account/logout/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh }),
    });
    expect(logout.status).toBe(200);

    const results = await Promise.allSettled([client.mypage(), client.getUser(), client.mypage()]);
    expect(t.count(REFRESH)).toBe(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(DoormanError);
      expect(error).toMatchObject({ status: 401, code: 'token_not_valid', detail: 'Token is blacklisted' });
    }
    expect(ended).toHaveBeenCalledTimes(1);
    expect(ended.mock.calls[0]![0]).toMatchObject({ status: 401, code: 'token_not_valid' });
    expect(await client.tokens()).toBeNull();
    expect(client.user).toBeNull();
    // Nothing is sent any more, so nothing is refreshed: a plain 401 not_authenticated.
    await expect(client.mypage()).rejects.toMatchObject({ status: 401, code: 'not_authenticated' });
    expect(t.count(REFRESH)).toBe(1);
  });

  it('an expired refresh token ends the session too', async () => {
    advance(t, 86_400 + 10);
    await expect(client.mypage()).rejects.toMatchObject({ status: 401, code: 'token_not_valid' });
    expect(ended).toHaveBeenCalledTimes(1);
    expect(await client.tokens()).toBeNull();
  });
});
