import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, testApp, type TestApp } from '../helpers.js';

describe('admin API (staff only)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('refuses anonymous (401) and non-staff (403)', async () => {
    const kim = await join(t.app, 'kim@example.com');
    expect((await t.app.inject({ url: '/admin/groups/' })).statusCode).toBe(401);
    const denied = await t.app.inject({ url: '/admin/groups/', headers: bearer(kim.access) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('permission_denied');
  });

  it('manages groups, grants and members; changes apply to the next request', async () => {
    const staff = await join(t.app, 'staff@example.com');
    const kim = await join(t.app, 'kim@example.com');
    await t.storage.users.update(staff.user.pk, { isStaff: true, isSuperuser: true });
    await t.doorman.revocation.userChanged({ id: staff.user.pk, email: 'staff@example.com' });
    const h = bearer(staff.access);

    const created = await t.app.inject({
      method: 'POST',
      url: '/admin/groups/',
      headers: h,
      payload: { name: 'editors' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(
      (await t.app.inject({ method: 'POST', url: '/admin/groups/', headers: h, payload: { name: 'editors' } })).json(),
    ).toEqual({ name: ['group with this name already exists.'] });
    const granted = await t.app.inject({
      method: 'POST',
      url: `/admin/groups/${id}/permissions/`,
      headers: h,
      payload: { permission: 'board.change_post' },
    });
    expect(granted.json()).toEqual({ id, name: 'editors', permissions: ['board.change_post'] });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/admin/groups/${id}/permissions/`,
          headers: h,
          payload: { permission: 'DROP TABLE' },
        })
      ).statusCode,
    ).toBe(400);
    await t.app.inject({
      method: 'POST',
      url: `/admin/groups/${id}/members/`,
      headers: h,
      payload: { user: kim.user.pk },
    });
    await t.app.inject({
      method: 'POST',
      url: `/admin/users/${kim.user.pk}/permissions/`,
      headers: h,
      payload: { permission: 'board.add_post' },
    });
    const described = await t.app.inject({ url: `/admin/users/${kim.user.pk}/permissions/`, headers: h });
    expect(described.json()).toMatchObject({
      groups: [{ id, name: 'editors' }],
      user_permissions: ['board.add_post'],
      all_permissions: ['board.add_post', 'board.change_post'],
    });
    expect([...(await t.doorman.permissions.of(kim.user.pk))]).toEqual(['board.add_post', 'board.change_post']);

    await t.app.inject({ method: 'DELETE', url: `/admin/groups/${id}/members/${kim.user.pk}/`, headers: h });
    await t.app.inject({
      method: 'DELETE',
      url: `/admin/users/${kim.user.pk}/permissions/board.add_post/`,
      headers: h,
    });
    expect([...(await t.doorman.permissions.of(kim.user.pk))]).toEqual([]);
    expect((await t.app.inject({ url: '/admin/groups/', headers: h })).json()).toEqual([
      { id, name: 'editors', permissions: ['board.change_post'] },
    ]);
  });

  it('answers 404 for unknown or malformed ids, never 500', async () => {
    const staff = await join(t.app, 'staff@example.com');
    await t.storage.users.update(staff.user.pk, { isStaff: true, isSuperuser: true });
    await t.doorman.revocation.userChanged({ id: staff.user.pk, email: 'staff@example.com' });
    const h = bearer(staff.access);
    for (const url of [
      '/admin/groups/999/',
      '/admin/groups/abc/',
      '/admin/users/0/permissions/',
      '/admin/users/99999999999999999999/permissions/',
    ]) {
      expect((await t.app.inject({ url, headers: h })).statusCode).toBe(404);
    }
    expect(
      (await t.app.inject({ method: 'POST', url: '/admin/groups/1/members/', headers: h, payload: { user: 'x' } }))
        .statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'PUT', url: '/admin/groups/', headers: h })).statusCode).toBe(405);
  });
});

describe('PATCH /admin/users/{id}/ (staff status, superusers only)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const promote = async (email: string, flags: { isStaff?: boolean; isSuperuser?: boolean }) => {
    const joined = await join(t.app, email);
    await t.storage.users.update(joined.user.pk, flags);
    await t.doorman.revocation.userChanged({ id: joined.user.pk, email });
    return joined;
  };

  it('takes staff status away: the user is refused by the admin API at once', async () => {
    const root = await promote('root@example.com', { isStaff: true, isSuperuser: true });
    const staff = await promote('staff@example.com', { isStaff: true });
    await t.doorman.permissions.grantToUser(staff.user.pk, 'auth.view_group'); // staff reach the admin API through model permissions
    expect((await t.app.inject({ url: '/admin/groups/', headers: bearer(staff.access) })).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${staff.user.pk}/`,
      headers: bearer(root.access),
      payload: { is_staff: false },
    });
    expect(response.statusCode).toBe(200);
    // One PATCH route (routes/admin-users.ts) answers the whole admin view of the user.
    expect(response.json()).toMatchObject({
      pk: staff.user.pk,
      email: 'staff@example.com',
      is_staff: false,
      is_superuser: false,
      is_active: true,
    });
    expect((await t.app.inject({ url: '/admin/groups/', headers: bearer(staff.access) })).statusCode).toBe(403);
    const again = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${staff.user.pk}/`,
      headers: bearer(root.access),
      payload: { is_staff: true },
    });
    expect(again.json()).toMatchObject({ is_staff: true });
  });

  it('refuses a staff member who is not a superuser (403), and non-staff (403)', async () => {
    const staff = await promote('staff@example.com', { isStaff: true });
    const other = await promote('other@example.com', { isStaff: true });
    await t.doorman.permissions.grantToUser(other.user.pk, 'auth.view_group');
    const kim = await join(t.app, 'kim@example.com');
    const denied = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${other.user.pk}/`,
      headers: bearer(staff.access),
      payload: { is_staff: false },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({
      detail: 'You do not have permission to perform this action.',
      code: 'permission_denied',
    });
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/admin/users/${staff.user.pk}/`,
          headers: bearer(kim.access),
          payload: { is_staff: true },
        })
      ).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/admin/groups/', headers: bearer(other.access) })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown user and 400 for a body without a boolean', async () => {
    const root = await promote('root@example.com', { isStaff: true, isSuperuser: true });
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/admin/users/999/',
          headers: bearer(root.access),
          payload: { is_staff: false },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/admin/users/${root.user.pk}/`,
          headers: bearer(root.access),
          payload: { is_staff: 'no' },
        })
      ).statusCode,
    ).toBe(400);
  });
});
