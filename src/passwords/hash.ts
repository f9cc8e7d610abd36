import { hashFamily, verifyDjangoHash } from './hashers/dispatch.js';
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
  /**
   * False for a wrong password and for a hash it cannot read; never throws on bad input.
   * Dispatches on the algorithm the hash records: doorman's argon2id, or one of Django's
   * (pbkdf2_sha256, pbkdf2_sha1, argon2, bcrypt_sha256, bcrypt; `!…` never verifies).
   */
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
 * algorithm and parameters and verification dispatches on them. Hashes imported from Django
 * verify as they are (passwords/hashers/) and report needsRehash, so the next successful
 * login stores doorman's argon2id instead.
 */
export function createPasswordHasher(params: Argon2Params, limiter: Limiter, nice = 19): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params };
  const pool = createHashPool(limiter.concurrency, nice);
  let dummy: Promise<string> | undefined;
  const guarded = (check: () => Promise<boolean>) =>
    limiter.run(async () => {
      try {
        return await check();
      } catch {
        return false;
      }
    });
  const hasher: PasswordHasher = {
    hash: (password) => limiter.run(() => pool.hash(password, options)),
    async verify(encoded, password) {
      const family = hashFamily(encoded);
      if (family === 'doorman' && PHC_ARGON2ID.test(encoded)) return guarded(() => pool.verify(encoded, password));
      if (family === 'unusable' || family === 'unknown' || family === 'doorman') {
        // Django's unusable password (`!…`) never verifies; spending a verification's time
        // keeps such accounts as slow to refuse as any other (no timing tells them apart).
        await hasher.burn(password);
        return false;
      }
      return guarded(() => verifyDjangoHash(encoded, password, (phc, p) => pool.verify(phc, p)));
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
