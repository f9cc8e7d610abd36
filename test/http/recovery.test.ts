import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { linkIn, readMails } from '../mail.js';

const NEW_PASSWORD = 'purple otter sunrise 42';
const RESET_URL = 'https://app.example.com/reset/{uid}/{token}/';
const CONFIRM_URL = 'https://app.example.com/verify-email/{key}/';

let dir: string;
let t: TestApp;

async function open(config: Record<string, unknown> = {}, storage: 'memory' | 'sqlite' = 'memory') {
  t = await testApp({
    storage,
    config: { mailUrl: `file://${dir}`, passwordResetUrl: RESET_URL, emailConfirmUrl: CONFIRM_URL, ...config },
  });
  return t;
}

const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });

/** Asks for a reset and answers the {uid, token} of the mail it sends. */
async function resetLink(email = 'kim@example.com', headers: Record<string, string> = {}) {
  const before = readMails(dir).length;
  const response = await post('/account/password/reset/', { email }, headers);
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ detail: 'Password reset e-mail has been sent.' });
  await t.doorman.idle();
  const mails = readMails(dir);
  expect(mails).toHaveLength(before + 1);
  const mail = mails.at(-1)!;
  const match = /^https:\/\/app\.example\.com\/reset\/([^/]+)\/([^/]+)\/$/.exec(linkIn(mail));
  expect(match).not.toBeNull();
  return { uid: decodeURIComponent(match![1]!), token: decodeURIComponent(match![2]!), mail };
}

const confirm = (uid: string, token: string, password = NEW_PASSWORD) =>
  post('/account/password/reset/confirm/', { uid, token, new_password1: password, new_password2: password });
const login = (password: string, email = 'kim@example.com') => post('/account/login/', { email, password });

