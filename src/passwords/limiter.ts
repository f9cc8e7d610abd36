import { AuthError } from '../errors/auth-error.js';

/**
 * Runs at most `concurrency` tasks at once and queues up to `queueLimit` more; beyond that
 * it refuses with 503 at once. Password hashing runs on libuv's thread pool: unbounded, a
 * login storm would fill the pool and stall every other pool user (fs, dns, crypto).
 */
export class Limiter {
  #active = 0;
  readonly #queue: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {}

  get pending(): number {
    return this.#queue.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.concurrency) {
      if (this.#queue.length >= this.queueLimit) throw new AuthError('server_busy');
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      this.#active++;
    }
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
