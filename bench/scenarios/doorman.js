import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SkipError } from '../lib/skip.js';
import { MYPAGE_PATH } from '../floors/payload.js';
import { createBenchDatabase } from '../lib/postgres.js';

// Starts doorman the way the README starts it in production
// (`NODE_ENV=production npm start` with a signing key), with only the settings a
// user sets -- port, host, database, key; and throttling off, since the load
// generator is one address -- so the default logging is what is measured. Its stdout goes to a file, as
// `npm start > doorman.log` would; no DOORMAN_* variable of the bench's own
// environment leaks in. It talks to doorman only through the public HTTP contract.
// Any failure here becomes "skipped: <reason>" -- the server may not exist yet.
// With { postgres: true } the database is a fresh PostgreSQL one (lib/postgres.js), created
// here and dropped by stopDoorman; everything else is started the same way.

export const PATHS = {
  join: '/account/join/',
  login: '/account/login/',
  mypage: MYPAGE_PATH,
  verify: '/account/token/verify/',
  refresh: '/account/token/refresh/',
};

export function strongPassword() {
  // random enough for any zxcvbn-style strength check
  return `Bench-${randomBytes(12).toString('base64url')}-9!`;
}

export async function startDoorman(ctx, label, extraEnv = {}, { postgres = false } = {}) {
  if (!existsSync(join(ctx.root, 'dist', 'server.js')))
    throw new SkipError('dist/server.js not found (run `npm run build`)');
  let pgdb = null;
  if (postgres) {
    pgdb = await createBenchDatabase(label);
    ctx.state.databases = [...(ctx.state.databases || []), pgdb];
  }
  // What `npm start` runs (scripts/start.js: dist/server.js in-process); older checkouts
  // benched through DOORMAN_BENCH_ROOT have only dist/server.js.
  const start = join(ctx.root, 'scripts', 'start.js');
  const entry = existsSync(start) ? start : join(ctx.root, 'dist', 'server.js');
  const signingKey = randomBytes(48).toString('base64url'); // 64 chars
  const dbFile = join(ctx.tmpdir, `doorman-${label}.sqlite3`);
  let server;
  try {
    server = await ctx.startServer({
      name: `doorman(${label})`,
      args: [entry],
      cwd: ctx.root,
      env: (port, host) => ({
        DOORMAN_PORT: String(port),
        DOORMAN_HOST: host,
        DOORMAN_DATABASE_URL: pgdb ? pgdb.url : `sqlite:${dbFile}`,
        DOORMAN_SIGNING_KEY: signingKey,
        NODE_ENV: 'production',
        // The load generator is one address: throttling and per-address admission would answer it 429.
        DOORMAN_THROTTLE: 'false',
        ...extraEnv,
      }),
      readyPath: MYPAGE_PATH,
      stdoutFile: join(ctx.tmpdir, `doorman-${label}.log`),
      dropEnvPrefix: 'DOORMAN_',
    });
  } catch (e) {
    throw new SkipError(`doorman did not start: ${e.message}`);
  }
  ctx.state.servers = [...(ctx.state.servers || []), server];
  const post = (path, body, expect) => postJson(server.url + path, body, expect);
  return {
    server,
    signingKey,
    dbFile: pgdb ? null : dbFile,
    postgresUrl: pgdb ? pgdb.url : null,
    url: server.url,
    post,
    login: (u) => post(PATHS.login, { email: u.email, password: u.password }, 200),
  };
}

export async function postJson(url, body, expect) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (expect && res.status !== expect) {
    throw new SkipError(
      `POST ${new URL(url).pathname} answered ${res.status}, expected ${expect}: ${text.slice(0, 200)}`,
    );
  }
  return json ?? text;
}

// Creates n users through POST /account/join/, a few at a time (each join is an
// argon2 hash; more in flight would only queue on 2 cores).
export async function createUsers(d, n, label) {
  const users = [];
  const tag = randomBytes(4).toString('hex');
  for (let i = 0; i < n; i += 4) {
    const batch = Array.from({ length: Math.min(4, n - i) }, async (_, k) => {
      const email = `${label}-${tag}-${i + k}@bench.test`;
      const password = strongPassword();
      const r = await d.post(PATHS.join, { email, password1: password, password2: password }, 201);
      if (!r || typeof r.access !== 'string' || typeof r.refresh !== 'string') {
        throw new SkipError(`join response lacks access/refresh: ${JSON.stringify(r).slice(0, 200)}`);
      }
      return { email, password, access: r.access, refresh: r.refresh, user: r.user };
    });
    users.push(...(await Promise.all(batch)));
  }
  return users;
}

export async function stopDoorman(ctx) {
  for (const s of ctx.state.servers || []) await s.stop();
  for (const db of ctx.state.databases || []) await db.drop();
}
