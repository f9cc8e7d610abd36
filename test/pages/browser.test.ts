import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, testApp, type TestApp } from '../helpers.js';
import { CHROMIUM, greeting, launchChromium, person as personIn, shot, type Browser, type Page } from './chromium.js';

if (!CHROMIUM)
  console.warn('test/pages/browser.test.ts: skipped, DOORMAN_TEST_CHROMIUM is not set (e.g. /usr/bin/chromium)');

/**
 * The pages in Debian's Chromium, as a person uses them: join (a too-short password first),
 * the greeting, a silent refresh after the 3-second access lifetime, logout, a wrong and a
 * right password, and a staff member deactivating them in the admin UI while their mypage is
 * open. No script error and no CSP violation on any page.
 */
describe.skipIf(!CHROMIUM)('pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    t = await testApp({ config: { accessTokenLifetime: 3 } });
    // Real time here: the access token must really expire in the browser.
    Object.defineProperty(t.clock, 'now', { get: () => Date.now() });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    // localhost: a secure context, so the pages' Secure cookies work over plain http.
    base = `http://localhost:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const person = () => personIn(browser, problems);

  it('join, greeting, silent refresh, logout, login, deactivation by staff', async () => {
    const kim = await person();
    const refreshes: number[] = [];
    kim.on('response', (response) => {
      if (response.url().endsWith('/account/token/refresh/')) refreshes.push(response.status());
    });

    // Join: a too-short password first, its error next to the field.
    await kim.goto(`${base}/account/join/`);
    await shot(kim, '01-join');
    await kim.getByLabel('이메일').fill('kim@example.com');
    await kim.getByLabel('비밀번호', { exact: true }).fill('short7');
    await kim.getByLabel('비밀번호 확인').fill('short7');
    await kim.getByRole('button', { name: '가입하기' }).click();
    const error = kim.locator('#join-password1-error');
    await expect.poll(() => error.textContent()).toBe('비밀번호가 너무 짧습니다. 8자 이상이어야 합니다.');
    expect(await kim.locator('#join-password1').getAttribute('aria-invalid')).toBe('true');
    expect(await kim.locator('#join-password1').getAttribute('aria-describedby')).toBe('join-password1-error');
    expect(await kim.getByRole('button', { name: '가입하기' }).isEnabled()).toBe(true);
    await shot(kim, '02-join-error');

    await kim.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await kim.getByLabel('비밀번호 확인').fill(PASSWORD);
    await kim.getByRole('button', { name: '가입하기' }).click();
    await kim.waitForURL(`${base}/account/mypage/`);
    await expect.poll(() => greeting(kim).textContent()).toBe('반갑습니다, kim@example.com님!');
    await shot(kim, '03-mypage');

    // Past the 3-second access lifetime: the next request refreshes silently.
    await kim.waitForTimeout(4_000);
    await kim.reload();
    await expect.poll(() => greeting(kim).textContent()).toBe('반갑습니다, kim@example.com님!');
    expect(refreshes).toEqual([200]);

    // Logout, then refused.
    await kim.getByRole('button', { name: '로그아웃' }).click();
    await kim.waitForURL(`${base}/account/login/`);
    await kim.goto(`${base}/account/mypage/`);
    await kim.locator('#session-ended').waitFor({ state: 'visible' });
    expect(await kim.locator('#signed-in').isHidden()).toBe(true);
    expect(await kim.locator('#session-ended a').getAttribute('href')).toBe(
      '/account/login/?next=%2Faccount%2Fmypage%2F',
    );
    await shot(kim, '04-mypage-ended');

    // A wrong password, then the right one (and ?next= never leads off this site).
    await kim.goto(`${base}/account/login/?next=//evil.example/`);
    await kim.getByLabel('이메일').fill('kim@example.com');
    await kim.getByLabel('비밀번호').fill('wrong password 1');
    await kim.getByRole('button', { name: '로그인' }).click();
    await expect
      .poll(() => kim.locator('#login-form-error').textContent())
      .toBe('이메일 또는 비밀번호가 올바르지 않습니다.');
    await shot(kim, '05-login-wrong');
    // From the keyboard (Enter in the field submits); the button is disabled while the request runs.
    await kim.route('**/account/login/', async (route) => {
      await new Promise((done) => setTimeout(done, 700));
      await route.continue();
    });
    await kim.getByLabel('비밀번호').fill(PASSWORD);
    await kim.getByLabel('비밀번호').press('Enter');
    await expect.poll(() => kim.getByRole('button', { name: '로그인' }).isDisabled()).toBe(true);
    await kim.waitForURL(`${base}/account/mypage/`);
    await kim.unroute('**/account/login/');
    await expect.poll(() => greeting(kim).textContent()).toBe('반갑습니다, kim@example.com님!');

    // The other pages render under the CSP (English, by the switch).
    for (const [path, name] of [
      ['/account/password/change/?lang=en', '06-password-change'],
      ['/account/password/reset/', '07-password-reset'],
      ['/account/password/reset/confirm/MQ/set-by-mail/', '08-password-reset-confirm'],
      ['/account/logout/', '09-logout'],
      ['/account/login/?lang=ko', '10-login'],
    ] as const) {
      await kim.goto(`${base}${path}`);
      await kim.locator('h1').waitFor();
      await shot(kim, name);
    }
    await kim.goto(`${base}/account/mypage/`);
    await expect.poll(() => greeting(kim).textContent()).toBe('반갑습니다, kim@example.com님!');

    // Kim's sessions page lists the one live session (the join session ended at logout).
    await kim.goto(`${base}/account/sessions/`);
    await expect.poll(() => kim.locator('#sessions-list tr', { hasText: '(이 기기)' }).count()).toBe(1);
    expect(await kim.locator('#sessions-list tr').count()).toBe(1);
    await kim.goto(`${base}/account/mypage/`);
    await expect.poll(() => greeting(kim).textContent()).toBe('반갑습니다, kim@example.com님!');

    // A staff member (a superuser) deactivates kim in the admin UI.
    await t.doorman.accounts.createUser({
      email: 'boss@example.com',
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    });
    const boss = await person();
    // Not signed in: the admin page says so and links to the login, which leads back.
    await boss.goto(`${base}/admin/?lang=en`);
    await boss.locator('#session-ended').waitFor({ state: 'visible' });
    await boss.getByRole('link', { name: 'Log in' }).last().click();
    await boss.getByLabel('E-mail').fill('boss@example.com');
    await boss.getByLabel('Password').fill(PASSWORD);
    await boss.getByRole('button', { name: 'Log in' }).click();
    await boss.waitForURL(`${base}/admin/`);
    await boss.getByRole('link', { name: 'kim@example.com' }).waitFor();
    await shot(boss, '11-admin-users');
    // Paging: 25 a page.
    for (let i = 0; i < 25; i++)
      await t.doorman.accounts.createUser({ email: `member${String(i).padStart(2, '0')}@example.com`, password: null });
    await boss.reload();
    await expect.poll(() => boss.locator('#users-list tr').count()).toBe(25);
    await expect.poll(() => boss.getByRole('button', { name: 'Next' }).isEnabled()).toBe(true);
    expect(await boss.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    await boss.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => boss.locator('#users-list tr').count()).toBe(2);
    expect(await boss.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    expect(await boss.getByRole('button', { name: 'Previous' }).isEnabled()).toBe(true);
    await boss.getByLabel('Search by e-mail').fill('kim');
    await boss.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => boss.locator('#users-list tr').count()).toBe(1);
    await boss.getByRole('link', { name: 'kim@example.com' }).click();
    await expect.poll(() => boss.locator('#user-email').textContent()).toBe('kim@example.com');
    // The user page lists kim's session; ending it leaves none.
    await expect.poll(() => boss.locator('#user-sessions button').count()).toBe(1);
    await boss.locator('#user-sessions').getByRole('button', { name: 'End' }).click();
    await expect.poll(() => boss.locator('#user-sessions tr').count()).toBe(0);
    await boss.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => boss.locator('#user-active').textContent()).toBe('No');
    await shot(boss, '12-admin-user');
    await boss.goto(`${base}/admin/groups/`);
    await boss.getByLabel('Group name').fill('editors');
    await boss.getByRole('button', { name: 'Create a group' }).click();
    await boss.getByRole('link', { name: 'editors' }).waitFor();
    await shot(boss, '13-admin-groups');
    await boss.goto(`${base}/admin/users/new/`);
    await shot(boss, '14-admin-user-new');

    // The audit log: kim's wrong password is there, found by user and kind.
    await boss.goto(`${base}/admin/audit/`);
    await expect.poll(() => boss.locator('#audit-list tr', { hasText: 'login_failed' }).count()).toBeGreaterThan(0);
    await boss.getByLabel('User (e-mail or id)').fill('kim@example.com');
    await boss.getByLabel('Kind').selectOption('login_failed');
    await boss.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => boss.locator('#audit-list tr').count()).toBe(1);
    const failed = boss.locator('#audit-list tr').first();
    expect(await failed.locator('td').nth(1).textContent()).toBe('login_failed');
    expect(await failed.locator('td').nth(2).textContent()).toBe('kim@example.com');
    expect(await failed.locator('td').nth(3).textContent()).toBe('127.0.0.1');
    await boss.getByLabel('Kind').selectOption('lockout');
    await boss.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => boss.locator('#audit-list').textContent()).toBe('No events.');
    await shot(boss, '15-admin-audit');

    // Kim's open mypage is refused on its next request.
    await kim.getByRole('button', { name: '다시 확인' }).click();
    await kim.locator('#session-ended').waitFor({ state: 'visible' });
    await shot(kim, '16-mypage-deactivated');

    expect(problems).toEqual([]);
  }, 120_000);
});
