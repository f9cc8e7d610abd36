import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, testApp, type TestApp } from '../helpers.js';

/** Every admin route, with a body where it takes one. */
function routes(group: number, user: number) {
  return [
    { method: 'GET', url: '/admin/groups/', perm: 'auth.view_group' },
    { method: 'POST', url: '/admin/groups/', payload: { name: 'new' }, perm: 'auth.add_group' },
    { method: 'GET', url: `/admin/groups/${group}/`, perm: 'auth.view_group' },
    { method: 'DELETE', url: `/admin/groups/${group}/`, perm: 'auth.delete_group' },
    {
      method: 'POST',
      url: `/admin/groups/${group}/permissions/`,
      payload: { permission: 'auth.change_user' },
      perm: null,
    },
    { method: 'DELETE', url: `/admin/groups/${group}/permissions/board.change_post/`, perm: null },
    { method: 'POST', url: `/admin/groups/${group}/members/`, payload: { user }, perm: 'auth.change_user' },
    { method: 'DELETE', url: `/admin/groups/${group}/members/${user}/`, perm: 'auth.change_user' },
    { method: 'GET', url: `/admin/users/${user}/permissions/`, perm: 'auth.view_user' },
    {
      method: 'POST',
      url: `/admin/users/${user}/permissions/`,
      payload: { permission: 'auth.change_group' },
      perm: null,
    },
    { method: 'DELETE', url: `/admin/users/${user}/permissions/auth.view_user/`, perm: null },
  ] as const;
}

describe("admin authorization as Django's", () => {
  let t: TestApp;
  let staff: { access: string; user: { pk: number } };
  let group: number;
  beforeEach(async () => {
    t = await testApp();
    staff = await join(t.app, 'staff@example.com');
    await t.storage.users.update(staff.user.pk, { isStaff: true });
    await t.doorman.revocation.userChanged({ id: staff.user.pk, email: 'staff@example.com' });
    group = (await t.doorman.permissions.createGroup('editors')).id;
    await t.doorman.permissions.grantToGroup(group, 'board.change_post');
  });
  afterEach(() => t.close());

  it('a staff member without permissions may do nothing under /admin/ (403 at every route, nothing changed)', async () => {
    for (const route of routes(group, staff.user.pk)) {
      const r = await t.app.inject({
        method: route.method,
        url: route.url,
        headers: bearer(staff.access),
        ...('payload' in route ? { payload: route.payload } : {}),
      });
      expect(r.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(r.json()).toEqual({
        detail: 'You do not have permission to perform this action.',
        code: 'permission_denied',
      });
    }
    expect(await t.doorman.permissions.listGroups()).toEqual([
      { id: group, name: 'editors', permissions: ['board.change_post'] },
    ]);
    expect([...(await t.doorman.permissions.of(staff.user.pk))]).toEqual([]);
  });

  it('each route opens with its model permission; granting permissions stays superuser-only', async () => {
    for (const route of routes(group, staff.user.pk)) {
      const fresh = await testApp();
      try {
        const s = await join(fresh.app, 'staff@example.com');
        await fresh.storage.users.update(s.user.pk, { isStaff: true });
        const g = (await fresh.doorman.permissions.createGroup('editors')).id;
        // Every model permission there is: still not enough for the superuser-only routes.
        for (const p of [
          'auth.view_group',
          'auth.add_group',
          'auth.change_group',
          'auth.delete_group',
          'auth.view_user',
          'auth.change_user',
          'auth.add_user',
        ])
          await fresh.doorman.permissions.grantToUser(s.user.pk, p);
        const [r2] = routes(g, s.user.pk).filter(
          (x) => x.method === route.method && x.url.replace(/\d+/g, 'N') === route.url.replace(/\d+/g, 'N'),
        );
        const r = await fresh.app.inject({
          method: r2!.method,
          url: r2!.url,
          headers: bearer(s.access),
          ...('payload' in r2! ? { payload: r2!.payload } : {}),
        });
        if (route.perm === null) expect(r.statusCode, `${route.method} ${route.url}`).toBe(403);
        else expect(r.statusCode, `${route.method} ${route.url}`).toBeLessThan(300);
      } finally {
        await fresh.close();
      }
    }
  });

  it('a staff member with auth.change_user cannot join a group that carries permissions (that would grant them)', async () => {
    await t.doorman.permissions.grantToUser(staff.user.pk, 'auth.change_user');
    const r = await t.app.inject({
      method: 'POST',
      url: `/admin/groups/${group}/members/`,
      headers: bearer(staff.access),
      payload: { user: staff.user.pk },
    });
    expect(r.statusCode).toBe(403);
    const empty = (await t.doorman.permissions.createGroup('readers')).id;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/admin/groups/${empty}/members/`,
          headers: bearer(staff.access),
          payload: { user: staff.user.pk },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('a superuser may do everything', async () => {
    await t.storage.users.update(staff.user.pk, { isSuperuser: true });
    await t.doorman.revocation.userChanged({ id: staff.user.pk, email: 'staff@example.com' });
    const r = await t.app.inject({
      method: 'POST',
      url: `/admin/users/${staff.user.pk}/permissions/`,
      headers: bearer(staff.access),
      payload: { permission: 'board.add_post' },
    });
    expect(r.statusCode).toBe(200);
  });
});
