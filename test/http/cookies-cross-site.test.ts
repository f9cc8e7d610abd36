import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, PASSWORD, testApp, type TestApp } from '../helpers.js';

const COOKIES = {
  authCookie: 'doorman-auth',
  refreshCookie: 'doorman-refresh',
  corsOrigins: ['https://app.example.com'],
};
const ENDPOINTS = ['/account/login/', '/account/join/', '/account/token/refresh/', '/account/logout/'];
const BODY = { email: 'kim@example.com', password: PASSWORD, password1: PASSWORD, password2: PASSWORD, refresh: 'x' };

describe('cookie mode refuses cross-site requests that set or clear cookies', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ config: COOKIES });
    await join(t.app, 'owner@example.com');
  });
  afterEach(() => t.close());

  for (const url of ENDPOINTS) {
    it(`${url}: a cross-site form (Sec-Fetch-Site, foreign Origin, form content types) is 403 csrf_failed and sets no cookie`, async () => {
      const attempts = [
        {
          headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
          payload: JSON.stringify(BODY),
          detail: 'CSRF Failed: cross-site request refused.',
        },
        {
          headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
          payload: JSON.stringify(BODY),
          detail: 'CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.',
        },
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(BODY as Record<string, string>).toString(),
        },
        { headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(BODY) },
        {
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          payload: '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nkim@example.com\r\n--x--\r\n',
        },
      ];
      for (const { headers, payload, detail } of attempts) {
        const r = await t.app.inject({ method: 'POST', url, headers, payload });
        expect(r.statusCode, JSON.stringify(headers)).toBe(403);
        expect(r.json()).toEqual({
          detail: detail ?? 'CSRF Failed: form content types are refused in cookie mode; send application/json.',
          code: 'csrf_failed',
        });
        expect(r.headers['set-cookie']).toBeUndefined();
      }
    });
  }

  it('the allowed origin, the own origin and same-origin fetches go through', async () => {
    for (const headers of [
      { origin: 'https://app.example.com' },
      { origin: 'http://localhost:80', host: 'localhost:80' },
      { 'sec-fetch-site': 'same-origin' },
      {},
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        headers,
        payload: { email: 'owner@example.com', password: PASSWORD },
      });
      expect(r.statusCode, JSON.stringify(headers)).toBe(200);
    }
  });

  it('header mode (no cookies) keeps accepting forms from anywhere: there is no ambient credential to abuse', async () => {
    const plain = await testApp();
    try {
      await join(plain.app, 'owner@example.com');
      const r = await plain.app.inject({
        method: 'POST',
        url: '/account/login/',
        headers: {
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `email=owner%40example.com&password=${encodeURIComponent(PASSWORD)}`,
      });
      expect(r.statusCode).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
