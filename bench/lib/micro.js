import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Runs a micro-benchmark in a fresh node process per repetition: JIT state,
// heap and libuv pool from one scenario never leak into the next, and the
// harness process stays idle while it measures.

const CHILD = fileURLToPath(new URL('./micro-child.js', import.meta.url));

/**
 * @param {object} o
 * @param {string} o.module       absolute path or file URL of a module exporting `prepare`
 * @param {object} [o.opts]       JSON-serialisable options for prepare()
 * @param {number} o.durationMs
 * @param {number} [o.warmupMs]
 * @returns {Promise<{ops:number, seconds:number, ops_per_s:number, us_per_op:number, mean_op_ms:number, concurrency:number}>}
 */
export function runMicro({ module, opts = {}, durationMs, warmupMs = 1000 }) {
  const spec = JSON.stringify({ module: String(module), opts, durationMs, warmupMs });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, spec], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), durationMs + warmupMs + 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      const last = out.trim().split('\n').at(-1) || '';
      if (code !== 0)
        return reject(
          new Error(
            `micro child exited ${code}: ${(err || out).trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`,
          ),
        );
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`micro child printed no result: ${last.slice(0, 200)}`));
      }
    });
  });
}
