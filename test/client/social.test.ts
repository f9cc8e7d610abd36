import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDoormanClient, DoormanError } from '../../src/client/index.js';
import { PASSWORD, join } from '../helpers.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  SPA_CALLBACK,
  spaAuthorizationUrl,
  startProvider,
  type TestAccount,
  type TestProvider,
} from '../social/oidc-provider.js';
import { liveDoorman, type LiveDoorman } from './live.js';

/** client.social against a real doorman and a real OpenID Connect provider (both on loopback). */
let provider: TestProvider;
let t: LiveDoorman;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());
beforeEach(async () => {
  t = await liveDoorman({
    socialClient: { allowInsecureRequests: true },
    config: {
      socialProviders: JSON.stringify({
        corp: { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      }),
      socialRedirectUrl: 'http://front.test/after-login',
      socialRedirectUris: [SPA_CALLBACK],
      authCookie: 'doorman-auth',
      refreshCookie: 'doorman-refresh',
    },
  });
});
afterEach(() => t.close());

/** What an SPA gets from the provider: a code for its redirect_uri, with its PKCE verifier. */
async function spaCode(account: TestAccount) {
  provider.nextAccount = account;
  const code_verifier = randomBytes(32).toString('base64url');
  const back = await provider.authorize(
    await spaAuthorizationUrl(provider.issuer, { verifier: code_verifier, state: 's' }),
  );
  return { code: back.searchParams.get('code')!, code_verifier, redirect_uri: SPA_CALLBACK };
}

describe('@doorman-auth/server/client social login (real server)', () => {
  it('login signs in with a code (bearer mode) and the session works', async () => {
    const client = createDoormanClient({ baseUrl: t.baseUrl });
    const user = await client.social.login(
      'corp',
      await spaCode({ sub: 'alice', email: 'alice@example.com', email_verified: true }),
    );
    expect(user.email).toBe('alice@example.com');
    expect(client.user).toEqual(user);
    expect((await client.tokens())?.access).toBeTruthy();
    expect(await client.getUser()).toMatchObject({ email: 'alice@example.com' });
    const connections = await client.social.connections();
    expect(connections).toEqual([
      {
        id: expect.any(Number),
        provider: 'corp',
        uid: 'alice',
        email: 'alice@example.com',
        created: expect.any(String),
      },
    ]);
  });

  it('a refused login rejects with a DoormanError carrying the code', async () => {
    const client = createDoormanClient({ baseUrl: t.baseUrl });
    const error = await client.social.login('corp', { id_token: 'not.a.token' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DoormanError);
    expect(error).toMatchObject({ status: 400, code: 'social_login_failed' });
    await expect(client.social.login('nope', { id_token: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 'social_provider_unknown',
    });
    expect(client.user).toBeNull();
  });

  it('connect, connections and disconnect for a password user', async () => {
    await join(t.app, 'kim@example.com');
    const client = createDoormanClient({ baseUrl: t.baseUrl });
    await client.login('kim@example.com', PASSWORD);
    const connection = await client.social.connect(
      'corp',
      await spaCode({ sub: 'kim-at-corp', email: 'kim@corp.example', email_verified: true }),
    );
    expect(connection).toMatchObject({ provider: 'corp', uid: 'kim-at-corp', email: 'kim@corp.example' });
    expect((await client.social.connections()).map((c) => c.id)).toEqual([connection.id]);
    await client.social.disconnect(connection.id);
    expect(await client.social.connections()).toEqual([]);
    await expect(client.social.disconnect(connection.id)).rejects.toMatchObject({ status: 404 });
  });

  it('redirectUrl is where the browser starts the redirect flow', async () => {
    const client = createDoormanClient({ baseUrl: t.baseUrl, mode: 'cookie' });
    const url = client.social.redirectUrl('corp');
    expect(url).toBe(`${t.baseUrl}/account/social/corp/`);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${provider.issuer}/auth\\?`));
  });
});