beforeEach(() => {
  dir = mkdtempSync(joinPath(tmpdir(), 'doorman-mail-'));
});
afterEach(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('password reset (dj-rest-auth)', () => {
  for (const storage of ['memory', 'sqlite'] as const) {
    it(`mails a link that sets a new password once and ends every session (${storage})`, async () => {
      await open({}, storage);
      const session = await join(t.app);
      const { uid, token, mail } = await resetLink();
      expect(mail.to).toBe('kim@example.com');
      expect(mail.subject).toBe('Password reset');
      expect(mail.html).toContain('https://app.example.com/reset/');
      expect(uid).toBe(Buffer.from(String(session.user.pk)).toString('base64url'));

      const done = await confirm(uid, token);
      expect(done.statusCode).toBe(200);
      expect(done.json()).toEqual({ detail: 'Password has been reset with the new password.' });
      expect((await login(PASSWORD)).statusCode).toBe(400);
      expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
      // The session from before the reset is over: its refresh token is refused.
      const refresh = await post('/account/token/refresh/', { refresh: session.refresh });
      expect(refresh.statusCode).toBe(401);
      // Single use.
      const again = await confirm(uid, token, 'another fine password 7');
      expect(again.statusCode).toBe(400);
      expect(again.json()).toEqual({ token: ['Invalid value'] });
    });
  }

  it('answers an unknown, an inactive and a password-less address the same and mails nobody', async () => {
    await open();
    await join(t.app);
    const user = await t.doorman.accounts.createUser({ email: 'social@example.com', password: null });
    expect(user.password).toBeNull();
    const off = await t.doorman.accounts.createUser({ email: 'off@example.com', password: PASSWORD, isActive: false });
    expect(off.isActive).toBe(false);
    for (const email of ['nobody@example.com', 'social@example.com', 'off@example.com']) {
      const response = await post('/account/password/reset/', { email });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ detail: 'Password reset e-mail has been sent.' });
    }
    await t.doorman.idle();
    expect(readMails(dir)).toHaveLength(0);
    expect((await post('/account/password/reset/', { email: 'not an address' })).json()).toEqual({
      email: ['Enter a valid email address.'],
    });
  });

  it('refuses a forged token, a bad uid, an expired token, and a token of another user', async () => {
    await open();
    await join(t.app);
    await join(t.app, 'lee@example.com');
    const kim = await resetLink();
    const lee = await resetLink('lee@example.com');
    expect((await confirm(kim.uid, kim.token.slice(0, -2) + 'AA')).json()).toEqual({ token: ['Invalid value'] });
    expect((await confirm(kim.uid, lee.token)).json()).toEqual({ token: ['Invalid value'] });
    for (const uid of ['', 'OTk5', '!!', 'MA', Buffer.from('-1').toString('base64url')]) {
      const response = await post('/account/password/reset/confirm/', {
        uid: uid || 'x',
        token: kim.token,
        new_password1: NEW_PASSWORD,
        new_password2: NEW_PASSWORD,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ uid: ['Invalid value'] });
    }
    // The validators run as in a password change, before the token is spent.
    expect((await confirm(kim.uid, kim.token, '12345678')).json()).toEqual({
      new_password2: ['This password is too common.', 'This password is entirely numeric.'],
    });
    const mismatch = await post('/account/password/reset/confirm/', {
      uid: kim.uid,
      token: kim.token,
      new_password1: NEW_PASSWORD,
      new_password2: 'x' + NEW_PASSWORD,
    });
    expect(mismatch.json()).toEqual({ new_password2: ['The two password fields didn’t match.'] });
    t.clock.now += 3600 * 1000 + 1;
    expect((await confirm(kim.uid, kim.token)).json()).toEqual({ token: ['Invalid value'] });
    expect((await login(PASSWORD)).statusCode).toBe(200);
  });

  it('a newer reset kills the older token; a password change kills a pending one', async () => {
    await open();
    const session = await join(t.app);
    const first = await resetLink();
    const second = await resetLink();
    expect((await confirm(first.uid, first.token)).json()).toEqual({ token: ['Invalid value'] });
    const change = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      headers: { authorization: `Bearer ${session.access}` },
      payload: { old_password: PASSWORD, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
    });
    expect(change.statusCode).toBe(200);
    expect((await confirm(second.uid, second.token, 'another fine password 7')).json()).toEqual({
      token: ['Invalid value'],
    });
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('of parallel confirms with one token exactly one succeeds', async () => {
    await open({}, 'sqlite');
    await join(t.app);
    const { uid, token } = await resetLink();
    const answers = await Promise.all([1, 2, 3, 4].map(() => confirm(uid, token)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400, 400, 400]);
  });

  it('writes in Korean for Accept-Language: ko, and in English otherwise', async () => {
    await open();
    await join(t.app);
    const ko = await resetLink('kim@example.com', { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' });
    expect(ko.mail.subject).toBe('비밀번호 재설정');
    expect(ko.mail.text).toContain('비밀번호 재설정을 요청하셨습니다');
    expect(ko.mail.html).toContain('비밀번호 재설정');
    const en = await resetLink('kim@example.com', { 'accept-language': 'fr, en;q=0.5, ko;q=0.4' });
    expect(en.mail.subject).toBe('Password reset');
  });

  it('escapes user data in the HTML part', async () => {
    await open();
    await join(t.app, "o'neil&co@example.com");
    const { mail } = await resetLink("o'neil&co@example.com");
    expect(mail.html).not.toContain("o'neil&co");
    expect(mail.html).toContain('o&#39;neil&amp;co@example.com');
    expect(mail.text).toContain("o'neil&co@example.com");
  });
});

describe('e-mail verification (allauth ACCOUNT_EMAIL_VERIFICATION)', () => {
  const joinBody = (email: string, password = PASSWORD) => ({ email, password1: password, password2: password });

  async function verifyKey(index = -1) {
    await t.doorman.idle();
    const mail = readMails(dir).at(index)!;
    const match = /^https:\/\/app\.example\.com\/verify-email\/([^/]+)\/$/.exec(linkIn(mail));
    expect(match).not.toBeNull();
    return { key: decodeURIComponent(match![1]!), mail };
  }

  it('mandatory: join answers without tokens, login waits for the link, a key works once', async () => {
    await open({ emailVerification: 'mandatory' });
    const joined = await post('/account/join/', joinBody('kim@example.com'));
    expect(joined.statusCode).toBe(201);
    expect(joined.json()).toEqual({ detail: 'Verification e-mail sent.' });
    const refused = await login(PASSWORD);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ non_field_errors: ['E-mail is not verified.'] });
    const obtain = await post('/api/token/', { email: 'kim@example.com', password: PASSWORD });
    expect(obtain.statusCode).toBe(401);
    expect(obtain.json()).toEqual({ detail: 'E-mail is not verified.', code: 'email_not_verified' });
    // A wrong password still gets the usual answer: only the password's holder learns "not verified".
    expect((await login('wrong password 1')).json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.'],
    });

    const { key, mail } = await verifyKey();
    expect(mail.subject).toBe('Confirm your e-mail address');
    const verified = await post('/account/join/verify-email/', { key });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual({ detail: 'ok' });
    expect((await post('/account/join/verify-email/', { key })).statusCode).toBe(404);
    expect((await post('/account/join/verify-email/', { key })).json()).toMatchObject({ detail: 'Not found.' });
    expect((await login(PASSWORD)).statusCode).toBe(200);
    expect((await post('/api/token/', { email: 'kim@example.com', password: PASSWORD })).statusCode).toBe(200);
  });

  it('mandatory: a taken address gets the same 201 and its owner a mail; other errors come without the e-mail one', async () => {
    await open({ emailVerification: 'mandatory' });
    await post('/account/join/', joinBody('kim@example.com'));
    await t.doorman.idle();
    const again = await post('/account/join/', joinBody('KIM@example.com', 'some other password 9'), {
      'accept-language': 'ko',
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual({ detail: 'Verification e-mail sent.' });
    await t.doorman.idle();
    const owner = readMails(dir).at(-1)!;
    expect(owner.to).toBe('kim@example.com');
    expect(owner.subject).toBe('가입 시도 알림');
    expect(owner.text).not.toMatch(/https?:\/\//);
    const weak = await post('/account/join/', joinBody('kim@example.com', '12345678'));
    expect(weak.statusCode).toBe(400);
    expect(Object.keys(weak.json())).toEqual(['password1']);
    // The owner's password did not change.
    await post('/account/join/verify-email/', { key: (await verifyKey(0)).key });
    expect((await login(PASSWORD)).statusCode).toBe(200);
  });

  it("refuses forged, malformed, expired and other users' keys with 404", async () => {
    await open({ emailVerification: 'mandatory' });
    await post('/account/join/', joinBody('kim@example.com'));
    const { key } = await verifyKey();
    const [uid, secret] = key.split('.') as [string, string];
    for (const bad of [
      'x',
      `${uid}.`,
      `.${secret}`,
      `${uid}.${secret.slice(0, -2)}AA`,
      `${Buffer.from('2').toString('base64url')}.${secret}`,
      `${uid}${secret}`,
    ]) {
      const response = await post('/account/join/verify-email/', { key: bad });
      expect(response.statusCode, bad).toBe(404);
    }
    t.clock.now += 3 * 86400 * 1000 + 1;
    expect((await post('/account/join/verify-email/', { key })).statusCode).toBe(404);
  });

  it('resend mails a fresh link to an unverified user only, and answers every address alike', async () => {
    await open({ emailVerification: 'mandatory' });
    await post('/account/join/', joinBody('kim@example.com'));
    const first = await verifyKey();
    for (const email of ['kim@example.com', 'nobody@example.com']) {
      const response = await post('/account/join/resend-email/', { email });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ detail: 'ok' });
    }
    const second = await verifyKey();
    expect(readMails(dir)).toHaveLength(2);
    expect(second.key).not.toBe(first.key);
    expect((await post('/account/join/verify-email/', { key: first.key })).statusCode).toBe(404);
    expect((await post('/account/join/verify-email/', { key: second.key })).statusCode).toBe(200);
    await post('/account/join/resend-email/', { email: 'kim@example.com' });
    await t.doorman.idle();
    expect(readMails(dir)).toHaveLength(2);
  });

  it('optional: join logs in as before and mails a link; none mails nothing', async () => {
    await open({ emailVerification: 'optional' });
    const session = await join(t.app);
    expect(session.access).toBeTruthy();
    const { key } = await verifyKey();
    expect((await post('/account/join/verify-email/', { key })).statusCode).toBe(200);
    expect((await t.doorman.accounts.get(session.user.pk)).emailVerified).toBe(true);
    await t.close();
    rmSync(dir, { recursive: true, force: true });
    await open();
    await join(t.app);
    await t.doorman.idle();
    expect(readMails(dir)).toHaveLength(0);
  });
});

