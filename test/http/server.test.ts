import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createDoorman } from '../../src/core.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { PASSWORD, testConfig } from '../helpers.js';

describe('over a real socket', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it('serves join, mypage and refresh over HTTP with the JSON content type', async () => {
    const doorman = createDoorman({ config: testConfig(), storage: memoryStorage() });
    const app = await buildApp({ doorman, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => app.close());
    const { port } = app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;

    const joined = await fetch(`${base}/account/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'net@example.com', password1: PASSWORD, password2: PASSWORD }),
    });
    expect(joined.status).toBe(201);
    expect(joined.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { access, refresh } = (await joined.json()) as { access: string; refresh: string };

    const mypage = await fetch(`${base}/account/mypage/`, { headers: { authorization: `Bearer ${access}` } });
    expect(await mypage.json()).toEqual({ message: '반갑습니다, net@example.com님!' });

    const unauthenticated = await fetch(`${base}/account/mypage/`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer realm="api"');

    const refreshed = await fetch(`${base}/api/token/refresh/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh }),
    });
    expect(refreshed.status).toBe(200);
    expect(Object.keys((await refreshed.json()) as object).sort()).toEqual(['access', 'refresh']);
  });
});

describe('unexpected errors', () => {
  it('answer 500 with no internals and are logged with their stack', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const doorman = createDoorman({ config: testConfig(), storage: memoryStorage() });
    const app = await buildApp({ doorman, loggerInstance: pino({ level: 'error' }, sink) });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    const response = await app.inject({ url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ detail: 'A server error occurred.', code: 'error' });
    expect(response.body).not.toContain('hunter2');
    expect(lines.join('')).toContain('database password is hunter2');
    await app.close();
  });

  it('a failing storage answers 500, not a crash, and keeps serving', async () => {
    const storage = memoryStorage();
    const doorman = createDoorman({ config: testConfig(), storage });
    const app = await buildApp({ doorman, logger: false });
    const original = storage.users.findByEmail;
    storage.users.findByEmail = async () => {
      throw new Error('disk I/O error');
    };
    const failed = await app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'a@example.com', password: 'x' },
    });
    expect(failed.statusCode).toBe(500);
    storage.users.findByEmail = original;
    const ok = await app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'a@example.com', password: 'x' },
    });
    expect(ok.statusCode).toBe(400);
    await app.close();
  });
});

describe('start-up errors', () => {
  it('explain a busy port in one line naming the settings, and exit 1', async () => {
    const { vi } = await import('vitest');
    const { reportStartupError } = await import('../../src/server.js');
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      reportStartupError(
        Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', address: '127.0.0.1', port: 8000 }),
      );
      expect(write).toHaveBeenCalledWith(
        'doorman: cannot listen on 127.0.0.1:8000: it is already in use. Set DOORMAN_HOST / DOORMAN_PORT.\n',
      );
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });
});
