import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { loadConfig } from '../../src/config/load.js';
import { addressKey } from '../../src/throttle/address.js';
import { join, PASSWORD, SECRET, testApp, type TestApp } from '../helpers.js';

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

function login(
  app: TestApp['app'],
  from: string,
  email: string,
  password: string,
  url = '/account/login/',
  headers: Record<string, string> = {},
) {
  return app.inject({ method: 'POST', url, remoteAddress: from, headers, payload: { email, password } });
}

function expectThrottled(
  response: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  maxWait: number,
) {
  expect(response.statusCode).toBe(429);
  const wait = Number(response.headers['retry-after']);
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(maxWait);
  expect(response.json()).toEqual({
    detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`,
    code: 'throttled',
  });
}

describe('login throttle', () => {
  it('is on by default with every limit a setting', () => {
    const config = loadConfig({ env: {}, ignoreFile: true, overrides: { environment: 'test', signingKey: SECRET } });
    expect(config.throttle).toBe(true);
    expect(config.throttleLoginPair).toEqual({ points: 5, duration: 900 });
    expect(config.throttleLoginAddress).toEqual({ points: 30, duration: 900 });
    expect(config.throttleLoginAccount).toEqual({ points: 50, duration: 3600 });
    expect(
      loadConfig({
        env: { DOORMAN_THROTTLE: 'false' },
        ignoreFile: true,
        overrides: { environment: 'test', signingKey: SECRET },
      }).throttle,
    ).toBe(false);
    expect(() =>
      loadConfig({
        env: { DOORMAN_THROTTLE_LOGIN_PAIR: 'lots' },
        ignoreFile: true,
        overrides: { environment: 'test', signingKey: SECRET },
      }),
    ).toThrow(/DOORMAN_THROTTLE_LOGIN_PAIR: expected a rate/);
  });

  it('refuses an account limit that one address could exhaust alone', () => {
    expect(() =>
      loadConfig({
        env: {},
        ignoreFile: true,
        overrides: {
          environment: 'test',
          signingKey: SECRET,
          throttleLoginPair: '10/15m',
          throttleLoginAccount: '20/1h',
        },
      }),
    ).toThrow(/DOORMAN_THROTTLE_LOGIN_ACCOUNT: must allow more than 50 failures/);
  });

  it("per (account, address): the 6th failure in the window is 429 with Retry-After and DRF's body; the owner elsewhere still logs in", async () => {
    const { app } = await start();
    await join(app, 'kim@example.com');
    for (let i = 0; i < 5; i++) expect((await login(app, '10.0.0.66', 'kim@example.com', WRONG)).statusCode).toBe(400);
    expectThrottled(await login(app, '10.0.0.66', 'kim@example.com', WRONG), 900);
    // Even the right password is not checked from there now.
    expectThrottled(await login(app, '10.0.0.66', 'kim@example.com', PASSWORD), 900);
    // The same attacker address may still try other accounts (the per-address limit is looser) ...
    expect((await login(app, '10.0.0.66', 'lee@example.com', WRONG)).statusCode).toBe(400);
    // ... and the owner at another address is not locked out.
    expect((await login(app, '10.0.0.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('an attacker hammering from one address never locks out the owner at another', async () => {
    const { app } = await start();
    await join(app, 'kim@example.com');
    const answers = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      const status = (await login(app, '203.0.113.9', 'kim@example.com', `${WRONG}${i}`)).statusCode;
      answers.set(status, (answers.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(answers)).toEqual({ 400: 5, 429: 95 });
    expect((await login(app, '198.51.100.7', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it("a success clears the pair's failures", async () => {
    const { app } = await start();
    await join(app, 'kim@example.com');
    for (let i = 0; i < 4; i++) expect((await login(app, '10.0.0.1', 'kim@example.com', WRONG)).statusCode).toBe(400);
    expect((await login(app, '10.0.0.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(app, '10.0.0.1', 'kim@example.com', WRONG)).statusCode).toBe(400);
    expect((await login(app, '10.0.0.1', 'kim@example.com', WRONG)).statusCode).toBe(429);
  });

  it('per address across accounts (credential stuffing), unknown e-mails included', async () => {
    const { app } = await start({ throttleLoginAddress: '8/15m' });
    for (let i = 0; i < 8; i++)
      expect((await login(app, '10.0.0.66', `user${i}@example.com`, WRONG)).statusCode).toBe(400);
    expectThrottled(await login(app, '10.0.0.66', 'user99@example.com', WRONG), 900);
    expect((await login(app, '10.0.0.67', 'user99@example.com', WRONG)).statusCode).toBe(400);
  });

  it('per account across addresses; addresses that logged in before still pass it', async () => {
    const { app } = await start({ throttleLoginPair: '2/15m', throttleLoginAccount: '10/15m' });
    await join(app, 'kim@example.com');
    expect((await login(app, '192.0.2.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200); // the owner's usual address
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 2; j++)
        expect((await login(app, `10.1.0.${i}`, 'kim@example.com', WRONG)).statusCode).toBe(400);
    }
    // 10 failures from 5 addresses: a new address is refused, though its own budget is fresh.
    expectThrottled(await login(app, '10.1.0.99', 'kim@example.com', PASSWORD), 900);
    // The owner's known address is let through, within its own pair budget.
    expect((await login(app, '192.0.2.1', 'kim@example.com', PASSWORD)).statusCode).toBe(200);
    // Other accounts are not affected.
    expect((await login(app, '10.1.0.99', 'lee@example.com', WRONG)).statusCode).toBe(400);
  });

  it('counts expire with the window', async () => {
    const { app } = await start({ throttleLoginPair: '2/1s', throttleLoginAccount: '100/1s' });
    await join(app, 'kim@example.com');
    for (let i = 0; i < 2; i++) expect((await login(app, '10.0.0.66', 'kim@example.com', WRONG)).statusCode).toBe(400);
    expectThrottled(await login(app, '10.0.0.66', 'kim@example.com', WRONG), 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await login(app, '10.0.0.66', 'kim@example.com', WRONG)).statusCode).toBe(400);
  });

  it('/api/token/ and /api/token/sliding/ share the login counters', async () => {
    const { app } = await start();
    await join(app, 'kim@example.com');
    for (const url of ['/api/token/', '/api/token/sliding/', '/account/login/', '/api/token/', '/api/token/sliding/']) {
      expect((await login(app, '10.0.0.66', 'kim@example.com', WRONG, url)).statusCode).toBeLessThan(429);
    }
    for (const url of ['/api/token/', '/api/token/sliding/', '/account/login/'])
      expectThrottled(await login(app, '10.0.0.66', 'kim@example.com', PASSWORD, url), 900);
    expect((await login(app, '10.0.0.1', 'kim@example.com', PASSWORD, '/api/token/')).statusCode).toBe(200);
  });

  it('join is limited per address', async () => {
    const { app } = await start({ throttleJoin: '3/1h' });
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/account/join/',
        remoteAddress: '10.0.0.66',
        payload: { email: `u${i}@example.com`, password1: PASSWORD, password2: PASSWORD },
      });
      expect(r.statusCode).toBe(201);
    }
    const refused = await app.inject({
      method: 'POST',
      url: '/account/join/',
      remoteAddress: '10.0.0.66',
      payload: { email: 'u9@example.com', password1: PASSWORD, password2: PASSWORD },
    });
    expectThrottled(refused, 3600);
    const other = await app.inject({
      method: 'POST',
      url: '/account/join/',
      remoteAddress: '10.0.0.67',
      payload: { email: 'u9@example.com', password1: PASSWORD, password2: PASSWORD },
    });
    expect(other.statusCode).toBe(201);
  });

  it('DOORMAN_THROTTLE=false turns it off', async () => {
    const { app } = await start({ throttle: false });
    await join(app, 'kim@example.com');
    for (let i = 0; i < 40; i++) expect((await login(app, '10.0.0.66', 'kim@example.com', WRONG)).statusCode).toBe(400);
  });

  it('takes the address from X-Forwarded-For only when trustProxy is on', async () => {
    const { app } = await start({ throttleLoginPair: '1/15m', throttleLoginAccount: '100/1h' });
    await join(app, 'kim@example.com');
    const xff = (ip: string) => ({ 'x-forwarded-for': ip });
    expect((await login(app, '10.0.0.5', 'kim@example.com', WRONG, '/account/login/', xff('1.1.1.1'))).statusCode).toBe(
      400,
    );
    // Without trustProxy the header is ignored: a forged X-Forwarded-For does not give a fresh budget.
    expect((await login(app, '10.0.0.5', 'kim@example.com', WRONG, '/account/login/', xff('2.2.2.2'))).statusCode).toBe(
      429,
    );
    await t!.close();
    const { app: proxied } = await start({
      trustProxy: true,
      throttleLoginPair: '1/15m',
      throttleLoginAccount: '100/1h',
    });
    await join(proxied, 'kim@example.com');
    expect(
      (await login(proxied, '10.0.0.5', 'kim@example.com', WRONG, '/account/login/', xff('1.1.1.1'))).statusCode,
    ).toBe(400);
    expect(
      (await login(proxied, '10.0.0.5', 'kim@example.com', WRONG, '/account/login/', xff('2.2.2.2'))).statusCode,
    ).toBe(400);
    expect(
      (await login(proxied, '10.0.0.5', 'kim@example.com', WRONG, '/account/login/', xff('1.1.1.1'))).statusCode,
    ).toBe(429);
    t = undefined;
    await proxied.close();
  });
});

describe('addressKey', () => {
  it('counts IPv4 as is, IPv6 by its /64, IPv4-mapped IPv6 as IPv4', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:0db8:0001:0002::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:0db8:0000:0000::/64');
    expect(addressKey('::1')).toBe('0000:0000:0000:0000::/64');
  });
});
