import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';

/** Issue 14: a throttle reaching its limit is audited once per window, never once per refused request. */
const WRONG = 'not the password at all';
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(config: ConfigInput = {}) {
  t = await testApp({ config: { throttle: true, ...config } });
  return t;
}

function login(from: string, email: string, password: string, url = '/account/login/') {
  return t!.app.inject({
    method: 'POST',
    url,
    remoteAddress: from,
    headers: { 'user-agent': 'hammer/1' },
    payload: { email, password },
  });
}

async function events(kind?: string) {
  await t!.doorman.audit.flush();
  const { results } = await t!.doorman.audit.list({ ...(kind ? { kind } : {}), limit: 1000, offset: 0 });
  return results;
}

describe('lockout and throttled audit events', () => {
  it('per (account, address): one lockout with the address, the account and the limit, however long the hammering', async () => {
    await start();
    await join(t!.app, 'kim@example.com');
    const statuses = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await login('203.0.113.9', 'kim@example.com', `${WRONG}${i}`)).statusCode);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    const lockouts = await events('lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({
      kind: 'lockout',
      email: 'kim@example.com',
      ip: '203.0.113.9',
      userAgent: 'hammer/1',
      detail: 'login-pair 5/900s POST /account/login/',
    });
    // Refused attempts count against the address too: its limit (30) was reached at the 31st.
    expect((await events('throttled')).map((e) => e.detail)).toEqual(['login-address 30/900s POST /account/login/']);
    // The owner at another address is neither refused nor reported.
    expect((await login('198.51.100.7', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
    expect(await events('lockout')).toHaveLength(1);
  });

  it('attackers hammering one account, or many, add a bounded number of rows', async () => {
    await start();
    await join(t!.app, 'kim@example.com');
    const before = (await events()).length;
    const kinds = async () => {
      const all = await events();
      const added = all.slice(0, all.length - before);
      const count: Record<string, number> = {};
      for (const e of added) count[e.kind] = (count[e.kind] ?? 0) + 1;
      return count;
    };
    // One address at one account, then at 40 others: 500 requests.
    for (let i = 0; i < 200; i++) await login('203.0.113.9', 'kim@example.com', `${WRONG}${i}`);
    for (let i = 0; i < 300; i++) await login('203.0.113.9', `user${i % 40}@example.com`, WRONG, '/api/token/');
    expect(await kinds()).toEqual({ login_failed: 5, lockout: 1, throttled: 1 });
    // Another address stuffing credentials straight away: its 30 failures, then one row.
    for (let i = 0; i < 300; i++) await login('203.0.113.10', `user${i % 40}@example.com`, WRONG, '/api/token/');
    expect(await kinds()).toEqual({ login_failed: 5, lockout: 1, throttled: 2, token_obtain_failed: 30 });
    const stuffing = (await events('throttled')).find((e) => e.ip === '203.0.113.10');
    expect(stuffing).toMatchObject({ email: null, detail: 'login-address 30/900s POST /api/token/' });
  });

  it('per account across addresses: one lockout for the account, even when a known address passes at the limit', async () => {
    await start({ throttleLoginPair: '2/15m', throttleLoginAccount: '10/15m' });
    await join(t!.app, 'kim@example.com');
    expect((await login('192.0.2.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200); // the owner's address
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 2; j++) expect((await login(`10.1.0.${i}`, 'kim@example.com', WRONG)).statusCode).toBe(400);
    }
    // The account is at its limit: the owner's known address passes (and is not the lockout) ...
    expect((await login('192.0.2.1', 'kim@example.com', WRONG)).statusCode).toBe(400);
    expect(await events('lockout')).toHaveLength(0);
    // ... the next unknown address is refused and reports it; the ones after it do not.
    for (let i = 10; i < 30; i++) expect((await login(`10.1.0.${i}`, 'kim@example.com', WRONG)).statusCode).toBe(429);
    const lockouts = await events('lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({
      email: 'kim@example.com',
      ip: '10.1.0.10',
      detail: 'login-account 10/900s POST /account/login/',
    });
    expect((await login('192.0.2.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('once per window: a new window that is exhausted again is a new lockout', async () => {
    await start({ throttleLoginPair: '2/1s', throttleLoginAccount: '100/1s' });
    await join(t!.app, 'kim@example.com');
    for (let i = 0; i < 10; i++) await login('10.0.0.66', 'kim@example.com', WRONG);
    expect(await events('lockout')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let i = 0; i < 10; i++) await login('10.0.0.66', 'kim@example.com', WRONG);
    expect(await events('lockout')).toHaveLength(2);
  });

  it('per-address guards (join) report the limit once per window', async () => {
    await start({ throttleJoin: '2/1h' });
    for (let i = 0; i < 12; i++)
      await t!.app.inject({
        method: 'POST',
        url: '/account/join/',
        remoteAddress: '10.0.0.66',
        payload: { email: `u${i}@example.com`, password1: PASSWORD, password2: PASSWORD },
      });
    const throttled = await events('throttled');
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ ip: '10.0.0.66', detail: 'join 2/3600s POST /account/join/' });
  });

  it('staff see lockouts at GET /admin/audit/?kind=lockout, and by the account tried', async () => {
    await start();
    const root = await join(t!.app, 'root@example.com');
    await t!.storage.users.update(root.user.pk, { isStaff: true, isSuperuser: true });
    await t!.doorman.revocation.userChanged({ id: root.user.pk, email: 'root@example.com' });
    await join(t!.app, 'kim@example.com');
    for (let i = 0; i < 20; i++) await login('203.0.113.9', 'kim@example.com', WRONG);
    await t!.doorman.audit.flush();
    for (const query of ['kind=lockout', 'kind=lockout&user=kim@example.com']) {
      const page = await t!.app.inject({ url: `/admin/audit/?${query}`, headers: bearer(root.access) });
      expect(page.statusCode).toBe(200);
      expect(page.json().count).toBe(1);
      expect(page.json().results[0]).toMatchObject({
        kind: 'lockout',
        email: 'kim@example.com',
        ip: '203.0.113.9',
        detail: 'login-pair 5/900s POST /account/login/',
      });
    }
  });

  it('DOORMAN_THROTTLE=false: nothing is refused, nothing is reported', async () => {
    await start({ throttle: false });
    await join(t!.app, 'kim@example.com');
    for (let i = 0; i < 20; i++) await login('203.0.113.9', 'kim@example.com', WRONG);
    expect(await events('lockout')).toHaveLength(0);
    expect(await events('throttled')).toHaveLength(0);
  });
});
