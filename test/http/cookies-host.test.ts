import { describe, expect, it } from 'vitest';
import { PASSWORD, join, testApp } from '../helpers.js';

describe("cookie mode on the host's own routes (requirePermission)", () => {
  it('authenticates by the access cookie and demands the CSRF header on unsafe methods', async () => {
    const t = await testApp({ config: { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh' } });
    try {
      await join(t.app);
      const login = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'kim@example.com', password: PASSWORD },
      });
      const access = login.cookies.find((c) => c.name === 'doorman-auth')!.value;
      const csrf = login.cookies.find((c) => c.name === 'csrftoken')!.value;
      // The staff-only admin API goes through requirePermission: a cookie user is authenticated (403 not staff, not 401).
      const read = await t.app.inject({ url: '/admin/groups/', cookies: { 'doorman-auth': access } });
      expect(read.statusCode).toBe(403);
      expect(read.json().code).toBe('permission_denied');
      const write = await t.app.inject({
        method: 'POST',
        url: '/admin/groups/',
        cookies: { 'doorman-auth': access },
        payload: { name: 'x' },
      });
      expect(write.json()).toMatchObject({ code: 'csrf_failed' });
      const withToken = await t.app.inject({
        method: 'POST',
        url: '/admin/groups/',
        cookies: { 'doorman-auth': access },
        headers: { 'x-csrftoken': csrf },
        payload: { name: 'x' },
      });
      expect(withToken.json().code).toBe('permission_denied');
    } finally {
      await t.close();
    }
  });
});
