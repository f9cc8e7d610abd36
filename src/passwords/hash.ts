import type { Limiter } from './limiter.js';
import { createHashPool } from './worker-pool.js';

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash it cannot read; never throws on bad input. */
  verify(encoded: string, password: string): Promise<boolean>;
  /** True when the stored hash uses another algorithm or weaker parameters than the current ones. */
  needsRehash(encoded: string): boolean;
  /** Spends the time of one verification, so unknown e-mails answer as slowly as wrong passwords. */
  burn(password: string): Promise<void>;
  /** Ends the hashing threads. */
  close(): Promise<void>;
}

const PHC_ARGON2ID = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * argon2id password hashing (RFC 9106; OWASP parameters m=19 MiB, t=2, p=1) on a pool of
 * `limiter.concurrency` worker threads at a lower CPU priority (`nice`), never on the event
 * loop nor on libuv's shared thread pool. Hashes are PHC strings, so each one carries its
 * algorithm and parameters and verification can dispatch on them (imported Django hashes
 * can join later).
 */
export function createPasswordHasher(params: Argon2Params, limiter: Limiter, nice = 19): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params };
  const pool = createHashPool(limiter.concurrency, nice);
  let dummy: Promise<string> | undefined;
  const hasher: PasswordHasher = {
    hash: (password) => limiter.run(() => pool.hash(password, options)),
    async verify(encoded, password) {
      if (!PHC_ARGON2ID.test(encoded)) return false;
      return limiter.run(async () => {
        try {
          return await pool.verify(encoded, password);
        } catch {
          return false;
        }
      });
    },
    needsRehash(encoded) {
      const match = PHC_ARGON2ID.exec(encoded);
      if (!match) return true;
      const [m, t, p] = match.slice(1).map(Number) as [number, number, number];
      return m < params.memoryCost || t < params.timeCost || p !== params.parallelism;
    },
    async burn(password) {
      dummy ??= hasher.hash('doorman-timing-equaliser');
      await hasher.verify(await dummy, password);
    },
    close: () => pool.close(),
  };
  return hasher;
}
