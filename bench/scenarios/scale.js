import { closeSync, copyFileSync, fsyncSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHmac, createSecretKey, randomBytes, randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
import { startDoorman, PATHS } from './doorman.js';
import { SkipError } from '../lib/skip.js';
import { seededFile, SEED_PASSWORD, seedEmail } from '../lib/scale-db.js';

// Does latency grow with the data? login and refresh p50 against a server whose
// SQLite file holds 1M users and 10M outstanding refresh tokens, paired with
// the same requests against 1k users / 10k tokens in the same rep, at a low
// fixed concurrency (latency, not throughput). Target: scale p50 <= 1.2x base.
//
// Both files are bulk-seeded inside SQLite (lib/scale-db.js) into a file the
// server migrated, cached in bench/.cache/ (a second run only copies), and
// copied to the run's temp dir, because login and refresh write. Requests use
// random seeded users from the whole population: logins with their known
// password, refreshes with re-signed tokens recorded as outstanding rows.
// --quick uses a reduced scale, labelled "(reduced)" in the report.
// DOORMAN_BENCH_SCALE=<users>x<tokens> sets another scale for either mode.

const FULL = { users: 1_000_000, tokens: 10_000_000 };
const QUICK = { users: 20_000, tokens: 200_000 };
const BASE = { users: 1_000, tokens: 10_000 };
const CACHE = fileURLToPath(new URL('../.cache/', import.meta.url));
const REFRESH_LUA = fileURLToPath(new URL('../lua/refresh.lua', import.meta.url));
const LOGIN_LUA = fileURLToPath(new URL('../lua/post-json.lua', import.meta.url));
const LOGIN_USERS = 256; // distinct seeded users per login run, drawn from the whole population
const HMAC = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

const si = (n) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
const reduced = (s) => s.users < FULL.users || s.tokens < FULL.tokens;
const label = (s, scale = true) => `${si(s.users)}/${si(s.tokens)}${scale && reduced(s) ? '(reduced)' : ''}`;

function scaleFor(mode) {
  const m = /^(\d+)x(\d+)$/.exec(process.env.DOORMAN_BENCH_SCALE ?? '');
  if (m) return { users: Number(m[1]), tokens: Number(m[2]) };
  return mode === 'quick' ? QUICK : FULL;
}

// Metric names carry the sizes, so the table says what was measured.
const keys = (big) => ({
  big: (m) => `${m}@${label(big)}`,
  base: (m) => `${m}@${label(BASE, false)}`,
});

// Re-signs a server-issued refresh token for another user and session with a
// new jti, same header, claim names and lifetime (the harness chose the key).
function minterFrom(template, key) {
  const [h, p] = template.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const alg = HMAC[header.alg];
  if (!alg || !('user_id' in claims) || !('sid' in claims) || !/^[0-9a-f]{32}$/.test(String(claims.jti))) {
    throw new SkipError(`cannot mint refresh tokens like ${JSON.stringify({ header, claims }).slice(0, 200)}`);
  }
  const keyObject = createSecretKey(Buffer.from(key));
  const life = claims.exp - claims.iat;
  return (userId) => {
    const iat = Math.floor(Date.now() / 1000);
    const c = {
      ...claims,
      exp: iat + life,
      iat,
      jti: randomBytes(16).toString('hex'),
      user_id: userId,
      sid: randomBytes(16).toString('hex'),
    };
    const body = Buffer.from(JSON.stringify(c)).toString('base64url');
    return {
      token: `${h}.${body}.${createHmac(alg, keyObject).update(`${h}.${body}`).digest('base64url')}`,
      claims: c,
    };
  };
}

// One server per size, shared by scale-login and scale-refresh (refcounted):
// copying a multi-GB file once per run is enough.
let fixture = null;
let refs = 0;

async function buildSide(ctx, size, migratedFile, tag, note) {
  const c = await seededFile({
    cacheDir: CACHE,
    migratedFile,
    ...size,
    log: (m) => process.stderr.write(`  ${ctx.name}: ${label(size, size !== BASE)}: ${m}\n`),
  });
  const bytes = statSync(c.file).size;
  const dbLabel = `scale-${tag}`;
  const dbFile = join(ctx.tmpdir, `doorman-${dbLabel}.sqlite3`);
  const t0 = performance.now();
  copyFileSync(c.file, dbFile);
  // Written back now, not during the first measurements.
  const fd = openSync(dbFile, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  const copy_s = (performance.now() - t0) / 1000;
  const seedText = c.cached
    ? 'cached'
    : `seeded in ${c.seconds.toFixed(1)} s (users ${c.seedTimes.users_s.toFixed(1)} s, tokens ${c.seedTimes.tokens_s.toFixed(1)} s, indexes ${c.seedTimes.indexes_s.toFixed(1)} s)`;
  note(
    `${label(size, size !== BASE)}: ${size.users.toLocaleString('en-US')} users / ${size.tokens.toLocaleString('en-US')} tokens, ${(bytes / 2 ** 20).toFixed(0)} MiB, ${seedText}, copied in ${copy_s.toFixed(1)} s`,
  );

  const sctx = { root: ctx.root, tmpdir: ctx.tmpdir, startServer: ctx.startServer, state: {} };
  const d = await startDoorman(sctx, dbLabel);
  // Small tables are pruned back to their seeded rows after every slice; in a
  // multi-million-row table that costs seconds per slice (each added row dirties
  // its own pages in three random-key indexes) and changes its size by <2%.
  const side = {
    size,
    d,
    server: d.server,
    dbFile,
    db: null,
    mint: null,
    rate: 0,
    refreshes: 0,
    chained: 0,
    prune: size.tokens <= 1_000_000,
  };
  try {
    // A real login of a seeded user checks the shared hash and yields the template.
    const first = await d.login({ email: seedEmail(1), password: SEED_PASSWORD });
    side.mint = minterFrom(first.refresh, d.signingKey);
    side.db = new Database(dbFile, { fileMustExist: true });
    side.db.pragma('busy_timeout = 5000');
    side.db.pragma('cache_size = -262144'); // 256 MiB: recording into a 10M-row table
    side.insert = side.db.prepare(
      "INSERT INTO sessions (id, user_id, token_type, current_jti, created_at, last_used_at, expires_at, credentials_epoch) VALUES (?, ?, 'refresh', ?, ?, ?, ?, 0)",
    );
    // Seeded rows have rowids 1..tokens: anything above was added by the bench.
    side.cleanupStmt = side.db.prepare('DELETE FROM sessions WHERE rowid > ?');
    const probe = side.mint(randomInt(1, size.users + 1));
    record(side, [probe]);
    const r = await fetch(d.url + PATHS.refresh, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh: probe.token }),
    });
    const text = await r.text();
    if (r.status !== 200 || !/"refresh"/.test(text))
      throw new SkipError(`re-signed refresh probe answered ${r.status}: ${text.slice(0, 160)}`);
    side.cleanupStmt.run(size.tokens);
    cleanup(side);
  } catch (e) {
    side.db?.close();
    await d.server.stop();
    throw e;
  }
  return side;
}

