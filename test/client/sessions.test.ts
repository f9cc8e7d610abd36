import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoormanClient, type DoormanClient } from '../../src/client/index.js';
import { PASSWORD, join } from '../helpers.js';
import { cookieJar, liveDoorman, type LiveDoorman } from './live.js';

/** Sessions, logout-all and the password change's new session, through the SDK against a real doorman. */
describe('@doorman-auth/server/client sessions (real server)', () => {
  let t: LiveDoorman;
  let laptop: DoormanClient;
  let phone: DoormanClient;

  beforeEach(async () => {
    t = await liveDoorman();
    await join(t.app);
    laptop = createDoormanClient({ baseUrl: t.baseUrl });
    phone = createDoormanClient({ baseUrl: t.baseUrl });
    await laptop.login('kim@example.com', PASSWORD);
    await phone.login('kim@example.com', PASSWORD);
  });
  afterEach(() => t.close());

  it("lists the sessions with this one marked current, and ends another device's", async () => {
    const sessions = await laptop.sessions.list();
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.length).toBeGreaterThanOrEqual(3); // join's, the laptop's, the phone's
    const phoneSession = (await phone.sessions.list()).find((s) => s.current)!;
    await laptop.sessions.end(phoneSession.id);
    await expect(phone.mypage()).rejects.toMatchObject({ status: 401, code: 'token_not_valid' });
    expect(await phone.tokens()).toBeNull();
    expect(await laptop.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    await expect(laptop.sessions.end(phoneSession.id)).rejects.toMatchObject({ status: 404 });
  });

  it('ending its own session signs this client out', async () => {
    const mine = (await laptop.sessions.list()).find((s) => s.current)!;
    await laptop.sessions.end(mine.id);
    expect(await laptop.tokens()).toBeNull();
    await expect(laptop.mypage()).rejects.toMatchObject({ status: 401, code: 'not_authenticated' });
  });

  it('logoutAll ends every session, this one included', async () => {
    await laptop.logoutAll();
    expect(await laptop.tokens()).toBeNull();
    expect(laptop.user).toBeNull();
    await expect(phone.mypage()).rejects.toMatchObject({ status: 401, code: 'token_not_valid' });
    expect(await phone.tokens()).toBeNull();
  });

  it('a password change keeps this client signed in (in its new session) and ends the others', async () => {
    await laptop.changePassword({
      old_password: PASSWORD,
      new_password1: 'battery staple 7',
      new_password2: 'battery staple 7',
    });
    expect(await laptop.mypage()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    expect(t.count('/account/token/refresh/')).toBe(0);
    await expect(phone.mypage()).rejects.toMatchObject({ status: 401 });
  });

  it('cookie mode: logoutAll with CSRF clears the cookies', async () => {
    await t.close();
    t = await liveDoorman({ config: { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh' } });
    await join(t.app);
    const jar = cookieJar();
    const page = createDoormanClient({
      baseUrl: t.baseUrl,
      mode: 'cookie',
      fetch: jar.fetch,
      readCookie: jar.readCookie,
    });
    await page.login('kim@example.com', PASSWORD);
    expect((await page.sessions.list()).some((s) => s.current)).toBe(true);
    await page.logoutAll();
    expect(jar.all()).toEqual([]);
    await expect(page.mypage()).rejects.toMatchObject({ status: 401 });
  });
});
