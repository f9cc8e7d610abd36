import type { Rate } from './rate.js';

/** The state of one key after a hit. */
export interface Hit {
  /** The hit was within the limit. */
  allowed: boolean;
  /** Milliseconds until the key's window ends (when it is allowed again). */
  msBeforeNext: number;
  /**
   * This hit is the one that went past the limit: the first refused in the key's window. The
   * count it is judged on comes back from the same atomic increment (one Lua script in Redis),
   * so exactly one hit sees it across every instance sharing the store; only a refund that
   * takes the count back under the limit can make a later hit see it again.
   */
  reached: boolean;
}

/**
 * One limit over many keys: the port the throttle policy counts through. The memory adapter
 * serves one instance; the Redis adapter is shared (and atomic) across every instance.
 */
export interface Counter {
  /** Counts one hit on `key` (atomically) and says whether it was within the limit. */
  hit(key: string): Promise<Hit>;
  /** Gives one hit back (a login that succeeded does not count as a failure). */
  refund(key: string): Promise<void>;
  /** Hits counted on `key` in its current window (0 when none). */
  count(key: string): Promise<number>;
  /** Sets `key` to one hit for a fresh window (remembers something for `duration`). */
  mark(key: string): Promise<void>;
  /** Forgets `key`. */
  reset(key: string): Promise<void>;
}

/** Makes a Counter for each named limit; one per backend (memory, Redis). */
export interface CounterStore {
  counter(name: string, rate: Rate): Counter;
  close(): Promise<void>;
}
