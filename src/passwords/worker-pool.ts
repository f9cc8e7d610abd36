import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, run with `eval`: it needs no file of its own, so it works the same
 * from dist/ and from the TypeScript sources under test. It lowers its own thread's CPU
 * priority (Linux applies setpriority to one thread when given its tid), so a login storm
 * takes only the CPU that request handling leaves over: the event loop keeps its latency.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.nice);
} catch {}
const argon2 = require(workerData.argon2Path);
parentPort.on('message', ({ id, op, a, b, options }) => {
  try {
    const value = op === 'hash' ? argon2.hashSync(a, options) : argon2.verifySync(a, b);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Job {
  id: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export interface HashPool {
  hash(password: string, options: Record<string, number>): Promise<string>;
  verify(encoded: string, password: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * `size` worker threads computing argon2 synchronously, one job each at a time. Callers
 * bound concurrency to `size` (passwords/limiter.ts), so a job always finds a free worker.
 * Workers start on first use, are unref'd, and end on close().
 */
export function createHashPool(size: number, nice: number): HashPool {
  const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');
  const slots: Slot[] = [];
  let nextId = 1;

  function spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { argon2Path, nice } });
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (message: { id: number; value?: unknown; error?: string }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = null;
      if (message.error !== undefined) job.reject(new Error(message.error));
      else job.resolve(message.value);
    });
    worker.on('error', (error) => {
      slot.job?.reject(error);
      slot.job = null;
      slots.splice(slots.indexOf(slot), 1);
    });
    slots.push(slot);
    return slot;
  }

  function run(
    op: 'hash' | 'verify',
    a: string,
    b: string | null,
    options: Record<string, number> | null,
  ): Promise<unknown> {
    const slot = slots.find((s) => s.job === null) ?? (slots.length < size ? spawn() : null);
    if (!slot) return Promise.reject(new Error('hash pool: no free worker (callers must bound concurrency)'));
    return new Promise((resolve, reject) => {
      const id = nextId++;
      slot.job = { id, resolve, reject };
      slot.worker.postMessage({ id, op, a, b, options });
    });
  }

  return {
    hash: (password, options) => run('hash', password, null, options) as Promise<string>,
    verify: (encoded, password) => run('verify', encoded, password, null) as Promise<boolean>,
    async close() {
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
