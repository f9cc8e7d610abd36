import { spawn } from 'node:child_process';
import { request as httpRequest, type Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createDoorman } from '../../src/core.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { PASSWORD, testConfig } from '../helpers.js';
import type { ConfigInput } from '../../src/config/schema.js';

/** Real argon2 costs (the queue must be slow enough to fill) and rate limits out of the way: admission alone is under test. */
const FLOOD_CONFIG: ConfigInput = {
  throttle: true,
  argon2MemoryCost: 19456,
  argon2TimeCost: 2,
  passwordHashPriority: 0,
  throttleLoginPair: '10000/15m',
  throttleLoginAddress: '100000/15m',
  throttleLoginAccount: '100000/1h',
};

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function serve(config: ConfigInput, lines?: string[]) {
  const storage = memoryStorage();
  await storage.migrate();
  const doorman = createDoorman({ config: testConfig(config), storage });
  const loggerInstance = lines
    ? pino(
        { level: 'warn' },
        new Writable({
          write(chunk, _enc, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      )
    : undefined;
  const app = await buildApp({ doorman, ...(loggerInstance ? { loggerInstance } : { logger: false }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(async () => {
    await app.close();
    await doorman.close();
  });
  await doorman.accounts.createUser({
    email: 'owner@example.com',
    password: PASSWORD,
    isActive: true,
    isStaff: false,
    isSuperuser: false,
  });
  return (app.server.address() as { port: number }).port;
}

function post(
  port: number,
  path: string,
  body: unknown,
  options: { agent?: Agent | false; localAddress?: string } = {},
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        ...options,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** An attacker in a process of its own (as a real one is): `connections` sockets from 127.0.0.1 sending wrong-password logins until stopped. */
function flood(port: number, connections: number) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./flood-client.mjs', import.meta.url)), String(port), String(connections)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const ended = new Promise<Record<string, number>>((resolve) =>
    child.on('exit', () => resolve(out ? JSON.parse(out) : {})),
  );
  return { stop: () => (child.stdin.end(), ended) };
}

describe('one client cannot deny logins to everyone', () => {
  it(
    'during a flood of wrong-password logins from one address, a login from another answers 200 within 1 s',
    async () => {
      const port = await serve(FLOOD_CONFIG);
      const attack = flood(port, 300);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // let the flood fill whatever it can
      const owner = await post(
        port,
        '/account/login/',
        { email: 'owner@example.com', password: PASSWORD },
        { localAddress: '127.0.0.2', agent: false },
      );
      console.log(
        `flood: the owner's login from another address answered ${owner.status} in ${Math.round(owner.ms)} ms`,
      );
      const counts = await attack.stop();
      expect(owner.status).toBe(200);
      // The target is 1 s (checked alone on a quiet machine: `npm run test:flood`). Inside the full
      // suite on a shared 2-core machine the bound is 5 s, which still fails without admission:
      // the owner would wait behind the whole queue (1,000 hashes, ~7 s at ~15 ms each on 2 threads).
      expect(owner.ms).toBeLessThan(process.env.DOORMAN_TEST_FLOOD_STRICT ? 1000 : 5000);
      // The flood itself was refused at the door, not queued: 429s, and no 503 for anyone.
      expect(counts['429'] ?? 0).toBeGreaterThan(100);
      expect(counts['503'] ?? 0).toBe(0);
      // Timing on a shared 2-core machine is noisy: up to two more tries before it counts as a failure.
    },
    { timeout: 30_000, retry: 2 },
  );

  it('a flood of 503s (admission off, a tiny queue) is logged as one warning per interval, not one stack per request', async () => {
    const lines: string[] = [];
    const port = await serve({ ...FLOOD_CONFIG, throttle: false, passwordHashQueueLimit: 5 }, lines);
    const attack = flood(port, 100);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const counts = await attack.stop();
    expect(counts['503'] ?? 0).toBeGreaterThan(50);
    const busy = lines.filter((l) => l.includes('password hash queue full'));
    expect(busy).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"stack"'))).toHaveLength(0);
  }, 30_000);
});
