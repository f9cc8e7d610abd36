import { afterEach, describe, expect, it } from 'vitest';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { cliSandbox } from '../cli/cli-helpers.js';

let t: TestApp;
afterEach(() => t?.close());

async function staff(email: string, options: { superuser?: boolean; permission?: string } = {}) {
  const s = await join(t.app, email);
  await t.storage.users.update(s.user.pk, { isStaff: true, isSuperuser: options.superuser ?? false });
  if (options.permission) await t.doorman.permissions.grantToUser(s.user.pk, options.permission);
  await t.doorman.revocation.userChanged({ id: s.user.pk, email });
  return s;
}

describe('GET /admin/audit/', () => {
  it('is for staff with auth.view_auditevent or superusers only', async () => {
    t = await testApp();
    const user = await join(t.app, 'user@example.com');
    const plainStaff = await staff('staff@example.com');
    const viewer = await staff('viewer@example.com', { permission: 'auth.view_auditevent' });
    const root = await staff('root@example.com', { superuser: true });
    expect((await t.app.inject({ url: '/admin/audit/' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/admin/audit/', headers: bearer(user.access) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/admin/audit/', headers: bearer(plainStaff.access) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/admin/audit/', headers: bearer(viewer.access) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/admin/audit/', headers: bearer(root.access) })).statusCode).toBe(200);
    // A user with the permission but no staff flag: Django's admin wants both.
    const notStaff = await join(t.app, 'perm@example.com');
    await t.doorman.permissions.grantToUser(notStaff.user.pk, 'auth.view_auditevent');
    expect((await t.app.inject({ url: '/admin/audit/', headers: bearer(notStaff.access) })).statusCode).toBe(403);
  });

  it('lists security events newest first, filtered and paged', async () => {
    t = await testApp();
    const root = await staff('root@example.com', { superuser: true });
    const kim = await join(t.app, 'kim@example.com');
    const start = t.clock.now;
    t.clock.now += 1000;
    await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'kim@example.com', password: 'wrong password 1' },
      headers: { 'user-agent': 'probe/1' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'kim@example.com', password: PASSWORD },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/token/',
      payload: { email: 'ghost@example.com', password: PASSWORD },
    });
    await t.app.inject({
      method: 'POST',
      url: '/admin/groups/',
      headers: bearer(root.access),
      payload: { name: 'editors' },
    });
    await t.doorman.idle();
    const get = async (query: string) =>
      (await t.app.inject({ url: `/admin/audit/${query}`, headers: bearer(root.access) })).json();

    const all = await get('');
    expect(all.results.map((e: { kind: string }) => e.kind)).toEqual([
      'admin_action',
      'token_obtain_failed',
      'login',
      'login_failed',
      'join',
      'join',
    ]);
    expect(all.results[0]).toMatchObject({
      kind: 'admin_action',
      user: root.user.pk,
      detail: 'POST /admin/groups/ 201',
      ip: '127.0.0.1',
    });
    expect(all.results[3]).toMatchObject({
      kind: 'login_failed',
      user: null,
      email: 'kim@example.com',
      user_agent: 'probe/1',
    });
    expect(all.results[1]).toMatchObject({ email: 'ghost@example.com', user: null });

    expect((await get(`?user=${kim.user.pk}`)).results.map((e: { kind: string }) => e.kind)).toEqual(['login', 'join']);
    expect((await get('?user=KIM@example.com')).results.map((e: { kind: string }) => e.kind)).toEqual([
      'login',
      'login_failed',
    ]);
    expect((await get('?kind=login_failed')).count).toBe(1);
    expect(
      (await get(`?until=${new Date(start + 1).toISOString()}`)).results.map((e: { kind: string }) => e.kind),
    ).toEqual(['join', 'join']);
    expect((await get(`?since=${new Date(start + 1000).toISOString()}`)).count).toBe(4);
    const page = await get('?limit=2&offset=2');
    expect(page).toMatchObject({
      count: 6,
      next: '/admin/audit/?limit=2&offset=4',
      previous: '/admin/audit/?limit=2&offset=0',
    });
    expect(page.results).toHaveLength(2);
    const bad = await t.app.inject({ url: '/admin/audit/?since=yesterday', headers: bearer(root.access) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ since: ['Enter a valid date/time.'] });
    expect((await t.app.inject({ url: '/admin/audit/?limit=100000', headers: bearer(root.access) })).statusCode).toBe(
      400,
    );
  });
});

describe('npx doorman audit', () => {
  it('prints events, filtered by user, kind, time and count', async () => {
    const box = cliSandbox();
    try {
      await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
        env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
      });
      const { storage } = await box.open();
      const kim = (await storage.users.findByEmail('kim@example.com'))!;
      const at = (iso: string) => new Date(iso);
      await storage.audit.append([
        {
          at: at('2026-01-01T00:00:00Z'),
          kind: 'login',
          userId: kim.id,
          email: null,
          ip: '10.0.0.1',
          userAgent: 'ua',
          detail: null,
        },
        {
          at: at('2026-01-02T00:00:00Z'),
          kind: 'login_failed',
          userId: null,
          email: 'kim@example.com',
          ip: '10.0.0.2',
          userAgent: null,
          detail: null,
        },
        {
          at: at('2026-01-03T00:00:00Z'),
          kind: 'logout',
          userId: kim.id,
          email: null,
          ip: '10.0.0.1',
          userAgent: 'ua',
          detail: null,
        },
      ]);
      const all = await box.run(['audit']);
      expect(all.code).toBe(0);
      expect(all.stdout.split('\n')[0]).toBe(`2026-01-03T00:00:00.000Z\tlogout\t${kim.id}\t-\t10.0.0.1\tua\t`);
      expect((await box.run(['audit', '--user', 'kim@example.com'])).stdout.split('\n').filter(Boolean)).toHaveLength(
        2,
      );
      expect((await box.run(['audit', '--user', 'ghost@example.com'])).stdout).toBe('');
      expect((await box.run(['audit', '--kind', 'login_failed'])).stdout).toContain('10.0.0.2');
      expect((await box.run(['audit', '--since', '2026-01-02'])).stdout.split('\n').filter(Boolean)).toHaveLength(2);
      expect((await box.run(['audit', '--limit', '1'])).stdout).toContain('(1 of 3; use --limit)');
      const bad = await box.run(['audit', '--kind', 'nope']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--kind must be one of');
    } finally {
      await box.cleanup();
    }
  });
});
