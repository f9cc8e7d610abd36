import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer, request } from 'node:http';

// Starts a server as a child process on a free loopback port and waits until it
// answers HTTP. The server runs in its own process so the load generator, the
// harness and the server never share an event loop or a heap.

const HOST = '127.0.0.1'; // only loopback may be load-tested on this machine
const live = new Set();

// Ask the kernel for a free port, then release it for the child. The small race
// (someone else taking it in between) is acceptable on a bench machine.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Any HTTP status counts as ready: an auth server answers 401 to an anonymous
// GET long before a valid request can be built.
function probe(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: HOST, port, path, method: 'GET', timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * @param {object} o
 * @param {string} o.name            label for messages
 * @param {string[]} o.args          node arguments (script path first)
 * @param {(port:number, host:string)=>object} o.env  extra environment for the child
 * @param {string} [o.cwd]
 * @param {string} [o.readyPath]     path polled until any HTTP answer
 * @param {number} [o.timeoutMs]
 * @param {string} [o.stdoutFile]    write the child's stdout to this file (as `> file` would)
 *                                   instead of piping it through this process
 * @param {string} [o.dropEnvPrefix] leave out inherited variables with this prefix, so only the
 *                                   ones `env` gives reach the child
 */
export async function startServer({
  name,
  args,
  env,
  cwd,
  readyPath = '/',
  timeoutMs = 20000,
  stdoutFile,
  dropEnvPrefix,
}) {
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !dropEnvPrefix || !k.startsWith(dropEnvPrefix)),
  );
  const out = stdoutFile ? openSync(stdoutFile, 'a') : 'pipe';
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...inherited, ...env(port, HOST) },
    stdio: ['ignore', out, 'pipe'],
  });
  if (typeof out === 'number') closeSync(out); // the child has its own copy
  live.add(child);
  // Keep a tail of the output: it is the skip reason when the server dies.
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitP = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    }),
  );
  child.on('error', (err) => {
    exited = { code: -1, signal: String(err.message) };
  });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited)
      throw new Error(
        `${name} exited (code ${exited.code}${exited.signal ? `, ${exited.signal}` : ''}) before ready: ${lastLine(tail)}`,
      );
    if (await probe(port, readyPath)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after ${timeoutMs} ms: ${lastLine(tail)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    name,
    host: HOST,
    port,
    pid: child.pid,
    url: `http://${HOST}:${port}`,
    output: () => tail,
    alive: () => !exited,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exitP;
      clearTimeout(t);
    },
  };
}

function lastLine(text) {
  const lines = text.trim().split('\n').filter(Boolean);
  return (lines.slice(-3).join(' | ') || '(no output)').slice(0, 400);
}

// Never leave servers behind if the harness dies or is interrupted.
function killAll() {
  for (const c of live) c.kill('SIGKILL');
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
