import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, claimsOf, join, testApp, type TestApp } from '../helpers.js';
import { headerOf } from './forge.js';

const JTI = /^[0-9a-f]{32}$/;

describe('token claims (simplejwt-compatible)', () => {
  let t: TestApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await testApp();
    session = await join(t.app);
  });
  afterEach(() => t.close());

  const iat = () => Math.floor(t.clock.now / 1000);

  it('signs with header {alg: "HS256", typ: "JWT"}', () => {
    expect(headerOf(session.access)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(headerOf(session.refresh)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('puts token_type, exp (+5 min), iat, jti, user_id and the email in an access token', () => {
    expect(claimsOf(session.access)).toEqual({
      token_type: 'access',
      exp: iat() + 300,
      iat: iat(),
      jti: expect.stringMatching(JTI),
      user_id: 1,
      sid: expect.stringMatching(JTI),
      email: 'kim@example.com',
    });
  });

  it('puts token_type, exp (+1 day), iat, jti and user_id in a refresh token, and no custom claims', () => {
    expect(claimsOf(session.refresh)).toEqual({
      token_type: 'refresh',
      exp: iat() + 86_400,
      iat: iat(),
      jti: expect.stringMatching(JTI),
      user_id: 1,
      sid: expect.stringMatching(JTI),
    });
  });

  it('gives every token its own jti', () => {
    expect(claimsOf(session.access).jti).not.toBe(claimsOf(session.refresh).jti);
  });

  it('records the session with its refresh token by jti only, never the token itself', async () => {
    const { jti, sid } = claimsOf(session.refresh);
    expect(await t.storage.sessions.find(sid as string)).toEqual({
      id: sid,
      userId: 1,
      tokenType: 'refresh',
      currentJti: jti,
      previousJti: null,
      rotatedAt: null,
      createdAt: new Date(t.clock.now),
      lastUsedAt: new Date(t.clock.now),
      expiresAt: new Date((iat() + 86_400) * 1000),
      revokedAt: null,
      userAgent: 'lightMyRequest',
      ip: '127.0.0.1',
      credentialsEpoch: 0,
    });
  });
});

describe('claim settings', () => {
  const withApp = async (config: Parameters<typeof testApp>[0], body: (t: TestApp) => Promise<void>) => {
    const t = await testApp(config);
    try {
      await body(t);
    } finally {
      await t.close();
    }
  };

  it('uses the configured lifetimes', () =>
    withApp({ config: { accessTokenLifetime: '1m', refreshTokenLifetime: '2h' } }, async (t) => {
      const { access, refresh } = await join(t.app);
      const now = Math.floor(t.clock.now / 1000);
      expect([claimsOf(access).exp, claimsOf(refresh).exp]).toEqual([now + 60, now + 7200]);
    }));

  it('renames the user id, token type and jti claims (USER_ID_CLAIM, TOKEN_TYPE_CLAIM, JTI_CLAIM) and still authenticates', () =>
    withApp({ config: { userIdClaim: 'uid', tokenTypeClaim: 'kind', jtiClaim: 'tid' } }, async (t) => {
      const { access, refresh } = await join(t.app);
      expect(claimsOf(access)).toMatchObject({ uid: 1, kind: 'access', tid: expect.stringMatching(JTI) });
      expect(claimsOf(access)).not.toHaveProperty('user_id');
      expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(200);
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } })).statusCode,
      ).toBe(200);
    }));

  it('puts the e-mail in the user id claim with USER_ID_FIELD=email and still authenticates', () =>
    withApp({ config: { userIdField: 'email' } }, async (t) => {
      const { access, refresh } = await join(t.app);
      expect(claimsOf(access).user_id).toBe('kim@example.com');
      expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(200);
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } })).statusCode,
      ).toBe(200);
    }));

  it('signs with the configured algorithm', () =>
    withApp(
      { config: { algorithm: 'HS512', signingKey: `${'k'.repeat(32)}${'0123456789abcdefghijklmnopqrstuv'}` } },
      async (t) => {
        const { access } = await join(t.app);
        expect(headerOf(access)).toEqual({ alg: 'HS512', typ: 'JWT' });
        expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(access) })).statusCode).toBe(200);
      },
    ));
});

describe('newJti', () => {
  it('is 32 lowercase hex characters, unique, and ordered by time (UUIDv7-like)', async () => {
    const { newJti } = await import('../../src/tokens/claims.js');
    const ids = Array.from({ length: 1000 }, () => newJti(1_795_000_000_000));
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    expect(newJti(1_795_000_000_001) > newJti(1_795_000_000_000)).toBe(true);
    expect(newJti(1_795_000_000_000).slice(0, 12)).toBe((1_795_000_000_000).toString(16).padStart(12, '0'));
  });
});