async function build(ctx) {
  const big = scaleFor(ctx.mode);
  const note = ctx.note;
  if (reduced(big)) {
    note(
      `REDUCED scale (${ctx.mode} mode): ${label(big)} users/tokens, not the issue's 1M/10M; run full mode for the target`,
    );
  }
  // A fresh file the server migrates: the schema the seeded files must carry.
  const sctx = { root: ctx.root, tmpdir: ctx.tmpdir, startServer: ctx.startServer, state: {} };
  const schema = await startDoorman(sctx, 'scale-schema');
  await schema.server.stop();
  const sides = {};
  try {
    sides.base = await buildSide(ctx, BASE, schema.dbFile, 'base', note);
    sides.big = await buildSide(ctx, big, schema.dbFile, 'big', note);
  } catch (e) {
    await closeSides(sides);
    throw e;
  } finally {
    for (const f of ['', '-wal', '-shm']) rmSync(schema.dbFile + f, { force: true });
  }
  return { sides, keys: keys(big), big, note };
}

async function closeSides(sides) {
  for (const s of Object.values(sides)) {
    try {
      s.db?.close();
    } catch {}
    await s.server.stop();
  }
}

function acquire(ctx) {
  refs++;
  fixture ??= build(ctx);
  return fixture;
}

async function release() {
  if (--refs > 0 || !fixture) return;
  const f = await fixture.catch(() => null);
  fixture = null;
  if (!f) return;
  for (const s of Object.values(f.sides)) {
    if (s.prune) continue;
    const added = s.db.prepare('SELECT count(*) FROM sessions WHERE rowid > ?').pluck().get(s.size.tokens);
    f.note(
      `${label(s.size)}: rows the run added to sessions were left in (${added.toLocaleString('en-US')}, +${((100 * added) / s.size.tokens).toFixed(2)}%)`,
    );
  }
  await closeSides(f.sides);
}

