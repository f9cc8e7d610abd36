import { afterEach, describe, expect, it } from 'vitest';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('security headers', () => {
  it('every answer carrying a token or a user is Cache-Control: no-store; every answer nosniff and no-referrer', async () => {
    t = await testApp();
    const joined = await t.app.inject({
      method: 'POST',
      url: '/account/join/',
      payload: { email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD },
    });
    const { access, refresh } = joined.json();
    const answers = [
      joined,
      await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'kim@example.com', password: PASSWORD },
      }),
      await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'kim@example.com', password: 'wrong password!' },
      }),
      await t.app.inject({
        method: 'POST',
        url: '/api/token/',
        payload: { email: 'kim@example.com', password: PASSWORD },
      }),
      await t.app.inject({
        method: 'POST',
        url: '/api/token/sliding/',
        payload: { email: 'kim@example.com', password: PASSWORD },
      }),
      await t.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh } }),
      await t.app.inject({ method: 'GET', url: '/account/user/', headers: bearer(access) }),
      await t.app.inject({ method: 'GET', url: '/account/mypage/', headers: bearer(access) }),
      await t.app.inject({ method: 'GET', url: '/admin/groups/', headers: bearer(access) }),
    ];
    for (const r of answers) {
      expect(r.headers['cache-control'], r.body).toBe('no-store');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
    for (const url of ['/nowhere', '/healthz', '/.well-known/jwks.json']) {
      const r = await t.app.inject({ url });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await t.app.inject({ url: '/.well-known/jwks.json' })).headers['cache-control']).toMatch(
      /^public, max-age=/,
    );
  });

  it('sends Strict-Transport-Security only when configured', async () => {
    t = await testApp({ config: { strictTransportSecurity: 'max-age=31536000; includeSubDomains' } });
    for (const url of ['/healthz', '/nowhere', '/.well-known/jwks.json']) {
      expect((await t.app.inject({ url })).headers['strict-transport-security']).toBe(
        'max-age=31536000; includeSubDomains',
      );
    }
    const { access } = await join(t.app);
    expect(
      (await t.app.inject({ url: '/account/user/', headers: bearer(access) })).headers['strict-transport-security'],
    ).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('discovery trusts no Host header', () => {
  it('takes issuer and jwks_uri from the settings, whatever Host and X-Forwarded-Host say', async () => {
    t = await testApp({ config: { publicUrl: 'https://auth.example.com', trustProxy: true } });
    for (const headers of [
      {},
      { host: 'evil.example' },
      { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    ]) {
      const r = await t.app.inject({ url: '/.well-known/openid-configuration', headers });
      expect(r.json()).toMatchObject({
        issuer: 'https://auth.example.com',
        jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      });
    }
  });

  it('an ISSUER URL is the issuer; PUBLIC_URL still places the JWKS; neither set → http://HOST:PORT', async () => {
    t = await testApp({ config: { issuer: 'https://id.example.com', publicUrl: 'https://keys.example.com/' } });
    expect(
      (await t.app.inject({ url: '/.well-known/openid-configuration', headers: { host: 'evil.example' } })).json(),
    ).toMatchObject({ issuer: 'https://id.example.com', jwks_uri: 'https://keys.example.com/.well-known/jwks.json' });
    await t.close();
    t = await testApp({ config: { host: '127.0.0.1', port: 8123 } });
    expect(
      (await t.app.inject({ url: '/.well-known/openid-configuration', headers: { host: 'evil.example' } })).json(),
    ).toMatchObject({ issuer: 'http://127.0.0.1:8123', jwks_uri: 'http://127.0.0.1:8123/.well-known/jwks.json' });
  });
});
