import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';
import { PASSWORD } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');
const entry = join(root, 'dist', 'server.js');
const POLL_MS = 100;

/** dist is missing or older than a source file. */
function stale(): boolean {
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  return sources.some((f) => statSync(join(root, 'src', f)).mtimeMs > built);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUp(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${base}/account/mypage/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${base} did not come up`);
}

/**
 * Three `node dist/server.js` processes on one SQLite file, as a user would run them: the
 * exactly-once rotation and the reuse rule hold across processes, not only inside one.
 */
describe('three doorman processes on one SQLite file', () => {
  const children: ChildProcess[] = [];
  const bases: string[] = [];
  let dir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    if (stale()) {
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'doorman-three-'));
    const file = join(dir, 'db.sqlite3');
    const storage = sqliteStorage(file);
    await storage.migrate();
    await storage.close();
    env = {
      PATH: process.env.PATH,
      DOORMAN_ENVIRONMENT: 'test',
      DOORMAN_DATABASE_URL: `sqlite:${file}`,
      DOORMAN_SIGNING_KEY: randomBytes(48).toString('base64url'),
      DOORMAN_LOG_LEVEL: 'silent',
      DOORMAN_ARGON2_MEMORY_COST: '1024',
      DOORMAN_ARGON2_TIME_COST: '1',
      DOORMAN_REVOCATION_POLL_INTERVAL: String(POLL_MS),
      DOORMAN_HOST: '127.0.0.1',
    };
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [entry], {
        env: { ...env, DOORMAN_PORT: String(port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      bases.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(bases.map(waitUp));
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (base: string, url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const mypage = (base: string, access: string) =>
    fetch(`${base}/account/mypage/`, { headers: { authorization: `Bearer ${access}` } });
  const settle = () => new Promise((r) => setTimeout(r, POLL_MS * 4));

  it('200 parallel refreshes of one token over the three: exactly 1 wins; the reuse ends the session on all three', async () => {
    const joined = await post(bases[0]!, '/account/join/', {
      email: 'race@example.com',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    expect(joined.status).toBe(201);
    const { refresh } = (await joined.json()) as { refresh: string };
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post(bases[i % 3]!, '/api/token/refresh/', { refresh })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(199);
    const winner = (await responses[statuses.indexOf(200)]!.json()) as { access: string; refresh: string };
    await settle();
    for (const base of bases) {
      expect((await mypage(base, winner.access)).status).toBe(401);
      expect((await post(base, '/api/token/refresh/', { refresh: winner.refresh })).status).toBe(401);
    }
  }, 60_000);

  /** Polls until `access` is refused on every instance; the delay from `since` on each (ms). */
  const refusedOnAll = (access: string, since: number) =>
    Promise.all(
      bases.map(async (base) => {
        for (;;) {
          const status = (await mypage(base, access)).status;
          if (status === 401) return performance.now() - since;
          expect(status).toBe(200);
          if (performance.now() - since > 5000) throw new Error(`${base} still accepts the token 5 s later`);
        }
      }),
    );
  const login = async (base: string, email: string) => {
    const { access } = (await (await post(base, '/api/token/', { email, password: PASSWORD })).json()) as {
      access: string;
    };
    const listed = (await (
      await fetch(`${base}/account/sessions/`, { headers: { authorization: `Bearer ${access}` } })
    ).json()) as Array<{ id: string; current: boolean }>;
    return { access, sid: listed.find((s) => s.current)!.id };
  };
  const ms = (delays: number[]) => delays.map((d) => d.toFixed(0)).join(' / ');

  it('DELETE /account/sessions/{id}/ and POST /account/logout/all/ on one process: refused on the other two (measured)', async () => {
    expect(
      (await post(bases[0]!, '/account/join/', { email: 'end@example.com', password1: PASSWORD, password2: PASSWORD }))
        .status,
    ).toBe(201);
    const caller = await login(bases[0]!, 'end@example.com');
    const ended = await login(bases[1]!, 'end@example.com');
    const deleted = await fetch(`${bases[0]}/account/sessions/${ended.sid}/`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${caller.access}` },
    });
    expect(deleted.status).toBe(204);
    const one = await refusedOnAll(ended.access, performance.now());
    for (const base of bases) expect((await mypage(base, caller.access)).status).toBe(200);

    const others = [await login(bases[1]!, 'end@example.com'), await login(bases[2]!, 'end@example.com')];
    expect(
      (await post(bases[0]!, '/account/logout/all/', {}, { authorization: `Bearer ${caller.access}` })).status,
    ).toBe(200);
    const at = performance.now();
    const all = await Promise.all([caller, ...others].map((s) => refusedOnAll(s.access, at)));
    console.log(
      `SQLite, poll ${POLL_MS} ms: DELETE /account/sessions/{id}/ → 401 ${ms(one)} ms; POST /account/logout/all/ → 401 ${all.map(ms).join(', ')} ms (on the three processes)`,
    );
  }, 60_000);

  it('`doorman deactivate` on the file: refused by all three processes (measured)', async () => {
    expect(
      (await post(bases[0]!, '/account/join/', { email: 'off@example.com', password1: PASSWORD, password2: PASSWORD }))
        .status,
    ).toBe(201);
    const { access } = await login(bases[1]!, 'off@example.com');
    const cli = spawnSync(process.execPath, [join(root, 'bin', 'doorman.js'), 'deactivate', 'off@example.com'], {
      env,
      encoding: 'utf8',
    });
    const at = performance.now();
    expect(cli.status, cli.stderr).toBe(0);
    console.log(
      `SQLite, poll ${POLL_MS} ms: doorman deactivate (CLI exit) → 401 ${ms(await refusedOnAll(access, at))} ms`,
    );
  }, 60_000);

  it("a thief rotates on one instance, the victim reuses on another: refused on all three, the thief's tokens too", async () => {
    const login = await post(bases[0]!, '/account/login/', { email: 'race@example.com', password: PASSWORD });
    const victim = (await login.json()) as { access: string; refresh: string };
    const thief = (await (await post(bases[1]!, '/api/token/refresh/', { refresh: victim.refresh })).json()) as {
      access: string;
      refresh: string;
    };
    for (const base of bases) expect((await mypage(base, thief.access)).status).toBe(200);
    expect((await post(bases[2]!, '/api/token/refresh/', { refresh: victim.refresh })).status).toBe(401);
    await settle();
    for (const base of bases) {
      expect((await mypage(base, thief.access)).status).toBe(401);
      expect((await mypage(base, victim.access)).status).toBe(401);
      expect((await post(base, '/api/token/refresh/', { refresh: thief.refresh })).status).toBe(401);
    }
  }, 60_000);
});
