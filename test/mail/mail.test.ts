import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, REDACT } from '../../src/app.js';
import { createDoorman } from '../../src/core.js';
import { pickLanguage } from '../../src/mail/language.js';
import { createOutbox } from '../../src/mail/outbox.js';
import { createMailTransport, fileTransportDir } from '../../src/mail/transport.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { PASSWORD, testConfig } from '../helpers.js';
import { linkIn, parseMail, readMails } from '../mail.js';

const NEW_PASSWORD = 'purple otter sunrise 42';

interface Smtp {
  url: string;
  received: string[];
  /** Reject this many DATA commands before accepting. */
  failures: number;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1:0 (smtp-server) that wants AUTH PLAIN user/pass. */
async function smtpServer(failures = 0): Promise<Smtp> {
  const state = { received: [] as string[], failures };
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 's3cret') return callback(null, { user: 'mailer' });
      return callback(new Error('bad credentials'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.failures > 0) {
          state.failures--;
          const error = new Error('try later') as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        state.received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://mailer:s3cret@127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get failures() {
      return state.failures;
    },
    set failures(n) {
      state.failures = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('mail', () => {
  it('resets a password through a real SMTP server (AUTH, Korean)', async () => {
    const smtp = await smtpServer();
    cleanups.push(() => smtp.close());
    const storage = memoryStorage();
    const doorman = createDoorman({
      config: testConfig({
        mailUrl: smtp.url,
        passwordResetUrl: 'https://app.example.com/r/{uid}/{token}',
        mailFrom: 'Doorman <auth@example.com>',
      }),
      storage,
    });
    const app = await buildApp({ doorman, logger: false });
    cleanups.push(async () => {
      await app.close();
      await doorman.close();
    });
    await doorman.accounts.createUser({ email: 'kim@example.com', password: PASSWORD });
    const asked = await app.inject({
      method: 'POST',
      url: '/account/password/reset/',
      payload: { email: 'kim@example.com' },
      headers: { 'accept-language': 'ko' },
    });
    expect(asked.json()).toEqual({ detail: 'Password reset e-mail has been sent.' });
    await doorman.idle();
    expect(smtp.received).toHaveLength(1);
    const mail = parseMail(smtp.received[0]!);
    expect(mail.to).toBe('kim@example.com');
    expect(mail.raw).toMatch(/^From: Doorman <auth@example\.com>/m);
    expect(mail.subject).toBe('비밀번호 재설정');
    const [, uid, token] = /\/r\/([^/]+)\/(\S+)$/.exec(linkIn(mail))!;
    const done = await app.inject({
      method: 'POST',
      url: '/account/password/reset/confirm/',
      payload: { uid, token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
    });
    expect(done.statusCode).toBe(200);
  });

  it('retries a failed send with backoff and logs the failure without the message', async () => {
    const smtp = await smtpServer(2);
    cleanups.push(() => smtp.close());
    const errors: string[] = [];
    const outbox = createOutbox(() => createMailTransport(smtp.url), {
      from: 'a@example.com',
      retries: 3,
      backoffMs: 10,
      onError: (e) => errors.push(e.message),
    });
    cleanups.push(() => outbox.close());
    outbox.send({ to: 'kim@example.com', subject: 'S', text: 'secret-link https://x/SECRET', html: '<p>SECRET</p>' });
    await outbox.idle();
    expect(smtp.received).toHaveLength(1);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^mail: send failed \(attempt 1 of 4, will retry\): .*451/);
    expect(errors.join('\n')).not.toContain('SECRET');
    expect(errors.join('\n')).not.toContain('kim@example.com');
  });

  it('gives up after the bounded number of retries', async () => {
    const smtp = await smtpServer(10);
    cleanups.push(() => smtp.close());
    const errors: string[] = [];
    const outbox = createOutbox(() => createMailTransport(smtp.url), {
      from: 'a@example.com',
      retries: 1,
      backoffMs: 5,
      onError: (e) => errors.push(e.message),
    });
    cleanups.push(() => outbox.close());
    outbox.send({ to: 'kim@example.com', subject: 'S', text: 't', html: 'h' });
    await outbox.idle();
    expect(smtp.received).toHaveLength(0);
    expect(errors.map((e) => /attempt \d of \d, (\w+ ?\w*)/.exec(e)![1])).toEqual(['will retry', 'dropped']);
  });

  it('reads the file URL forms and picks the language by q-value', () => {
    expect(fileTransportDir('file:///var/mail/doorman')).toBe('/var/mail/doorman');
    expect(fileTransportDir('file://./.doorman/mail')).toBe(joinPath(process.cwd(), '.doorman/mail'));
    expect(pickLanguage(undefined)).toBe('en');
    expect(pickLanguage('ko')).toBe('ko');
    expect(pickLanguage('en;q=0.9, ko-KR')).toBe('ko');
    expect(pickLanguage('ko;q=0, en')).toBe('en');
    expect(pickLanguage('de, fr')).toBe('en');
  });

  it('never lets a password, token, key or hash reach the log or the audit (reset and verification flows)', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'doorman-mail-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let log = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const logger = pino({ level: 'trace', redact: REDACT }, sink);
    const storage = memoryStorage();
    const doorman = createDoorman({
      config: testConfig({
        mailUrl: `file://${dir}`,
        emailVerification: 'mandatory',
        logLevel: 'trace',
        accessLog: true,
      }),
      storage,
      onError: (error) => logger.error({ err: error }, 'background'),
    });
    const app = await buildApp({ doorman, loggerInstance: logger });
    cleanups.push(async () => {
      await app.close();
      await doorman.close();
    });
    const post = (url: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url, payload, headers: { 'user-agent': 'redaction-test' } });

    expect(
      (await post('/account/join/', { email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD })).statusCode,
    ).toBe(201);
    await doorman.idle();
    const key = decodeURIComponent(/verify-email\/([^/]+)\//.exec(linkIn(readMails(dir)[0]!))![1]!);
    expect((await post('/account/join/verify-email/', { key: key + 'x' })).statusCode).toBe(404);
    expect((await post('/account/join/verify-email/', { key })).statusCode).toBe(200);
    expect((await post('/account/login/', { email: 'kim@example.com', password: 'wrong password 1' })).statusCode).toBe(
      400,
    );
    const session = (await post('/account/login/', { email: 'kim@example.com', password: PASSWORD })).json() as {
      refresh: string;
      access: string;
    };
    expect((await post('/account/password/reset/', { email: 'kim@example.com' })).statusCode).toBe(200);
    await doorman.idle();
    const [, uid, token] = /reset\/([^/]+)\/([^/]+)\//.exec(linkIn(readMails(dir)[1]!))!;
    const decoded = decodeURIComponent(token!);
    expect(
      (
        await post('/account/password/reset/confirm/', {
          uid,
          token: decoded + 'x',
          new_password1: NEW_PASSWORD,
          new_password2: NEW_PASSWORD,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await post('/account/password/reset/confirm/', {
          uid,
          token: decoded,
          new_password1: NEW_PASSWORD,
          new_password2: NEW_PASSWORD,
        })
      ).statusCode,
    ).toBe(200);
    expect((await post('/account/token/refresh/', { refresh: session.refresh })).statusCode).toBe(401);
    await doorman.idle();

    const audit = await doorman.audit.list({ limit: 100, offset: 0 });
    const kinds = audit.results.map((e) => e.kind).reverse();
    expect(kinds).toEqual([
      'join',
      'email_verification_failed',
      'email_verified',
      'login_failed',
      'login',
      'password_reset_request',
      'password_reset_failed',
      'password_reset',
      'refresh_reuse',
    ]);
    expect(audit.results.every((e) => e.userAgent === 'redaction-test' && e.ip === '127.0.0.1')).toBe(true);
    const user = (await storage.users.findByEmail('kim@example.com'))!;
    expect(audit.results.find((e) => e.kind === 'password_reset')!.userId).toBe(user.id);
    expect(log).toContain('/account/password/reset/confirm/');
    const stored = await storage.oneTimeTokens.find('email_verification', user.id);
    const everything = log + JSON.stringify(audit.results);
    for (const secret of [
      PASSWORD,
      NEW_PASSWORD,
      'wrong password 1',
      key,
      key.split('.')[1]!,
      decoded,
      token!,
      session.refresh,
      session.access,
      user.password!,
      stored?.tokenHash ?? 'no-hash-left',
    ]) {
      expect(everything, `leaked ${secret.slice(0, 12)}…`).not.toContain(secret);
    }
  });
});
