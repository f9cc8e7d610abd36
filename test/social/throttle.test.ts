import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { loadConfig } from '../../src/config/load.js';
import { bearer, join, SECRET, testApp, type TestApp } from '../helpers.js';
import { CLIENT_ID, CLIENT_SECRET, SPA_CALLBACK, startProvider, type TestProvider } from './oidc-provider.js';

/** Issue 14: social login is throttled per address, as the other sign-in endpoints. */
const FRONT = 'http://front.test/after-login';

let provider: TestProvider;
let t: TestApp | undefined;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(config: ConfigInput = {}) {
  t = await testApp({
    socialClient: { allowInsecureRequests: true },
    config: {
      throttle: true,
      socialProviders: JSON.stringify({
        corp: { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      }),
      socialRedirectUrl: FRONT,
      socialRedirectUris: [SPA_CALLBACK],
      authCookie: 'doorman-auth',
      refreshCookie: 'doorman-refresh',
      ...config,
    },
  });
  return t;
}

const begin = (from: string) => t!.app.inject({ method: 'GET', url: '/account/social/corp/', remoteAddress: from });
const callback = (from: string) =>
  t!.app.inject({ method: 'GET', url: '/account/social/corp/callback/?code=x&state=y', remoteAddress: from });
const spa = (from: string) =>
  t!.app.inject({
    method: 'POST',
    url: '/account/social/corp/',
    remoteAddress: from,
    payload: { id_token: 'not.a.token', nonce: 'n' },
  });

function expectThrottled(response: Awaited<ReturnType<typeof begin>>, maxWait: number) {
  expect(response.statusCode).toBe(429);
  const wait = Number(response.headers['retry-after']);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(maxWait);
  expect(response.json()).toEqual({
    detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
    code: 'throttled',
  });
}

describe('social login throttle', () => {
  it('is on by default: 30 per 10 minutes per address, a setting', () => {
    const config = loadConfig({ env: {}, ignoreFile: true, overrides: { environment: 'test', signingKey: SECRET } });
    expect(config.throttleSocial).toEqual({ points: 30, duration: 600 });
    const set = loadConfig({
      env: { DOORMAN_THROTTLE_SOCIAL: '5/1m' },
      ignoreFile: true,
      overrides: { environment: 'test', signingKey: SECRET },
    });
    expect(set.throttleSocial).toEqual({ points: 5, duration: 60 });
  });

  it("the redirect flow's start: past the limit DRF's 429 with Retry-After; another address is served", async () => {
    await start({ throttleSocial: '3/1h' });
    for (let i = 0; i < 3; i++) expect((await begin('10.0.0.66')).statusCode).toBe(302);
    expectThrottled(await begin('10.0.0.66'), 3600);
    expect((await begin('10.0.0.67')).statusCode).toBe(302);
  });

  it('completions (callback, SPA post) count together and apart from starts, and the limit is audited once', async () => {
    await start({ throttleSocial: '3/1h' });
    expect((await spa('10.0.0.66')).statusCode).toBe(400);
    expect((await callback('10.0.0.66')).statusCode).toBe(302); // no pending cookie: back to the front end with ?error=
    expect((await spa('10.0.0.66')).statusCode).toBe(400);
    expectThrottled(await spa('10.0.0.66'), 3600);
    expectThrottled(await callback('10.0.0.66'), 3600);
    for (let i = 0; i < 10; i++) expect((await spa('10.0.0.66')).statusCode).toBe(429);
    // Starts have their own count.
    expect((await begin('10.0.0.66')).statusCode).toBe(302);
    await t!.doorman.audit.flush();
    const { results } = await t!.doorman.audit.list({ kind: 'throttled', limit: 10, offset: 0 });
    expect(results.map((e) => [e.ip, e.detail])).toEqual([
      ['10.0.0.66', 'social_complete 3/3600s POST /account/social/corp/'],
    ]);
  });

  it('connect counts as a completion (after authentication: an anonymous call is 401, not counted)', async () => {
    await start({ throttleSocial: '1/1h' });
    const kim = await join(t!.app, 'kim@example.com');
    const connect = (headers: Record<string, string>) =>
      t!.app.inject({
        method: 'POST',
        url: '/account/social/corp/connect/',
        remoteAddress: '10.0.0.66',
        headers,
        payload: { id_token: 'not.a.token' },
      });
    for (let i = 0; i < 3; i++) expect((await connect({})).statusCode).toBe(401);
    expect((await connect(bearer(kim.access))).statusCode).toBe(400);
    expect((await connect(bearer(kim.access))).statusCode).toBe(429);
    expect((await spa('10.0.0.66')).statusCode).toBe(429);
  });

  it('DOORMAN_THROTTLE=false turns it off', async () => {
    await start({ throttle: false, throttleSocial: '1/1h' });
    for (let i = 0; i < 5; i++) expect((await begin('10.0.0.66')).statusCode).toBe(302);
    for (let i = 0; i < 5; i++) expect((await spa('10.0.0.66')).statusCode).toBe(400);
  });
});
