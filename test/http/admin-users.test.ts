import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';

describe('admin API: users (staff with model permissions; flags by superusers)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  /** A signed-in user with the given flags (set in storage, the cached view told). */
  async function member(email: string, flags: { isStaff?: boolean; isSuperuser?: boolean }) {
    const session = await join(t.app, email);
    const updated = await t.storage.users.update(session.user.pk, flags);
    await t.doorman.revocation.userChanged(updated!);
    return { ...session, h: bearer(session.access) };
  }

  it('refuses anonymous (401), non-staff (403) and staff without the model permission (403)', async () => {
    const kim = await member('kim@example.com', {});
    const staff = await member('staff@example.com', { isStaff: true });
    expect((await t.app.inject({ url: '/admin/users/' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/admin/users/', headers: kim.h })).statusCode).toBe(403);
    const denied = await t.app.inject({ url: '/admin/users/', headers: staff.h });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({
      detail: 'You do not have permission to perform this action.',
      code: 'permission_denied',
    });
    await t.doorman.permissions.grantToUser(staff.user.pk, 'auth.view_user');
    expect((await t.app.inject({ url: '/admin/users/', headers: staff.h })).statusCode).toBe(200);
    // Viewing is not changing.
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/admin/users/${kim.user.pk}/`,
          headers: staff.h,
          payload: { is_active: false },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lists 25 a page with DRF paging, and searches the e-mail', async () => {
    const boss = await member('boss@example.com', { isStaff: true, isSuperuser: true });
    for (let i = 0; i < 26; i++)
      await t.doorman.accounts.createUser({ email: `user${String(i).padStart(2, '0')}@example.com`, password: null });
    const first = await t.app.inject({ url: '/admin/users/', headers: boss.h });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ count: 27, next: 2, previous: null });
    expect(first.json().results).toHaveLength(25);
    expect(first.json().results[0]).toEqual({
      pk: boss.user.pk,
      email: 'boss@example.com',
      first_name: '',
      last_name: '',
      is_active: true,
      is_staff: true,
      is_superuser: true,
      date_joined: expect.any(String),
      last_login: expect.any(String),
    });
    expect((await t.app.inject({ url: '/admin/users/?page=2', headers: boss.h })).json()).toMatchObject({
      count: 27,
      next: null,
      previous: 1,
    });
    expect((await t.app.inject({ url: '/admin/users/?page=3', headers: boss.h })).json()).toEqual({
      detail: 'Invalid page.',
      code: 'not_found',
    });
    expect((await t.app.inject({ url: '/admin/users/?page=0', headers: boss.h })).statusCode).toBe(404);
    const found = (await t.app.inject({ url: '/admin/users/?search=USER1', headers: boss.h })).json();
    expect(found.count).toBe(10);
    expect((await t.app.inject({ url: '/admin/users/?search=%25', headers: boss.h })).json().count).toBe(0);
  });

  it('creates a user with the join rules; the new user can log in', async () => {
    const boss = await member('boss@example.com', { isStaff: true, isSuperuser: true });
    const short = await t.app.inject({
      method: 'POST',
      url: '/admin/users/',
      headers: boss.h,
      payload: { email: 'new@example.com', password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(Object.keys(short.json())).toEqual(['password1']);
    const created = await t.app.inject({
      method: 'POST',
      url: '/admin/users/',
      headers: boss.h,
      payload: { email: 'new@example.com', password: PASSWORD },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'new@example.com',
      is_active: true,
      is_staff: false,
      is_superuser: false,
    });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/account/login/',
          payload: { email: 'new@example.com', password: PASSWORD },
        })
      ).statusCode,
    ).toBe(200);
  });

  it("deactivating ends the user's sessions at once; reactivating lets them log in again", async () => {
    const boss = await member('boss@example.com', { isStaff: true, isSuperuser: true });
    const kim = await join(t.app, 'kim@example.com');
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(200);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${kim.user.pk}/`,
      headers: boss.h,
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ pk: kim.user.pk, is_active: false });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/account/token/refresh/', payload: { refresh: kim.refresh } }))
        .statusCode,
    ).toBe(401);
    await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${kim.user.pk}/`,
      headers: boss.h,
      payload: { is_active: true },
    });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/account/login/',
          payload: { email: 'kim@example.com', password: PASSWORD },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('only a superuser grants staff or superuser, and a staff member cannot touch a superuser', async () => {
    const boss = await member('boss@example.com', { isStaff: true, isSuperuser: true });
    const staff = await member('staff@example.com', { isStaff: true });
    const kim = await join(t.app, 'kim@example.com');
    for (const p of ['auth.view_user', 'auth.change_user', 'auth.delete_user'])
      await t.doorman.permissions.grantToUser(staff.user.pk, p);
    for (const payload of [{ is_staff: true }, { is_superuser: true }, { is_active: true, is_staff: true }]) {
      const refused = await t.app.inject({
        method: 'PATCH',
        url: `/admin/users/${kim.user.pk}/`,
        headers: staff.h,
        payload,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({
        detail: 'Only a superuser can grant or take away staff or superuser status.',
        code: 'permission_denied',
      });
    }
    // Not even on themselves.
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/admin/users/${staff.user.pk}/`,
          headers: staff.h,
          payload: { is_superuser: true },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/admin/users/${boss.user.pk}/`,
          headers: staff.h,
          payload: { is_active: false },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/admin/users/${boss.user.pk}/`, headers: staff.h })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/account/mypage/', headers: boss.h })).statusCode).toBe(200);
    // A staff member may deactivate an ordinary user.
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/admin/users/${kim.user.pk}/`,
          headers: staff.h,
          payload: { is_active: false },
        })
      ).json(),
    ).toMatchObject({ is_active: false, is_staff: false });
    const granted = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${kim.user.pk}/`,
      headers: boss.h,
      payload: { is_staff: true },
    });
    expect(granted.json()).toMatchObject({ is_staff: true });
  });

  it('deletes a user: their access token is refused at once; unknown ids are 404', async () => {
    const boss = await member('boss@example.com', { isStaff: true, isSuperuser: true });
    const kim = await join(t.app, 'kim@example.com');
    const deleted = await t.app.inject({ method: 'DELETE', url: `/admin/users/${kim.user.pk}/`, headers: boss.h });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/admin/users/${kim.user.pk}/`, headers: boss.h })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/admin/users/abc/', headers: boss.h })).json()).toEqual({
      detail: 'Not found.',
      code: 'not_found',
    });
    expect(
      (await t.app.inject({ method: 'PUT', url: `/admin/users/${boss.user.pk}/`, headers: boss.h })).statusCode,
    ).toBe(405);
  });

  it("lists a user's live sessions and ends one: its access token is refused at once; a staff member cannot end a superuser's", async () => {
    const boss = await member('boss@example.com', { isStaff: true, isSuperuser: true });
    const staff = await member('staff@example.com', { isStaff: true });
    await t.doorman.permissions.grantToUser(staff.user.pk, 'auth.view_user');
    const kim = await member('kim@example.com', {});
    const listed = await t.app.inject({ url: `/admin/users/${kim.user.pk}/sessions/`, headers: staff.h });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([
      {
        id: expect.any(String),
        created: expect.any(String),
        last_used: expect.any(String),
        user_agent: expect.toBeOneOf([null, expect.any(String)]),
        ip: expect.any(String),
      },
    ]);
    const id = listed.json()[0].id as string;
    // Viewing is not ending.
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/admin/users/${kim.user.pk}/sessions/${id}/`, headers: staff.h }))
        .statusCode,
    ).toBe(403);
    await t.doorman.permissions.grantToUser(staff.user.pk, 'auth.change_user');
    const bossSession = (
      await t.app.inject({ url: `/admin/users/${boss.user.pk}/sessions/`, headers: staff.h })
    ).json()[0].id as string;
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/admin/users/${boss.user.pk}/sessions/${bossSession}/`,
          headers: staff.h,
        })
      ).statusCode,
    ).toBe(403);
    // Another user's session id under this user's path is not found.
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/admin/users/${kim.user.pk}/sessions/${bossSession}/`,
          headers: staff.h,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/admin/users/${kim.user.pk}/sessions/${id}/`, headers: staff.h }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/account/user/', headers: kim.h })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/admin/users/${kim.user.pk}/sessions/`, headers: staff.h })).json()).toEqual([]);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/admin/users/${kim.user.pk}/sessions/${id}/`, headers: staff.h }))
        .statusCode,
    ).toBe(404);
    expect((await t.app.inject({ url: '/admin/users/999/sessions/', headers: staff.h })).statusCode).toBe(404);
  });
});
