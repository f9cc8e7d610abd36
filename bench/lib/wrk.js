import { spawn, spawnSync } from 'node:child_process';

// Runs wrk (a separate C process, so the load generator does not compete with
// the server for one event loop) and parses its --latency text output.

export function wrkVersion() {
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (r.error) return null;
  const first = ((r.stdout || '') + (r.stderr || '')).split('\n')[0];
  return `wrk ${/wrk\s+(\S+)/.exec(first)?.[1] ?? '?'}`;
}

const UNIT_MS = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
function toMs(v, unit) {
  return Number(v) * UNIT_MS[unit];
}
const SIZE = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

export function parseWrk(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? m : null;
  };
  const pct = (p) => {
    const m = num(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'));
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const total = num(/^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h)/m);
  const rps = num(/^Requests\/sec:\s+([\d.]+)([kKMG]?)/m);
  const non2xx = num(/Non-2xx or 3xx responses:\s+(\d+)/);
  const sock = num(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  if (!total || !rps) throw new Error(`could not parse wrk output: ${out.slice(0, 300)}`);
  return {
    rps: Number(rps[1]) * SIZE[rps[2]],
    p50_ms: pct(50),
    p75_ms: pct(75),
    p90_ms: pct(90),
    p99_ms: pct(99),
    requests: Number(total[1]),
    seconds: toMs(total[2], total[3]) / 1000,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socket_errors: sock ? { connect: +sock[1], read: +sock[2], write: +sock[3], timeout: +sock[4] } : null,
  };
}

/**
 * @param {object} o
 * @param {string} o.url
 * @param {number} o.duration        seconds
 * @param {number} [o.threads]       wrk -t (2 = one per core on this machine)
 * @param {number} [o.connections]   wrk -c
 * @param {string} [o.script]        Lua file for POST bodies / per-request state
 * @param {string[]} [o.scriptArgs]  passed after `--` to the script's init(args)
 * @param {Record<string,string>} [o.headers]
 * @param {string} [o.timeout]       wrk per-request timeout (argon2 routes queue)
 */
export function runWrk({
  url,
  duration,
  threads = 2,
  connections = 64,
  script,
  scriptArgs = [],
  headers = {},
  timeout = '10s',
}) {
  const args = [
    '-t',
    String(threads),
    '-c',
    String(connections),
    '-d',
    `${duration}s`,
    '--latency',
    '--timeout',
    timeout,
  ];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (script) args.push('-s', script);
  args.push(url);
  if (scriptArgs.length) args.push('--', ...scriptArgs);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    // wrk stops itself after -d; this guard only catches a hung process.
    const guard = setTimeout(() => child.kill('SIGKILL'), (duration + 30) * 1000);
    child.on('error', (e) => {
      clearTimeout(guard);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(guard);
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${(err || out).trim().slice(0, 300)}`));
      try {
        resolve({ ...parseWrk(out), stdout: out });
      } catch (e) {
        reject(e);
      }
    });
  });
}

// A throughput figure built on failed requests would be fake, so any non-2xx
// answer or a noticeable share of socket errors invalidates the run.
export function assertClean(r, label = 'wrk') {
  if (r.non2xx > 0) throw new Error(`${label}: ${r.non2xx} of ${r.requests} responses were non-2xx`);
  const s = r.socket_errors;
  if (s) {
    const n = s.connect + s.read + s.write + s.timeout;
    if (n > Math.max(1, r.requests * 0.001))
      throw new Error(`${label}: socket errors ${JSON.stringify(s)} over ${r.requests} requests`);
  }
  return r;
}

// Keep only the figures that go into the report.
export function httpMetrics(r) {
  return { rps: r.rps, p50_ms: r.p50_ms, p99_ms: r.p99_ms };
}
