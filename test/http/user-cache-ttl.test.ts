import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, testApp, type TestApp } from '../helpers.js';

/**
 * A change made outside doorman (SQL, the Django admin on a shared database) sends no event:
 * the cached user state is trusted for DOORMAN_USER_CACHE_TTL only.
 */
describe('DOORMAN_USER_CACHE_TTL', () => {
  let t: TestApp;
  let staff: { access: string };
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite', config: { userCacheTtl: 2000 } });
    staff = await join(t.app);
    await t.storage.users.update(1, { isStaff: true });
    await t.doorman.permissions.grantToUser(1, 'auth.view_group'); // what /admin/groups/ asks of a staff member
    await t.doorman.revocation.userChanged({ id: 1, email: 'kim@example.com' });
  });
  afterEach(() => t.close());

  const groups = () => t.app.inject({ url: '/admin/groups/', headers: bearer(staff.access) });
  const mypage = () => t.app.inject({ url: '/account/mypage/', headers: bearer(staff.access) });

  it('sees staff taken away in the database once the TTL has passed', async () => {
    expect((await groups()).statusCode).toBe(200);
    await t.storage.users.update(1, { isStaff: false }); // no event: as an SQL UPDATE would
    expect((await groups()).statusCode).toBe(200); // still within the TTL
    t.clock.now += 2001;
    expect((await groups()).statusCode).toBe(403);
  });

  it('sees a deactivation made in the database once the TTL has passed', async () => {
    expect((await mypage()).statusCode).toBe(200);
    await t.storage.users.update(1, { isActive: false });
    t.clock.now += 2001;
    expect((await mypage()).json()).toEqual({ detail: 'User is inactive', code: 'user_inactive' });
  });

  it('reads the user on every request with 0', async () => {
    const fresh = await testApp({ config: { userCacheTtl: 0 } });
    try {
      const joined = await join(fresh.app);
      expect((await fresh.app.inject({ url: '/account/mypage/', headers: bearer(joined.access) })).statusCode).toBe(
        200,
      );
      await fresh.storage.users.update(1, { isActive: false });
      expect((await fresh.app.inject({ url: '/account/mypage/', headers: bearer(joined.access) })).statusCode).toBe(
        401,
      );
    } finally {
      await fresh.close();
    }
  });
});