describe('throttling of the reset and verification endpoints', () => {
  it('answers 429 with Retry-After per address past the limit, alike for known and unknown e-mails, and audits it', async () => {
    await open({ throttlePasswordReset: '3/1h', throttleEmailVerification: '2/1h' });
    await join(t.app);
    const statuses = [];
    for (const email of ['kim@example.com', 'nobody@example.com', 'kim@example.com', 'nobody@example.com']) {
      statuses.push((await post('/account/password/reset/', { email })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post('/account/password/reset/', { email: 'kim@example.com' });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ code: 'throttled' });
    expect(refused.json().detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds?\.$/);
    // The confirm, verify and resend counters are their own.
    const confirms = [];
    for (let i = 0; i < 4; i++) confirms.push((await confirm('MQ', 'forged')).statusCode);
    expect(confirms).toEqual([400, 400, 400, 429]);
    const verifies = [];
    for (let i = 0; i < 3; i++)
      verifies.push((await post('/account/join/verify-email/', { key: 'MQ.forged' })).statusCode);
    expect(verifies).toEqual([404, 404, 429]);
    const resends = [];
    for (let i = 0; i < 3; i++)
      resends.push((await post('/account/join/resend-email/', { email: 'kim@example.com' })).statusCode);
    expect(resends).toEqual([200, 200, 429]);
    await t.doorman.idle();
    const audit = await t.doorman.audit.list({ kind: 'throttled', limit: 10, offset: 0 });
    // Once per limit and window (the refusal that reached it), not once per refused request.
    expect(audit.results.map((e) => e.detail).sort()).toEqual([
      'password_reset 3/3600s POST /account/password/reset/',
      'password_reset_confirm 3/3600s POST /account/password/reset/confirm/',
      'resend_email 2/3600s POST /account/join/resend-email/',
      'verify_email 2/3600s POST /account/join/verify-email/',
    ]);
  });
});
