import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testApp, type TestApp } from '../helpers.js';
import { withPayload } from './forge.js';
import { freezeDate } from './time.js';

/** Made by simplejwt 5.2.2 itself (scripts/django-fixtures.py), signed at `now` with `signing_key`. */
const sj = JSON.parse(readFileSync(new URL('../fixtures/django/simplejwt.json', import.meta.url), 'utf8')) as {
  signing_key: string;
  now: number;
  user_id: number;
  access: string;
  access_claims: Record<string, unknown>;
  refresh: string;
  refresh_claims: Record<string, unknown>;
  second_refresh: string;
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const INVALID_ACCESS = {
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' }],
};

/**
 * doorman at the fixture's time (one minute after simplejwt issued the tokens), with Django's
 * signing key; Django user 42 imported as doorman user `lee`, and a different doorman user who
 * happens to have id 42 (joined doorman directly).
 */
async function setUp(transition: boolean) {
  freezeDate((sj.now + 60) * 1000);
  const t = await testApp({ config: { signingKey: sj.signing_key, simplejwtTransition: transition } });
  const lee = await t.storage.users.create({ email: 'lee@example.com', password: null });
  const other = await t.storage.users.create({ id: sj.user_id, email: 'not-lee@example.com', password: null });
  await t.storage.djangoLinks.link(sj.user_id, lee.id);
  return { t, lee, other };
}

describe('simplejwt transition mode (DOORMAN_SIMPLEJWT_TRANSITION)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
    vi.useRealTimers();
  });

  it("the fixture tokens are simplejwt's: no sid, the default claim names", () => {
    expect(Object.keys(sj.access_claims).sort()).toEqual(['exp', 'iat', 'jti', 'token_type', 'user_id']);
    expect(Object.keys(sj.refresh_claims).sort()).toEqual(['exp', 'iat', 'jti', 'token_type', 'user_id']);
  });

  it('off (the default): a simplejwt access token is refused even though the key is the same', async () => {
    ({ t } = await setUp(false));
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(sj.access) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(INVALID_ACCESS);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.refresh },
    });
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json()).toEqual({ detail: 'Token is invalid', code: 'token_not_valid' });
  });

  it('on: a simplejwt access token authenticates as the user imported from Django id 42, not doorman user 42', async () => {
    const set = await setUp(true);
    t = set.t;
    const response = await t.app.inject({ url: '/account/mypage/', headers: bearer(sj.access) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: '반갑습니다, lee@example.com님!' });
    const user = await t.app.inject({ url: '/account/user/', headers: bearer(sj.access) });
    expect(user.json()).toMatchObject({ pk: set.lee.id, email: 'lee@example.com' });
    expect(set.other.id).toBe(sj.user_id);
  });

  it('on: a Django user that was never imported is not found; a tampered or expired token is refused', async () => {
    ({ t } = await setUp(true));
    await t.storage.djangoLinks.link(
      sj.user_id,
      (await t.storage.users.create({ email: 'x@example.com', password: null })).id,
    );
    await t.storage.users.delete((await t.storage.users.findByEmail('x@example.com'))!.id);
    const unknown = await t.app.inject({ url: '/account/mypage/', headers: bearer(sj.access) });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual({ detail: 'User not found', code: 'user_not_found' });

    const tampered = withPayload(sj.access, { ...sj.access_claims, user_id: 1 });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(tampered) })).json()).toEqual(INVALID_ACCESS);
    const noExp = withPayload(sj.access, { ...sj.access_claims, exp: undefined });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(noExp) })).statusCode).toBe(401);

    vi.setSystemTime((sj.now + 301) * 1000);
    t.clock.now = (sj.now + 301) * 1000;
    const expired = await t.app.inject({ url: '/account/mypage/', headers: bearer(sj.access) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().messages[0].message).toBe('Token is expired');
  });

  it("on: the algorithm stays pinned: an HS512 or alg:none token with simplejwt's claims is refused", async () => {
    ({ t } = await setUp(true));
    const { createSigner } = await import('fast-jwt');
    const hs512 = createSigner({ key: sj.signing_key, algorithm: 'HS512' })({ ...sj.access_claims });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(hs512) })).json()).toEqual(INVALID_ACCESS);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${sj.access.split('.')[1]}.`;
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(none) })).json()).toEqual(INVALID_ACCESS);
  });

  it('on: a simplejwt refresh token is accepted once and rotated into a doorman session; a second presentation is refused', async () => {
    const set = await setUp(true);
    t = set.t;
    const first = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.refresh },
    });
    expect(first.statusCode).toBe(200);
    const body = first.json() as { access: string; refresh: string };
    expect(Object.keys(body).sort()).toEqual(['access', 'access_expiration', 'refresh']);
    const claims = JSON.parse(Buffer.from(body.refresh.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ token_type: 'refresh', user_id: set.lee.id, sid: expect.any(String) });

    const again = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.refresh },
    });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });

    // doorman's tokens from here on: the new access token works, the new refresh token rotates.
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(body.access) })).statusCode).toBe(200);
    const next = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: body.refresh },
    });
    expect(next.statusCode).toBe(200);
    // and the session is doorman's: logout ends it, its access token too.
    const logout = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      headers: bearer(body.access),
      payload: { refresh: next.json().refresh },
    });
    expect(logout.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(body.access) })).statusCode).toBe(401);
  });

  it('on: of 10 parallel presentations of one simplejwt refresh token exactly one succeeds', async () => {
    ({ t } = await setUp(true));
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        t!.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: sj.second_refresh } }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401, 401, 401]);
  });

  it('on: a simplejwt refresh token of an inactive user gets no doorman session', async () => {
    const set = await setUp(true);
    t = set.t;
    await t.storage.users.update(set.lee.id, { isActive: false });
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.refresh },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      detail: 'No active account found for the given token.',
      code: 'no_active_account',
    });
  });

  it('on: /api/token/blacklist/ (and logout) spend a simplejwt refresh token; verify then says it is blacklisted', async () => {
    ({ t } = await setUp(true));
    const verify = () => t!.app.inject({ method: 'POST', url: '/api/token/verify/', payload: { token: sj.refresh } });
    expect((await verify()).statusCode).toBe(200);
    const blacklist = await t.app.inject({
      method: 'POST',
      url: '/api/token/blacklist/',
      payload: { refresh: sj.refresh },
    });
    expect(blacklist.statusCode).toBe(200);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.refresh },
    });
    expect(refused.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
    const after = await verify();
    expect(after.statusCode).toBe(400);
    expect(after.json()).toEqual({ non_field_errors: ['Token is blacklisted'] });

    const logout = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      headers: bearer(sj.access),
      payload: { refresh: sj.second_refresh },
    });
    expect(logout.statusCode).toBe(200);
    const second = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.second_refresh },
    });
    expect(second.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' });
  });

  it('on: a simplejwt access token presented as a refresh token is the wrong type', async () => {
    ({ t } = await setUp(true));
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      payload: { refresh: sj.access },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Token has wrong type', code: 'token_not_valid' });
  });
});
