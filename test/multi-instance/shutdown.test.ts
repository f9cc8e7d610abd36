import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../dist-build.js';
import { post, startInstance, type Instance } from './processes.js';

const PASSWORD = 'correct horse battery';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGTERM (issue 13)', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'doorman-shutdown-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = (extra: Record<string, string> = {}) =>
    startInstance('drain', {
      DOORMAN_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite3')}`,
      DOORMAN_PASSWORD_HASH_CONCURRENCY: '1',
      DOORMAN_PASSWORD_HASH_PRIORITY: '0',
      ...extra,
    });

  it('lets in-flight requests finish, then exits 0; new connections are refused', async () => {
    const server: Instance = await start({ DOORMAN_ARGON2_MEMORY_COST: '32768', DOORMAN_ARGON2_TIME_COST: '3' });
    await post(server.url, '/account/join/', { email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD });
    // Logins queue behind one hashing thread: they are in flight for a while.
    const received = () =>
      server.output.filter((line) => line.includes('incoming request') && line.includes('/api/token/')).length;
    const logins = Array.from({ length: 8 }, () =>
      post(server.url, '/api/token/', { email: 'kim@example.com', password: PASSWORD }),
    );
    // SIGTERM once the server has all eight (a request still connecting would rightly be
    // refused): seen in its request log, or after 500 ms if it logs requests differently.
    const since = performance.now();
    while (received() < 8 && performance.now() - since < 500) await sleep(2);
    server.child.kill('SIGTERM');
    const answers = await Promise.all(logins);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(await server.exited).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('a request still running after shutdownTimeout has its connection closed, and the process still exits 0', async () => {
    // One hashing thread and four logins: most are still queued or hashing 150 ms after they
    // were sent, on a quiet machine or a loaded one (the access log is off by default, so there
    // is no request line to wait for). A login not yet received when SIGTERM comes is refused,
    // which the client sees as a cut connection too.
    const server: Instance = await start({
      DOORMAN_SHUTDOWN_TIMEOUT: '50',
      DOORMAN_ARGON2_TIME_COST: '6',
      DOORMAN_ARGON2_MEMORY_COST: '65536',
    });
    await post(server.url, '/account/join/', { email: 'slow@example.com', password1: PASSWORD, password2: PASSWORD });
    const slow = Array.from({ length: 4 }, () =>
      post(server.url, '/api/token/', { email: 'slow@example.com', password: PASSWORD }).catch(() => 'cut'),
    );
    await sleep(150);
    const t0 = performance.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(await Promise.all(slow)).toContain('cut');
  }, 60_000);
});
