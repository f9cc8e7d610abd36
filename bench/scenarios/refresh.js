import { createHmac, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startDoorman, createUsers, stopDoorman, PATHS } from './doorman.js';
import { httpMetrics } from '../lib/wrk.js';
import { recordSessions } from '../lib/postgres.js';

const SCRIPT = fileURLToPath(new URL('../lua/refresh.lua', import.meta.url));
const THREADS = 2,
  CONNECTIONS = 64;
const HMAC = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
let runNo = 0;

// Refresh with rotation, one never-used refresh token per request.
// Tokens are pre-issued by re-signing a real refresh token from the server with
// a new jti (same header, claims and lifetime) using DOORMAN_SIGNING_KEY, which
// the harness itself chose, and recording each jti as an outstanding token in
// the server's SQLite file (doorman refuses refresh tokens it has no record of),
// exactly as issueRefresh() would: logging in once per token would cost an
// argon2 hash each, far too slow for tens of thousands. A probe checks the
// server accepts such tokens; if not, wrk falls back to chaining (each
// response's new refresh token feeds a later request), seeded by real logins.

function minterFrom(template, key) {
  const [h, p] = template.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const alg = HMAC[header.alg];
  if (!alg) return null;
  const keyObject = createSecretKey(Buffer.from(key));
  const life = Number.isFinite(claims.iat) && Number.isFinite(claims.exp) ? claims.exp - claims.iat : null;
  const hexJti = /^[0-9a-f]{32}$/.test(String(claims.jti));
  return () => {
    const c = { ...claims };
    if (life !== null) {
      c.iat = Math.floor(Date.now() / 1000);
      c.exp = c.iat + life;
    }
    c.jti = hexJti ? randomBytes(16).toString('hex') : randomUUID();
    if ('sid' in c) c.sid = randomBytes(16).toString('hex'); // one session per minted token: a session has one current jti
    const body = Buffer.from(JSON.stringify(c)).toString('base64url');
    return {
      token: `${h}.${body}.${createHmac(alg, keyObject).update(`${h}.${body}`).digest('base64url')}`,
      claims: c,
    };
  };
}

// Records minted tokens as outstanding, in one transaction (WAL: the running server keeps serving).
async function record(d, minted) {
  if (d.postgresUrl) return recordSessions(d.postgresUrl, minted);
  const db = new Database(d.dbFile);
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    "INSERT INTO sessions (id, user_id, token_type, current_jti, created_at, last_used_at, expires_at, credentials_epoch) VALUES (?, ?, 'refresh', ?, ?, ?, ?, 0)",
  );
  const now = Date.now();
  db.transaction(() => {
    for (const { claims } of minted) insert.run(claims.sid, claims.user_id, claims.jti, now, now, claims.exp * 1000);
  })();
  db.close();
}

function refresh({ name, postgres, description, target, minRate }) {
  return {
    name,
    kind: 'http',
    description,
    floor: 'node-http',
    metric: 'rps',
    target,
    async setup(ctx) {
      const d = (ctx.state.d = await startDoorman(ctx, name, {}, { postgres }));
      const [user] = await createUsers(d, 1, name);
      ctx.state.user = user;
      const mint = minterFrom(user.refresh, d.signingKey);
      const sample = mint && mint();
      if (sample) await record(d, [sample]);
      const probe =
        sample &&
        (await fetch(d.url + PATHS.refresh, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh: sample.token }),
        }).then(async (r) => ({ status: r.status, body: await r.text() })));
      if (probe && probe.status === 200 && /"refresh"/.test(probe.body)) {
        ctx.state.mint = mint;
        ctx.note('tokens: re-signed copies of a server-issued refresh token, recorded as outstanding (probe accepted)');
      } else {
        ctx.note(
          `tokens: chained from login seeds (re-signed probe answered ${probe ? probe.status : 'n/a: non-HMAC alg'})`,
        );
      }
    },
    async run(ctx) {
      const { d, user, mint } = ctx.state;
      const perThread = [];
      if (mint) {
        // Enough for three times the fastest rate seen so far (the warm-up runs
        // before the JIT settles), at least minRate per second; a run that still runs dry is
        // discarded, not reported, and the next one gets twice as many.
        const rate = Math.max(3 * (ctx.state.rate ?? 0), minRate);
        const n = Math.ceil((rate * 1.5 * ctx.duration + CONNECTIONS) / THREADS);
        for (let t = 0; t < THREADS; t++) {
          const minted = Array.from({ length: n }, mint);
          await record(d, minted);
          perThread.push(minted.map((m) => m.token));
        }
      } else {
        const seedsPerThread = CONNECTIONS / THREADS + 8;
        for (let t = 0; t < THREADS; t++) {
          const seeds = [];
          for (let i = 0; i < seedsPerThread; i += 8) {
            seeds.push(...(await Promise.all(Array.from({ length: 8 }, () => d.login(user).then((r) => r.refresh)))));
          }
          perThread.push(seeds);
        }
      }
      const prefix = join(ctx.tmpdir, `refresh-${++runNo}-`);
      perThread.forEach((tokens, i) => writeFileSync(`${prefix}${i + 1}.txt`, tokens.join('\n') + '\n'));
      try {
        const r = await ctx.wrk({
          url: d.url,
          threads: THREADS,
          connections: CONNECTIONS,
          clean: false,
          script: SCRIPT,
          scriptArgs: [PATHS.refresh, prefix, mint ? '0' : '1'],
        });
        const dry = Number(/BENCH_EXHAUSTED (\d+)/.exec(r.stdout)?.[1] ?? 0);
        if (dry > 0) {
          ctx.state.rate = Math.max(ctx.state.rate ?? 0, minRate) * 2;
          throw new Error(`token pool ran dry (${dry} requests had no token); the next run issues twice as many`);
        }
        ctx.assertClean(r);
        ctx.state.rate = Math.max(ctx.state.rate ?? 0, r.rps);
        return httpMetrics(r);
      } finally {
        perThread.forEach((_, i) => rmSync(`${prefix}${i + 1}.txt`, { force: true }));
      }
    },
    teardown: stopDoorman,
  };
}

export default refresh({
  name: 'refresh',
  postgres: false,
  minRate: 10000,
  description: 'POST /account/token/refresh/ with rotation, fresh token per request',
  target: { value: 3000, op: '>=' },
});

// The same on PostgreSQL: every rotation is a durable commit there (group commit shares one
// WAL flush among the rotations of one event-loop turn: src/storage/postgres/batch.ts).
export const refreshPg = refresh({
  name: 'refresh-pg',
  postgres: true,
  // Each token is a row inserted before the run: sized for twice the target, not for SQLite's rate.
  minRate: 4000,
  description: 'POST /account/token/refresh/ as refresh, the instance on PostgreSQL',
  target: { value: 2000, op: '>=' },
});
