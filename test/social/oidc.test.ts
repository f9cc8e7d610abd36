import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, join, testApp, type TestApp } from '../helpers.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  SPA_CALLBACK,
  spaAuthorizationUrl,
  startProvider,
  type TestProvider,
} from './oidc-provider.js';

const FRONT = 'http://front.test/after-login';

let provider: TestProvider;
let t: TestApp;

beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());

beforeEach(async () => {
  t = await testApp({
    storage: 'sqlite',
    socialClient: { allowInsecureRequests: true },
    config: {
      socialProviders: JSON.stringify({
        corp: {
          issuer: provider.issuer,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          scopes: ['openid', 'email'],
          audiences: ['doorman-android'],
        },
      }),
      socialRedirectUrl: FRONT,
      socialRedirectUris: [SPA_CALLBACK],
      authCookie: 'doorman-auth',
      refreshCookie: 'doorman-refresh',
    },
  });
  provider.nextAccount = { sub: 'alice', email: 'alice@example.com', email_verified: true };
});
afterEach(() => t.close());

function cookiesOf(response: { headers: Record<string, unknown> }): Map<string, string> {
  const raw = response.headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return new Map(
    lines.map((line: string) => {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      return [pair!.slice(0, at), pair!.slice(at + 1)];
    }),
  );
}

/** The redirect flow up to the provider's redirect back: the callback path+query and doorman's pending cookie. */
async function startRedirectFlow() {
  const begin = await t.app.inject({ method: 'GET', url: '/account/social/corp/' });
  expect(begin.statusCode).toBe(302);
  const pending = cookiesOf(begin).get('doorman_social');
  expect(pending).toBeTruthy();
  const authorize = new URL(begin.headers.location as string);
  const back = await provider.authorize(authorize.href);
  return { authorize, back, pending: pending! };
}

const callback = (back: URL, pending: string | null) =>
  t.app.inject({
    method: 'GET',
    url: back.pathname + back.search,
    ...(pending ? { cookies: { doorman_social: pending } } : {}),
  });

/** A code issued to the SPA's redirect_uri, with the SPA's PKCE verifier and nonce. */
async function spaCode(nonce?: string) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const back = await provider.authorize(
    await spaAuthorizationUrl(provider.issuer, { verifier, state, ...(nonce ? { nonce } : {}) }),
  );
  expect(back.searchParams.get('state')).toBe(state);
  return { code: back.searchParams.get('code')!, verifier };
}

