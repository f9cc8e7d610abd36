import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, testApp, type TestApp } from '../helpers.js';
import { linkIn, readMails } from '../mail.js';
import { CHROMIUM, greeting, launchChromium, person as personIn, shot, type Browser, type Page } from './chromium.js';

if (!CHROMIUM)
  console.warn('test/pages/browser-reset.test.ts: skipped, DOORMAN_TEST_CHROMIUM is not set (e.g. /usr/bin/chromium)');

const NEW_PASSWORD = 'Quiet-Harbor-58!';

/** A free loopback port: the reset link's address must be known before the app is built. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * Password reset as a person does it in Chromium: ask on the reset page, open the mailed link
 * (read back from the file transport), set a new password (a mismatch first), log in with it.
 * The session open in another browser before the reset ends; the old password and a second
 * use of the same link are refused, each with a message on the page.
 */
describe.skipIf(!CHROMIUM)('password reset pages in Chromium', () => {
  let t: TestApp;
  let base: string;
  let mailDir: string;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    mailDir = mkdtempSync(join(tmpdir(), 'doorman-reset-mail-'));
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await testApp({
      config: {
        mailUrl: `file://${mailDir}`,
        // The reset link opens doorman's own confirm page.
        passwordResetUrl: `${base}/account/password/reset/confirm/{uid}/{token}/`,
      },
    });
    Object.defineProperty(t.clock, 'now', { get: () => Date.now() });
    await t.app.listen({ host: '127.0.0.1', port });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (mailDir) rmSync(mailDir, { recursive: true, force: true });
  });

  const person = () => personIn(browser, problems);

  async function logIn(page: Page, password: string) {
    await page.goto(`${base}/account/login/`);
    await page.getByLabel('이메일').fill('kim@example.com');
    await page.getByLabel('비밀번호').fill(password);
    await page.getByRole('button', { name: '로그인' }).click();
  }

  it('mails a link whose page sets a new password once and ends the sessions the old one opened', async () => {
    await t.doorman.accounts.createUser({ email: 'kim@example.com', password: PASSWORD });

    // Kim is logged in on a laptop.
    const laptop = await person();
    await logIn(laptop, PASSWORD);
    await laptop.waitForURL(`${base}/account/mypage/`);
    await expect.poll(() => greeting(laptop).textContent()).toBe('반갑습니다, kim@example.com님!');

    // On a phone, kim asks for a reset: the page says the same as for any address.
    const phone = await person();
    await phone.goto(`${base}/account/password/reset/`);
    await phone.getByLabel('이메일').fill('kim@example.com');
    await phone.getByRole('button', { name: '재설정 메일 보내기' }).click();
    await expect
      .poll(() => phone.locator('#password-reset-notice').textContent())
      .toBe('계정이 있다면 재설정 메일을 보냈습니다.');
    // The mail is sent after the answer.
    await expect.poll(() => readMails(mailDir).length, { timeout: 10_000 }).toBe(1);
    const mail = readMails(mailDir)[0]!;
    expect(mail.to).toBe('kim@example.com');
    const link = linkIn(mail);
    expect(link.startsWith(`${base}/account/password/reset/confirm/`)).toBe(true);

    // The link opens the confirm page; a mismatch first, shown by the field.
    await phone.goto(link);
    await phone.getByLabel('새 비밀번호', { exact: true }).fill(NEW_PASSWORD);
    await phone.getByLabel('새 비밀번호 확인').fill(`${NEW_PASSWORD}x`);
    await phone.getByRole('button', { name: '비밀번호 저장' }).click();
    await expect
      .poll(() => phone.locator('#password-reset-confirm-new_password2-error').textContent())
      .toBe('두 비밀번호가 서로 다릅니다.');
    await shot(phone, '16-password-reset-mismatch');

    await phone.getByLabel('새 비밀번호', { exact: true }).fill(NEW_PASSWORD);
    await phone.getByLabel('새 비밀번호 확인').fill(NEW_PASSWORD);
    await phone.getByRole('button', { name: '비밀번호 저장' }).click();
    await expect
      .poll(() => phone.locator('#password-reset-confirm-notice').textContent())
      .toBe('비밀번호가 저장되었습니다. 새 비밀번호로 로그인하세요.');
    await shot(phone, '17-password-reset-done');

    // The same link a second time: refused, with a message on the page.
    await phone.goto(link);
    await phone.getByLabel('새 비밀번호', { exact: true }).fill('Another-Pass-91!');
    await phone.getByLabel('새 비밀번호 확인').fill('Another-Pass-91!');
    await phone.getByRole('button', { name: '비밀번호 저장' }).click();
    await expect
      .poll(() => phone.locator('#password-reset-confirm-form-error').textContent())
      .toBe(
        '재설정 링크가 올바르지 않거나 이미 사용되었습니다. 메일의 링크를 다시 열거나 재설정을 다시 요청해 주세요.',
      );
    expect(await phone.locator('#password-reset-confirm-notice').textContent()).toBe('');
    await shot(phone, '18-password-reset-link-used');

    // The old password no longer logs in; the new one does.
    await logIn(phone, PASSWORD);
    await expect
      .poll(() => phone.locator('#login-form-error').textContent())
      .toBe('이메일 또는 비밀번호가 올바르지 않습니다.');
    await logIn(phone, NEW_PASSWORD);
    await phone.waitForURL(`${base}/account/mypage/`);
    await expect.poll(() => greeting(phone).textContent()).toBe('반갑습니다, kim@example.com님!');

    // The laptop's session, opened with the old password, has ended.
    await laptop.getByRole('button', { name: '다시 확인' }).click();
    await laptop.locator('#session-ended').waitFor({ state: 'visible' });

    expect(problems).toEqual([]);
  }, 120_000);
});