function record(side, minted) {
  const now = Date.now();
  side.db.transaction(() => {
    for (const { claims } of minted)
      side.insert.run(claims.sid, claims.user_id, claims.jti, now, now, claims.exp * 1000);
  })();
}

// Back to the seeded row count (small tables), and an empty WAL, before the next measurement.
function cleanup(side) {
  if (side.prune) side.cleanupStmt.run(side.size.tokens);
  side.db.pragma('wal_checkpoint(TRUNCATE)');
}

// Each measured run is four short wrk runs, ABBA (big base base big, or the
// mirror on even reps): drift of this shared machine during a rep then hits
// both sizes alike. A size's p50/p99 is the mean over its two slices; its rate
// is requests over seconds.
const sliceSeconds = (ctx) => Math.max(1, Math.round(ctx.duration / 5));

async function abba(ctx, f, slice) {
  const seq = ctx.rep % 2 ? ['big', 'base', 'base', 'big'] : ['base', 'big', 'big', 'base'];
  const got = { big: [], base: [] };
  const secs = sliceSeconds(ctx);
  for (const k of seq) got[k].push(await slice(k, f.sides[k], secs));
  const out = {};
  const mean = (rs, m) => rs.reduce((a, r) => a + r[m], 0) / rs.length;
  for (const m of ['p50_ms', 'p99_ms']) {
    for (const k of ['big', 'base']) out[f.keys[k](m)] = mean(got[k], m);
  }
  for (const k of ['big', 'base']) {
    out[f.keys[k]('rps')] = got[k].reduce((a, r) => a + r.requests, 0) / got[k].reduce((a, r) => a + r.seconds, 0);
  }
  return out;
}

function pick(side, n) {
  const ids = new Set();
  while (ids.size < Math.min(n, side.size.users)) ids.add(randomInt(1, side.size.users + 1));
  return [...ids];
}

const LOGIN_CONNECTIONS = 2;
const REFRESH_CONNECTIONS = 4;

export const scaleLogin = {
  name: 'scale-login',
  kind: 'http',
  description: `login p50 at ${label(FULL)} users/tokens vs ${label(BASE, false)} (wrk -t1 -c${LOGIN_CONNECTIONS}; --quick: ${label(QUICK)})`,
  metric: keys(FULL).big('p50_ms'),
  target: { metric: keys(FULL).big('p50_ms'), against: keys(FULL).base('p50_ms'), ratio: 1.2, op: '<=' },
  async setup(ctx) {
    ctx.state.f = await acquire(ctx);
    setTargets(scaleLogin, ctx.state.f);
    // Known-password logins of random seeded users, from the whole population.
    for (const [k, side] of Object.entries(ctx.state.f.sides)) {
      writeFileSync(
        join(ctx.tmpdir, `scale-login-${k}.txt`),
        pick(side, LOGIN_USERS)
          .map((id) => JSON.stringify({ email: seedEmail(id), password: SEED_PASSWORD }))
          .join('\n') + '\n',
      );
    }
  },
  run: (ctx) =>
    abba(ctx, ctx.state.f, async (k, side, secs) => {
      try {
        return await ctx.wrk({
          url: side.d.url,
          threads: 1,
          connections: LOGIN_CONNECTIONS,
          duration: secs,
          script: LOGIN_LUA,
          scriptArgs: [PATHS.login, join(ctx.tmpdir, `scale-login-${k}.txt`)],
        });
      } finally {
        cleanup(side); // the refresh tokens these logins recorded
      }
    }),
  teardown: release,
};

