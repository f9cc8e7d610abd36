import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loggedPath } from '../../src/http/access-log.js';
import { buildApp, redactPaths } from '../../src/app.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createDoorman } from '../../src/core.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { PASSWORD, testConfig } from '../helpers.js';

/** The app as server.ts builds it (default logger, redaction, access-log setting), writing into `lines`. */
async function loggedApp(config: ConfigInput) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const storage = memoryStorage();
  const doorman = createDoorman({ config: testConfig({ logLevel: 'info', ...config }), storage });
  const app = await buildApp({ doorman, logDestination: destination });
  return {
    app,
    lines,
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    close: () => app.close(),
  };
}

describe('logging', () => {
  const open: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
  });

  it('writes no request line by default (DOORMAN_ACCESS_LOG is off)', async () => {
    expect(testConfig().accessLog).toBe(false);
    const { app, lines, close } = await loggedApp({});
    open.push(close);
    expect((await app.inject({ url: '/account/mypage/' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/nowhere/?token=x' })).statusCode).toBe(404);
    expect(lines).toEqual([]);
  });

  it('with DOORMAN_ACCESS_LOG=true: one line per request, and no credential of any request in the log', async () => {
    const { app, parsed, lines, close } = await loggedApp({ accessLog: true });
    open.push(close);
    const email = 'kim@example.com';
    const joined = await app.inject({
      method: 'POST',
      url: '/account/join/',
      payload: { email, password1: PASSWORD, password2: PASSWORD },
    });
    expect(joined.statusCode).toBe(201);
    const login = await app.inject({ method: 'POST', url: '/account/login/', payload: { email, password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const { access, refresh } = login.json() as { access: string; refresh: string };
    const wrong = await app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email, password: 'wrong-Secret-771' },
    });
    expect(wrong.statusCode).toBe(400);
    const mypage = await app.inject({
      url: '/account/mypage/?token=QuerySecret-42&x=1',
      headers: { authorization: `Bearer ${access}`, cookie: 'sessionid=CookieSecret-99' },
    });
    expect(mypage.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: '/account/token/verify/', payload: { token: access } })).statusCode,
    ).toBe(200);
    const refreshed = await app.inject({ method: 'POST', url: '/account/token/refresh/', payload: { refresh } });
    expect(refreshed.statusCode).toBe(200);
    const changed = await app.inject({
      method: 'POST',
      url: '/account/password/change/',
      headers: { authorization: `Bearer ${access}` },
      payload: {
        old_password: PASSWORD,
        new_password1: 'New-Password-Secret-5',
        new_password2: 'New-Password-Secret-5',
      },
    });
    expect(changed.statusCode).toBe(200);

    const log = lines.join('\n');
    for (const secret of [
      PASSWORD,
      'wrong-Secret-771',
      'New-Password-Secret-5',
      access,
      refresh,
      (refreshed.json() as { access: string }).access,
      'QuerySecret-42',
      'CookieSecret-99',
      'Bearer',
    ]) {
      expect(log).not.toContain(secret);
    }
    const requests = parsed().filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.method, l.url, l.status])).toEqual([
      ['POST', '/account/join/', 201],
      ['POST', '/account/login/', 200],
      ['POST', '/account/login/', 400],
      ['GET', '/account/mypage/', 200],
      ['POST', '/account/token/verify/', 200],
      ['POST', '/account/token/refresh/', 200],
      ['POST', '/account/password/change/', 200],
    ]);
    for (const line of requests) {
      expect(Object.keys(line).sort()).toEqual([
        'hostname',
        'level',
        'method',
        'ms',
        'msg',
        'pid',
        'reqId',
        'status',
        'time',
        'url',
      ]);
      expect(line.level).toBe(30);
      expect(typeof line.ms).toBe('number');
    }
  });

  it('redacts credentials from any request, response or body object a line carries', async () => {
    const { app, lines, close } = await loggedApp({ authHeaderName: 'X-Auth-Token' });
    open.push(close);
    app.log.info({
      req: {
        method: 'GET',
        headers: { authorization: 'Bearer H1', 'x-auth-token': 'Bearer H2', cookie: 'c=H3' },
        body: { password: 'H4', refresh: 'H5' },
      },
      res: { headers: { 'set-cookie': 'refresh=H6' } },
      body: { password1: 'H7', token: 'H8', access: 'H9', old_password: 'H10' },
    });
    const line = lines.join('\n');
    for (let i = 1; i <= 10; i++) expect(line).not.toContain(`"H${i}"`);
    expect(line).toContain('[Redacted]');
    expect(line).toContain('"method":"GET"');
  });

  it('logs the path without its query string', () => {
    expect(loggedPath('/account/mypage/')).toBe('/account/mypage/');
    expect(loggedPath('/account/confirm/?key=abc&token=def')).toBe('/account/confirm/');
    expect(loggedPath('/?')).toBe('/');
  });

  it('redaction paths are exact (no wildcard: those cost every request ~1 µs)', () => {
    for (const path of redactPaths('HTTP_AUTHORIZATION')) expect(path).not.toContain('*');
    // pino compiles them without complaint
    expect(() => pino({ redact: redactPaths('x-token') })).not.toThrow();
  });
});