describe('redirect flow (GET /account/social/{provider}/ and its callback)', () => {
  it('sends the browser to the provider with state, nonce and a PKCE S256 challenge, and the pending login in an HttpOnly cookie for the callback only', async () => {
    const begin = await t.app.inject({ method: 'GET', url: '/account/social/corp/' });
    expect(begin.statusCode).toBe(302);
    const url = new URL(begin.headers.location as string);
    expect(url.origin + url.pathname).toBe(`${provider.issuer}/auth`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost/account/social/corp/callback/');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(url.searchParams.get(p)?.length).toBeGreaterThanOrEqual(22);
    const line = ([] as string[])
      .concat(begin.headers['set-cookie'] as string[])
      .find((l) => l.startsWith('doorman_social='))!;
    expect(line).toMatch(/Path=\/account\/social\/corp\/callback\//);
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).toMatch(/Max-Age=600/);
    // Sealed: neither the state nor the verifier can be read from the cookie.
    expect(Buffer.from(cookiesOf(begin).get('doorman_social')!, 'base64url').toString('latin1')).not.toContain(
      url.searchParams.get('state')!,
    );
  });

  it('happy path: the callback creates the user, connects the provider, sets the cookie-mode session and redirects to the front end', async () => {
    const { back, pending } = await startRedirectFlow();
    expect(back.searchParams.get('code')).toBeTruthy();
    const done = await callback(back, pending);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(FRONT);
    const set = cookiesOf(done);
    expect(set.get('doorman-auth')).toBeTruthy();
    expect(set.get('doorman-refresh')).toBeTruthy();
    expect(set.get('csrftoken')).toBeTruthy();
    expect(set.get('doorman_social')).toBe('');
    const me = await t.app.inject({
      method: 'GET',
      url: '/account/user/',
      cookies: { 'doorman-auth': set.get('doorman-auth')! },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('alice@example.com');
    const user = await t.storage.users.findByEmail('alice@example.com');
    expect(user?.password).toBeNull();
    expect(await t.storage.socialAccounts.find('corp', 'alice')).toMatchObject({
      userId: user!.id,
      email: 'alice@example.com',
    });
  });

  it('a forged state fails and sets no session', async () => {
    const { back, pending } = await startRedirectFlow();
    back.searchParams.set('state', 'forged-by-someone-else');
    const done = await callback(back, pending);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe(`${FRONT}?error=social_login_failed`);
    expect(cookiesOf(done).get('doorman-auth')).toBeUndefined();
    expect(await t.storage.users.count()).toBe(0);
  });

  it("a callback without the browser's pending cookie (a link made by someone else: login CSRF) fails", async () => {
    const { back } = await startRedirectFlow();
    const done = await callback(back, null);
    expect(done.headers.location).toBe(`${FRONT}?error=social_login_failed`);
    expect(cookiesOf(done).get('doorman-auth')).toBeUndefined();
  });

  it('a tampered pending cookie, or one for another provider, fails', async () => {
    const { back, pending } = await startRedirectFlow();
    const raw = Buffer.from(pending, 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect((await callback(back, raw.toString('base64url'))).headers.location).toBe(
      `${FRONT}?error=social_login_failed`,
    );
  });

  it('a pending login older than ten minutes fails', async () => {
    const { back, pending } = await startRedirectFlow();
    t.clock.now += 601_000;
    expect((await callback(back, pending)).headers.location).toBe(`${FRONT}?error=social_login_failed`);
  });

  it('a replayed callback (same code, same cookie) fails the second time', async () => {
    const { back, pending } = await startRedirectFlow();
    expect((await callback(back, pending)).headers.location).toBe(FRONT);
    const again = await callback(back, pending);
    expect(again.headers.location).toBe(`${FRONT}?error=social_login_failed`);
    expect(cookiesOf(again).get('doorman-auth')).toBeUndefined();
  });

  it('a denied consent at the provider comes back as an error to the front end', async () => {
    const { back, pending } = await startRedirectFlow();
    const denied = new URL(back);
    denied.search = `?error=access_denied&state=${back.searchParams.get('state')}&iss=${encodeURIComponent(provider.issuer)}`;
    expect((await callback(denied, pending)).headers.location).toBe(`${FRONT}?error=social_login_failed`);
  });

  it('builds the callback from DOORMAN_PUBLIC_URL when set, never from the Host header', async () => {
    const other = await testApp({
      socialClient: { allowInsecureRequests: true },
      config: {
        publicUrl: 'https://auth.example.com',
        socialProviders: JSON.stringify({ corp: { issuer: provider.issuer, clientId: CLIENT_ID } }),
        socialRedirectUrl: FRONT,
        authCookie: 'doorman-auth',
      },
    });
    try {
      const begin = await other.app.inject({
        method: 'GET',
        url: '/account/social/corp/',
        headers: { host: 'evil.example' },
      });
      expect(new URL(begin.headers.location as string).searchParams.get('redirect_uri')).toBe(
        'https://auth.example.com/account/social/corp/callback/',
      );
    } finally {
      await other.close();
    }
  });

  it('is off (404) without cookie mode or a front-end URL', async () => {
    const other = await testApp({
      socialClient: { allowInsecureRequests: true },
      config: { socialProviders: JSON.stringify({ corp: { issuer: provider.issuer, clientId: CLIENT_ID } }) },
    });
    try {
      const response = await other.app.inject({ method: 'GET', url: '/account/social/corp/' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        detail: 'The redirect flow is off: it needs cookie mode (DOORMAN_AUTH_COOKIE) and DOORMAN_SOCIAL_REDIRECT_URL.',
        code: 'not_found',
      });
    } finally {
      await other.close();
    }
  });

  it('an unknown provider is 404 with a DRF body', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/account/social/nobody/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'No such sign-in provider.', code: 'social_provider_unknown' });
  });
});

describe('SPA/mobile flow (POST /account/social/{provider}/)', () => {
  it('happy path with a code, its PKCE verifier and nonce: {access, refresh, user} (a native app asks for the refresh token in the body, as at login)', async () => {
    const { code, verifier } = await spaCode('n-123');
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      headers: { 'x-doorman-token-transport': 'body' },
      payload: { code, code_verifier: verifier, redirect_uri: SPA_CALLBACK, nonce: 'n-123' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['access', 'refresh', 'user']);
    expect(body.user.email).toBe('alice@example.com');
    const me = await t.app.inject({
      method: 'GET',
      url: '/account/user/',
      headers: { authorization: `Bearer ${body.access}` },
    });
    expect(me.json().pk).toBe(body.user.pk);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/token/refresh/',
      payload: { refresh: body.refresh },
    });
    expect(refreshed.statusCode).toBe(200);
  });

  it('in cookie mode, a cross-site post (login CSRF) is refused before any exchange, and the refresh token stays out of the body', async () => {
    const { code, verifier } = await spaCode();
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { code, code_verifier: verifier },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().code).toBe('csrf_failed');
    const form = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `code=${code}`,
    });
    expect(form.statusCode).toBe(403);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code, code_verifier: verifier },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().refresh).toBeUndefined();
    expect(cookiesOf(ok).get('doorman-refresh')).toBeTruthy();
  });

  it('a replayed code is refused', async () => {
    const { code, verifier } = await spaCode();
    const payload = { code, code_verifier: verifier, redirect_uri: SPA_CALLBACK };
    expect((await t.app.inject({ method: 'POST', url: '/account/social/corp/', payload })).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/account/social/corp/', payload });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('social_login_failed');
  });

  it('a wrong nonce is refused', async () => {
    const { code, verifier } = await spaCode('the-real-nonce');
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code, code_verifier: verifier, redirect_uri: SPA_CALLBACK, nonce: 'another-nonce' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      detail: 'The sign-in with the provider failed; start again.',
      code: 'social_login_failed',
    });
    expect(await t.storage.users.count()).toBe(0);
  });

  it('a wrong PKCE verifier is refused', async () => {
    const { code } = await spaCode();
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code, code_verifier: randomBytes(32).toString('base64url'), redirect_uri: SPA_CALLBACK },
    });
    expect(response.statusCode).toBe(400);
  });

  it('a redirect_uri outside DOORMAN_SOCIAL_REDIRECT_URIS is a field error', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code: 'x', redirect_uri: 'https://evil.test/cb' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ redirect_uri: ['This redirect_uri is not allowed.'] });
  });

  it('no credential at all is a non-field error', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/account/social/corp/', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ non_field_errors: ['Send code, id_token or access_token.'] });
  });

  describe('with an id_token', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const claims = (extra: Record<string, unknown> = {}) => ({
      iss: provider.issuer,
      aud: CLIENT_ID,
      sub: 'idt-user',
      email: 'idt@example.com',
      email_verified: true,
      iat: now(),
      exp: now() + 300,
      ...extra,
    });

    it('signed by the provider, for our client id: signs in', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims({ nonce: 'n1' })), nonce: 'n1' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().user.email).toBe('idt@example.com');
    });

    it.each([
      ['expired', { exp: 1_000_000, iat: 999_000 }],
      ['for another client', { aud: 'someone-else' }],
      ['from another issuer', { iss: 'https://evil.test' }],
    ])('%s: refused', async (_name, extra) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims(extra)) },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: 'The id_token is not valid.', code: 'social_login_failed' });
    });

    it("issued to one of the provider's `audiences` (a mobile app's client id): signs in; several audiences need azp to be ours", async () => {
      const mobile = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims({ aud: 'doorman-android' })) },
      });
      expect(mobile.statusCode).toBe(200);
      const shared = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims({ aud: [CLIENT_ID, 'someone-else'], azp: 'someone-else' })) },
      });
      expect(shared.statusCode).toBe(400);
      const ours = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims({ aud: [CLIENT_ID, 'someone-else'], azp: CLIENT_ID })) },
      });
      expect(ours.statusCode).toBe(200);
    });

    it("a deactivated user's provider identity signs in no more", async () => {
      const first = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims()) },
      });
      expect(first.statusCode).toBe(200);
      await t.doorman.accounts.setActive(await t.doorman.accounts.get(first.json().user.pk), false);
      const again = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims()) },
      });
      expect(again.statusCode).toBe(401);
      expect(again.json().code).toBe('no_active_account');
    });

    it('with a nonce other than the one the client sent: refused', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { id_token: await provider.sign(claims({ nonce: 'n1' })), nonce: 'n2' },
      });
      expect(response.statusCode).toBe(400);
    });

    it("signed by a key that is not the provider's: refused", async () => {
      const { SignJWT, generateKeyPair } = await import('jose');
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
      expect(
        (await t.app.inject({ method: 'POST', url: '/account/social/corp/', payload: { id_token: forged } }))
          .statusCode,
      ).toBe(400);
    });
  });
});

