import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoorman, type Doorman } from '../../src/core.js';
import { bearer, join, testApp, testConfig, type TestApp } from '../helpers.js';
import { BAD_CREDENTIALS, invalidAccess, post, tokenNotValid } from '../http/bodies.js';

const INACTIVE = { detail: 'User is inactive', code: 'user_inactive' };
const NOT_FOUND = { detail: 'User not found', code: 'user_not_found' };
const NO_ACCOUNT_FOR_TOKEN = { detail: 'No active account found for the given token.', code: 'no_active_account' };
const KIM = { id: 1, email: 'kim@example.com' };

/**
 * Users who change after their tokens were issued. On SQLite, because "another process" (the
 * CLI, a second instance) is another doorman over the same database, reaching this one through
 * the event table.
 */
describe('a user who changes after the tokens were issued', () => {
  let t: TestApp;
  let session: { access: string; refresh: string };
  let other: Doorman;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
    session = await join(t.app);
    other = createDoorman({ config: testConfig(), storage: t.storage, now: () => t.clock.now });
    // The access check caches the user's state: prime it, so each test shows the cache being dropped.
    expect((await mypage()).statusCode).toBe(200);
  });
  afterEach(async () => {
    await other.close();
    await t.close();
  });

  const mypage = () => t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) });
  const refresh = () => post(t.app, '/api/token/refresh/', { refresh: session.refresh });

  describe('deactivated', () => {
    it('in this process: the access token is refused with user_inactive', async () => {
      await t.storage.users.update(1, { isActive: false });
      await t.doorman.revocation.userChanged(KIM);
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(INACTIVE);
    });

    it('in this process: the refresh token is refused with no_active_account', async () => {
      await t.storage.users.update(1, { isActive: false });
      await t.doorman.revocation.userChanged(KIM);
      const response = await refresh();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NO_ACCOUNT_FOR_TOKEN);
    });

    it('in another process: the access token is refused once this one syncs', async () => {
      await other.storage.users.update(1, { isActive: false });
      await other.revocation.userChanged(KIM);
      await t.doorman.syncRevocations();
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(INACTIVE);
    });

    it('through the storage alone (a user_changed event, as the CLI writes): refused once this one syncs', async () => {
      await t.storage.users.update(1, { isActive: false });
      await t.storage.events.append({ kind: 'user_changed', subject: '1', expiresAt: new Date(t.clock.now + 600_000) });
      await t.doorman.syncRevocations();
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(INACTIVE);
    });

    it('in the storage with no event at all: the refresh token is refused at once', async () => {
      await t.storage.users.update(1, { isActive: false });
      const response = await refresh();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NO_ACCOUNT_FOR_TOKEN);
    });

    it('cannot log in again', async () => {
      await t.storage.users.update(1, { isActive: false });
      const response = await post(t.app, '/account/login/', {
        email: 'kim@example.com',
        password: 'correct horse battery',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(BAD_CREDENTIALS);
    });

    it('works again once reactivated', async () => {
      await t.storage.users.update(1, { isActive: false });
      await t.doorman.revocation.userChanged(KIM);
      expect((await mypage()).statusCode).toBe(401);
      await t.storage.users.update(1, { isActive: true });
      await t.doorman.revocation.userChanged(KIM);
      expect((await mypage()).statusCode).toBe(200);
    });
  });

  describe('deleted', () => {
    it('in this process: the access token is refused with user_not_found', async () => {
      await t.storage.users.delete(1);
      await t.doorman.revocation.userChanged(KIM);
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NOT_FOUND);
    });

    it('in another process: the access token is refused once this one syncs', async () => {
      await other.storage.users.delete(1);
      await other.revocation.userChanged(KIM);
      await t.doorman.syncRevocations();
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(NOT_FOUND);
    });

    it('the refresh token is refused: its record went with the user', async () => {
      await t.storage.users.delete(1);
      const response = await refresh();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
    });

    it('a new user who gets the same e-mail is not authenticated by the old tokens', async () => {
      await t.storage.users.delete(1);
      await t.doorman.revocation.userChanged(KIM);
      await join(t.app, 'kim@example.com');
      expect((await mypage()).statusCode).toBe(401);
    });
  });

  describe('sessions ended by another process', () => {
    it('a logout there stops the access token here once this one syncs', async () => {
      await other.tokens.blacklist(session.refresh);
      await t.doorman.syncRevocations();
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is blacklisted'));
    });

    it('a password change there (every session ended) stops the access token here', async () => {
      await other.accounts.setPassword(1, 'battery staple horse');
      await other.revocation.revokeUserSessions(1);
      await t.doorman.syncRevocations();
      const response = await mypage();
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is blacklisted'));
    });

    it('a session revoked before this process started is refused from the start', async () => {
      await other.tokens.blacklist(session.refresh);
      const fresh = createDoorman({ config: testConfig(), storage: t.storage, now: () => t.clock.now });
      await fresh.start();
      try {
        await expect(fresh.authenticate(session.access)).rejects.toMatchObject({
          code: 'token_not_valid',
          messages: [{ message: 'Token is blacklisted' }],
        });
      } finally {
        await fresh.close();
      }
    });
  });
});

describe('USER_ID_FIELD=email: an account deleted and registered again with the same e-mail', () => {
  it("authenticates the new account's tokens, though the old ones were refused", async () => {
    const t = await testApp({ storage: 'sqlite', config: { userIdField: 'email' } });
    try {
      const old = await join(t.app);
      await t.storage.users.delete(1);
      await t.doorman.revocation.userChanged(KIM);
      const refused = await t.app.inject({ url: '/account/mypage/', headers: bearer(old.access) });
      expect(refused.json()).toEqual(NOT_FOUND);
      const renewed = await join(t.app);
      const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(renewed.access) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ message: '반갑습니다, kim@example.com님!' });
    } finally {
      await t.close();
    }
  });
});
