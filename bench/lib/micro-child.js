// Child side of lib/micro.js. Imports a module whose `prepare(opts)` returns
// { op, concurrency? }: op is a sync function, or async when concurrency is set.
// Prints one JSON line with the measured counts; nothing is estimated.

import { pathToFileURL } from 'node:url';

const spec = JSON.parse(process.argv[2]);
const url = spec.module.startsWith('file:') ? spec.module : pathToFileURL(spec.module).href;
const mod = await import(url);
const { op, concurrency } = await mod.prepare(spec.opts);
const now = () => process.hrtime.bigint();
let sink; // keeps results alive so V8 cannot drop the work as dead code

async function runSync(ms) {
  // Check the clock only every `batch` calls so timer reads do not dominate
  // sub-microsecond ops; batch grows until one batch takes >= 1 ms.
  let batch = 64,
    ops = 0;
  const start = now(),
    end = start + BigInt(ms) * 1_000_000n;
  let t = start;
  while (t < end) {
    for (let i = 0; i < batch; i++) sink = op();
    ops += batch;
    const t2 = now();
    if (t2 - t < 1_000_000n) batch *= 2;
    t = t2;
  }
  return { ops, ns: Number(t - start), opNs: [] };
}

async function runAsync(ms, conc) {
  // `conc` loops each keep one op in flight: for argon2 that is N hashes busy
  // on N libuv threads, the shape a server sees under concurrent logins.
  const start = now(),
    end = start + BigInt(ms) * 1_000_000n;
  let ops = 0,
    opNsSum = 0;
  const worker = async () => {
    while (now() < end) {
      const t0 = now();
      sink = await op();
      opNsSum += Number(now() - t0);
      ops++;
    }
  };
  await Promise.all(Array.from({ length: conc }, worker));
  return { ops, ns: Number(now() - start), opNsSum };
}

const run = concurrency ? (ms) => runAsync(ms, concurrency) : runSync;
await run(spec.warmupMs);
const r = await run(spec.durationMs);
const seconds = r.ns / 1e9;
process.stdout.write(
  JSON.stringify({
    ops: r.ops,
    seconds,
    concurrency: concurrency || 1,
    ops_per_s: r.ops / seconds,
    us_per_op: r.ns / 1e3 / r.ops,
    // per-op wall time: equals us_per_op when sync; for async it is the latency
    // of one op while `concurrency` of them run side by side
    mean_op_ms: concurrency ? r.opNsSum / 1e6 / r.ops : r.ns / 1e6 / r.ops,
    sink_type: typeof sink,
  }) + '\n',
);