describe('linking by e-mail', () => {
  it('an unverified e-mail that matches an existing user does not sign in as that user (no takeover)', async () => {
    const victim = await join(t.app, 'victim@example.com');
    provider.nextAccount = { sub: 'mallory', email: 'victim@example.com', email_verified: false };
    const { code, verifier } = await spaCode();
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code, code_verifier: verifier },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('social_email_unverified');
    expect(await t.storage.socialAccounts.listForUser(victim.user.pk)).toEqual([]);
    // The redirect flow says the same, and sets no session.
    const { back, pending } = await startRedirectFlow();
    const done = await callback(back, pending);
    expect(done.headers.location).toBe(`${FRONT}?error=social_email_unverified`);
    expect(cookiesOf(done).get('doorman-auth')).toBeUndefined();
  });

  it('a verified e-mail joins the existing account, which keeps its password', async () => {
    const existing = await join(t.app, 'alice@example.com');
    const { code, verifier } = await spaCode();
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code, code_verifier: verifier },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.pk).toBe(existing.user.pk);
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'alice@example.com', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('the connected subject signs in even after the e-mail at the provider changed', async () => {
    const first = await spaCode();
    const a = (
      await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { code: first.code, code_verifier: first.verifier },
      })
    ).json();
    provider.nextAccount = { sub: 'alice', email: 'alice@new.example', email_verified: false };
    const second = await spaCode();
    const b = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code: second.code, code_verifier: second.verifier },
    });
    expect(b.statusCode).toBe(200);
    expect(b.json().user.pk).toBe(a.user.pk);
  });

  it('a social-only user cannot log in with a password (none is usable), and the answer is the ordinary one', async () => {
    const { code, verifier } = await spaCode();
    await t.app.inject({ method: 'POST', url: '/account/social/corp/', payload: { code, code_verifier: verifier } });
    for (const password of ['', 'anything at all', PASSWORD]) {
      const login = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'alice@example.com', password: password || 'x' },
      });
      expect(login.statusCode).toBe(400);
      expect(login.json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    }
  });
});