export const scaleRefresh = {
  name: 'scale-refresh',
  kind: 'http',
  description: `refresh (rotation) p50 at ${label(FULL)} users/tokens vs ${label(BASE, false)} (wrk -t1 -c${REFRESH_CONNECTIONS}; --quick: ${label(QUICK)})`,
  metric: keys(FULL).big('p50_ms'),
  target: { metric: keys(FULL).big('p50_ms'), against: keys(FULL).base('p50_ms'), ratio: 1.2, op: '<=' },
  async setup(ctx) {
    ctx.state.f = await acquire(ctx);
    setTargets(scaleRefresh, ctx.state.f);
  },
  // Fresh tokens of random seeded users, recorded as outstanding just before
  // the slice: 1.2x what the fastest rate this size has shown needs (8,000/s
  // before its first measurement; the pre-JIT warm-up is slower than later
  // reps). Should a slice outrun its pool, wrk goes on with the new refresh
  // tokens the server returned (chain mode of lua/refresh.lua): same users,
  // rows the server itself recorded, so the pool never runs dry.
  run: (ctx) =>
    abba(ctx, ctx.state.f, async (k, side, secs) => {
      const rate = side.rate ? 1.2 * side.rate : 8000;
      const minted = Array.from({ length: Math.ceil(rate * secs) + REFRESH_CONNECTIONS }, () =>
        side.mint(randomInt(1, side.size.users + 1)),
      );
      const prefix = join(ctx.tmpdir, `scale-refresh-${k}-`);
      try {
        record(side, minted);
        writeFileSync(`${prefix}1.txt`, minted.map((m) => m.token).join('\n') + '\n');
        const r = await ctx.wrk({
          url: side.d.url,
          threads: 1,
          connections: REFRESH_CONNECTIONS,
          duration: secs,
          clean: false,
          script: REFRESH_LUA,
          scriptArgs: [PATHS.refresh, prefix, '1'],
        });
        const dry = Number(/BENCH_EXHAUSTED (\d+)/.exec(r.stdout)?.[1] ?? 0);
        ctx.assertClean(r);
        if (dry > 0)
          throw new Error(
            `token queue ran dry at ${label(side.size, side.size !== BASE)} (${dry} requests had no token)`,
          );
        side.rate = Math.max(side.rate, r.rps);
        side.refreshes += r.requests;
        side.chained += Math.max(0, r.requests - minted.length);
        return r;
      } finally {
        rmSync(`${prefix}1.txt`, { force: true });
        cleanup(side);
      }
    }),
  async teardown(ctx) {
    for (const s of Object.values(ctx.state.f?.sides ?? {})) {
      if (s.chained)
        ctx.note(
          `${label(s.size, s.size !== BASE)}: ${s.chained} of ${s.refreshes} refreshes outran the recorded pool and used tokens the server returned`,
        );
    }
    await release();
  },
};

// The report reads unit.metric/target after the run: point them at this mode's labels.
function setTargets(unit, f) {
  unit.metric = f.keys.big('p50_ms');
  unit.target = { metric: f.keys.big('p50_ms'), against: f.keys.base('p50_ms'), ratio: 1.2, op: '<=' };
}
