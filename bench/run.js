#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only a,b] : the doorman benchmark harness.
// Every figure is measured in this run next to its floor; units (floors and
// scenarios) are interleaved per repetition (A1 B1 A2 B2 ...) so slow drift of
// this shared 2-core machine hits all of them alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg, availableParallelism } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registry, floors } from './scenarios/index.js';
import { runWrk, assertClean, wrkVersion } from './lib/wrk.js';
import { runMicro } from './lib/micro.js';
import { startServer } from './lib/server.js';
import { SkipError } from './lib/skip.js';
import { summarize, fmt } from './lib/stats.js';
import { analyse, markdown } from './lib/report.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// DOORMAN_BENCH_ROOT: benchmark another checkout's dist/ with this harness.
const ROOT = process.env.DOORMAN_BENCH_ROOT || dirname(HERE);
// quick: CI smoke (< 2 min). full: 5 reps of 10 s (< 15 min with every unit).
const MODES = {
  quick: { reps: 1, duration: 3, warmup: 1, microWarmupMs: 500 },
  full: { reps: 5, duration: 10, warmup: 3, microWarmupMs: 1000 },
};

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    duration: { type: 'string' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const log = (msg) => process.stderr.write(msg + '\n');

if (flags.help || flags.list) {
  log('usage: node bench/run.js [--quick] [--only name,name] [--reps N] [--duration S] [--list]');
  for (const u of registry) log(`  ${u.name.padEnd(13)} ${(u.role ?? 'scenario').padEnd(8)} ${u.description}`);
  process.exit(0);
}

const mode = flags.quick ? 'quick' : 'full';
const cfg = { ...MODES[mode] };
if (flags.reps) cfg.reps = Math.max(1, parseInt(flags.reps, 10));
if (flags.duration) cfg.duration = Math.max(1, Number(flags.duration));

// --only a,b selects units; the floors and scenarios they are compared with come along.
let units = registry;
if (flags.only) {
  const want = new Set(
    flags.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const unknown = [...want].filter((n) => !registry.some((u) => u.name === n));
  if (unknown.length) {
    log(`unknown scenario(s): ${unknown.join(', ')}; known: ${registry.map((u) => u.name).join(', ')}`);
    process.exit(2);
  }
  // A target `of` another scenario brings that one along too (its floor with it).
  for (const u of registry) if (want.has(u.name)) for (const t of [u.target ?? []].flat()) if (t.of) want.add(t.of);
  for (const u of registry) if (want.has(u.name) && u.floor) want.add(u.floor);
  units = registry.filter((u) => want.has(u.name));
}
// Within a rep, each floor is followed by the scenarios measured against it: a ratio pairs a
// scenario's rep with its floor's rep, and with all floors first the HMAC floor ran minutes
// before token-verify, so background work in between (idle servers of earlier scenarios,
// PostgreSQL after refresh-pg) fell on one side of the pair only (issue 13: token-verify
// measured 5.3 or 7.9 us against a steady 4.7 us floor in one run). Registry order otherwise.
units = [
  ...floors.filter((f) => units.includes(f)).flatMap((f) => [f, ...units.filter((u) => u.floor === f.name)]),
  ...units.filter((u) => !floors.includes(u) && !u.floor),
];

const wrk = wrkVersion();
const tmp = mkdtempSync(join(tmpdir(), 'doorman-bench-'));
const results = {};
const t0 = Date.now();
const meta = {
  date: new Date().toISOString(),
  mode,
  reps: cfg.reps,
  duration_s: cfg.duration,
  warmup_s: cfg.warmup,
  node: process.version,
  wrk,
  cpus: availableParallelism(),
  cpu_model: cpus()[0]?.model.trim(),
  loadavg_start: loadavg(),
  argv: process.argv.slice(2),
};

function floorMedian(name, metric) {
  const r = results[name];
  if (!r || r.status !== 'ok') return null;
  const s = summarize(r.reps.map((x) => x.metrics?.[metric]));
  return Number.isFinite(s.median) ? s.median : null;
}

function makeCtx(u) {
  const ctx = {
    name: u.name,
    mode,
    root: ROOT,
    tmpdir: tmp,
    rep: 0,
    warmup: false,
    duration: cfg.duration,
    reps: cfg.reps,
    state: {},
    note: (msg) => results[u.name].notes.push(msg),
    startServer,
    floorMedian,
    assertClean: (r) => assertClean(r, u.name),
    // clean:false lets a scenario inspect a run before the error checks.
    wrk: (o) =>
      runWrk({ duration: ctx.duration, ...o })
        .then((r) => (o.clean === false ? r : assertClean(r, u.name)))
        .catch(async (e) => {
          throw new Error(`${e.message}${o.script ? '' : await sampleAnswer(o)}`);
        }),
    micro: (o) => runMicro({ durationMs: ctx.duration * 1000, warmupMs: cfg.microWarmupMs, ...o }),
  };
  return ctx;
}

// When a plain GET run fails, one request of the same shape shows why.
async function sampleAnswer(o) {
  try {
    const r = await fetch(o.url, { headers: o.headers ?? {} });
    return ` (sample answer: ${r.status} ${(await r.text()).slice(0, 120)})`;
  } catch (e) {
    return ` (sample request failed: ${e.message})`;
  }
}

function show(m) {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join('  ');
}

const est = units.reduce(
  (s, u) =>
    s +
    (u.name === 'login-storm' ? 2.4 : 1) * cfg.duration * cfg.reps +
    (u.kind === 'http' ? cfg.warmup : (cfg.microWarmupMs / 1000) * cfg.reps),
  0,
);
log(
  `doorman bench: ${mode}, ${cfg.reps} rep(s) x ${cfg.duration} s, units: ${units.map((u) => u.name).join(', ')} (~${Math.ceil(est)} s of measuring, plus setup)`,
);
if (!wrk) log('wrk not found: HTTP units will be skipped (apt-get install -y wrk)');

const ctxs = new Map();
try {
  // setup
  for (const u of units) {
    results[u.name] = { status: 'ok', notes: [], reps: [] };
    const ctx = makeCtx(u);
    ctxs.set(u, ctx);
    try {
      if (u.kind === 'http' && !wrk) throw new SkipError('wrk not installed (apt-get install -y wrk)');
      if (u.floor && results[u.floor]?.status !== 'ok') throw new SkipError(`floor ${u.floor} unavailable`);
      await u.setup?.(ctx);
    } catch (e) {
      results[u.name].status = 'skipped';
      results[u.name].reason = e instanceof SkipError ? e.message : `setup failed: ${e.message}`;
      log(`  ${u.name}: skipped: ${results[u.name].reason}`);
    }
  }
  const active = () => units.filter((u) => results[u.name].status === 'ok');

  // warm-up: HTTP servers get one discarded wrk run each (JIT, pools, caches);
  // micro-benchmarks warm up inside their own child process on every rep.
  for (const u of active()) {
    if (u.kind !== 'http' && !u.warmup) continue;
    const ctx = ctxs.get(u);
    Object.assign(ctx, { warmup: true, duration: cfg.warmup });
    try {
      await (u.warmup ? u.warmup(ctx) : u.run(ctx));
    } catch (e) {
      results[u.name].status = 'skipped';
      results[u.name].reason = `warm-up failed: ${e.message}`;
      log(`  ${u.name}: skipped: ${results[u.name].reason}`);
    }
    Object.assign(ctx, { warmup: false, duration: cfg.duration });
  }

  // interleaved repetitions
  for (let rep = 1; rep <= cfg.reps; rep++) {
    for (const u of active()) {
      const ctx = ctxs.get(u);
      ctx.rep = rep;
      const started = Date.now();
      try {
        const raw = await u.run(ctx);
        const metrics = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'number'));
        results[u.name].reps.push({ rep, metrics, wall_s: (Date.now() - started) / 1000 });
        log(`[${rep}/${cfg.reps}] ${u.name}: ${show(metrics)}`);
      } catch (e) {
        results[u.name].reps.push({ rep, error: e.message });
        log(`[${rep}/${cfg.reps}] ${u.name}: error: ${e.message}`);
      }
    }
  }
  for (const u of units) {
    const r = results[u.name];
    if (r.status === 'ok' && r.reps.length && r.reps.every((x) => x.error)) {
      r.status = 'error';
      r.reason = r.reps[0].error;
    }
  }
} finally {
  for (const [u, ctx] of ctxs) await u.teardown?.(ctx).catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}

meta.total_s = (Date.now() - t0) / 1000;
meta.loadavg_end = loadavg();
const analysed = analyse(units, results);
const md = markdown(analysed, meta);
const outDir = join(HERE, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ meta, units: analysed }, null, 2) + '\n');
writeFileSync(join(outDir, 'latest.md'), md);
process.stdout.write('\n' + md);
// Floors must always measure: if one did not, the harness or machine is broken.
const brokenFloor = units.some((u) => floors.includes(u) && results[u.name].status !== 'ok');
process.exit(brokenFloor ? 1 : 0);