describe('connections', () => {
  async function signedInWithPassword() {
    const session = await join(t.app, 'kim@example.com');
    return { session, auth: { authorization: `Bearer ${session.access}` } };
  }

  it('connect (authenticated), list, and the same provider account cannot join a second user', async () => {
    const { session, auth } = await signedInWithPassword();
    provider.nextAccount = { sub: 'kim-at-corp', email: 'kim.other@example.com', email_verified: false };
    const { code, verifier } = await spaCode();
    const connected = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/connect/',
      headers: auth,
      payload: { code, code_verifier: verifier },
    });
    expect(connected.statusCode).toBe(201);
    const row = connected.json();
    expect(row).toMatchObject({ provider: 'corp', uid: 'kim-at-corp', email: 'kim.other@example.com' });
    const list = await t.app.inject({ method: 'GET', url: '/account/social/connections/', headers: auth });
    expect(list.json()).toEqual([row]);

    // The connected provider account now signs in as kim, though its e-mail is unverified.
    const again = await spaCode();
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/',
      payload: { code: again.code, code_verifier: again.verifier },
    });
    expect(login.json().user.pk).toBe(session.user.pk);

    const other = await join(t.app, 'lee@example.com');
    const third = await spaCode();
    const taken = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/connect/',
      headers: { authorization: `Bearer ${other.access}` },
      payload: { code: third.code, code_verifier: third.verifier },
    });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().code).toBe('social_account_taken');
  });

  it('connect needs authentication', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/corp/connect/',
      payload: { code: 'x' },
    });
    expect(response.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/account/social/connections/' })).statusCode).toBe(401);
  });

  it('a user with a password may remove the only connection; a social-only user may not remove the last one', async () => {
    const { auth } = await signedInWithPassword();
    provider.nextAccount = { sub: 'kim-at-corp', email: 'kim@example.com', email_verified: true };
    const { code, verifier } = await spaCode();
    const row = (
      await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/connect/',
        headers: auth,
        payload: { code, code_verifier: verifier },
      })
    ).json();
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/account/social/connections/${row.id}/`,
      headers: auth,
    });
    expect(removed.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/account/social/connections/', headers: auth })).json()).toEqual(
      [],
    );

    provider.nextAccount = { sub: 'solo', email: 'solo@example.com', email_verified: true };
    const solo = await spaCode();
    const session = (
      await t.app.inject({
        method: 'POST',
        url: '/account/social/corp/',
        payload: { code: solo.code, code_verifier: solo.verifier },
      })
    ).json();
    const soloAuth = { authorization: `Bearer ${session.access}` };
    const [only] = (
      await t.app.inject({ method: 'GET', url: '/account/social/connections/', headers: soloAuth })
    ).json();
    const refused = await t.app.inject({
      method: 'DELETE',
      url: `/account/social/connections/${only.id}/`,
      headers: soloAuth,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({
      detail: 'This is your last way to sign in: set a password (by password reset) before removing it.',
      code: 'social_last_login',
    });

    // With a second connection, one of the two may go.
    provider.nextAccount = { sub: 'solo-second', email: 'solo2@example.com', email_verified: false };
    const second = await spaCode();
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/account/social/corp/connect/',
          headers: soloAuth,
          payload: { code: second.code, code_verifier: second.verifier },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/account/social/connections/${only.id}/`, headers: soloAuth }))
        .statusCode,
    ).toBe(204);
    const [last] = (
      await t.app.inject({ method: 'GET', url: '/account/social/connections/', headers: soloAuth })
    ).json();
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/account/social/connections/${last.id}/`, headers: soloAuth }))
        .statusCode,
    ).toBe(400);

    // Once a password is set (by reset, here directly), the last connection may go too.
    await t.doorman.accounts.setPassword(session.user.pk, PASSWORD);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/account/social/connections/${last.id}/`, headers: soloAuth }))
        .statusCode,
    ).toBe(204);
  });

  it("someone else's connection is 404", async () => {
    const { auth } = await signedInWithPassword();
    provider.nextAccount = { sub: 'lee-at-corp', email: 'lee@example.com', email_verified: true };
    const { code, verifier } = await spaCode();
    const lee = (
      await t.app.inject({ method: 'POST', url: '/account/social/corp/', payload: { code, code_verifier: verifier } })
    ).json();
    const [leeRow] = (
      await t.app.inject({
        method: 'GET',
        url: '/account/social/connections/',
        headers: { authorization: `Bearer ${lee.access}` },
      })
    ).json();
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/account/social/connections/${leeRow.id}/`,
      headers: auth,
    });
    expect(response.statusCode).toBe(404);
  });
});
